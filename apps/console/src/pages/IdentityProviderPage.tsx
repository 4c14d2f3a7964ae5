import { useEffect, useState } from 'react';
import { api, errorMessage, fieldError, type Schemas } from '../api';
import { Field } from './WorkspacesPage';

/** The tenant's own OpenID Connect IdP. The client secret is write-only: sent on save, never shown. */
export function IdentityProviderPage({ tenant }: { tenant: string }) {
  const path = { tenant };
  const [current, setCurrent] = useState<Schemas['IdentityProviderDto'] | null>();
  const [form, setForm] = useState({ issuer: '', clientId: '', clientSecret: '', displayName: '', groupsClaim: 'groups' });
  const [autoProvision, setAutoProvision] = useState(true);
  const [error, setError] = useState<{ field?: string; message: string }>();
  const [saved, setSaved] = useState(false);
  const load = () => void api.GET('/v1/tenants/{tenant}/identity-provider', { params: { path } }).then(({ data }) => {
    setCurrent(data ?? null);
    if (data) {
      setForm({ issuer: data.issuer, clientId: data.clientId, clientSecret: '', displayName: data.displayName, groupsClaim: data.groupsClaim });
      setAutoProvision(data.autoProvision);
    }
  });
  useEffect(load, [tenant]);
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setSaved(false);
    const body = { ...form, displayName: form.displayName || undefined, autoProvision };
    const { error } = await api.PUT('/v1/tenants/{tenant}/identity-provider', { params: { path }, body });
    if (error) return setError(fieldError(error));
    setError(undefined);
    setSaved(true);
    load();
  }
  async function remove() {
    const { error } = await api.DELETE('/v1/tenants/{tenant}/identity-provider', { params: { path } });
    if (error) return setError({ message: errorMessage(error) });
    setForm({ issuer: '', clientId: '', clientSecret: '', displayName: '', groupsClaim: 'groups' });
    load();
  }
  const at = (field: string) => (error?.field === field ? error.message : undefined);

  return (
    <>
      <h1>Identity provider</h1>
      {current === null && <p className="empty">No single sign-on yet: members sign in with passwords. Connect your OpenID Connect IdP below.</p>}
      {current && <p>Members see “Continue with {current.displayName}” when they sign in. Register this redirect URI at your IdP: <code>{current.redirectUri}</code></p>}
      <form onSubmit={(e) => void save(e)} className="stack" noValidate>
        <Field id="idp-issuer" label="Issuer URL (https)" value={form.issuer} onChange={set('issuer')} error={at('issuer')} />
        <Field id="idp-client" label="Client ID" value={form.clientId} onChange={set('clientId')} error={at('clientId')} />
        <Field id="idp-secret" label="Client secret (required on every save; never shown again)" type="password" value={form.clientSecret} onChange={set('clientSecret')} error={at('clientSecret')} />
        <Field id="idp-name" label="Button label (e.g. Acme SSO)" value={form.displayName} onChange={set('displayName')} error={at('displayName')} />
        <Field id="idp-groups" label="Groups claim" value={form.groupsClaim} onChange={set('groupsClaim')} error={at('groupsClaim')} />
        <div className="field checkbox">
          <input id="idp-provision" type="checkbox" checked={autoProvision} onChange={(e) => setAutoProvision(e.target.checked)} />
          <label htmlFor="idp-provision">Add people the IdP signs in to the workspace they sign in to</label>
        </div>
        {error && !['issuer', 'clientId', 'clientSecret', 'displayName', 'groupsClaim'].includes(error.field ?? '') && <p role="alert" className="error">{error.message}</p>}
        <button type="submit">Save identity provider</button> <span role="status">{saved ? 'Saved.' : ''}</span>
      </form>
      {current && <p><button type="button" onClick={() => void remove()}>Disconnect the identity provider</button></p>}
    </>
  );
}
