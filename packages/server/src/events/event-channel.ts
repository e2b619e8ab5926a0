/**
 * The PostgreSQL channel every audit append notifies, inside its transaction (so the
 * notification is delivered when, and only if, the records commit), and every node listens on.
 */
export const EVENTS_CHANNEL = 'gatehouse_events';
