import type { RequestView, StageView } from '../api/api-types.js';

const STATE_WORDS: Readonly<Record<StageView['state'], string>> = {
  done: 'done',
  current: 'in progress',
  waiting: 'waiting',
};

function people(list: readonly string[]): string {
  return list.length === 0 ? 'nobody yet' : list.join(', ');
}

/** Each approval stage: who may approve, who did, and how many more are needed. */
export function StageProgress({ request }: { readonly request: RequestView }) {
  if (request.stages.length === 0) {
    return (
      <section className="card" aria-labelledby="stages-title">
        <h2 id="stages-title">Approvals</h2>
        <p>No human approval was required: the policy decided on its own.</p>
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="stages-title">
      <h2 id="stages-title">Approvals</h2>
      <ol className="stages">
        {request.stages.map((stage) => (
          <li key={stage.index} className={`stage stage-${stage.state}`} data-stage={stage.index}>
            <div className="stage-head">
              <strong>
                Stage {stage.index + 1} of {request.stages.length}: {stage.name}
              </strong>{' '}
              <span className={`badge badge-stage-${stage.state}`}>{STATE_WORDS[stage.state]}</span>
            </div>
            <p>
              Needs {stage.min} approval{stage.min === 1 ? '' : 's'} from {stage.approvers.join(' or ')} (rule{' '}
              <code>{stage.rule}</code>).
            </p>
            <p>Approved by: {people(stage.approvedBy)}.</p>
            {stage.deniedBy.length > 0 ? <p>Denied by: {people(stage.deniedBy)}.</p> : null}
            {stage.state === 'done' ? null : (
              <p className="stage-remaining">
                {stage.remaining === 0
                  ? 'No more approvals needed here.'
                  : `${stage.remaining} more approval${stage.remaining === 1 ? '' : 's'} needed, from ${stage.approvers.join(
                      ' or ',
                    )} — not the requester, the user it acts for or the agent’s owner, nor anyone who already voted.`}
              </p>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
