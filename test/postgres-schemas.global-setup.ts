import { randomBytes } from 'node:crypto';
import pg from 'pg';

// Vitest global setup: names this run's PostgreSQL test schemas (`gh_test_<run>_…`, see
// packages/server/src/storage/storage-test-engines.test-support.ts) and drops them all when
// the run ends, so no test file drops a schema while another scans the catalogue.

const URL = 'postgres://postgres@127.0.0.1:5432/test';

export function setup(): void {
  process.env.GATEHOUSE_TEST_RUN = randomBytes(4).toString('hex');
}

export async function teardown(): Promise<void> {
  const run = process.env.GATEHOUSE_TEST_RUN;
  if (run === undefined) return;
  const client = new pg.Client({ connectionString: URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(
      'select nspname from pg_namespace where nspname like $1',
      [`gh_test_${run}_%`],
    );
    for (const { nspname } of rows) await client.query(`drop schema "${nspname}" cascade`);
  } finally {
    await client.end();
  }
}
