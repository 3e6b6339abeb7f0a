import { ChartSpec, Expr } from '../chart-spec';
import { HelmRolloutStrategy } from '../kubernetes-environment';
import { escapeTemplateText } from '../template';
import { argoStrategies } from './workloads';

/**
 * templates/NOTES.txt: what `helm install` / `helm upgrade` prints: where
 * the release runs, how to watch its rollout and, for a canary, how to step
 * and promote it.
 * @internal
 */
export function notesTemplate(spec: ChartSpec): string {
  const argo = argoStrategies(spec);
  const lines = [
    `${escapeTemplateText(spec.app.description)}`,
    '',
    'Release {{ .Release.Name }} of chart {{ .Chart.Name }} {{ .Chart.Version }} (app version {{ .Chart.AppVersion }})',
    'is deployed to namespace {{ .Release.Namespace }} with rollout strategy "{{ .Values.rollout.strategy }}".',
  ];
  if (spec.ingress) {
    lines.push(
      '{{- if .Values.ingress.enabled }}',
      '',
      'URL: http{{ if .Values.ingress.tls.enabled }}s{{ end }}://{{ .Values.ingress.host }}{{ .Values.ingress.path }}',
      '{{- end }}',
    );
  }
  lines.push('', 'Watch the rollout:');
  const deploymentStatus = '  kubectl rollout status deployment/{{ .Release.Name }} --namespace {{ .Release.Namespace }}';
  if (argo.length) {
    lines.push(
      `{{- if ${Expr.strategyIs(...argo)} }}`,
      '  kubectl argo rollouts status {{ .Release.Name }} --namespace {{ .Release.Namespace }}',
      '  kubectl argo rollouts promote {{ .Release.Name }} --namespace {{ .Release.Namespace }}   # continue past a pause',
      '  kubectl argo rollouts abort {{ .Release.Name }} --namespace {{ .Release.Namespace }}     # go back to the stable release',
      '{{- else }}',
      deploymentStatus,
      '{{- end }}',
    );
  } else {
    lines.push(deploymentStatus);
  }
  if (spec.strategies.includes(HelmRolloutStrategy.NGINX_CANARY)) {
    lines.push(
      `{{- if ${Expr.strategyIs(HelmRolloutStrategy.NGINX_CANARY)} }}`,
      '',
      '{{- if .Values.canary.enabled }}',
      'Canary {{ .Release.Name }}-canary receives {{ .Values.canary.weight }}% of the traffic.',
      'Step it with:  helm upgrade {{ .Release.Name }} <chart> --reuse-values --set canary.weight=<percent>',
      'Promote it: step to canary.weight=100, then clear stable.image.tag and stable.image.digest (the stable',
      'Deployment rolls to the new release), then set canary.enabled=false.',
      '{{- else }}',
      'No canary is running. Start one with --set canary.enabled=true --set canary.weight=10 and the new image,',
      'keeping the running one with --set stable.image.tag=<current tag> (and stable.image.digest).',
      '{{- end }}',
      '{{- end }}',
    );
  }
  return lines.join('\n') + '\n';
}
