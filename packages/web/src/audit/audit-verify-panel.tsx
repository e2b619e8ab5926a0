import { useState } from 'react';
import { describeError } from '../api/api-error.js';
import type { AuditVerification } from '../api/api-types.js';
import { useApi } from '../session/use-session.js';

/** Verifies the stored hash chain and its signed checkpoints, and says what it found. */
export function AuditVerifyPanel() {
  const api = useApi();
  const [state, setState] = useState<
    | { status: 'idle' }
    | { status: 'busy' }
    | { status: 'done'; result: AuditVerification }
    | { status: 'error'; message: string }
  >({ status: 'idle' });

  const verify = async () => {
    setState({ status: 'busy' });
    try {
      setState({
        status: 'done',
        result: await api.post<AuditVerification>('/v1/audit/verify', { body: {} }),
      });
    } catch (error) {
      setState({ status: 'error', message: describeError(error) });
    }
  };

  return (
    <div className="verify">
      <button
        type="button"
        className="button"
        onClick={() => void verify()}
        disabled={state.status === 'busy'}
      >
        {state.status === 'busy' ? 'Verifying…' : 'Verify the chain'}
      </button>
      <div aria-live="polite" data-testid="verify-result">
        {state.status === 'done' && state.result.ok ? (
          <p className="notice notice-ok">
            <strong>Chain intact.</strong> {state.result.count} records
            {state.result.head === undefined
              ? ''
              : `, head #${state.result.head.seq} (${state.result.head.hash.slice(0, 12)}…)`}
            {state.result.checkpointsVerified === undefined
              ? ''
              : `, ${state.result.checkpointsVerified} signed checkpoint${state.result.checkpointsVerified === 1 ? '' : 's'} verified`}
            .
          </p>
        ) : null}
        {state.status === 'done' && !state.result.ok ? (
          <p className="notice notice-danger" role="alert">
            <strong>Chain broken</strong>
            {state.result.firstBad === undefined
              ? '.'
              : ` at record #${state.result.firstBad.seq}: ${state.result.firstBad.problem} — ${state.result.firstBad.message}`}
          </p>
        ) : null}
        {state.status === 'error' ? (
          <p className="form-error" role="alert">
            {state.message}
          </p>
        ) : null}
      </div>
    </div>
  );
}
