import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import type { ServerConfig } from '../config/server-config.js';
import type { EventHub } from '../events/event-hub.js';
import type { KeyRing } from '../grants/signing-key-service.js';
import type { AuthenticatedPrincipal } from '../identity/authenticated-principal.js';
import type { LoginLimiter } from '../identity/login-limiter.js';
import type { PasswordHasher } from '../identity/password-hasher.js';
import type { WebhookService } from '../notifications/webhook-service.js';
import type { PolicyStore } from '../policy/policy-store.js';
import type { RequestService } from '../requests/request-service.js';
import type { GatehouseDatabase } from '../storage/database-types.js';

/** The few logging calls the HTTP layer makes; pino's logger fits. Never pass secrets. */
export interface HttpLogger {
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
}

/**
 * Everything the routes need, built once by the composition root (`gatehouse-server.ts`).
 * Identity and audit functions take `db` directly; the rest are services bound to it.
 */
export interface HttpContext {
  readonly db: Kysely<GatehouseDatabase>;
  readonly config: ServerConfig;
  readonly requests: RequestService;
  readonly policies: PolicyStore;
  readonly events: EventHub;
  /** The current signing keys (rotation replaces the ring). */
  readonly keyRing: () => KeyRing;
  /** The clock, in ms since the epoch. */
  readonly now: () => number;
  /** The server's one per-IP login limiter. */
  readonly loginLimiter: LoginLimiter;
  readonly logger: HttpLogger;
  /** Where `/metrics` reads from and the HTTP metrics are registered. */
  readonly metrics: Registry;
  /** True when the database answers and a policy is active (`/readyz`). */
  readonly ready: () => Promise<boolean>;
  /** Password hashing for login and the directory; defaults to argon2id at OWASP's costs. */
  readonly passwords?: PasswordHasher;
  /** How often an idle event stream sends a heartbeat comment (default 15 s). */
  readonly heartbeatMs?: number;
  /** The reviewer web app's build (packages/web/dist), served at `/` when given. */
  readonly webDistDir?: string;
  /** Webhook subscriptions and deliveries; the routes exist only when it is given. */
  readonly webhooks?: WebhookService;
  /**
   * Rotates the signing key and swaps this node's ring at once (audited by `actor`). Without it,
   * the rotate route stores a new key that this node signs with after its next ring reload.
   */
  readonly rotateKeys?: (actor: string) => Promise<{ kid: string }>;
}

/** The Hono environment of every route: the authenticated caller, once the auth middleware ran. */
export interface HttpEnv {
  Variables: {
    principal: AuthenticatedPrincipal;
  };
}
