import { useState } from 'react';
import { api, fieldError, type Schemas } from '../api';
import { Field } from './WorkspacesPage';

type Settings = Schemas['WorkspaceSettingsDto'];
type Path = { tenant: string; workspace: string };

/** The workspace's PATCH settings as one form; the API's message is shown next to the field it names. */
export function SafetySection({ path, settings, onSaved }: { path: Path; settings: Settings; onSaved: () => void }) {
  const [flagged, setFlagged] = useState(settings.flaggedDocuments);
  const [guardMode, setGuardMode] = useState(settings.queryGuard.mode ?? 'block');
  const [maxQueryChars, setMaxQueryChars] = useState(String(settings.queryGuard.maxQueryChars ?? ''));
  const [resultLimit, setResultLimit] = useState(String(settings.searchResultLimit));
  const [workspacePerMinute, setWorkspacePerMinute] = useState(String(settings.rateLimits.workspacePerMinute ?? ''));
  const [principalPerMinute, setPrincipalPerMinute] = useState(String(settings.rateLimits.principalPerMinute ?? ''));
  const [storeQueries, setStoreQueries] = useState(settings.queryLog.store ?? false);
  const [error, setError] = useState<{ field?: string; message: string }>();
  const [saved, setSaved] = useState(false);
  const num = (v: string) => (v.trim() === '' ? undefined : Number(v));

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setSaved(false);
    const body: Schemas['UpdateWorkspaceDto'] = {
      flaggedDocuments: flagged,
      searchResultLimit: num(resultLimit),
      queryGuard: { mode: guardMode, maxQueryChars: num(maxQueryChars) },
      rateLimits: { workspacePerMinute: num(workspacePerMinute), principalPerMinute: num(principalPerMinute) },
      queryLog: { store: storeQueries },
    };
    const { error } = await api.PATCH('/v1/tenants/{tenant}/workspaces/{workspace}', { params: { path }, body });
    if (error) return setError(fieldError(error));
    setError(undefined);
    setSaved(true);
    onSaved();
  }
  const at = (field: string) => (error?.field === field ? error.message : undefined);
  const known = ['searchResultLimit', 'queryGuard.maxQueryChars', 'rateLimits.workspacePerMinute', 'rateLimits.principalPerMinute'];

  return (
    <section aria-labelledby="safety-h">
      <h2 id="safety-h">Safety and limits</h2>
      <form onSubmit={(e) => void save(e)} className="inline" noValidate>
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
        <Field id="ws-rate" label="Requests per minute (workspace)" value={workspacePerMinute} onChange={setWorkspacePerMinute} error={at('rateLimits.workspacePerMinute')} />
        <Field id="principal-rate" label="Requests per minute (each token or user)" value={principalPerMinute} onChange={setPrincipalPerMinute} error={at('rateLimits.principalPerMinute')} />
        <div className="field checkbox">
          <input id="store-queries" type="checkbox" checked={storeQueries} onChange={(e) => setStoreQueries(e.target.checked)} />
          <label htmlFor="store-queries">Keep raw search queries in the audit log</label>
        </div>
        {error && !known.includes(error.field ?? '') && <p role="alert" className="error">{error.message}</p>}
        <button type="submit">Save settings</button>
        <span role="status">{saved ? 'Saved.' : ''}</span>
      </form>
    </section>
  );
}
