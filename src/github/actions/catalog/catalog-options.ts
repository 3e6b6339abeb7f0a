/**
 * Options common to every action of the {@link Actions} catalog: which
 * version to use and how it is pinned.
 */
export interface CatalogOptions {
  /**
   * The version (tag) of the action. It must be pinned by
   * `slipway.lock.json` or the built-in catalog lock, unless `sha` or
   * `allowUnpinned` is given.
   * @default - the catalog's version, named in each factory's documentation
   */
  readonly version?: string;

  /**
   * The commit SHA to pin to, instead of looking it up in a lock.
   * @default - the SHA from `slipway.lock.json` or the built-in catalog lock
   */
  readonly sha?: string;

  /**
   * Render the action unpinned when no lock pins its version.
   * @default false
   */
  readonly allowUnpinned?: boolean;

  /**
   * Permission scopes to add to the ones the action needs.
   * @default - none
   */
  readonly permissions?: { [scope: string]: string };
}
