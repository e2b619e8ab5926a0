import {
  type ActionCatalog,
  type ActionSummary,
  maxRisk,
  type SummaryInput,
  summarizeAction,
} from '@gatehouse/core';
import { completeChat, type LlmConfig } from './llm-client.js';
import { buildSummaryMessages } from './llm-prompt.js';
import { parseSummaryReply } from './llm-reply.js';

/** Writes plain-language summaries of actions. Advisory only: nothing it returns changes a decision. */
export interface Summarizer {
  /** The model's summary when one is configured and answers usably in time, the built-in one otherwise. Never throws. */
  summarize(input: SummaryInput): Promise<ActionSummary>;
  /** The built-in explainer's summary, with this summarizer's catalog. */
  builtIn(input: SummaryInput): ActionSummary;
}

/** What a summarizer is made with. */
export interface SummarizerOptions {
  readonly catalog?: ActionCatalog;
  /** An OpenAI-compatible chat endpoint; without one, every summary is the built-in one. */
  readonly llm?: LlmConfig;
  /** Told why a model summary was not used (never with the API key). */
  readonly onFallback?: (error: unknown) => void;
  readonly fetch?: typeof fetch;
}

/**
 * Creates a summarizer. With a model configured it asks it for a short summary of the action
 * (agent-supplied text fenced as untrusted data), and on timeout, error or an unusable reply falls
 * back to the built-in explainer. A model summary keeps the built-in signals, and its risk is the
 * higher of the two: a model talked into "low" by the agent cannot lower what the explainer saw.
 * @example const summarizer = createSummarizer({ llm: { baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.2', timeoutMs: 5000 } });
 */
export function createSummarizer(options: SummarizerOptions = {}): Summarizer {
  const builtIn = (input: SummaryInput) => summarizeAction(input, options.catalog);
  const { llm } = options;
  return {
    builtIn,
    async summarize(input) {
      const fallback = builtIn(input);
      if (llm === undefined) return fallback;
      try {
        const content = await completeChat(llm, buildSummaryMessages(input), options.fetch);
        const verdict = parseSummaryReply(content);
        if (verdict === undefined) throw new Error('the model reply held no usable summary');
        return Object.freeze({
          text: verdict.text,
          risk: maxRisk(fallback.risk, verdict.risk ?? fallback.risk),
          signals: fallback.signals,
          source: `llm:${llm.model}` as const,
        });
      } catch (error) {
        options.onFallback?.(error);
        return fallback;
      }
    },
  };
}
