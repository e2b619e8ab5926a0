import { clip, finding, type RiskFinding } from './risk-finding.js';

// Each pattern is linear (no nested quantifiers), so a long parameter cannot stall the explainer.
const DROP =
  /\bdrop\s+(?:table|database|schema|index|view|materialized\s+view|sequence|user|role|function|trigger|type|extension)\b/i;
const TRUNCATE = /\btruncate\s+(?:table\s+)?[\w."`[\]]/i;
const DELETE = /\bdelete\s+from\s+\S/i;
const UPDATE = /\bupdate\s+\S+\s+set\b/i;
const WHERE = /\bwhere\b/i;

/**
 * Destructive SQL in a piece of text: `DROP`, `TRUNCATE`, and `DELETE` or `UPDATE` without a
 * `WHERE` (every row). Statements are split on `;`. A plain-text heuristic: advisory only.
 * @example sqlFindings('DELETE FROM users').map((f) => f.code) // ['sql-delete-all']
 */
export function sqlFindings(text: string): RiskFinding[] {
  const found: RiskFinding[] = [];
  for (const statement of text.split(';')) {
    const drop = DROP.exec(statement);
    if (drop !== null) found.push(finding('sql-drop', 'high', statement.slice(drop.index)));
    const truncate = TRUNCATE.exec(statement);
    if (truncate !== null) found.push(finding('sql-truncate', 'high', statement.slice(truncate.index)));
    const unbounded = !WHERE.test(statement);
    const del = DELETE.exec(statement);
    if (del !== null && unbounded) {
      found.push(finding('sql-delete-all', 'high', `${clip(statement.slice(del.index), 56)} (no WHERE)`));
    }
    const update = UPDATE.exec(statement);
    if (update !== null && unbounded) {
      found.push(finding('sql-update-all', 'high', `${clip(statement.slice(update.index), 56)} (no WHERE)`));
    }
  }
  return found;
}
