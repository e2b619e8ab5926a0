import { MAX_DURATION_MS, MAX_GRANT_TTL_MS } from './policy-duration.js';
import { POLICY_KEYS } from './policy-keys.js';
import { DEFAULT_POLICY_DEFAULTS, type OnTimeout, type PolicyDefaults } from './policy-types.js';
import type { PolicyYamlWalker, YamlValue } from './policy-yaml-walker.js';

/**
 * Read `defaults: { decision, expiresIn, onTimeout, grantTtl }`. Missing keys (and keys
 * with problems, which are reported) take {@link DEFAULT_POLICY_DEFAULTS}.
 */
export function parseDefaults(walker: PolicyYamlWalker, node: YamlValue): PolicyDefaults {
  const fields = walker.fields(node, 'defaults', POLICY_KEYS.defaults);
  if (fields === undefined) return DEFAULT_POLICY_DEFAULTS;
  const value = (name: string) => fields.get(name)?.value;
  const decision = fields.has('decision')
    ? walker.oneOf(value('decision'), 'defaults.decision', ['allow', 'deny'] as const)
    : undefined;
  const expiresIn = fields.has('expiresIn')
    ? walker.duration(value('expiresIn'), 'defaults.expiresIn', MAX_DURATION_MS)
    : undefined;
  const grantTtl = fields.has('grantTtl')
    ? walker.duration(value('grantTtl'), 'defaults.grantTtl', MAX_GRANT_TTL_MS)
    : undefined;
  let onTimeout: OnTimeout | undefined;
  if (fields.has('onTimeout')) {
    const node = value('onTimeout');
    onTimeout = walker.oneOf(node, 'defaults.onTimeout', ['deny', 'approve', 'escalate'] as const);
    if (onTimeout === 'approve') {
      // Approving on timeout is only acceptable for low-risk rules; a default has no risk to judge by.
      walker.report(
        node,
        'approve-needs-low-risk',
        'defaults.onTimeout cannot be approve, since a default applies to rules of every risk; expected deny or escalate (set onTimeout: approve on a rule with risk: low instead)',
      );
      onTimeout = undefined;
    }
  }
  return {
    decision: decision ?? DEFAULT_POLICY_DEFAULTS.decision,
    expiresIn: expiresIn ?? DEFAULT_POLICY_DEFAULTS.expiresIn,
    onTimeout: onTimeout ?? DEFAULT_POLICY_DEFAULTS.onTimeout,
    grantTtl: grantTtl ?? DEFAULT_POLICY_DEFAULTS.grantTtl,
  };
}
