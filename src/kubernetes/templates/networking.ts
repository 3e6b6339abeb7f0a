import { ChartSpec, COMPONENT_SERVER, Expr, selectorLabels, standardLabels, LABEL } from '../chart-spec';
import * as k8s from '../k8s-model';
import { HelmRolloutStrategy } from '../kubernetes-environment';
import { NAME_SUFFIX } from '../names';
import { HTTP_PORT_NAME } from '../pod';
import { gateDocument, HelmTemplate, insertAfter, wrapKeys } from '../template';
import { nginxCanaryActive, TRACK_CANARY, TRACK_STABLE } from './workloads';

/** The NGINX ingress annotations of a canary Ingress. @internal */
export const NGINX_CANARY_ANNOTATION = 'nginx.ingress.kubernetes.io/canary';
/** @internal */
export const NGINX_CANARY_WEIGHT_ANNOTATION = 'nginx.ingress.kubernetes.io/canary-weight';

/**
 * templates/service.yaml: the Service of the stable pods (the Argo
 * Rollouts stable / active Service).
 * @internal
 */
export function serviceTemplate(spec: ChartSpec): string {
  const t = new HelmTemplate();
  return t.render(service(t, spec, NAME_SUFFIX.main, selectorLabels(t, spec, TRACK_STABLE)));
}

/**
 * templates/canary-service.yaml: the Service of the canary pods, for an
 * NGINX canary (pods of the canary Deployment) or an Argo Rollouts canary
 * (Argo points it at the canary ReplicaSet).
 * @internal
 */
export function canaryServiceTemplate(spec: ChartSpec): string {
  const t = new HelmTemplate();
  const nginx = spec.strategies.includes(HelmRolloutStrategy.NGINX_CANARY);
  const argo = spec.strategies.includes(HelmRolloutStrategy.ARGO_CANARY);
  const selector = selectorLabels(t, spec, TRACK_STABLE);
  if (nginx) {
    selector[LABEL.track] = argo
      ? t.expr(`{{ if ${Expr.strategyIs(HelmRolloutStrategy.NGINX_CANARY)} }}${TRACK_CANARY}{{ else }}${TRACK_STABLE}{{ end }}`)
      : TRACK_CANARY;
  }
  const conditions = [
    ...(nginx ? [`(${nginxCanaryActive()})`] : []),
    ...(argo ? [`(${Expr.strategyIs(HelmRolloutStrategy.ARGO_CANARY)})`] : []),
  ];
  const condition = conditions.length === 1 ? conditions[0].slice(1, -1) : `or ${conditions.join(' ')}`;
  return gateDocument(t.render(service(t, spec, NAME_SUFFIX.canary, selector)), condition);
}

/**
 * templates/preview-service.yaml: the Argo Rollouts blue-green preview Service.
 * @internal
 */
export function previewServiceTemplate(spec: ChartSpec): string {
  const t = new HelmTemplate();
  const text = t.render(service(t, spec, NAME_SUFFIX.preview, selectorLabels(t, spec, TRACK_STABLE)));
  return gateDocument(text, Expr.strategyIs(HelmRolloutStrategy.ARGO_BLUE_GREEN));
}

function service(t: HelmTemplate, spec: ChartSpec, suffix: string, selector: { [key: string]: string }): { [key: string]: any } {
  return k8s.manifest('v1/Service', {
    metadata: { name: Expr.objectName(t, suffix), labels: standardLabels(t, spec, COMPONENT_SERVER) },
    spec: {
      type: Expr.str(t, '.Values.service.type'),
      selector,
      ports: [
        { name: HTTP_PORT_NAME, port: Expr.raw(t, '.Values.service.port'), targetPort: HTTP_PORT_NAME, protocol: 'TCP' },
        ...spec.extraPorts.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: 'TCP' })),
      ],
    },
  });
}

/**
 * templates/ingress.yaml: the Ingress of the stable Service (the NGINX
 * stable ingress of a canary), when `ingress.enabled`.
 * @internal
 */
export function ingressTemplate(spec: ChartSpec): string {
  const t = new HelmTemplate();
  const manifest = ingress(t, spec, NAME_SUFFIX.main, true);
  manifest.metadata.annotations = t.block([
    '{{- range $key, $value := . }}',
    '{{ printf "%q" $key }}: {{ printf "%v" $value | printf "%q" }}',
    '{{- end }}',
  ]);
  wrapKeys(manifest.metadata, ['annotations'], t.wrap('{{- with .Values.ingress.annotations }}', '{{- end }}'));
  return gateDocument(t.render(manifest), '.Values.ingress.enabled');
}

/**
 * templates/canary-ingress.yaml: the NGINX canary Ingress: same host and
 * path, weighted by `canary.weight` (a quoted string annotation).
 * @see https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#canary
 * @internal
 */
export function canaryIngressTemplate(spec: ChartSpec): string {
  const t = new HelmTemplate();
  const manifest = ingress(t, spec, NAME_SUFFIX.canary, false);
  insertAfter(manifest.metadata, 'name', 'annotations', {
    [NGINX_CANARY_ANNOTATION]: 'true',
    [NGINX_CANARY_WEIGHT_ANNOTATION]: Expr.asString(t, '.Values.canary.weight'),
  });
  return gateDocument(t.render(manifest), `and (${nginxCanaryActive()}) .Values.ingress.enabled`);
}

function ingress(t: HelmTemplate, spec: ChartSpec, suffix: string, tls: boolean): { [key: string]: any } {
  const manifest = k8s.manifest('networking.k8s.io/v1/Ingress', {
    metadata: { name: Expr.objectName(t, suffix), labels: standardLabels(t, spec, COMPONENT_SERVER) },
    spec: {
      ingressClassName: Expr.str(t, '.Values.ingress.className'),
      tls: tls ? [{ hosts: [Expr.str(t, '.Values.ingress.host')], secretName: Expr.str(t, '.Values.ingress.tls.secretName') }] : undefined,
      rules: [{
        host: Expr.str(t, '.Values.ingress.host'),
        http: {
          paths: [{
            path: Expr.str(t, '.Values.ingress.path'),
            pathType: 'Prefix',
            backend: { service: { name: Expr.objectName(t, suffix), port: { name: HTTP_PORT_NAME } } },
          }],
        },
      }],
    },
  });
  if (tls) wrapKeys(manifest.spec, ['tls'], t.when('.Values.ingress.tls.enabled'));
  return manifest;
}
