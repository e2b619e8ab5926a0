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
interface SimpleCommand {
  readonly words: readonly string[];
  readonly tags: readonly string[];
}

const NO_FILES: Readonly<Record<string, string>> = {};

function script(text: string, tags: readonly string[], files = NO_FILES): ShellCase {
  return { line: text, files, tags };
}

function merge(text: string, tag: string, parts: readonly ShellCase[]): ShellCase {
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
const CORE_COMMANDS: readonly (readonly string[])[] = [
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
const TAGGED_COMMANDS: readonly (readonly [string, readonly string[]])[] = [
  ['glob', ['rm', '-rf', '/*']],
  ['interpreter', ['python3', '-c', singleQuoted('print(1)')]],
  ['interpreter', ['node', '-e', '1']],
  ['ssh', ['ssh', 'host', 'git', 'push']],
  ['docker-exec', ['docker', 'exec', 'c', 'rm', '-rf', '/']],
  ['kubectl-exec', ['kubectl', 'exec', 'p', '--', 'git', 'push']],
];

/** How a command name may be spelled: bash and dash take all of these for `rm`, but dash has no `$'…'`. */
const SPELLINGS: readonly (readonly [string, (name: string) => string])[] = [
  ['single-quoted', (name) => `'${name.slice(0, 1)}'${name.slice(1)}`],
  ['backslash', (name) => `${name.slice(0, 1)}\\${name.slice(1)}`],
  ['double-quoted', (name) => `"${name}"`],
  ['ansi-c', (name) => `$'${name}'`],
  ['empty-quotes', (name) => `${name.slice(0, 1)}''${name.slice(1)}`],
];

const noise: fc.Arbitrary<ShellCase> = fc
  .constantFrom('true', 'echo hi', 'cd .', 'ls', ':', "printf '%s\\n' x", 'false', 'cd sub')
  .map((text) => script(text, ['noise']));

/** Ways to build the command name at run time, which no decomposer can read. */
const NAME_BUILDERS: readonly ((name: string) => string)[] = [
  (name) => `$(echo ${name})`,
  (name) => `"$(printf ${name})"`,
  (name) => `\`echo ${name}\``,
];

const braces: fc.Arbitrary<ShellCase> = fc
  .constantFrom('{git,push}', 'git pu{sh,}', '{rm,-rf,/}', 'r{m,} -rf /', 'git {status,push}')
  .map((text) => script(text, ['brace-expansion']));

/** Wrappers that take a command: each is `[tag, prefix]`. */
const WRAPPERS: readonly (readonly [string, string])[] = [
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
  ['flock', 'flock ./lk'],
  ['flock', 'flock -w 1 ./lk'],
  ['sudo', 'sudo'],
  ['sudo', 'sudo -u root'],
  ['sudo', 'sudo -E A=1'],
  ['exec', 'exec'],
  ['assignment', 'A=1'],
  ['assignment', 'A=1 B=x'],
];

const REDIRECTIONS = ['> out.txt', '2>/dev/null', '>> log.txt', '< a.txt', '>&2', '2>&1'];

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

const UNARY: readonly UnaryConstruct[] = [
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
const BINARY: readonly (readonly [string, string])[] = [
  ['pipeline', ' | '],
  ['and-list', ' && '],
  ['or-list', ' || '],
  ['sequence', '; '],
  ['sequence', '\n'],
];

/** The parts of the grammar a run may be limited to, by tag (GATEHOUSE_DIFF_CONSTRUCTS). */
export interface GrammarOptions {
  readonly constructs?: ReadonlySet<string>;
}

/** Every construct tag the grammar can emit, for validating GATEHOUSE_DIFF_CONSTRUCTS. */
export const CONSTRUCT_TAGS: readonly string[] = [
  ...new Set([
    ...WRAPPERS.map(([tag]) => tag),
    ...TAGGED_COMMANDS.map(([tag]) => tag),
    'spelling',
    'redirection',
    'dynamic-name',
    'variable-name',
    'brace-expansion',
    'pipeline',
    'and-list',
    'or-list',
    'sequence',
    'subshell',
    'group',
    'if',
    'for',
    'case',
    'function',
    'command-substitution',
    'backticks',
    'bash-c',
    'sh-c',
    'dash-c',
    'pipe-to-shell',
    'here-string',
    'heredoc',
    'process-substitution',
    'eval',
    'source',
    'script-file',
    'base64-to-shell',
    'xargs',
    'find-exec',
  ]),
];

/**
 * Command lines built from the constructs of issue 8 item 2, nested up to three deep,
 * mixed with benign noise. Each case records the constructs it used.
 */
export function shellCaseArbitrary(options: GrammarOptions = {}): fc.Arbitrary<ShellCase> {
  const allowed = (tag: string) => options.constructs === undefined || options.constructs.has(tag);
  const wrappers = WRAPPERS.filter(([tag]) => allowed(tag));
  const redirections = allowed('redirection') ? REDIRECTIONS : [];
  const tagged = TAGGED_COMMANDS.filter(([tag]) => allowed(tag));
  const gated: fc.Arbitrary<SimpleCommand> = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...CORE_COMMANDS).map((words) => ({ words, tags: [] })) },
    ...(tagged.length === 0
      ? []
      : [
          {
            weight: 1,
            arbitrary: fc.constantFrom(...tagged).map(([tag, words]) => ({ words, tags: [tag] })),
          },
        ]),
  );
  const spellings = allowed('spelling') ? SPELLINGS : [];
  const spelled: fc.Arbitrary<SimpleCommand> =
    spellings.length === 0
      ? gated
      : fc
          .tuple(
            gated,
            // One command in three is spelled another way.
            fc.oneof(
              { withCrossShrink: true },
              { weight: 2, arbitrary: fc.constant(null) },
              { weight: 1, arbitrary: fc.constantFrom(...spellings) },
            ),
          )
          .map(([command, spelling]) =>
            spelling === null
              ? command
              : {
                  words: [spelling[1](command.words[0] as string), ...command.words.slice(1)],
                  tags: [...command.tags, 'spelling', `spelling:${spelling[0]}`],
                },
          );
  const dynamicName = fc
    .tuple(gated, fc.constantFrom(...NAME_BUILDERS))
    .map(([command, build]) =>
      script([build(command.words[0] as string), ...command.words.slice(1)].join(' '), [
        'dynamic-name',
        ...command.tags,
      ]),
    );
  const variableName = gated.map((command) =>
    script(`c=${command.words[0]}; "$c" ${command.words.slice(1).join(' ')}`, [
      'variable-name',
      ...command.tags,
    ]),
  );

  /** A simple command with its words, wrapped and redirected. */
  const simple: fc.Arbitrary<ShellCase> = fc
    .tuple(
      spelled,
      wrappers.length === 0 ? fc.constant([]) : fc.array(fc.constantFrom(...wrappers), { maxLength: 2 }),
      redirections.length === 0 ? fc.constant(undefined) : fc.option(fc.constantFrom(...redirections)),
    )
    .map(([command, chosen, redirection]) => {
      const words = [...chosen.map(([, prefix]) => prefix), ...command.words];
      if (redirection !== undefined && redirection !== null) words.push(redirection);
      return script(words.join(' '), [
        ...chosen.map(([tag]) => tag),
        ...(redirection === undefined || redirection === null ? [] : ['redirection']),
        ...command.tags,
      ]);
    });

  /** A gated command handed to a runner that appends arguments at run time. */
  const runners: fc.Arbitrary<ShellCase>[] = [];
  if (allowed('xargs')) {
    runners.push(
      fc.tuple(spelled, fc.nat(), fc.constantFrom('', '-n 9 ', '-r ', '-0 ')).map(([command, at, option]) => {
        const split = 1 + (at % command.words.length);
        const input = command.words.slice(split).join(' ');
        const feed = option === '-0 ' ? `printf '%s' ${singleQuoted(input)}` : `echo ${input}`;
        const run = command.words.slice(0, split).join(' ');
        return script(`${feed} | xargs ${option}${run}`, ['xargs', ...command.tags]);
      }),
      spelled.map((command) =>
        script(`echo ${command.words.join(' ')} | xargs`, ['xargs', 'xargs-default', ...command.tags]),
      ),
      spelled.map((command) =>
        script(`echo x | xargs -I{} ${command.words.join(' ')} {}`, [
          'xargs',
          'xargs-replace',
          ...command.tags,
        ]),
      ),
    );
  }
  if (allowed('find-exec')) {
    runners.push(
      fc
        .tuple(spelled, fc.constantFrom('-maxdepth 0 -exec', '-name a.txt -exec', '-maxdepth 0 -execdir'))
        .map(([command, action]) =>
          script(`find . ${action} ${command.words.join(' ')} \\;`, ['find-exec', ...command.tags]),
        ),
      spelled.map((command) =>
        script(`find . -name a.txt -exec ${command.words.join(' ')} {} +`, ['find-exec', ...command.tags]),
      ),
    );
  }

  const leaves: fc.Arbitrary<ShellCase>[] = [simple, ...runners];
  if (allowed('dynamic-name')) leaves.push(dynamicName);
  if (allowed('variable-name')) leaves.push(variableName);
  if (allowed('brace-expansion')) leaves.push(braces);
  const leaf = fc.oneof(...leaves);

  const unary = UNARY.filter(([tag]) => allowed(tag));
  const binary = BINARY.filter(([tag]) => allowed(tag));

  const { node } = fc.letrec<{ node: ShellCase }>((tie) => {
    const choices: fc.WeightedArbitrary<ShellCase>[] = [
      { arbitrary: leaf, weight: 4 },
      { arbitrary: noise, weight: 1 },
    ];
    if (unary.length > 0) {
      choices.push({
        arbitrary: fc.tuple(fc.constantFrom(...unary), tie('node')).map(([[, build], inner]) => build(inner)),
        weight: 3,
      });
    }
    if (binary.length > 0) {
      choices.push({
        arbitrary: fc
          .tuple(tie('node'), fc.constantFrom(...binary), tie('node'))
          .map(([left, [tag, operator], right]) =>
            merge(`${left.line}${operator}${right.line}`, tag, [left, right]),
          ),
        weight: 2,
      });
    }
    return { node: fc.oneof({ maxDepth: 3, depthSize: 'small', withCrossShrink: true }, ...choices) };
  });

  // One gated construct, often with benign noise around it.
  return fc
    .tuple(fc.option(noise, { freq: 2 }), node, fc.option(noise, { freq: 2 }))
    .map(([before, core, after]) => {
      const parts = [before, core, after].filter((part): part is ShellCase => part !== null);
      return {
        line: parts.map((part) => part.line).join('; '),
        files: Object.assign({}, ...parts.map((part) => part.files)),
        tags: [...new Set(parts.flatMap((part) => part.tags))],
      };
    });
}
