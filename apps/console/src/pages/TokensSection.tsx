import { useEffect, useState } from 'react';
import { api, fieldError, type Schemas } from '../api';
import { Field } from './WorkspacesPage';

const SCOPES = ['search', 'fetch'] as const;
type Scope = (typeof SCOPES)[number];

/** The token as the list names it: subject and id prefix, so two tokens of one subject can be told apart. */
function tokenName(t: Schemas['AccessTokenDto']): string {
  return `${t.subject} (${t.id.slice(0, 8)})`;
}

export function TokensSection({ path }: { path: { tenant: string; workspace: string } }) {
  const [tokens, setTokens] = useState<Schemas['AccessTokenDto'][]>();
  const [subject, setSubject] = useState('');
  const [groups, setGroups] = useState('');
  const [expiresInDays, setExpiresInDays] = useState('');
  const [scopes, setScopes] = useState<Scope[]>([...SCOPES]);
  const [created, setCreated] = useState<{ id: string; token: string }>();
  const [copied, setCopied] = useState(false);
  const [revoking, setRevoking] = useState<string>();
  const [error, setError] = useState<{ field?: string; message: string }>();
  const load = () => void api.GET('/v1/tenants/{tenant}/workspaces/{workspace}/access-tokens', { params: { path } }).then(({ data }) => setTokens(data?.accessTokens ?? []));
  useEffect(load, [path.tenant, path.workspace]);

  async function create(event: React.FormEvent) {
    event.preventDefault();
    const body = {
      subject,
      groups: groups.split(',').map((g) => g.trim()).filter(Boolean),
      // '' → no expiry; anything else goes to the API as a number, which judges it.
      ...(expiresInDays.trim() ? { expiresInDays: Number(expiresInDays) } : {}),
      // All tools is the API's default; a narrower choice is sent as is (none selected → the API's message).
      ...(scopes.length === SCOPES.length ? {} : { scopes }),
    };
    const { data, error } = await api.POST('/v1/tenants/{tenant}/workspaces/{workspace}/access-tokens', { params: { path }, body });
    if (error || !data) return setError(fieldError(error));
    setError(undefined);
    setCopied(false);
    setCreated({ id: data.id, token: data.token });
    load();
  }
  async function revoke(id: string) {
    await api.DELETE('/v1/tenants/{tenant}/workspaces/{workspace}/access-tokens/{id}', { params: { path: { ...path, id } } });
    setRevoking(undefined);
    if (created?.id === id) setCreated(undefined);
    load();
  }
  const fieldMessage = (field: string) => (error?.field === field ? error.message : undefined);

  return (
    <section aria-labelledby="tokens-h">
      <h2 id="tokens-h">Access tokens</h2>
      <p>For the OpenAI Responses API, which passes a bearer token instead of signing in.</p>
      {created && (
        <div className="card" role="status">
          <p>Copy this token now: it is shown once.</p>
          <p className="connector"><code data-testid="new-token">{created.token}</code>{' '}
            <button type="button" onClick={() => void navigator.clipboard.writeText(created.token).then(() => setCopied(true))}>Copy token</button>
            <span>{copied ? ' Copied.' : ''}</span>
          </p>
        </div>
      )}
      {tokens?.length === 0 && <p className="empty">No access tokens.</p>}
      {tokens && tokens.length > 0 && (
        <table className="cards" aria-label="Access tokens">
          <thead><tr><th scope="col">Subject</th><th scope="col">Id</th><th scope="col">Groups</th><th scope="col">Tools</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">State</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td data-label="Subject">{t.subject}</td>
                <td data-label="Id"><code title={t.id}>{t.id.slice(0, 8)}</code></td>
                <td data-label="Groups">{t.groups.join(', ')}</td>
                <td data-label="Tools">{t.scopes.join(', ')}</td>
                <td data-label="Created"><time dateTime={t.createdAt}>{new Date(t.createdAt).toLocaleString()}</time></td>
                <td data-label="Expires">{t.expiresAt ? <time dateTime={t.expiresAt}>{new Date(t.expiresAt).toLocaleString()}</time> : 'never'}</td>
                <td data-label="State">{t.revokedAt ? 'revoked' : 'active'}</td>
                <td data-label="">
                  {!t.revokedAt && (revoking === t.id
                    ? (
                      <span className="confirm" role="group" aria-label={`Confirm revoking ${tokenName(t)}`}>
                        Revoke it? Apps using it stop working.{' '}
                        <button type="button" onClick={() => void revoke(t.id)}>Revoke token</button>{' '}
                        <button type="button" onClick={() => setRevoking(undefined)}>Cancel</button>
                      </span>
                    )
                    : <button type="button" onClick={() => setRevoking(t.id)} aria-label={`Revoke token ${tokenName(t)}`}>Revoke</button>)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={(e) => void create(e)} className="inline" noValidate>
        <Field id="token-subject" label="Subject (who the token acts as)" value={subject} onChange={setSubject} error={fieldMessage('subject')} />
        <Field id="token-groups" label="Groups (comma-separated)" value={groups} onChange={setGroups} error={fieldMessage('groups')} />
        <Field id="token-expiresInDays" label="Expires in days (1–3650; empty: never)" value={expiresInDays} onChange={setExpiresInDays} error={fieldMessage('expiresInDays')} />
        <fieldset className="field scopes" aria-describedby={fieldMessage('scopes') ? 'token-scopes-error' : undefined}>
          <legend>Tools</legend>
          {SCOPES.map((scope) => (
            <label key={scope} className="checkbox">
              <input type="checkbox" checked={scopes.includes(scope)} onChange={(e) => setScopes(e.target.checked ? SCOPES.filter((s) => s === scope || scopes.includes(s)) : scopes.filter((s) => s !== scope))} /> {scope}
            </label>
          ))}
          {fieldMessage('scopes') && <p id="token-scopes-error" className="error">{fieldMessage('scopes')}</p>}
        </fieldset>
        {error && !['subject', 'groups', 'expiresInDays', 'scopes'].includes(error.field ?? '') && <p role="alert" className="error">{error.message}</p>}
        <button type="submit">Create token</button>
      </form>
    </section>
  );
}
