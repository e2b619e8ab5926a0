import { CliError, EXIT } from '../cli-error.js';
import { oneLine } from '../output.js';

/** An RFC 9457 problem as the Gatehouse API sends it. */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status: number;
  readonly detail?: string;
  /** The stable refusal code (`self-approval`, `grant-consumed`, `missing-scope`…). */
  readonly reason?: string;
  /** Field errors (400) or policy errors with line and column (422). */
  readonly errors?: readonly Readonly<Record<string, unknown>>[];
}

/** Which call failed: a login answers 401/403/429 for a failed login, the rest 403 for a refusal. */
export type CallPurpose = 'login' | 'api';

/** The exit code for an HTTP error status, by table. */
export function exitCodeForStatus(status: number, purpose: CallPurpose): number {
  if (status >= 500) return EXIT.unreachable;
  if (status === 401) return EXIT.auth;
  if (purpose === 'login' && (status === 403 || status === 429)) return EXIT.auth;
  return EXIT.problems;
}

/** The API refused or failed: carries the status and the problem, reported as one line. */
export class ApiError extends CliError {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem, purpose: CallPurpose) {
    super(describeProblem(problem), exitCodeForStatus(problem.status, purpose), {
      status: problem.status,
      ...(problem.reason === undefined ? {} : { reason: problem.reason }),
    });
    this.status = problem.status;
    this.problem = problem;
  }
}

/** `Forbidden: You cannot approve your own request (self-approval)`, on one line. */
export function describeProblem(problem: Problem): string {
  const title = problem.title ?? `HTTP ${problem.status}`;
  const detail = problem.detail !== undefined && problem.detail !== title ? `: ${problem.detail}` : '';
  const reason = problem.reason === undefined ? '' : ` (${problem.reason})`;
  const fields = (problem.errors ?? [])
    .filter((error) => typeof error.field === 'string')
    .map((error) => `${String(error.field)}: ${String(error.message)}`);
  const listed = problem.status === 400 && fields.length > 0 ? ` [${fields.join('; ')}]` : '';
  return oneLine(`${title}${detail}${reason}${listed}`);
}

/** Reads an error response as a problem; a body that is not one still gives its status. */
export function toProblem(status: number, body: unknown): Problem {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : undefined);
    const title = text('title');
    const detail = text('detail');
    const reason = text('reason');
    return {
      status,
      ...(text('type') === undefined ? {} : { type: text('type') }),
      ...(title === undefined ? {} : { title }),
      ...(detail === undefined ? {} : { detail }),
      ...(reason === undefined ? {} : { reason }),
      ...(Array.isArray(record.errors) ? { errors: record.errors as Problem['errors'] } : {}),
    };
  }
  return { status, ...(typeof body === 'string' && body !== '' ? { detail: body.slice(0, 200) } : {}) };
}
