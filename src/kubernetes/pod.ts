import { ContainerPortOptions } from './chart-options';
import { ChartSpec, COMPONENT_SERVER, Expr, ImageSource, LABEL, selectorLabels } from './chart-spec';
import * as k8s from './k8s-model';
import { NAME_SUFFIX } from './names';
import { HelmTemplate, insertAfter, wrapKeys } from './template';
import { Application, HealthCheckKind } from '../core/application';

/** Name of the container port the application listens on. @internal */
export const HTTP_PORT_NAME = 'http';

/** Options of a pod template. @internal */
export interface PodTemplateOptions {
  /** `stable` or `canary`. */
  readonly track: string;
  /** Which image values the pods run. */
  readonly image: ImageSource;
}

/**
 * The pod template of the application's workloads (Deployment, NGINX
 * canary Deployment, Argo Rollout), as plain JSON with template tokens.
 * @internal
 */
export function appPodTemplate(t: HelmTemplate, spec: ChartSpec, options: PodTemplateOptions): { [key: string]: any } {
  const app = spec.app;
  const container: k8s.Container = {
    name: app.name,
    image: t.expr(Expr.imageRef(options.image)),
    imagePullPolicy: Expr.str(t, '.Values.image.pullPolicy'),
    command: app.command,
    args: app.args,
    ports: [
      { name: HTTP_PORT_NAME, containerPort: app.port, protocol: 'TCP' },
      ...spec.extraPorts.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })),
    ],
    env: secretEnv(spec),
    resources: resources(t),
    ...probes(spec),
    securityContext: containerSecurityContext(spec),
    volumeMounts: volumeMounts(spec),
  };
  const template: k8s.PodTemplateSpec = {
    metadata: {
      labels: {
        ...selectorLabels(t, spec, options.track),
        [LABEL.version]: t.expr(Expr.version(options.image)),
        [LABEL.component]: COMPONENT_SERVER,
      },
    },
    spec: {
      serviceAccountName: serviceAccountName(t, spec),
      automountServiceAccountToken: spec.serviceAccount.automountToken,
      securityContext: podSecurityContext(spec),
      containers: [container],
      volumes: volumes(t, spec),
    },
  };
  const json = k8s.toJson(template);
  podAnnotations(t, json.metadata);
  imagePullSecrets(t, json.spec);
  appendEnvValues(t, spec, json.spec.containers[0]);
  return json;
}

/**
 * The pod template of a migration Job: the application's image, env,
 * secrets, resources and security context, with the phase's command; it
 * depends on no object of the chart (it may run as a hook before them).
 * @internal
 */
export function migrationPodTemplate(t: HelmTemplate, spec: ChartSpec, command: string[], labels: { [key: string]: string }): { [key: string]: any } {
  const container: k8s.Container = {
    name: 'migrate',
    image: t.expr(Expr.imageRef(ImageSource.RELEASE)),
    imagePullPolicy: Expr.str(t, '.Values.image.pullPolicy'),
    command,
    env: secretEnv(spec),
    resources: resources(t),
    securityContext: containerSecurityContext(spec),
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
  const template: k8s.PodTemplateSpec = {
    metadata: { labels },
    spec: {
      restartPolicy: 'Never',
      // Only an existing service account: one the chart creates does not exist yet when a hook runs.
      serviceAccountName: spec.serviceAccount.create ? undefined : spec.serviceAccount.name,
      automountServiceAccountToken: spec.serviceAccount.automountToken,
      securityContext: podSecurityContext(spec),
      containers: [container],
      volumes: [{ name: 'tmp', emptyDir: {} }],
    },
  };
  const json = k8s.toJson(template);
  imagePullSecrets(t, json.spec);
  appendEnvValues(t, spec, json.spec.containers[0]);
  return json;
}

function serviceAccountName(t: HelmTemplate, spec: ChartSpec): string {
  return spec.serviceAccount.create ? Expr.objectName(t, NAME_SUFFIX.main) : spec.serviceAccount.name!;
}

/** Secrets as secretKeyRef, sorted by variable name. */
function secretEnv(spec: ChartSpec): k8s.EnvVar[] {
  return Object.keys(spec.app.secrets).sort().map((name) => {
    const ref = spec.app.secrets[name];
    return { name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } };
  });
}

/** Appends the `env` values (a map, rendered sorted by name) to a container's env. */
function appendEnvValues(t: HelmTemplate, spec: ChartSpec, container: { [key: string]: any }): void {
  const loop = [
    '{{- range $name, $value := $.Values.env }}',
    '- name: {{ printf "%q" $name }}',
    '  value: {{ printf "%v" $value | printf "%q" }}',
    '{{- end }}',
  ];
  const hasSecrets = Object.keys(spec.app.secrets).length > 0;
  container.env = [...(container.env ?? []), t.block(loop)];
  // Without secrets the list is empty unless there are env values: leave the key out then.
  if (!hasSecrets) wrapKeys(container, ['env'], t.when('.Values.env'));
}

function resources(t: HelmTemplate): k8s.ResourceRequirements {
  const q = (path: string) => Expr.asString(t, `.Values.resources.${path}`);
  return {
    requests: { cpu: q('requests.cpu'), memory: q('requests.memory') },
    limits: { cpu: q('limits.cpu'), memory: q('limits.memory') },
  };
}

function probes(spec: ChartSpec): { startupProbe: k8s.Probe; readinessProbe: k8s.Probe; livenessProbe: k8s.Probe } {
  const hc = spec.app.healthCheck;
  const port = probePortName(spec.app, spec.extraPorts)!;
  const handler: k8s.Probe = hc.kind === HealthCheckKind.HTTP ? { httpGet: { path: hc.path!, port } }
    : hc.kind === HealthCheckKind.TCP ? { tcpSocket: { port } }
      : { exec: { command: hc.checkCommand! } };
  const period = Math.max(1, hc.interval.toSeconds());
  const timing = { periodSeconds: period, timeoutSeconds: Math.max(1, hc.timeout.toSeconds()) };
  return {
    startupProbe: { ...handler, ...timing, failureThreshold: Math.max(1, Math.ceil(hc.startupGrace.toSeconds() / period)) },
    readinessProbe: { ...handler, ...timing, failureThreshold: hc.failureThreshold },
    livenessProbe: { ...handler, ...timing, failureThreshold: hc.failureThreshold },
  };
}

/**
 * The name of the container port the health check probes, or undefined
 * when it probes a port the container does not declare.
 * @internal
 */
export function probePortName(app: Application, extraPorts: ContainerPortOptions[]): string | undefined {
  const port = app.healthCheckPort;
  if (port === app.port) return HTTP_PORT_NAME;
  return extraPorts.find((p) => p.port === port)?.name;
}

function podSecurityContext(spec: ChartSpec): k8s.PodSecurityContext {
  const s = spec.security;
  return {
    runAsNonRoot: s.runAsNonRoot,
    runAsUser: s.runAsUser,
    runAsGroup: s.runAsGroup,
    fsGroup: s.fsGroup,
    seccompProfile: s.seccompRuntimeDefault ? { type: 'RuntimeDefault' } : undefined,
  };
}

function containerSecurityContext(spec: ChartSpec): k8s.SecurityContext {
  const s = spec.security;
  return {
    allowPrivilegeEscalation: s.allowPrivilegeEscalation,
    readOnlyRootFilesystem: s.readOnlyRootFilesystem,
    runAsNonRoot: s.runAsNonRoot,
    capabilities: { drop: ['ALL'], add: s.addCapabilities.length ? [...s.addCapabilities] : undefined },
  };
}

function volumeMounts(spec: ChartSpec): k8s.VolumeMount[] {
  return [
    { name: 'tmp', mountPath: '/tmp' },
    ...(spec.configMap ? [{ name: 'config', mountPath: spec.configMap.mountPath, readOnly: true }] : []),
  ];
}

function volumes(t: HelmTemplate, spec: ChartSpec): k8s.Volume[] {
  return [
    { name: 'tmp', emptyDir: {} },
    ...(spec.configMap ? [{ name: 'config', configMap: { name: t.expr(`"{{ .Release.Name }}${NAME_SUFFIX.config}"`) } }] : []),
  ];
}

function podAnnotations(t: HelmTemplate, metadata: { [key: string]: any }): void {
  metadata.annotations = t.block([
    '{{- range $key, $value := . }}',
    '{{ printf "%q" $key }}: {{ printf "%v" $value | printf "%q" }}',
    '{{- end }}',
  ]);
  wrapKeys(metadata, ['annotations'], t.wrap('{{- with .Values.podAnnotations }}', '{{- end }}'));
}

function imagePullSecrets(t: HelmTemplate, podSpec: { [key: string]: any }): void {
  insertAfter(podSpec, 'containers', 'imagePullSecrets', t.block([
    '{{- range . }}',
    '- name: {{ printf "%q" . }}',
    '{{- end }}',
  ]));
  wrapKeys(podSpec, ['imagePullSecrets'], t.wrap('{{- with .Values.imagePullSecrets }}', '{{- end }}'));
}
