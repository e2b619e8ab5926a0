import type { ApprovalRequest } from './approval-types.js';

/** Someone who acts on a request: a user or an agent, named by id. */
export interface Party {
  readonly kind: 'user' | 'agent';
  readonly id: string;
}

/** Why a user counts as the request's own side: they asked, it was asked for them, or they own the agent. */
export type SelfParty = 'requester' | 'on-behalf-of' | 'agent-owner';

const SELF_PARTY_WORDS: Readonly<Record<SelfParty, string>> = {
  requester: 'made this request',
  'on-behalf-of': 'is the user this request acts for',
  'agent-owner': 'owns the requesting agent',
};

/** How a self party relates to the request, as the rest of a sentence: `made this request`. */
export function describeSelfParty(party: SelfParty): string {
  return SELF_PARTY_WORDS[party];
}

/**
 * True when `name` (as written in a policy or request: `alice` or `user:alice`) names user `userId`.
 * @example namesUser('user:alice', 'alice') // true
 */
export function namesUser(name: string, userId: string): boolean {
  return name === userId || name === `user:${userId}`;
}

/** How user `userId` belongs to the request's own side, or undefined when they are independent of it. */
export function selfPartyOf(request: ApprovalRequest, userId: string): SelfParty | undefined {
  const { requester, onBehalfOf } = request;
  if (requester.kind === 'user' && requester.id === userId) return 'requester';
  if (onBehalfOf !== undefined && namesUser(onBehalfOf, userId)) return 'on-behalf-of';
  // Owners are checked whatever the requester's kind: only agents have one, and failing closed costs nothing.
  if (requester.owner !== undefined && namesUser(requester.owner, userId)) return 'agent-owner';
  if (requester.coOwners?.some((owner) => namesUser(owner, userId))) return 'agent-owner';
  return undefined;
}

/** True when `party` is the principal that made the request (same kind and id). */
export function isRequester(request: ApprovalRequest, party: Party): boolean {
  return party.kind === request.requester.kind && party.id === request.requester.id;
}

/** True when `party` is the human user the request was made on behalf of. */
export function isOnBehalfOfUser(request: ApprovalRequest, party: Party): boolean {
  return party.kind === 'user' && request.onBehalfOf !== undefined && namesUser(request.onBehalfOf, party.id);
}
