import { type FormEvent, useId, useState } from 'react';

/** A one-field form that creates something by name (a team, a group). */
export function NameForm({
  label,
  submitLabel,
  busy,
  onSubmit,
}: {
  readonly label: string;
  readonly submitLabel: string;
  readonly busy: boolean;
  readonly onSubmit: (name: string) => Promise<boolean>;
}) {
  const id = useId();
  const [name, setName] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await onSubmit(name.trim())) setName('');
  };
  return (
    <form className="form form-inline" onSubmit={submit} aria-label={submitLabel}>
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          required
          autoCapitalize="none"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <button type="submit" className="button button-primary" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
