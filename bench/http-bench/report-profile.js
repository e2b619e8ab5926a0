/** The report's CPU profile section: where one more phase of the worst throughput figure spent its time. */

import { fixed, int, pct, table } from './report-format.js';

/** The profile's summary, or nothing when no target was missed (no profile taken). */
export function profileSection(profile) {
  if (profile === undefined) return '';
  const perRequest = (msTotal) => `${fixed((msTotal * 1000) / profile.phase.completed, 0)} µs`;
  return `

### Where the time goes: a CPU profile of one more ${profile.phase.name.replace(' (profiled)', '')} phase

A throughput target was missed, so one more phase (${int(profile.phase.completed)} requests, ${int(profile.phase.rps)}/s under the
profiler) ran under V8's sampling profiler (the inspector's \`Profiler\` domain: what \`node --cpu-prof\`
records, without restarting the process; saved as \`${profile.file}\`, which Chrome DevTools opens).
The main thread's self time over ${int(profile.totalMs)} ms of samples, by component; a native call (a
better-sqlite3 statement, a hash) is charged to its caller and marked "native"; the driver runs on
the same thread and is in here too. The profiler samples wall time: time the thread spent
waiting for a CPU (${pct(profile.phase.mainThread.waitingForCpu)} of this phase) or blocked (${pct(profile.phase.mainThread.blocked)}) is charged to
whatever it was running then, which favours code that sleeps and wakes (a commit's fsync): read
the shares, not the absolute times.

${table(
  ['component', 'self ms', 'per request', 'share'],
  profile.components.map((c) => [c.name, int(c.ms), perRequest(c.ms), pct(c.share)]),
)}

The hottest functions (self time):

${table(
  ['function: where', 'self ms', 'per request', 'share'],
  profile.functions.map((f) => [f.name.replaceAll('|', '\\|'), int(f.ms), perRequest(f.ms), pct(f.share)]),
)}

Native calls by the Gatehouse function that made them (\`run\` and \`all\` are better-sqlite3 statements,
\`Statement\` is preparing one):

${table(
  ['native call ← Gatehouse caller: where', 'self ms', 'per request', 'share'],
  profile.nativeCallers.map((f) => [
    f.name.replaceAll('|', '\\|'),
    int(f.ms),
    perRequest(f.ms),
    pct(f.share),
  ]),
)}`;
}
