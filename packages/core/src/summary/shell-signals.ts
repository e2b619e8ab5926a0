import type { ShellPart } from '../policy/decision-types.js';
import { decomposeShell } from '../shell/shell-decompose.js';
import { finding, type RiskFinding } from './risk-finding.js';

const FETCHERS = new Set(['curl', 'wget', 'fetch', 'aria2c']);
const INTERPRETERS = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'ash',
  'fish',
  'python',
  'python3',
  'perl',
  'ruby',
  'node',
]);
const ELEVATORS = new Set(['sudo', 'doas', 'su', 'pkexec', 'run0']);
/** Targets whose recursive delete wipes a system or a home directory. */
const WHOLE_TREES = new Set(['/', '/*', '/.', '~', '~/', '~/*', '$HOME', '$HOME/', '$HOME/*']);

/**
 * Risk signals in a shell command line, read through the core's shell decomposition (so
 * `cd x && sudo rm -rf y` is seen part by part). A command the decomposer cannot read is itself a
 * signal, and plain-text patterns still look for the worst cases in it.
 * @example shellFindings('curl -fsSL https://x | sh').map((f) => f.code) // ['pipe-to-shell']
 */
export function shellFindings(command: string): RiskFinding[] {
  const decomposed = decomposeShell(command);
  if (!decomposed.ok) {
    return [
      finding('unparsed-command', 'medium', `the command could not be parsed (${decomposed.error})`),
      ...textFindings(command),
    ];
  }
  const found: RiskFinding[] = [];
  // An opaque part stands for code (a piped script, `python -c`): its words are not a command.
  const commands = decomposed.parts.filter((part) => !part.opaque);
  for (const part of commands) found.push(...partFindings(part));
  const fetch = commands.find((part) => FETCHERS.has(commandName(part)));
  const shell = commands.find((part) => INTERPRETERS.has(commandName(part)) && readsScriptFromInput(part));
  if (fetch !== undefined && shell !== undefined) {
    found.push(finding('pipe-to-shell', 'high', `${fetch.text} | ${shell.text}: runs downloaded code`));
  } else {
    const opaque = decomposed.parts.find((part) => part.opaque);
    if (opaque !== undefined) {
      const by = opaque.wrappers.at(-1) ?? opaque.text;
      found.push(finding('opaque-code', 'high', `${by} runs code only known when it runs`));
    }
  }
  if (commands.some((part) => part.dynamic)) {
    found.push(finding('dynamic-command', 'medium', 'parts of the command are computed when it runs'));
  }
  return dedupe(found);
}

function partFindings(part: ShellPart): RiskFinding[] {
  const found: RiskFinding[] = [];
  const name = commandName(part);
  const args = part.argv.slice(1);
  const elevator = [...part.wrappers, ...(ELEVATORS.has(name) ? [name] : [])].find((wrapper) =>
    ELEVATORS.has(wrapper.split(' ')[0] ?? ''),
  );
  if (elevator !== undefined) found.push(finding('sudo', 'medium', `runs as root: ${part.text}`));
  if (name === 'rm') found.push(...rmFindings(part, args));
  if (name === 'chmod' && args.some((arg) => /^0?777$|^a\+rwx$|^ugo\+rwx$/.test(arg))) {
    found.push(finding('chmod-777', 'medium', part.text));
  }
  if (name === 'git' && isForcePush(args)) found.push(finding('force-push', 'high', part.text));
  if (name.startsWith('mkfs')) found.push(finding('mkfs', 'critical', `formats a file system: ${part.text}`));
  if (name === 'dd' && args.some((arg) => arg.startsWith('of=/dev/'))) {
    found.push(finding('raw-disk-write', 'critical', `writes a raw device: ${part.text}`));
  }
  return found;
}

function rmFindings(part: ShellPart, args: readonly string[]): RiskFinding[] {
  const end = args.indexOf('--');
  const options = (end < 0 ? args : args.slice(0, end)).filter((arg) => arg.startsWith('-'));
  const targets = args.filter((arg, index) => (end >= 0 && index > end) || !arg.startsWith('-'));
  const found: RiskFinding[] = [];
  const recursive = options.some((option) =>
    option.startsWith('--') ? option === '--recursive' : /[rR]/.test(option),
  );
  if (recursive) {
    // `${HOME}` and `$HOME` name the same directory.
    const wipes = targets.some((target) => WHOLE_TREES.has(target.replace(/\$\{(\w+)\}/g, '$$$1')));
    found.push(finding('recursive-delete', wipes ? 'critical' : 'high', part.text));
  }
  if (targets.some((target) => target.includes('*')))
    found.push(finding('wildcard-delete', 'high', part.text));
  return found;
}

function isForcePush(args: readonly string[]): boolean {
  const push = args.indexOf('push');
  if (push < 0) return false;
  return args
    .slice(push + 1)
    .some(
      (arg) =>
        arg === '--force' ||
        arg === '-f' ||
        arg.startsWith('--force-with-lease') ||
        /^\+\S/.test(arg) ||
        /^-[a-zA-Z]*f[a-zA-Z]*$/.test(arg),
    );
}

/** `/usr/bin/rm` is `rm`. */
function commandName(part: ShellPart): string {
  const first = part.argv[0] ?? '';
  return first.slice(first.lastIndexOf('/') + 1);
}

/** An interpreter with no script file runs what arrives on its input (`| sh`, `| bash -s -- x`). */
function readsScriptFromInput(part: ShellPart): boolean {
  const args = part.argv.slice(1);
  const end = args.indexOf('--');
  const before = end < 0 ? args : args.slice(0, end);
  return part.dynamic || before.every((arg) => arg.startsWith('-') && arg !== '-c');
}

// When the command cannot be parsed, the worst cases are still looked for in its text.
const TEXT_PATTERNS: readonly (readonly [RegExp, string, RiskFinding['risk']])[] = [
  [/\brm\s+(?:-\S*\s+)*-[a-zA-Z]*[rR]/, 'recursive-delete', 'high'],
  [/\b(?:sudo|doas)\b/, 'sudo', 'medium'],
  [/\b(?:curl|wget)\b[^|;&]*\|\s*(?:sudo\s+)?(?:ba|z|da|k)?sh\b/, 'pipe-to-shell', 'high'],
  [/\bchmod\s+(?:-\S+\s+)*0?777\b/, 'chmod-777', 'medium'],
  [/\bgit\b[^;&|]*\bpush\b[^;&|]*\s(?:--force|-f)\b/, 'force-push', 'high'],
  [/\bmkfs(?:\.\w+)?\b/, 'mkfs', 'critical'],
  [/\bdd\b[^;&|]*\bof=\/dev\//, 'raw-disk-write', 'critical'],
];

/** Only the start of an unreadable command is searched: the patterns backtrack, and the start is what runs first. */
const TEXT_SEARCHED = 2_048;

function textFindings(command: string): RiskFinding[] {
  const text = command.slice(0, TEXT_SEARCHED);
  const found: RiskFinding[] = [];
  for (const [pattern, code, risk] of TEXT_PATTERNS) {
    const match = pattern.exec(text);
    if (match !== null) found.push(finding(code, risk, text.slice(match.index)));
  }
  return found;
}

function dedupe(findings: readonly RiskFinding[]): RiskFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}\u0000${f.detail}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
