import { toYaml } from '../core/yaml';

/**
 * Builds one Helm template file from a plain object (typically a Kubernetes
 * manifest) in which some places are template expressions.
 *
 * The object is built with unique placeholder tokens where template text
 * goes, serialized deterministically to YAML, and then every token is
 * replaced by its raw template text:
 *
 * - {@link expr}: a token standing for a scalar (or part of a string) that
 *   becomes an action such as `{{ .Values.replicas }}`;
 * - {@link wrap}: a mapping key whose entries are lifted into the parent and
 *   enclosed in directives such as `{{- if .Values.x }}` … `{{- end }}`;
 * - {@link block}: a mapping value or sequence item replaced by lines of
 *   template text (a `range` loop, for instance).
 *
 * Any `{{` that is in the serialized content itself (user strings, Argo
 * Rollouts arguments) is escaped as ``{{`{{`}}`` before the tokens are
 * replaced, so only the actions slipway writes are evaluated.
 *
 * Templates use only the core Go text/template language: no sprig or Helm
 * functions, so any text/template engine renders them as Helm does.
 * @internal
 */
export class HelmTemplate {
  private counter = 0;
  private readonly exprs = new Map<string, string>();
  private readonly wraps = new Map<string, { open: string; close: string }>();
  private readonly blocks = new Map<string, string[]>();

  /**
   * A token for template text that stands where a scalar (or part of a
   * string of safe characters) goes. Typed `any` so it fits typed API
   * fields of any type (numbers, quantities).
   */
  public expr(text: string): any {
    const token = this.token('E');
    this.exprs.set(token, text);
    return token;
  }

  /**
   * A token to use as a mapping key: the entries of its value (a mapping)
   * are lifted into the parent mapping and enclosed between `open` and
   * `close` lines (each may be empty).
   */
  public wrap(open: string, close: string): string {
    const token = this.token('W');
    this.wraps.set(token, { open, close });
    return token;
  }

  /** `wrap` with `{{- if condition }}` … `{{- end }}`. */
  public when(condition: string): string {
    return this.wrap(`{{- if ${condition} }}`, '{{- end }}');
  }

  /**
   * A token for a mapping value or a sequence item that is replaced by the
   * given lines of template text, indented to where the token stood.
   */
  public block(lines: string[]): any {
    const token = this.token('B');
    this.blocks.set(token, lines);
    return token;
  }

  /** Serializes `value` and replaces every token by its template text. */
  public render(value: unknown): string {
    let lines = escapeTemplateText(toYaml(value, { yaml11: true })).replace(/\n$/, '').split('\n');
    lines = this.expandWraps(lines);
    lines = this.expandBlocks(lines);
    let text = lines.join('\n') + '\n';
    for (const [token, expr] of this.exprs) text = text.split(token).join(expr);
    const left = /__SLIPWAY_[EWB][0-9]+__/.exec(text);
    if (left) throw new Error(`internal error: template token ${left[0]} was not replaced (was it placed where YAML quotes it?)`);
    return text;
  }

  private token(kind: string): string {
    this.counter++;
    return `__SLIPWAY_${kind}${String(this.counter).padStart(4, '0')}__`;
  }

  private expandWraps(input: string[]): string[] {
    let lines = input;
    for (;;) {
      const at = lines.findIndex((l) => /^\s*__SLIPWAY_W[0-9]+__:(\s*\{\})?\s*$/.test(l));
      if (at < 0) return lines;
      const indent = indentOf(lines[at]);
      // an empty mapping serializes inline (`token: {}`): its wrap encloses nothing
      const token = lines[at].trim().replace(/:(\s*\{\})?$/, '');
      const { open, close } = this.wraps.get(token)!;
      let end = at + 1;
      while (end < lines.length && (lines[end].trim() === '' || indentOf(lines[end]) > indent)) end++;
      const body = lines.slice(at + 1, end).map((l) => l.slice(Math.min(2, indentOf(l))));
      const pad = ' '.repeat(indent);
      lines = [
        ...lines.slice(0, at),
        ...(open ? [pad + open] : []),
        ...body,
        ...(close ? [pad + close] : []),
        ...lines.slice(end),
      ];
    }
  }

  private expandBlocks(lines: string[]): string[] {
    const out: string[] = [];
    for (const line of lines) {
      const m = /^(\s*)(- |(?:[^\s].*): )(__SLIPWAY_B[0-9]+__)$/.exec(line);
      if (!m) {
        out.push(line);
        continue;
      }
      const [, pad, lead, token] = m;
      const body = this.blocks.get(token)!;
      if (lead === '- ') {
        out.push(...body.map((l) => pad + l));
      } else {
        out.push(pad + lead.slice(0, -1));
        out.push(...body.map((l) => pad + '  ' + l));
      }
    }
    return out;
  }
}

/**
 * Replaces the entries `keys` of a plain object (a rendered manifest) by
 * one wrap token holding them, at the position of the first one, so that
 * they are enclosed in the token's directives. Keys that are absent are
 * skipped; nothing happens when none is present.
 * @internal
 */
export function wrapKeys(obj: { [key: string]: any }, keys: string[], token: string): void {
  const entries = Object.entries(obj);
  const inner: { [key: string]: any } = {};
  for (const [k, v] of entries) if (keys.includes(k)) inner[k] = v;
  if (Object.keys(inner).length === 0) return;
  for (const k of Object.keys(obj)) delete obj[k];
  // A wrap token must not be the first key of a mapping: as the first key of
  // a sequence item it would follow "- " and the wrap could not be expanded.
  // Then it goes right after the first plain key.
  const leading = keys.includes(entries[0][0]) && entries.some(([k]) => !keys.includes(k));
  let placed = false;
  for (const [k, v] of entries) {
    if (!keys.includes(k)) {
      obj[k] = v;
      if (leading && !placed) {
        obj[token] = inner;
        placed = true;
      }
    } else if (!placed && !leading) {
      obj[token] = inner;
      placed = true;
    }
  }
}

/**
 * Inserts `key: value` into a plain object right after `after` (or first
 * when `after` is undefined or absent).
 * @internal
 */
export function insertAfter(obj: { [key: string]: any }, after: string | undefined, key: string, value: unknown): void {
  const entries = Object.entries(obj);
  for (const k of Object.keys(obj)) delete obj[k];
  const at = after === undefined ? -1 : entries.findIndex(([k]) => k === after);
  const out = [...entries.slice(0, at + 1), [key, value] as [string, unknown], ...entries.slice(at + 1)];
  for (const [k, v] of out) obj[k] = v;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * Escapes literal `{{` in content so that text/template prints it instead
 * of starting an action: `{{args.service}}` becomes
 * ``{{`{{`}}args.service}}``, which renders back to `{{args.service}}`.
 * @internal
 */
export function escapeTemplateText(text: string): string {
  return text.replace(/\{\{/g, '{{`{{`}}');
}

/**
 * The actions (`{{ ... }}`) of a template, with their string literals
 * (quoted or raw) blanked so that their content is not taken for code.
 * @internal
 */
export function templateActions(template: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    const start = template.indexOf('{{', i);
    if (start < 0) return out;
    let j = start + 2;
    let code = '';
    while (j < template.length && !template.startsWith('}}', j)) {
      const c = template[j];
      if (c === '"' || c === '`') {
        const quote = c;
        j++;
        while (j < template.length && template[j] !== quote) j += template[j] === '\\' && quote === '"' ? 2 : 1;
        j++;
        code += '""';
        continue;
      }
      code += c;
      j++;
    }
    out.push(code.replace(/^-\s*/, '').replace(/\s*-$/, '').trim());
    i = j + 2;
  }
}

/** The functions and keywords of Go's text/template (no sprig, no Helm functions). */
const CORE_IDENTIFIERS = new Set([
  'if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue',
  'and', 'or', 'not', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'len', 'index', 'slice', 'print', 'printf', 'println',
  'html', 'js', 'urlquery', 'call', 'nil', 'true', 'false',
]);

/**
 * The problems of a template for slipway's rules: every function is a core
 * text/template one, and every `.Values` path it reads exists in `values`.
 * @internal
 */
export function checkTemplate(template: string, values: unknown): string[] {
  const problems: string[] = [];
  for (const action of templateActions(template)) {
    if (action.startsWith('/*')) continue;
    const words = action.replace(/\$?\.[A-Za-z0-9_.]*|\$[A-Za-z0-9_]*/g, ' ').match(/\b[A-Za-z_][A-Za-z0-9_]*\b/g) ?? [];
    for (const w of words) {
      if (!CORE_IDENTIFIERS.has(w)) problems.push(`uses "${w}" in {{ ${action} }}, which is not a core Go text/template function (sprig and Helm functions are not available)`);
    }
    for (const m of action.matchAll(/(?:^|[\s(])\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) {
      const path = m[1].slice(1).split('.');
      const missing = missingPath(values, path);
      if (missing) problems.push(`reads .Values.${path.join('.')}, but values.yaml has no "${missing}"`);
    }
  }
  return problems;
}

/** The first prefix of `path` that `values` lacks, or undefined. */
function missingPath(values: unknown, path: string[]): string | undefined {
  let node = values;
  for (let i = 0; i < path.length; i++) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !(path[i] in (node as object))) {
      return path.slice(0, i + 1).join('.');
    }
    node = (node as Record<string, unknown>)[path[i]];
  }
  return undefined;
}

/**
 * Encloses a whole template file in `{{- if condition }}` … `{{- end }}`.
 * @internal
 */
export function gateDocument(text: string, condition: string | undefined): string {
  if (!condition) return text;
  return `{{- if ${condition} }}\n${text}{{- end }}\n`;
}
