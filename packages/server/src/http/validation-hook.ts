import type { Hook } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import type { HttpEnv } from './http-context.js';
import { type FieldIssue, InvalidInputError } from './problem-details.js';

/** `params.command`, `context.tags[2]`; a whole-body issue is named `body`, a whole-query one `query`. */
function pathText(target: string, path: readonly PropertyKey[]): string {
  const joined = path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
  if (joined !== '') return joined;
  return target === 'json' ? 'body' : target;
}

/**
 * Every issue of a failed schema, each naming its field: unknown fields one by one (a strict
 * object rejects them), others by their path (`params`, `context.team`, `comment`).
 */
export function fieldIssues(target: string, error: ZodError): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({ field: pathText(target, [...issue.path, key]), message: 'unknown field' });
      }
      continue;
    }
    issues.push({ field: pathText(target, issue.path), message: issue.message });
  }
  return issues;
}

/**
 * The default validation hook of every route: a failed schema becomes a 400 problem that names
 * every offending field (thrown, so the one error table maps it).
 */
export const validationHook: Hook<unknown, HttpEnv, string, undefined> = (result) => {
  if (!result.success) throw new InvalidInputError(fieldIssues(result.target, result.error));
  return undefined;
};
