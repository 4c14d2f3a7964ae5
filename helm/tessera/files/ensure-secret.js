// Creates the chart's generated Secret once: run by the pre-install/pre-upgrade hook Job (secrets-hook.yaml)
// with the pod's service account. A key already in the Secret is never changed, so every render of the
// chart stays identical and re-running the hook (every upgrade, every Argo CD sync) changes nothing.
// Environment: SECRET_NAME, KEYS (comma-separated: TESSERA_ADMIN_TOKEN, AUTH_COOKIE_KEYS, TESSERA_ENCRYPTION_KEY,
// TESSERA_QUERY_HASH_KEY),
// NAMESPACE, LEGACY_SECRET_NAME (an earlier chart's Secret whose generated admin token is adopted), and for
// tests only KUBE_API_URL / SERVICE_ACCOUNT_DIR. Values are never printed.
'use strict';
const { createHmac, randomBytes } = require('node:crypto');
const { readFileSync } = require('node:fs');
const http = require('node:http');
const https = require('node:https');

const SA_DIR = process.env.SERVICE_ACCOUNT_DIR || '/var/run/secrets/kubernetes.io/serviceaccount';
const API = process.env.KUBE_API_URL || `https://${process.env.KUBERNETES_SERVICE_HOST}:${process.env.KUBERNETES_SERVICE_PORT}`;
const NAMESPACE = process.env.NAMESPACE;
const NAME = process.env.SECRET_NAME;
const LEGACY = process.env.LEGACY_SECRET_NAME || '';
const KEYS = (process.env.KEYS || '').split(',').filter(Boolean);
const LABELS = JSON.parse(process.env.SECRET_LABELS || '{}');

function request(method, path, body) {
  const url = new URL(path, API);
  const client = url.protocol === 'https:' ? https : http;
  const caFile = `${SA_DIR}/ca.crt`;
  const options = {
    method,
    headers: { authorization: `Bearer ${readFileSync(`${SA_DIR}/token`, 'utf8').trim()}`, accept: 'application/json' },
    ...(url.protocol === 'https:' ? { ca: readFileSync(caFile) } : {}),
  };
  if (body !== undefined) options.headers['content-type'] = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  return new Promise((resolve, reject) => {
    const req = client.request(url, options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : {} }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${url.pathname}: no answer within 10 s`)));
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function readSecret(name) {
  const res = await request('GET', `/api/v1/namespaces/${NAMESPACE}/secrets/${name}`);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`reading Secret ${name}: HTTP ${res.status} ${res.body.message || ''}`);
  const data = {};
  for (const [key, value] of Object.entries(res.body.data || {})) data[key] = Buffer.from(value, 'base64').toString('utf8');
  return data;
}

const random = (bytes) => randomBytes(bytes).toString('base64url');

/** New values for the missing keys; a token adopted from before means the keys used to be derived from it. */
function fill(missing, token, derivedBefore) {
  const values = {};
  if (missing.includes('TESSERA_ADMIN_TOKEN')) values.TESSERA_ADMIN_TOKEN = token || `tsa_${random(30)}`;
  if (missing.includes('AUTH_COOKIE_KEYS')) {
    const fresh = random(32);
    // Keep verifying cookies signed with the key an earlier chart derived from the admin token.
    values.AUTH_COOKIE_KEYS = derivedBefore ? `${fresh},${createHmac('sha256', token).update('tessera:cookie-key:v1').digest('base64url')}` : fresh;
  }
  if (missing.includes('TESSERA_ENCRYPTION_KEY')) {
    values.TESSERA_ENCRYPTION_KEY = random(32);
    // Secrets sealed under the key an earlier chart derived from the admin token stay readable.
    if (derivedBefore) values.TESSERA_PREVIOUS_ENCRYPTION_KEYS = `derived-from-admin-token:${token}`;
  }
  if (missing.includes('TESSERA_QUERY_HASH_KEY')) {
    // The key an earlier version derived from the admin token (base64url of its bytes), so query hashes stay comparable.
    values.TESSERA_QUERY_HASH_KEY = derivedBefore ? createHmac('sha256', token).update('tessera:query-hash:v1').digest('base64url') : random(32);
  }
  return values;
}

async function main() {
  if (!NAMESPACE || !NAME || KEYS.length === 0) throw new Error('NAMESPACE, SECRET_NAME and KEYS are required');
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await readSecret(NAME);
    const missing = KEYS.filter((key) => !current || !current[key]);
    if (missing.length === 0) {
      console.log(`Secret ${NAME} has ${KEYS.join(', ')}: unchanged`);
      return;
    }
    let token = current && current.TESSERA_ADMIN_TOKEN;
    let derivedBefore = Boolean(token);
    if (!token && LEGACY) {
      const legacy = await readSecret(LEGACY);
      token = legacy && legacy.TESSERA_ADMIN_TOKEN;
      derivedBefore = Boolean(token);
      if (token) console.log(`adopting the admin token of Secret ${LEGACY}`);
    }
    const values = fill(missing, token, derivedBefore);
    const data = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Buffer.from(value).toString('base64')]));
    const res = current
      ? await request('PATCH', `/api/v1/namespaces/${NAMESPACE}/secrets/${NAME}`, { data })
      : await request('POST', `/api/v1/namespaces/${NAMESPACE}/secrets`, { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: NAME, labels: LABELS }, data });
    if (res.status === 409) continue; // created meanwhile by a concurrent hook: read it again
    if (res.status < 200 || res.status >= 300) throw new Error(`writing Secret ${NAME}: HTTP ${res.status} ${res.body.message || ''}`);
    console.log(`Secret ${NAME}: ${current ? 'added' : 'created with'} ${Object.keys(values).join(', ')}`);
    return;
  }
  throw new Error(`Secret ${NAME} kept changing under us`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
