import { CATALOG_METADATA, CatalogMetadata } from './metadata.generated';
import { CATALOG_LOCK } from '../catalog-lock';
import { lockKey, repoOf } from '../lock-file';

/** `owner/repo[/path]` lower-cased, and the commit: the recorded metadata of that action there. */
const BY_COMMIT: ReadonlyMap<string, CatalogMetadata> = new Map(
  Object.entries(CATALOG_METADATA).map(([uses, m]) => [`${uses.slice(0, uses.lastIndexOf('@'))}#${m.sha}`, m]),
);

/**
 * The inputs and outputs recorded for the action `repository` (`owner/repo[/path]`) at commit
 * `sha`, when the catalog recorded that action at that commit.
 * @internal
 */
export function catalogMetadataAt(repository: string, sha: string | undefined): CatalogMetadata | undefined {
  if (sha === undefined) return undefined;
  return BY_COMMIT.get(`${actionPath(repository)}#${sha}`);
}

/**
 * The recorded inputs and outputs of `repository` at `version` as the built-in lock pins it
 * (its key, `owner/repo@v4`, or the full version of an entry, `v4.4.0`), or at `sha` when given.
 * @internal
 */
export function catalogMetadata(repository: string, version: string, sha?: string): CatalogMetadata | undefined {
  if (sha !== undefined) return catalogMetadataAt(repository, sha);
  const repo = repoOf(repository);
  const pin = CATALOG_LOCK[lockKey(repository, version)]
    ?? Object.entries(CATALOG_LOCK).find(([key, p]) => p.version === version && key.startsWith(`${repo}@`))?.[1];
  return catalogMetadataAt(repository, pin?.sha);
}

/** `owner/repo[/path]`, lower-cased, without a trailing slash. */
function actionPath(repository: string): string {
  return repository.toLowerCase().replace(/\/+$/, '');
}
