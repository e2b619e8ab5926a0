import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The fixture folders, and the repository's example policy. */
export const FIXTURES = fileURLToPath(new URL('../../fixtures/policies/', import.meta.url));
export const VALID = `${FIXTURES}valid/`;
export const INVALID = `${FIXTURES}invalid/`;
export const EXAMPLE = fileURLToPath(new URL('../../../../examples/policy.yaml', import.meta.url));

/** Fixture files named `team-*.yaml` are team policies of this team. */
export const FIXTURE_TEAM = 'infra';

/** The `.yaml` files of a fixture folder, sorted. */
export function yamlFiles(folder: string): string[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.yaml'))
    .sort();
}

/** A fixture's text. */
export function readFixture(folder: string, name: string): string {
  return readFileSync(`${folder}${name}`, 'utf8');
}

/** True for fixtures that hold a team policy. */
export function isTeamFixture(name: string): boolean {
  return name.startsWith('team-');
}
