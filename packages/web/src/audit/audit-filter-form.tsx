import { type FormEvent, useId, useState } from 'react';
import type { AuditFilters } from './audit-data.js';

const COMMON_TYPES = [
  'request.created',
  'request.approved',
  'request.denied',
  'request.expired',
  'request.cancelled',
  'request.overridden',
  'review.recorded',
  'review.refused',
  'grant.issued',
  'grant.consumed',
  'grant.refused',
  'policy.applied',
  'auth.login.succeeded',
  'auth.login.failed',
  'permission.denied',
  'user.created',
  'token.created',
  'token.revoked',
];

/** The audit filters: type, subject and actor, applied together. */
export function AuditFilterForm({
  filters,
  onApply,
}: {
  readonly filters: AuditFilters;
  readonly onApply: (filters: AuditFilters) => void;
}) {
  const [type, setType] = useState(filters.type ?? '');
  const [subject, setSubject] = useState(filters.subject ?? '');
  const [actor, setActor] = useState(filters.actor ?? '');
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({
      ...(type.trim() === '' ? {} : { type: type.trim() }),
      ...(subject.trim() === '' ? {} : { subject: subject.trim() }),
      ...(actor.trim() === '' ? {} : { actor: actor.trim() }),
    });
  };
  return (
    <form className="filters" aria-label="Filter the audit log" onSubmit={submit}>
      <div className="field">
        <label htmlFor={`${id}-type`}>Type</label>
        <input
          id={`${id}-type`}
          list={`${id}-types`}
          value={type}
          onChange={(e) => setType(e.target.value)}
        />
        <datalist id={`${id}-types`}>
          {COMMON_TYPES.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </div>
      <div className="field">
        <label htmlFor={`${id}-subject`}>Subject</label>
        <input
          id={`${id}-subject`}
          placeholder="request:<id>, user:alice, policy"
          value={subject}
          onChange={(e) => setSubject(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-actor`}>Actor</label>
        <input
          id={`${id}-actor`}
          placeholder="user:alice"
          value={actor}
          onChange={(e) => setActor(e.target.value)}
        />
      </div>
      <button type="submit" className="button">
        Apply filters
      </button>
    </form>
  );
}
