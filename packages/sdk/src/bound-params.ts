import type { ConsumedGrant, JsonObject } from './api-types.js';
import { type DenialDetails, GatehouseRefused } from './gatehouse-denial.js';

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  if (aKeys.length !== Object.keys(b).length) return false;
  const aRecord = a as Record<string, unknown>;
  return aKeys.every((key) => Object.hasOwn(bRecord, key) && sameJson(aRecord[key], bRecord[key]));
}

/**
 * The params a consumed grant binds, which the guarded function receives: exactly what the
 * server judged and hashed, not another reading of the caller's object (whose `undefined`s,
 * class instances or getters JSON would have changed on the way). Refuses (`grant-mismatch`)
 * when they differ from the JSON form of what was sent, so nothing else can run.
 * @example const params = boundParams(sent, await consumeGrant(…), { action, requestId });
 */
export function boundParams<P extends JsonObject>(sent: P, consumed: ConsumedGrant, about: DenialDetails): P {
  const asSent: unknown = JSON.parse(JSON.stringify(sent));
  if (!sameJson(asSent, consumed.params)) {
    throw new GatehouseRefused(
      'grant-mismatch',
      'the consumed grant binds other params than the ones given; not running',
      about,
    );
  }
  return consumed.params as P;
}
