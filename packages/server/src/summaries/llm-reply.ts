import type { Risk } from '@gatehouse/core';
import { isRisk } from '@gatehouse/core';

/** What a model's reply is read as: a summary sentence and, when it gave a valid one, a risk. */
export interface LlmVerdict {
  readonly text: string;
  readonly risk?: Risk;
}

/** The longest model summary shown; longer replies are cut. */
export const MAX_LLM_SUMMARY = 400;

/**
 * Reads a model's reply: a JSON object `{ summary, risk }`, possibly inside a Markdown code fence
 * or surrounded by chatter. The summary is put on one line, stripped of control characters and cut
 * to `MAX_LLM_SUMMARY`. Undefined when there is no usable summary (the caller falls back).
 */
export function parseSummaryReply(content: unknown): LlmVerdict | undefined {
  if (typeof content !== 'string') return undefined;
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(content.slice(start, end + 1));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { summary, risk } = parsed as { summary?: unknown; risk?: unknown };
  if (typeof summary !== 'string') return undefined;
  const text = summary
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length === 0) return undefined;
  const bounded = text.length <= MAX_LLM_SUMMARY ? text : `${text.slice(0, MAX_LLM_SUMMARY - 1).trimEnd()}…`;
  const normalised = typeof risk === 'string' ? risk.trim().toLowerCase() : undefined;
  return Object.freeze({ text: bounded, ...(isRisk(normalised) ? { risk: normalised } : {}) });
}
