// Plain-language summaries of requests, with risk: the model-backed summarizer (built-in fallback),
// the worker that writes them off the request path, and the read side.

export { type LlmConfig, LlmUnavailableError } from './llm-client.js';
export { loadLlmConfig } from './summaries-config.js';
export { createSummarizer, type Summarizer, type SummarizerOptions } from './summarizer.js';
export { getSummary } from './summary-queries.js';
export { createSummaryWorker, type SummaryWorker, type SummaryWorkerDeps } from './summary-worker.js';
