import { useEffect, useId, useRef, useState } from 'react';
import { api, errorMessage, type Schemas } from '../api';
import { toNdjson } from '../upload';
import { Field } from './WorkspacesPage';

type Path = { tenant: string; workspace: string };
interface FileResult { name: string; outcome: string; ok: boolean }

export function DocumentsSection({ path }: { path: Path }) {
  const [uploads, setUploads] = useState(0);
  return (
    <>
      <Upload path={path} onUploaded={() => setUploads((n) => n + 1)} />
      <DocumentList path={path} version={uploads} />
      <Lookup path={path} />
      <Quarantine path={path} />
    </>
  );
}

function Upload({ path, onUploaded }: { path: Path; onUploaded: () => void }) {
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
    onUploaded();
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

const PAGE_SIZE = 20;
const FILTER_DELAY_MS = 300;

/** The workspace's documents, filtered by title or id as the admin types (debounced), a page at a time. */
function DocumentList({ path, version }: { path: Path; version: number }) {
  const [filter, setFilter] = useState('');
  const [applied, setApplied] = useState('');
  const [docs, setDocs] = useState<Schemas['DocumentSummaryDto'][]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [open, setOpen] = useState<Schemas['DocumentDto']>();
  const [error, setError] = useState<string>();
  const [reloads, setReloads] = useState(0);
  // Answers to an older filter arrive after newer ones sometimes: only the latest request may show.
  const latest = useRef(0);

  useEffect(() => {
    const timer = setTimeout(() => setApplied(filter.trim()), FILTER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [filter]);

  async function load(after: string | null) {
    const request = ++latest.current;
    const query = { limit: PAGE_SIZE, ...(applied ? { q: applied } : {}), ...(after ? { cursor: after } : {}) };
    const { data, error } = await api.GET('/v1/tenants/{tenant}/workspaces/{workspace}/documents', { params: { path, query } });
    if (request !== latest.current) return;
    if (error || !data) return setError(errorMessage(error));
    setError(undefined);
    setDocs((current) => (after ? [...(current ?? []), ...data.documents] : data.documents));
    setCursor(data.nextCursor);
  }
  useEffect(() => void load(null), [path.tenant, path.workspace, applied, version, reloads]);

  async function show(id: string) {
    const { data, error } = await api.GET('/v1/tenants/{tenant}/workspaces/{workspace}/documents/{id}', { params: { path: { ...path, id } } });
    if (error) return setError(errorMessage(error));
    setOpen(data);
  }
  async function remove(id: string) {
    const { error } = await api.DELETE('/v1/tenants/{tenant}/workspaces/{workspace}/documents/{id}', { params: { path: { ...path, id } } });
    if (error) return setError(errorMessage(error));
    setOpen(undefined);
    setReloads((n) => n + 1);
  }

  return (
    <section aria-labelledby="documents-h">
      <h2 id="documents-h">Documents</h2>
      <div className="field">
        <label htmlFor="doc-filter">Filter by title or id</label>
        <input id="doc-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} aria-describedby="doc-filter-hint" />
        <small id="doc-filter-hint">Shows documents whose title or id contains this text (any case).</small>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      <p role="status" className="sr-status">{docs === undefined ? 'Loading documents…' : `${docs.length}${cursor ? '+' : ''} document${docs.length === 1 ? '' : 's'} shown`}</p>
      {docs?.length === 0 && (
        <p className="empty">{applied ? `No document’s title or id contains “${applied}”.` : 'No documents yet: upload some above.'}</p>
      )}
      {docs && docs.length > 0 && (
        <table className="cards" aria-label="Documents">
          <thead><tr><th scope="col">Title</th><th scope="col">Id</th><th scope="col">Size</th><th scope="col">Last modified</th><th scope="col">Updated</th><th scope="col">Flags</th></tr></thead>
          <tbody>
            {docs.map((d) => (
              <tr key={d.id}>
                <td data-label="Title"><button type="button" className="link" onClick={() => void show(d.id)} aria-label={`Open ${d.title} (${d.id})`}>{d.title}</button></td>
                <td data-label="Id"><code>{d.id}</code></td>
                <td data-label="Size">{d.size.toLocaleString()} characters</td>
                <td data-label="Last modified">{d.lastModified ? <time dateTime={d.lastModified}>{new Date(d.lastModified).toLocaleString()}</time> : 'unknown'}</td>
                <td data-label="Updated"><time dateTime={d.updatedAt}>{new Date(d.updatedAt).toLocaleString()}</time></td>
                <td data-label="Flags">{d.quarantined ? 'quarantined' : ''}{d.flags.length > 0 ? ` ${d.flags.join(', ')}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && <button type="button" onClick={() => void load(cursor)}>Load more documents</button>}
      {open && <DocumentView doc={open} focus actions={<p><button type="button" onClick={() => void remove(open.id)}>Delete document {open.id}</button> <button type="button" onClick={() => setOpen(undefined)}>Close</button></p>} />}
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
      {doc && <DocumentView doc={doc} focus actions={<button type="button" onClick={() => void remove(doc.id)}>Delete document</button>} />}
    </section>
  );
}

/** One document; `focus` moves keyboard focus to its heading when it opens, so screen readers announce it. */
function DocumentView({ doc, actions, focus }: { doc: Schemas['DocumentDto']; actions: React.ReactNode; focus?: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const headingId = useId();
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus, doc.id]);
  return (
    <article className="card document" aria-labelledby={headingId}>
      <h3 id={headingId} ref={heading} tabIndex={-1}>{doc.title} <small>({doc.id})</small></h3>
      <dl className="claims">
        <dt>Last modified</dt><dd>{doc.lastModified ? <time dateTime={doc.lastModified}>{new Date(doc.lastModified).toLocaleString()}</time> : 'unknown'}</dd>
        <dt>URL</dt><dd>{doc.url ? (/^https?:\/\//i.test(doc.url) ? <a href={doc.url} rel="noreferrer noopener" target="_blank"><code>{doc.url}</code></a> : <code>{doc.url}</code>) : 'none (search results show url: null)'}</dd>
        <dt>Updated here</dt><dd><time dateTime={doc.updatedAt}>{new Date(doc.updatedAt).toLocaleString()}</time></dd>
      </dl>
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
