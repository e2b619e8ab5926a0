/**
 * The one canonical spelling of an action name (ADR 0006).
 *
 * A canonical name is dot-separated segments of lowercase ASCII letters, digits, `_` and
 * `-` (`proxmox.vm.delete`), at most 256 characters. Every other spelling — capitals,
 * full-width or other Unicode compatibility forms, look-alike letters from other scripts,
 * spaces or invisible characters anywhere — is refused at every boundary (API, policy
 * files, SDK, MCP gateway, grants), never folded silently: a refusal names the canonical
 * form when there is one, so the caller can fix the spelling, and nothing downstream ever
 * sees two spellings of one action.
 */

const CANONICAL = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/;
/** Characters that render as nothing or as a space; stripped when suggesting a canonical form. */
const INVISIBLE_OR_SPACE = /[\s\p{Default_Ignorable_Code_Point}]/gu;
/** Longest action name accepted. */
export const MAX_ACTION_NAME_LENGTH = 256;

/** True when `name` is an action name in its one canonical spelling. */
export function isCanonicalActionName(name: unknown): name is string {
  // One regular expression, no allocation: this runs first in every evaluation.
  return typeof name === 'string' && name.length <= MAX_ACTION_NAME_LENGTH && CANONICAL.test(name);
}

/**
 * The canonical spelling a non-canonical name stands for — Unicode compatibility forms
 * folded (NFKC), invisible characters and spaces removed, letters lowercased — or
 * `undefined` when it stands for none (look-alike letters from other scripts, punctuation).
 *
 * @example suggestCanonicalActionName('PROXMOX.VM.Delete ') // 'proxmox.vm.delete'
 */
export function suggestCanonicalActionName(name: string): string | undefined {
  const folded = foldActionSpelling(name);
  return isCanonicalActionName(folded) ? folded : undefined;
}

/** A spelling with compatibility forms folded (NFKC), invisible characters and spaces removed, lowercased. */
export function foldActionSpelling(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE_OR_SPACE, '').toLowerCase();
}

/**
 * Why `name` is not a canonical action name, in words that name the canonical form when
 * there is one; `undefined` when it is canonical.
 *
 * @example actionNameProblem('Shell.Execute') // 'is not in canonical form: write "shell.execute"'
 */
export function actionNameProblem(name: unknown): string | undefined {
  if (isCanonicalActionName(name)) return undefined;
  if (typeof name !== 'string') return 'must be a string';
  if (name.length === 0) return 'must not be empty';
  if (name.length > MAX_ACTION_NAME_LENGTH) return `must be at most ${MAX_ACTION_NAME_LENGTH} characters`;
  const suggestion = suggestCanonicalActionName(name);
  if (suggestion !== undefined) return `is not in canonical form: write ${JSON.stringify(suggestion)}`;
  return 'must be dot-separated segments of lowercase ASCII letters, digits, "_" and "-" (like "shell.execute")';
}
