/**
 * Where the main thread's wall time went during a phase, on Linux: on a CPU, runnable but
 * waiting for a CPU (other processes on a shared machine), or neither while the event loop was
 * busy, which is time blocked in a system call: with better-sqlite3 that is mostly the
 * commit's fsync. Read from /proc/self/task/<pid>/schedstat (ns on CPU, ns waiting on a run
 * queue); combined with the event loop's utilisation. Elsewhere it reports nothing.
 */

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

function readSchedstat() {
  try {
    const [onCpu, waiting] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    return Number.isFinite(onCpu) && Number.isFinite(waiting) ? { onCpu, waiting } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts a measurement; `stop()` returns the shares of wall time: `busy` (event loop not idle),
 * `onCpu`, `waitingForCpu` and `blocked` (busy but neither; never below 0), or only `busy` when
 * schedstat is not available.
 */
export function startMainThreadClock() {
  const startedAt = performance.now();
  const loop = performance.eventLoopUtilization();
  const sched = readSchedstat();
  return {
    stop() {
      const wallNs = (performance.now() - startedAt) * 1e6;
      const busy = performance.eventLoopUtilization(loop).utilization;
      const end = readSchedstat();
      if (sched === undefined || end === undefined || wallNs <= 0) return { busy };
      const onCpu = (end.onCpu - sched.onCpu) / wallNs;
      const waitingForCpu = (end.waiting - sched.waiting) / wallNs;
      return { busy, onCpu, waitingForCpu, blocked: Math.max(0, busy - onCpu - waitingForCpu) };
    },
  };
}
