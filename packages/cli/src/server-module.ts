/** The server package's API, as the host commands use it. */
export type GatehouseServerModule = typeof import('@gatehouse/server');

let loading: Promise<GatehouseServerModule> | undefined;

/**
 * Loads `@gatehouse/server` on first use. The server pulls in the database drivers, the HTTP
 * stack and argon2; `exec`, `policy lint` and the API commands never need them, and an agent
 * calls `gatehouse exec` on every action, so they should not pay for loading them.
 */
export function loadServer(): Promise<GatehouseServerModule> {
  loading ??= import('@gatehouse/server');
  return loading;
}
