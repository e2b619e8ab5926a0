import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ShellDecomposition } from '../policy/decision-types.js';
import { createShellDecomposer, decomposeShell } from './shell-decompose.js';
import { quoteWord } from './shell-parts.test-support.js';

/**
 * Names the decomposer treats specially when they are the command: wrappers, shells,
 * interpreters, builtins, and tools that run other commands or whose options it reads.
 */
const SPECIAL = new Set(
  (
    'sudo doas env command builtin exec nohup nice time timeout xargs eval find source ' +
    'export local declare readonly typeset nameref let alias trap ' +
    'setsid stdbuf chroot flock ionice chrt taskset pkexec runuser busybox toybox unshare nsenter ' +
    'systemd-run strace ltrace firejail su at batch watch parallel ssh docker podman nerdctl kubectl oc ' +
    'tmux screen byobu awk gawk mawk nawk sed gsed git'
  ).split(' '),
);
/** Shells and interpreters by any version suffix (`bash5`, `python3.12`). */
const SPECIAL_PATTERN =
  /^((ba|da|z|k|mk|pdk|lk|ok|lok|a|ya|po|rba|o|c|tc|fi|xon|elvi|pw|y)?sh[0-9.]*|ksh93|sh\.distrib|nu|ion|rc|es|powershell|(python|pypy|perl|ruby|jruby|php|lua|luajit|tclsh|wish|expect|guile|irb|jshell|ghci|julia|sbcl|racket|scheme|clisp|groovysh)[0-9.]*|node|nodejs|bun|R|Rscript|osascript)$/;

function isSpecial(name: string): boolean {
  return SPECIAL.has(name) || SPECIAL_PATTERN.test(name);
}
/** Shell reserved words: not commands when unquoted. */
const RESERVED = new Set(
  'if then else elif fi do done case esac while until for in select function time coproc'.split(' '),
);

/** A command name: plain, not special, not reserved. */
const commandName = fc
  .stringMatching(/^[a-z][a-z0-9_.-]{0,8}$/)
  .filter((word) => !isSpecial(word) && !RESERVED.has(word));
/** An argument made only of characters the shell takes literally. */
const safeArgument = fc.stringMatching(/^[A-Za-z0-9_./:@%+=-]{1,10}$/);
const command = fc
  .tuple(commandName, fc.array(safeArgument, { maxLength: 4 }))
  .map(([name, args]) => [name, ...args]);

function expectWellFormed(result: ShellDecomposition): void {
  expect(Object.isFrozen(result)).toBe(true);
  if (!result.ok) {
    expect(typeof result.error).toBe('string');
    expect(result.error.length).toBeGreaterThan(0);
    return;
  }
  expect(result.parts.length).toBeLessThanOrEqual(256);
  for (const part of result.parts) {
    expect(Object.isFrozen(part)).toBe(true);
    expect(part.argv.length).toBeGreaterThan(0);
    expect(part.text).toBe(part.argv.join(' '));
    expect(typeof part.dynamic).toBe('boolean');
    for (const wrapper of part.wrappers) expect(typeof wrapper).toBe('string');
  }
}

/** Fragments that make shell-like input: quotes, operators, substitutions, wrappers. */
const shellSoup = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        ' ',
        '\n',
        ';',
        '&&',
        '||',
        '|',
        '&',
        '(',
        ')',
        '{',
        '}',
        '$(',
        '`',
        "'",
        '"',
        '\\',
        '$',
        '${',
        '<(',
        '<<',
        '<<<',
        'EOF',
        '>',
        '=',
        '*',
        '?',
        '[',
        ']',
        '{a,b}',
        '{1..3}',
        "$'\\x41'",
        'sudo',
        '-u',
        'env',
        'A=1',
        'bash',
        '-c',
        'eval',
        'xargs',
        '-I{}',
        'find',
        '-exec',
        '\\;',
        'if',
        'then',
        'fi',
        'for',
        'do',
        'done',
        'rm',
        '-rf',
        '/',
        '#',
        'time',
        'timeout',
        '5',
        'export',
      ),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 25 },
  )
  .map((fragments) => fragments.join(''));

describe('decomposeShell properties', () => {
  it('splits any commands joined by && into exactly those commands', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 6 }), (commands) => {
        const result = decomposeShell(commands.map((words) => words.join(' ')).join(' && '));
        expect(result).toEqual({
          ok: true,
          parts: commands.map((words) => ({
            argv: words,
            text: words.join(' '),
            wrappers: [],
            dynamic: false,
            opaque: false,
            writes: [],
          })),
        });
      }),
    );
  });

  it('splits on every list and pipeline operator alike', () => {
    const separator = fc.constantFrom(' && ', ' || ', '; ', ' | ', '\n', ' & ', ' |& ');
    fc.assert(
      fc.property(command, fc.array(fc.tuple(separator, command), { maxLength: 5 }), (first, rest) => {
        const line = first.join(' ') + rest.map(([sep, words]) => sep + words.join(' ')).join('');
        const result = decomposeShell(line);
        expect(result.ok && result.parts.map((part) => part.argv)).toEqual([
          first,
          ...rest.map(([, words]) => words),
        ]);
      }),
    );
  });

  it('gives back any argument vector exactly once it is single-quoted', () => {
    // Well-formed text a process can receive as argv, minus the characters the parser misreads.
    const word = fc
      .string({ unit: 'binary', maxLength: 12 })
      .filter((text) => !/[\0\r\u0080\u0081]/.test(text));
    const name = word.filter((text) => {
      const base = text.slice(text.lastIndexOf('/') + 1);
      return !isSpecial(base);
    });
    fc.assert(
      fc.property(name, fc.array(word, { maxLength: 5 }), (first, args) => {
        const argv = [first, ...args];
        const result = decomposeShell(argv.map(quoteWord).join(' '));
        expect(result).toEqual({
          ok: true,
          parts: [{ argv, text: argv.join(' '), wrappers: [], dynamic: false, opaque: false, writes: [] }],
        });
      }),
    );
  });

  it('strips any stack of wrappers and keeps the command that runs', () => {
    const wrapper = fc.constantFrom(
      ['sudo', 'sudo'],
      ['sudo -u root -E', 'sudo'],
      ['doas -u root', 'doas'],
      ['env FOO=1', 'env'],
      ['env -i', 'env'],
      ['command', 'command'],
      ['nohup', 'nohup'],
      ['nice -n 10', 'nice'],
      ['timeout 5', 'timeout'],
      ['timeout -s KILL 1m', 'timeout'],
      ['BAR=2', 'BAR=2'],
    );
    fc.assert(
      fc.property(fc.array(wrapper, { maxLength: 5 }), command, (wrappers, words) => {
        // Leading assignments are only assignments at the very front of a command.
        const stack = wrappers.filter(
          ([text], index) => !text.includes('=') || text.startsWith('env') || index === 0,
        );
        const line = [...stack.map(([text]) => text), ...words].join(' ');
        const result = decomposeShell(line);
        expect(result).toEqual({
          ok: true,
          parts: [
            {
              argv: words,
              text: words.join(' '),
              wrappers: stack.map(([, name]) => name),
              dynamic: false,
              opaque: false,
              writes: [],
            },
          ],
        });
      }),
    );
  });

  it('finds the commands of a bash -c script as parts of their own', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 4 }), (commands) => {
        const script = commands.map((words) => words.join(' ')).join('; ');
        const result = decomposeShell(`bash -c ${quoteWord(script)}`);
        expect(result.ok && result.parts.slice(1).map((part) => [part.argv, part.wrappers])).toEqual(
          commands.map((words) => [words, ['bash -c']]),
        );
      }),
    );
  });

  it('never throws, whatever the input, and always answers ok true or false', () => {
    const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
    const input = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: anyUnit }),
      shellSoup,
    );
    fc.assert(
      fc.property(input, (line) => {
        expectWellFormed(decomposeShell(line));
      }),
      { numRuns: 500 },
    );
  });

  it('answers the same through the memoising decomposer, object for object', () => {
    const decompose = createShellDecomposer(8);
    fc.assert(
      fc.property(shellSoup, (line) => {
        const first = decompose(line);
        expect(decompose(line)).toBe(first);
        expect(first).toEqual(decomposeShell(line));
      }),
    );
  });
});
