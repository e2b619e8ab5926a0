/**
 * Latency measurement for one engine over a pool of queries.
 *
 * Per-call samples: each decision timed alone with `process.hrtime.bigint()`, so p50 and
 * p99 come from real single decisions (each sample includes one timer read, whose cost
 * is reported separately as the timer floor). Batched: a run of decisions timed as one
 * interval, giving the mean cost per decision without the timer. Every answer is kept,
 * per query, so the engines can be compared on every query they were measured on.
 */

const OUTCOME_CODES = Object.freeze({ allow: 0, deny: 1, require: 2 });
/** Answer codes: the three outcomes, then "not measured", "not an outcome", "changed between calls". */
export const OUTCOME_NAMES = Object.freeze([
  'allow',
  'deny',
  'require',
  'unmeasured',
  'invalid',
  'inconsistent',
]);
const UNMEASURED = 3;
const INVALID = 4;
const INCONSISTENT = 5;

/** Nearest-rank percentile of ascending-sorted samples. */
export function percentile(sorted, fraction) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/**
 * A sampler for one engine: `decide(input)` returns 'allow' | 'deny' | 'require'.
 * The cursor walks the query pool in order, wrapping, so every engine that takes as many
 * samples as the pool holds is measured on every query of it.
 *
 * @example const s = createLatencySampler(engine, queries, { samples: 20000, batched: 20000 })
 */
export function createLatencySampler(engine, queries, { samples, batched }) {
  const { decide } = engine;
  const times = new Float64Array(samples);
  const answers = new Uint8Array(queries.length).fill(UNMEASURED);
  const batchAnswers = [];
  let filled = 0;
  let cursor = 0;
  let batchNs = 0;
  let batchCalls = 0;

  function record(index, outcome) {
    const code = OUTCOME_CODES[outcome] ?? INVALID;
    const previous = answers[index];
    if (previous === UNMEASURED) answers[index] = code;
    else if (previous !== code) answers[index] = INCONSISTENT;
  }

  return {
    name: engine.name,
    /**
     * Decide `count` queries untimed (JIT and CPU caches warm), still checking the answers.
     * It replays the queries just before the cursor, so it never pre-loads a per-name memo
     * with the names about to be measured.
     */
    warmUp(count) {
      const start = (((cursor - count) % queries.length) + queries.length) % queries.length;
      for (let i = 0; i < count; i++) {
        const index = (start + i) % queries.length;
        record(index, decide(queries[index]));
      }
    },
    /** Take up to `count` per-call samples. */
    sample(count) {
      const end = Math.min(samples, filled + count);
      while (filled < end) {
        const index = cursor;
        cursor = (cursor + 1) % queries.length;
        const input = queries[index];
        const start = process.hrtime.bigint();
        const outcome = decide(input);
        const stop = process.hrtime.bigint();
        times[filled++] = Number(stop - start);
        record(index, outcome);
      }
    },
    /** Time up to `count` decisions as one interval (towards the batched mean). */
    sampleBatch(count) {
      const n = Math.min(count, batched - batchCalls);
      if (n <= 0) return;
      const first = cursor;
      batchAnswers.length = n;
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) batchAnswers[i] = decide(queries[(first + i) % queries.length]);
      const stop = process.hrtime.bigint();
      batchNs += Number(stop - start);
      batchCalls += n;
      for (let i = 0; i < n; i++) record((first + i) % queries.length, batchAnswers[i]);
      cursor = (first + n) % queries.length;
    },
    /** Percentiles in microseconds, the batched mean, and the answer per query. */
    result() {
      const sorted = times.slice(0, filled).sort();
      return Object.freeze({
        name: engine.name,
        samples: filled,
        p50: percentile(sorted, 0.5) / 1000,
        p99: percentile(sorted, 0.99) / 1000,
        batchedMean: batchCalls === 0 ? Number.NaN : batchNs / batchCalls / 1000,
        batchedCalls: batchCalls,
        answers,
      });
    },
  };
}

/**
 * Compare engines' answers query by query against the reference's. A query counts as a
 * disagreement when any engine measured on it answered differently from the reference or
 * from itself on another call. Queries an engine never measured are skipped for it.
 */
export function compareAnswers(results, expected, queries) {
  let compared = 0;
  const disagreements = [];
  for (let index = 0; index < expected.length; index++) {
    const measured = results.filter((result) => result.answers[index] !== UNMEASURED);
    if (measured.length === 0) continue;
    compared++;
    const want = OUTCOME_CODES[expected[index]];
    if (measured.every((result) => result.answers[index] === want)) continue;
    const seen = Object.fromEntries(results.map((r) => [r.name, OUTCOME_NAMES[r.answers[index]]]));
    const { action, context } = queries[index];
    disagreements.push({ action, environment: context.environment, reference: expected[index], ...seen });
  }
  return Object.freeze({ compared, disagreements });
}
