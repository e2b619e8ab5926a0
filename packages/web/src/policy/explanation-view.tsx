import type { Explanation } from '../api/api-types.js';
import { RiskBadge } from '../common/badges.js';
import { formatDuration } from '../common/format-time.js';

const OUTCOME_WORDS = { allow: 'Allowed at once', deny: 'Denied', require: 'Needs human approval' } as const;

function approversText(approvers: readonly Readonly<Record<string, unknown>>[]): string {
  return approvers
    .map((selector) =>
      Object.entries(selector)
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join(' '),
    )
    .join(' or ');
}

/** What the policy would decide, and why: matched rules with their checks, near misses, shell parts. */
export function ExplanationView({ explanation }: { readonly explanation: Explanation }) {
  const { decision, nearMisses, shell } = explanation;
  return (
    <div className="explanation" data-testid="explanation" data-outcome={decision.outcome}>
      <p className={`decision decision-${decision.outcome}`}>
        <strong>{OUTCOME_WORDS[decision.outcome]}</strong> <RiskBadge risk={decision.risk} />
      </p>
      {decision.reason === undefined ? null : <p>{decision.reason}</p>}
      {decision.reasons === undefined ? null : (
        <ul>
          {decision.reasons.map((reason) => (
            <li key={reason.rule}>
              <code>{reason.rule}</code>: {reason.reason}
            </li>
          ))}
        </ul>
      )}
      {decision.requirement === undefined ? null : (
        <>
          <h3>Approval needed</h3>
          <ol>
            {decision.requirement.stages.map((stage, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: stages are ordered and have no identity of their own.
              <li key={index}>
                {stage.min} approval{stage.min === 1 ? '' : 's'} from {approversText(stage.approvers)} (rule{' '}
                <code>{stage.rule}</code>)
              </li>
            ))}
          </ol>
          <p>
            Expires in {formatDuration(decision.requirement.expiresIn)}; on timeout:{' '}
            {decision.requirement.onTimeout}.
            {decision.requirement.override === undefined
              ? ' No emergency override.'
              : ` Emergency override by ${decision.requirement.override.by.join(', ')}${
                  decision.requirement.override.justificationRequired ? ', with a justification' : ''
                }.`}
          </p>
        </>
      )}
      <h3>Matched rules</h3>
      {decision.matched.length === 0 ? (
        <p>No rule matched: the policy default decided.</p>
      ) : (
        <ul className="matches">
          {decision.matched.map((match) => (
            <li key={`${match.rule}:${match.viaShellPart ?? ''}`}>
              <code>{match.rule}</code> (line {match.position.line}) → {match.outcome}
              {match.viaShellPart === undefined ? null : (
                <>
                  {' '}
                  via the command part <code>{match.viaShellPart}</code>
                </>
              )}
              <ul className="trace">
                {match.trace.map((step, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a trace is an ordered list of checks.
                  <li key={index} className={step.ok ? 'trace-ok' : 'trace-fail'}>
                    <span aria-hidden="true">{step.ok ? '✓' : '✗'}</span> {step.condition}: {step.detail}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      <h3>Near misses</h3>
      {nearMisses.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul>
          {nearMisses.map((miss) => (
            <li key={`${miss.rule}:${miss.position.line}`}>
              <code>{miss.rule}</code> (line {miss.position.line}) did not match: {miss.failed.condition} —{' '}
              {miss.failed.detail}
            </li>
          ))}
        </ul>
      )}
      {shell === undefined ? null : (
        <>
          <h3>Shell command</h3>
          {shell.ok && shell.parts !== undefined ? (
            <ol>
              {shell.parts.map((part, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the same command part may appear twice.
                <li key={index}>
                  <code>{part.argv.join(' ')}</code>
                  {part.wrappers.length > 0 ? ` (via ${part.wrappers.join(', ')})` : ''}
                  {part.dynamic ? ' (expands at run time)' : ''}
                </li>
              ))}
            </ol>
          ) : (
            <p>Could not be parsed: {shell.error ?? 'unknown error'}</p>
          )}
        </>
      )}
      <p className="hint">
        Policy version <code className="hash">{decision.policyVersion}</code>
      </p>
    </div>
  );
}
