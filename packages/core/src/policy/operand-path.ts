/**
 * Paths as a command names them, reduced lexically so `//`, `/./`, `/etc/../` and `/`
 * are one path, and path patterns to test them against. Symbolic links are not followed:
 * only the text is known before the command runs.
 */

/** What an operand (or a redirection target) can name, as far as its text tells. */
export type OperandFact =
  /** An absolute path, normalised: `/etc/passwd`. */
  | { readonly kind: 'path'; readonly path: string }
  /** An absolute glob: the entries the shell may expand it to all lie under `dir` (`/*` → `/`). */
  | { readonly kind: 'entries'; readonly dir: string }
  /**
   * Relative to a directory not known before it runs (the working directory, `~`): `path`
   * is normalised (`./a/../b` → `b`). `anywhere` when it names no entry of its own (`.`,
   * `../..`, `~`, `*`), so it may be any directory, the root included.
   */
  | { readonly kind: 'relative'; readonly path: string; readonly anywhere: boolean; readonly glob: boolean }
  /** Built at run time (`$DIR`, `$(…)`), or a glob that may climb out of its directory. */
  | { readonly kind: 'unknown' };

const DYNAMIC = /[$`]/;
// `[…]`, `*`, `?` and the extended globs `@(…)`, `!(…)`, `+(…)`, `*(…)`, `?(…)`.
const GLOB = /[*?[]|[@!+]\(/;

/** Resolve `.` and `..` in segments; `..` above the start is kept when `relative`, dropped at the root. */
function resolveSegments(segments: readonly string[], relative: boolean): string[] {
  const out: string[] = [];
  for (const segment of segments) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length > 0 && out.at(-1) !== '..') out.pop();
      else if (relative) out.push('..');
      continue;
    }
    out.push(segment);
  }
  return out;
}

/** `//a/./b/../c/` → `/a/c`; `./x/..` → `.`. Glob characters are kept as they are. */
export function normalisePath(text: string): string {
  const absolute = text.startsWith('/');
  const segments = resolveSegments(text.split('/'), !absolute);
  if (absolute) return `/${segments.join('/')}`;
  return segments.length === 0 ? '.' : segments.join('/');
}

function anchored(anchor: string, path: string): string {
  if (anchor === '') return path;
  return path === '.' ? anchor : `${anchor}/${path}`;
}

function factOfSegments(
  text: string,
  segments: readonly string[],
  absolute: boolean,
  anchor: string,
): OperandFact {
  const globAt = segments.findIndex((segment) => GLOB.test(segment));
  if (globAt >= 0) {
    // `/tmp/*/../..` climbs back out of what the glob names: nothing is known of it.
    if (segments.slice(globAt + 1).includes('..')) return { kind: 'unknown' };
    const prefix = resolveSegments(segments.slice(0, globAt), !absolute);
    if (absolute) return { kind: 'entries', dir: `/${prefix.join('/')}` };
    const named = prefix.some((segment) => segment !== '..');
    return named
      ? { kind: 'relative', path: anchored(anchor, normalisePath(text)), anywhere: false, glob: true }
      : { kind: 'unknown' };
  }
  const resolved = resolveSegments(segments, !absolute);
  if (absolute) return { kind: 'path', path: `/${resolved.join('/')}` };
  const anywhere = resolved.every((segment) => segment === '..');
  const path = resolved.length === 0 ? '.' : resolved.join('/');
  return { kind: 'relative', path: anchored(anchor, path), anywhere, glob: false };
}

/**
 * What an operand's text can name. `$`, a backtick or a glob character anywhere counts as
 * built at run time or expanded by the shell, even when it was quoted: the shell part keeps
 * only the text of its words, so this errs towards the unknown.
 */
export function operandFact(text: string): OperandFact {
  if (DYNAMIC.test(text)) return { kind: 'unknown' };
  if (text.startsWith('~')) {
    // `~` and `~user` are a home directory not known here; what follows is relative to it.
    const slash = text.indexOf('/');
    const anchor = slash < 0 ? text : text.slice(0, slash);
    const rest = slash < 0 ? '' : text.slice(slash + 1);
    return factOfSegments(rest, rest.split('/'), false, anchor);
  }
  return factOfSegments(text, text.split('/'), text.startsWith('/'), '');
}

/** A path pattern compiled once: `/`, `/etc/*`, `/etc/**`, `~/.ssh/**`, `main`. */
export interface PathPattern {
  readonly source: string;
  readonly absolute: boolean;
  /** No glob characters: the pattern names one path. */
  readonly literal: boolean;
  /** The normalised path before the first glob segment (the whole path when literal). */
  readonly literalDir: string;
  readonly regex: RegExp;
}

function segmentRegex(segment: string): string {
  let out = '';
  for (const char of segment) {
    if (char === '*') out += '[^/]*';
    else if (char === '?') out += '[^/]';
    else out += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}

/**
 * Compile a path pattern: `*` and `?` match within one segment, a `**` segment one or more
 * segments. Literal segments are normalised like operands (`//etc/./` is `/etc`).
 *
 * @example compilePathPattern('/etc/**').regex.test('/etc/ssh/sshd_config') // true
 */
export function compilePathPattern(source: string): PathPattern {
  const absolute = source.startsWith('/');
  const segments = source.split('/');
  const globAt = segments.findIndex((segment) => /[*?]/.test(segment));
  const literal = globAt < 0;
  const head = literal ? segments : segments.slice(0, globAt);
  const literalDir = absolute ? normalisePath(`/${head.join('/')}`) : normalisePath(head.join('/'));
  const tail = literal ? [] : segments.slice(globAt).filter((segment) => segment !== '');
  // A segment is never empty, so `/*` does not match `/`.
  const parts = tail.map((segment) =>
    segment === '**' ? '[^/]+(?:/[^/]+)*' : `(?=[^/])${segmentRegex(segment)}`,
  );
  const base = segmentRegex(literalDir);
  const body =
    parts.length === 0
      ? base
      : `${literalDir === '/' ? '' : base}${absolute || literalDir !== '.' ? '/' : ''}${parts.join('/')}`;
  const anchored = !absolute && literalDir === '.' && parts.length > 0 ? parts.join('/') : body;
  return { source, absolute, literal, literalDir, regex: new RegExp(`^${anchored}$`, 's') };
}

function isUnder(path: string, dir: string): boolean {
  return dir === '/' ? path !== '/' : path.startsWith(`${dir}/`);
}

/**
 * Does an operand meet a path pattern? For a gate anything the operand might name counts
 * (a glob by the directory it expands in, a run-time or relative path that may be `/`);
 * for an allow rule only what it certainly names does.
 */
export function operandMeets(pattern: PathPattern, fact: OperandFact, gate: boolean): boolean {
  switch (fact.kind) {
    case 'path':
      return pattern.absolute && pattern.regex.test(fact.path);
    case 'unknown':
      return gate;
    case 'entries': {
      if (!gate) return false;
      if (!pattern.absolute || pattern.regex.test(fact.dir)) return true;
      const { literalDir } = pattern;
      if (pattern.literal) return isUnder(literalDir, fact.dir);
      return literalDir === fact.dir || isUnder(literalDir, fact.dir) || isUnder(fact.dir, literalDir);
    }
    case 'relative': {
      if (!pattern.absolute) return (gate && fact.glob) || (!fact.glob && pattern.regex.test(fact.path));
      if (!gate) return false;
      if (fact.anywhere) return true;
      // The working directory is not known; run from `/` is the case a root gate must catch.
      const rooted = fact.path.startsWith('~') ? fact.path.replace(/^~[^/]*/, '') : `/${fact.path}`;
      const atRoot = operandFact(normalisePath(rooted.startsWith('/') ? rooted : `/${rooted}`));
      return operandMeets(pattern, atRoot, gate);
    }
  }
}
