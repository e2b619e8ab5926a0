import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/server-config.js';
import { loadLlmConfig } from '../summaries/summaries-config.js';
import { loadNotificationsConfig } from './notifications-config.js';

describe('loadNotificationsConfig', () => {
  it('defaults to public webhook targets only and no email', () => {
    expect(loadNotificationsConfig({})).toEqual({ webhooks: { allowPrivateTargets: false } });
  });

  it('reads the webhook allowances and the SMTP server', () => {
    expect(
      loadNotificationsConfig({
        GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE: 'true',
        GATEHOUSE_WEBHOOKS_ALLOWED_HOSTS: 'Hooks.Internal, ci.internal ,',
        GATEHOUSE_SMTP_HOST: 'smtp.example.com',
        GATEHOUSE_SMTP_SECURE: 'yes',
        GATEHOUSE_SMTP_USER: 'gatehouse',
        GATEHOUSE_SMTP_PASS: 's3cret',
        GATEHOUSE_SMTP_FROM: 'Gatehouse <gatehouse@example.com>',
      }),
    ).toEqual({
      webhooks: { allowPrivateTargets: true, allowedHosts: ['hooks.internal', 'ci.internal'] },
      smtp: {
        host: 'smtp.example.com',
        port: 465,
        secure: true,
        requireTls: false,
        user: 'gatehouse',
        pass: 's3cret',
        from: 'Gatehouse <gatehouse@example.com>',
      },
    });
  });

  it('names the variable that is wrong, never its secret value', () => {
    expect(() => loadNotificationsConfig({ GATEHOUSE_SMTP_HOST: 'smtp.example.com' })).toThrow(
      /GATEHOUSE_SMTP_FROM/,
    );
    expect(() => loadNotificationsConfig({ GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE: 'maybe' })).toThrow(ConfigError);
    expect(() =>
      loadNotificationsConfig({
        GATEHOUSE_SMTP_HOST: 'h',
        GATEHOUSE_SMTP_FROM: 'f',
        GATEHOUSE_SMTP_PORT: '99999',
      }),
    ).toThrow(/GATEHOUSE_SMTP_PORT/);
  });
});

describe('loadLlmConfig', () => {
  it('is undefined without a base URL, and reads the endpoint when given', () => {
    expect(loadLlmConfig({})).toBeUndefined();
    expect(
      loadLlmConfig({
        GATEHOUSE_LLM_BASE_URL: 'http://127.0.0.1:11434/v1',
        GATEHOUSE_LLM_MODEL: 'llama3.2',
        GATEHOUSE_LLM_API_KEY: 'k',
      }),
    ).toEqual({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.2', apiKey: 'k', timeoutMs: 5_000 });
    expect(() => loadLlmConfig({ GATEHOUSE_LLM_BASE_URL: 'http://x/v1' })).toThrow(/GATEHOUSE_LLM_MODEL/);
    expect(() => loadLlmConfig({ GATEHOUSE_LLM_BASE_URL: 'ftp://x', GATEHOUSE_LLM_MODEL: 'm' })).toThrow(
      ConfigError,
    );
  });
});
