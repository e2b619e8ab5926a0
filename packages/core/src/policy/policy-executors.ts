import { type ActionGlob, compileActionGlob, matchActionGlob } from './action-glob.js';
import type { SourcePosition } from './policy-types.js';

/**
 * Who besides the requester may consume a grant for actions matching `action`: an organisation
 * policy's `executors:` entry, e.g. `deploy.*: [agent:deployer]`.
 */
export interface ExecutorAssignment {
  /** The action glob, as written. */
  readonly action: string;
  /** `agent:<id>` or `user:<id>`: always with the kind, so an agent and a user of one name differ. */
  readonly executors: readonly string[];
  readonly position: SourcePosition;
}

/**
 * The executors a policy names for `action` (every matching entry's, in file order, without repeats).
 * An action no entry matches has none: only its requester may consume its grant.
 * @example executorsFor(policy.executors, 'deploy.production') // ['agent:deployer']
 */
export function executorsFor(
  assignments: readonly ExecutorAssignment[] | undefined,
  action: string,
): readonly string[] {
  const found: string[] = [];
  for (const assignment of assignments ?? []) {
    if (!matchActionGlob(globOf(assignment.action), action)) continue;
    for (const executor of assignment.executors) if (!found.includes(executor)) found.push(executor);
  }
  return found;
}

// Grants are consumed far less often than actions are evaluated: compile on use, remember by source.
const compiled = new Map<string, ActionGlob>();
function globOf(source: string): ActionGlob {
  let glob = compiled.get(source);
  if (glob === undefined) {
    glob = compileActionGlob(source);
    if (compiled.size > 1_000) compiled.clear();
    compiled.set(source, glob);
  }
  return glob;
}
