/**
 * Validation worker of the test harness (see ./README.md and ./harness.ts): a thin wrapper
 * around the validator engine in src/cli/validators, which `slipway validate` runs as well.
 *
 * Runs as a child process under tsx, because several validators are ES modules that jest
 * (CommonJS) cannot load.
 *
 * stdin:  {"files": {"<path relative to the output root>": "<content>", ...}}
 * stdout: the report, {"findings": [{file, validator, message}], "checked": {file: [validator]}},
 *         as the last line, after REPORT_MARKER (stray output of a wasm runtime cannot corrupt it).
 * exit:   0 when a report was written (with or without findings), non-zero on a harness failure.
 */
import { readFileSync } from 'node:fs';
// tsx resolves the TypeScript source; the engine is CommonJS, hence the default import.
import engine from '../../src/cli/validators/index.js';

export const REPORT_MARKER = '@@slipway-harness-report@@';

async function main(): Promise<void> {
  const input = JSON.parse(readFileSync(0, 'utf8')) as { files?: unknown };
  if (typeof input.files !== 'object' || input.files === null) throw new Error('expected {"files": {path: content}} on stdin');
  const files = new Map<string, string>();
  for (const [path, content] of Object.entries(input.files as Record<string, unknown>)) {
    if (typeof content !== 'string') throw new Error(`content of ${path} is not a string`);
    files.set(path, content);
  }
  const report = await engine.validateFiles(files);
  process.stdout.write(`\n${REPORT_MARKER}${JSON.stringify(report)}\n`, () => process.exit(0));
}

main().catch((err: unknown) => {
  process.stderr.write(`validate-worker: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(2);
});
