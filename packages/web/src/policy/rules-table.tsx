import type { PolicyRuleSummary } from '../api/api-types.js';
import { ScrollRegion } from '../common/scroll-region.js';

function describeMatch(match: Readonly<Record<string, unknown>>): string {
  return Object.entries(match)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

/** The active policy's rules, in order, each linked to its line in the source. */
export function RulesTable({
  rules,
  sourceId,
}: {
  readonly rules: readonly PolicyRuleSummary[];
  readonly sourceId: string;
}) {
  if (rules.length === 0) return <p>This policy has no rules: the defaults decide everything.</p>;
  return (
    <ScrollRegion label="Rules">
      <table className="table" data-testid="rules-table">
        <caption className="visually-hidden">The rules of the active policy</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Line</th>
            <th scope="col">Matches</th>
            <th scope="col">Outcome</th>
            <th scope="col">Risk</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((rule) => (
            <tr key={`${rule.name}:${rule.position.line}`}>
              <td>
                <code>{rule.name}</code>
              </td>
              <td>
                <a href={`#${sourceId}-L${rule.position.line}`}>{rule.position.line}</a>
              </td>
              <td className="cell-wrap">
                <code>{describeMatch(rule.match)}</code>
              </td>
              <td>
                <span className={`badge badge-outcome-${rule.outcome}`}>{rule.outcome}</span>
              </td>
              <td>{rule.risk ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
