/**
 * Why a command line could not be decomposed: a limit was reached or a construct is
 * not understood. Internal to the shell folder: `decomposeShell` turns it into
 * `{ ok: false, error }`, never lets it escape.
 */
export class DecompositionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A shared allowance of expanded words, so brace expansion cannot blow up. */
export interface WordBudget {
  remaining: number;
}

/** Take `count` words from the budget; throws when it runs out. */
export function spendWords(budget: WordBudget, count: number): void {
  budget.remaining -= count;
  if (budget.remaining < 0) throw new DecompositionError('brace expansion produces too many words');
}
