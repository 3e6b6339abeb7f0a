import { RunStepOptions, Step } from './step';

/**
 * A step that runs the repository script at `scriptPath` with bash and
 * `args`. Arguments are plain words or a quoted `"$VAR"`: values go through
 * `env`, never into the command line as text.
 * @internal
 */
export function scriptStep(scriptPath: string, args: Array<string | number>, options: RunStepOptions): Step {
  const words = args.map((a) => {
    const s = String(a);
    if (!/^([A-Za-z0-9_./:=-]+|"\$[A-Z_]+")$/.test(s)) throw new Error(`script argument "${s}" is not a plain word; pass it through env`);
    return s;
  });
  return Step.run([`bash ${scriptPath}`, ...words].join(' '), options);
}
