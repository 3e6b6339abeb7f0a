import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

/** The examples folder. */
export const EXAMPLES = path.resolve(__dirname, '../../examples');

/** Every file an example's manifest lists, path → content. */
export function exampleOutput(name: string): { [path: string]: string } {
  const dir = path.join(EXAMPLES, name);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, '.slipway/manifest.json'), 'utf8'));
  const files: { [path: string]: string } = {};
  for (const f of Object.keys(manifest.files)) files[f] = fs.readFileSync(path.join(dir, f), 'utf8');
  return files;
}

/** A YAML file of an example's output, parsed. */
export function exampleYaml(name: string, file: string): any {
  const files = exampleOutput(name);
  if (!(file in files)) throw new Error(`examples/${name} generates no ${file}; files: ${Object.keys(files).join(', ')}`);
  return YAML.parse(files[file]);
}

/** The step of a job whose name matches. */
export function step(job: any, name: RegExp): any {
  const s = (job.steps ?? []).find((x: any) => name.test(x.name ?? ''));
  if (!s) throw new Error(`no step matching ${name}; steps: ${(job.steps ?? []).map((x: any) => x.name).join(' | ')}`);
  return s;
}

/** Index of the first step whose name matches, or -1. */
export function stepIndex(job: any, name: RegExp): number {
  return (job.steps ?? []).findIndex((x: any) => name.test(x.name ?? ''));
}
