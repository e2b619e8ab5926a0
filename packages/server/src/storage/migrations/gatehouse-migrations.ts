import { identityMigration } from './2026_11_24_0001_identity.js';
import { requestsMigration } from './2026_11_24_0002_requests.js';
import { auditMigration } from './2026_11_24_0003_audit.js';
import { notificationsMigration } from './2026_11_24_0004_notifications.js';
import { emergencyMigration } from './2026_11_24_0005_emergency.js';
import { idempotencyBodyMigration } from './2026_12_02_0001_idempotency_body.js';
import { agentActsForMigration } from './2026_12_02_0003_agent_acts_for.js';
import type { GatehouseMigration } from './migration-types.js';

/** Every migration, by timestamped name; applied in name order. Append only. */
export const GATEHOUSE_MIGRATIONS: Readonly<Record<string, GatehouseMigration>> = Object.freeze({
  '2026_11_24_0001_identity': identityMigration,
  '2026_11_24_0002_requests': requestsMigration,
  '2026_11_24_0003_audit': auditMigration,
  '2026_11_24_0004_notifications': notificationsMigration,
  '2026_11_24_0005_emergency': emergencyMigration,
  '2026_12_02_0001_idempotency_body': idempotencyBodyMigration,
  '2026_12_02_0003_agent_acts_for': agentActsForMigration,
});
