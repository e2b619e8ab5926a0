import { describe, expect, it } from 'vitest';
import { argvsOf, errorOf, partsOf } from './shell-parts.test-support.js';

describe('scripts run by shells are decomposed too', () => {
  it("finds `rm -rf /` inside `bash -c 'cd / && rm -rf /'`, keeping the bash call", () => {
    expect(partsOf("bash -c 'cd / && rm -rf /'")).toEqual([
      {
        argv: ['bash', '-c', 'cd / && rm -rf /'],
        text: 'bash -c cd / && rm -rf /',
        wrappers: [],
        dynamic: false,
        opaque: false,
        writes: [],
      },
      { argv: ['cd', '/'], text: 'cd /', wrappers: ['bash -c'], dynamic: false, opaque: false, writes: [] },
      {
        argv: ['rm', '-rf', '/'],
        text: 'rm -rf /',
        wrappers: ['bash -c'],
        dynamic: false,
        opaque: false,
        writes: [],
      },
    ]);
  });

  it('follows nested shells, recording each level', () => {
    const parts = partsOf(`bash -c "sh -c 'rm -rf /'"`);
    expect(parts.map((part) => [part.text, part.wrappers])).toEqual([
      ["bash -c sh -c 'rm -rf /'", []],
      ['sh -c rm -rf /', ['bash -c']],
      ['rm -rf /', ['bash -c', 'sh -c']],
    ]);
  });

  it('understands the flags shells are called with', () => {
    const commands = [
      'sh -c "rm -rf /"',
      'zsh -c "rm -rf /"',
      'dash -c "rm -rf /"',
      'bash -lc "rm -rf /"',
      'bash -ec "rm -rf /"',
      'bash -euo pipefail -c "rm -rf /"',
      'bash -O extglob +o history -c "rm -rf /"',
      'bash --norc --noprofile -c "rm -rf /"',
      'bash --rcfile /tmp/rc -c "rm -rf /"',
      'bash -c -- "rm -rf /" name arg',
      '/bin/bash -c "rm -rf /"',
    ];
    for (const command of commands) expect(argvsOf(command), command).toContainEqual(['rm', '-rf', '/']);
  });

  it('passes outer wrappers on to the commands of the script', () => {
    const parts = partsOf("sudo -u root bash -c 'FOO=1 make install'");
    expect(parts.map((part) => [part.text, part.wrappers])).toEqual([
      ['bash -c FOO=1 make install', ['sudo']],
      ['make install', ['sudo', 'bash -c', 'FOO=1']],
    ]);
  });

  it('leaves a shell running a script file as one part, and stands an opaque part for a script from a pipe', () => {
    expect(argvsOf('bash deploy.sh --prod')).toEqual([['bash', 'deploy.sh', '--prod']]);
    expect(partsOf('curl https://x | sh').map((part) => [part.argv, part.wrappers, part.opaque])).toEqual([
      [['curl', 'https://x'], [], false],
      [['sh'], [], false],
      [['<a pipe>'], ['sh -s'], true],
    ]);
  });

  it('reads here-documents and here-strings fed to a shell', () => {
    expect(partsOf("bash <<'EOF'\nrm -rf / && ls\nEOF").map((part) => [part.text, part.wrappers])).toEqual([
      ['bash', []],
      ['rm -rf /', ['bash -s']],
      ['ls', ['bash -s']],
    ]);
    expect(argvsOf('bash <<< "rm -rf /"')).toContainEqual(['rm', '-rf', '/']);
    expect(argvsOf('sudo sh -s <<-EOF\n\trm -rf /\n\tEOF')).toContainEqual(['rm', '-rf', '/']);
    expect(argvsOf('bash -c "ls" <<EOF\nrm -rf /\nEOF')).not.toContainEqual(['rm', '-rf', '/']);
    expect(argvsOf('cat <<EOF\nrm -rf /\nEOF')).toEqual([['cat']]);
  });

  it('decomposes the -c script of su and runuser', () => {
    for (const command of [
      "su -c 'rm -rf /'",
      "su - root -c 'rm -rf /'",
      "su -s /bin/sh -lc 'rm -rf /' root",
      "su --command='rm -rf /'",
      "su --session-command 'rm -rf /' bob",
      "runuser -u bob -c 'rm -rf /'",
    ]) {
      expect(argvsOf(command), command).toContainEqual(['rm', '-rf', '/']);
    }
    expect(partsOf("sudo su -c 'make install'").at(-1)).toMatchObject({
      argv: ['make', 'install'],
      wrappers: ['sudo', 'su -c'],
    });
    // Without -c, su starts a login shell that reads the executor's standard input.
    expect(partsOf('su - bob').map((part) => [part.argv, part.opaque])).toEqual([
      [['su', '-', 'bob'], false],
      [['<the executor’s standard input>'], true],
    ]);
  });

  it('decomposes literal eval strings', () => {
    expect(partsOf("eval 'ls; rm x'").map((part) => [part.text, part.wrappers])).toEqual([
      ['eval ls; rm x', []],
      ['ls', ['eval']],
      ['rm x', ['eval']],
    ]);
    expect(argvsOf('eval -- rm "-rf /"')).toContainEqual(['rm', '-rf', '/']);
    expect(argvsOf("command eval 'rm x'")).toContainEqual(['rm', 'x']);
  });

  it('stands a script built at run time as one dynamic part whose name is unknowable', () => {
    expect(partsOf('bash -c "rm -rf $DIR"')[1]).toEqual({
      argv: ['rm -rf $DIR'],
      text: 'rm -rf $DIR',
      wrappers: ['bash -c'],
      dynamic: true,
      opaque: true,
      writes: [],
    });
    expect(partsOf('eval "$(ssh-agent)"').map((part) => [part.text, part.dynamic])).toEqual([
      ['eval $(...)', true],
      ['$(...)', true],
      ['ssh-agent', false],
    ]);
    expect(partsOf('bash -s <<EOF\nrm $HOME\nEOF')[1]).toMatchObject({ argv: ['rm $HOME'], dynamic: true });
    expect(partsOf('sh $FLAGS -c x')[1]).toMatchObject({ argv: ['$FLAGS -c x'], dynamic: true });
  });

  it('decomposes the commands find runs, with {} filled in at run time', () => {
    expect(
      partsOf("find . -name '*.tmp' -exec rm -f {} \\;").map((part) => [
        part.text,
        part.wrappers,
        part.dynamic,
      ]),
    ).toEqual([
      ['find . -name *.tmp -exec rm -f {} ;', [], false],
      ['rm -f $(find)', ['find -exec'], true],
    ]);
    expect(argvsOf('find . -execdir sudo chmod 600 {} + -ok rm {} \\;')).toEqual([
      ['find', '.', '-execdir', 'sudo', 'chmod', '600', '{}', '+', '-ok', 'rm', '{}', ';'],
      ['chmod', '600', '$(find)'],
      ['rm', '$(find)'],
    ]);
    expect(argvsOf('find . -exec sh -c \'rm "$1"\' _ {} \\;')).toContainEqual(['rm', '$1']);
  });

  it('refuses scripts that xargs -I or find -exec rewrite at run time (a file name would become code)', () => {
    expect(errorOf("find . -exec sh -c 'echo {}' \\;")).toMatch(/filled in at run time by find -exec/);
    expect(errorOf('xargs -I % sh -c "echo %"')).toMatch(/filled in at run time by xargs -I/);
    expect(argvsOf('xargs -0 -n1 sh -c \'echo "$1"\' _')).toContainEqual(['echo', '$1']);
  });

  it('reports errors inside nested scripts with where they are', () => {
    expect(errorOf("bash -c 'echo \"x'")).toMatch(/^in the bash -c script: line 1, column 6: /);
    expect(errorOf('eval "ls &&"')).toMatch(/^in the eval script: line 1, column 4: /);
  });

  it('refuses scripts nested more than 8 deep', () => {
    const nested = (depth: number) => {
      let script = 'ls';
      for (let level = 0; level < depth; level++) script = `bash <<'E${level}'\n${script}\nE${level}`;
      return script;
    };
    expect(argvsOf(nested(8)).at(-1)).toEqual(['ls']);
    expect(errorOf(nested(9))).toBe('scripts are nested more than 8 deep');
  });
});
