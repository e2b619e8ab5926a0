import { foldActionSpelling, isCanonicalActionName } from './action-name.js';

/**
 * Action names and the globs that match them.
 *
 * A name is dot-separated segments of lowercase letters, digits, `_` and `-`
 * (`proxmox.vm.delete`; see `action-name.ts` for the one canonical spelling).
 * In a glob, a segment `*` matches exactly one segment, a last segment `**` matches one
 * or more, and a `*` inside a segment matches within it (`plugin.inst*`).
 */

const GLOB_SEGMENT = /^[a-z0-9_*-]+$/;

/** One segment of a compiled glob. */
export type GlobSegment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'one' }
  | { readonly kind: 'partial'; readonly pattern: RegExp }
  | { readonly kind: 'rest' };

/** A compiled glob: its segments and the literal segments it starts with (for indexing). */
export interface ActionGlob {
  readonly source: string;
  readonly segments: readonly GlobSegment[];
  /** The leading literal segments: `deploy.*` has `['deploy']`. */
  readonly literalPrefix: readonly string[];
}

/** True when `name` is a well-formed action name in its canonical spelling. */
export function isActionName(name: string): boolean {
  return isCanonicalActionName(name);
}

/** Why a glob can never match any action name, or `undefined` when it is fine. */
export function checkActionGlob(glob: string): string | undefined {
  if (glob.length === 0) return 'an action glob must not be empty';
  const segments = glob.split('.');
  for (const [index, segment] of segments.entries()) {
    if (segment.length === 0) return `"${glob}" has an empty segment, so no action name can match it`;
    if (!GLOB_SEGMENT.test(segment)) {
      const folded = foldActionSpelling(glob);
      if (folded !== glob && checkActionGlob(folded) === undefined)
        return `"${glob}" is not in canonical form: action names are lowercase ASCII, write ${JSON.stringify(folded)}`;
      return `"${glob}" has characters no action name contains (names use lowercase letters, digits, "_", "-" and ".")`;
    }
    if (segment.includes('**') && segment !== '**') return `"${glob}": "**" must stand alone as a segment`;
    if (segment === '**' && index !== segments.length - 1)
      return `"${glob}": "**" is only allowed as the last segment`;
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compile a glob that {@link checkActionGlob} accepted. Throws on one it would refuse. */
export function compileActionGlob(glob: string): ActionGlob {
  const problem = checkActionGlob(glob);
  if (problem !== undefined) throw new Error(problem);
  const segments: GlobSegment[] = glob.split('.').map((segment) => {
    if (segment === '**') return { kind: 'rest' };
    if (segment === '*') return { kind: 'one' };
    if (segment.includes('*')) {
      const body = segment.split('*').map(escapeRegExp).join('[a-z0-9_-]*');
      return { kind: 'partial', pattern: new RegExp(`^${body}$`) };
    }
    return { kind: 'literal', value: segment };
  });
  const literalPrefix: string[] = [];
  for (const segment of segments) {
    if (segment.kind !== 'literal') break;
    literalPrefix.push(segment.value);
  }
  return { source: glob, segments, literalPrefix };
}

/** Match pre-split action segments against a compiled glob. */
export function matchSegments(glob: ActionGlob, name: readonly string[]): boolean {
  const { segments } = glob;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.kind === 'rest') return name.length > i;
    const part = name[i];
    if (part === undefined) return false;
    if (
      segment.kind === 'literal'
        ? segment.value !== part
        : segment.kind === 'partial' && !segment.pattern.test(part)
    )
      return false;
  }
  return name.length === segments.length;
}

/** True when the action name matches the glob. */
export function matchActionGlob(glob: ActionGlob, name: string): boolean {
  return matchSegments(glob, name.split('.'));
}
