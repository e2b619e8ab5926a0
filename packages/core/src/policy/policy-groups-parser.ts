import { POLICY_KEYS } from './policy-keys.js';
import { checkDirectoryName, type PolicyParseContext } from './policy-parse-context.js';
import type { ApprovalGroup } from './policy-types.js';
import { child, type YamlValue } from './policy-yaml-walker.js';

const GROUP_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** The groups a policy declares: every name, and the groups that were read without problems. */
export interface ParsedGroups {
  readonly declared: ReadonlySet<string>;
  readonly groups: Map<string, ApprovalGroup>;
}

/**
 * Read `groups: { <name>: { users?: [..], teams?: [..] } }`. A group with problems is
 * reported and kept only in `declared`, so a selector naming it is not reported again.
 *
 * @example groups: { operators: { teams: [infra], users: [alice] } }
 */
export function parseGroups(
  context: Pick<PolicyParseContext, 'walker' | 'directory'>,
  node: YamlValue,
): ParsedGroups {
  const { walker } = context;
  const groups = new Map<string, ApprovalGroup>();
  const declared = new Set<string>();
  const fields = walker.fields(node, 'groups', undefined);
  if (fields === undefined) return { declared, groups };
  for (const { name, key, value } of fields.values()) {
    const path = child('groups', name);
    declared.add(name);
    let ok = true;
    if (!GROUP_NAME.test(name)) {
      walker.report(
        key,
        'invalid-value',
        `the group name "${name}" is not allowed; expected lowercase letters, digits, "_" and "-", starting with a letter or digit`,
      );
      ok = false;
    }
    const members = walker.fields(value, path, POLICY_KEYS.group);
    if (members === undefined) continue;
    const read = (kind: 'users' | 'teams'): string[] => {
      const field = members.get(kind);
      if (field === undefined) return [];
      const strings = walker.strings(field.value, child(path, kind), { single: false, allowEmpty: true });
      if (strings === undefined) {
        ok = false;
        return [];
      }
      for (const item of strings) {
        checkDirectoryName(
          context,
          kind === 'users' ? 'user' : 'team',
          item.value,
          item.node,
          child(path, kind),
        );
      }
      return [...new Set(strings.map((item) => item.value))];
    };
    const users = read('users');
    const teams = read('teams');
    if (!members.has('users') && !members.has('teams')) {
      walker.report(
        value,
        'missing-key',
        `${path} has neither users nor teams; expected users: [..], teams: [..] or both`,
      );
      continue;
    }
    if (ok && users.length === 0 && teams.length === 0) {
      walker.report(
        value,
        'invalid-value',
        `${path} has no users and no teams; expected at least one member`,
      );
      continue;
    }
    if (ok) groups.set(name, { name, users, teams });
  }
  return { declared, groups };
}
