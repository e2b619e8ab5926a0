#!/usr/bin/env node
import { runMcpProxyCli } from './mcp-proxy-cli.js';

// `node mcp-proxy-main.js --name <server> -- <command…>`: the proxy without the gatehouse CLI.
// The first SIGINT/SIGTERM stops it cleanly (the upstream server is stopped too).

const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort());
process.once('SIGTERM', () => interrupt.abort());

process.exitCode = await runMcpProxyCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  signal: interrupt.signal,
});
// Anything still holding the event loop (a half-closed stdin) must not keep a finished proxy alive.
process.exit();
