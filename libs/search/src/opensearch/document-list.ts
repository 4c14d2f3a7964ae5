import { OPTIONAL_DOCUMENT_FIELD_NAMES, OPTIONAL_DOCUMENT_FIELDS, type DocumentListRequest, type DocumentSummary } from '@tessera/domain';
import { optionalFieldsFromSource, type DocumentSource } from './document-source';
import { TITLE_KEYWORD_FIELD } from './index-definition';

/** What a list line needs from `_source`: everything but the text, metadata and ACL. */
const LIST_SOURCE = ['id', 'title', 'url', 'flags', 'quarantined', 'updated_at', ...OPTIONAL_DOCUMENT_FIELD_NAMES.map((name) => OPTIONAL_DOCUMENT_FIELDS[name].column)];

/**
 * The text's length in code points, computed next to the data (the text itself never travels);
 * the same count as PostgreSQL's char_length.
 */
const SIZE_SCRIPT = `def t = params['_source']['text']; return t == null ? 0 : t.codePointCount(0, t.length());`;

/** `*`, `?` and `\` are wildcard syntax: a filter containing them matches them literally. */
export function wildcardContaining(text: string): string {
  return `*${text.toLowerCase().replace(/[\\*?]/g, (c) => `\\${c}`)}*`;
}

/**
 * The search body for one page of the document list: the workspace's documents by id (keywords sort
 * by their UTF-8 bytes, which is code-point order), after the cursor, filtered on id or title.
 */
export function documentListBody(workspaceId: string, request: DocumentListRequest): Record<string, unknown> {
  const filter: unknown[] = [{ term: { workspace_id: workspaceId } }];
  if (request.after !== undefined) filter.push({ range: { id: { gt: request.after } } });
  if (request.filter) {
    const value = wildcardContaining(request.filter);
    filter.push({
      bool: {
        should: [{ wildcard: { id: { value, case_insensitive: true } } }, { wildcard: { [TITLE_KEYWORD_FIELD]: { value, case_insensitive: true } } }],
        minimum_should_match: 1,
      },
    });
  }
  return {
    size: request.limit,
    track_total_hits: false,
    _source: LIST_SOURCE,
    script_fields: { size: { script: { lang: 'painless', source: SIZE_SCRIPT } } },
    query: { bool: { filter } },
    sort: [{ id: { order: 'asc' } }],
  };
}

export interface DocumentListHit {
  readonly _source: Pick<DocumentSource, 'id' | 'title' | 'url' | 'flags' | 'quarantined' | 'updated_at'> & Record<string, unknown>;
  readonly fields?: { size?: number[] };
}

export function toDocumentSummary(hit: DocumentListHit): DocumentSummary {
  const source = hit._source;
  return {
    id: source.id,
    title: source.title,
    url: source.url ?? null,
    updatedAt: new Date(source.updated_at),
    flags: source.flags ?? [],
    quarantined: source.quarantined ?? false,
    size: hit.fields?.size?.[0] ?? 0,
    ...optionalFieldsFromSource(source),
  };
}
