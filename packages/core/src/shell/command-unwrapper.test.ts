import { describe, expect, it } from 'vitest';
import { errorOf, partsOf } from './shell-parts.test-support.js';

/** The one part of a command line, as argv and wrappers. */
function unwrapped(command: string): { argv: string[]; wrappers: string[]; dynamic: boolean } {
  const parts = partsOf(command);
  expect(parts, command).toHaveLength(1);
  const [part] = parts;
  return {
    argv: [...(part?.argv ?? [])],
    wrappers: [...(part?.wrappers ?? [])],
    dynamic: part?.dynamic ?? false,
  };
}

describe('wrappers are stripped and recorded', () => {
  it('strips sudo with options and env with assignments', () => {
    expect(unwrapped('sudo -u root env FOO=1 git push')).toEqual({
      argv: ['git', 'push'],
      wrappers: ['sudo', 'env'],
      dynamic: false,
    });
    expect(unwrapped('sudo -u root -E git push --force').argv).toEqual(['git', 'push', '--force']);
  });

  it('knows which sudo options take a value, attached, clustered or long', () => {
    const commands = [
      'sudo -g wheel -h host -p "pw:" -C 3 -D /tmp -r role -t type -U bob -u root rm x',
      'sudo -uroot -Eu root -- rm x',
      'sudo --user=root --chdir /tmp --preserve-env --login rm x',
      'sudo -n -H -k -S -b -i -s -A -P -B -N rm x',
      'sudo -T 10 -R /srv rm x',
      'sudo LANG=C rm x',
      '/usr/bin/sudo rm x',
    ];
    for (const command of commands)
      expect(unwrapped(command), command).toMatchObject({ argv: ['rm', 'x'], wrappers: ['sudo'] });
  });

  it('keeps sudo as the command when it runs nothing', () => {
    for (const command of [
      'sudo',
      'sudo -i',
      'sudo -l rm',
      'sudo -e /etc/hosts',
      'sudo -v',
      'sudo -K',
      'sudo -h',
    ]) {
      expect(unwrapped(command).wrappers, command).toEqual([]);
      expect(unwrapped(command).argv[0], command).toBe('sudo');
    }
  });

  it('strips env options and assignments', () => {
    expect(unwrapped('env -i -u HOME -C /tmp LANG=C A=b=c ls -l')).toEqual({
      argv: ['ls', '-l'],
      wrappers: ['env'],
      dynamic: false,
    });
    expect(unwrapped('env - LANG=C ls').argv).toEqual(['ls']);
    expect(unwrapped('/usr/bin/env --unset=HOME --ignore-environment -- ls').argv).toEqual(['ls']);
    expect(unwrapped('env').argv).toEqual(['env']);
    expect(unwrapped('env A=1').argv).toEqual(['env', 'A=1']);
  });

  it('records leading assignments as wrappers', () => {
    expect(unwrapped('FOO=1 make')).toEqual({ argv: ['make'], wrappers: ['FOO=1'], dynamic: false });
    expect(partsOf('LD_PRELOAD=/tmp/x.so A+=1 B=$(id) ls').map((part) => [part.text, part.wrappers])).toEqual(
      [
        // LD_PRELOAD loads code the line does not show: an opaque part stands for it.
        ['LD_PRELOAD=/tmp/x.so', ['LD_PRELOAD=']],
        ['ls', ['LD_PRELOAD=/tmp/x.so', 'A+=1', 'B=$(...)']],
        ['id', []],
      ],
    );
  });

  it('strips command, builtin, exec, nohup, nice, time, timeout and doas', () => {
    const cases: [string, string[]][] = [
      ['command -p rm x', ['command']],
      ['builtin cd /', ['builtin']],
      ['exec -a name -cl rm x', ['exec']],
      ['nohup rm x', ['nohup']],
      ['nice -n 10 rm x', ['nice']],
      ['nice -10 rm x', ['nice']],
      ['nice --adjustment=5 rm x', ['nice']],
      ['time -p rm x', ['time']],
      ['sudo time -f %e -o out rm x', ['sudo', 'time']],
      ['timeout 5 rm x', ['timeout']],
      ['timeout -s KILL -k 1 --preserve-status 5s rm x', ['timeout']],
      ['doas -u root rm x', ['doas']],
    ];
    for (const [command, wrappers] of cases) {
      const result = unwrapped(command);
      expect(result.wrappers, command).toEqual(wrappers);
      expect(result.argv[0], command).toBe(command.startsWith('builtin') ? 'cd' : 'rm');
    }
  });

  it('strips wrappers repeatedly and in any combination', () => {
    expect(
      unwrapped('timeout -s KILL 5 nice -n 10 nohup sudo -u root env A=1 command exec doas rm x'),
    ).toEqual({
      argv: ['rm', 'x'],
      wrappers: ['timeout', 'nice', 'nohup', 'sudo', 'env', 'command', 'exec', 'doas'],
      dynamic: false,
    });
    expect(unwrapped('FOO=1 sudo env BAR=2 sudo make').wrappers).toEqual(['FOO=1', 'sudo', 'env', 'sudo']);
  });

  it('records the time keyword for every command of its pipeline', () => {
    const parts = partsOf('time -p make | tee log');
    expect(parts.map((part) => [part.text, part.wrappers])).toEqual([
      ['make', ['time']],
      ['tee log', ['time']],
    ]);
  });

  it('takes the command of xargs as the part, with arguments filled in at run time', () => {
    expect(unwrapped('xargs rm -rf')).toEqual({
      argv: ['rm', '-rf', '$(xargs)'],
      wrappers: ['xargs'],
      dynamic: true,
    });
    expect(unwrapped('xargs -0 -n 1 -P4 --no-run-if-empty -d "\\n" rm').argv).toEqual(['rm', '$(xargs)']);
    expect(unwrapped('xargs -I {} mv {} /tmp').argv).toEqual(['mv', '$(xargs)', '/tmp']);
    expect(unwrapped('xargs').argv).toEqual(['echo', '$(xargs)']);
    expect(unwrapped('xargs -0 sudo rm').wrappers).toEqual(['xargs', 'sudo']);
  });

  it('keeps wrappers that only look things up or print help', () => {
    expect(unwrapped('command -v rm').argv).toEqual(['command', '-v', 'rm']);
    expect(unwrapped('xargs --help').argv).toEqual(['xargs', '--help']);
    expect(unwrapped('timeout 5').argv).toEqual(['timeout', '5']);
    expect(unwrapped('nohup').argv).toEqual(['nohup']);
    expect(unwrapped('exec > log').argv).toEqual(['exec']);
    expect(unwrapped('doas -C /etc/doas.conf rm').argv[0]).toBe('doas');
  });

  it('stops at a word built at run time, which then stands as the (unknowable) command', () => {
    expect(unwrapped('sudo -u $USER rm x')).toEqual({
      argv: ['$USER', 'rm', 'x'],
      wrappers: ['sudo'],
      dynamic: true,
    });
    expect(unwrapped('env $VARS rm x')).toEqual({
      argv: ['$VARS', 'rm', 'x'],
      wrappers: ['env'],
      dynamic: true,
    });
    expect(unwrapped('timeout $T rm x').argv).toEqual(['$T', 'rm', 'x']);
    expect(unwrapped('sudo "$@"')).toEqual({ argv: ['$@'], wrappers: ['sudo'], dynamic: true });
  });
});

describe('wrapper options that are not understood are refused', () => {
  it('refuses unknown options rather than guessing whether they take a value', () => {
    expect(errorOf('sudo --bogus rm')).toBe('unsupported sudo option "--bogus"');
    expect(errorOf('sudo -Z rm')).toBe('unsupported sudo option "-Z"');
    expect(errorOf('timeout --bogus 5 rm')).toMatch(/timeout option/);
    expect(errorOf('nohup -x rm')).toMatch(/nohup option/);
  });

  it('refuses env -S, which re-splits a string into a command', () => {
    expect(errorOf('env -S "rm -rf /"')).toBe('unsupported env option "-S"');
    expect(errorOf('env --split-string="rm -rf /"')).toMatch(/--split-string/);
  });

  it('refuses commands whose name xargs -I or find -exec fills in', () => {
    expect(errorOf('xargs -I{} {} --x')).toMatch(/filled in at run time by xargs -I/);
    expect(errorOf('xargs -I CMD sudo CMD')).toMatch(/filled in at run time by xargs -I/);
    expect(errorOf('find . -exec {} \\;')).toMatch(/filled in at run time by find -exec/);
  });
});
