import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ceilingRequest, startCeilingServer } from './http-ceiling.js';
import { createKeepAliveAgent } from './http-client.js';
import { runLoad } from './load-driver.js';

describe('runLoad over the bare server', () => {
  let server;
  let agent;
  beforeAll(async () => {
    server = await startCeilingServer();
    agent = createKeepAliveAgent(8);
  });
  afterAll(async () => {
    agent.destroy();
    await server.stop();
  });

  it('stops at the count, each request once, and counts them all', async () => {
    const seen = new Set();
    const post = ceilingRequest(agent, server.origin);
    const result = await runLoad({
      concurrency: 8,
      maxRequests: 200,
      maxMs: 60_000,
      issue: async (index) => {
        seen.add(index);
        await post(index);
      },
    });
    expect(result).toMatchObject({ completed: 200, failed: 0, stoppedBy: 'count' });
    expect(seen.size).toBe(200);
    expect(result.latency.count).toBe(200);
    expect(result.rps).toBeGreaterThan(0);
  });

  it('counts a wrong answer as a failure, keeps its message, and leaves it out of the throughput', async () => {
    const result = await runLoad({
      concurrency: 4,
      maxRequests: 20,
      maxMs: 60_000,
      issue: async (index) => {
        if (index % 2 === 1) throw new Error(`wrong answer ${index}`);
      },
    });
    expect(result.completed).toBe(10);
    expect(result.failed).toBe(10);
    expect(result.failures).toHaveLength(5);
    expect(result.failures[0]).toMatch(/^wrong answer \d+$/);
    expect(result.latency.count).toBe(10);
  });

  it('stops at the time bound when it comes first', async () => {
    const result = await runLoad({ concurrency: 2, maxRequests: 1_000_000, maxMs: 0, issue: async () => {} });
    expect(result.stoppedBy).toBe('time');
    expect(result.completed).toBe(0);
  });
});
