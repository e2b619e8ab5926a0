/** Number formats and the Markdown table of the HTTP report. Missing values print as "n/a". */

const finite = (n) => typeof n === 'number' && Number.isFinite(n);

/** A whole number with thousands separators: 12,345. */
export const int = (n) => (finite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');

/** `digits` decimals. */
export const fixed = (n, digits) => (finite(n) ? n.toFixed(digits) : 'n/a');

/** Milliseconds: two decimals below 10, one above. */
export const ms = (n) => (finite(n) ? n.toFixed(n < 10 ? 2 : 1) : 'n/a');

/** A share as a whole percentage. */
export const pct = (n) => (finite(n) ? `${(n * 100).toFixed(0)}%` : 'n/a');

/** A ratio: 0.22×, 12.5×. */
export const times = (n) => (finite(n) ? `${n.toFixed(n < 10 ? 2 : 1)}×` : 'n/a');

/** Bytes as MB (2^20), one decimal. */
export const mb = (bytes) => fixed(bytes / 2 ** 20, 1);

/** A Markdown table. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
