/**
 * Kubernetes resource quantities (also used by Cloud Run): one pattern for
 * every place that reads one.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 * @internal
 */

/** A quantity such as `250m`, `1`, `0.5`, `512Mi` or `1G`. @internal */
export const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/;

/** CPU cores of a quantity, or undefined when it is not a CPU quantity. @internal */
export function parseCpu(cpu: string): number | undefined {
  const m = /^([0-9]+(?:\.[0-9]+)?)(m?)$/.exec(cpu);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'm' ? n / 1000 : n;
}

const MEMORY_UNITS: { [suffix: string]: number } = {
  '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40,
};

/** Bytes of a memory quantity, or undefined. @internal */
export function parseMemory(memory: string): number | undefined {
  const m = /^([0-9]+(?:\.[0-9]+)?)(k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(memory);
  if (!m) return undefined;
  return Number(m[1]) * MEMORY_UNITS[m[2] ?? ''];
}

/** CPU and memory requests and limits, as quantities. @internal */
export interface RequestsAndLimits {
  readonly cpuRequest?: string;
  readonly cpuLimit?: string;
  readonly memoryRequest?: string;
  readonly memoryLimit?: string;
}

/**
 * A limit below its request, which Kubernetes rejects: one problem per
 * resource, with the fix. `whose` names where the values come from, when
 * they are not simply the props that were given.
 * @internal
 */
export function limitBelowRequestProblems(r: RequestsAndLimits, whose = ''): string[] {
  const problems: string[] = [];
  const pairs: Array<[string, string | undefined, string | undefined, (q: string) => number | undefined]> = [
    ['cpu', r.cpuRequest, r.cpuLimit, parseCpu],
    ['memory', r.memoryRequest, r.memoryLimit, parseMemory],
  ];
  for (const [kind, request, limit, parse] of pairs) {
    if (request === undefined || limit === undefined) continue;
    const [req, lim] = [parse(String(request)), parse(String(limit))];
    if (req !== undefined && lim !== undefined && lim < req) {
      problems.push(`resources.${kind}Limit "${limit}" is below ${kind}Request "${request}"${whose}; Kubernetes rejects a limit below the request. `
        + `Raise ${kind}Limit to at least "${request}" or lower ${kind}Request`);
    }
  }
  return problems;
}
