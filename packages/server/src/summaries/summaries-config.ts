import { ConfigError } from '../config/server-config.js';
import type { LlmConfig } from './llm-client.js';

/**
 * Reads the optional model endpoint for summaries from the environment: `GATEHOUSE_LLM_BASE_URL`
 * (an OpenAI-compatible `/v1` base), `GATEHOUSE_LLM_MODEL` (required with it), `GATEHOUSE_LLM_API_KEY`
 * and `GATEHOUSE_LLM_TIMEOUT_MS` (default 5000). Undefined when no base URL is set: built-in summaries only.
 */
export function loadLlmConfig(env: NodeJS.ProcessEnv = process.env): LlmConfig | undefined {
  const baseUrl = env.GATEHOUSE_LLM_BASE_URL?.trim();
  if (baseUrl === undefined || baseUrl === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new ConfigError(
      'GATEHOUSE_LLM_BASE_URL',
      'expected an http(s) URL such as http://127.0.0.1:11434/v1',
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError('GATEHOUSE_LLM_BASE_URL', 'expected an http(s) URL');
  }
  const model = env.GATEHOUSE_LLM_MODEL?.trim();
  if (model === undefined || model === '')
    throw new ConfigError('GATEHOUSE_LLM_MODEL', 'required with GATEHOUSE_LLM_BASE_URL');
  const timeoutMs = Number(env.GATEHOUSE_LLM_TIMEOUT_MS ?? 5_000);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000) {
    throw new ConfigError('GATEHOUSE_LLM_TIMEOUT_MS', 'expected milliseconds between 100 and 120000');
  }
  const apiKey = env.GATEHOUSE_LLM_API_KEY || undefined;
  return Object.freeze({ baseUrl, model, timeoutMs, ...(apiKey === undefined ? {} : { apiKey }) });
}
