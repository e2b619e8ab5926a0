import type { RequestStatus, Risk } from '../api/api-types.js';

const STATUS_LABELS: Readonly<Record<RequestStatus, string>> = {
  pending: 'Pending',
  approved: 'Approved',
  denied: 'Denied',
  expired: 'Expired',
  cancelled: 'Cancelled',
};

/** A request's state, in words and colour (the words carry the meaning). */
export function StatusBadge({ status }: { readonly status: RequestStatus }) {
  return <span className={`badge badge-status badge-${status}`}>{STATUS_LABELS[status]}</span>;
}

/** A risk level the server computed. */
export function RiskBadge({ risk }: { readonly risk: Risk }) {
  return <span className={`badge badge-risk badge-risk-${risk}`}>{risk} risk</span>;
}
