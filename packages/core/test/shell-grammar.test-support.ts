import fc from 'fast-check';
import {
  BINARY,
  braces,
  CORE_COMMANDS,
  merge,
  NAME_BUILDERS,
  noise,
  REDIRECTIONS,
  type ShellCase,
  type SimpleCommand,
  SPELLINGS,
  script,
  singleQuoted,
  TAGGED_COMMANDS,
  UNARY,
  WRAPPERS,
} from './shell-constructs.test-support.js';

export type { ShellCase } from './shell-constructs.test-support.js';

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
