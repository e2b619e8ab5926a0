#!/usr/bin/env node
// The `gatehouse` command. npm links a workspace's bin while it installs, before `prepare`
// builds dist/, and skips a bin whose file does not exist yet: this committed file always
// does, so `npx gatehouse` finds the workspace's own command on a fresh clone (and never
// falls through to the root package or the registry).
await import('../dist/main.js');
