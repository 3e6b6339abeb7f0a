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
  const out = new Set<string>();
  for (const c of root.node.findAll()) {
    if (!isWarningSource(c)) continue;
    for (const w of c._warnings()) out.add(`[${c.node.path}] ${w}`);
  }
  // Unpinned images are warnings unless the App's supplyChain.strict makes them errors.
  if (App.isApp(root) && !root.strictSupplyChain) {
    for (const u of unpinnedImagesOf(root, root.allowUnpinnedImages)) out.add(`[${u.scope.node.path}] ${u.message}`);
  }
  return [...out];
}

/**
 * Warnings as the CLI prints them: one line per message, with the paths of
 * every construct it applies to (the first few, then how many more), so
 * that a warning about something a thousand pipelines share is one line.
 * @internal
 */
export function groupWarnings(warnings: readonly string[], shown = 3): string[] {
  const byMessage = new Map<string, string[]>();
  for (const w of warnings) {
    // `[path] message`: the path ends at the first "] " (a construct id may hold "]")
    const cut = w.startsWith('[') ? w.indexOf('] ') : -1;
    const [path, message] = cut > 0 ? [w.slice(1, cut), w.slice(cut + 2)] : ['', w];
    const paths = byMessage.get(message) ?? [];
    if (paths.length === 0) byMessage.set(message, paths);
    paths.push(path);
  }
  return [...byMessage].map(([message, paths]) => {
    const named = paths.filter((p) => p !== '');
    if (named.length === 0) return message;
    const more = named.length > shown ? ` and ${named.length - shown} more` : '';
    return `[${named.slice(0, shown).join(', ')}${more}] ${message}`;
  });
}
