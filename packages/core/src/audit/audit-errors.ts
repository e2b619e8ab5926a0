import { GatehouseError } from '../errors.js';

/** Audit input that does not have the required shape: a record, checkpoint, head or draft. */
export class InvalidAuditDataError extends GatehouseError {
  constructor(kind: 'record' | 'checkpoint' | 'head' | 'draft', field: string, reason: string) {
    super('invalid-audit-data', `audit ${kind}: ${field} ${reason}`, { data: { kind, field, reason } });
  }
}
