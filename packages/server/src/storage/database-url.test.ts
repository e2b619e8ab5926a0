import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from './database-url.js';

describe('parseDatabaseUrl', () => {
  it.each([
    [
      'postgres://gh@db:5432/gatehouse',
      { engine: 'postgres', connectionString: 'postgres://gh@db:5432/gatehouse' },
    ],
    [
      'postgresql://gh@db/gatehouse',
      { engine: 'postgres', connectionString: 'postgresql://gh@db/gatehouse' },
    ],
    ['sqlite:/var/lib/gatehouse/db.sqlite', { engine: 'sqlite', filename: '/var/lib/gatehouse/db.sqlite' }],
    ['sqlite:///var/lib/gatehouse/db.sqlite', { engine: 'sqlite', filename: '/var/lib/gatehouse/db.sqlite' }],
    ['sqlite:./data/db.sqlite', { engine: 'sqlite', filename: './data/db.sqlite' }],
    ['./gatehouse.sqlite', { engine: 'sqlite', filename: './gatehouse.sqlite' }],
    [':memory:', { engine: 'sqlite', filename: ':memory:' }],
    ['sqlite::memory:', { engine: 'sqlite', filename: ':memory:' }],
  ])('reads %s', (url, expected) => {
    expect(parseDatabaseUrl(url)).toEqual(expected);
  });

  it('refuses an empty SQLite path and unknown schemes without echoing the URL', () => {
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(TypeError);
    expect(() => parseDatabaseUrl('mysql://root:hunter2@db/x')).toThrow(/not supported/);
    expect(() => parseDatabaseUrl('mysql://root:hunter2@db/x')).not.toThrow(/hunter2/);
  });
});
