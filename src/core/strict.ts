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

interface Parameter {
  readonly name: string;
  readonly type: TypeRef;
  readonly variadic?: boolean;
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
  private readonly fields = new Map<string, Map<string, Field> | undefined>();
  constructor(private readonly types: { [fqn: string]: JsiiType }) {}

  /** Each problem of `value` as a `type`; `where` names it (`Environment props`). */
  public check(type: TypeRef, value: unknown, where: string, out: string[]): void {
    if (value === null || value === undefined || typeof value !== 'object') return;
    if (type.collection) {
      if (type.collection.kind === 'array' && Array.isArray(value)) {
        value.forEach((v, i) => this.check(type.collection!.elementtype, v, `${where}[${i}]`, out));
      } else if (type.collection.kind === 'map' && isPlain(value)) {
        for (const [k, v] of Object.entries(value)) this.check(type.collection.elementtype, v, `${where}.${k}`, out);
      }
      return;
    }
    if (!type.fqn || !isPlain(value)) return;
    const fields = this.structFields(type.fqn);
    if (!fields) return;
    for (const [key, field] of fields) {
      if (!field.optional && value[key] === undefined) out.push(`${where}: missing required prop "${key}"`);
    }
    for (const [key, v] of Object.entries(value)) {
      const field = fields.get(key);
      if (field) {
        this.check(field.type, v, `${where}.${key}`, out);
        continue;
      }
      const near = closest(key, fields.keys());
      out.push(`${where}: unknown prop "${key}"; ${near ? `did you mean "${near}"?` : `props: ${[...fields.keys()].sort().join(', ')}`}`);
    }
  }

  /** The fields of a struct, inherited ones included; undefined for a type that is not a struct. */
  private structFields(fqn: string): Map<string, Field> | undefined {
    if (this.fields.has(fqn)) return this.fields.get(fqn);
    const t = this.types[fqn];
    let fields: Map<string, Field> | undefined;
    if (t?.kind === 'interface' && t.datatype) {
      fields = new Map();
      for (const parent of t.interfaces ?? []) for (const [k, v] of this.structFields(parent) ?? []) fields.set(k, v);
      for (const p of t.properties ?? []) fields.set(p.name, { type: p.type, optional: p.optional === true });
    }
    this.fields.set(fqn, fields);
    return fields;
  }

  /** The problems of the arguments of a call: unknown keys, and those carried by the value objects given. */
  public checkArgs(params: Parameter[], args: unknown[], label: string): { own: string[]; carried: object[] } {
    const own: string[] = [];
    params.forEach((p, i) => {
      const values = p.variadic ? args.slice(i) : [args[i]];
      for (const v of values) this.check(p.type, v, `${label} ${p.name}`, own);
    });
    const carried = new Set<object>();
    for (const a of args) collectCarried(a, carried, 0);
    return { own, carried: [...carried] };
  }
}

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

/** Reports problems on a construct: as validations, listed by synthesis with its path. */
function report(scope: IConstruct, problems: string[]): void {
  if (problems.length === 0) return;
  scope.node.addValidation({ validate: () => problems });
}

/**
 * A call checked as described above. `call` runs the original; `scope` is the
 * construct the call belongs to (the new construct's parent and id, or the
 * construct whose method it is), if any.
 */
function checkedCall<T>(checker: Checker, params: Parameter[], args: unknown[], label: string,
  at: { readonly path?: () => string | undefined; readonly scope?: () => IConstruct | undefined }, call: () => T): T {
  if (depth > 0) return call();
  const { own, carried } = checker.checkArgs(params, args, label);
  if (own.length === 0 && carried.length === 0) return trusted(call);
  let result: T;
  // the construct path is computed only when there is a problem to report (it walks the tree)
  const path = at.path?.();
  const withPath = (ps: string[]) => (path !== undefined ? ps.map((p) => (p.startsWith('[') || !path ? p : `[${path}] ${p}`)) : ps);
  const received = carried.flatMap((v) => (v as any)[CARRIED] as string[]);
  try {
    result = trusted(call);
  } catch (e) {
    // A TypeError after an unknown key is the typo's consequence (a required prop read as undefined): the typo is the message.
    const consequence = e instanceof TypeError && own.length > 0 ? [] : problemsOfError(e);
    throw new SlipwayError([...new Set(withPath([...own, ...received, ...consequence]))]);
  }
  const scope = at.scope?.();
  if (scope) report(scope, [...new Set([...own, ...received])]);
  else if (!carry(result, [...own, ...received])) throw new SlipwayError(withPath([...own, ...received]));
  // The problems travel on: reported by the construct, or carried by the result.
  for (const v of carried) if (v !== (result as unknown)) pending.delete(v);
  return result;
}

const INSTALLED = new WeakSet<object>();

/**
 * Wraps the public constructors and methods of the classes in `exports`
 * (a module namespace, by class name), described by the assembly at
 * `assemblyFile`. Each class is replaced in the module `moduleOf(file)`
 * that defines it, so that every importer sees the checked class.
 * Does nothing when the assembly is missing.
 */
export function installStrictProps(assemblyFile: string, exports: { [name: string]: any },
  moduleOf: (sourceFile: string) => { [name: string]: any } | undefined): void {
  if (!fs.existsSync(assemblyFile)) return;
  const assembly = JSON.parse(fs.readFileSync(assemblyFile, 'utf8')) as { types: { [fqn: string]: JsiiType & { locationInModule?: { filename: string } } } };
  const checker = new Checker(assembly.types);
  for (const t of Object.values(assembly.types)) {
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
            const isConstruct = !m.static && Construct.isConstruct(self);
            return checkedCall(checker, params, args, label, {
              path: isConstruct ? () => self.node.path : undefined,
              scope: isConstruct ? () => self : undefined,
            }, () => original.apply(self, args));
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
        const [scope, id] = args;
        const isChild = Construct.isConstruct(scope) && typeof id === 'string';
        let made: any;
        return checkedCall(checker, params, args, t.name, {
          path: isChild ? () => [scope.node.path, id].filter(Boolean).join('/') : undefined,
          scope: () => (Construct.isConstruct(made) ? made : undefined),
        }, () => (made = Reflect.construct(target, args, newTarget)));
      },
    });
    INSTALLED.add(proxy);
    mod[t.name] = proxy;
  }
}

