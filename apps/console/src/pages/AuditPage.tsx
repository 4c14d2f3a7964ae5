import { useEffect, useState } from 'react';
import { api, errorMessage, type Schemas } from '../api';
import { toCsv } from '../csv';
import { Field } from './WorkspacesPage';

type Event = Schemas['AuditEventDto'];

export function AuditPage({ tenant }: { tenant: string }) {
  const [filters, setFilters] = useState({ workspace: '', action: '', outcome: '', actor: '' });
  const [events, setEvents] = useState<Event[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();

  async function load(append: boolean, from?: string | null) {
    const query = Object.fromEntries(Object.entries({ ...filters, cursor: from ?? '' }).filter(([, v]) => v));
    const { data, error } = await api.GET('/v1/tenants/{tenant}/audit', { params: { path: { tenant }, query } });
    if (error || !data) return setError(errorMessage(error));
    setError(undefined);
    setEvents((previous) => (append ? [...(previous ?? []), ...data.events] : data.events));
    setCursor(data.nextCursor);
  }
  useEffect(() => void load(false), [tenant]);
  const set = (key: keyof typeof filters) => (value: string) => setFilters((f) => ({ ...f, [key]: value }));

  return (
    <>
      <h1>Audit log</h1>
      <form className="filters" onSubmit={(e) => { e.preventDefault(); void load(false); }}>
        <Field id="f-workspace" label="Workspace slug" value={filters.workspace} onChange={set('workspace')} />
        <Field id="f-action" label="Action (e.g. tool or oauth.login)" value={filters.action} onChange={set('action')} />
        <Field id="f-outcome" label="Outcome" value={filters.outcome} onChange={set('outcome')} />
        <Field id="f-actor" label="Actor" value={filters.actor} onChange={set('actor')} />
        <button type="submit">Apply filters</button>
        <button type="button" onClick={() => downloadCsv(events ?? [])} disabled={!events?.length}>Export CSV</button>
      </form>
      {error && <p role="alert" className="error">{error}</p>}
      {events?.length === 0 && <p className="empty">No events match.</p>}
      {events && events.length > 0 && (
        <table className="cards">
          <thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Outcome</th><th scope="col">Actor</th><th scope="col">Workspace</th><th scope="col">Details</th></tr></thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td data-label="When">{new Date(e.occurredAt).toLocaleString()}</td>
                <td data-label="Action">{e.action}</td>
                <td data-label="Outcome">{e.outcome}</td>
                <td data-label="Actor">{e.actorName ?? <>{e.actorKind}: <code>{e.actorId}</code></>}</td>
                <td data-label="Workspace">{e.workspace ?? (e.workspaceId ? <code>{e.workspaceId}</code> : '—')}</td>
                <td data-label="Details"><code>{JSON.stringify(e.details)}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && <button type="button" onClick={() => void load(true, cursor)}>Load older events</button>}
    </>
  );
}

/** The loaded events as CSV (toCsv), built in the browser: no new endpoint needed. */
function downloadCsv(events: Event[]): void {
  const rows = [['occurredAt', 'action', 'outcome', 'actorKind', 'actorId', 'actorName', 'workspace', 'workspaceId', 'details'],
    ...events.map((e) => [e.occurredAt, e.action, e.outcome, e.actorKind, e.actorId, e.actorName, e.workspace, e.workspaceId, JSON.stringify(e.details)])];
  const blob = new Blob([toCsv(rows)], { type: 'text/csv' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = 'audit.csv';
  link.click();
  // Revoked on the next turn: revoking at once can cancel the download before it starts.
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}
