import { MigrationPhase } from '../../core/application';
import { ChartSpec, COMPONENT_MIGRATION, Expr, LABEL, standardLabels } from '../chart-spec';
import * as k8s from '../k8s-model';
import { NAME_SUFFIX } from '../names';
import { migrationPodTemplate } from '../pod';
import { gateDocument, HelmTemplate } from '../template';

/** Helm hook annotations. @internal */
export const HOOK_ANNOTATION = {
  hook: 'helm.sh/hook',
  weight: 'helm.sh/hook-weight',
  deletePolicy: 'helm.sh/hook-delete-policy',
};

/** Hook weight of each phase that can be a hook: expand runs before migrate. @internal */
export const HOOK_WEIGHT: { [phase: string]: string } = {
  [MigrationPhase.EXPAND]: '-10',
  [MigrationPhase.MIGRATE]: '-5',
};

/**
 * templates/migration-<phase>-job.yaml: the Job of one migration phase.
 *
 * As a hook (expand, migrate in `MigrationMode.HOOK`), it is a
 * `pre-install,pre-upgrade` hook rendered when `migration.enabled`; Helm
 * runs it before touching the workloads and fails the upgrade when it
 * fails. Otherwise (contract; every phase in `MigrationMode.JOB`) it is
 * rendered only when `migration.run` names its phase, which only the
 * pipeline's `helm template --show-only` does: an ordinary
 * `helm upgrade` never includes it.
 * @internal
 */
export function migrationJobTemplate(spec: ChartSpec, phase: MigrationPhase, hook: boolean): string {
  const migration = spec.migration!;
  const command = spec.app.migration!.commandFor(phase)!;
  const t = new HelmTemplate();
  const labels = standardLabels(t, spec, COMPONENT_MIGRATION);
  const manifest = k8s.manifest('batch/v1/Job', {
    metadata: {
      name: Expr.objectName(t, NAME_SUFFIX.migration(phase)),
      labels,
      annotations: hook ? {
        [HOOK_ANNOTATION.hook]: 'pre-install,pre-upgrade',
        [HOOK_ANNOTATION.weight]: HOOK_WEIGHT[phase],
        [HOOK_ANNOTATION.deletePolicy]: 'before-hook-creation,hook-succeeded',
      } : undefined,
    },
    spec: {
      backoffLimit: migration.retries,
      activeDeadlineSeconds: migration.timeout.toSeconds(),
      ttlSecondsAfterFinished: migration.ttl.toSeconds(),
      template: {},
    },
  });
  manifest.spec.template = migrationPodTemplate(t, spec, command, {
    [LABEL.name]: labels[LABEL.name],
    [LABEL.instance]: labels[LABEL.instance],
    [LABEL.version]: labels[LABEL.version],
    [LABEL.component]: COMPONENT_MIGRATION,
  });
  return gateDocument(t.render(manifest), hook ? '.Values.migration.enabled' : `eq .Values.migration.run "${phase}"`);
}
