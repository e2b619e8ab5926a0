/** How a flag is written on both engines (PostgreSQL accepts 0/1 for boolean parameters). */
export function flag(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}

/** Reads a flag column: `boolean` on PostgreSQL, `0 | 1` on SQLite. */
export function isSet(value: boolean | number): boolean {
  return value === true || value === 1;
}

/** Serialises a value for a JSON column (jsonb on PostgreSQL, text on SQLite). */
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

/** Reads a JSON column; both engines hand back the JSON text. */
export function fromJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** `undefined` for SQL NULL, for optional fields of records. */
export function optional<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}
