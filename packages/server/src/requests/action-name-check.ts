import { actionNameProblem } from '@gatehouse/core';
import { ValidationError } from '../domain-errors.js';
import { actorName, type RequestActor } from './request-actor.js';
import { recordAudit } from './request-commit.js';
import type { RequestServiceDeps } from './request-service-deps.js';

/**
 * Refuses (400 naming `action`, and audits `request.action.refused`) a submission whose
 * action is not in its one canonical spelling (ADR 0006): a second spelling of a gated
 * action is an attempt to walk around the gate, and is recorded as one.
 */
export async function checkActionName(
  deps: RequestServiceDeps,
  actor: RequestActor,
  action: string,
): Promise<void> {
  const problem = actionNameProblem(action);
  if (problem === undefined) return;
  await recordAudit(deps, [
    {
      type: 'request.action.refused',
      actor: actorName(actor),
      subject: actorName(actor),
      data: { action: action.slice(0, 256), reason: problem },
    },
  ]);
  throw new ValidationError('action', `the action name ${problem}`);
}
