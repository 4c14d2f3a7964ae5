import { useState } from 'react';
import type { Schemas } from '../api';
import { CheckboxField, LinesField, numberOrUnset as num, SettingsForm } from './SettingsForm';
import { Field } from './WorkspacesPage';

type Settings = Schemas['WorkspaceSettingsDto'];
type Props = { path: { tenant: string; workspace: string }; settings: Settings; onSaved: () => void };

/** The workspace's PATCH settings, one form per concern (SettingsForm), each saved on its own. */
export function SafetySection(props: Props) {
  return (
    <section aria-labelledby="safety-h">
      <h2 id="safety-h">Safety and limits</h2>
      <QueriesAndDocuments {...props} />
      <ClientPolicy {...props} />
      <RateLimits {...props} />
      <QueryLog {...props} />
    </section>
  );
}

function QueriesAndDocuments({ path, settings, onSaved }: Props) {
  const [flagged, setFlagged] = useState(settings.flaggedDocuments);
  const [guardMode, setGuardMode] = useState(settings.queryGuard.mode ?? 'block');
  const [maxQueryChars, setMaxQueryChars] = useState(String(settings.queryGuard.maxQueryChars ?? ''));
  const [resultLimit, setResultLimit] = useState(String(settings.searchResultLimit));
  return (
    <SettingsForm path={path} id="queries" title="Queries and documents" submitLabel="Save settings" onSaved={onSaved}
      fields={['queryGuard.maxQueryChars', 'searchResultLimit']}
      patch={() => ({ flaggedDocuments: flagged, searchResultLimit: num(resultLimit), queryGuard: { mode: guardMode, maxQueryChars: num(maxQueryChars) } })}>
      {(at) => (
        <>
          <div className="field">
            <label htmlFor="flagged">Documents with instruction-like text</label>
            <select id="flagged" value={flagged} onChange={(e) => setFlagged(e.target.value as Settings['flaggedDocuments'])}>
              <option value="serve">Serve as they are</option>
              <option value="annotate">Serve with their flags</option>
              <option value="quarantine">Hold back for review (quarantine)</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="guard">Queries that look like smuggled data</label>
            <select id="guard" value={guardMode} onChange={(e) => setGuardMode(e.target.value as typeof guardMode)}>
              <option value="block">Block</option><option value="strip">Strip the suspicious parts</option><option value="allow">Allow</option>
            </select>
          </div>
          <Field id="max-query" label="Longest query (characters)" value={maxQueryChars} onChange={setMaxQueryChars} error={at('queryGuard.maxQueryChars')} />
          <Field id="result-limit" label="Results per search" value={resultLimit} onChange={setResultLimit} error={at('searchResultLimit')} />
        </>
      )}
    </SettingsForm>
  );
}

function ClientPolicy({ path, settings, onSaved }: Props) {
  const policy = settings.clientPolicy;
  const [redirectUris, setRedirectUris] = useState((policy.redirectUris ?? []).join('\n'));
  const [loopback, setLoopback] = useState(policy.allowLoopbackRedirects ?? false);
  const [dynamic, setDynamic] = useState(policy.allowDynamicRegistration ?? false);
  const [metadataDocuments, setMetadataDocuments] = useState(policy.allowMetadataDocuments ?? false);
  const lines = () => redirectUris.split('\n').map((line) => line.trim()).filter(Boolean);
  return (
    <SettingsForm path={path} id="client-policy" title="Which apps may connect" submitLabel="Save client policy" onSaved={onSaved}
      description="Where the sign-in may send people back to, and which kinds of OAuth client may ask for access."
      fields={['clientPolicy.redirectUris']}
      patch={() => ({ clientPolicy: { redirectUris: lines(), allowLoopbackRedirects: loopback, allowDynamicRegistration: dynamic, allowMetadataDocuments: metadataDocuments } })}>
      {(at) => (
        <>
          <LinesField id="redirect-uris" label="Allowed redirect URIs (one a line)" lines={redirectUris} onChange={setRedirectUris} error={at('clientPolicy.redirectUris')}
            hint="https URLs; end one in /* to allow any single last path segment (ChatGPT's connector/oauth/* URLs)." />
          <CheckboxField id="allow-loopback" label="Allow local apps (loopback redirects, RFC 8252)" checked={loopback} onChange={setLoopback} />
          <CheckboxField id="allow-dcr" label="Allow apps that register themselves (Dynamic Client Registration)" checked={dynamic} onChange={setDynamic} />
          <CheckboxField id="allow-cimd" label="Allow apps identified by a metadata document URL (ChatGPT)" checked={metadataDocuments} onChange={setMetadataDocuments} />
        </>
      )}
    </SettingsForm>
  );
}

function RateLimits({ path, settings, onSaved }: Props) {
  const limits = settings.rateLimits;
  const [workspacePerMinute, setWorkspacePerMinute] = useState(String(limits.workspacePerMinute ?? ''));
  const [principalPerMinute, setPrincipalPerMinute] = useState(String(limits.principalPerMinute ?? ''));
  const [clientPerMinute, setClientPerMinute] = useState(String(limits.clientPerMinute ?? ''));
  return (
    <SettingsForm path={path} id="rate-limits" title="Rate limits" submitLabel="Save rate limits" onSaved={onSaved}
      fields={['rateLimits.workspacePerMinute', 'rateLimits.principalPerMinute', 'rateLimits.clientPerMinute']}
      patch={() => ({ rateLimits: { workspacePerMinute: num(workspacePerMinute), principalPerMinute: num(principalPerMinute), clientPerMinute: num(clientPerMinute) } })}>
      {(at) => (
        <>
          <Field id="ws-rate" label="Requests per minute (workspace)" value={workspacePerMinute} onChange={setWorkspacePerMinute} error={at('rateLimits.workspacePerMinute')} />
          <Field id="principal-rate" label="Requests per minute (each token or user)" value={principalPerMinute} onChange={setPrincipalPerMinute} error={at('rateLimits.principalPerMinute')} />
          <Field id="client-rate" label="Requests per minute (each app, all its users)" value={clientPerMinute} onChange={setClientPerMinute} error={at('rateLimits.clientPerMinute')} />
        </>
      )}
    </SettingsForm>
  );
}

function QueryLog({ path, settings, onSaved }: Props) {
  const [store, setStore] = useState(settings.queryLog.store ?? false);
  const [retentionDays, setRetentionDays] = useState(String(settings.queryLog.retentionDays ?? ''));
  return (
    <SettingsForm path={path} id="query-log" title="Query log" submitLabel="Save query log" onSaved={onSaved}
      description="By default the audit log keeps only a keyed hash and the length of each search query."
      fields={['queryLog.retentionDays']}
      patch={() => ({ queryLog: { store, retentionDays: num(retentionDays) } })}>
      {(at) => (
        <>
          <CheckboxField id="store-queries" label="Keep raw search queries in the audit log" checked={store} onChange={setStore} />
          <Field id="query-retention" label="Remove stored queries after (days, 1–90)" value={retentionDays} onChange={setRetentionDays} error={at('queryLog.retentionDays')} />
        </>
      )}
    </SettingsForm>
  );
}
