import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Runs the scripts in examples/ as a user would, with node, against a real Gatehouse
// (imported by *.test.ts only). They import the built packages, so they need a build.

/** The repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Fails with what to do when the packages the examples import have not been built. */
export function requireBuilt(...packages: string[]): void {
  for (const name of packages) {
    if (!existsSync(path.join(REPO_ROOT, 'packages', name, 'dist', 'index.js'))) {
      throw new Error(
        `packages/${name} is not built: run npx tsc -b packages/sdk packages/mcp-gateway first`,
      );
    }
  }
}

/** What a finished example printed and returned. */
export interface ExampleRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node <script> …args` from the repository root with `env`, calling `onPending` with the
 * request id each time the example says it is waiting for approval.
 */
export function runExample(
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  onPending: (requestId: string) => void = () => {},
): Promise<ExampleRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, script), ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const before = stderr;
      stderr += chunk;
      for (const match of stderr
        .slice(Math.max(0, before.lastIndexOf('\n')))
        .matchAll(/Waiting for approval: request ([0-9a-f-]{36})\n/g)) {
        onPending(match[1] as string);
      }
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
