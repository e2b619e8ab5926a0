/** Every event type a subscription may name; `*` for all of them. */
export const ALL_EVENT_TYPES = '*';

/** The event types most receivers want (any audit event type may be named). */
export const SUGGESTED_EVENT_TYPES: readonly string[] = Object.freeze([
  'request.created',
  'request.approved',
  'request.denied',
  'request.expired',
  'request.escalated',
  'request.overridden',
  'request.cancelled',
  'grant.consumed',
  'review.recorded',
]);

/**
 * Events about deliveries themselves are never delivered, not even to `*`: a refused delivery
 * is audited, and delivering that record to the same refused target would feed on itself.
 */
const NEVER_DELIVERED = 'webhook.delivery.';

const EVENT_TYPE = /^[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)+$/;
const MAX_EVENT_TYPES = 50;

/** True when a subscription to `eventTypes` receives events of `type`. */
export function subscribesTo(eventTypes: readonly string[], type: string): boolean {
  if (type.startsWith(NEVER_DELIVERED)) return false;
  return eventTypes.includes(ALL_EVENT_TYPES) || eventTypes.includes(type);
}

/**
 * Checks and normalises a subscription's event types: `*` or dotted lower-case names
 * (`request.created`), at least one, at most 50, duplicates dropped. Returns why not, as a string.
 */
export function normaliseEventTypes(eventTypes: readonly unknown[]): readonly string[] | string {
  if (eventTypes.length === 0) return 'name at least one event type, or "*" for all';
  if (eventTypes.length > MAX_EVENT_TYPES) return `at most ${MAX_EVENT_TYPES} event types`;
  const unique = new Set<string>();
  for (const type of eventTypes) {
    if (typeof type !== 'string' || (type !== ALL_EVENT_TYPES && !EVENT_TYPE.test(type))) {
      return `"${String(type).slice(0, 60)}" is not an event type (e.g. request.created, or "*")`;
    }
    if (type.startsWith(NEVER_DELIVERED)) return `"${type}" events are never delivered`;
    unique.add(type);
  }
  return Object.freeze([...unique]);
}
