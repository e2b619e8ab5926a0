// The Gatehouse server's public surface: what the `gatehouse` CLI (and anyone embedding the
// server) uses. Everything else stays internal to the package.

export { type AuditExportOptions, type AuditExportSummary, exportAuditJsonl } from './audit/audit-export.js';
export {
  type StoredAuditVerifyOptions,
  verifyStoredAudit,
} from './audit/audit-verify-service.js';
export { ConfigError, loadServerConfig, type ServerConfig } from './config/server-config.js';
export {
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  RefusedError,
  UnauthenticatedError,
  ValidationError,
} from './domain-errors.js';
export { type RunningGatehouse, startGatehouse } from './gatehouse-server.js';
export { loadStoredKeysVerifier } from './grants/signing-key-service.js';
export * from './identity/index.js';
export { loadUserStanding, type UserStanding } from './identity/principal-loader.js';
export { DEFAULT_POLICY_YAML } from './policy/default-policy.js';
export type {
  BoundFields,
  ClaimedFields,
  VerifiedFacts,
} from './requests/request-kinds.js';
export type { RequestView, StageView } from './requests/request-view.js';
export {
  ConflictError,
  getAdmin,
  getAuditHead,
  getUser,
  getUserByUsername,
  IntegrityError,
  migrateToLatest,
  type OpenDatabase,
  openDatabase,
  parseDatabaseUrl,
  type StorageEngine,
  StorageError,
} from './storage/index.js';
