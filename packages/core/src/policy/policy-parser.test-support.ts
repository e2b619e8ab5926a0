import type { PolicyParseResult } from './policy-parse-result.js';
import type { Policy } from './policy-types.js';

/** A diagnostic reduced to what fixtures compare: where and which code. */
export interface DiagnosticAt {
  readonly line: number;
  readonly column: number;
  readonly code: string;
}

/** The policy of a successful parse; fails the test with the diagnostics otherwise. */
export function expectPolicy(result: PolicyParseResult): Policy {
  if (!result.ok) {
    const lines = result.diagnostics.map(
      (d) => `${d.position.line}:${d.position.column} [${d.code}] ${d.message}`,
    );
    throw new Error(`expected a valid policy, got:\n${lines.join('\n')}`);
  }
  return result.policy;
}

/** The diagnostics of a failed parse as {line, column, code}; fails the test when it parsed. */
export function diagnosticsAt(result: PolicyParseResult): DiagnosticAt[] {
  if (result.ok) throw new Error('expected diagnostics, but the policy parsed');
  return result.diagnostics.map(({ position: { line, column }, code }) => ({ line, column, code }));
}

/** The messages of a failed parse; fails the test when it parsed. */
export function messagesOf(result: PolicyParseResult): string[] {
  if (result.ok) throw new Error('expected diagnostics, but the policy parsed');
  return result.diagnostics.map((diagnostic) => diagnostic.message);
}

/** Join lines into a YAML document, so tests can state line numbers plainly. */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/**
 * Where `needle` starts on 1-based line `line` of `text`, so expected positions are derived
 * from the text rather than counted by hand. `nth` picks a later occurrence (0-based).
 */
export function positionOf(
  text: string,
  line: number,
  needle: string,
  nth = 0,
): { line: number; column: number } {
  const source = text.split('\n')[line - 1] ?? '';
  let index = -1;
  for (let i = 0; i <= nth; i++) {
    index = source.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`"${needle}" (#${nth}) is not on line ${line}: ${source}`);
  }
  return { line, column: index + 1 };
}
