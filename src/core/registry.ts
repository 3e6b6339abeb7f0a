import { IConstruct } from 'constructs';

const REGISTRY = new WeakMap<IConstruct, Map<string, IConstruct[]>>();

/**
 * Records `c` under `kind` in the registry of its tree's root, so that
 * constructs can be found by kind without walking the whole tree (a
 * pipeline per application looking for its application's chart, or each
 * Cloud Run service looking for others of the same name, would otherwise
 * make a tree of N applications O(N²)).
 * @internal
 */
export function register(c: IConstruct, kind: string): void {
  const root = c.node.root;
  let kinds = REGISTRY.get(root);
  if (!kinds) REGISTRY.set(root, kinds = new Map());
  let list = kinds.get(kind);
  if (!list) kinds.set(kind, list = []);
  list.push(c);
}

/**
 * The constructs recorded under `kind` in the tree of `root`, in the order
 * they were created.
 * @internal
 */
export function registered<T extends IConstruct>(root: IConstruct, kind: string): readonly T[] {
  return (REGISTRY.get(root)?.get(kind) ?? []) as T[];
}

/** The kinds recorded in the registry. @internal */
export const REGISTRY_KIND = {
  helmChart: 'slipway.HelmChart',
  cloudRunService: 'slipway.CloudRunService',
  cloudRunJob: 'slipway.CloudRunJob',
  workflow: 'slipway.Workflow',
} as const;
