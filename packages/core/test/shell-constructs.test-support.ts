import { createHash } from 'node:crypto';
import fc from 'fast-check';

/**
 * A generated command line, the files it expects beside it (scripts it sources or runs),
 * and the constructs it was built from (for reports and for GATEHOUSE_DIFF_CONSTRUCTS).
 */
export interface ShellCase {
  readonly line: string;
  readonly files: Readonly<Record<string, string>>;
  readonly tags: readonly string[];
}

/** A simple command as shell words (already quoted as they are written), so runners can split it. */
export interface SimpleCommand {
  readonly words: readonly string[];
  readonly tags: readonly string[];
}

const NO_FILES: Readonly<Record<string, string>> = {};

export function script(text: string, tags: readonly string[], files = NO_FILES): ShellCase {
  return { line: text, files, tags };
}

export function merge(text: string, tag: string, parts: readonly ShellCase[]): ShellCase {
  return {
    line: text,
    files: Object.assign({}, ...parts.map((part) => part.files)),
    tags: [...new Set([tag, ...parts.flatMap((part) => part.tags)])],
  };
}

/** `'text'`, safe for any text. */
export function singleQuoted(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function doubleQuoted(text: string): string {
  return `"${text.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;
}

/** Inside backquotes a backslash before `\` or `` ` `` is removed: escape both to keep the text as it was. */
function backquoted(text: string): string {
  return `\`${text.replace(/[\\`]/g, (c) => `\\${c}`)}\``;
}

/** A here-document delimiter that no line of `body` can end early, even a nested here-document's. */
function delimiterFor(body: string): string {
  return `EOF_${createHash('sha256').update(body).digest('hex').slice(0, 6)}`;
}

/** A file name that depends only on the content, so equal scripts share a file and different ones never do. */
function scriptFile(content: string): string {
  return `s-${createHash('sha256').update(content).digest('hex').slice(0, 8)}.sh`;
}

// Never generate an absolute command path, `command -p`, a PATH assignment or `env -i`:
// each would reach the real programs of this machine instead of the shims.

/** The commands a policy gates, always in the grammar: git in the option spellings the issue lists, and rm. */
export const CORE_COMMANDS: readonly (readonly string[])[] = [
  ['git', 'push'],
  ['git', 'push', '--force', 'origin', 'main'],
  ['git', 'status'],
  ['git', '-C', 'sub', 'push'],
  ['git', '-c', 'k=v', 'push'],
  ['git', '--git-dir=.git', 'push'],
  ['git', '--no-pager', 'push'],
  ['rm', '-rf', '/'],
  ['rm', '-r', '-f', '/'],
  ['rm', '-Rf', '/'],
  ['rm', '--recursive', '--force', '/'],
  ['rm', '-rf', '--', '/'],
  ['rm', 'a.txt'],
  ['curl', 'http://example.com'],
];

/** More gated commands, each a construct of its own: `[tag, words]`. */
export const TAGGED_COMMANDS: readonly (readonly [string, readonly string[]])[] = [
  ['glob', ['rm', '-rf', '/*']],
  ['interpreter', ['python3', '-c', singleQuoted('print(1)')]],
  ['interpreter', ['node', '-e', '1']],
  ['ssh', ['ssh', 'host', 'git', 'push']],
  ['docker-exec', ['docker', 'exec', 'c', 'rm', '-rf', '/']],
  ['kubectl-exec', ['kubectl', 'exec', 'p', '--', 'git', 'push']],
];

/** How a command name may be spelled: bash and dash take all of these for `rm`, but dash has no `$'…'`. */
export const SPELLINGS: readonly (readonly [string, (name: string) => string])[] = [
  ['single-quoted', (name) => `'${name.slice(0, 1)}'${name.slice(1)}`],
  ['backslash', (name) => `${name.slice(0, 1)}\\${name.slice(1)}`],
  ['double-quoted', (name) => `"${name}"`],
  ['empty-quotes', (name) => `${name.slice(0, 1)}''${name.slice(1)}`],
  // dash has no `$'…'`, which the decomposer reads as bash does: a known gap (ADR 0008), so
  // only the full run (`GATEHOUSE_DIFF_CONSTRUCTS=all`) spells names this way.
  ...(process.env.GATEHOUSE_DIFF_CONSTRUCTS === 'all'
    ? [['ansi-c', (name: string) => `$'${name}'`] as const]
    : []),
];

export const noise: fc.Arbitrary<ShellCase> = fc
  .constantFrom('true', 'echo hi', 'cd .', 'ls', ':', "printf '%s\\n' x", 'false', 'cd sub')
  .map((text) => script(text, ['noise']));

/** Ways to build the command name at run time, which no decomposer can read. */
export const NAME_BUILDERS: readonly ((name: string) => string)[] = [
  (name) => `$(echo ${name})`,
  (name) => `"$(printf ${name})"`,
  (name) => `\`echo ${name}\``,
];

export const braces: fc.Arbitrary<ShellCase> = fc
  .constantFrom('{git,push}', 'git pu{sh,}', '{rm,-rf,/}', 'r{m,} -rf /', 'git {status,push}')
  .map((text) => script(text, ['brace-expansion']));

/** Wrappers that take a command: each is `[tag, prefix]`. */
export const WRAPPERS: readonly (readonly [string, string])[] = [
  ['env', 'env'],
  ['env', 'env A=1'],
  ['env', 'env --'],
  ['timeout', 'timeout 5'],
  ['timeout', 'timeout -s KILL 5'],
  ['nice', 'nice -n 1'],
  ['nice', 'nice'],
  ['nohup', 'nohup'],
  ['command', 'command'],
  ['command', 'command --'],
  ['builtin', 'builtin'],
  ['time', 'time'],
  ['time', 'time -p'],
  ['setsid', 'setsid'],
  ['stdbuf', 'stdbuf -o0'],
  ['stdbuf', 'stdbuf -oL -eL'],
  ['flock', 'flock -n ./lk'],
  ['flock', 'flock -w 0.1 ./lk'],
  ['sudo', 'sudo'],
  ['sudo', 'sudo -u root'],
  ['sudo', 'sudo -E A=1'],
  ['exec', 'exec'],
  ['assignment', 'A=1'],
  ['assignment', 'A=1 B=x'],
];

export const REDIRECTIONS = ['> out.txt', '2>/dev/null', '>> log.txt', '< a.txt', '>&2', '2>&1'];

/** A construct that takes one inner script: `[tag, build]`. */
type UnaryConstruct = readonly [string, (inner: ShellCase) => ShellCase];

function withFile(command: (file: string) => string, tag: string, inner: ShellCase): ShellCase {
  const file = scriptFile(inner.line);
  return merge(command(file), tag, [inner, script('', [], { [file]: `${inner.line}\n` })]);
}

/** In braces, so that whatever follows the here-document starts on a line of its own. */
function hereDocument(shell: string, quoted: boolean, inner: ShellCase): ShellCase {
  const end = delimiterFor(inner.line);
  return merge(`{ ${shell} <<${quoted ? `'${end}'` : end}\n${inner.line}\n${end}\n}`, 'heredoc', [inner]);
}

export const UNARY: readonly UnaryConstruct[] = [
  ['subshell', (inner) => merge(`( ${inner.line} )`, 'subshell', [inner])],
  ['group', (inner) => merge(`{ ${inner.line}\n}`, 'group', [inner])],
  ['if', (inner) => merge(`if true; then ${inner.line}\nfi`, 'if', [inner])],
  ['for', (inner) => merge(`for i in 1; do ${inner.line}\ndone`, 'for', [inner])],
  ['case', (inner) => merge(`case x in x) ${inner.line}\n;; esac`, 'case', [inner])],
  ['function', (inner) => merge(`f() { ${inner.line}\n}; f`, 'function', [inner])],
  ['command-substitution', (inner) => merge(`echo "$( ${inner.line}\n)"`, 'command-substitution', [inner])],
  ['backticks', (inner) => merge(`echo ${backquoted(inner.line)}`, 'backticks', [inner])],
  ['bash-c', (inner) => merge(`bash -c ${singleQuoted(inner.line)}`, 'bash-c', [inner])],
  ['sh-c', (inner) => merge(`sh -c ${doubleQuoted(inner.line)}`, 'sh-c', [inner])],
  ['dash-c', (inner) => merge(`dash -c ${singleQuoted(inner.line)}`, 'dash-c', [inner])],
  ['pipe-to-shell', (inner) => merge(`echo ${singleQuoted(inner.line)} | sh`, 'pipe-to-shell', [inner])],
  [
    'pipe-to-shell',
    (inner) => merge(`printf '%s\\n' ${singleQuoted(inner.line)} | bash -s`, 'pipe-to-shell', [inner]),
  ],
  ['here-string', (inner) => merge(`sh <<< ${singleQuoted(inner.line)}`, 'here-string', [inner])],
  ['heredoc', (inner) => hereDocument('sh', true, inner)],
  ['heredoc', (inner) => hereDocument('bash', false, inner)],
  [
    'process-substitution',
    (inner) => merge(`sh <(echo ${singleQuoted(inner.line)})`, 'process-substitution', [inner]),
  ],
  ['eval', (inner) => merge(`eval ${singleQuoted(inner.line)}`, 'eval', [inner])],
  ['eval', (inner) => merge(`eval ${doubleQuoted(inner.line)}`, 'eval', [inner])],
  ['source', (inner) => withFile((file) => `. ./${file}`, 'source', inner)],
  ['source', (inner) => withFile((file) => `source ${file}`, 'source', inner)],
  ['script-file', (inner) => withFile((file) => `sh ${file}`, 'script-file', inner)],
  ['script-file', (inner) => withFile((file) => `bash < ${file}`, 'script-file', inner)],
  [
    'base64-to-shell',
    (inner) =>
      merge(`echo ${Buffer.from(inner.line).toString('base64')} | base64 -d | sh`, 'base64-to-shell', [
        inner,
      ]),
  ],
];

/** Constructs that join two scripts: `[tag, operator]`. */
export const BINARY: readonly (readonly [string, string])[] = [
  ['pipeline', ' | '],
  ['and-list', ' && '],
  ['or-list', ' || '],
  ['sequence', '; '],
  ['sequence', '\n'],
];
