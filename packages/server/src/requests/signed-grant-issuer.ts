import type { ApprovalRequest } from '@gatehouse/core';
import type { ServerConfig } from '../config/server-config.js';
import { signGrant, verifyGrantToken } from '../grants/grant-token.js';
import type { KeyRing } from '../grants/signing-key-service.js';
import type { GrantIssuer } from './request-service-deps.js';

/**
 * Grants as the request service needs them: signed with the ring's active key for an
 * approved request, verified against every key still in its grace period.
 */
export function createSignedGrantIssuer(
  config: Pick<ServerConfig, 'publicUrl' | 'grantAudience'>,
  keyRing: () => KeyRing,
): GrantIssuer {
  return {
    async tokenFor(request: ApprovalRequest) {
      const grant = request.grant;
      if (grant === undefined) throw new Error(`request ${request.id} has no grant`);
      return signGrant(
        {
          issuer: config.publicUrl,
          audience: config.grantAudience,
          requestId: request.id,
          jti: grant.jti,
          action: request.action,
          payloadHash: request.payloadHash,
          issuedAt: grant.issuedAt,
          expiresAt: grant.expiresAt,
        },
        keyRing(),
      );
    },
    verify: (token, now) => verifyGrantToken(token, keyRing(), { audience: config.grantAudience, now }),
  };
}
