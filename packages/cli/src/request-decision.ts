import type { RequestView } from '@gatehouse/server';
import type { ApiClient } from './api/api-client.js';
import type { CliIo } from './cli-command.js';
import { describeWaitingFor } from './format-request.js';
import { printJson } from './output.js';

/** A vote or a cancellation, posted for one request. */
export interface RequestDecision {
  readonly path: 'reviews' | 'cancel';
  readonly body?: Readonly<Record<string, unknown>>;
  /** What was done, for the line printed: `Approved`, `Denied`, `Cancelled`. */
  readonly done: string;
}

/** Posts the decision and reports the request's state after it. */
export async function postRequestDecision(
  io: CliIo,
  client: ApiClient,
  id: string,
  decision: RequestDecision,
  json: boolean,
): Promise<void> {
  const { body } = await client.call<RequestView>(
    'POST',
    `/v1/requests/${encodeURIComponent(id)}/${decision.path}`,
    {
      ...(decision.body === undefined ? {} : { body: decision.body }),
    },
  );
  if (json) {
    printJson(io, body);
    return;
  }
  const still = body.status === 'pending' ? `; still waiting for ${describeWaitingFor(body)}` : '';
  io.out(`${decision.done} request ${body.id}: it is ${body.status}${still}\n`);
}
