import { checkActionGlob } from './action-glob.js';
import type { ExecutorAssignment } from './policy-executors.js';
import type { PolicyParseContext } from './policy-parse-context.js';
import { checkDirectoryName } from './policy-parse-context.js';
import { child, type YamlValue } from './policy-yaml-walker.js';

// Ids as the directory writes them (identity/directory-names.ts), with the kind in front.
const EXECUTOR = /^(agent|user):([a-z0-9][a-z0-9._-]{0,63})$/;

/**
 * Read `executors: { <action glob>: [agent:<id> | user:<id>, ..] }`: who besides the requester may
 * consume a grant for those actions. Every problem is reported at its key or list item.
 *
 * @example executors: { "deploy.*": [agent:deployer] }
 */
export function parseExecutors(
  context: Pick<PolicyParseContext, 'walker' | 'directory'>,
  node: YamlValue,
): ExecutorAssignment[] {
  const { walker } = context;
  const assignments: ExecutorAssignment[] = [];
  const fields = walker.fields(node, 'executors', undefined);
  if (fields === undefined) return assignments;
  for (const { name, key, value } of fields.values()) {
    const path = child('executors', name);
    const problem = checkActionGlob(name);
    if (problem !== undefined) walker.report(key, 'invalid-action', `${path}: ${problem}`);
    const items = walker.strings(value, path, { single: false });
    if (items === undefined || problem !== undefined) continue;
    const executors: string[] = [];
    let ok = true;
    for (const item of items) {
      const match = EXECUTOR.exec(item.value);
      if (match === null) {
        walker.report(
          item.node,
          'invalid-value',
          `${path} names "${item.value}"; expected agent:<id> or user:<id> (lowercase id)`,
        );
        ok = false;
        continue;
      }
      if (match[1] === 'user') checkDirectoryName(context, 'user', match[2] ?? '', item.node, path);
      if (!executors.includes(item.value)) executors.push(item.value);
    }
    if (ok) assignments.push({ action: name, executors, position: walker.position(key) });
  }
  return assignments;
}
