import type { RequestView } from '../api/api-types.js';
import { RiskBadge } from '../common/badges.js';
import { summarizeRequest } from './request-summary.js';

function sourceWords(source: string): string {
  if (source === 'built-in') return 'Gatehouse’s built-in explainer';
  if (source.startsWith('llm:')) return `an AI model (${source.slice('llm:'.length)})`;
  return source;
}

/**
 * The request in plain words, with the risk the policy gave it. The server's summary, when
 * written, is advisory: its source and risk signals are named, and it never decides.
 */
export function SummaryPanel({ request }: { readonly request: RequestView }) {
  const { summary } = request;
  return (
    <div className="summary-panel">
      <p className="request-summary-lead" data-testid="summary">
        {summarizeRequest(request)}
      </p>
      {summary === undefined ? null : (
        <div className="summary-meta">
          <p className="hint">
            Summary by {sourceWords(summary.source)}: advice for you, never part of the decision.
            {summary.risk === request.risk ? null : (
              <>
                {' '}
                It rates the risk <RiskBadge risk={summary.risk} /> where the policy says{' '}
                <RiskBadge risk={request.risk} />.
              </>
            )}
          </p>
          {summary.signals.length === 0 ? null : (
            <ul className="signals" aria-label="Risk signals">
              {summary.signals.map((signal) => (
                <li key={`${signal.code}:${signal.detail}`}>
                  <span className="badge badge-warning">{signal.code}</span> {signal.detail}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
