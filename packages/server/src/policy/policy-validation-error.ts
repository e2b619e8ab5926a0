import { GatehouseError, type PolicyDiagnostic } from '@gatehouse/core';

/** A policy was refused: every problem, each with its line and column. */
export class PolicyValidationError extends GatehouseError {
  readonly diagnostics: readonly PolicyDiagnostic[];

  constructor(diagnostics: readonly PolicyDiagnostic[]) {
    const first = diagnostics[0];
    const where =
      first === undefined
        ? ''
        : ` (first at line ${first.position.line}, column ${first.position.column}: ${first.message})`;
    super(
      'policy-invalid',
      `The policy has ${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'}${where}`,
      {
        data: { diagnostics },
      },
    );
    this.diagnostics = diagnostics;
  }
}
