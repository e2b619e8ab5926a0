import { describe, expect, it } from 'vitest';
import { findCatalogEntry } from './action-catalog.js';
import type { ActionCatalog, CatalogEntry } from './summary-types.js';

const entry = (description: string): CatalogEntry => ({ description, reversible: true, defaultRisk: 'low' });

describe('findCatalogEntry', () => {
  const catalog: ActionCatalog = {
    '**': entry('anything'),
    'deploy.*': entry('a deploy'),
    'deploy.production': entry('a production deploy'),
    'plugin.**': entry('a plugin action'),
    'plugin.install.*': entry('a plugin install'),
    'bad..glob': entry('never'),
  };

  it('prefers an exact name, then the most specific glob', () => {
    expect(findCatalogEntry(catalog, 'deploy.production')?.description).toBe('a production deploy');
    expect(findCatalogEntry(catalog, 'deploy.staging')?.description).toBe('a deploy');
    expect(findCatalogEntry(catalog, 'plugin.install.community')?.description).toBe('a plugin install');
    expect(findCatalogEntry(catalog, 'plugin.remove')?.description).toBe('a plugin action');
    expect(findCatalogEntry(catalog, 'secret.read')?.description).toBe('anything');
  });

  it('finds nothing without a catalog, and ignores malformed globs and inherited keys', () => {
    expect(findCatalogEntry(undefined, 'x')).toBeUndefined();
    expect(findCatalogEntry({ 'bad..glob': entry('never') }, 'bad..glob')?.description).toBe('never');
    expect(findCatalogEntry({ 'bad..*': entry('never') }, 'bad.x')).toBeUndefined();
    expect(findCatalogEntry({}, 'constructor')).toBeUndefined();
  });
});
