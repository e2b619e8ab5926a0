/**
 * The keys a policy file may use, per level. The parser checks files against these lists
 * and the schema test checks `policy.schema.json` against them, so the two cannot drift.
 */
export const POLICY_KEYS = Object.freeze({
  /** Top level of an organisation policy. */
  policy: Object.freeze([
    '$schema',
    'version',
    'defaults',
    'groups',
    'executors',
    'rules',
    'approvalPolicies',
  ] as const),
  /** Top level of a team policy. */
  teamPolicy: Object.freeze(['$schema', 'version', 'team', 'rules'] as const),
  /** One entry of the seed form's `approvalPolicies`. */
  seedEntry: Object.freeze([
    'action',
    'requireApproval',
    'requireModeratorApproval',
    'requireAdminApproval',
    'name',
  ] as const),
  defaults: Object.freeze(['decision', 'expiresIn', 'onTimeout', 'grantTtl'] as const),
  group: Object.freeze(['users', 'teams'] as const),
  rule: Object.freeze([
    'name',
    'match',
    'when',
    'allow',
    'deny',
    'require',
    'risk',
    'selfApproval',
    'override',
  ] as const),
  match: Object.freeze(['action', 'environment', 'team', 'requester', 'agent', 'command'] as const),
  /** A `match.command` written as a mapping: a command by its shape. */
  commandPattern: Object.freeze(['name', 'subcommand', 'flags', 'operands', 'writes'] as const),
  require: Object.freeze(['stages', 'expiresIn', 'onTimeout', 'grantTtl'] as const),
  stage: Object.freeze(['approvers', 'min', 'denyMin', 'name'] as const),
  selector: Object.freeze(['role', 'team', 'group', 'users'] as const),
  override: Object.freeze(['by', 'justification'] as const),
});

/** The keys of the top level an organisation policy may use but a team policy may not. */
export const ORG_ONLY_KEYS: readonly string[] = Object.freeze([
  'defaults',
  'groups',
  'executors',
  'approvalPolicies',
]);
