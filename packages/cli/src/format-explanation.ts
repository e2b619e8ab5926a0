import type {
  ActionInput,
  ApproverSelector,
  DecidedStage,
  Explanation,
  SourcePosition,
} from '@gatehouse/core';

/** A duration in the policy's own notation: `90m` → `1h30m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'never';
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ];
  let rest = ms;
  let text = '';
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text || `${ms}ms`;
}

function where(position: SourcePosition): string {
  return `${position.file}:${position.line}:${position.column}`;
}

function describeApprover(selector: ApproverSelector): string {
  switch (selector.kind) {
    case 'role':
      return selector.role === 'user' ? 'any user' : `role ${selector.role}`;
    case 'team':
      return `team ${selector.team}`;
    case 'requester-team':
      return "the requester's team";
    case 'group':
      return `group ${selector.group}`;
    case 'users':
      return `users ${selector.users.join(', ')}`;
  }
}

function describeApprovers(approvers: readonly ApproverSelector[]): string {
  return approvers.map(describeApprover).join(' or ');
}

function describeStage(stage: DecidedStage, index: number): string {
  const denials = stage.denyMin > 1 ? `, denied by ${stage.denyMin} denials` : '';
  return `  ${index + 1}. ${stage.name}: ${stage.min} approval${stage.min === 1 ? '' : 's'} from ${describeApprovers(stage.approvers)}${denials}  [rule ${stage.rule}]`;
}

/** The human-readable `policy explain` report. */
export function formatExplanation(input: ActionInput, explanation: Explanation): string {
  const { decision, nearMisses, shell } = explanation;
  const lines: string[] = [];
  lines.push(`Action: ${input.action}  requester: ${input.requester.kind}:${input.requester.id}`);
  if (shell !== undefined) {
    if (shell.ok)
      lines.push(`Shell parts: ${shell.parts.map((part) => `[${part.text}]`).join(' ') || '(none)'}`);
    else lines.push(`Shell: could not parse the command (${shell.error})`);
  }
  lines.push('');
  lines.push('Matched rules:');
  if (decision.matched.length === 0) lines.push('  (none)');
  for (const match of decision.matched) {
    const via = match.viaShellPart === undefined ? '' : ` via "${match.viaShellPart}"`;
    lines.push(`  + ${match.rule} (${match.outcome}) at ${where(match.position)}${via}`);
    for (const step of match.trace) lines.push(`      ${step.ok ? 'ok  ' : 'fail'} ${step.detail}`);
  }
  lines.push('');
  lines.push('Near misses (the action matched, a later condition did not):');
  if (nearMisses.length === 0) lines.push('  (none)');
  for (const miss of nearMisses)
    lines.push(`  - ${miss.rule} at ${where(miss.position)}: ${miss.failed.detail}`);
  lines.push('');
  switch (decision.outcome) {
    case 'allow':
      lines.push(
        `Decision: ALLOW (${decision.reason === 'default' ? 'policy default' : 'by rule'}), risk ${decision.risk}`,
      );
      lines.push(`  grant lives ${formatDuration(decision.grantTtl)}`);
      break;
    case 'deny':
      lines.push(`Decision: DENY (${decision.reason}), risk ${decision.risk}`);
      for (const { rule, reason } of decision.reasons) lines.push(`  ${rule}: ${reason}`);
      break;
    case 'require': {
      const { requirement } = decision;
      lines.push(`Decision: REQUIRE APPROVAL, risk ${decision.risk}`);
      requirement.stages.forEach((stage, index) => {
        lines.push(describeStage(stage, index));
      });
      lines.push(
        `  expires in ${formatDuration(requirement.expiresIn)}, on timeout: ${requirement.onTimeout}, grant lives ${formatDuration(requirement.grantTtl)}`,
      );
      lines.push(`  self-approval: ${requirement.selfApproval ? 'allowed by every matching rule' : 'never'}`);
      if (requirement.override !== undefined) {
        const justification = requirement.override.justificationRequired ? ', justification required' : '';
        lines.push(`  emergency override: by ${requirement.override.by.join(' or ')}${justification}`);
      }
      break;
    }
  }
  lines.push(`Policy version: ${decision.policyVersion}`);
  return `${lines.join('\n')}\n`;
}
