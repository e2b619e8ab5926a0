import { clip, finding, type RiskFinding } from './risk-finding.js';
import { shellFindings } from './shell-signals.js';
import { sqlFindings } from './sql-signals.js';

/** How much of the params is searched: enough for any real action, bounded for hostile ones. */
const MAX_DEPTH = 8;
const MAX_STRINGS = 200;
const MAX_STRING_LENGTH = 16 * 1024;

/** Params that hold a command line, in any action (`shell.execute` uses `command`). */
const COMMAND_KEYS = new Set(['command', 'cmd', 'script', 'shell']);
/** Action-name segments that delete things, for wildcard targets. */
const DELETING = /^(?:delete|remove|destroy|purge|wipe|drop|rm|prune|erase)/i;

/** A string found in the params, with the key it sits under. */
interface ParamString {
  readonly key: string;
  readonly value: string;
}

/**
 * Risk signals in an action's params: shell commands (read through the shell decomposition),
 * destructive SQL in any string, and wildcard targets of deleting actions.
 */
export function paramFindings(action: string, params: Readonly<Record<string, unknown>>): RiskFinding[] {
  const strings = collectStrings(params);
  const found: RiskFinding[] = [];
  for (const { key, value } of strings) {
    if (COMMAND_KEYS.has(key.toLowerCase())) found.push(...shellFindings(value));
    found.push(...sqlFindings(value));
  }
  if (action === 'shell.execute' && Array.isArray(params.command)) {
    const argv = params.command.filter((word): word is string => typeof word === 'string');
    found.push(...shellFindings(argv.map(quoteWord).join(' ')));
  }
  if (action.split('.').some((segment) => DELETING.test(segment))) {
    const wildcard = strings.find(({ value }) => value.includes('*'));
    if (wildcard !== undefined) {
      found.push(finding('wildcard-delete', 'high', `${wildcard.key}: ${clip(wildcard.value, 60)}`));
    }
  }
  return found;
}

/** The strings in `value`, depth-first, at most `MAX_STRINGS` of them, each cut to `MAX_STRING_LENGTH`. */
function collectStrings(value: unknown): ParamString[] {
  const out: ParamString[] = [];
  const visit = (node: unknown, key: string, depth: number): void => {
    if (out.length >= MAX_STRINGS || depth > MAX_DEPTH) return;
    if (typeof node === 'string') {
      out.push({ key, value: node.slice(0, MAX_STRING_LENGTH) });
    } else if (Array.isArray(node)) {
      for (const item of node) visit(item, key, depth + 1);
    } else if (typeof node === 'object' && node !== null) {
      for (const [childKey, child] of Object.entries(node)) visit(child, childKey, depth + 1);
    }
  };
  visit(value, '', 0);
  return out;
}

/** A word quoted for the shell, so an argv array reads back as the same words. */
function quoteWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
