import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE, isLastAttempt, retryDelay } from './webhook-backoff.js';
import { normaliseEventTypes, subscribesTo } from './webhook-event-types.js';
import { webhookPayload } from './webhook-payload.js';
import { isBlockedAddress } from './webhook-target-guard.js';

describe('isBlockedAddress', () => {
  it('blocks loopback, private, link-local, unique-local, metadata and unspecified addresses', () => {
    for (const address of [
      '127.0.0.1',
      '127.255.0.9',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '0.0.0.0',
      '100.100.100.200',
      '100.64.0.1',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd00:ec2::254',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      'not-an-ip',
    ]) {
      expect(isBlockedAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
      expect(isBlockedAddress(address), address).toBe(false);
    }
  });
});

describe('retryDelay', () => {
  it('is full jitter over 5 s × 2^attempt, capped at an hour', () => {
    expect(retryDelay(1, () => 0)).toBe(0);
    expect(retryDelay(1, () => 0.5)).toBe(5_000);
    expect(retryDelay(3, () => 0.999999)).toBe(39_999);
    expect(retryDelay(20, () => 0.5)).toBe(1_800_000);
    expect(retryDelay(20, () => 1)).toBe(3_600_000);
    expect(isLastAttempt(7)).toBe(false);
    expect(isLastAttempt(DEFAULT_RETRY_SCHEDULE.maxAttempts)).toBe(true);
  });
});

describe('event types', () => {
  it('matches subscribed types and *, never delivery events', () => {
    expect(subscribesTo(['request.created'], 'request.created')).toBe(true);
    expect(subscribesTo(['request.created'], 'request.approved')).toBe(false);
    expect(subscribesTo(['*'], 'login.failed')).toBe(true);
    expect(subscribesTo(['*'], 'webhook.delivery.refused')).toBe(false);
  });

  it('normalises a list, or says what is wrong', () => {
    expect(normaliseEventTypes(['request.created', '*', 'request.created'])).toEqual([
      'request.created',
      '*',
    ]);
    expect(normaliseEventTypes([])).toMatch(/at least one/);
    expect(normaliseEventTypes(['request'])).toMatch(/not an event type/);
    expect(normaliseEventTypes([3])).toMatch(/not an event type/);
  });
});

describe('webhookPayload', () => {
  it('wraps an audit record; seq, subject and actor are the record’s own', () => {
    const payload = webhookPayload({
      seq: 7,
      at: 0,
      type: 'request.created',
      actor: 'agent:bot',
      subject: 'request:r1',
      data: { action: 'shell.execute', seq: 999, actor: 'user:forged' },
    });
    expect(payload).toEqual({
      type: 'request.created',
      timestamp: '1970-01-01T00:00:00.000Z',
      data: { action: 'shell.execute', seq: 7, subject: 'request:r1', actor: 'agent:bot' },
    });
  });
});
