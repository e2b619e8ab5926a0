/**
 * Freezes `value` and everything reachable from it, and returns it. For plain data: records and arrays.
 * @example deepFreeze(structuredClone(requirement))
 */
export function deepFreeze<T>(value: T): T {
  freezeReachable(value, new WeakSet());
  return value;
}

// `seen` rather than `Object.isFrozen`: a frozen object may still hold mutable children.
function freezeReachable(value: unknown, seen: WeakSet<object>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) {
    freezeReachable((value as Record<PropertyKey, unknown>)[key], seen);
  }
}
