import { Action } from '../action';
import { CatalogOptions } from './catalog-options';

/** Registries whose pushes with the workflow token need `packages: write`. @internal */
export const GHCR = /^ghcr\.io(\/|$)/;

/** Builds a catalog action. @internal */
export function catalogAction(repository: string, defaultVersion: string, options: CatalogOptions | undefined, spec: {
  readonly inputs?: { [key: string]: unknown };
  readonly env?: { [name: string]: string | undefined };
  readonly permissions?: { [scope: string]: string };
}): Action {
  return Action.of(repository, options?.version ?? defaultVersion, {
    sha: options?.sha,
    allowUnpinned: options?.allowUnpinned,
    permissions: { ...(spec.permissions ?? {}), ...(options?.permissions ?? {}) },
    inputs: defined(spec.inputs ?? {}),
    env: defined(spec.env ?? {}) as { [name: string]: string },
  });
}

/**
 * A list input written one item per line, as actions that take multi-line
 * inputs (paths, tags) expect: one item as itself, several as the text of a
 * literal block (`a\nb\n`).
 * @internal
 */
export function lines(items: readonly string[] | undefined): string | undefined {
  if (items === undefined || items.length === 0) return undefined;
  return items.length === 1 ? items[0] : items.join('\n') + '\n';
}

/** A list input written comma-separated. @internal */
export function commas(items: readonly string[] | undefined): string | undefined {
  if (items === undefined || items.length === 0) return undefined;
  return items.join(',');
}

/** A map input written as `KEY=value` lines (build args, labels). @internal */
export function keyValueLines(map: { readonly [key: string]: string } | undefined): string | undefined {
  if (map === undefined) return undefined;
  return lines(Object.entries(map).map(([k, v]) => `${k}=${v}`));
}

/** Drops undefined values, keeping the key order. */
function defined(map: { [key: string]: unknown }): { [key: string]: any } {
  const out: { [key: string]: any } = {};
  for (const [k, v] of Object.entries(map)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * A list input for actions that split on newlines without expecting a
 * trailing one (`a\nb`).
 * @internal
 */
export function newlines(items: readonly string[] | undefined): string | undefined {
  return items === undefined || items.length === 0 ? undefined : items.join('\n');
}
