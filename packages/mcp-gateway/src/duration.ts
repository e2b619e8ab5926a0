const UNIT_MS: Readonly<Record<string, number>> = Object.freeze({
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
});
const DURATION = /^(?:\d+(?:ms|s|m|h|d))+$/;

/**
 * Milliseconds of a duration written like `10m`, `90s`, `1h30m` or `500ms`; undefined when it
 * is not one.
 * @example parseDuration('10m') // 600000
 */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)(ms|s|m|h|d)/g))
    total += Number(amount) * (UNIT_MS[unit as string] ?? 0);
  return total;
}

/**
 * A duration as people write it: the largest whole unit (`10m`, `90s`, `1500ms`).
 * @example describeDuration(600_000) // '10m'
 */
export function describeDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit] as number;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
