export * from './approval/approval-types.js';
export * from './errors.js';
export * from './policy/decision-types.js';
export * from './policy/policy-types.js';
export type * from './ports.js';
