/** The report's setup section: the machine, the server, durability, the driver, the bounds, the policy. */

import { int, table } from './report-format.js';

/** Setup: what ran, where, and how each phase was bounded. */
export function setupSection({ environment: env, concurrency, plan, policyYaml }) {
  return `## Setup

${table(
  ['', ''],
  [
    ['date', env.date],
    ['CPU', `${env.cpu}, ${env.cores} cores visible, ${env.memoryGb.toFixed(0)} GB`],
    [
      'load average (1 / 5 / 15 min)',
      `${env.load} at the start, ${env.loadAfter} at the end (a shared machine)`,
    ],
    ['Node.js', `${env.node} on ${env.platform}`],
    [
      'server',
      `\`startGatehouse\` from the built \`@gatehouse/server\`, in this process, on 127.0.0.1 port 0; hono ${env.hono}, @hono/node-server ${env.honoNodeServer}; log level warn; no GATEHOUSE_* variables from the environment (no webhooks, email or LLM)`,
    ],
    [
      'engine',
      `SQLite ${env.sqlite} through better-sqlite3 ${env.betterSqlite3} and Kysely ${env.kysely}; a fresh database file in ${env.tempDir} (${env.filesystem})`,
    ],
    [
      'durability',
      `journal_mode=${env.journalMode}, synchronous=FULL (every commit is fsynced), group commit (units of work that arrive while a commit is under way share the next one, at most ${env.groupCommitMax ?? '?'} per commit: \`group-commit.ts\`)`,
    ],
    [
      'load driver',
      `node:http, one keep-alive Agent (maxSockets ${concurrency}), ${concurrency} closed-loop clients in the same process (each sends its next request when its previous one has been answered), loopback`,
    ],
    [
      'principals',
      'an admin bootstrapped from GATEHOUSE_BOOTSTRAP_ADMIN / _PASSWORD; a moderator and an agent (owned by the admin) made through the identity directory service; API tokens with the default scopes',
    ],
  ],
)}

Each phase stops at its count or its time, whichever comes first: allow ${int(plan.allow.count)} requests or
${plan.allow.maxMs / 1000} s after ${int(plan.allow.warmUp)} untimed; pending ${int(plan.pending.count)} or ${plan.pending.maxMs / 1000} s after
${int(plan.pending.warmUp)} untimed; approve every request the pending phase created, or ${plan.approve.maxMs / 1000} s (warmed up
on the pending warm-up's requests); notification ${plan.notify.count} decisions per waiting client after ${plan.notify.warmUp} untimed;
HTTP ceiling ${int(plan.ceiling.count)} requests or ${plan.ceiling.maxMs / 1000} s; SQLite ceiling ${plan.sqlite.maxMs / 1000} s per shape.
Warm-ups stop after 5 s at the latest. A full GC runs before each measured phase. Both ceilings
are measured before and after the Gatehouse phases; ratios use the better of the two.

The policy file written to the temp directory:

\`\`\`yaml
${policyYaml.trim()}
\`\`\``;
}
