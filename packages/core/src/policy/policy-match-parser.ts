import { checkActionGlob, compileActionGlob, matchActionGlob } from './action-glob.js';
import { parseCommandCondition } from './policy-command-parser.js';
import { POLICY_KEYS } from './policy-keys.js';
import { checkDirectoryName, type PolicyParseContext } from './policy-parse-context.js';
import type { RuleMatch } from './policy-types.js';
import { child, type YamlString, type YamlValue } from './policy-yaml-walker.js';

const SHELL_ACTION = 'shell.execute';

function unique(strings: readonly YamlString[]): string[] {
  return [...new Set(strings.map((item) => item.value))];
}

/** Read the action globs; `undefined` when any is malformed or can never match. */
function parseActions(
  context: PolicyParseContext,
  node: YamlValue,
  path: string,
): readonly string[] | undefined {
  const { walker } = context;
  const globs = walker.strings(node, path, { single: true });
  if (globs === undefined) return undefined;
  let ok = true;
  for (const glob of globs) {
    const problem = checkActionGlob(glob.value);
    if (problem !== undefined) {
      walker.report(
        glob.node,
        'never-matching-glob',
        `${path}: ${problem}; expected a glob such as shell.execute, deploy.* or plugin.**`,
      );
      ok = false;
    }
  }
  return ok ? unique(globs) : undefined;
}

/** In a team policy every rule is scoped to the team; a `team:` naming another team is refused. */
function parseTeams(
  context: PolicyParseContext,
  node: YamlValue | undefined,
  path: string,
): readonly string[] | undefined {
  const { walker, team } = context;
  const teams = node === undefined ? undefined : walker.strings(node, path, { single: true });
  if (team === undefined) {
    for (const item of teams ?? []) checkDirectoryName(context, 'team', item.value, item.node, path);
    return teams === undefined ? undefined : unique(teams);
  }
  for (const item of teams ?? []) {
    if (item.value !== team) {
      walker.report(
        item.node,
        'team-policy-forbidden',
        `${path} is "${item.value}", but a team policy of "${team}" can only match its own team; expected "${team}" or no team`,
      );
    }
  }
  return [team];
}

/**
 * Read a rule's `match`: `action` (required) plus optional `environment`, `team`,
 * `requester`, `agent` and `command`, each a string or a list (`command` may also hold
 * shape patterns, see {@link parseCommandCondition}). `command` needs every action glob
 * to cover `shell.execute`, the only action whose commands are decomposed.
 *
 * @example match: { action: "deploy.*", environment: prod }
 */
export function parseMatch(
  context: PolicyParseContext,
  node: YamlValue,
  path: string,
): RuleMatch | undefined {
  const { walker } = context;
  const fields = walker.fields(node, path, POLICY_KEYS.match);
  if (fields === undefined) return undefined;
  const read = (key: string) => {
    const field = fields.get(key);
    return field === undefined ? undefined : walker.strings(field.value, child(path, key), { single: true });
  };
  const actionField = fields.get('action');
  if (actionField === undefined) {
    walker.report(
      node,
      'missing-key',
      `${path} is missing "action"; expected an action name or glob such as shell.execute`,
    );
  }
  const actions =
    actionField === undefined ? undefined : parseActions(context, actionField.value, child(path, 'action'));
  const environments = read('environment');
  const teams = parseTeams(context, fields.get('team')?.value, child(path, 'team'));
  const requesters = read('requester');
  // Only `user:` ids can be checked: bare names and `agent:` ids may name agents, which the directory does not list.
  for (const requester of requesters ?? []) {
    if (requester.value.startsWith('user:')) {
      checkDirectoryName(
        context,
        'user',
        requester.value.slice('user:'.length),
        requester.node,
        child(path, 'requester'),
      );
    }
  }
  const agents = read('agent');
  const commandField = fields.get('command');
  const command =
    commandField === undefined
      ? undefined
      : parseCommandCondition(context, commandField.value, child(path, 'command'));
  if (commandField !== undefined && actions !== undefined) {
    const notShell = actions.filter((glob) => !matchActionGlob(compileActionGlob(glob), SHELL_ACTION));
    if (notShell.length > 0) {
      walker.report(
        commandField.key,
        'command-needs-shell',
        `command matching only applies to ${SHELL_ACTION}, but ${child(path, 'action')} "${notShell.join('", "')}" cannot match it; expected action: ${SHELL_ACTION}`,
      );
      return undefined;
    }
  }
  if (actions === undefined) return undefined;
  return {
    actions,
    ...(environments === undefined ? {} : { environments: unique(environments) }),
    ...(teams === undefined ? {} : { teams }),
    ...(requesters === undefined ? {} : { requesters: unique(requesters) }),
    ...(agents === undefined ? {} : { agents: unique(agents) }),
    ...(command === undefined || command.globs.length === 0 ? {} : { commands: command.globs }),
    ...(command === undefined || command.patterns.length === 0 ? {} : { commandPatterns: command.patterns }),
  };
}
