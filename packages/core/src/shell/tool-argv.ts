import type { ShellWord } from './shell-word.js';

/**
 * Tools whose global options come before the subcommand (`git -C src push`) are judged
 * with those options set aside, so a rule on `git push` meets every spelling. Options
 * whose values are commands the tool runs (`git -c core.sshCommand=…`, `-c alias.x=!…`)
 * become scripts of their own; what cannot be known (an alias, an unknown option, a
 * subcommand that may be an alias from the repository's config) makes the part opaque.
 */
export interface ToolArgv {
  readonly argv: readonly ShellWord[];
  /** The global options set aside, as written (`git -C src`). */
  readonly wrappers: readonly string[];
  /** Shell source the options make the tool run. */
  readonly scripts: readonly { readonly wrapper: string; readonly source: ShellWord }[];
  /** Why what runs cannot be known before run time. */
  readonly opaque?: string;
}

const GIT_WITH_VALUE = new Set([
  '-C',
  '-c',
  '--git-dir',
  '--work-tree',
  '--namespace',
  '--super-prefix',
  '--config-env',
  '--list-cmds',
  '--attr-source',
]);
const GIT_FLAGS = new Set([
  '-p',
  '--paginate',
  '-P',
  '--no-pager',
  '--bare',
  '--no-replace-objects',
  '--literal-pathspecs',
  '--glob-pathspecs',
  '--noglob-pathspecs',
  '--icase-pathspecs',
  '--no-optional-locks',
  '--no-lazy-fetch',
  '--no-advice',
  '--exec-path',
]);
const GIT_NO_COMMAND = new Set([
  '--version',
  '-v',
  '--help',
  '-h',
  '--html-path',
  '--man-path',
  '--info-path',
]);
/** Configuration keys whose value is a command git runs through the shell. */
const GIT_COMMAND_KEY =
  /^(core\.(sshcommand|pager|editor|fsmonitor|askpass)|sequence\.editor|diff\.external|gpg\.([a-z0-9]+\.)?program|credential\.([^=]*\.)?helper|filter\..+\.(clean|smudge|process)|diff\..+\.(textconv|command)|merge\..+\.driver|uploadpack\.packobjectshook|pager\..+|mergetool\..+\.cmd|difftool\..+\.cmd|interactive\.difffilter|sendemail\.(smtpserver|tocmd|cccmd))$/;
/** Configuration keys whose effect on what runs cannot be read from the line. */
const GIT_OPAQUE_KEY =
  /^(alias\..+|core\.hookspath|include\.path|includeif\..+|protocol\..*allow|remote\..+\.(uploadpack|receivepack|vcs)|url\..+)$/;
/** Git's own commands; any other name may be an alias or an external `git-<name>` program. */
const GIT_COMMANDS = new Set(
  'add am annotate apply archive bisect blame branch bundle cat-file check-attr check-ignore check-mailmap check-ref-format checkout checkout-index cherry cherry-pick citool clean clone column commit commit-graph commit-tree config count-objects credential describe diff diff-files diff-index diff-tree difftool fast-export fast-import fetch fetch-pack filter-branch fmt-merge-msg for-each-ref for-each-repo format-patch fsck gc get-tar-commit-id grep gui hash-object help hook index-pack init instaweb interpret-trailers log ls-files ls-remote ls-tree mailinfo mailsplit maintenance merge merge-base merge-file merge-index merge-tree mergetool mktag mktree multi-pack-index mv name-rev notes pack-objects pack-refs patch-id prune prune-packed pull push range-diff read-tree rebase reflog refs remote repack replace request-pull rerere reset restore rev-list rev-parse revert rm send-email send-pack shortlog show show-branch show-index show-ref sparse-checkout stage stash status stripspace submodule switch symbolic-ref tag unpack-file unpack-objects update-index update-ref update-server-info var verify-commit verify-pack verify-tag version whatchanged worktree write-tree lfs'.split(
    ' ',
  ),
);

function git(argv: readonly ShellWord[]): ToolArgv {
  const wrappers: string[] = [];
  const scripts: { wrapper: string; source: ShellWord }[] = [];
  let index = 1;
  while (index < argv.length) {
    const word = argv[index] as ShellWord;
    if (word.dynamic) return { argv, wrappers, scripts, opaque: 'git is given options built at run time' };
    const text = word.text;
    if (!text.startsWith('-')) break;
    if (GIT_NO_COMMAND.has(text)) return { argv, wrappers: [], scripts: [] };
    const equals = text.indexOf('=');
    const name = text.startsWith('--') && equals > 0 ? text.slice(0, equals) : text;
    let value: ShellWord | undefined;
    if (GIT_WITH_VALUE.has(name)) {
      value = equals > 0 && name !== text ? { ...word, text: text.slice(equals + 1) } : argv[index + 1];
      if (value === undefined) return { argv, wrappers, scripts };
      if (value.dynamic)
        return { argv, wrappers, scripts, opaque: `the value of git ${name} is built at run time` };
      index += name === text ? 2 : 1;
      wrappers.push(`git ${name} ${value.text}`);
    } else if (GIT_FLAGS.has(name)) {
      index++;
      wrappers.push(`git ${text}`);
    } else {
      return { argv, wrappers, scripts, opaque: `git option ${JSON.stringify(text)} is not known` };
    }
    if (name === '-c' && value !== undefined) {
      const at = value.text.indexOf('=');
      const key = (at < 0 ? value.text : value.text.slice(0, at)).toLowerCase();
      const setting = at < 0 ? '' : value.text.slice(at + 1);
      if (GIT_COMMAND_KEY.test(key))
        scripts.push({ wrapper: `git -c ${key}`, source: { ...value, text: setting.replace(/^!/, '') } });
      else if (key.startsWith('alias.') && setting.startsWith('!'))
        scripts.push({ wrapper: `git -c ${key}`, source: { ...value, text: setting.slice(1) } });
      if (GIT_OPAQUE_KEY.test(key))
        return { argv, wrappers, scripts, opaque: `git -c ${key} changes what git runs` };
    }
    if (name === '--config-env')
      return { argv, wrappers, scripts, opaque: 'git --config-env reads configuration at run time' };
  }
  const rest = argv.slice(index);
  const subcommand = rest[0];
  const normalised = [argv[0] as ShellWord, ...rest];
  if (subcommand !== undefined && !subcommand.dynamic && !GIT_COMMANDS.has(subcommand.text)) {
    return {
      argv: normalised,
      wrappers,
      scripts,
      opaque: `"git ${subcommand.text}" may be an alias or an external command`,
    };
  }
  return { argv: normalised, wrappers, scripts };
}

/** Set aside the global options of tools that take them before the subcommand. */
export function normaliseToolArgv(name: string | undefined, argv: readonly ShellWord[]): ToolArgv {
  if (name === 'git') return git(argv);
  return { argv, wrappers: [], scripts: [] };
}

/** Environment variables whose value is a command some program runs through the shell. */
const SCRIPT_VARIABLES = new Set([
  'GIT_SSH_COMMAND',
  'GIT_PAGER',
  'GIT_EDITOR',
  'GIT_SEQUENCE_EDITOR',
  'GIT_EXTERNAL_DIFF',
  'GIT_ASKPASS',
  'GIT_PROXY_COMMAND',
  'SSH_ASKPASS',
  'SUDO_ASKPASS',
  'PAGER',
  'MANPAGER',
  'EDITOR',
  'VISUAL',
  'BROWSER',
  'PROMPT_COMMAND',
  'LESSOPEN',
  'LESSCLOSE',
]);
/** Environment variables that make programs load code the line does not show. */
const OPAQUE_VARIABLES =
  /^(BASH_ENV|ENV|LD_PRELOAD|LD_AUDIT|DYLD_INSERT_LIBRARIES|NODE_OPTIONS|PERL5OPT|RUBYOPT|GIT_CONFIG_.*|GIT_EXEC_PATH|GIT_TEMPLATE_DIR|SHELLOPTS|BASHOPTS)$/;
/** Prompt strings: expanded (command substitutions run) when the shell shows them or traces (`PS4` with `set -x`). */
const PROMPT_VARIABLES = /^PS[0-4]$/;

/** What an assignment `NAME=value` makes run later: a script, something opaque, or nothing. */
export function assignmentEffect(
  assignment: ShellWord,
):
  | { readonly kind: 'script'; readonly name: string; readonly source: ShellWord }
  | { readonly kind: 'opaque'; readonly name: string }
  | undefined {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)\+?=/.exec(assignment.text);
  if (match === null) return undefined;
  const name = match[1] as string;
  const value = assignment.text.slice(match[0].length);
  if (SCRIPT_VARIABLES.has(name)) return { kind: 'script', name, source: { ...assignment, text: value } };
  if (OPAQUE_VARIABLES.test(name) && value !== '') return { kind: 'opaque', name };
  if (PROMPT_VARIABLES.test(name) && /[$`]/.test(value)) return { kind: 'opaque', name };
  // A PATH that puts another directory first can make any command name run another program.
  if (name === 'PATH' && !/^(\$PATH|\$\{PATH\})(:|$)/.test(value)) return { kind: 'opaque', name };
  return undefined;
}
