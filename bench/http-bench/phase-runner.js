/**
 * Measured phases and untimed warm-ups over the load driver, each measured phase with what the
 * process spent on it: CPU time of all threads (as cores), where the main thread's time went
 * (`main-thread-time.js`), and the SQL statements and commits it caused.
 */

import { runLoad } from './load-driver.js';
import { startMainThreadClock } from './main-thread-time.js';

/** What each label's count grew by, largest first, zeros left out. */
function countsSince(before, after) {
  return Object.fromEntries(
    Object.entries(after)
      .map(([label, count]) => [label, count - (before[label] ?? 0)])
      .filter(([, count]) => count > 0)
      .sort((a, b) => b[1] - a[1]),
  );
}

const percent = (x) => (x === undefined ? '?' : `${(x * 100).toFixed(0)}%`);

/**
 * @param {{ concurrency: number, warmUpMaxMs: number, statements: { read(): { statements: number, commits: number } },
 *   collectGarbage: () => void, log: (message: string) => void }} options
 */
export function createPhaseRunner({ concurrency, warmUpMaxMs, statements, collectGarbage, log }) {
  return {
    /**
     * One measured phase; a full GC first, so it does not pay for the garbage of the one before.
     * `storage: false` for a phase that does not use Gatehouse (its background timers still commit);
     * `ownWrite` is the first write of the transaction each request commits (`insert into requests`).
     */
    async measure(name, { maxRequests, maxMs, issue, storage = true, ownWrite }) {
      collectGarbage();
      const cpuBefore = process.cpuUsage();
      const mainThread = startMainThreadClock();
      const before = statements.read();
      const result = await runLoad({ concurrency, maxRequests, maxMs, issue });
      const cpu = process.cpuUsage(cpuBefore);
      const after = statements.read();
      const phase = {
        name,
        ...(ownWrite === undefined ? {} : { ownWrite }),
        ...result,
        cpuCores: (cpu.user + cpu.system) / 1000 / result.elapsedMs,
        mainThread: mainThread.stop(),
        ...(storage
          ? {
              statements: after.statements - before.statements,
              commits: after.commits - before.commits,
              commitsBy: countsSince(before.commitsBy, after.commitsBy),
            }
          : {}),
      };
      const { busy, onCpu, waitingForCpu, blocked } = phase.mainThread;
      log(
        `${name}: ${phase.completed} in ${(phase.elapsedMs / 1000).toFixed(1)} s = ${Math.round(phase.rps)}/s, ` +
          `p50 ${phase.latency.p50.toFixed(1)} ms, p99 ${phase.latency.p99.toFixed(1)} ms, ${phase.failed} failed; ` +
          `main thread busy ${percent(busy)} (on a CPU ${percent(onCpu)}, waiting for one ${percent(waitingForCpu)}, ` +
          `blocked ${percent(blocked)})${storage ? `; ${phase.commits} commits` : ''}`,
      );
      if (phase.failed > 0) log(`${name}: failures: ${phase.failures.join(' | ')}`);
      return phase;
    },

    /** Untimed traffic that brings the JIT, the caches and the database file to a steady state. */
    async warmUp(name, count, issue) {
      const result = await runLoad({ concurrency, maxRequests: count, maxMs: warmUpMaxMs, issue });
      if (result.failed > 0) throw new Error(`${name} warm-up failed: ${result.failures.join(' | ')}`);
    },
  };
}
