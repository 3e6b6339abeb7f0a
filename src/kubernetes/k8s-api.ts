import type { k8s } from 'cdk8s-plus-27';

let api: typeof k8s | undefined;

/**
 * cdk8s-plus-27's generated Kubernetes API (`k8s`: typed objects and their
 * JSON converters), loaded on first use: it is 2.5 MB of JavaScript, and a
 * definition without a Kubernetes target never needs it. Only the generated
 * module is loaded, not cdk8s-plus-27's constructs.
 * @internal
 */
export function k8sApi(): typeof k8s {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (api ??= require('cdk8s-plus-27/lib/imports/k8s') as typeof k8s);
}
