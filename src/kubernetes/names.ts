/** DNS-1123 label: lowercase alphanumerics and "-", at most 63. @internal */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1035 label (Service names): starts with a letter. @internal */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Kubernetes label value: at most 63 alphanumerics, "-", "_" and ".", alphanumeric at both ends. @internal */
export const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
/** IANA service name (container port names). @internal */
export const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** ConfigMap keys. @internal */
export const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/** Why `name` is not a DNS-1123 label, or undefined. @internal */
export function dnsLabelProblem(name: string, max = 63): string | undefined {
  if (name.length > max) return `is ${name.length} characters long; the limit is ${max}`;
  if (!DNS_1123_LABEL.test(name)) return 'must consist of lowercase letters, digits and "-", and start and end with a letter or digit';
  return undefined;
}

/** Why `value` is not a valid label value, or undefined. @internal */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return `is ${value.length} characters long; label values are limited to 63`;
  if (!LABEL_VALUE.test(value)) return 'must consist of letters, digits, "-", "_" and ".", and start and end with a letter or digit';
  return undefined;
}

/**
 * The names of the chart's objects, derived from the release name. Every
 * template writes them as `{{ .Release.Name }}<suffix>`.
 * @internal
 */
export const NAME_SUFFIX = {
  main: '',
  canary: '-canary',
  preview: '-preview',
  analysis: '-analysis',
  config: '-config',
  migration: (phase: string) => `-migrate-${phase}`,
  /** The longest suffix any object gets. */
  longest: '-migrate-contract',
};
