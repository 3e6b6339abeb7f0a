import * as argo from '../argo-rollouts-model';
import { ChartSpec, COMPONENT_SERVER, Expr, IMAGE_ANNOTATION, ImageSource, selectorLabels, standardLabels } from '../chart-spec';
import * as k8s from '../k8s-model';
import { HelmRolloutStrategy, isArgo } from '../kubernetes-environment';
import { NAME_SUFFIX } from '../names';
import { appPodTemplate } from '../pod';
import { gateDocument, HelmTemplate, wrapKeys } from '../template';

/** Track label of the stable (and only) workload. @internal */
export const TRACK_STABLE = 'stable';
/** Track label of the NGINX canary Deployment. @internal */
export const TRACK_CANARY = 'canary';

/**
 * The argo strategies the chart renders, or an empty list.
 * @internal
 */
export function argoStrategies(spec: ChartSpec): HelmRolloutStrategy[] {
  return spec.strategies.filter(isArgo);
}

/**
 * templates/deployment.yaml: the stable Deployment. Rendered unless the
 * values select an Argo Rollouts strategy (the Rollout replaces it).
 * @internal
 */
export function deploymentTemplate(spec: ChartSpec): string {
  const t = new HelmTemplate();
  const nginx = spec.strategies.includes(HelmRolloutStrategy.NGINX_CANARY);
  const source = nginx ? ImageSource.STABLE : ImageSource.RELEASE;
  const manifest = k8s.manifest('apps/v1/Deployment', {
    metadata: {
      name: Expr.objectName(t, NAME_SUFFIX.main),
      labels: standardLabels(t, spec, COMPONENT_SERVER, source),
      annotations: imageAnnotations(t, source),
    },
    spec: {
      replicas: Expr.raw(t, '.Values.replicas'),
      selector: { matchLabels: selectorLabels(t, spec, TRACK_STABLE) },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: {
          maxSurge: Expr.raw(t, '.Values.strategy.maxSurge'),
          maxUnavailable: Expr.raw(t, '.Values.strategy.maxUnavailable'),
        },
      },
      template: {},
    },
  });
  manifest.spec.template = appPodTemplate(t, spec, { track: TRACK_STABLE, image: source });
  if (spec.autoscaling) wrapKeys(manifest.spec, ['replicas'], t.when('not .Values.autoscaling.enabled'));
  const argoOnes = argoStrategies(spec);
  return gateDocument(t.render(manifest), argoOnes.length ? `not (${Expr.strategyIs(...argoOnes)})` : undefined);
}

/**
 * templates/canary-deployment.yaml: the NGINX canary Deployment, running
 * the release being deployed while the stable one keeps the previous.
 * @internal
 */
export function canaryDeploymentTemplate(spec: ChartSpec): string {
  const t = new HelmTemplate();
  const manifest = k8s.manifest('apps/v1/Deployment', {
    metadata: {
      name: Expr.objectName(t, NAME_SUFFIX.canary),
      labels: standardLabels(t, spec, COMPONENT_SERVER),
      annotations: imageAnnotations(t, ImageSource.RELEASE),
    },
    spec: {
      replicas: Expr.raw(t, '.Values.canary.replicas'),
      selector: { matchLabels: selectorLabels(t, spec, TRACK_CANARY) },
      template: {},
    },
  });
  manifest.spec.template = appPodTemplate(t, spec, { track: TRACK_CANARY, image: ImageSource.RELEASE });
  return gateDocument(t.render(manifest), nginxCanaryActive());
}

/** The condition under which the NGINX canary objects exist. @internal */
export function nginxCanaryActive(): string {
  return `and (${Expr.strategyIs(HelmRolloutStrategy.NGINX_CANARY)}) .Values.canary.enabled`;
}

/**
 * templates/rollout.yaml: an Argo Rollouts `Rollout` (canary steps or
 * blue-green services), rendered when the values select it.
 * @internal
 */
export function rolloutTemplate(spec: ChartSpec): string {
  const t = new HelmTemplate();
  const canary = spec.strategies.includes(HelmRolloutStrategy.ARGO_CANARY);
  const blueGreen = spec.strategies.includes(HelmRolloutStrategy.ARGO_BLUE_GREEN);
  const analysisTemplate = { templateName: Expr.objectName(t, NAME_SUFFIX.analysis) };
  const namespaceArg: argo.AnalysisRunArgument = { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } };

  const strategy: { [key: string]: any } = {};
  if (canary) {
    const canaryStrategy: { [key: string]: any } = {
      canaryService: Expr.objectName(t, NAME_SUFFIX.canary),
      stableService: Expr.objectName(t, NAME_SUFFIX.main),
      ...(spec.ingress ? { trafficRouting: { nginx: { stableIngress: Expr.objectName(t, NAME_SUFFIX.main) } } } : {}),
      steps: t.block(canarySteps(spec)),
    } satisfies argo.CanaryStrategy;
    if (spec.ingress) wrapKeys(canaryStrategy, ['trafficRouting'], t.when('.Values.ingress.enabled'));
    // Without steps short of 100%, Argo promotes at once.
    wrapKeys(canaryStrategy, ['steps'], t.when('.Values.canary.steps'));
    strategy[blueGreen ? t.wrap(`{{- if ${Expr.strategyIs(HelmRolloutStrategy.ARGO_CANARY)} }}`, '') : 'canary'] = blueGreen ? { canary: canaryStrategy } : canaryStrategy;
  }
  if (blueGreen) {
    const bg: { [key: string]: any } = {
      activeService: Expr.objectName(t, NAME_SUFFIX.main),
      previewService: Expr.objectName(t, NAME_SUFFIX.preview),
      autoPromotionEnabled: Expr.raw(t, '.Values.blueGreen.autoPromotion'),
      scaleDownDelaySeconds: Expr.raw(t, '.Values.blueGreen.scaleDownDelaySeconds'),
      ...(spec.analysis ? {
        prePromotionAnalysis: {
          templates: [analysisTemplate],
          args: [{ name: 'service', value: Expr.objectName(t, NAME_SUFFIX.preview) }, namespaceArg],
        },
      } : {}),
    } satisfies argo.BlueGreenStrategy;
    if (spec.analysis) wrapKeys(bg, ['prePromotionAnalysis'], t.when('.Values.analysis.enabled'));
    strategy[canary ? t.wrap('{{- else }}', '{{- end }}') : 'blueGreen'] = canary ? { blueGreen: bg } : bg;
  }

  const rollout: argo.Rollout = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: {
      name: Expr.objectName(t, NAME_SUFFIX.main),
      labels: standardLabels(t, spec, COMPONENT_SERVER),
      annotations: imageAnnotations(t, ImageSource.RELEASE),
    },
    spec: {
      replicas: Expr.raw(t, '.Values.replicas'),
      selector: { matchLabels: selectorLabels(t, spec, TRACK_STABLE) },
      template: appPodTemplate(t, spec, { track: TRACK_STABLE, image: ImageSource.RELEASE }),
      strategy,
    },
  };
  const json = rollout as unknown as { [key: string]: any };
  if (spec.autoscaling) wrapKeys(json.spec, ['replicas'], t.when('not .Values.autoscaling.enabled'));
  return gateDocument(t.render(json), Expr.strategyIs(...argoStrategies(spec)));
}

/**
 * The canary steps: for each weight of `canary.steps`, setWeight, a pause
 * of `canary.bake` and (when enabled) an analysis of the canary Service.
 * Inside `range`, the root is `$`.
 */
function canarySteps(spec: ChartSpec): string[] {
  const lines = [
    '{{- range .Values.canary.steps }}',
    '- setWeight: {{ . }}',
    '- pause:',
    '    duration: {{ printf "%q" $.Values.canary.bake }}',
  ];
  if (spec.analysis) {
    lines.push(
      '{{- if $.Values.analysis.enabled }}',
      '- analysis:',
      '    templates:',
      `      - templateName: "{{ $.Release.Name }}${NAME_SUFFIX.analysis}"`,
      '    args:',
      '      - name: service',
      `        value: "{{ $.Release.Name }}${NAME_SUFFIX.canary}"`,
      '      - name: namespace',
      '        valueFrom:',
      '          fieldRef:',
      '            fieldPath: metadata.namespace',
      '{{- end }}',
    );
  }
  lines.push('{{- end }}');
  return lines;
}

function imageAnnotations(t: HelmTemplate, source: ImageSource): { [key: string]: string } {
  return {
    [IMAGE_ANNOTATION.tag]: t.expr(Expr.tag(source)),
    [IMAGE_ANNOTATION.digest]: t.expr(Expr.digest(source)),
  };
}
