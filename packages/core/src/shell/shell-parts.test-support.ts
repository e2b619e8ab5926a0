import { expect } from 'vitest';
import type { ShellPart } from '../policy/decision-types.js';
import { decomposeShell } from './shell-decompose.js';

/** The parts of a command line that must decompose. */
export function partsOf(command: string): readonly ShellPart[] {
  const result = decomposeShell(command);
  if (!result.ok) expect.fail(`expected ${JSON.stringify(command)} to decompose, got: ${result.error}`);
  return result.parts;
}

/** The argv of every part of a command line that must decompose. */
export function argvsOf(command: string): string[][] {
  return partsOf(command).map((part) => [...part.argv]);
}

/** The error of a command line that must not decompose. */
export function errorOf(command: string): string {
  const result = decomposeShell(command);
  if (result.ok)
    expect.fail(`expected ${JSON.stringify(command)} to be refused, got: ${JSON.stringify(result.parts)}`);
  return result.error;
}

/** Single-quote a word for the shell, as `shellCommandOf` does. */
export function quoteWord(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
