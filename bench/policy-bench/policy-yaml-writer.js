/**
 * The rule set as a Gatehouse policy file (YAML), so the benchmark runs our engine on
 * what the real parser makes of a real file.
 */

/** The approval every generated require rule asks for: one moderator. */
const REQUIRE_BLOCK = [
  '    require:',
  '      stages:',
  '        - { approvers: { role: moderator }, min: 1 }',
];

function quoted(text) {
  // JSON strings are valid double-quoted YAML scalars.
  return JSON.stringify(text);
}

function ruleLines(rule) {
  const match = [`action: ${quoted(rule.action)}`];
  if (rule.environment !== undefined) match.push(`environment: ${rule.environment}`);
  const lines = [`  - name: ${rule.name}`, `    match: { ${match.join(', ')} }`];
  if (rule.when !== undefined) lines.push(`    when: ${quoted(rule.when)}`);
  if (rule.outcome === 'allow') lines.push('    allow: true');
  else if (rule.outcome === 'deny') lines.push(`    deny: ${quoted(`${rule.name} denies this action`)}`);
  else lines.push(...REQUIRE_BLOCK);
  return lines;
}

/**
 * The policy file for a rule set: default allow, one rule per spec, in order.
 *
 * @example toPolicyYaml([{ name: 'r1', action: 'svc1.**', outcome: 'deny' }])
 */
export function toPolicyYaml(rules) {
  const lines = ['defaults: { decision: allow }', 'rules:'];
  for (const rule of rules) lines.push(...ruleLines(rule));
  return `${lines.join('\n')}\n`;
}
