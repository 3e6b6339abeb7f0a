import { ChartSpec, COMPONENT_SERVER, Expr, LABEL, standardLabels } from '../chart-spec';
import * as k8s from '../k8s-model';
import { NAME_SUFFIX } from '../names';
import { gateDocument, HelmTemplate } from '../template';
import { argoStrategies } from './workloads';

/**
 * templates/hpa.yaml: a CPU HorizontalPodAutoscaler of the stable
 * workload (the Deployment, or the Argo Rollout), when `autoscaling.enabled`.
 * @internal
 */
export function hpaTemplate(spec: ChartSpec): string {
  const t = new HelmTemplate();
  const argo = argoStrategies(spec);
  const target = argo.length
    ? {
      apiVersion: t.expr(`{{ if ${Expr.strategyIs(...argo)} }}argoproj.io/v1alpha1{{ else }}apps/v1{{ end }}`),
      kind: t.expr(`{{ if ${Expr.strategyIs(...argo)} }}Rollout{{ else }}Deployment{{ end }}`),
    }
    : { apiVersion: 'apps/v1', kind: 'Deployment' };
  const manifest = k8s.manifest('autoscaling/v2/HorizontalPodAutoscaler', {
    metadata: { name: Expr.objectName(t, NAME_SUFFIX.main), labels: standardLabels(t, spec, COMPONENT_SERVER) },
    spec: {
      scaleTargetRef: { ...target, name: Expr.objectName(t, NAME_SUFFIX.main) },
      minReplicas: Expr.raw(t, '.Values.autoscaling.minReplicas'),
      maxReplicas: Expr.raw(t, '.Values.autoscaling.maxReplicas'),
      metrics: [{
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: Expr.raw(t, '.Values.autoscaling.targetCPUUtilizationPercentage') } },
      }],
    },
  });
  return gateDocument(t.render(manifest), '.Values.autoscaling.enabled');
}

/**
 * templates/pdb.yaml: a PodDisruptionBudget over the application's pods
 * (stable and canary; not migration Jobs), when `podDisruptionBudget.enabled`.
 * @internal
 */
export function pdbTemplate(spec: ChartSpec): string {
  const t = new HelmTemplate();
  const manifest = k8s.manifest('policy/v1/PodDisruptionBudget', {
    metadata: { name: Expr.objectName(t, NAME_SUFFIX.main), labels: standardLabels(t, spec, COMPONENT_SERVER) },
    spec: {
      maxUnavailable: Expr.raw(t, '.Values.podDisruptionBudget.maxUnavailable'),
      selector: {
        matchLabels: {
          [LABEL.name]: spec.app.name,
          [LABEL.instance]: Expr.objectName(t, NAME_SUFFIX.main),
          [LABEL.component]: COMPONENT_SERVER,
        },
      },
    },
  });
  return gateDocument(t.render(manifest), '.Values.podDisruptionBudget.enabled');
}
