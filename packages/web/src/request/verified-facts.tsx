import type { VerifiedFacts as Verified } from '../api/api-types.js';
import { Fact } from './fact.js';

function OnBehalfOf({ onBehalfOf }: { readonly onBehalfOf: NonNullable<Verified['onBehalfOf']> }) {
  return (
    <>
      <code>{onBehalfOf.user}</code>{' '}
      <span className="hint">
        {onBehalfOf.basis === 'self' ? '(the requester themselves)' : '(on the agent’s actsFor list)'}
      </span>
      {onBehalfOf.active === false ? (
        <>
          {' '}
          <span className="badge badge-danger">Disabled since</span>
        </>
      ) : null}
    </>
  );
}

/**
 * What Gatehouse itself established: who asked (from their credential and the directory), whom
 * it acts for (checked against the agent's actsFor list), and which rules of which policy
 * version matched. Only `verified` is read here: nothing the agent wrote can reach this card.
 */
export function VerifiedFacts({ verified }: { readonly verified: Verified }) {
  const { requester } = verified;
  return (
    <section className="card card-verified" aria-labelledby="verified-title" data-kind="verified">
      <h2 id="verified-title">
        <span className="badge badge-verified">Verified</span> Verified by Gatehouse
      </h2>
      <p className="hint">From the credential that sent the request, the directory and the active policy.</p>
      <dl className="facts">
        <Fact term="Requester">
          {requester.kind} <code>{requester.id}</code>
          {requester.role === undefined ? null : <span className="hint"> ({requester.role})</span>}
        </Fact>
        {requester.owner === undefined ? null : (
          <Fact term="Agent owner">
            <code>{requester.owner}</code>
          </Fact>
        )}
        <Fact term={requester.kind === 'agent' ? 'Owning team' : 'Teams'}>
          {requester.teams.length === 0
            ? 'none'
            : requester.teams.map((team) => <code key={team}>{team} </code>)}
        </Fact>
        {verified.onBehalfOf === undefined ? null : (
          <Fact term="On behalf of">
            <OnBehalfOf onBehalfOf={verified.onBehalfOf} />
          </Fact>
        )}
        <Fact term="Request team">{verified.team === undefined ? 'none' : <code>{verified.team}</code>}</Fact>
        <Fact term="Matched rules">
          {verified.rules.length === 0
            ? 'none (the policy default decided)'
            : verified.rules.map((rule) => <code key={rule}>{rule} </code>)}
        </Fact>
        <Fact term="Policy version">
          <code className="hash">{verified.policyVersion}</code>
        </Fact>
      </dl>
    </section>
  );
}
