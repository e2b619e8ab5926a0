// @gatehouse/sdk: put an agent's actions behind Gatehouse. No runtime dependencies; framework
// adapters live at '@gatehouse/sdk/openai-agents' and '@gatehouse/sdk/ai-sdk'.

export type {
  AuditRecordView,
  BoundFields,
  ClaimedFields,
  ConsumedGrant,
  DecisionOutcome,
  Explanation,
  JsonObject,
  JwksDocument,
  Problem,
  RequestDetail,
  RequestStatus,
  RequestView,
  ReviewView,
  RuleReason,
  StageView,
  SubmitResult,
  VerifiedFacts,
} from './api-types.js';
export { readServerSentEvents, type ServerSentEvent } from './event-stream-reader.js';
export {
  createGatehouse,
  type Gatehouse,
  type GatehouseOptions,
  type GrantPayload,
} from './gatehouse-client.js';
export {
  type DenialDetails,
  type DenialKind,
  type DenialReason,
  GatehouseCancelled,
  GatehouseDenial,
  GatehouseDenied,
  GatehouseExpired,
  GatehouseRefused,
  GatehouseUnavailable,
  type UnavailableReason,
} from './gatehouse-denial.js';
export {
  GRANT_TOKEN_TYPE,
  GRANT_TOKEN_VERSION,
  type GrantClaims,
  type GrantRefusalCode,
} from './grant-claims.js';
export {
  type GrantVerification,
  MAX_GRANT_TOKEN_LENGTH,
  type VerifyGrantOptions,
  verifyGrant,
} from './grant-verify.js';
export type {
  Authorization,
  GatedOptions,
  GuardContext,
  GuardedFunction,
  GuardOptions,
  GuardResult,
  ReportedOutcome,
  SubmitOptions,
} from './guard-types.js';
export type { RetryOptions } from './http-transport.js';
export { denialOfRequest } from './request-denial.js';
export {
  createToolCallApprovals,
  type ToolActionOptions,
  type ToolCallApprovals,
  type ToolCallDecision,
} from './tool-call-approvals.js';
