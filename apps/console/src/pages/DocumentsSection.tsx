import { useEffect, useState } from 'react';
import { api, errorMessage, type Schemas } from '../api';
import { toNdjson } from '../upload';
import { Field } from './WorkspacesPage';

type Path = { tenant: string; workspace: string };
interface FileResult { name: string; outcome: string; ok: boolean }

export function DocumentsSection({ path }: { path: Path }) {
  return (
    <>
      <Upload path={path} />
      <Lookup path={path} />
      <Quarantine path={path} />
    </>
  );
}

function Upload({ path }: { path: Path }) {
  const [results, setResults] = useState<FileResult[]>([]);
  const [done, setDone] = useState(0);
  const [total, setTotal] = useState(0);
  async function upload(files: FileList | null) {
    const list = [...(files ?? [])];
    setTotal(list.length);
    setDone(0);
    setResults([]);
    for (const file of list) {
      let result: FileResult;
      try {
        const body = toNdjson(file.name, await file.text());
        const { data, error } = await api.POST('/v1/tenants/{tenant}/workspaces/{workspace}/documents:bulk', {
          params: { path }, body, bodySerializer: (b: string) => b, headers: { 'content-type': 'application/x-ndjson' },
        });
        if (error || !data) result = { name: file.name, outcome: errorMessage(error), ok: false };
        else {
          const s = data.summary;
          const failure = data.results.find((r) => r.error)?.error?.message;
          result = { name: file.name, ok: s.failed === 0, outcome: `${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.failed} failed${failure ? ` (${failure})` : ''}` };
        }
      } catch (error) {
        result = { name: file.name, outcome: `not readable: ${(error as Error).message}`, ok: false };
      }
      setResults((r) => [...r, result]);
      setDone((d) => d + 1);
    }
  }
  return (
    <section aria-labelledby="upload-h">
      <h2 id="upload-h">Upload documents</h2>
      <label htmlFor="upload">Files (Markdown, text, HTML, JSON or NDJSON)</label>
      <input id="upload" type="file" multiple accept=".md,.markdown,.txt,.html,.htm,.json,.ndjson,.jsonl" onChange={(e) => void upload(e.target.files)} />
      {total > 0 && <p><progress max={total} value={done} aria-label="Upload progress">{done}/{total}</progress> {done} of {total} files</p>}
      {results.length > 0 && (
        <ul aria-label="Upload results" className="results">
          {results.map((r) => <li key={r.name} className={r.ok ? 'ok' : 'error'}><strong>{r.name}</strong>: {r.outcome}</li>)}
        </ul>
      )}
    </section>
  );
}

function Lookup({ path }: { path: Path }) {
  const [id, setId] = useState('');
  const [doc, setDoc] = useState<Schemas['DocumentDto']>();
  const [error, setError] = useState<string>();
  async function find(event: React.FormEvent) {
    event.preventDefault();
    const { data, error } = await api.GET('/v1/tenants/{tenant}/workspaces/{workspace}/documents/{id}', { params: { path: { ...path, id } } });
    setDoc(data);
    setError(error ? errorMessage(error) : undefined);
  }
  async function remove(docId: string) {
    const { error } = await api.DELETE('/v1/tenants/{tenant}/workspaces/{workspace}/documents/{id}', { params: { path: { ...path, id: docId } } });
    if (error) return setError(errorMessage(error));
    setDoc(undefined);
  }
  return (
    <section aria-labelledby="lookup-h">
      <h2 id="lookup-h">Find a document</h2>
      <form onSubmit={(e) => void find(e)} className="inline">
        <Field id="doc-id" label="Document id" value={id} onChange={setId} error={error} />
        <button type="submit">Show</button>
      </form>
      {doc && <DocumentView doc={doc} actions={<button type="button" onClick={() => void remove(doc.id)}>Delete document</button>} />}
    </section>
  );
}

function DocumentView({ doc, actions }: { doc: Schemas['DocumentDto']; actions: React.ReactNode }) {
  return (
    <article className="card document">
      <h3>{doc.title} <small>({doc.id})</small></h3>
      {doc.flags.length > 0 && <p className="flags">Flagged: {doc.flags.map((f) => <mark key={f}>{f}</mark>)}</p>}
      <pre className="text">{highlight(doc.text, doc.flags)}</pre>
      {actions}
    </article>
  );
}

/** Marks the lines that read like instructions to a model, the kind of passage the server flags. */
function highlight(text: string, flags: string[]): React.ReactNode {
  if (flags.length === 0) return text;
  const instruction = /(ignore (all|any|previous)|disregard|system prompt|you are now|instructions?:|do not tell|send .* to)/i;
  return text.split('\n').map((line, i) => <span key={i}>{instruction.test(line) ? <mark>{line}</mark> : line}{'\n'}</span>);
}

function Quarantine({ path }: { path: Path }) {
  const [docs, setDocs] = useState<Schemas['DocumentDto'][]>();
  const load = () => void api.GET('/v1/tenants/{tenant}/workspaces/{workspace}/quarantine', { params: { path } }).then(({ data }) => setDocs(data?.documents ?? []));
  useEffect(load, [path.tenant, path.workspace]);
  async function release(id: string) {
    await api.POST('/v1/tenants/{tenant}/workspaces/{workspace}/documents/{id}:release', { params: { path: { ...path, id } } });
    load();
  }
  async function remove(id: string) {
    await api.DELETE('/v1/tenants/{tenant}/workspaces/{workspace}/documents/{id}', { params: { path: { ...path, id } } });
    load();
  }
  return (
    <section aria-labelledby="quarantine-h">
      <h2 id="quarantine-h">Quarantine</h2>
      <button type="button" onClick={load}>Refresh</button>
      {docs?.length === 0 && <p className="empty">Nothing is held back for review.</p>}
      {docs?.map((d) => (
        <DocumentView key={d.id} doc={d} actions={<p><button type="button" onClick={() => void release(d.id)}>Release {d.id}</button> <button type="button" onClick={() => void remove(d.id)}>Delete {d.id}</button></p>} />
      ))}
    </section>
  );
}
