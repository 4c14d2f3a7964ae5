/**
 * A minimal user agent for OAuth flows in tests: follows redirects by hand, keeps cookies per host,
 * fills in the sign-in and consent forms the way a person would. (The real-browser test drives Chromium.)
 */
export class TestBrowser {
  private readonly cookies = new Map<string, Map<string, string>>();

  /** Follows redirects from `url` until one leaves the server for `stopAt`'s origin+path; returns that URL. */
  async navigate(url: string, stopAt: string, init?: { method: string; form: Record<string, string> }): Promise<{ final: URL; page?: string; status: number }> {
    let current = new URL(url);
    let request: RequestInit = init
      ? { method: init.method, body: new URLSearchParams(init.form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }
      : { method: 'GET' };
    for (let hop = 0; hop < 20; hop++) {
      if (current.href.startsWith(stopAt)) return { final: current, status: 302 };
      const response = await fetch(current, { ...request, redirect: 'manual', headers: { ...(request.headers as object), cookie: this.cookieHeader(current) } });
      this.store(current, response.headers);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        current = new URL(location, current);
        request = { method: 'GET' };
        continue;
      }
      return { final: current, page: await response.text(), status: response.status };
    }
    throw new Error('too many redirects');
  }

  /** Submits the form on `page` that contains `marker` (default: the first form), with these fields plus its hidden inputs. */
  async submit(pageUrl: URL, page: string, fields: Record<string, string>, stopAt: string, marker?: string) {
    const forms = [...page.matchAll(/<form[\s\S]*?<\/form>/g)].map((m) => m[0]);
    const form = (marker ? forms.find((f) => f.includes(marker)) : forms[0]) ?? '';
    const action = /<form[^>]*action="([^"]+)"/.exec(form)?.[1];
    if (!action) throw new Error(`no form on page: ${page.slice(0, 300)}`);
    const hidden = Object.fromEntries([...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, decode(m[2]!)]));
    return this.navigate(new URL(decode(action), pageUrl).href, stopAt, { method: 'POST', form: { ...hidden, ...fields } });
  }

  /** Runs a whole authorization: sign in (if asked) and decide on consent (if asked). */
  async authorize(authorizationUrl: string, redirectUri: string, credentials: { email: string; password: string }, decision: 'allow' | 'deny' = 'allow') {
    let step = await this.navigate(authorizationUrl, redirectUri);
    for (let i = 0; i < 4 && step.page; i++) {
      if (step.page.includes('name="password"')) step = await this.submit(step.final, step.page, credentials, redirectUri, 'name="password"');
      else if (step.page.includes('name="decision"')) step = await this.submit(step.final, step.page, { decision }, redirectUri, 'name="decision"');
      else break;
    }
    return step;
  }

  /** The Cookie header this browser would send to `url` (for tests that shape a request themselves). */
  cookiesFor(url: URL): string {
    return this.cookieHeader(url);
  }

  private cookieHeader(url: URL): string {
    return [...(this.cookies.get(url.host) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private store(url: URL, headers: Headers): void {
    const jar = this.cookies.get(url.host) ?? new Map<string, string>();
    for (const line of headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.cookies.set(url.host, jar);
  }
}

function decode(value: string): string {
  return value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}
