/**
 * Environment files and workflow commands of a step, as documented in "Workflow commands for
 * GitHub Actions" (https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/workflow-commands-for-github-actions).
 */

/**
 * Parses a `$GITHUB_ENV` / `$GITHUB_OUTPUT` file: `NAME=value` lines, and `NAME<<DELIMITER`
 * followed by value lines and a line that is exactly `DELIMITER` (the value is the lines in
 * between, joined by `\n`). Whichever of `=` and `<<` comes first in a line decides its form.
 * Empty lines are ignored. Throws like the runner on a malformed file, which fails the step.
 */
export function parseKeyValueFile(content: string, file: string): Array<[string, string]> {
  const lines = content.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const out: Array<[string, string]> = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
      const name = line.slice(0, eq);
      if (name === '') throw new Error(`Invalid format '${line}' in ${file}: the name is empty`);
      out.push([name, line.slice(eq + 1)]);
    } else if (heredoc >= 0) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (name === '') throw new Error(`Invalid format '${line}' in ${file}: the name is empty`);
      if (delimiter === '') throw new Error(`Invalid format '${line}' in ${file}: the delimiter is empty`);
      const value: string[] = [];
      let j = i + 1;
      while (j < lines.length && lines[j] !== delimiter) value.push(lines[j++]);
      if (j >= lines.length) throw new Error(`Matching delimiter not found '${delimiter}' in ${file}`);
      out.push([name, value.join('\n')]);
      i = j;
    } else {
      throw new Error(`Invalid format '${line}' in ${file}`);
    }
  }
  return out;
}

/** `$GITHUB_PATH`: one directory a line, empty lines ignored. */
export function parsePathFile(content: string): string[] {
  return content.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
}

/** An annotation written with `::error::`, `::warning::` or `::notice::`. */
export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  /** The `file=…,line=…` properties, if any. */
  properties: Record<string, string>;
  /** The display name of the step that wrote it. */
  step: string;
}

function unescapeData(s: string): string {
  return s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}
function unescapeProperty(s: string): string {
  return unescapeData(s).replace(/%3A/gi, ':').replace(/%2C/gi, ',');
}

/**
 * Processes the workflow commands in a step's output: `::add-mask::` (added to `masks`),
 * `::error::` / `::warning::` / `::notice::` (annotations), `::debug::` (removed from the
 * log), `::stop-commands::TOKEN` … `::TOKEN::`. Other lines and commands stay in the log as
 * they are. Returns the log without debug lines.
 */
export function processCommands(output: string, step: string, masks: Set<string>, annotations: Annotation[]): string {
  const kept: string[] = [];
  let stopToken: string | undefined;
  for (const line of output.split('\n')) {
    const m = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line.replace(/\r$/, ''));
    if (!m) { kept.push(line); continue; }
    const [, command, props, data] = m;
    if (stopToken !== undefined) {
      if (command === stopToken) stopToken = undefined;
      kept.push(line);
      continue;
    }
    const properties: Record<string, string> = {};
    for (const kv of (props ?? '').split(',')) {
      const k = kv.indexOf('=');
      if (k > 0) properties[kv.slice(0, k).trim()] = unescapeProperty(kv.slice(k + 1));
    }
    switch (command) {
      case 'add-mask': {
        const value = unescapeData(data);
        if (value.trim() !== '') masks.add(value);
        kept.push(line);
        break;
      }
      case 'error': case 'warning': case 'notice':
        annotations.push({ level: command, message: unescapeData(data), properties, step });
        kept.push(line);
        break;
      case 'debug':
        break;
      case 'stop-commands':
        stopToken = data;
        kept.push(line);
        break;
      default:
        kept.push(line);
    }
  }
  return kept.join('\n');
}

/** Replaces every masked value by `***`, longest first. */
export function mask(text: string, masks: Set<string>): string {
  let out = text;
  for (const m of [...masks].sort((a, b) => b.length - a.length)) out = out.split(m).join('***');
  return out;
}
