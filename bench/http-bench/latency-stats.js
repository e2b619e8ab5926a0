/**
 * Percentiles of latency samples (milliseconds) by the nearest-rank method: p50 of
 * [1, 2, 3, 4] is 2, p99 of 500 samples is the 495th smallest. No interpolation, so every
 * figure reported is a latency that was actually observed.
 */

function nearestRank(sorted, p) {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * The `p`-th percentile (0 < p ≤ 100) of `samples`; NaN when there are none.
 * @example percentile([5, 1, 3], 50) // 3
 */
export function percentile(samples, p) {
  if (samples.length === 0) return Number.NaN;
  return nearestRank(Float64Array.from(samples).sort(), p);
}

/** How many samples there were, and their p50, p90, p99 and max (NaN when there are none). */
export function summarizeLatencies(samples) {
  if (samples.length === 0) {
    return { count: 0, p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, max: Number.NaN };
  }
  const sorted = Float64Array.from(samples).sort();
  return {
    count: sorted.length,
    p50: nearestRank(sorted, 50),
    p90: nearestRank(sorted, 90),
    p99: nearestRank(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}
