/**
 * Server-rendered sign-in, consent and error pages: no scripts, no third-party assets, everything escaped.
 * They are the only screens an end user ever sees of Tessera, so they say plainly who is asking for what.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
  :root { color-scheme: light dark; --accent: #2f5bea; --muted: #6b7280; --border: #d1d5db; --bg: #f6f7f9; --card: #fff; --text: #111827; --error: #b42318; }
  @media (prefers-color-scheme: dark) { :root { --bg: #0f1115; --card: #181b21; --text: #e5e7eb; --border: #2d323b; --muted: #9ca3af; } }
  * { box-sizing: border-box; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg); color: var(--text);
         font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { width: min(420px, calc(100vw - 32px)); background: var(--card); border: 1px solid var(--border); border-radius: 12px; padding: 32px; }
  .brand { font-weight: 700; letter-spacing: .02em; color: var(--accent); margin: 0 0 16px; }
  h1 { font-size: 1.35rem; margin: 0 0 8px; }
  p { margin: 0 0 16px; }
  .muted { color: var(--muted); font-size: .92rem; }
  label { display: block; font-weight: 600; margin: 16px 0 6px; }
  input[type=email], input[type=password] { width: 100%; padding: 10px 12px; border: 1px solid var(--border); border-radius: 8px; font: inherit; background: transparent; color: inherit; }
  input:focus-visible, button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
  .actions { display: flex; gap: 12px; margin-top: 24px; }
  button { flex: 1; padding: 10px 16px; border-radius: 8px; font: inherit; font-weight: 600; cursor: pointer; border: 1px solid var(--accent); }
  button.primary { background: var(--accent); color: #fff; }
  button.secondary { background: transparent; color: var(--accent); }
  ul.scopes { padding-left: 20px; margin: 0 0 16px; }
  .error { color: var(--error); border: 1px solid var(--error); border-radius: 8px; padding: 10px 12px; margin: 0 0 16px; }
  code { font-size: .9em; }
`;

/** The console's icon, inline (the pages' CSP allows data: images), so the browser asks for no /favicon.ico. */
const FAVICON = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b57d0"/><path d="M8 9h16v4h-6v12h-4V13H8z" fill="#fff"/></svg>')}`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · Tessera</title>
<link rel="icon" href="${FAVICON}">
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="brand">Tessera</p>
${body}
</main>
</body>
</html>`;
}

export interface LoginPage {
  readonly action: string;
  readonly csrf: string;
  readonly workspaceName: string;
  readonly tenantName: string;
  readonly clientName: string;
  readonly email?: string;
  readonly error?: string;
  /** The tenant's own IdP, when one is configured. */
  readonly federation?: { action: string; displayName: string };
}

export function renderLoginPage(page: LoginPage): string {
  return layout(
    `Sign in to ${page.workspaceName}`,
    `<h1>Sign in to ${escapeHtml(page.workspaceName)}</h1>
<p class="muted">${escapeHtml(page.tenantName)} · requested by <strong>${escapeHtml(page.clientName)}</strong></p>
${page.error ? `<p class="error" role="alert">${escapeHtml(page.error)}</p>` : ''}
${
  page.federation
    ? `<form method="post" action="${escapeHtml(page.federation.action)}">
  <input type="hidden" name="csrf" value="${escapeHtml(page.csrf)}">
  <div class="actions"><button class="primary" type="submit">Continue with ${escapeHtml(page.federation.displayName)}</button></div>
</form>
<p class="muted" style="text-align:center;margin:16px 0 0">or sign in with a password</p>`
    : ''
}
<form method="post" action="${escapeHtml(page.action)}" autocomplete="on">
  <input type="hidden" name="csrf" value="${escapeHtml(page.csrf)}">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" required autocomplete="username" value="${escapeHtml(page.email ?? '')}" ${page.email ? '' : 'autofocus'}>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" required autocomplete="current-password" ${page.email ? 'autofocus' : ''}>
  <div class="actions"><button class="primary" type="submit">Sign in</button></div>
</form>`,
  );
}

export interface ConsentPage {
  readonly action: string;
  readonly csrf: string;
  readonly workspaceName: string;
  readonly tenantName: string;
  readonly clientName: string;
  readonly redirectHost: string;
  readonly userEmail: string;
  readonly scopes: readonly string[];
  readonly offlineAccess: boolean;
}

const SCOPE_TEXT: Record<string, string> = {
  search: 'Search the documents of this workspace that you can read',
  fetch: 'Read the full text of documents of this workspace that you can read',
};

export function renderConsentPage(page: ConsentPage): string {
  const items = page.scopes.map((s) => `<li>${escapeHtml(SCOPE_TEXT[s] ?? s)}</li>`).join('');
  return layout(
    `Allow ${page.clientName}?`,
    `<h1>Allow <strong>${escapeHtml(page.clientName)}</strong> to access ${escapeHtml(page.workspaceName)}?</h1>
<p class="muted">${escapeHtml(page.tenantName)} · signed in as ${escapeHtml(page.userEmail)}</p>
<p>It will be able to:</p>
<ul class="scopes">${items}</ul>
${page.offlineAccess ? '<p class="muted">It stays connected until you or an administrator revoke access.</p>' : ''}
<p class="muted">After you decide you will be sent back to <code>${escapeHtml(page.redirectHost)}</code>.</p>
<form method="post" action="${escapeHtml(page.action)}">
  <input type="hidden" name="csrf" value="${escapeHtml(page.csrf)}">
  <div class="actions">
    <button class="secondary" type="submit" name="decision" value="deny">Deny</button>
    <button class="primary" type="submit" name="decision" value="allow">Allow</button>
  </div>
</form>`,
  );
}

export function renderErrorPage(error: string, description: string): string {
  return layout(
    'Something went wrong',
    `<h1>We could not complete the sign-in</h1>
<p class="error" role="alert">${escapeHtml(description)}</p>
<p class="muted">Error code: <code>${escapeHtml(error)}</code>. Go back to the application you came from and try connecting again.</p>`,
  );
}
