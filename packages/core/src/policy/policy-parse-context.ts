import type { ApprovalGroup, PolicyDefaults } from './policy-types.js';
import type { PolicyYamlWalker, YamlValue } from './policy-yaml-walker.js';

/** The teams and users a policy may name. When given, a name not listed is an error. */
export interface PolicyDirectory {
  readonly teams?: readonly string[];
  readonly users?: readonly string[];
}

/** What the rule parsers need to know about the file around them. */
export interface PolicyParseContext {
  readonly walker: PolicyYamlWalker;
  /** The file's defaults: they fill a requirement's missing expiresIn, onTimeout and grantTtl. */
  readonly defaults: PolicyDefaults;
  /** The group names a `group:` selector may use; `undefined` when they are not known (not checked). */
  readonly declaredGroups: ReadonlySet<string> | undefined;
  /** The groups read without problems, to tell whether a stage can be satisfied. */
  readonly groups: ReadonlyMap<string, ApprovalGroup>;
  readonly directory: PolicyDirectory | undefined;
  /** Set when parsing a team policy: the team whose file this is. */
  readonly team: string | undefined;
}

/**
 * Report a team or user name the directory does not list. Nothing is checked when there
 * is no directory, or it does not list that kind of name.
 */
export function checkDirectoryName(
  context: DirectoryCheck,
  kind: 'team' | 'user',
  name: string,
  node: YamlValue,
  path: string,
): void {
  const known = kind === 'team' ? context.directory?.teams : context.directory?.users;
  if (known === undefined || known.includes(name)) return;
  const who = kind === 'team' ? 'which' : 'who';
  context.walker.report(
    node,
    `unknown-${kind}`,
    `${path} names the ${kind} "${name}", ${who} does not exist; expected an existing ${kind}`,
  );
}

/** The part of the context a directory check needs. */
export type DirectoryCheck = Pick<PolicyParseContext, 'walker' | 'directory'>;
