import { RunStepOptions, Step } from './step';

/**
 * A step that runs the repository script at `scriptPath` with bash and
 * `args`. Arguments are plain words or a quoted `"$VAR"`: values go through
 * `env`, never into the command line as text.
 *
 * The script replaces the step's shell (`exec`). On cancel or timeout the
 * runner signals that shell's pid only (SIGINT, SIGTERM 7.5 s later, SIGKILL
 * 2.5 s after that); a shell that forked the script would wait on it without
 * passing the signals on, die of the SIGTERM, and leave the script running,
 * orphaned, while the rollback steps run. Replaced, the script's own traps
 * receive the signals and stop what it started. The step names its shell,
 * bash, so that `exec` is a bash word on every runner (a Windows runner's
 * default shell is pwsh).
 * @internal
 */
export function scriptStep(scriptPath: string, args: Array<string | number>, options: RunStepOptions): Step {
  const words = args.map((a) => {
    const s = String(a);
    if (!/^([A-Za-z0-9_./:=-]+|"\$[A-Z_]+")$/.test(s)) throw new Error(`script argument "${s}" is not a plain word; pass it through env`);
    return s;
  });
  return Step.run([`exec bash ${scriptPath}`, ...words].join(' '), { ...options, shell: 'bash' });
}
