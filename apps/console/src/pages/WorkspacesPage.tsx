import { useEffect, useState } from 'react';
import { api, fieldError, type Schemas } from '../api';

/** Documents, last write and searches in the last 24 h of one workspace, fetched beside the list. */
function Activity({ tenant, workspace }: { tenant: string; workspace: string }) {
  const [activity, setActivity] = useState<Schemas['WorkspaceActivityDto']>();
  useEffect(() => {
    void api.GET('/v1/tenants/{tenant}/workspaces/{workspace}/activity', { params: { path: { tenant, workspace } } }).then(({ data }) => setActivity(data));
  }, [tenant, workspace]);
  if (!activity) return <><td data-label="Documents">…</td><td data-label="Last write">…</td><td data-label="Searches (24 h)">…</td></>;
  return (
    <>
      <td data-label="Documents">{activity.documentCount}</td>
      <td data-label="Last write">{activity.lastWriteAt ? new Date(activity.lastWriteAt).toLocaleString() : 'never'}</td>
      <td data-label="Searches (24 h)">{activity.searchesLast24h}</td>
    </>
  );
}

export function WorkspacesPage({ tenant, go }: { tenant: string; go: (path: string) => void }) {
  const [workspaces, setWorkspaces] = useState<Schemas['WorkspaceDto'][] | undefined>();
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<{ field?: string; message: string }>();
  const load = () => void api.GET('/v1/tenants/{tenant}/workspaces', { params: { path: { tenant } } }).then(({ data }) => setWorkspaces(data?.workspaces ?? []));
  useEffect(load, [tenant]);

  async function create(event: React.FormEvent) {
    event.preventDefault();
    const { data, error } = await api.POST('/v1/tenants/{tenant}/workspaces', { params: { path: { tenant } }, body: { slug, name } });
    if (error || !data) return setError(fieldError(error));
    setError(undefined);
    go(`workspaces/${data.slug}`);
  }

  return (
    <>
      <h1>Workspaces</h1>
      {workspaces === undefined ? <p>Loading…</p> : workspaces.length === 0 ? (
        <p className="empty">No workspaces yet. Create the first one below: each workspace is one connector for ChatGPT.</p>
      ) : (
        <table className="cards">
          <caption className="visually-hidden">Workspaces of this organization</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Slug</th><th scope="col">Connector URL</th><th scope="col">Documents</th><th scope="col">Last write</th><th scope="col">Searches (24 h)</th></tr></thead>
          <tbody>
            {workspaces.map((w) => (
              <tr key={w.id}>
                <td data-label="Name"><a href={`/console/workspaces/${w.slug}`} onClick={(e) => { e.preventDefault(); go(`workspaces/${w.slug}`); }}>{w.name}</a></td>
                <td data-label="Slug">{w.slug}</td>
                <td data-label="Connector URL"><code>{w.connectorUrl}</code></td>
                <Activity tenant={tenant} workspace={w.slug} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Create a workspace</h2>
      <form onSubmit={(e) => void create(e)} className="stack" noValidate>
        <Field id="ws-name" label="Name" value={name} onChange={setName} error={error?.field === 'name' ? error.message : undefined} />
        <Field id="ws-slug" label="Slug (lowercase letters, digits and hyphens; part of the URL)" value={slug} onChange={setSlug} error={error?.field === 'slug' ? error.message : undefined} />
        {error && !error.field && <p role="alert" className="error">{error.message}</p>}
        <button type="submit">Create workspace</button>
      </form>
    </>
  );
}

export function Field(props: { id: string; label: string; value: string; onChange: (v: string) => void; error?: string; type?: string }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input id={props.id} type={props.type ?? 'text'} value={props.value} onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.error ? true : undefined} aria-describedby={props.error ? `${props.id}-error` : undefined} />
      {props.error && <p id={`${props.id}-error`} className="error">{props.error}</p>}
    </div>
  );
}
