import type { AuditRecord } from '@gatehouse/core';
import type { AuthenticatedPrincipal } from '../identity/authenticated-principal.js';
import { hasScope } from '../requests/request-actor.js';
import { canSeeRequest } from '../requests/request-visibility.js';
import { getRequest } from '../storage/requests-dal.js';
import type { HttpContext } from './http-context.js';

/** How long a request's visibility is remembered: a burst of events about it costs one read. */
export const VISIBILITY_CACHE_MS = 5_000;

const MAX_CACHED = 1_000;

/** Event types moderators see besides requests: policy changes and the directory. */
const MODERATOR_PREFIXES: readonly string[] = Object.freeze([
  'policy.',
  'user.',
  'team.',
  'group.',
  'agent.',
]);

/** Whether one viewer may see one event. */
export type EventFilter = (record: AuditRecord) => Promise<boolean>;

/**
 * Who sees which live event. Events about `request:<id>` (request.*, review.*, grant.*,
 * stage.*): whoever may see that request (`canSeeRequest`), with a credential that may read
 * requests. Everything else (logins, tokens, keys, refusals not tied to a request) is the
 * admin's; moderators also see policy changes and directory changes. Each viewer gets its
 * own small cache of request lookups.
 */
export function createEventFilter(context: HttpContext, viewer: AuthenticatedPrincipal): EventFilter {
  const cache = new Map<string, { readonly visible: boolean; readonly at: number }>();
  const isAdmin = viewer.kind === 'user' && viewer.role === 'admin';
  const isModerator = viewer.kind === 'user' && viewer.role === 'moderator';
  const readsRequests = hasScope(viewer, 'requests:read');

  async function requestVisible(id: string): Promise<boolean> {
    const now = context.now();
    const cached = cache.get(id);
    if (cached !== undefined && now - cached.at < VISIBILITY_CACHE_MS) return cached.visible;
    const stored = await getRequest(id, context.db);
    const visible = stored !== undefined && canSeeRequest(viewer, stored.request);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(id, { visible, at: now });
    return visible;
  }

  return async (record) => {
    if (record.subject.startsWith('request:')) {
      return readsRequests && requestVisible(record.subject.slice('request:'.length));
    }
    if (isAdmin) return true;
    return isModerator && MODERATOR_PREFIXES.some((prefix) => record.type.startsWith(prefix));
  };
}
