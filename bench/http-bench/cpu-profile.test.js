import { describe, expect, it } from 'vitest';
import { summarizeProfile } from './cpu-profile.js';

const frame = (functionName, url, lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
  scriptId: '0',
  columnNumber: 0,
});

/** root → runBatch (server) → run (native); root → handler (hono); root → GC; root → post (inspector) → dispatch. */
function syntheticProfile() {
  const nodes = [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 4, 5, 6] },
    {
      id: 2,
      callFrame: frame('runBatch', 'file:///w/packages/server/dist/storage/group-commit.js', 15),
      children: [3],
    },
    { id: 3, callFrame: frame('run', ''), children: [] },
    { id: 4, callFrame: frame('dispatch', 'file:///w/node_modules/hono/dist/hono-base.js', 9), children: [] },
    { id: 5, callFrame: frame('(garbage collector)', ''), children: [] },
    { id: 6, callFrame: frame('post', 'node:inspector/promises'), children: [7] },
    { id: 7, callFrame: frame('dispatch', ''), children: [] },
  ];
  // 6 ms in the native run, 3 ms in hono, 1 ms GC, 5 ms serialising the profile.
  const samples = [3, 3, 3, 3, 3, 3, 4, 4, 4, 5, 7, 7, 7, 7, 7];
  return { nodes, samples, timeDeltas: samples.map(() => 1000), startTime: 0, endTime: 15_000 };
}

describe('summarizeProfile', () => {
  const summary = summarizeProfile(syntheticProfile());

  it('leaves out the profiler’s own work', () => {
    expect(summary.totalMs).toBe(10);
  });

  it('charges a native call to the component that made it', () => {
    expect(summary.components).toEqual([
      { name: '@gatehouse/server/storage (native)', ms: 6, share: 0.6 },
      { name: 'hono', ms: 3, share: 0.3 },
      { name: 'V8 garbage collector', ms: 1, share: 0.1 },
    ]);
  });

  it('names native calls by their Gatehouse caller and where it is', () => {
    expect(summary.nativeCallers).toEqual([
      { name: 'run ← runBatch — packages/server/dist/storage/group-commit.js:16', ms: 6, share: 0.6 },
    ]);
  });

  it('ranks functions by self time', () => {
    expect(summary.functions.map((f) => f.name)).toEqual([
      'run — @gatehouse/server/storage (native)',
      'dispatch — node_modules/hono/dist/hono-base.js:10',
      '(garbage collector) — V8 garbage collector',
    ]);
  });
});
