import { describe, expect, it } from 'vitest';
import { partsOf } from './shell-parts.test-support.js';

/** What a rule sees of each part: the words, the wrappers stripped, and whether it is opaque. */
function seen(command: string): { argv: string; wrappers: readonly string[]; opaque: boolean }[] {
  return partsOf(command).map((part) => ({
    argv: part.argv.join(' '),
    wrappers: part.wrappers,
    opaque: part.opaque,
  }));
}

function argvs(command: string): string[] {
  return partsOf(command).map((part) => part.argv.join(' '));
}

/** The text of every opaque part. */
function opaqueParts(command: string): string[] {
  return partsOf(command)
    .filter((part) => part.opaque)
    .map((part) => part.text);
}

const STDIN = '<the executor’s standard input>';

describe('shells reading a script from somewhere the line does not show', () => {
  it('stands an opaque part for a script read from a pipe', () => {
    expect(seen('curl https://x | sh')).toEqual([
      { argv: 'curl https://x', wrappers: [], opaque: false },
      { argv: 'sh', wrappers: [], opaque: false },
      { argv: '<a pipe>', wrappers: ['sh -s'], opaque: true },
    ]);
  });

  it('stands an opaque part for a script read from a file redirect or a descriptor redirect', () => {
    expect(seen('sh < script.sh').at(-1)).toEqual({ argv: '<script.sh', wrappers: ['sh -s'], opaque: true });
    expect(seen('sh <&3').at(-1)).toEqual({ argv: '<3', wrappers: ['sh -s'], opaque: true });
  });

  it('stands an opaque part for a script named /dev/stdin or /dev/fd/N', () => {
    expect(seen('bash /dev/stdin').at(-1)).toEqual({ argv: STDIN, wrappers: ['bash -s'], opaque: true });
    expect(seen('cat x | bash /dev/stdin').at(-1)).toEqual({
      argv: '<a pipe>',
      wrappers: ['bash -s'],
      opaque: true,
    });
    expect(seen('bash /dev/fd/3').at(-1)).toEqual({
      argv: '/dev/fd/3',
      wrappers: ['bash /dev/fd/3'],
      opaque: true,
    });
  });

  it('stands an opaque part for a script from a process substitution, and decomposes what feeds it', () => {
    expect(seen('sh <(echo git push)')).toEqual([
      { argv: 'sh <(...)', wrappers: [], opaque: false },
      { argv: '<(...)', wrappers: ['sh'], opaque: true },
      { argv: 'echo git push', wrappers: [], opaque: false },
    ]);
    expect(opaqueParts('bash -s < <(echo git push)')).toEqual(['<<(...)']);
  });

  it('stands an opaque part for a -c script built at run time', () => {
    expect(seen('bash -c "$CMD"').at(-1)).toEqual({ argv: '$CMD', wrappers: ['bash -c'], opaque: true });
  });

  it('stands an opaque part for an interactive shell, which reads the inherited stdin', () => {
    for (const command of ['bash', 'bash -i', 'bash -s', 'sh -x', 'exec bash']) {
      expect(opaqueParts(command), command).toEqual([STDIN]);
    }
  });

  it('knows a shell by any POSIX name or path, and inside busybox', () => {
    expect(argvs("/usr/bin/dash -c 'git push'")).toContain('git push');
    expect(argvs("zsh -c 'git push'")).toContain('git push');
    expect(seen("busybox sh -c 'git push'").at(-1)).toEqual({
      argv: 'git push',
      wrappers: ['busybox', 'sh -c'],
      opaque: false,
    });
    expect(opaqueParts('busybox sh')).toEqual([STDIN]);
  });

  it('judges a script in another shell language as opaque', () => {
    expect(seen("fish -c 'git push'").at(-1)).toEqual({
      argv: 'git push',
      wrappers: ['fish -c'],
      opaque: true,
    });
  });
});

describe('scripts whose text the line holds', () => {
  it('decomposes `echo git push | sh`: the echo, the shell and what it runs', () => {
    expect(seen('echo git push | sh')).toEqual([
      { argv: 'echo git push', wrappers: [], opaque: false },
      { argv: 'sh', wrappers: [], opaque: false },
      { argv: 'git push', wrappers: ['sh -s'], opaque: false },
    ]);
    expect(argvs('echo -n git push | bash')).toContain('git push');
    expect(argvs("echo 'a;b' | sh")).toEqual(['echo a;b', 'sh', 'a', 'b']);
  });

  it('decomposes a printf with a plain format piped to a shell', () => {
    expect(argvs("printf 'git push' | sh")).toEqual(['printf git push', 'sh', 'git push']);
  });

  it('keeps echo output it cannot know for sure opaque (options, backslashes, globs)', () => {
    for (const command of ["echo -e 'rm\\x20-rf' | sh", 'echo * | sh', 'echo git push | cat | sh']) {
      expect(opaqueParts(command), command).toEqual(['<a pipe>']);
    }
  });

  it('decomposes a here-string fed to a shell: `bash <<< "git push"`', () => {
    expect(seen("bash <<< 'git push'")).toEqual([
      { argv: 'bash', wrappers: [], opaque: false },
      { argv: 'git push', wrappers: ['bash -s'], opaque: false },
    ]);
  });

  it('decomposes a literal here-document fed to a shell, and a heredoc that expands is opaque', () => {
    expect(argvs("sh <<'EOF'\ngit push\nEOF")).toEqual(['sh', 'git push']);
    expect(opaqueParts('sh <<EOF\n$CMD\nEOF')).toEqual(['$CMD']);
  });

  it('follows `source /dev/stdin` to the inherited stdin, and to a pipe that holds text', () => {
    expect(seen('source /dev/stdin')).toEqual([
      { argv: 'source /dev/stdin', wrappers: [], opaque: false },
      { argv: STDIN, wrappers: ['source'], opaque: true },
    ]);
    expect(argvs('echo git push | source /dev/stdin')).toContain('git push');
  });
});

describe('interpreters with inline or stdin code', () => {
  it('stands an opaque part for `python3 -c`', () => {
    expect(seen("python3 -c 'import os'")).toEqual([
      { argv: 'python3 -c import os', wrappers: [], opaque: false },
      { argv: 'code that -c runs code given inline', wrappers: ['python3'], opaque: true },
    ]);
  });

  it('stands an opaque part for `node -e`', () => {
    expect(opaqueParts('node -e 1')).toHaveLength(1);
    expect(opaqueParts('node --eval=1')).toHaveLength(1);
  });

  it('stands an opaque part for `perl -e`', () => {
    expect(opaqueParts('perl -e 1')).toHaveLength(1);
    expect(opaqueParts("perl -ne 'print' f")).toHaveLength(1);
  });

  it('stands an opaque part for `ruby -e` and `php -r`', () => {
    expect(opaqueParts('ruby -e 1')).toHaveLength(1);
    expect(opaqueParts('php -r 1')).toHaveLength(1);
  });

  it('stands an opaque part for code read from stdin: `python3 -`, `python3` alone', () => {
    expect(opaqueParts('python3 -')).toEqual(['code that it reads code from standard input']);
    expect(opaqueParts('python3')).toEqual(['code that it reads code from standard input or a prompt']);
    // Python code in a here-string cannot be decomposed: still opaque.
    expect(opaqueParts("python3 <<< 'import os'")).toHaveLength(1);
  });

  it('judges a script file or a module by name: `python3 x.py`, `python3 -m mod`', () => {
    expect(seen('python3 x.py')).toEqual([{ argv: 'python3 x.py', wrappers: [], opaque: false }]);
    expect(seen('python3 -m http.server')).toEqual([
      { argv: 'python3 -m http.server', wrappers: [], opaque: false },
    ]);
  });

  it('stands an opaque part for awk programs that use system, a pipe or getline', () => {
    for (const program of ['BEGIN{system("rm -rf /")}', '{print | "sh"}', '{ "date" | getline d }']) {
      expect(opaqueParts(`awk '${program}'`), program).toEqual([program]);
    }
    expect(opaqueParts("awk '{print $1}' f")).toEqual([]);
  });

  it('stands an opaque part for sed scripts with the e command or flag', () => {
    expect(opaqueParts("sed 's/a/b/e' f")).toEqual(['a sed script that can run commands']);
    expect(opaqueParts("sed -e '1e rm -rf /' f")).toEqual(['a sed script that can run commands']);
    expect(opaqueParts("sed 's/a/b/' f")).toEqual([]);
  });
});

describe('wrappers that take a command', () => {
  it('strips env -i', () => {
    expect(seen('env -i git push')).toEqual([{ argv: 'git push', wrappers: ['env'], opaque: false }]);
  });

  it('strips timeout with its duration', () => {
    expect(seen('timeout 5 git push')).toEqual([{ argv: 'git push', wrappers: ['timeout'], opaque: false }]);
  });

  it('strips nice -n', () => {
    expect(seen('nice -n 5 git push')).toEqual([{ argv: 'git push', wrappers: ['nice'], opaque: false }]);
  });

  it('strips nohup', () => {
    expect(seen('nohup git push')).toEqual([{ argv: 'git push', wrappers: ['nohup'], opaque: false }]);
  });

  it('strips sudo -u', () => {
    expect(seen('sudo -u x git push')).toEqual([{ argv: 'git push', wrappers: ['sudo'], opaque: false }]);
  });

  it('decomposes the script of su -c', () => {
    expect(seen("su -c 'git push'")).toEqual([
      { argv: 'su -c git push', wrappers: [], opaque: false },
      { argv: 'git push', wrappers: ['su -c'], opaque: false },
    ]);
  });

  it('strips setsid', () => {
    expect(seen('setsid git push')).toEqual([{ argv: 'git push', wrappers: ['setsid'], opaque: false }]);
    expect(argvs('setsid -f git push')).toEqual(['git push']);
  });

  it('strips stdbuf', () => {
    expect(seen('stdbuf -o0 git push')).toEqual([{ argv: 'git push', wrappers: ['stdbuf'], opaque: false }]);
  });

  it('strips chroot and its root; chroot without a command is an opaque interactive shell', () => {
    expect(seen('chroot / git push')).toEqual([{ argv: 'git push', wrappers: ['chroot'], opaque: false }]);
    expect(seen('chroot /')).toEqual([{ argv: 'chroot /', wrappers: [], opaque: true }]);
  });

  it('strips flock and its lock file, and decomposes `flock f -c script`', () => {
    expect(seen('flock /tmp/l git push')).toEqual([{ argv: 'git push', wrappers: ['flock'], opaque: false }]);
    expect(seen("flock /tmp/l -c 'git push'").at(-1)).toEqual({
      argv: 'git push',
      wrappers: ['flock -c'],
      opaque: false,
    });
  });

  it('strips ionice, chrt and taskset with their operands', () => {
    expect(seen('ionice -c3 git push')).toEqual([{ argv: 'git push', wrappers: ['ionice'], opaque: false }]);
    expect(seen('chrt -f 10 git push')).toEqual([{ argv: 'git push', wrappers: ['chrt'], opaque: false }]);
    expect(seen('taskset 0x1 git push')).toEqual([
      { argv: 'git push', wrappers: ['taskset'], opaque: false },
    ]);
  });

  it('strips pkexec; pkexec alone is an opaque root shell', () => {
    expect(seen('pkexec git push')).toEqual([{ argv: 'git push', wrappers: ['pkexec'], opaque: false }]);
    expect(seen('pkexec')).toEqual([{ argv: 'pkexec', wrappers: [], opaque: true }]);
  });

  it('strips runuser -u', () => {
    expect(seen('runuser -u bob -- git push')).toEqual([
      { argv: 'git push', wrappers: ['runuser'], opaque: false },
    ]);
  });

  it('strips busybox and toybox in front of an applet', () => {
    expect(seen('/bin/busybox rm -rf /')).toEqual([
      { argv: 'rm -rf /', wrappers: ['busybox'], opaque: false },
    ]);
    expect(seen('toybox rm x')).toEqual([{ argv: 'rm x', wrappers: ['toybox'], opaque: false }]);
  });

  it('strips unshare, nsenter, systemd-run, strace, ltrace and firejail without options; with options they are opaque', () => {
    for (const wrapper of ['unshare', 'nsenter', 'systemd-run', 'strace', 'ltrace', 'firejail']) {
      expect(seen(`${wrapper} git push`), wrapper).toEqual([
        { argv: 'git push', wrappers: [wrapper], opaque: false },
      ]);
      expect(seen(`${wrapper} -x git push`), wrapper).toEqual([
        { argv: `${wrapper} -x git push`, wrappers: [], opaque: true },
      ]);
    }
    expect(opaqueParts('unshare')).toEqual(['unshare']);
  });

  it('stands sudo -s, sudo -i and doas -s without a command as opaque shells', () => {
    for (const command of ['sudo -s', 'sudo -i', 'sudo -u root -s', 'doas -s']) {
      expect(opaqueParts(command), command).toEqual([command]);
    }
    expect(seen('sudo -s git push')).toEqual([{ argv: 'git push', wrappers: ['sudo'], opaque: false }]);
  });
});

describe('commands run elsewhere: ssh, containers, watch, parallel', () => {
  it('decomposes `ssh host cmd…` as a script', () => {
    expect(seen('ssh host git push')).toEqual([
      { argv: 'ssh host git push', wrappers: [], opaque: false },
      { argv: 'git push', wrappers: ['ssh'], opaque: false },
    ]);
    expect(argvs("ssh -p 22 host 'cd x && git push'")).toEqual([
      'ssh -p 22 host cd x && git push',
      'cd x',
      'git push',
    ]);
  });

  it('decomposes the ProxyCommand of ssh -o, which runs locally', () => {
    expect(seen("ssh -o ProxyCommand='nc %h %p' host ls")).toEqual([
      { argv: 'ssh -o ProxyCommand=nc %h %p host ls', wrappers: [], opaque: false },
      { argv: 'nc %h %p', wrappers: ['ssh -o'], opaque: false },
      { argv: 'ls', wrappers: ['ssh'], opaque: false },
    ]);
  });

  it('takes `ssh host` alone for a remote shell reading stdin', () => {
    expect(opaqueParts('ssh host')).toEqual([STDIN]);
    expect(argvs('echo git push | ssh host')).toContain('git push');
  });

  it('gives the command of docker, podman and nerdctl exec|run as a part', () => {
    expect(seen('docker exec c git push').at(-1)).toEqual({
      argv: 'git push',
      wrappers: ['docker exec'],
      opaque: false,
    });
    expect(argvs('podman run --rm -it img git push').at(-1)).toBe('git push');
    expect(argvs('nerdctl exec -u root c git push').at(-1)).toBe('git push');
    expect(opaqueParts('docker run --entrypoint sh img')).toEqual(['an entrypoint']);
  });

  it('gives the command after -- of kubectl exec as a part', () => {
    expect(seen('kubectl exec p -- git push').at(-1)).toEqual({
      argv: 'git push',
      wrappers: ['kubectl exec'],
      opaque: false,
    });
    expect(argvs("kubectl exec -it p -- sh -c 'git push'").at(-1)).toBe('git push');
  });

  it('decomposes what watch runs: a script, or a command with -x', () => {
    expect(seen('watch git push').at(-1)).toEqual({ argv: 'git push', wrappers: ['watch'], opaque: false });
    expect(seen("watch -n 1 'git push'").at(-1)).toEqual({
      argv: 'git push',
      wrappers: ['watch'],
      opaque: false,
    });
    expect(seen('watch -x git push').at(-1)).toEqual({
      argv: 'git push',
      wrappers: ['watch -x'],
      opaque: false,
    });
  });

  it('stands GNU parallel’s command, with {} filled in at run time, as opaque', () => {
    expect(seen("parallel 'git push {}' ::: a b").at(-1)).toEqual({
      argv: 'git push $(parallel)',
      wrappers: ['parallel'],
      opaque: true,
    });
  });
});

describe('commands stored for later and argument-appending runners', () => {
  it('decomposes the value of alias', () => {
    expect(seen("alias x='git push'").at(-1)).toEqual({
      argv: 'git push',
      wrappers: ['alias'],
      opaque: false,
    });
  });

  it('decomposes the handler of trap', () => {
    expect(seen("trap 'git push' EXIT").at(-1)).toEqual({
      argv: 'git push',
      wrappers: ['trap'],
      opaque: false,
    });
    expect(argvs('trap - EXIT')).toEqual(['trap - EXIT']);
  });

  it('fills {} of find -exec as $(find), a word known only at run time', () => {
    const last = partsOf('find . -exec git push {} \\;').at(-1);
    expect(last).toMatchObject({ argv: ['git', 'push', '$(find)'], wrappers: ['find -exec'], dynamic: true });
  });

  it('appends what a known pipe gives plain xargs: `echo push | xargs git` is `git push`', () => {
    expect(partsOf('echo push | xargs git').at(-1)).toMatchObject({
      argv: ['git', 'push'],
      wrappers: ['xargs'],
      dynamic: false,
      opaque: false,
    });
  });

  it('marks the part dynamic when what xargs appends is only known at run time', () => {
    expect(partsOf('cat list | xargs rm').at(-1)).toMatchObject({
      argv: ['rm', '$(xargs)'],
      dynamic: true,
      opaque: false,
    });
  });

  it('stands an opaque part for `xargs git` fed at run time: the input may be its subcommand', () => {
    expect(partsOf('cat list | xargs git').at(-1)).toMatchObject({
      opaque: true,
      wrappers: ['xargs', 'git'],
    });
  });
});

describe('git global options and command-valued settings', () => {
  it('normalises `git -C src push` to `git push`, keeping -C among the wrappers', () => {
    expect(seen('git -C src push')).toEqual([{ argv: 'git push', wrappers: ['git -C src'], opaque: false }]);
  });

  it('normalises `git --git-dir=.git --no-pager push`', () => {
    expect(seen('git --git-dir=.git --no-pager push')).toEqual([
      { argv: 'git push', wrappers: ['git --git-dir .git', 'git --no-pager'], opaque: false },
    ]);
    expect(seen('git -C dir -c k=v --no-pager push')).toEqual([
      { argv: 'git push', wrappers: ['git -C dir', 'git -c k=v', 'git --no-pager'], opaque: false },
    ]);
  });

  it('decomposes the script of git -c core.sshCommand', () => {
    expect(seen("git -c core.sshCommand='rm -rf /' fetch").at(-1)).toEqual({
      argv: 'rm -rf /',
      wrappers: ['git -c core.sshCommand=rm -rf /', 'git -c core.sshcommand'],
      opaque: false,
    });
  });

  it('decomposes a shell alias given with -c alias.x=!…, and makes the git part opaque', () => {
    expect(seen("git -c alias.x='!rm -rf /' x")).toEqual([
      { argv: 'git -c alias.x=!rm -rf / x', wrappers: ['git -c alias.x=!rm -rf /'], opaque: true },
      { argv: 'rm -rf /', wrappers: ['git -c alias.x=!rm -rf /', 'git -c alias.x'], opaque: false },
    ]);
    expect(opaqueParts('git -c alias.x=push x')).toEqual(['git -c alias.x=push x']);
  });

  it('makes an unknown git subcommand (perhaps an alias) opaque', () => {
    expect(seen('git frobnicate')).toEqual([{ argv: 'git frobnicate', wrappers: [], opaque: true }]);
  });
});

describe('variables that make programs run code', () => {
  it('decomposes GIT_SSH_COMMAND, PAGER and EDITOR assigned on the command as scripts', () => {
    expect(seen("GIT_SSH_COMMAND='rm -rf /' git fetch")).toEqual([
      { argv: 'rm -rf /', wrappers: ['GIT_SSH_COMMAND='], opaque: false },
      { argv: 'git fetch', wrappers: ['GIT_SSH_COMMAND=rm -rf /'], opaque: false },
    ]);
    expect(argvs("PAGER='rm -rf /' git log")).toContain('rm -rf /');
    expect(argvs("EDITOR='rm -rf /' git commit")).toContain('rm -rf /');
  });

  it('stands opaque parts for BASH_ENV, LD_PRELOAD and a PS4 with a substitution', () => {
    expect(seen('BASH_ENV=/tmp/x bash script.sh')[0]).toEqual({
      argv: 'BASH_ENV=/tmp/x',
      wrappers: ['BASH_ENV='],
      opaque: true,
    });
    expect(opaqueParts('LD_PRELOAD=/tmp/x.so ls')).toEqual(['LD_PRELOAD=/tmp/x.so']);
    expect(opaqueParts("PS4='$(rm -rf /)' bash -x s.sh")).toEqual(['PS4=$(rm -rf /)']);
    expect(opaqueParts("PS1='> '")).toEqual([]);
  });

  it('does the same for export and the other declaration builtins', () => {
    expect(seen("export GIT_SSH_COMMAND='rm -rf /'")).toEqual([
      { argv: 'rm -rf /', wrappers: ['GIT_SSH_COMMAND='], opaque: false },
      { argv: 'export GIT_SSH_COMMAND=rm -rf /', wrappers: [], opaque: false },
    ]);
    expect(opaqueParts('export LD_PRELOAD=/x.so')).toEqual(['LD_PRELOAD=/x.so']);
    expect(argvs("local PROMPT_COMMAND='rm -rf /'")).toContain('rm -rf /');
  });
});

describe('files that redirections write', () => {
  it('records the target of > : `echo x > /etc/passwd`', () => {
    expect(partsOf('echo x > /etc/passwd')).toMatchObject([{ argv: ['echo', 'x'], writes: ['/etc/passwd'] }]);
  });

  it('records the targets of >>, >|, <> and 2>', () => {
    expect(partsOf('echo x >> log')[0]?.writes).toEqual(['log']);
    expect(partsOf('ls >| f')[0]?.writes).toEqual(['f']);
    expect(partsOf('ls <> f')[0]?.writes).toEqual(['f']);
    expect(partsOf('ls 2> err')[0]?.writes).toEqual(['err']);
  });

  it('records the target of &> and >&', () => {
    expect(partsOf('ls &> out')[0]?.writes).toEqual(['out']);
    expect(partsOf('ls >& out')[0]?.writes).toEqual(['out']);
  });

  it('records no file for a descriptor duplication like 2>&1', () => {
    expect(partsOf('ls 2>&1')[0]?.writes).toEqual([]);
    expect(partsOf('ls > out 2>&1')[0]?.writes).toEqual(['out']);
  });

  it('gives the redirection of a compound command to the commands inside: `{ ls; } > out`', () => {
    expect(partsOf('{ ls; pwd; } > out').map((part) => [part.text, part.writes])).toEqual([
      ['ls', ['out']],
      ['pwd', ['out']],
    ]);
  });

  it('shows a target built at run time as written', () => {
    expect(partsOf('ls > $F')[0]?.writes).toEqual(['$F']);
  });
});

/**
 * Once gaps, checked against real tools (OpenSSH 9.2, GNU xargs): options after the ssh host,
 * variables set through env and sudo, code that xargs appends.
 */
describe('options, variables and code that come from where a wrapper puts them', () => {
  it('takes options after the ssh host for options, as OpenSSH does: `ssh host -t git push`', () => {
    expect(argvs('ssh host -t git push')).toContain('git push');
  });

  it('decomposes a ProxyCommand given after the host: `ssh host -oProxyCommand=… true`', () => {
    expect(argvs("ssh host -oProxyCommand='rm -rf /' true")).toContain('rm -rf /');
  });

  it('decomposes variables that env and sudo set: `env GIT_SSH_COMMAND=… git fetch`', () => {
    expect(argvs("env GIT_SSH_COMMAND='rm -rf /' git fetch")).toContain('rm -rf /');
  });

  it('stands an opaque part for LD_PRELOAD set through env or sudo', () => {
    expect(opaqueParts('env LD_PRELOAD=/tmp/x.so ls')).toEqual(['LD_PRELOAD=/tmp/x.so']);
  });

  it('stands an opaque part for a shell whose -c script xargs appends', () => {
    expect(opaqueParts(`echo "'rm -rf /'" | xargs sh -c`)).toHaveLength(1);
  });

  it('does not meet `echo push | xargs git` with a known, non-opaque `git` part', () => {
    expect(partsOf('echo push | xargs git').some((part) => part.opaque || part.text === 'git push')).toBe(
      true,
    );
  });
});
