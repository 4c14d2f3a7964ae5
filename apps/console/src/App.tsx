import { useEffect, useState } from 'react';
import { type ConsoleSession, loadSession, signOut } from './api';
import { AdminsPage } from './pages/AdminsPage';
import { AuditPage } from './pages/AuditPage';
import { IdentityProviderPage } from './pages/IdentityProviderPage';
import { WorkspacePage } from './pages/WorkspacePage';
import { WorkspacesPage } from './pages/WorkspacesPage';
import { usePath } from './router';

export function App() {
  const [session, setSession] = useState<ConsoleSession | null | undefined>(undefined);
  useEffect(() => {
    void loadSession().then((s) => setSession(s ?? null));
  }, []);
  if (session === undefined) return <p className="loading">Loading…</p>;
  if (session === null) return <SignIn />;
  return <Console session={session} onSignedOut={() => setSession(null)} />;
}

/** Messages for the codes /console/callback sends back (SignInFailure); the query never supplies text of its own. */
const SIGN_IN_ERRORS: Record<string, string> = {
  not_this_browser: 'This sign-in was not started in this browser. Start again.',
  expired: 'This sign-in attempt has expired. Start again.',
  not_completed: 'Sign-in did not complete, or this account is not an admin of this organization.',
  not_verified: 'Sign-in could not be verified. Start again.',
  not_admin: 'This account is not an admin of this organization.',
};

/** Messages for the codes /console/login sends back; the query never supplies text of its own. */
const TENANT_ERRORS: Record<string, string> = {
  invalid: 'Enter the organization’s slug: lowercase letters, digits and hyphens, e.g. northwind.',
  unknown: 'No organization has this slug. Check it with whoever set up Tessera for you.',
};

/** The slug rule of @tessera/domain SLUG_PATTERN, with the hyphen escaped as the browser’s `v`-flag pattern syntax requires. */
const SLUG_INPUT_PATTERN = '[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?';

/** A message of `messages` by its code, if it is one (not Object.prototype's `toString` and the like). */
function messageFor(messages: Record<string, string>, code: string | null): string | undefined {
  return code !== null && Object.hasOwn(messages, code) ? messages[code] : undefined;
}

function SignIn() {
  const query = new URLSearchParams(window.location.search);
  const errorCode = query.get('error');
  const error = errorCode === null ? undefined : messageFor(SIGN_IN_ERRORS, errorCode) ?? 'Sign-in did not complete. Start again.';
  const tenantError = messageFor(TENANT_ERRORS, query.get('tenantError'));
  // Refilled only with a well-formed slug (the server sends back only those).
  const [tenant, setTenant] = useState(() => {
    const given = query.get('tenant') ?? '';
    return new RegExp(`^${SLUG_INPUT_PATTERN}$`, 'v').test(given) ? given : '';
  });
  useEffect(() => {
    document.title = 'Sign in — Tessera console';
    if (tenantError) document.getElementById('tenant')?.focus();
  }, [tenantError]);
  return (
    <main className="sign-in">
      <h1>Tessera console</h1>
      <p>Sign in as an admin of your organization.</p>
      {error && <p role="alert" className="error">{error}</p>}
      <form method="get" action="/console/login">
        <div className="field">
          <label htmlFor="tenant">Organization (its slug, e.g. northwind)</label>
          <input id="tenant" name="tenant" required pattern={SLUG_INPUT_PATTERN} value={tenant} onChange={(e) => setTenant(e.target.value.trim().toLowerCase())}
            autoComplete="organization" aria-invalid={tenantError ? true : undefined} aria-describedby={tenantError ? 'tenant-error' : undefined} />
          {tenantError && <p id="tenant-error" role="alert" className="error">{tenantError}</p>}
        </div>
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}

const SECTIONS = [
  { path: '', label: 'Workspaces' },
  { path: 'audit', label: 'Audit' },
  { path: 'identity-provider', label: 'Identity provider' },
  { path: 'admins', label: 'Admins' },
];

function Console({ session, onSignedOut }: { session: ConsoleSession; onSignedOut: () => void }) {
  const [path, go] = usePath();
  const [section, workspace] = path.split('/');
  const tenant = session.tenant.slug;
  const title = section === 'workspaces' && workspace ? `Workspace ${workspace}` : SECTIONS.find((s) => s.path === (section ?? ''))?.label ?? 'Workspaces';
  useEffect(() => {
    document.title = `${title} — Tessera console`;
  }, [title]);
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <span className="brand">Tessera · {session.tenant.name}</span>
        <nav aria-label="Sections">
          {SECTIONS.map((s) => (
            <a key={s.label} href={`/console/${s.path}`} aria-current={(section ?? '') === s.path || (s.path === '' && section === 'workspaces') ? 'page' : undefined}
              onClick={(e) => { e.preventDefault(); go(s.path); }}>{s.label}</a>
          ))}
        </nav>
        <span className="who">{session.user.email}</span>
        <button type="button" onClick={() => void signOut().then(onSignedOut)}>Sign out</button>
      </header>
      <main id="main" tabIndex={-1}>
        {section === 'workspaces' && workspace ? <WorkspacePage tenant={tenant} workspace={workspace} go={go} />
          : section === 'audit' ? <AuditPage tenant={tenant} />
          : section === 'identity-provider' ? <IdentityProviderPage tenant={tenant} redirectUri={session.federationRedirectUri} />
          : section === 'admins' ? <AdminsPage tenant={tenant} self={session.user.email} />
          : <WorkspacesPage tenant={tenant} go={go} />}
      </main>
    </>
  );
}
