import type { AuthenticatedPrincipal } from '../identity/authenticated-principal.js';
import { requireAdmin, runDirectoryRead } from '../identity/directory-guard.js';
import type { Executor } from '../storage/transaction.js';

/** What rotating over the API needs: the database (for the admin check) and the node's rotation. */
export interface KeyRotationDeps {
  readonly db: Executor;
  readonly now: () => number;
  /** Rotates and makes the new key sign on this node at once; audited `signing-key.rotated` by `actor`. */
  readonly rotateKeys: (actor: string) => Promise<{ kid: string }>;
}

/**
 * Rotates the signing key for the admin; anyone else is refused (ForbiddenError) and audited
 * `permission.denied`. Returns the new key's kid.
 */
export async function rotateKeysAsAdmin(
  principal: AuthenticatedPrincipal,
  deps: KeyRotationDeps,
): Promise<{ kid: string }> {
  const acting = await runDirectoryRead(
    principal,
    { name: 'signing-key.rotate', subject: 'signing-keys' },
    deps.now(),
    deps.db,
    async (acting) => requireAdmin(acting, 'rotate the signing key') ?? acting,
  );
  return deps.rotateKeys(acting.actor);
}
