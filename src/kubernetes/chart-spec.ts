import { ContainerPortOptions, MigrationMode } from './chart-options';
import { HelmRolloutStrategy } from './kubernetes-environment';
import { HelmTemplate } from './template';
import { Application, MigrationPhase } from '../core/application';
import { Duration } from '../core/duration';

/**
 * Everything the templates are rendered from, with defaults resolved.
 * @internal
 */
export interface ChartSpec {
  readonly app: Application;
  readonly chartName: string;
  /** Strategies some values file selects (always includes ROLLING, the values.yaml default). */
  readonly strategies: HelmRolloutStrategy[];
  readonly ingress: boolean;
  readonly autoscaling: boolean;
  /** Some Argo Rollouts environment has a metric analysis. */
  readonly analysis: boolean;
  readonly serviceAccount: {
    readonly create: boolean;
    readonly name?: string;
    readonly automountToken: boolean;
  };
  readonly configMap?: { readonly mountPath: string };
  readonly security: {
    readonly runAsNonRoot: boolean;
    readonly runAsUser: number;
    readonly runAsGroup: number;
    readonly fsGroup: number;
    readonly readOnlyRootFilesystem: boolean;
    readonly allowPrivilegeEscalation: boolean;
    readonly addCapabilities: string[];
    readonly seccompRuntimeDefault: boolean;
  };
  readonly extraPorts: ContainerPortOptions[];
  readonly migration?: {
    readonly mode: MigrationMode;
    readonly phases: MigrationPhase[];
    readonly timeout: Duration;
    readonly retries: number;
    readonly ttl: Duration;
  };
}

/** Standard label keys. @internal */
export const LABEL = {
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  version: 'app.kubernetes.io/version',
  component: 'app.kubernetes.io/component',
  managedBy: 'app.kubernetes.io/managed-by',
  chart: 'helm.sh/chart',
  /** Tells stable pods from NGINX-canary pods; part of every workload selector. */
  track: 'slipway.dev/track',
};

/** Annotations on the main workload naming the deployed image, for the pipeline. @internal */
export const IMAGE_ANNOTATION = {
  tag: 'slipway.dev/image-tag',
  digest: 'slipway.dev/image-digest',
};

/** The component label of the application's own objects. @internal */
export const COMPONENT_SERVER = 'server';
/** The component label of migration Jobs. @internal */
export const COMPONENT_MIGRATION = 'migration';

/** Which image values a workload deploys. @internal */
export enum ImageSource {
  /** `image.*`: the release being deployed. */
  RELEASE = 'release',
  /** `stable.image.*` when set (NGINX canary: the stable track keeps the previous release), else `image.*`. */
  STABLE = 'stable',
}

/**
 * Template expressions shared by the chart's templates. Only core Go
 * text/template; values are printed with `printf "%q"` where they are
 * strings, so any content is a valid YAML double-quoted scalar.
 * @internal
 */
export class Expr {
  /** `{{ .Release.Name }}<suffix>` as a whole YAML scalar. */
  public static objectName(t: HelmTemplate, suffix: string): any {
    return t.expr(`"{{ .Release.Name }}${suffix}"`);
  }

  /** A string value, quoted: `{{ printf "%q" .Values.x }}`. */
  public static str(t: HelmTemplate, path: string): any {
    return t.expr(`{{ printf "%q" ${path} }}`);
  }

  /** A scalar value printed as it is (numbers, booleans, int-or-percent). */
  public static raw(t: HelmTemplate, path: string): any {
    return t.expr(`{{ ${path} }}`);
  }

  /** Any value as a quoted string (numbers too): `{{ printf "%v" x | printf "%q" }}`. */
  public static asString(t: HelmTemplate, path: string): any {
    return t.expr(`{{ printf "%v" ${path} | printf "%q" }}`);
  }

  /** The image reference of a source (digest wins over tag; AppVersion when neither is set). */
  public static imageRef(source: ImageSource): string {
    const ref = (src: string) => `{{ if ${src}.digest }}{{ printf "%v@%v" .Values.image.repository ${src}.digest | printf "%q" }}`
      + `{{ else if ${src}.tag }}{{ printf "%v:%v" .Values.image.repository ${src}.tag | printf "%q" }}`
      + '{{ else }}{{ printf "%v:%v" .Values.image.repository .Chart.AppVersion | printf "%q" }}{{ end }}';
    return Expr.bySource(source, ref);
  }

  /** The version label of a source: the tag, else the chart's appVersion. */
  public static version(source: ImageSource): string {
    const v = (src: string) => `{{ if ${src}.tag }}{{ printf "%v" ${src}.tag | printf "%q" }}{{ else }}{{ printf "%q" .Chart.AppVersion }}{{ end }}`;
    return Expr.bySource(source, v);
  }

  /** The deployed tag of a source (empty when deployed by digest only). */
  public static tag(source: ImageSource): string {
    return Expr.bySource(source, (src) => `{{ printf "%v" ${src}.tag | printf "%q" }}`);
  }

  /** The deployed digest of a source. */
  public static digest(source: ImageSource): string {
    return Expr.bySource(source, (src) => `{{ printf "%v" ${src}.digest | printf "%q" }}`);
  }

  /** A condition true when the values select one of `strategies`. */
  public static strategyIs(...strategies: HelmRolloutStrategy[]): string {
    const eqs = strategies.map((s) => `(eq .Values.rollout.strategy "${s}")`);
    return eqs.length === 1 ? eqs[0].slice(1, -1) : `or ${eqs.join(' ')}`;
  }

  private static bySource(source: ImageSource, f: (src: string) => string): string {
    if (source === ImageSource.RELEASE) return f('.Values.image');
    return `{{ if or .Values.stable.image.digest .Values.stable.image.tag }}${f('.Values.stable.image')}{{ else }}${f('.Values.image')}{{ end }}`;
  }
}

/**
 * The labels of an object: the standard `app.kubernetes.io/*` set and
 * `helm.sh/chart`.
 * @internal
 */
export function standardLabels(t: HelmTemplate, spec: ChartSpec, component: string, source = ImageSource.RELEASE): { [key: string]: string } {
  return {
    [LABEL.name]: spec.app.name,
    [LABEL.instance]: Expr.objectName(t, ''),
    [LABEL.version]: t.expr(Expr.version(source)),
    [LABEL.component]: component,
    [LABEL.managedBy]: t.expr('"{{ .Release.Service }}"'),
    [LABEL.chart]: t.expr('"{{ .Chart.Name }}-{{ .Chart.Version }}"'),
  };
}

/**
 * The selector labels of a track: stable and do not depend on construct
 * paths or versions (selectors are immutable).
 * @internal
 */
export function selectorLabels(t: HelmTemplate, spec: ChartSpec, track: string): { [key: string]: string } {
  return {
    [LABEL.name]: spec.app.name,
    [LABEL.instance]: Expr.objectName(t, ''),
    [LABEL.track]: track,
  };
}
