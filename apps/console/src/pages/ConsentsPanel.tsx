import { useEffect, useState } from 'react';
import { api, errorMessage, type Schemas } from '../api';

type Path = { tenant: string; workspace: string };
type Consent = Schemas['ConsentDto'];

/**
 * The OAuth clients (ChatGPT, …) one member allowed to read this workspace for them. Revoking a consent
 * ends it and every token the client holds for this workspace (its consents to other workspaces stay); it
 * is confirmed first, in place.
 */
export function ConsentsPanel({ path, members }: { path: Path; members: Schemas['UserDto'][] }) {
  const [email, setEmail] = useState('');
  const [consents, setConsents] = useState<Consent[]>();
  const [confirming, setConfirming] = useState<string>();
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string>();
  const chosen = members.some((m) => m.email === email) ? email : (members[0]?.email ?? '');
  const consentsPath = { ...path, email: chosen };

  const load = () => {
    if (!chosen) return;
    void api.GET('/v1/tenants/{tenant}/workspaces/{workspace}/users/{email}/consents', { params: { path: consentsPath } }).then(({ data, error }) => {
      setConsents(data?.consents ?? []);
      setError(error ? errorMessage(error) : undefined);
    });
  };
  useEffect(load, [path.tenant, path.workspace, chosen]);

  async function revoke(consent: Consent) {
    const { error } = await api.DELETE('/v1/tenants/{tenant}/workspaces/{workspace}/users/{email}/consents/{grantId}', { params: { path: { ...consentsPath, grantId: consent.grantId } } });
    setConfirming(undefined);
    if (error) return setError(errorMessage(error));
    setStatus(`Revoked ${consent.clientName}'s access for ${chosen}.`);
    load();
  }

  if (members.length === 0) return null;
  return (
    <section aria-labelledby="consents-h">
      <h3 id="consents-h">OAuth consents</h3>
      <p>Apps a member allowed to search and fetch this workspace for them. Revoking one signs the app out at once; it asks again next time.</p>
      <div className="field">
        <label htmlFor="consents-member">Member</label>
        <select id="consents-member" value={chosen} onChange={(e) => { setEmail(e.target.value); setStatus(''); setConfirming(undefined); }}>
          {members.map((m) => <option key={m.id} value={m.email}>{m.name ? `${m.name} (${m.email})` : m.email}</option>)}
        </select>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {consents?.length === 0 && <p className="empty">{chosen} has not allowed any app yet.</p>}
      {consents && consents.length > 0 && (
        <table className="cards" aria-label={`OAuth consents of ${chosen}`}>
          <thead><tr><th scope="col">App</th><th scope="col">Scopes</th><th scope="col">Allowed on</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {consents.map((c) => (
              <tr key={c.grantId}>
                <td data-label="App">{c.clientName}{c.clientName !== c.clientId && <> <code>{c.clientId}</code></>}</td>
                <td data-label="Scopes">{c.scopes.join(', ')}</td>
                <td data-label="Allowed on">{c.grantedAt ? <time dateTime={c.grantedAt}>{new Date(c.grantedAt).toLocaleString()}</time> : 'unknown'}</td>
                <td data-label="">
                  {confirming === c.grantId ? (
                    <span role="group" aria-label={`Confirm revoking ${c.clientName}`}>
                      Revoke {c.clientName} for {chosen}?{' '}
                      <button type="button" onClick={() => void revoke(c)} autoFocus>Yes, revoke</button>{' '}
                      <button type="button" onClick={() => setConfirming(undefined)}>Cancel</button>
                    </span>
                  ) : (
                    <button type="button" onClick={() => { setConfirming(c.grantId); setStatus(''); }} aria-label={`Revoke ${c.clientName}`}>Revoke</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p role="status">{status}</p>
    </section>
  );
}
