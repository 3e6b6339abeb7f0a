import { k8s as cdk8sK8s } from 'cdk8s-plus-27';
import * as k8s from '../../src/kubernetes/k8s-model';

// The chart's Kubernetes objects are typed by slipway's own model (src/kubernetes/k8s-model.ts).
// Key order is part of the output (generated files are compared byte for byte), so the model's
// serializer is checked against cdk8s-plus-27's generated API (a devDependency, used here as an
// independent oracle): API fields in name order, `metadata` first, map entries as given,
// unset fields left out.

const container: k8s.Container = {
  volumeMounts: [{ readOnly: true, mountPath: '/tmp', name: 'tmp' }],
  securityContext: { runAsNonRoot: true, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
  startupProbe: { failureThreshold: 30, httpGet: { port: 'http', path: '/health' }, timeoutSeconds: 1, periodSeconds: 2 },
  readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 5 },
  livenessProbe: { exec: { command: ['true'] }, failureThreshold: 3 },
  resources: { requests: { memory: '128Mi', cpu: '100m' }, limits: { cpu: '1', memory: '512Mi' } },
  env: [{ valueFrom: { secretKeyRef: { key: 'url', name: 'db' } }, name: 'DATABASE_URL' }, { value: 'x', name: 'PLAIN' }],
  ports: [{ protocol: 'TCP', containerPort: 8080, name: 'http' }],
  args: ['--port', '8080'],
  command: ['serve'],
  imagePullPolicy: 'IfNotPresent',
  image: 'ghcr.io/acme/api@sha256:0',
  name: 'api',
};

const template: k8s.PodTemplateSpec = {
  spec: {
    volumes: [{ name: 'tmp', emptyDir: {} }, { configMap: { name: 'cfg' }, name: 'config' }],
    containers: [container],
    securityContext: { seccompProfile: { type: 'RuntimeDefault' }, fsGroup: 1000, runAsUser: 1000, runAsNonRoot: true, runAsGroup: 1000 },
    automountServiceAccountToken: false,
    serviceAccountName: 'api',
    restartPolicy: 'Never',
  },
  // map entries keep their order: z before a
  metadata: { labels: { 'z.example/last': '1', 'app.kubernetes.io/name': 'api' }, annotations: { b: '2', a: '1' } },
};

/** The same object in cdk8s-plus-27's types: ports as IntOrString, resource quantities as Quantity. */
function forCdk8s(value: any, key?: string): any {
  if (Array.isArray(value)) return value.map((v) => forCdk8s(v));
  if ((key === 'port' || key === 'targetPort' || key === 'maxSurge' || key === 'maxUnavailable') && typeof value !== 'object') {
    return typeof value === 'number' ? cdk8sK8s.IntOrString.fromNumber(value) : cdk8sK8s.IntOrString.fromString(value);
  }
  if (value === null || typeof value !== 'object') return value;
  const quantities = key === 'requests' || key === 'limits';
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, quantities ? cdk8sK8s.Quantity.fromString(v as string) : forCdk8s(v, k)]));
}

const metadata = { labels: { 'z.example/track': 'stable', 'app.kubernetes.io/name': 'api' }, name: 'api' };

test('a pod template serializes as cdk8s-plus-27 serializes it', () => {
  expect(JSON.stringify(k8s.toJson(template))).toBe(JSON.stringify(cdk8sK8s.toJson_PodTemplateSpec(forCdk8s(template))));
});

test('unset fields are left out; map entries keep their order; API fields are sorted', () => {
  const json = k8s.toJson({ spec: { containers: [{ name: 'a', image: 'b', command: undefined }] }, metadata: { labels: { b: '1', a: '2' } } });
  expect(JSON.stringify(json)).toBe('{"metadata":{"labels":{"b":"1","a":"2"}},"spec":{"containers":[{"image":"b","name":"a"}]}}');
});

describe('manifests serialize as cdk8s-plus-27 serializes them', () => {
  const cases: [string, () => any, () => any][] = [
    ['Deployment', () => k8s.manifest('apps/v1/Deployment', {
      spec: { template, strategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' }, type: 'RollingUpdate' }, selector: { matchLabels: { z: '1', a: '2' } }, replicas: 2 },
      metadata,
    }), () => cdk8sK8s.KubeDeployment.manifest({
      spec: {
        template: forCdk8s(template),
        strategy: { rollingUpdate: { maxUnavailable: cdk8sK8s.IntOrString.fromNumber(0), maxSurge: cdk8sK8s.IntOrString.fromString('25%') }, type: 'RollingUpdate' },
        selector: { matchLabels: { z: '1', a: '2' } },
        replicas: 2,
      },
      metadata,
    })],
    ['Job', () => k8s.manifest('batch/v1/Job', { spec: { template, ttlSecondsAfterFinished: 60, backoffLimit: 0, activeDeadlineSeconds: 600 }, metadata }),
      () => cdk8sK8s.KubeJob.manifest({
        spec: { template: forCdk8s(template), ttlSecondsAfterFinished: 60, backoffLimit: 0, activeDeadlineSeconds: 600 },
        metadata,
      })],
    ['Service', () => k8s.manifest('v1/Service', { spec: { selector: { z: '1', a: '2' }, ports: [{ targetPort: 'http', protocol: 'TCP', port: 80, name: 'http' }], type: 'ClusterIP' }, metadata }),
      () => cdk8sK8s.KubeService.manifest({ spec: { selector: { z: '1', a: '2' }, ports: [{ targetPort: cdk8sK8s.IntOrString.fromString('http'), protocol: 'TCP', port: 80, name: 'http' }], type: 'ClusterIP' }, metadata })],
    ['ServiceAccount (metadata before the other fields)', () => k8s.manifest('v1/ServiceAccount', { automountServiceAccountToken: false, metadata }),
      () => cdk8sK8s.KubeServiceAccount.manifest({ automountServiceAccountToken: false, metadata })],
    ['ConfigMap', () => k8s.manifest('v1/ConfigMap', { data: { 'z.conf': '1', 'a.conf': '2' }, metadata }),
      () => cdk8sK8s.KubeConfigMap.manifest({ data: { 'z.conf': '1', 'a.conf': '2' }, metadata })],
    ['Ingress', () => k8s.manifest('networking.k8s.io/v1/Ingress', {
      spec: {
        tls: [{ secretName: 'tls', hosts: ['a.example'] }],
        rules: [{ http: { paths: [{ pathType: 'Prefix', path: '/', backend: { service: { port: { name: 'http' }, name: 'api' } } }] }, host: 'a.example' }],
        ingressClassName: 'nginx',
      },
      metadata,
    }), () => cdk8sK8s.KubeIngress.manifest({
      spec: {
        tls: [{ secretName: 'tls', hosts: ['a.example'] }],
        rules: [{ http: { paths: [{ pathType: 'Prefix', path: '/', backend: { service: { port: { name: 'http' }, name: 'api' } } }] }, host: 'a.example' }],
        ingressClassName: 'nginx',
      },
      metadata,
    })],
    ['HorizontalPodAutoscaler', () => k8s.manifest('autoscaling/v2/HorizontalPodAutoscaler', {
      spec: {
        metrics: [{ resource: { target: { averageUtilization: 80, type: 'Utilization' }, name: 'cpu' }, type: 'Resource' }],
        maxReplicas: 5,
        minReplicas: 2,
        scaleTargetRef: { name: 'api', kind: 'Deployment', apiVersion: 'apps/v1' },
      },
      metadata,
    }), () => cdk8sK8s.KubeHorizontalPodAutoscalerV2.manifest({
      spec: {
        metrics: [{ resource: { target: { averageUtilization: 80, type: 'Utilization' }, name: 'cpu' }, type: 'Resource' }],
        maxReplicas: 5,
        minReplicas: 2,
        scaleTargetRef: { name: 'api', kind: 'Deployment', apiVersion: 'apps/v1' },
      },
      metadata,
    })],
    ['PodDisruptionBudget', () => k8s.manifest('policy/v1/PodDisruptionBudget', { spec: { selector: { matchLabels: { z: '1', a: '2' } }, maxUnavailable: 1 }, metadata }),
      () => cdk8sK8s.KubePodDisruptionBudget.manifest({ spec: { selector: { matchLabels: { z: '1', a: '2' } }, maxUnavailable: cdk8sK8s.IntOrString.fromNumber(1) }, metadata })],
  ];
  test.each(cases)('%s', (_name, ours, theirs) => {
    expect(JSON.stringify(ours())).toBe(JSON.stringify(theirs()));
  });
});
