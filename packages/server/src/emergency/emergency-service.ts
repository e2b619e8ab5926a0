import { randomUUID } from 'node:crypto';
import { checkActionGlob, compileActionGlob, matchActionGlob } from '@gatehouse/core';
import type { Kysely } from 'kysely';
import { NotFoundError, RefusedError, ValidationError } from '../domain-errors.js';
import type { AuthenticatedPrincipal } from '../identity/authenticated-principal.js';
import {
  requireAdmin,
  requireModerator,
  runDirectoryChange,
  runDirectoryRead,
} from '../identity/directory-guard.js';
import type { GatehouseDatabase } from '../storage/database-types.js';
import {
  closeEmergencyWindow,
  type EmergencyWindowRecord,
  getEmergencyWindow,
  insertEmergencyWindow,
  listActiveEmergencyWindows,
  listEmergencyWindows,
} from '../storage/emergency-dal.js';
import type { Executor } from '../storage/transaction.js';

/** The longest an emergency window may stay open: one day, so a forgotten window cannot last. */
export const MAX_EMERGENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

const MAX_ACTIONS = 50;
const MAX_REASON = 1_000;
const LIST_LIMIT = 100;

/** A window as callers see it: the stored record and whether it applies now. */
export interface EmergencyWindowView extends EmergencyWindowRecord {
  readonly active: boolean;
}

/** What the admin asks for when opening a window. */
export interface OpenEmergencyWindow {
  /** Action globs that pass without review while the window is open. */
  readonly actions: readonly string[];
  readonly reason: string;
  /** How long until it closes by itself; at most {@link MAX_EMERGENCY_WINDOW_MS}. */
  readonly durationMs: number;
}

/** Emergency windows: the admin opens and closes them; the admin and moderators list them. */
export interface EmergencyService {
  open(actor: AuthenticatedPrincipal, input: OpenEmergencyWindow): Promise<EmergencyWindowView>;
  close(actor: AuthenticatedPrincipal, id: string): Promise<void>;
  list(actor: AuthenticatedPrincipal): Promise<readonly EmergencyWindowView[]>;
}

/** What the service needs. */
export interface EmergencyServiceDeps {
  /** The database itself (refusals are audited in transactions of their own). */
  readonly db: Kysely<GatehouseDatabase>;
  readonly now: () => number;
  readonly newId?: () => string;
}

function viewOf(window: EmergencyWindowRecord, now: number): EmergencyWindowView {
  const active = window.closedAt === undefined && window.openedAt <= now && now < window.closesAt;
  return Object.freeze({ ...window, active });
}

function validated(input: OpenEmergencyWindow): OpenEmergencyWindow {
  const { actions, reason, durationMs } = input;
  if (!Array.isArray(actions) || actions.length === 0 || actions.length > MAX_ACTIONS)
    throw new ValidationError('actions', `between 1 and ${MAX_ACTIONS} action globs`);
  for (const glob of actions) {
    const problem = typeof glob === 'string' ? checkActionGlob(glob) : 'an action glob must be a string';
    if (problem !== undefined) throw new ValidationError('actions', problem);
  }
  if (typeof reason !== 'string' || reason.trim().length === 0 || reason.length > MAX_REASON)
    throw new ValidationError('reason', `a reason of 1 to ${MAX_REASON} characters`);
  if (!Number.isSafeInteger(durationMs) || durationMs <= 0 || durationMs > MAX_EMERGENCY_WINDOW_MS)
    throw new ValidationError('duration', 'a positive duration of at most 24h');
  return Object.freeze({ actions: Object.freeze([...new Set(actions)]), reason: reason.trim(), durationMs });
}

/**
 * Creates the emergency service. Opening and closing are the admin's alone (anyone else is
 * refused and audited `permission.denied`); each change commits with its audit record
 * (`emergency.opened`, `emergency.closed`). A window needs no timer: it stops applying at `closesAt`.
 * @example const emergency = createEmergencyService({ db, now: Date.now });
 */
export function createEmergencyService(deps: EmergencyServiceDeps): EmergencyService {
  const { db } = deps;
  const newId = deps.newId ?? randomUUID;

  return {
    async open(actor, input) {
      const id = newId();
      const now = deps.now();
      const operation = { name: 'emergency.open', subject: 'emergency' };
      return runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        // The admin check first: nobody else learns what a valid window looks like.
        const denial = requireAdmin(acting, 'open an emergency window');
        if (denial !== undefined) return denial;
        const { actions, reason, durationMs } = validated(input);
        const window: EmergencyWindowRecord = Object.freeze({
          id,
          actions,
          reason,
          openedBy: acting.actor,
          openedAt: now,
          closesAt: now + durationMs,
        });
        await insertEmergencyWindow(window, trx);
        record('emergency.opened', `emergency:${id}`, {
          actions,
          reason,
          openedAt: now,
          closesAt: window.closesAt,
        });
        return viewOf(window, now);
      });
    },

    async close(actor, id) {
      const now = deps.now();
      const operation = { name: 'emergency.close', subject: `emergency:${id}` };
      await runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        const denial = requireAdmin(acting, 'close an emergency window');
        if (denial !== undefined) return denial;
        const window = await getEmergencyWindow(id, trx);
        if (window === undefined) throw new NotFoundError('emergency window', id);
        if (!(await closeEmergencyWindow(id, acting.actor, now, trx)))
          throw new RefusedError('emergency-window-closed', 'This emergency window is closed already');
        record('emergency.closed', `emergency:${id}`, { closedAt: now, closesAt: window.closesAt });
        return true;
      });
    },

    async list(actor) {
      const now = deps.now();
      return runDirectoryRead(
        actor,
        { name: 'emergency.list', subject: 'emergency' },
        now,
        db,
        async (acting) => {
          const denial = requireModerator(acting, 'see emergency windows');
          if (denial !== undefined) return denial;
          return Object.freeze((await listEmergencyWindows(LIST_LIMIT, db)).map((w) => viewOf(w, now)));
        },
      );
    },
  };
}

/**
 * The window that lets `action` pass without review at `now`, or undefined (the newest, when
 * several cover it). A window past its `closesAt` no longer applies: it closes by itself.
 */
export async function activeWindowFor(
  action: string,
  now: number,
  db: Executor,
): Promise<EmergencyWindowRecord | undefined> {
  for (const window of await listActiveEmergencyWindows(now, db)) {
    if (window.actions.some((glob) => matches(glob, action))) return window;
  }
  return undefined;
}

function matches(glob: string, action: string): boolean {
  // Globs are checked on open; one that no longer compiles covers nothing (fail closed).
  if (checkActionGlob(glob) !== undefined) return false;
  return matchActionGlob(compileActionGlob(glob), action);
}

const DURATION = /^(?:(\d{1,3})h)?(?:(\d{1,5})m)?(?:(\d{1,7})s)?$/;

/**
 * Milliseconds in a window duration such as `30m`, `2h` or `1h30m`, or undefined when the text is
 * not one. (The core's `parseDuration` is not exported yet; this accepts the same h/m/s forms.)
 * @example parseWindowDuration('1h30m') // 5_400_000
 */
export function parseWindowDuration(text: string): number | undefined {
  const found = text.length > 0 ? DURATION.exec(text) : null;
  if (found === null) return undefined;
  const [, hours, minutes, seconds] = found;
  return (Number(hours ?? 0) * 60 * 60 + Number(minutes ?? 0) * 60 + Number(seconds ?? 0)) * 1000;
}
