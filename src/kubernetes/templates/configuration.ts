import { ChartSpec, COMPONENT_SERVER, Expr, standardLabels } from '../chart-spec';
import * as k8s from '../k8s-model';
import { NAME_SUFFIX } from '../names';
import { HelmTemplate, wrapKeys } from '../template';

/**
 * templates/serviceaccount.yaml: the ServiceAccount the application's
 * pods run as, without API token automount by default.
 * @internal
 */
export function serviceAccountTemplate(spec: ChartSpec): string {
  const t = new HelmTemplate();
  const manifest = k8s.manifest('v1/ServiceAccount', {
    metadata: { name: Expr.objectName(t, NAME_SUFFIX.main), labels: standardLabels(t, spec, COMPONENT_SERVER) },
    automountServiceAccountToken: spec.serviceAccount.automountToken,
  });
  manifest.metadata.annotations = t.block(mapEntries());
  wrapKeys(manifest.metadata, ['annotations'], t.wrap('{{- with .Values.serviceAccount.annotations }}', '{{- end }}'));
  return t.render(manifest);
}

/**
 * templates/configmap.yaml: the files mounted into the application's
 * containers, from `configMap.data`.
 * @internal
 */
export function configMapTemplate(spec: ChartSpec): string {
  const t = new HelmTemplate();
  const manifest = k8s.manifest('v1/ConfigMap', {
    metadata: { name: Expr.objectName(t, NAME_SUFFIX.config), labels: standardLabels(t, spec, COMPONENT_SERVER) },
  });
  manifest.data = t.block(mapEntries());
  wrapKeys(manifest, ['data'], t.wrap('{{- with .Values.configMap.data }}', '{{- end }}'));
  return t.render(manifest);
}

/** Lines printing the map in `.` as YAML entries (keys sorted, values quoted). */
function mapEntries(): string[] {
  return [
    '{{- range $key, $value := . }}',
    '{{ printf "%q" $key }}: {{ printf "%v" $value | printf "%q" }}',
    '{{- end }}',
  ];
}
