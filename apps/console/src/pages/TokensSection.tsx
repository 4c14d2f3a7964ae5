import { useEffect, useState } from 'react';
import { api, fieldError, type Schemas } from '../api';
import { Field } from './WorkspacesPage';

export function TokensSection({ path }: { path: { tenant: string; workspace: string } }) {
  const [tokens, setTokens] = useState<Schemas['AccessTokenDto'][]>();
  const [subject, setSubject] = useState('');
  const [groups, setGroups] = useState('');
  const [created, setCreated] = useState<string>();
  const [error, setError] = useState<{ field?: string; message: string }>();
  const load = () => void api.GET('/v1/tenants/{tenant}/workspaces/{workspace}/access-tokens', { params: { path } }).then(({ data }) => setTokens(data?.accessTokens ?? []));
  useEffect(load, [path.tenant, path.workspace]);

  async function create(event: React.FormEvent) {
    event.preventDefault();
    const body = { subject, groups: groups.split(',').map((g) => g.trim()).filter(Boolean) };
    const { data, error } = await api.POST('/v1/tenants/{tenant}/workspaces/{workspace}/access-tokens', { params: { path }, body });
    if (error || !data) return setError(fieldError(error));
    setError(undefined);
    setCreated(data.token);
    load();
  }
  async function revoke(id: string) {
    await api.DELETE('/v1/tenants/{tenant}/workspaces/{workspace}/access-tokens/{id}', { params: { path: { ...path, id } } });
    load();
  }

  return (
    <section aria-labelledby="tokens-h">
      <h2 id="tokens-h">Access tokens</h2>
      <p>For the OpenAI Responses API, which passes a bearer token instead of signing in.</p>
      {created && (
        <div className="card" role="status">
          <p>Copy this token now: it is shown once.</p>
          <code data-testid="new-token">{created}</code>
        </div>
      )}
      {tokens?.length === 0 && <p className="empty">No access tokens.</p>}
      {tokens && tokens.length > 0 && (
        <table>
          <thead><tr><th scope="col">Subject</th><th scope="col">Groups</th><th scope="col">Created</th><th scope="col">State</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.subject}</td><td>{t.groups.join(', ')}</td><td>{new Date(t.createdAt).toLocaleString()}</td>
                <td>{t.revokedAt ? 'revoked' : 'active'}</td>
                <td>{!t.revokedAt && <button type="button" onClick={() => void revoke(t.id)} aria-label={`Revoke token for ${t.subject}`}>Revoke</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={(e) => void create(e)} className="inline" noValidate>
        <Field id="token-subject" label="Subject (who the token acts as)" value={subject} onChange={setSubject} error={error?.field === 'subject' ? error.message : undefined} />
        <Field id="token-groups" label="Groups (comma-separated)" value={groups} onChange={setGroups} error={error?.field === 'groups' ? error.message : undefined} />
        {error && !['subject', 'groups'].includes(error.field ?? '') && <p role="alert" className="error">{error.message}</p>}
        <button type="submit">Create token</button>
      </form>
    </section>
  );
}
