import { GatehouseError } from '@gatehouse/core';

/**
 * A storage operation failed. The message names the operation only, never SQL or
 * driver text (which can carry schema details or user data); the driver error is the `cause`.
 */
export class StorageError extends GatehouseError {
  /** What was being done, in the domain's words, e.g. `insert review`. */
  readonly operation: string;

  constructor(
    operation: string,
    cause: unknown,
    options: { code?: string; message?: string; data?: Record<string, unknown> } = {},
  ) {
    super(options.code ?? 'storage-failed', options.message ?? `Storage failed to ${operation}`, {
      data: { operation, ...options.data },
      cause,
    });
    this.operation = operation;
  }
}

/** A unique key is already taken (primary key or unique constraint); `constraint` names which. */
export class ConflictError extends StorageError {
  /** The schema's name for the key, e.g. `reviews_pkey` or `users_username_unique`. */
  readonly constraint: string;

  constructor(operation: string, constraint: string, cause: unknown) {
    super(operation, cause, {
      code: 'storage-conflict',
      message: `Conflict while trying to ${operation}: ${constraint} is already taken`,
      data: { constraint },
    });
    this.constraint = constraint;
  }
}

/**
 * A database rule refused the change: a check, a foreign key, or a refusing trigger
 * (`admin_seat_required`, `audit_append_only`). `rule` names which, when the engine says.
 */
export class IntegrityError extends StorageError {
  readonly rule: string;

  constructor(operation: string, rule: string, cause: unknown) {
    super(operation, cause, {
      code: 'storage-integrity',
      message: `The database refused to ${operation}: rule ${rule}`,
      data: { rule },
    });
    this.rule = rule;
  }
}

/** A migration failed; nothing of it was applied. `migration` is its name. */
export class MigrationError extends StorageError {
  readonly migration: string;

  constructor(migration: string, cause: unknown) {
    super('migrate the database', cause, {
      code: 'storage-migration-failed',
      message: `Migration ${migration} failed`,
      data: { migration },
    });
    this.migration = migration;
  }
}
