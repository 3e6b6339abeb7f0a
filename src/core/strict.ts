import * as fs from 'fs';
import { Construct, IConstruct } from 'constructs';
import { closest, SlipwayError } from './errors';

/**
 * Strict props: an unknown key in a props or options object (a typo such as
 * `rolllout:`) is an error, in TypeScript definitions (where an object held in
 * a variable is not checked for excess properties) and in JavaScript ones.
 *
 * The jsii assembly (`.jsii`, shipped with the package) describes every
 * struct's fields and every constructor's and method's parameters. When the
 * package's entry point loads, `installStrictProps` wraps each public
 * constructor and method once: a call from the user's code (not one slipway
 * makes while it runs) has its struct arguments checked, nested structs
 * included.
 *
 * - A construct gets the problems of its props, with its construct path,
 *   as validations: synthesis lists them with every other problem. If its
 *   constructor throws, the problems are thrown instead, since the unknown
 *   key is the likely cause.
 * - A value object (`Rollout.canary({...})`) has no path yet: its problems
 *   travel with it, and the construct that receives it reports them under
 *   its own path. Problems of values no construct received are reported by
 *   the App's synthesis.
 * @internal
 */

/** A type reference of the jsii assembly. */
interface TypeRef {
  readonly fqn?: string;
  readonly primitive?: string;
  readonly collection?: { readonly kind: 'array' | 'map'; readonly elementtype: TypeRef };
}

interface Field {
  readonly type: TypeRef;
  readonly optional: boolean;
}

/** A struct's fields by name, and the names of the required ones. */
interface Struct {
  readonly fields: Map<string, Field>;
  readonly required: string[];
}

interface Parameter {
  readonly name: string;
  readonly type: TypeRef;
  readonly variadic?: boolean;
  readonly optional?: boolean;
}

interface Callable {
  readonly name?: string;
  readonly static?: boolean;
  readonly parameters?: Parameter[];
}

interface JsiiType {
  readonly kind: string;
  readonly name: string;
  readonly datatype?: boolean;
  readonly interfaces?: string[];
  readonly properties?: Array<{ readonly name: string; readonly type: TypeRef; readonly optional?: boolean }>;
  readonly initializer?: Callable;
  readonly methods?: Callable[];
}

/** The problems a value object carries until a construct receives it (for tests). */
export function carriedProblems(v: unknown): string[] {
  return v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, CARRIED) ? [...(v as any)[CARRIED]] : [];
}

/**
 * The problems `v` carries, taken over by the caller, which reports them with
 * its own path: they are no longer pending for the App's synthesis.
 * @internal
 */
export function takeCarriedProblems(v: unknown): string[] {
  const problems = carriedProblems(v);
  if (problems.length) pending.delete(v as object);
  return problems;
}

/** Problems a value object carries until a construct receives it. */
const CARRIED = Symbol.for('slipway.strict.problems');

/**
 * Records a problem of a value object instead of throwing it: like an unknown
 * prop, it travels with the value, and the construct that receives it reports
 * it under its own path, together with every other problem of the definition
 * (or the App's synthesis does, when no construct received the value).
 * Returns the value.
 */
export function invalid<T extends object>(value: T, ...problems: string[]): T {
  if (problems.length) carry(value, problems);
  return value;
}

/** Value objects with problems that no construct has received yet. */
let pending = new Set<object>();

/** How many wrapped calls are running: only the outermost call (the user's) is checked. */
let depth = 0;

/** Runs `fn` as slipway's own code: the calls it makes are not checked. */
export function trusted<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}

/** Problems of value objects that no construct received. Called by the App's synthesis. */
export function takeUnreceivedProblems(): string[] {
  return [...new Set([...pending].flatMap((v) => (v as any)[CARRIED] as string[]))];
}

/** Forgets the problems of values created before a new App (tests create many Apps). */
export function resetUnreceivedProblems(): void {
  pending = new Set();
}

/** The checker of one assembly. */
class Checker {
  private readonly structs = new Map<string, Struct | undefined>();
  private readonly enums = new Map<string, Map<unknown, string>>();
  /**
   * @param exports the library's exports by name: the enums' values and the classes that values are checked against
   */
  constructor(private readonly types: { [fqn: string]: JsiiType }, private readonly exports: { [name: string]: any }) {}

  /**
   * Each problem of `value` as a `type`; `where` names it (`Environment props`).
   * `out` is created on the first problem: a call without problems allocates nothing.
   * A value of the wrong type (what TypeScript reports as a type error, and a
   * JavaScript definition or a cast lets through) is a problem; its contents are not checked further.
   */
  public check(type: TypeRef, value: unknown, where: string, out: string[] | undefined): string[] | undefined {
    if (value === null || value === undefined) return out;
    const wrong = this.typeProblem(type, value);
    if (wrong !== undefined) {
      (out ??= []).push(`${where} ${wrong}`);
      return out;
    }
    if (typeof value !== 'object') return out;
    const collection = type.collection;
    if (collection) {
      if (collection.kind === 'array') {
        for (let i = 0; i < (value as unknown[]).length; i++) {
          const v = (value as unknown[])[i];
          if (v !== null && v !== undefined) out = this.check(collection.elementtype, v, `${where}[${i}]`, out);
        }
      } else if (isPlain(value)) {
        for (const k in value) {
          const v = (value as any)[k];
          if (v !== null && v !== undefined) out = this.check(collection.elementtype, v, `${where}${keyPath(k)}`, out);
        }
      }
      return out;
    }
    if (!type.fqn || !isPlain(value)) return out;
    const struct = this.structFields(type.fqn);
    if (!struct) return out;
    for (let i = 0; i < struct.required.length; i++) {
      const key = struct.required[i];
      if (value[key] === undefined) (out ??= []).push(`${where}: missing required prop "${key}"`);
    }
    for (const key in value) {
      const field = struct.fields.get(key);
      const v = value[key];
      if (field) {
        if (v !== null && v !== undefined) out = this.check(field.type, v, `${where}.${key}`, out);
        continue;
      }
      const near = closest(key, struct.fields.keys());
      (out ??= []).push(`${where}: unknown prop "${key}"; ${near ? `did you mean "${near}"?` : `props: ${[...struct.fields.keys()].sort().join(', ')}`}`);
    }
    return out;
  }

  /** Why `value` (not null or undefined) is not a `type`, or undefined when it is one. */
  private typeProblem(type: TypeRef, value: unknown): string | undefined {
    const t = typeof value;
    const primitive = type.primitive;
    if (primitive !== undefined) {
      if (primitive === 'string' || primitive === 'number' || primitive === 'boolean') {
        return t === primitive ? undefined : `must be ${primitive === 'string' ? 'a string' : primitive === 'number' ? 'a number' : 'true or false'}, not ${shown(value)}`;
      }
      if (primitive === 'date') return value instanceof Date ? undefined : `must be a Date, not ${shown(value)}`;
      return undefined;
    }
    const collection = type.collection;
    if (collection) {
      if (collection.kind === 'array') return Array.isArray(value) ? undefined : `must be a list ([...]), not ${shown(value)}`;
      return t === 'object' && !Array.isArray(value) ? undefined : `must be an object of names to values ({ NAME: ... }), not ${shown(value)}`;
    }
    const fqn = type.fqn;
    const declared = fqn !== undefined ? this.types[fqn] : undefined;
    if (!declared) return undefined;
    if (declared.kind === 'enum') {
      const members = this.enumMembers(declared.name);
      if (!members || members.has(value)) return undefined;
      return `must be one of ${[...members.values()].map((m) => `${declared.name}.${m}`).join(', ')}, not ${shown(value)}`;
    }
    if (declared.kind === 'interface') {
      if (declared.datatype) return t === 'object' && !Array.isArray(value) ? undefined : `must be an object ({ ... }), not ${shown(value)}`;
      return t === 'object' || t === 'function' ? undefined : `must be ${article(declared.name)}, not ${shown(value)}`;
    }
    if (declared.kind !== 'class') return undefined;
    const cls = this.exports[declared.name];
    let wrong = t !== 'object' || Array.isArray(value);
    if (!wrong && typeof cls === 'function' && !(value instanceof cls)) {
      // an instance of another of slipway's classes (a structurally equal object of the user's own passes, as in TypeScript)
      const other = (value as object).constructor?.name;
      wrong = other !== undefined && other !== declared.name && typeof this.exports[other] === 'function' && this.types[`${fqn!.split('.')[0]}.${other}`] !== undefined;
    }
    if (!wrong) return undefined;
    const factory = declared.methods?.find((m) => m.static && m.name)?.name;
    return `must be ${article(declared.name)}${factory ? ` (e.g. ${declared.name}.${factory}(...))` : ''}, not ${shown(value)}`;
  }

  /**
   * The arguments without the optional values of the wrong type, so that the
   * call runs as if they were not given (a required one stays: nothing can
   * stand in for it); undefined when nothing is left out.
   */
  public withoutWrongTypes(params: Parameter[], args: unknown[]): unknown[] | undefined {
    let changed = false;
    const out = [...args];
    for (let i = 0; i < params.length && i < args.length; i++) {
      const p = params[i];
      if (p.variadic) return undefined;
      const fixed = this.fix(p.type, args[i]);
      if (fixed === REMOVE) {
        if (!p.optional) continue;
        out[i] = undefined;
        changed = true;
      } else if (fixed !== args[i]) {
        out[i] = fixed;
        changed = true;
      }
    }
    return changed ? out : undefined;
  }

  /** `value` without its parts of the wrong type: the same value when it has none, REMOVE when it is of the wrong type itself. */
  private fix(type: TypeRef, value: unknown): unknown {
    if (value === null || value === undefined) return value;
    if (this.typeProblem(type, value) !== undefined) return REMOVE;
    if (typeof value !== 'object') return value;
    const collection = type.collection;
    if (collection) {
      if (Array.isArray(value)) {
        const items = value.map((v) => this.fix(collection.elementtype, v));
        return items.every((v, i) => v === value[i]) ? value : items.filter((v) => v !== REMOVE);
      }
      if (!isPlain(value)) return value;
      let copy: { [key: string]: unknown } | undefined;
      for (const k in value) {
        const v = this.fix(collection.elementtype, value[k]);
        if (v === value[k]) continue;
        copy ??= { ...value };
        if (v === REMOVE) delete copy[k];
        else copy[k] = v;
      }
      return copy ?? value;
    }
    if (!type.fqn || !isPlain(value)) return value;
    const struct = this.structFields(type.fqn);
    if (!struct) return value;
    let copy: { [key: string]: unknown } | undefined;
    for (const k in value) {
      const field = struct.fields.get(k);
      if (!field) continue;
      const v = this.fix(field.type, value[k]);
      // a required value of the wrong type stays: nothing can stand in for it
      if (v === value[k] || (v === REMOVE && !field.optional)) continue;
      copy ??= { ...value };
      if (v === REMOVE) delete copy[k];
      else copy[k] = v;
    }
    return copy ?? value;
  }

  /** The values of an exported enum, each with its member's name. */
  private enumMembers(name: string): Map<unknown, string> | undefined {
    let members = this.enums.get(name);
    if (!members) {
      const e = this.exports[name];
      if (e === null || typeof e !== 'object') return undefined;
      members = new Map();
      // a numeric enum maps its values back to names: those keys are numbers
      for (const [k, v] of Object.entries(e)) if (!/^[0-9]+$/.test(k)) members.set(v, k);
      this.enums.set(name, members);
    }
    return members;
  }

  /** The fields of a struct, inherited ones included, and its required ones; undefined for a type that is not a struct. */
  private structFields(fqn: string): Struct | undefined {
    if (this.structs.has(fqn)) return this.structs.get(fqn);
    const t = this.types[fqn];
    let struct: Struct | undefined;
    if (t?.kind === 'interface' && t.datatype) {
      const fields = new Map<string, Field>();
      for (const parent of t.interfaces ?? []) for (const [k, v] of this.structFields(parent)?.fields ?? []) fields.set(k, v);
      for (const p of t.properties ?? []) fields.set(p.name, { type: p.type, optional: p.optional === true });
      struct = { fields, required: [...fields].filter(([, f]) => !f.optional).map(([k]) => k) };
    }
    this.structs.set(fqn, struct);
    return struct;
  }

  /** The problems of the arguments of a call (unknown keys, missing required ones); undefined when there are none. */
  public checkArgs(params: Parameter[], args: unknown[], label: string): string[] | undefined {
    let own: string[] | undefined;
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      if (p.variadic) {
        for (let j = i; j < args.length; j++) {
          if (args[j] !== null && args[j] !== undefined) own = this.check(p.type, args[j], `${label} ${p.name}`, own);
        }
      } else if (args[i] !== null && args[i] !== undefined) {
        own = this.check(p.type, args[i], `${label} ${p.name}`, own);
      }
    }
    return own;
  }
}

/** A key of a map in a path: `.NAME`, or `["run.googleapis.com/x"]` for a key that is not a plain name. */
function keyPath(k: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
}

/** A value as a message shows it, without printing a long one whole. */
function shown(v: unknown): string {
  switch (typeof v) {
    case 'string': return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
    case 'number': return `the number ${v}`;
    case 'boolean': return String(v);
    case 'function': return `a function${v.name ? ` (${v.name})` : ''}: call it`;
    case 'object': {
      if (Array.isArray(v)) return 'a list';
      const name = (v as object).constructor?.name;
      return name && name !== 'Object' ? article(name) : 'an object';
    }
    default: return typeof v;
  }
}

function article(name: string): string {
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}

/** Marker of Checker.fix: a value of the wrong type, left out. */
const REMOVE = Symbol('remove');

function isPlain(v: object): v is { [key: string]: unknown } {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The value objects with problems in `v`: itself, or in the arrays and plain objects it holds. */
function collectCarried(v: unknown, out: Set<object>, level: number): void {
  if (v === null || typeof v !== 'object' || level > 8) return;
  if (Array.isArray(v)) {
    for (const x of v) collectCarried(x, out, level + 1);
  } else if (isPlain(v)) {
    for (const x of Object.values(v)) collectCarried(x, out, level + 1);
  } else if (Object.prototype.hasOwnProperty.call(v, CARRIED)) {
    out.add(v);
  }
}

function carry(value: unknown, problems: string[]): boolean {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const existing: string[] = Object.prototype.hasOwnProperty.call(value, CARRIED) ? (value as any)[CARRIED] : [];
  Object.defineProperty(value, CARRIED, { value: [...new Set([...existing, ...problems])], configurable: true, enumerable: false });
  pending.add(value as object);
  return true;
}

function problemsOfError(e: unknown): string[] {
  if (e instanceof SlipwayError || (e instanceof Error && e.name === 'SlipwayError')) return (e as SlipwayError).problems ?? [e.message];
  return [e instanceof Error ? e.message : String(e)];
}

/** The problems of the calls of each construct, listed by synthesis with its path. */
const reported = new WeakMap<IConstruct, string[]>();

/**
 * Reports problems on a construct. Synthesis lists them with its path,
 * before and apart from its validations: a validation that fails on the
 * wrong-typed value these problems name does not hide them.
 */
function report(scope: IConstruct, problems: string[]): void {
  if (problems.length === 0) return;
  const existing = reported.get(scope);
  reported.set(scope, existing ? [...new Set([...existing, ...problems])] : problems);
}

/**
 * The problems of the props and options given to a construct and its
 * methods (unknown keys, wrong types, and those of value objects it received).
 * @internal
 */
export function reportedProblems(scope: IConstruct): string[] {
  return reported.get(scope) ?? [];
}

/** Where a checked call belongs: the construct path and the construct that reports its problems, if any. */
interface CallSite {
  path(): string | undefined;
  scope(): IConstruct | undefined;
}

/**
 * A call checked as described above. `call` runs the original; `site` names
 * the construct the call belongs to (the new construct's parent and id, or the
 * construct whose method it is), if any. The common case (slipway's own call,
 * or a user's call without problems and no value object with problems in
 * existence) allocates nothing.
 */
function checkedCall<T>(checker: Checker, params: Parameter[], args: unknown[], label: string, site: () => CallSite,
  call: (args: unknown[]) => T): T {
  if (depth > 0) return call(args);
  const own = checker.checkArgs(params, args, label);
  let carried: object[] = [];
  if (pending.size > 0) {
    const found = new Set<object>();
    for (const a of args) collectCarried(a, found, 0);
    carried = [...found];
  }
  if (own === undefined && carried.length === 0) {
    depth++;
    try {
      return call(args);
    } finally {
      depth--;
    }
  }
  const problems = own ?? [];
  const at = site();
  let result: T;
  // the construct path is computed only when there is a problem to report (it walks the tree)
  const path = at.path();
  const withPath = (ps: string[]) => (path !== undefined ? ps.map((p) => (p.startsWith('[') || !path ? p : `[${path}] ${p}`)) : ps);
  const received = carried.flatMap((v) => (v as any)[CARRIED] as string[]);
  // A value of the wrong type is reported and left out: the call runs without it (when it is optional), so that
  // neither the call nor a later validation fails on it, and the definition goes on to report every other problem.
  const fixed = own !== undefined ? checker.withoutWrongTypes(params, args) : undefined;
  try {
    result = trusted(() => call(fixed ?? args));
  } catch (e) {
    // A TypeError after an unknown key or a wrong type is their consequence (a required prop read as undefined): they are the message.
    const consequence = e instanceof TypeError && problems.length > 0 ? [] : problemsOfError(e);
    throw new SlipwayError([...new Set(withPath([...problems, ...received, ...consequence]))]);
  }
  const scope = at.scope();
  if (scope) report(scope, [...new Set([...problems, ...received])]);
  else if (!carry(result!, [...problems, ...received])) throw new SlipwayError(withPath([...problems, ...received]));
  // The problems travel on: reported by the construct, or carried by the result.
  for (const v of carried) if (v !== (result! as unknown)) pending.delete(v);
  return result!;
}

const INSTALLED = new WeakSet<object>();

/**
 * Wraps the public constructors and methods of the classes in `exports`
 * (a module namespace, by class name), described by the assembly at
 * `assemblyFile`. Each class is replaced in the module `moduleOf(file)`
 * that defines it, so that every importer sees the checked class; without
 * `moduleOf` (the bundle, whose modules are not reachable by file), in
 * `exports` itself, the object users import. Methods are wrapped on their
 * prototypes either way. Does nothing when the assembly is missing.
 */
export function installStrictProps(assembly: string | StrictTable, exports: { [name: string]: any },
  moduleOf: (sourceFile: string) => { [name: string]: any } | undefined = () => exports): void {
  const table = typeof assembly === 'string' ? readStrictTable(assembly) : assembly;
  if (!table) return;
  const checker = new Checker(table.types, exports);
  for (const t of Object.values(table.types)) {
    if (t.kind !== 'class') continue;
    const cls = exports[t.name];
    if (typeof cls !== 'function' || INSTALLED.has(cls)) continue;
    INSTALLED.add(cls);
    for (const m of t.methods ?? []) {
      const name = m.name;
      if (!name || !m.parameters?.length) continue;
      const owner = m.static ? cls : cls.prototype;
      const original = Object.getOwnPropertyDescriptor(owner, name)?.value;
      if (typeof original !== 'function') continue;
      const params = m.parameters;
      const label = `${t.name}.${name}()`;
      Object.defineProperty(owner, name, {
        value: {
          [name](this: any, ...args: unknown[]) {
            const self = this;
            if (depth > 0) return original.apply(self, args);
            return checkedCall(checker, params, args, label, () => {
              const isConstruct = !m.static && Construct.isConstruct(self);
              return {
                path: () => (isConstruct ? self.node.path : undefined),
                scope: () => (isConstruct ? self : undefined),
              };
            }, (a) => original.apply(self, a));
          },
        }[name],
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
    const init = t.initializer;
    const file = (t as any).locationInModule?.filename as string | undefined;
    const mod = file ? moduleOf(file) : undefined;
    if (!init?.parameters?.length || !mod || mod[t.name] !== cls) continue;
    const params = init.parameters;
    const proxy: any = new Proxy(cls, {
      construct(target, args, newTarget) {
        // A subclass passes its own props to super(): it is responsible for them.
        if (newTarget !== proxy) return Reflect.construct(target, args, newTarget);
        // The class itself as new.target, not the proxy: V8 builds the instance's map fast only from a real constructor.
        if (depth > 0) return Reflect.construct(target, args, target);
        let made: any;
        return checkedCall(checker, params, args, t.name, () => {
          const [scope, id] = args;
          const isChild = Construct.isConstruct(scope) && typeof id === 'string';
          return {
            path: () => (isChild ? [(scope as IConstruct).node.path, id].filter(Boolean).join('/') : undefined),
            scope: () => (Construct.isConstruct(made) ? made : undefined),
          };
        }, (a) => (made = Reflect.construct(target, a, target)));
      },
    });
    INSTALLED.add(proxy);
    mod[t.name] = proxy;
  }
}


/**
 * What the strict props need of a jsii assembly: its classes (constructor and
 * method parameters, and the file that defines each) and its structs (fields).
 * @internal
 */
export interface StrictTable {
  readonly types: { [fqn: string]: JsiiType & { readonly locationInModule?: { readonly filename: string } } };
}

/** The strict table of the assembly file, or undefined when there is none. @internal */
export function readStrictTable(assemblyFile: string): StrictTable | undefined {
  if (!fs.existsSync(assemblyFile)) return undefined;
  return strictTable(JSON.parse(fs.readFileSync(assemblyFile, 'utf8')));
}

/**
 * The part of a jsii assembly the strict props use: about an eighth of the
 * `.jsii` file, so that the bundle (scripts/bundle.js) can carry it and a
 * cold start does not parse the whole assembly.
 * @internal
 */
export function strictTable(assembly: { types: { [fqn: string]: any } }): StrictTable {
  const params = (ps: Parameter[] | undefined) => ps?.map((p) => ({
    name: p.name, type: p.type, ...(p.variadic ? { variadic: true } : {}), ...(p.optional ? { optional: true } : {}),
  }));
  const types: { [fqn: string]: any } = {};
  for (const [fqn, t] of Object.entries(assembly.types)) {
    if (t.kind === 'class') {
      types[fqn] = {
        kind: t.kind,
        name: t.name,
        locationInModule: t.locationInModule,
        initializer: t.initializer ? { parameters: params(t.initializer.parameters) } : undefined,
        methods: (t.methods ?? []).filter((m: Callable) => m.parameters?.length)
          .map((m: Callable) => ({ name: m.name, static: m.static, parameters: params(m.parameters) })),
      };
    } else if (t.kind === 'enum' || (t.kind === 'interface' && !t.datatype)) {
      // what a value of the type must be: an enum's value (from the exports), any object
      types[fqn] = { kind: t.kind, name: t.name };
    } else if (t.kind === 'interface' && t.datatype) {
      types[fqn] = {
        kind: t.kind,
        name: t.name,
        datatype: true,
        interfaces: t.interfaces,
        properties: (t.properties ?? []).map((p: any) => ({ name: p.name, type: p.type, optional: p.optional })),
      };
    }
  }
  return { types };
}
