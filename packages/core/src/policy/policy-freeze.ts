/**
 * Deep freezing for parsed policies. `Object.freeze` leaves a `Map` writable through
 * `set`/`delete`/`clear`, so frozen maps get those replaced by functions that throw.
 */

function refuseMutation(): never {
  throw new TypeError('this map is frozen: a parsed policy cannot be changed');
}

// `seen` rather than `Object.isFrozen`: a frozen object may still hold mutable children.
function freezeReachable(value: unknown, seen: WeakSet<object>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Map) {
    for (const item of value.values()) freezeReachable(item, seen);
    if (!Object.isFrozen(value)) {
      Object.defineProperties(value, {
        set: { value: refuseMutation },
        delete: { value: refuseMutation },
        clear: { value: refuseMutation },
      });
    }
  }
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value))
    freezeReachable((value as Record<PropertyKey, unknown>)[key], seen);
}

/**
 * Freeze a value and everything reachable from it (arrays, plain objects, maps).
 *
 * @example const policy = deepFreeze({ rules: [{ name: 'a' }] }) // policy.rules[0] is frozen too
 */
export function deepFreeze<T>(value: T): T {
  freezeReachable(value, new WeakSet());
  return value;
}

/** Freeze a map so that `set`, `delete` and `clear` throw, and freeze its values deeply. */
export function freezeMap<K, V>(map: Map<K, V>): ReadonlyMap<K, V> {
  return deepFreeze(map);
}
