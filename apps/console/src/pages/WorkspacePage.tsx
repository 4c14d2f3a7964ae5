import { useEffect, useState } from 'react';
import { api, errorMessage, fieldError, type Schemas } from '../api';
import { DocumentsSection } from './DocumentsSection';
import { PeopleSection } from './PeopleSection';
import { SafetySection } from './SafetySection';
import { TokensSection } from './TokensSection';
import { Field } from './WorkspacesPage';

interface Props { tenant: string; workspace: string; go: (path: string) => void }

export function WorkspacePage({ tenant, workspace, go }: Props) {
  const path = { tenant, workspace };
  const [ws, setWs] = useState<Schemas['WorkspaceDto'] | null>();
  const load = () => void api.GET('/v1/tenants/{tenant}/workspaces/{workspace}', { params: { path } }).then(({ data }) => setWs(data ?? null));
  useEffect(load, [tenant, workspace]);
  if (ws === undefined) return <p>Loading…</p>;
  if (ws === null) return <p role="alert">This workspace does not exist.</p>;
  return (
    <>
      <h1>{ws.name}</h1>
      <ConnectorCard url={ws.connectorUrl} />
      <Rename path={path} name={ws.name} onDone={load} />
      <DocumentsSection path={path} />
      <PeopleSection path={path} />
      <TokensSection path={path} />
      <SafetySection path={path} settings={ws.settings} onSaved={load} />
      <DeleteWorkspace path={path} onDeleted={() => go('')} />
    </>
  );
}

function ConnectorCard({ url }: { url: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <section aria-labelledby="connector-h" className="card">
      <h2 id="connector-h">Connector URL</h2>
      <p className="connector"><code data-testid="connector-url">{url}</code>{' '}
        <button type="button" onClick={() => void navigator.clipboard.writeText(url).then(() => setCopied(true))}>Copy URL</button>
        <span role="status">{copied ? ' Copied.' : ''}</span>
      </p>
      <details>
        <summary>Add it to ChatGPT</summary>
        <ol>
          <li>In ChatGPT, open Settings → Apps &amp; Connectors → Advanced settings and turn on Developer mode (workspace admins: Settings → Connectors).</li>
          <li>Then choose Create, paste this URL as the MCP server URL and pick OAuth authentication.</li>
          <li>Sign in with your Tessera account when asked, and allow access. ChatGPT can then search and fetch this workspace's documents you may read.</li>
        </ol>
      </details>
    </section>
  );
}

function Rename({ path, name, onDone }: { path: { tenant: string; workspace: string }; name: string; onDone: () => void }) {
  const [value, setValue] = useState(name);
  const [error, setError] = useState<string>();
  async function save(event: React.FormEvent) {
    event.preventDefault();
    const { error } = await api.PATCH('/v1/tenants/{tenant}/workspaces/{workspace}', { params: { path }, body: { name: value } });
    setError(error ? fieldError(error).message : undefined);
    if (!error) onDone();
  }
  return (
    <section aria-labelledby="rename-h">
      <h2 id="rename-h">Rename</h2>
      <form onSubmit={(e) => void save(e)} className="inline">
        <Field id="rename" label="Workspace name" value={value} onChange={setValue} error={error} />
        <button type="submit">Save name</button>
      </form>
    </section>
  );
}

function DeleteWorkspace({ path, onDeleted }: { path: { tenant: string; workspace: string }; onDeleted: () => void }) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string>();
  async function remove(event: React.FormEvent) {
    event.preventDefault();
    const { error } = await api.DELETE('/v1/tenants/{tenant}/workspaces/{workspace}', { params: { path } });
    if (error) return setError(errorMessage(error));
    onDeleted();
  }
  return (
    <section aria-labelledby="delete-h" className="danger">
      <h2 id="delete-h">Delete this workspace</h2>
      <p>Its documents, tokens and members' access go with it. This cannot be undone.</p>
      <form onSubmit={(e) => void remove(e)} className="inline">
        <Field id="confirm-delete" label={`Type ${path.workspace} to confirm`} value={typed} onChange={setTyped} error={error} />
        <button type="submit" disabled={typed !== path.workspace}>Delete workspace</button>
      </form>
    </section>
  );
}
