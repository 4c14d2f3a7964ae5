import { type ReactNode, useState } from 'react';
import { api, fieldError, type Schemas } from '../api';

type Path = { tenant: string; workspace: string };
export type SettingsPatch = Schemas['UpdateWorkspaceDto'];

/**
 * One part of the workspace's PATCH settings as a form: it sends only its own part, shows the API's
 * validation message next to the field the message names (`queryLog.retentionDays: …`), and any other
 * refusal above its button. Every settings form on the Safety section is one of these.
 */
export function SettingsForm(props: {
  path: Path;
  id: string;
  title: string;
  description?: string;
  /** The API field paths this form has inputs for, e.g. `clientPolicy.redirectUris`. */
  fields: readonly string[];
  submitLabel: string;
  patch: () => SettingsPatch;
  onSaved: () => void;
  children: (errorAt: (field: string) => string | undefined) => ReactNode;
}) {
  const [error, setError] = useState<{ field?: string; message: string }>();
  const [saved, setSaved] = useState(false);

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setSaved(false);
    const { error } = await api.PATCH('/v1/tenants/{tenant}/workspaces/{workspace}', { params: { path: props.path }, body: props.patch() });
    if (error) return setError(fieldError(error));
    setError(undefined);
    setSaved(true);
    props.onSaved();
  }
  const errorAt = (field: string) => (error?.field === field ? error.message : undefined);

  return (
    <form onSubmit={(e) => void save(e)} className="inline settings" noValidate aria-labelledby={`${props.id}-h`}>
      <h3 id={`${props.id}-h`}>{props.title}</h3>
      {props.description && <p>{props.description}</p>}
      {props.children(errorAt)}
      {error && !props.fields.includes(error.field ?? '') && <p role="alert" className="error">{error.message}</p>}
      <button type="submit">{props.submitLabel}</button>
      <span role="status">{saved ? 'Saved.' : ''}</span>
    </form>
  );
}

/** A labelled checkbox (its label after it, as people expect). */
export function CheckboxField(props: { id: string; label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <div className="field checkbox">
      <input id={props.id} type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} />
      <label htmlFor={props.id}>{props.label}</label>
    </div>
  );
}

/** A multi-line field, one value a line, with the API's message beside it like Field's. */
export function LinesField(props: { id: string; label: string; hint?: string; lines: string; onChange: (v: string) => void; error?: string }) {
  const described = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.hint && <span id={`${props.id}-hint`} className="hint">{props.hint}</span>}
      <textarea id={props.id} rows={4} value={props.lines} onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.error ? true : undefined} aria-describedby={described || undefined} />
      {props.error && <p id={`${props.id}-error`} className="error">{props.error}</p>}
    </div>
  );
}

/** '' → undefined (the setting keeps its value); anything else goes to the API as a number, which judges it. */
export function numberOrUnset(value: string): number | undefined {
  return value.trim() === '' ? undefined : Number(value);
}
