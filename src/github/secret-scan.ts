import { NotASecret, secretLiteralIn, secretShapeIn, WORKFLOW_SECRET_FIX } from '../core/secret-literal';

type Doc = { [key: string]: unknown };

/**
 * Finds secret values written as literals in a rendered workflow or composite
 * action document, overrides included: the `env` of the workflow, jobs,
 * containers, service containers and steps, container credentials, action
 * `with:` inputs and reusable-workflow `with:`/`secrets:` (by name and by
 * value shape), and `run:` scripts (by value shape only). Each problem names
 * the job, the step and the field, and never shows the value.
 * @internal
 */
export function secretLiteralProblems(doc: Doc, report: (jobId: string | undefined, message: string) => void): void {
  const checkMapIn = (jobId: string | undefined) => (where: string, map: unknown) => {
    if (map === null || typeof map !== 'object' || Array.isArray(map)) return;
    for (const [k, v] of Object.entries(map as Doc)) {
      if (typeof v !== 'string') continue;
      const why = secretLiteralIn(k, v);
      if (why) report(jobId, `${where}.${k} is a secret written as a literal: ${why}; secrets must not appear in workflow files: ${WORKFLOW_SECRET_FIX}`);
    }
  };

  checkMapIn(undefined)('env', doc.env);
  const jobs = (doc.jobs ?? {}) as Doc;
  for (const [jobId, j] of Object.entries(jobs)) {
    if (j === null || typeof j !== 'object') continue;
    const job = j as Doc;
    const jobMap = checkMapIn(jobId);
    jobMap('env', job.env);
    jobMap('with', job.with);
    // everything a reusable workflow receives as `secrets:` is a secret: a literal there is one whatever its name
    if (job.secrets !== null && typeof job.secrets === 'object') {
      for (const [k, v] of Object.entries(job.secrets as Doc)) {
        if (typeof v === 'string' && !v.includes('${{') && !NotASecret.isDeclared(v)) {
          report(jobId, `secrets.${k} passes a literal (${v.length} character${v.length === 1 ? '' : 's'}) as a secret of the called workflow; secrets must not appear in workflow files: ${WORKFLOW_SECRET_FIX}`);
        }
      }
    }
    if (job.container && typeof job.container === 'object') {
      jobMap('container.env', (job.container as Doc).env);
      jobMap('container.credentials', (job.container as Doc).credentials);
    }
    for (const [name, s] of Object.entries((job.services ?? {}) as Doc)) {
      if (s === null || typeof s !== 'object') continue;
      jobMap(`services.${name}.env`, (s as Doc).env);
      jobMap(`services.${name}.credentials`, (s as Doc).credentials);
    }
    if (!Array.isArray(job.steps)) continue;
    job.steps.forEach((st: unknown, i: number) => {
      if (st === null || typeof st !== 'object') return;
      const step = st as Doc;
      // (a name that holds a secret is not shown: the output check reports it)
      const label = typeof step.id === 'string' ? `step "${step.id}"`
        : typeof step.name === 'string' && secretShapeIn(step.name) === undefined ? `step ${i + 1} ("${step.name}")` : `step ${i + 1}`;
      jobMap(`${label} env`, step.env);
      jobMap(`${label} with`, step.with);
      if (typeof step.run === 'string') {
        const shape = secretShapeIn(step.run);
        if (shape) report(jobId, `${label} run: the script holds a secret written as a literal: it looks like ${shape}; pass it through env: { NAME: "\${{ secrets.NAME }}" } and use "$NAME" in the script; if the text is not a secret, wrap the script in NotASecret.value('...')`);
      }
    });
  }
}
