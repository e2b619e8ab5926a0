import type { Context } from 'hono';

/** What a request served by @hono/node-server carries in `c.env`. */
interface NodeBindings {
  readonly incoming?: { readonly socket?: { readonly remoteAddress?: string } };
}

/** The address used when the peer is unknown (in-process requests): they share one login limit. */
export const UNKNOWN_ADDRESS = 'unknown';

/**
 * The peer's IP address, for the per-IP login limit and the audit record. Read from the socket,
 * never from `X-Forwarded-For`: without a configured trusted proxy, that header is whatever
 * the client wants it to be, and would let one client spread its attempts over many "IPs".
 */
export function clientAddress(c: Context): string {
  const env = c.env as NodeBindings | { readonly server?: NodeBindings } | undefined;
  const bindings = env !== undefined && 'server' in env ? env.server : (env as NodeBindings | undefined);
  return bindings?.incoming?.socket?.remoteAddress ?? UNKNOWN_ADDRESS;
}
