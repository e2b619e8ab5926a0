import { describe, expect, it } from 'vitest';
import { compareAnswers, createLatencySampler, percentile } from './latency-sampler.js';
import { actionInput } from './rule-set-generator.js';

const QUERIES = [
  actionInput('svc1.a.b', 'prod'),
  actionInput('svc2.a.b', 'prod'),
  actionInput('svc3.a.b', 'staging'),
];
const EXPECTED = ['allow', 'deny', 'require'];

function engine(name, decide) {
  return { name, decide };
}

const faithful = engine('faithful', (input) => EXPECTED[QUERIES.indexOf(input)]);

describe('percentile', () => {
  it('takes the nearest rank of sorted samples', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.99)).toBe(99);
    expect(percentile(Float64Array.of(7), 0.99)).toBe(7);
    expect(percentile(new Float64Array(0), 0.5)).toBeNaN();
  });
});

describe('createLatencySampler', () => {
  it('takes exactly the planned samples and batched calls, and records every answer', () => {
    const sampler = createLatencySampler(faithful, QUERIES, { samples: 5, batched: 4 });
    sampler.sample(3);
    sampler.sample(10);
    sampler.sampleBatch(3);
    sampler.sampleBatch(3);
    const result = sampler.result();
    expect(result.samples).toBe(5);
    expect(result.batchedCalls).toBe(4);
    expect(result.p50).toBeGreaterThan(0);
    expect(result.p99).toBeGreaterThanOrEqual(result.p50);
    expect(compareAnswers([result], EXPECTED, QUERIES)).toEqual({ compared: 3, disagreements: [] });
  });

  it('reports a wrong answer and an answer that changes between calls', () => {
    let calls = 0;
    const flaky = engine('flaky', (input) => (input === QUERIES[2] && calls++ > 0 ? 'allow' : 'deny'));
    const sampler = createLatencySampler(flaky, QUERIES, { samples: 6, batched: 0 });
    sampler.sample(6);
    const { compared, disagreements } = compareAnswers([sampler.result()], EXPECTED, QUERIES);
    expect(compared).toBe(3);
    expect(disagreements.map((d) => [d.action, d.flaky])).toEqual([
      ['svc1.a.b', 'deny'],
      ['svc3.a.b', 'inconsistent'],
    ]);
  });

  it('skips queries an engine was not measured on, and flags answers that are not outcomes', () => {
    const odd = createLatencySampler(
      engine('odd', () => 'maybe'),
      QUERIES,
      { samples: 1, batched: 0 },
    );
    odd.sample(1);
    const { compared, disagreements } = compareAnswers([odd.result()], EXPECTED, QUERIES);
    expect(compared).toBe(1);
    expect(disagreements).toEqual([
      { action: 'svc1.a.b', environment: 'prod', reference: 'allow', odd: 'invalid' },
    ]);
  });

  it('warms up on the queries before the cursor, without moving it', () => {
    const sampler = createLatencySampler(faithful, QUERIES, { samples: 1, batched: 0 });
    sampler.warmUp(1);
    expect(compareAnswers([sampler.result()], EXPECTED, QUERIES).compared).toBe(1);
    sampler.sample(1);
    const { answers } = sampler.result();
    expect([...answers]).toEqual([0, 3, 2]); // allow (sampled first), unmeasured, require (warm-up)
  });
});
