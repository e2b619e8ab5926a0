#!/usr/bin/env node
// A shell-running agent whose every command waits for Gatehouse.
//
//   GATEHOUSE_URL=http://127.0.0.1:8080 GATEHOUSE_TOKEN=gh_… node examples/shell-agent.mjs -- git status
//
// The command is submitted as the action `shell.execute` with its exact argument vector, run
// with execFile (no shell: what was approved is exactly what runs) only after approval, and
// its outcome reported. A denial, expiry or cancellation prints why and exits 126.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createGatehouse, GatehouseDenial } from '@gatehouse/sdk';

const run = promisify(execFile);
const separator = process.argv.indexOf('--');
const argv = separator === -1 ? process.argv.slice(2) : process.argv.slice(separator + 1);
if (argv.length === 0) {
  console.error('usage: node examples/shell-agent.mjs -- <command> [args…]');
  process.exit(2);
}

const gate = createGatehouse({ url: process.env.GATEHOUSE_URL, token: process.env.GATEHOUSE_TOKEN });

try {
  const { stdout } = await gate.guard(
    'shell.execute',
    { argv },
    async (params) => run(params.argv[0], params.argv.slice(1)),
    {
      reason: process.env.AGENT_REASON ?? 'the shell example was asked to run it',
      onPending: (request) => console.error(`Waiting for approval: request ${request.id}`),
    },
  );
  process.stdout.write(stdout);
} catch (error) {
  if (error instanceof GatehouseDenial) {
    console.error(error.toModelMessage());
    process.exitCode = 126;
  } else {
    // The command ran and failed: Gatehouse has its outcome; pass on its stderr and exit code.
    process.stderr.write(error.stderr ?? `${error.message}\n`);
    process.exitCode = typeof error.code === 'number' ? error.code : 1;
  }
}
