import type { Risk } from '../policy/policy-types.js';
import type { RiskSignal } from './summary-types.js';

/** A signal with the risk it carries; the summary keeps the signal and folds the risks. */
export interface RiskFinding extends RiskSignal {
  readonly risk: Risk;
}

/** Longest detail kept, so one huge parameter cannot flood a summary. */
const MAX_DETAIL = 80;

/** A finding, its detail shortened to one line of at most 80 characters. */
export function finding(code: string, risk: Risk, detail: string): RiskFinding {
  return Object.freeze({ code, risk, detail: clip(detail, MAX_DETAIL) });
}

/** `text` on one line, at most `max` characters (an ellipsis marks a cut). */
export function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}
