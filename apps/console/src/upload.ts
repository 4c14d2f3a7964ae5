/**
 * Turns a file into NDJSON lines for documents:bulk, as the CLI reads the same formats: md/txt as text
 * (title from the first heading, else the file name), html as html (the server derives the title),
 * json (one document or an array) and ndjson as they are. The id comes from the file name.
 */
export function idFromFileName(name: string): string {
  return name.replace(/\.[^.]*$/, '').normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
    .replace(/[^a-z0-9._]+/g, '-').replace(/^[^a-z0-9]+/, '').replace(/[^a-z0-9]+$/, '').slice(0, 128);
}

export function toNdjson(name: string, content: string): string {
  const extension = name.toLowerCase().split('.').pop() ?? '';
  if (extension === 'ndjson' || extension === 'jsonl') return content;
  if (extension === 'json') {
    const parsed: unknown = JSON.parse(content);
    return (Array.isArray(parsed) ? parsed : [parsed]).map((d) => JSON.stringify(d)).join('\n');
  }
  const id = idFromFileName(name);
  if (extension === 'html' || extension === 'htm') return JSON.stringify({ id, html: content });
  const heading = /^#{1,6}\s+(.+)$/m.exec(content)?.[1]?.trim();
  return JSON.stringify({ id, title: heading ?? name.replace(/\.[^.]*$/, ''), text: content });
}
