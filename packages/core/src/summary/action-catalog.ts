import { checkActionGlob, compileActionGlob, matchActionGlob } from '../policy/action-glob.js';
import type { ActionCatalog, CatalogEntry } from './summary-types.js';

/**
 * The catalog entry for `action`: an exact key first, otherwise the most specific matching glob
 * (more literal segments, then fewer `**`, then the longer glob). Malformed globs match nothing.
 * @example findCatalogEntry({ 'deploy.*': entry }, 'deploy.production') // entry
 */
export function findCatalogEntry(
  catalog: ActionCatalog | undefined,
  action: string,
): CatalogEntry | undefined {
  if (catalog === undefined) return undefined;
  if (Object.hasOwn(catalog, action)) return catalog[action];
  let best: { entry: CatalogEntry; score: readonly number[] } | undefined;
  for (const [glob, entry] of Object.entries(catalog)) {
    if (!glob.includes('*') || checkActionGlob(glob) !== undefined) continue;
    const compiled = compileActionGlob(glob);
    if (!matchActionGlob(compiled, action)) continue;
    const score = [
      compiled.segments.filter((segment) => segment.kind === 'literal').length,
      -compiled.segments.filter((segment) => segment.kind === 'rest').length,
      glob.length,
    ];
    if (best === undefined || isBetter(score, best.score)) best = { entry, score };
  }
  return best?.entry;
}

function isBetter(score: readonly number[], than: readonly number[]): boolean {
  for (const [index, value] of score.entries()) {
    const other = than[index] ?? 0;
    if (value !== other) return value > other;
  }
  return false;
}
