import { useEffect, useState } from 'react';
import { api, errorMessage, fieldError, type Schemas } from '../api';
import { Field } from './WorkspacesPage';

/** The tenant's own OpenID Connect IdP. The client secret is write-only: sent on save, never shown. */
export function IdentityProviderPage({ tenant, redirectUri }: { tenant: string; redirectUri: string }) {
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
      {current && <p>Members see “Continue with {current.displayName}” when they sign in.</p>}
      {current !== undefined && (
        <p>Create a web application (OpenID Connect) client at your IdP with this redirect URI, then enter its issuer, client ID and secret below:{' '}
          <code data-testid="idp-redirect-uri">{current?.redirectUri ?? redirectUri}</code></p>
      )}
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
      {current && <TestSignIn tenant={tenant} redirectUri={current.redirectUri} />}
      {current && <p><button type="button" onClick={() => void remove()}>Disconnect the identity provider</button></p>}
    </>
  );
}

const FAILURES: Record<Schemas['IdentityProviderTestFailureDto']['code'], string> = {
  issuer_refused: 'Issuer refused',
  discovery_failed: 'Discovery failed',
  redirect_refused: 'Redirect refused',
  idp_error: 'The IdP returned an error',
  client_authentication_failed: 'Wrong client ID or client secret',
  code_exchange_refused: 'Code exchange refused',
  token_request_failed: 'Token request failed',
  id_token_invalid: 'ID token did not verify',
  no_verified_email: 'No verified email',
  invalid_claims: 'Claims are not valid text',
};

/**
 * Runs a real sign-in round trip through Tessera's authorization server to the IdP and back here, without
 * signing anyone in; shows what would map to the user, or exactly where it failed.
 */
function TestSignIn({ tenant, redirectUri }: { tenant: string; redirectUri: string }) {
  const testId = new URLSearchParams(window.location.search).get('test');
  const [outcome, setOutcome] = useState<Schemas['IdentityProviderTestDto'] | null>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!testId) return;
    void api.GET('/v1/tenants/{tenant}/identity-provider/test-sign-ins/{id}', { params: { path: { tenant, id: testId } } }).then(({ data, error }) => {
      setOutcome(data ?? null);
      if (error) setError(errorMessage(error));
    });
  }, [tenant, testId]);
  async function start() {
    const { data, error } = await api.POST('/v1/tenants/{tenant}/identity-provider/test-sign-ins', { params: { path: { tenant } } });
    if (error || !data) return setError(errorMessage(error));
    window.location.assign(data.url);
  }
  return (
    <section aria-labelledby="idp-test-h" className="card">
      <h2 id="idp-test-h">Test sign-in</h2>
      <p>Goes to your IdP and back, as a member's sign-in would. Sign in there as anyone in your organization: nobody is signed in to Tessera by the test, and no account is created.</p>
      {outcome?.status === 'succeeded' && outcome.claims && (
        <div role="status" className="ok">
          <p>Sign-in works. Your IdP signed in:</p>
          <dl className="claims">
            <dt>Email</dt><dd data-testid="idp-test-email">{outcome.claims.email}</dd>
            <dt>Name</dt><dd>{outcome.claims.name ?? '(none)'}</dd>
            <dt>Groups</dt><dd>{outcome.claims.groups.length ? outcome.claims.groups.join(', ') : '(none)'}</dd>
            <dt>Already a user here</dt><dd>{outcome.claims.existingUser ? 'yes' : 'no: added on first sign-in to a workspace if provisioning is on'}</dd>
          </dl>
        </div>
      )}
      {outcome?.status === 'failed' && outcome.failure && (
        <div role="alert" className="error" data-testid="idp-test-failure" data-code={outcome.failure.code}>
          <p><strong>{FAILURES[outcome.failure.code]}.</strong> {outcome.failure.message}</p>
        </div>
      )}
      {outcome?.status === 'pending' && (
        <p role="alert" className="error">The test did not come back from your IdP. If it showed an error page, it refused Tessera's redirect URI: register <code>{redirectUri}</code> for this client.</p>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      <button type="button" onClick={() => void start()}>{testId ? 'Test sign-in again' : 'Test sign-in'}</button>
    </section>
  );
}
