// Identity and authentication: passwords, API tokens, sessions with CSRF, login, the first
// admin, and the directory of users, teams, approval groups, agents and tokens.

export * from './acts-for-rules.js';
export * from './agent-acts-for.js';
export * from './agent-directory.js';
export * from './api-token.js';
export * from './authenticated-principal.js';
export * from './bootstrap-admin.js';
export * from './directory-guard.js';
export * from './directory-names.js';
export * from './directory-service.js';
export * from './group-directory.js';
export * from './identity-audit.js';
export * from './login-limiter.js';
export * from './login-service.js';
export * from './password-hasher.js';
export * from './session-cookie.js';
export * from './session-service.js';
export * from './team-directory.js';
export * from './token-authenticator.js';
export * from './token-directory.js';
export * from './token-scopes.js';
export * from './user-directory.js';
export * from './user-email-service.js';
