import * as argo from '../argo-rollouts-model';
import { ChartSpec, COMPONENT_SERVER, Expr, standardLabels } from '../chart-spec';
import { NAME_SUFFIX } from '../names';
import { gateDocument, HelmTemplate } from '../template';
import { argoStrategies } from './workloads';

/**
 * templates/analysis-template.yaml: the Argo Rollouts AnalysisTemplate of
 * the canary steps / blue-green pre-promotion, a Prometheus query whose
 * fields come from `analysis.*`. Its arguments are `service` (the canary or
 * preview Service) and `namespace`; the query refers to them as
 * `{{args.service}}` and `{{args.namespace}}`, which Argo Rollouts fills
 * in. Values are not template-evaluated by Helm, so they stay literal; any
 * `{{` in the template text itself is escaped.
 * @internal
 */
export function analysisTemplateTemplate(spec: ChartSpec): string {
  const t = new HelmTemplate();
  const template: argo.AnalysisTemplate = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: Expr.objectName(t, NAME_SUFFIX.analysis), labels: standardLabels(t, spec, COMPONENT_SERVER) },
    spec: {
      args: [{ name: 'service' }, { name: 'namespace' }],
      metrics: [{
        name: Expr.str(t, '.Values.analysis.metricName'),
        interval: Expr.str(t, '.Values.analysis.interval'),
        count: Expr.raw(t, '.Values.analysis.count'),
        failureLimit: Expr.raw(t, '.Values.analysis.failureLimit'),
        successCondition: Expr.str(t, '.Values.analysis.successCondition'),
        provider: {
          prometheus: {
            address: Expr.str(t, '.Values.analysis.address'),
            query: Expr.str(t, '.Values.analysis.query'),
          },
        },
      }],
    },
  };
  return gateDocument(t.render(template), `and (${Expr.strategyIs(...argoStrategies(spec))}) .Values.analysis.enabled`);
}
