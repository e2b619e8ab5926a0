import { Environment } from '@marcbachmann/cel-js';

/** The variables a `when` expression can read. */
export interface ConditionActivation {
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly context: Readonly<Record<string, unknown>>;
  readonly requester: Readonly<Record<string, unknown>>;
  /** The shell command being judged: the whole line, or one of its simple commands. */
  readonly command: Readonly<Record<string, unknown>>;
}

/** What evaluating a condition gave: true, false, or an error (missing field, wrong type). */
export type ConditionResult =
  | { readonly ok: true; readonly value: boolean }
  | { readonly ok: false; readonly error: string };

/** A `when` expression compiled once per policy version. */
export interface CompiledCondition {
  readonly source: string;
  evaluate(activation: ConditionActivation): ConditionResult;
}

/** Why a `when` expression was refused, with the 0-based offset into the expression when known. */
export interface ConditionError {
  readonly message: string;
  readonly offset: number;
}

const environment = new Environment({
  unlistedVariablesAreDyn: false,
  homogeneousAggregateLiterals: false,
  limits: { maxAstNodes: 2_000, maxDepth: 32 },
})
  .registerVariable('action', 'string')
  .registerVariable('params', 'map')
  .registerVariable('context', 'map')
  .registerVariable('requester', 'map')
  .registerVariable('command', 'map');

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/**
 * Compile a CEL `when` expression. It must type-check to `bool` (or `dyn`) against
 * the variables in {@link ConditionActivation}.
 *
 * @example compileCondition("context.risk in ['medium', 'high']")
 */
export function compileCondition(
  source: string,
): { ok: true; condition: CompiledCondition } | { ok: false; error: ConditionError } {
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = environment.parse(source);
  } catch (error) {
    const range = (error as { range?: { start: number } }).range;
    return { ok: false, error: { message: firstLine((error as Error).message), offset: range?.start ?? 0 } };
  }
  const checked = parsed.check();
  if (!checked.valid) {
    const error = checked.error as (Error & { range?: { start: number } }) | undefined;
    return {
      ok: false,
      error: { message: firstLine(error?.message ?? 'type error'), offset: error?.range?.start ?? 0 },
    };
  }
  if (checked.type !== 'bool' && checked.type !== 'dyn') {
    return { ok: false, error: { message: `expected a bool expression, got ${checked.type}`, offset: 0 } };
  }
  const run = parsed;
  return {
    ok: true,
    condition: {
      source,
      evaluate(activation) {
        try {
          const value: unknown = run(activation as unknown as Record<string, unknown>);
          if (typeof value !== 'boolean') return { ok: false, error: `expected bool, got ${typeof value}` };
          return { ok: true, value };
        } catch (error) {
          return { ok: false, error: firstLine((error as Error).message) };
        }
      },
    },
  };
}
