import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { AuditRecord } from '@gatehouse/core';
import { ApiError } from '../api/api-error.js';
import { API_OPTIONS_HELP, connectApi, SERVER_OPTION } from '../api/api-target.js';
import { readServerSentEvents } from '../api/sse-reader.js';
import { expectPositionals, oneOf } from '../cli-args.js';
import { type CliCommand, signalOf } from '../cli-command.js';
import { CliError, EXIT } from '../cli-error.js';
import { formatEventLine, statusAfter } from '../format-event.js';

const STATUSES = ['pending', 'approved', 'denied', 'expired', 'cancelled'] as const;

/** Reconnection attempts in a row before giving up, with a delay that doubles up to the cap. */
const MAX_RECONNECTS = 10;
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;

/** `gatehouse requests watch`: follow the live event stream until interrupted. */
export const requestsWatchCommand: CliCommand = {
  name: 'requests watch',
  summary: 'Follow live events (GET /v1/events), a line per event, until interrupted',
  help: `Usage: gatehouse requests watch [--status <status>] [--since <seq>] [options]

Follows the server's event stream and prints a line per event you may see (time,
type, subject, actor, details) until interrupted (exit 0). When the connection
drops it reconnects with Last-Event-ID and resumes exactly after the last event
printed; it gives up (exit 4) after ${MAX_RECONNECTS} failed attempts in a row.

Options:
  --status <status>      only events that leave a request in this status (pending
                         shows new pending requests, votes and escalations)
  --since <seq>          first replay the stored events after this audit sequence number
${API_OPTIONS_HELP}
  --json                 print each event as one JSON line (JSON Lines: a stream has no single document)`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        ...SERVER_OPTION,
        status: { type: 'string' },
        since: { type: 'string' },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    expectPositionals(this.name, positionals, []);
    const status = values.status === undefined ? undefined : oneOf('--status', values.status, STATUSES);
    if (values.since !== undefined && !/^\d+$/.test(values.since)) {
      throw new CliError(`--since: expected an audit sequence number, got "${values.since}"`, EXIT.usage);
    }
    const signal = signalOf(io);
    const client = await connectApi(io, values.server);
    let lastId = values.since;
    let connected = false;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const response = await client.stream(
          '/v1/events',
          lastId === undefined ? {} : { 'last-event-id': lastId },
          signal,
        );
        io.err(
          connected
            ? `gatehouse: reconnected, resuming after event ${lastId ?? '(none)'}\n`
            : `gatehouse: watching ${client.server} (interrupt to stop)\n`,
        );
        connected = true;
        failures = 0;
        if (response.body === null) continue;
        for await (const event of readServerSentEvents(response.body)) {
          if (event.id !== undefined) lastId = event.id;
          const record = parseRecord(event.data);
          if (record === undefined) continue;
          if (status !== undefined && statusAfter(record) !== status) continue;
          io.out(values.json ? `${JSON.stringify(record)}\n` : `${formatEventLine(record)}\n`);
        }
      } catch (error) {
        if (signal.aborted) break;
        // A refusal (bad token, no permission) will not get better by retrying.
        if (error instanceof ApiError && error.status < 500) throw error;
        if (!connected) throw error;
        failures += 1;
        if (failures > MAX_RECONNECTS) {
          throw new CliError(
            `lost the event stream from ${client.server} and could not reconnect`,
            EXIT.unreachable,
          );
        }
      }
      if (signal.aborted) break;
      io.err('gatehouse: the event stream ended; reconnecting\n');
      await delay(Math.min(FIRST_RETRY_MS * 2 ** failures, MAX_RETRY_MS), undefined, { signal }).catch(
        () => {},
      );
    }
    return EXIT.ok;
  },
};

function parseRecord(data: string): AuditRecord | undefined {
  try {
    const value = JSON.parse(data) as AuditRecord;
    return typeof value === 'object' && value !== null && typeof value.type === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
