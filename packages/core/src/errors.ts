/** The base of every Gatehouse error: carries a stable `code`, optional data and a `cause`. */
export class GatehouseError extends Error {
  readonly code: string;
  readonly data: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    options: { data?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.data = Object.freeze({ ...(options.data ?? {}) });
  }
}

/** A persisted or hashed value carries a `v` this build cannot read. */
export class UnsupportedVersionError extends GatehouseError {
  constructor(kind: string, found: unknown, supported: readonly number[]) {
    super(
      'unsupported-version',
      `${kind} version ${String(found)} is not supported (this build reads ${supported.join(', ')})`,
      {
        data: { kind, found, supported },
      },
    );
  }
}
