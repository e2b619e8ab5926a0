/**
 * The canonical spelling of an action name (ADR 0006), checked before a request leaves
 * the process so a misspelt action fails at once with the spelling to use. The server
 * checks the same rule (`@gatehouse/core`'s `actionNameProblem`); the SDK keeps its own
 * copy of these few lines so it stays free of dependencies.
 */
const CANONICAL = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/;

/**
 * Throws a `TypeError` naming the canonical form unless `action` is canonical.
 * @example assertCanonicalAction('Deploy.Production') // throws: write "deploy.production"
 */
export function assertCanonicalAction(action: string): void {
  if (typeof action === 'string' && action.length <= 256 && CANONICAL.test(action)) return;
  const folded = String(action)
    .normalize('NFKC')
    .replace(/[\s\p{Default_Ignorable_Code_Point}]/gu, '')
    .toLowerCase();
  const hint = CANONICAL.test(folded) && folded.length <= 256 ? `: write ${JSON.stringify(folded)}` : '';
  throw new TypeError(
    `action ${JSON.stringify(action)} is not a canonical action name (lowercase ASCII letters, digits, "_" and "-" in dot-separated segments)${hint}`,
  );
}
