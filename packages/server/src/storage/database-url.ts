/** Where the database lives, parsed from a URL. */
export type DatabaseLocation =
  | { readonly engine: 'sqlite'; readonly filename: string }
  | { readonly engine: 'postgres'; readonly connectionString: string };

/**
 * Reads a database URL: `postgres://…` / `postgresql://…` for PostgreSQL; `sqlite:<path>`,
 * `sqlite://<path>`, `:memory:` or a bare file path for SQLite.
 * @example parseDatabaseUrl('sqlite:/var/lib/gatehouse/db.sqlite') // { engine: 'sqlite', filename: '/var/lib/gatehouse/db.sqlite' }
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  const trimmed = url.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) return { engine: 'postgres', connectionString: trimmed };
  const filename = /^sqlite:/i.test(trimmed) ? trimmed.slice('sqlite:'.length).replace(/^\/\//, '') : trimmed;
  if (filename === '') throw new TypeError('The database URL names no SQLite file');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(filename)) {
    // Never echo the URL: it may carry a password.
    throw new TypeError('The database URL scheme is not supported (use sqlite: or postgres://)');
  }
  return { engine: 'sqlite', filename };
}
