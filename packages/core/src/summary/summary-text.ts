import { clip } from './risk-finding.js';
import type { CatalogEntry, RiskSignal } from './summary-types.js';

/** The longest summary text: one or two sentences, never a wall. */
export const MAX_SUMMARY_TEXT = 480;

const SECRET_KEY = /pass(?:word|phrase)?|secret|token|api[-_]?key|private[-_]?key|credential|auth/i;
const SHOWN_PARAMS = 4;

/** What the text is made from: the action, its params, the environment, and what was found. */
export interface SummaryFacts {
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly environment?: string;
  readonly entry?: CatalogEntry;
  readonly signals: readonly RiskSignal[];
}

/**
 * One or two plain sentences: what will happen, then what to watch for. Built only from the
 * action, its params and the environment: never from the agent's stated reason. Params whose
 * names look secret are shown as `[redacted]`.
 */
export function summaryText(facts: SummaryFacts): string {
  const where = facts.environment === undefined ? '' : ` in ${facts.environment}`;
  const first = `${whatHappens(facts)}${where}.`;
  const cautions = [
    ...(facts.entry?.reversible === false ? ['it cannot be undone'] : []),
    ...signalPhrases(facts.signals),
  ];
  const second = cautions.length === 0 ? '' : ` Watch out: ${cautions.join('; ')}.`;
  return clip(`${first}${second}`, MAX_SUMMARY_TEXT);
}

function whatHappens(facts: SummaryFacts): string {
  const { action, params, entry } = facts;
  const command = params.command;
  if (action === 'shell.execute' && (typeof command === 'string' || Array.isArray(command))) {
    const text = typeof command === 'string' ? command : command.map(describeWord).join(' ');
    return `Runs the shell command \`${clip(text, 160)}\``;
  }
  const shown = describeParams(params);
  if (entry !== undefined) {
    const description = clip(entry.description, 120).replace(/[.\s]+$/, '');
    return `${description} (\`${action}\`${shown === '' ? '' : `: ${shown}`})`;
  }
  return `Performs \`${clip(action, 80)}\`${shown === '' ? '' : ` with ${shown}`}`;
}

/** `vmid=101, node="pve1" and 2 more`. */
function describeParams(params: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(params);
  const shown = entries.slice(0, SHOWN_PARAMS).map(([key, value]) => {
    const name = clip(key, 32);
    return SECRET_KEY.test(key) ? `${name}=[redacted]` : `${name}=${clip(describeValue(value), 48)}`;
  });
  const more = entries.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

function describeWord(value: unknown): string {
  return typeof value === 'string' ? value : describeValue(value);
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return `[${value.length} item${value.length === 1 ? '' : 's'}]`;
  if (typeof value === 'object') return '{…}';
  return typeof value;
}

const SIGNAL_WORDS: Readonly<Record<string, string>> = {
  'recursive-delete': 'recursive delete',
  'wildcard-delete': 'wildcard delete',
  sudo: 'runs as root',
  'pipe-to-shell': 'runs downloaded code',
  'opaque-code': 'runs code only known when it runs',
  'chmod-777': 'makes files writable by everyone',
  'force-push': 'force push rewrites history',
  mkfs: 'formats a file system',
  'raw-disk-write': 'writes a raw disk device',
  'sql-drop': 'SQL DROP',
  'sql-truncate': 'SQL TRUNCATE',
  'sql-delete-all': 'SQL DELETE without WHERE',
  'sql-update-all': 'SQL UPDATE without WHERE',
  production: 'production environment',
  'unparsed-command': 'the command could not be parsed',
  'dynamic-command': 'parts are computed at run time',
};

function signalPhrases(signals: readonly RiskSignal[]): string[] {
  const phrases = new Set<string>();
  for (const signal of signals) {
    // Said by the first sentence already ("… in production", "it cannot be undone").
    if (signal.code === 'irreversible' || signal.code === 'production') continue;
    phrases.add(SIGNAL_WORDS[signal.code] ?? signal.code);
  }
  return [...phrases];
}
