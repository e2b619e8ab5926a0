import type { AuditRecordView, RequestView, RuleReason } from './api-types.js';
import {
  GatehouseCancelled,
  type GatehouseDenial,
  GatehouseDenied,
  GatehouseExpired,
  GatehouseRefused,
} from './gatehouse-denial.js';

function isRuleReason(value: unknown): value is RuleReason {
  if (typeof value !== 'object' || value === null) return false;
  const { rule, reason } = value as Record<string, unknown>;
  return typeof rule === 'string' && typeof reason === 'string';
}

/** The denying rules recorded on the `request.denied` audit record of a policy denial. */
function policyReasonsOf(timeline: readonly AuditRecordView[]): readonly RuleReason[] {
  const denied = timeline.find((record) => record.type === 'request.denied');
  const reasons = denied?.data.reasons;
  return Array.isArray(reasons) ? reasons.filter(isRuleReason) : [];
}

/**
 * Why a decided request will not run, as a typed denial: the reviewers' comments or the
 * policy's reasons for `denied`, and who cancelled for `cancelled`. An approved request whose
 * grant can no longer be had (used, or expired) is a refusal. Undefined while pending.
 *
 * @example const denial = denialOfRequest(detail); if (denial) throw denial;
 */
export function denialOfRequest(
  request: RequestView & { readonly timeline?: readonly AuditRecordView[] },
  policyReasons?: readonly RuleReason[],
): GatehouseDenial | undefined {
  const about = { action: request.bound.action, requestId: request.id };
  const timeline = request.timeline ?? [];
  switch (request.status) {
    case 'pending':
      return undefined;
    case 'denied': {
      const reviewers = request.reviews
        .filter((review) => review.decision === 'deny')
        .map((review) => ({
          source: 'reviewer' as const,
          reviewer: review.reviewer,
          ...(review.comment === undefined ? {} : { comment: review.comment }),
        }));
      if (reviewers.length > 0) return new GatehouseDenied(reviewers, about);
      return GatehouseDenied.byPolicy(policyReasons ?? policyReasonsOf(timeline), about);
    }
    case 'expired':
      return new GatehouseExpired(about);
    case 'cancelled': {
      const by = timeline.find((record) => record.type === 'request.cancelled')?.actor;
      return new GatehouseCancelled({ ...about, ...(by === undefined ? {} : { by }) });
    }
    case 'approved':
      return new GatehouseRefused(
        'grant-unavailable',
        'the request was approved, but its grant is no longer usable (already used, or expired)',
        about,
      );
  }
}
