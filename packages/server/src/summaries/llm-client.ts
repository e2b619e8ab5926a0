import type { ChatMessage } from './llm-prompt.js';

/** An OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp server, OpenAI). */
export interface LlmConfig {
  /** Up to and including the version: `http://127.0.0.1:11434/v1`; `/chat/completions` is appended. */
  readonly baseUrl: string;
  readonly model: string;
  /** Sent as a bearer token; never logged or put in errors. */
  readonly apiKey?: string;
  readonly timeoutMs: number;
}

/** The most reply read: a summary is a few hundred bytes. */
const MAX_REPLY_BYTES = 256 * 1024;

/** The model could not be asked, or did not answer usably; the message never holds the API key. */
export class LlmUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Asks the chat endpoint once and returns the first choice's message content. Bounded in time
 * (the whole exchange, body included) and size; deterministic settings (temperature 0).
 */
export async function completeChat(
  config: LlmConfig,
  messages: readonly ChatMessage[],
  fetchImpl: typeof fetch = fetch,
): Promise<string> {
  const url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), config.timeoutMs);
  try {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(config.apiKey === undefined ? {} : { authorization: `Bearer ${config.apiKey}` }),
      },
      body: JSON.stringify({ model: config.model, messages, temperature: 0, max_tokens: 300, stream: false }),
      signal: controller.signal,
      redirect: 'error',
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new LlmUnavailableError(`the model endpoint answered HTTP ${response.status}`);
    }
    const body = await readBounded(response);
    const content = (JSON.parse(body) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]
      ?.message?.content;
    if (typeof content !== 'string') throw new LlmUnavailableError('the model reply has no message content');
    return content;
  } catch (error) {
    if (error instanceof LlmUnavailableError) throw error;
    const reason = controller.signal.aborted
      ? `no answer within ${config.timeoutMs} ms`
      : 'the request failed';
    throw new LlmUnavailableError(`the model endpoint could not be used: ${reason}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

async function readBounded(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_REPLY_BYTES) {
      await reader.cancel();
      throw new LlmUnavailableError('the model reply is too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
