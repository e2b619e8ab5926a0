import type { PolicyIssue, Problem } from './api-types.js';

/** An API call that failed: the HTTP status and the problem details the server sent. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title ?? `The server answered ${status}`);
    this.name = new.target.name;
    this.status = status;
    this.problem = problem;
  }

  /** The policy issues of a 422, each with its line and column. */
  get policyIssues(): readonly PolicyIssue[] {
    return (this.problem.errors ?? []).filter((issue): issue is PolicyIssue => 'line' in issue);
  }

  /** The field issues of a 400, by field path. */
  get fieldIssues(): readonly { readonly field: string; readonly message: string }[] {
    return (this.problem.errors ?? []).filter(
      (issue): issue is { field: string; message: string } => 'field' in issue,
    );
  }
}

/** The network failed: nothing reached the server, or its answer never came back. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('Gatehouse could not be reached. Check your connection and try again.', { cause });
    this.name = new.target.name;
  }
}

/** A sentence a person can act on, for any error an API call can throw. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.fieldIssues.map((issue) => `${issue.field}: ${issue.message}`);
    const base = error.problem.detail ?? error.problem.title ?? error.message;
    return fields.length > 0 ? `${base} (${fields.join('; ')})` : base;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
