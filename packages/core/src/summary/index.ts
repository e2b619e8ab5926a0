// Plain-language summaries of actions, with risk signals: the built-in explainer.

export * from './action-catalog.js';
export * from './action-summarizer.js';
export * from './risk-level.js';
export type * from './summary-types.js';
