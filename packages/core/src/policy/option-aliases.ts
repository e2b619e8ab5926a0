/**
 * How the commands that matter for gates spell their options, so `rm -Rf`, `rm -r -f` and
 * `rm --recur --force` reduce to the same flags. Each option has one canonical name (its
 * long name where it has one); every spelling maps to it. A command without a table is read
 * generically: `-abc` is `a`, `b`, `c` and `--name[=value]` is `name`.
 */
export interface OptionTable {
  /** Short option letters (or `-9`-style digits) → canonical name. */
  readonly short: Readonly<Record<string, string>>;
  /** Long option names → canonical name. */
  readonly long: Readonly<Record<string, string>>;
  /** Canonical names whose option takes a value: attached (`-n5`, `--n=5`) or the next word. */
  readonly withValue?: readonly string[];
  /** GNU getopt and git accept any unambiguous prefix of a long option (`--recur`). */
  readonly abbreviations?: boolean;
  /** Go-style tools take long options after one dash too (`-auto-approve`). */
  readonly singleDashLong?: boolean;
  /** `find`: operands come first, then an expression whose words are all flags. */
  readonly expression?: boolean;
  /** `chmod -x`: a cluster with a letter that is not an option is an operand (a mode). */
  readonly modeOperands?: boolean;
  /** `kill -9`, `kill -KILL`: a dash and a signal is this canonical option with that value. */
  readonly signalOption?: string;
  /** `dd of=/dev/sda`: `key=value` words are flags `key` and `key=value`; these keys' values are also operands. */
  readonly assignmentOperands?: readonly string[];
  /** `git push origin +main` is a force push and `:main` a delete. */
  readonly refspecs?: boolean;
  /** Canonical names whose values are normalised (`SIGKILL`, `9`, `kill` → `KILL`). */
  readonly values?: Readonly<Record<string, (value: string) => string>>;
  /** Tools with subcommands (`git push`): the first operand names the subcommand, read with its own table. */
  readonly subcommands?: Readonly<Record<string, OptionTable>>;
}

const SIGNALS: Readonly<Record<string, string>> = {
  '1': 'HUP',
  '2': 'INT',
  '3': 'QUIT',
  '6': 'ABRT',
  '9': 'KILL',
  '14': 'ALRM',
  '15': 'TERM',
};

/** `9`, `kill`, `SIGKILL`, `sigkill` → `KILL`. */
export function normaliseSignal(value: string): string {
  const upper = value.toUpperCase();
  const name = upper.startsWith('SIG') ? upper.slice(3) : upper;
  return SIGNALS[name] ?? name;
}

const upperCase = (value: string): string => value.toUpperCase();

const FORCE_RECURSIVE = {
  short: { R: 'recursive', r: 'recursive', f: 'force', v: 'verbose' },
  long: { recursive: 'recursive', force: 'force', verbose: 'verbose' },
};

const rm: OptionTable = {
  short: {
    r: 'recursive',
    R: 'recursive',
    f: 'force',
    d: 'dir',
    i: 'interactive',
    I: 'interactive',
    v: 'verbose',
  },
  long: {
    recursive: 'recursive',
    force: 'force',
    dir: 'dir',
    interactive: 'interactive',
    verbose: 'verbose',
    'no-preserve-root': 'no-preserve-root',
    'preserve-root': 'preserve-root',
    'one-file-system': 'one-file-system',
    help: 'help',
    version: 'version',
  },
  abbreviations: true,
};

const cp: OptionTable = {
  short: {
    ...FORCE_RECURSIVE.short,
    a: 'archive',
    i: 'interactive',
    n: 'no-clobber',
    t: 'target-directory',
    S: 'suffix',
    b: 'backup',
    l: 'link',
    s: 'symbolic-link',
    u: 'update',
    p: 'preserve',
    P: 'no-dereference',
    L: 'dereference',
    H: 'H',
    x: 'one-file-system',
    T: 'no-target-directory',
  },
  long: {
    ...FORCE_RECURSIVE.long,
    archive: 'archive',
    interactive: 'interactive',
    'no-clobber': 'no-clobber',
    'target-directory': 'target-directory',
    suffix: 'suffix',
    backup: 'backup',
    link: 'link',
    'symbolic-link': 'symbolic-link',
    update: 'update',
    preserve: 'preserve',
    'no-dereference': 'no-dereference',
    dereference: 'dereference',
    'one-file-system': 'one-file-system',
    'no-target-directory': 'no-target-directory',
    help: 'help',
    version: 'version',
  },
  withValue: ['target-directory', 'suffix'],
  abbreviations: true,
};

const mv: OptionTable = {
  short: {
    f: 'force',
    i: 'interactive',
    n: 'no-clobber',
    t: 'target-directory',
    S: 'suffix',
    b: 'backup',
    u: 'update',
    v: 'verbose',
    T: 'no-target-directory',
  },
  long: {
    force: 'force',
    interactive: 'interactive',
    'no-clobber': 'no-clobber',
    'target-directory': 'target-directory',
    suffix: 'suffix',
    backup: 'backup',
    update: 'update',
    verbose: 'verbose',
    'no-target-directory': 'no-target-directory',
    help: 'help',
    version: 'version',
  },
  withValue: ['target-directory', 'suffix'],
  abbreviations: true,
};

/** chmod, chown and chgrp share their options; chmod's `-x` is a mode, not an option. */
const ownership: OptionTable = {
  // Lower-case `-r` is a mode for chmod (remove read), not recursion.
  short: {
    R: 'recursive',
    f: 'force',
    v: 'verbose',
    c: 'changes',
    h: 'no-dereference',
    H: 'H',
    L: 'L',
    P: 'P',
  },
  long: {
    ...FORCE_RECURSIVE.long,
    silent: 'force',
    quiet: 'force',
    changes: 'changes',
    'no-dereference': 'no-dereference',
    dereference: 'dereference',
    'preserve-root': 'preserve-root',
    'no-preserve-root': 'no-preserve-root',
    reference: 'reference',
    from: 'from',
    help: 'help',
    version: 'version',
  },
  withValue: ['reference', 'from'],
  abbreviations: true,
  modeOperands: true,
};

const gitPush: OptionTable = {
  short: {
    f: 'force',
    d: 'delete',
    n: 'dry-run',
    u: 'set-upstream',
    v: 'verbose',
    q: 'quiet',
    o: 'push-option',
  },
  long: {
    force: 'force',
    'force-with-lease': 'force-with-lease',
    'force-if-includes': 'force-if-includes',
    delete: 'delete',
    mirror: 'mirror',
    all: 'all',
    branches: 'all',
    tags: 'tags',
    prune: 'prune',
    'dry-run': 'dry-run',
    'set-upstream': 'set-upstream',
    'no-verify': 'no-verify',
    verify: 'verify',
    'follow-tags': 'follow-tags',
    atomic: 'atomic',
    'push-option': 'push-option',
    repo: 'repo',
    'receive-pack': 'receive-pack',
    exec: 'receive-pack',
    signed: 'signed',
    verbose: 'verbose',
    quiet: 'quiet',
    porcelain: 'porcelain',
    progress: 'progress',
    recurse: 'recurse-submodules',
    'recurse-submodules': 'recurse-submodules',
    thin: 'thin',
    'no-thin': 'no-thin',
    ipv4: 'ipv4',
    ipv6: 'ipv6',
  },
  withValue: ['push-option', 'repo', 'receive-pack'],
  abbreviations: true,
  refspecs: true,
};

/** git's own options, before the subcommand: `git -C src -c k=v --no-pager push`. */
const git: OptionTable = {
  short: { C: 'C', c: 'c', p: 'paginate', P: 'no-pager', v: 'version', h: 'help' },
  long: {
    'git-dir': 'git-dir',
    'work-tree': 'work-tree',
    namespace: 'namespace',
    'exec-path': 'exec-path',
    'config-env': 'config-env',
    'super-prefix': 'super-prefix',
    'attr-source': 'attr-source',
    'list-cmds': 'list-cmds',
    'no-pager': 'no-pager',
    paginate: 'paginate',
    bare: 'bare',
    'no-replace-objects': 'no-replace-objects',
    'no-lazy-fetch': 'no-lazy-fetch',
    'no-optional-locks': 'no-optional-locks',
    'no-advice': 'no-advice',
    'literal-pathspecs': 'literal-pathspecs',
    'glob-pathspecs': 'glob-pathspecs',
    'noglob-pathspecs': 'noglob-pathspecs',
    'icase-pathspecs': 'icase-pathspecs',
    help: 'help',
    version: 'version',
  },
  withValue: ['C', 'c', 'git-dir', 'work-tree', 'namespace', 'config-env', 'super-prefix', 'attr-source'],
  subcommands: { push: gitPush },
};

const kill: OptionTable = {
  short: { s: 'signal', n: 'signal', l: 'list', L: 'table' },
  long: { signal: 'signal', list: 'list', table: 'table' },
  withValue: ['signal'],
  signalOption: 'signal',
  values: { signal: normaliseSignal },
};

/** pkill's `-s` is a session and `-n` the newest process: only `--signal` and `-SIGNAL` name a signal. */
const pkill: OptionTable = {
  short: {
    f: 'full',
    n: 'newest',
    o: 'oldest',
    x: 'exact',
    e: 'echo',
    i: 'ignore-case',
    c: 'count',
    s: 'session',
    u: 'euid',
    U: 'uid',
    g: 'pgroup',
    G: 'group',
    P: 'parent',
    t: 'terminal',
    F: 'pidfile',
  },
  long: { signal: 'signal', full: 'full', newest: 'newest', oldest: 'oldest', exact: 'exact', euid: 'euid' },
  withValue: ['signal', 'session', 'euid', 'uid', 'pgroup', 'group', 'parent', 'terminal', 'pidfile'],
  signalOption: 'signal',
  values: { signal: normaliseSignal },
};

const killall: OptionTable = {
  short: {
    s: 'signal',
    e: 'exact',
    I: 'ignore-case',
    g: 'process-group',
    i: 'interactive',
    q: 'quiet',
    r: 'regexp',
    u: 'user',
    v: 'verbose',
    w: 'wait',
    n: 'ns',
    o: 'older-than',
    y: 'younger-than',
    Z: 'context',
  },
  long: { signal: 'signal', exact: 'exact', user: 'user', regexp: 'regexp', interactive: 'interactive' },
  withValue: ['signal', 'user', 'ns', 'older-than', 'younger-than', 'context'],
  abbreviations: true,
  signalOption: 'signal',
  values: { signal: normaliseSignal },
};

const curl: OptionTable = {
  short: {
    X: 'request',
    d: 'data',
    F: 'form',
    H: 'header',
    o: 'output',
    O: 'remote-name',
    T: 'upload-file',
    u: 'user',
    K: 'config',
    k: 'insecure',
    L: 'location',
    s: 'silent',
    S: 'show-error',
    f: 'fail',
    e: 'referer',
    A: 'user-agent',
    b: 'cookie',
    c: 'cookie-jar',
    x: 'proxy',
    m: 'max-time',
    w: 'write-out',
    r: 'range',
    E: 'cert',
    D: 'dump-header',
    Q: 'quote',
    U: 'proxy-user',
    z: 'time-cond',
    Y: 'speed-limit',
    y: 'speed-time',
    C: 'continue-at',
    P: 'ftp-port',
    t: 'telnet-option',
  },
  long: {
    request: 'request',
    data: 'data',
    'data-raw': 'data',
    'data-binary': 'data',
    'data-urlencode': 'data',
    'data-ascii': 'data',
    json: 'data',
    form: 'form',
    header: 'header',
    output: 'output',
    'remote-name': 'remote-name',
    'upload-file': 'upload-file',
    user: 'user',
    config: 'config',
    insecure: 'insecure',
    location: 'location',
    silent: 'silent',
    url: 'url',
  },
  withValue: [
    'request',
    'data',
    'form',
    'header',
    'output',
    'upload-file',
    'user',
    'config',
    'url',
    'referer',
    'user-agent',
    'cookie',
    'cookie-jar',
    'proxy',
    'max-time',
    'write-out',
    'range',
    'cert',
    'dump-header',
    'quote',
    'proxy-user',
    'time-cond',
    'speed-limit',
    'speed-time',
    'continue-at',
    'ftp-port',
    'telnet-option',
  ],
  values: { request: upperCase },
};

const find: OptionTable = { short: {}, long: {}, expression: true };

const shred: OptionTable = {
  short: { u: 'remove', z: 'zero', n: 'iterations', s: 'size', f: 'force', v: 'verbose', x: 'exact' },
  long: {
    remove: 'remove',
    zero: 'zero',
    iterations: 'iterations',
    size: 'size',
    force: 'force',
    verbose: 'verbose',
    exact: 'exact',
    'random-source': 'random-source',
  },
  withValue: ['iterations', 'size', 'random-source'],
  abbreviations: true,
};

const truncate: OptionTable = {
  short: { s: 'size', r: 'reference', c: 'no-create', o: 'io-blocks' },
  long: { size: 'size', reference: 'reference', 'no-create': 'no-create', 'io-blocks': 'io-blocks' },
  withValue: ['size', 'reference'],
  abbreviations: true,
};

const dd: OptionTable = { short: {}, long: {}, assignmentOperands: ['if', 'of'] };

const terraformCommand: OptionTable = {
  short: {},
  long: { 'auto-approve': 'auto-approve', destroy: 'destroy', force: 'force', target: 'target', var: 'var' },
  withValue: ['target', 'var'],
  singleDashLong: true,
};

const terraform: OptionTable = {
  short: {},
  long: { chdir: 'chdir', help: 'help', version: 'version' },
  withValue: ['chdir'],
  singleDashLong: true,
  subcommands: { apply: terraformCommand, destroy: terraformCommand, import: terraformCommand },
};

const kubectlCommand: OptionTable = {
  short: { f: 'filename', n: 'namespace', A: 'all-namespaces', l: 'selector', R: 'recursive' },
  long: {
    force: 'force',
    'grace-period': 'grace-period',
    now: 'now',
    all: 'all',
    'all-namespaces': 'all-namespaces',
    filename: 'filename',
    namespace: 'namespace',
    selector: 'selector',
    recursive: 'recursive',
    context: 'context',
    kubeconfig: 'kubeconfig',
    cluster: 'cluster',
    user: 'user',
    server: 'server',
    token: 'token',
    'dry-run': 'dry-run',
  },
  withValue: [
    'filename',
    'namespace',
    'selector',
    'context',
    'kubeconfig',
    'cluster',
    'user',
    'server',
    'token',
  ],
};

const kubectl: OptionTable = {
  ...kubectlCommand,
  short: { ...kubectlCommand.short, s: 'server' },
  subcommands: {
    delete: kubectlCommand,
    drain: kubectlCommand,
    replace: kubectlCommand,
    apply: kubectlCommand,
  },
};

/** The option tables by command basename. */
export const OPTION_TABLES: ReadonlyMap<string, OptionTable> = new Map([
  ['rm', rm],
  ['cp', cp],
  ['mv', mv],
  ['chmod', ownership],
  ['chown', ownership],
  ['chgrp', ownership],
  ['git', git],
  ['kill', kill],
  ['pkill', pkill],
  ['killall', killall],
  ['curl', curl],
  ['find', find],
  ['shred', shred],
  ['truncate', truncate],
  ['dd', dd],
  ['terraform', terraform],
  ['tofu', terraform],
  ['kubectl', kubectl],
]);
