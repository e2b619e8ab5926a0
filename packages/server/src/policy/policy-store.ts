import {
  type ApprovalGroup,
  type CompiledPolicy,
  compilePolicy,
  type Policy,
  parsePolicy,
} from '@gatehouse/core';
import { nodeSha256 } from '@gatehouse/core/node';
import { appendAudit } from '../audit/audit-writer.js';
import { ForbiddenError, NotFoundError } from '../domain-errors.js';
import {
  activatePolicy,
  type Executor,
  getActivePolicy,
  getPolicyVersion,
  insertPolicyVersion,
  listGroups,
  type PolicyVersionRecord,
  withTransaction,
} from '../storage/index.js';
import { PolicyValidationError } from './policy-validation-error.js';

/** The policy every decision uses now: its source, version hash, AST and compiled index. */
export interface ActivePolicy {
  readonly version: string;
  readonly source: string;
  readonly policy: Policy;
  readonly compiled: CompiledPolicy;
  /** The policy file's groups merged with the groups kept in the database. */
  readonly groups: ReadonlyMap<string, ApprovalGroup>;
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

function mergeGroups(policy: Policy, stored: readonly ApprovalGroup[]): ReadonlyMap<string, ApprovalGroup> {
  const groups = new Map(policy.groups);
  for (const group of stored) {
    const existing = groups.get(group.name);
    groups.set(
      group.name,
      existing === undefined
        ? group
        : {
            name: group.name,
            users: [...new Set([...existing.users, ...group.users])],
            teams: [...new Set([...existing.teams, ...group.teams])],
          },
    );
  }
  return groups;
}

/**
 * Holds the active policy compiled once per version (DESIGN §3: evaluation is on the hot
 * path), applies new versions (validated, stored, audited, previous versions kept), and
 * reloads when another node changed it.
 */
export interface PolicyStore {
  current(): ActivePolicy;
  /** Re-read the active version and the database's groups (after a change on another node). */
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
    const policy = parseOrThrow(record.source, `policy ${record.version.slice(0, 19)}`);
    return Object.freeze({
      version: record.version,
      source: record.source,
      policy,
      compiled: compilePolicy(policy, record.version),
      groups: mergeGroups(policy, await listGroups(db)),
      activatedAt: record.createdAt,
    });
  }

  async function store(actor: string, source: string, now: number, onlyIfNone: boolean): Promise<boolean> {
    const policy = parseOrThrow(source, 'policy.yaml');
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

  active = await load();
  const policyStore: PolicyStore = {
    current() {
      if (active === undefined) throw new NotFoundError('active policy', 'current');
      return active;
    },
    async reload() {
      const loaded = await load();
      if (loaded === undefined) throw new NotFoundError('active policy', 'current');
      active = loaded;
      return loaded;
    },
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
