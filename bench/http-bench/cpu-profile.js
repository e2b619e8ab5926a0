/**
 * A CPU profile of one phase, taken in process with the inspector's sampling profiler (what
 * `node --cpu-prof` records, without restarting the process), and where its time went: self
 * time by component and the hottest functions. The load driver runs on the same thread as the
 * server, so its share is shown as a component of its own.
 */

import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/** Sampling interval in µs (V8's default is 1000); finer shows short frames without much cost. */
const SAMPLING_INTERVAL_US = 250;

/** Runs `phase` under the profiler; resolves with its result and the raw profile. */
export async function profilePhase(phase) {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await session.post('Profiler.start');
    const outcome = await phase().then(
      (value) => ({ ok: true, value }),
      (error) => ({ ok: false, error }),
    );
    const { profile } = await session.post('Profiler.stop');
    if (!outcome.ok) throw outcome.error;
    return { result: outcome.value, profile };
  } finally {
    session.disconnect();
  }
}

/** Saves the profile where Chrome DevTools / speedscope can open it. */
export function saveProfile(file, profile) {
  return writeFile(file, JSON.stringify(profile));
}

/** The component a frame's code belongs to, by its script URL. */
function componentOf(url, functionName) {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'V8 garbage collector';
    if (functionName === '(idle)') return 'idle (waiting on I/O)';
    if (functionName === '(program)') return 'V8 / native, unattributed';
    return undefined;
  }
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (module !== null) return module[1];
  const workspace = /packages\/([^/]+)\/dist\/(?:([^/]+)\/)?/.exec(url);
  if (workspace !== null) {
    const [, pkg, folder] = workspace;
    return `@gatehouse/${pkg}${folder === undefined || folder.endsWith('.js') ? '' : `/${folder}`}`;
  }
  if (url.includes('/bench/')) return 'bench load driver';
  if (/^node:(internal\/)?(_?http|net|stream|internal\/streams)/.test(url) || /node:_http/.test(url)) {
    return 'node:http / net / streams';
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  return url;
}

const SPECIAL_FRAMES = new Set(['(garbage collector)', '(idle)', '(program)', '(root)']);

/** `file:line` of a frame, relative to node_modules, packages or bench. */
function whereOf(callFrame) {
  return `${callFrame.url.replace(/^.*?(node_modules\/|packages\/|bench\/)/, '$1')}:${callFrame.lineNumber + 1}`;
}

/**
 * Self time per component, the `top` hottest functions, and native calls (a better-sqlite3
 * statement's `run`, a hash) by the Gatehouse function that made them, in ms and as a share of
 * the profile. A native frame has no script, so its component is its caller's, marked "native".
 */
export function summarizeProfile(profile, top = 15) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const ancestors = function* (node) {
    for (let at = byId.get(parentOf.get(node.id)); at !== undefined; at = byId.get(parentOf.get(at.id)))
      yield at;
  };
  // Stopping the profiler serialises the profile on this thread, under node:inspector: that is
  // the profiler's own cost, not the phase's.
  const isProfilerItself = (node) =>
    node.callFrame.url.startsWith('node:inspector') ||
    [...ancestors(node)].some((at) => at.callFrame.url.startsWith('node:inspector'));
  const selfMicros = new Map();
  const deltas = profile.timeDeltas ?? [];
  profile.samples.forEach((id, i) => {
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (deltas[i] ?? 0));
  });
  for (const id of selfMicros.keys()) {
    const node = byId.get(id);
    if (node !== undefined && isProfilerItself(node)) selfMicros.delete(id);
  }
  const totalMicros = [...selfMicros.values()].reduce((a, b) => a + b, 0);

  const components = new Map();
  const functions = new Map();
  const nativeCallers = new Map();
  const add = (map, key, micros) => map.set(key, (map.get(key) ?? 0) + micros);
  for (const [id, micros] of selfMicros) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const { callFrame } = node;
    const name = callFrame.functionName || '(anonymous)';
    const isNative = callFrame.url === '' && !SPECIAL_FRAMES.has(callFrame.functionName);
    let component = componentOf(callFrame.url, callFrame.functionName);
    if (isNative) {
      let caller;
      for (const at of ancestors(node)) {
        if (at.callFrame.url !== '') {
          caller = at;
          break;
        }
      }
      component = `${caller === undefined ? 'native' : componentOf(caller.callFrame.url, '')} (native)`;
      for (const at of ancestors(node)) {
        if (/packages\/[^/]+\/dist\//.test(at.callFrame.url)) {
          add(
            nativeCallers,
            `${name} ← ${at.callFrame.functionName || '(anonymous)'} — ${whereOf(at.callFrame)}`,
            micros,
          );
          break;
        }
      }
    }
    add(components, component ?? 'other', micros);
    add(functions, `${name} — ${callFrame.url === '' ? component : whereOf(callFrame)}`, micros);
  }
  const rank = (map, limit) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([label, micros]) => ({ name: label, ms: micros / 1000, share: micros / totalMicros }));
  return {
    totalMs: totalMicros / 1000,
    components: rank(components, 20),
    functions: rank(functions, top),
    nativeCallers: rank(nativeCallers, 10),
  };
}
