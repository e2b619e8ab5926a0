#!/usr/bin/env node
import { runCli } from './cli.js';

// The first SIGINT/SIGTERM asks the running command to stop cleanly (serve closes, exec
// cancels its pending request, watch ends); a second one exits at once.
const interrupt = new AbortController();
const onSignal = (signal: NodeJS.Signals) => {
  if (interrupt.signal.aborted) process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  interrupt.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  signal: interrupt.signal,
});
