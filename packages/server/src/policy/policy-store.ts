import { type CompiledPolicy, compilePolicy, type Policy, parsePolicy } from '@gatehouse/core';
import { nodeSha256 } from '@gatehouse/core/node';
import { appendAudit } from '../audit/audit-writer.js';
import { ForbiddenError, NotFoundError } from '../domain-errors.js';
import {
  activatePolicy,
  type Executor,
  getActivePolicy,
  getActivePolicyVersion,
  getPolicyVersion,
  insertPolicyVersion,
  type PolicyVersionRecord,
  withTransaction,
} from '../storage/index.js';
import { admitPolicy } from './policy-admission.js';
import { PolicyValidationError } from './policy-validation-error.js';

/** The policy every decision uses now: its source, version hash, AST and compiled index. */
export interface ActivePolicy {
  readonly version: string;
  readonly source: string;
  readonly policy: Policy;
  readonly compiled: CompiledPolicy;
  readonly activatedAt: number;
}

/** Who is applying a policy: only the admin may (or the server itself, installing the first). */
export interface PolicyActor {
  readonly actor: string;
  readonly isAdmin: boolean;
}

/** The version of a policy source: the SHA-256 of its text. */
export function policyVersionOf(source: string): string {
  return `sha256:${nodeSha256(source)}`;
}

function parseOrThrow(source: string, file: string): Policy {
  const parsed = parsePolicy(source, file);
  if (!parsed.ok) throw new PolicyValidationError(parsed.diagnostics);
  return parsed.policy;
}

/**
 * Holds the active policy compiled once per version (DESIGN §3: evaluation is on the hot
 * path), applies new versions (validated, stored, audited, previous versions kept), and
 * reloads when another node changed it: the composition root calls `reload` on every
 * `policy.applied` event (events/read-model-follower.ts), and votes and grant consumption
 * read through `fresh`, which checks the stored active version first.
 */
export interface PolicyStore {
  /** The cached active policy: for submissions, at most one event fan-out behind another node. */
  current(): ActivePolicy;
  /** The active policy as stored this moment: one indexed read, and a reload only when it changed. */
  fresh(): Promise<ActivePolicy>;
  /** Re-read the active version (after a change on another node). */
  reload(): Promise<ActivePolicy>;
  /** Validate, store and activate a new version. Admin only. */
  apply(actor: PolicyActor, source: string, now: number): Promise<ActivePolicy>;
  /** Install `source` as the first version when none is active (first start); no-op otherwise. */
  installIfNone(source: string, now: number): Promise<boolean>;
  getVersion(version: string): Promise<PolicyVersionRecord>;
}

/** Create the store and load the active version, if any. */
export async function createPolicyStore(db: Executor): Promise<PolicyStore> {
  let active: ActivePolicy | undefined;

  async function load(): Promise<ActivePolicy | undefined> {
    const record = await getActivePolicy(db);
    if (record === undefined) return undefined;
    if (record.version === active?.version) return active;
    const policy = parseOrThrow(record.source, `policy ${record.version.slice(0, 19)}`);
    return Object.freeze({
      version: record.version,
      source: record.source,
      policy,
      compiled: compilePolicy(policy, record.version),
      activatedAt: record.createdAt,
    });
  }

  async function store(actor: string, source: string, now: number, onlyIfNone: boolean): Promise<boolean> {
    const policy = admitPolicy(source, 'policy.yaml');
    const version = policyVersionOf(source);
    return withTransaction(db, async (trx) => {
      const previous = await getActivePolicy(trx);
      if (onlyIfNone && previous !== undefined) return false;
      await insertPolicyVersion({ version, source, createdAt: now, createdBy: actor }, trx);
      await activatePolicy(version, trx);
      await appendAudit(
        [
          {
            type: 'policy.applied',
            actor,
            subject: `policy:${version}`,
            data: { version, previous: previous?.version ?? null, rules: policy.rules.length },
          },
        ],
        now,
        trx,
      );
      return true;
    });
  }

  // Reloads can overlap (an event and an apply); the one started last wins, so an older read
  // finishing late never replaces a newer one.
  let started = 0;
  async function reload(): Promise<ActivePolicy> {
    const ticket = ++started;
    const loaded = await load();
    if (loaded === undefined) throw new NotFoundError('active policy', 'current');
    if (ticket === started || active === undefined) active = loaded;
    return ticket === started ? loaded : policyStore.fresh();
  }

  active = await load();
  const policyStore: PolicyStore = {
    current() {
      if (active === undefined) throw new NotFoundError('active policy', 'current');
      return active;
    },
    async fresh() {
      const version = await getActivePolicyVersion(db);
      if (version === undefined) throw new NotFoundError('active policy', 'current');
      return active?.version === version ? active : reload();
    },
    reload,
    async apply(actor, source, now) {
      if (!actor.isAdmin) throw new ForbiddenError('Only the admin may replace the policy', 'admin-only');
      await store(actor.actor, source, now, false);
      return policyStore.reload();
    },
    async installIfNone(source, now) {
      const installed = await store('system', source, now, true);
      await policyStore.reload();
      return installed;
    },
    async getVersion(version) {
      const record = await getPolicyVersion(version, db);
      if (record === undefined) throw new NotFoundError('policy version', version);
      return record;
    },
  };
  return policyStore;
}
