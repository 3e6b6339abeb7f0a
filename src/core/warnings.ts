import { IConstruct } from 'constructs';
import { App } from './app';
import { unpinnedImagesOf } from './image-pinning';

/**
 * A construct with warnings: findings that do not stop synthesis (the output
 * is valid) but that a reader of the definition should act on.
 * @internal
 */
export interface WarningSource {
  /** Warnings, without the construct path. */
  _warnings(): string[];
}

function isWarningSource(x: unknown): x is WarningSource {
  return typeof (x as WarningSource)._warnings === 'function';
}

/** Every warning of the tree under `root`, each prefixed with its construct path. @internal */
export function collectWarnings(root: IConstruct): string[] {
  const out: string[] = [];
  for (const c of root.node.findAll()) {
    if (!isWarningSource(c)) continue;
    for (const w of c._warnings()) {
      const line = `[${c.node.path}] ${w}`;
      if (!out.includes(line)) out.push(line);
    }
  }
  // Unpinned images are warnings unless the App's supplyChain.strict makes them errors.
  if (App.isApp(root) && !root.strictSupplyChain) {
    for (const u of unpinnedImagesOf(root, root.allowUnpinnedImages)) out.push(`[${u.scope.node.path}] ${u.message}`);
  }
  return out;
}
