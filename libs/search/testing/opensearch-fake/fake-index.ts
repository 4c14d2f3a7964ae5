import { analyzerExists, fieldAnalyzer, validateAnalysis, type AnalysisSettings, type FieldAnalyzer } from './fake-analysis';
import { badRequest, FakeError } from './fake-errors';

export interface FieldMapping {
  readonly type?: string;
  readonly analyzer?: string;
  readonly normalizer?: string;
  readonly index?: boolean;
  readonly copy_to?: string;
  readonly fields?: Record<string, FieldMapping>;
  readonly properties?: Record<string, FieldMapping>;
  readonly dynamic?: boolean | string;
}

export interface IndexBody {
  readonly settings?: { index?: Record<string, unknown>; analysis?: AnalysisSettings } & Record<string, unknown>;
  readonly mappings?: { dynamic?: boolean | string; properties?: Record<string, FieldMapping> };
}

export interface StoredDocument {
  readonly source: Record<string, unknown>;
  readonly version: number;
  readonly seqNo: number;
  readonly primaryTerm: number;
}

/** Per text field: term frequencies and length of one document, as of the last refresh. */
type FieldTerms = Map<string, { tf: Map<string, number>; length: number }>;

export interface FieldStats {
  readonly docCount: number;
  readonly averageLength: number;
  readonly documentFrequency: ReadonlyMap<string, number>;
}

const KNOWN_TYPES = new Set(['text', 'keyword', 'boolean', 'date', 'object', 'flat_object', 'integer', 'long', 'float', 'double']);

/**
 * One concrete index. Like OpenSearch, `get` is real-time (sees every write) while search sees the
 * documents as of the last refresh. Scheduled refreshes are not simulated: a write becomes
 * searchable only through `refresh=true|wait_for` or `_refresh`, so a client that forgets to ask
 * fails the contract suite instead of passing by timing luck.
 */
export class FakeIndex {
  readonly documents = new Map<string, StoredDocument>();
  writeBlocked = false;
  private readonly searchable = new Map<string, { source: Record<string, unknown>; fields: FieldTerms }>();
  private readonly unrefreshed = new Set<string>();
  private readonly textFields = new Map<string, { sourceFields: string[]; analyzer: FieldAnalyzer }>();
  private statsCache = new Map<string, FieldStats>();
  private seqNo = -1;

  constructor(
    readonly name: string,
    readonly body: IndexBody,
  ) {
    validateAnalysis(body.settings?.analysis);
    const properties = Object.entries(body.mappings?.properties ?? {});
    for (const [field, mapping] of properties) {
      // A copy_to target indexes the values of the fields that copy into it (and has none of its own in _source).
      const copiedFrom = properties.filter(([, other]) => other.copy_to === field).map(([name]) => name);
      this.addField(field, copiedFrom.length > 0 ? copiedFrom : [field], mapping);
    }
  }

  private addField(path: string, sourceFields: string[], mapping: FieldMapping): void {
    if (mapping.type !== undefined && !KNOWN_TYPES.has(mapping.type)) {
      throw badRequest(`No handler for type [${mapping.type}] declared on field [${path}]`, 'mapper_parsing_exception');
    }
    for (const name of [mapping.analyzer].filter((a): a is string => a !== undefined)) {
      if (!analyzerExists(this.body.settings?.analysis, name)) throw badRequest(`analyzer [${name}] has not been configured in mappings`, 'mapper_parsing_exception');
    }
    if (mapping.normalizer !== undefined && !this.body.settings?.analysis?.normalizer?.[mapping.normalizer]) {
      throw badRequest(`normalizer [${mapping.normalizer}] not found for field [${path}]`, 'mapper_parsing_exception');
    }
    if (mapping.type === 'text') this.textFields.set(path, { sourceFields, analyzer: fieldAnalyzer(this.body.settings?.analysis, mapping.analyzer) });
    for (const [sub, subMapping] of Object.entries(mapping.fields ?? {})) this.addField(`${path}.${sub}`, sourceFields, subMapping);
  }

  /** The mapping of a field path such as `text.shingles`, if mapped. */
  mapping(path: string): FieldMapping | undefined {
    const [top, sub] = path.split('.', 2);
    const field = this.body.mappings?.properties?.[top!];
    return sub === undefined ? field : field?.fields?.[sub];
  }

  isTextField(path: string): boolean {
    return this.textFields.has(path);
  }

  analyzeFor(path: string, text: string): string[] {
    return this.textFields.get(path)?.analyzer(text) ?? [];
  }

  /** Rejects what OpenSearch's mapper would: unknown fields under `dynamic: strict`, values of the wrong type. */
  validate(id: string, source: Record<string, unknown>): void {
    for (const [field, value] of Object.entries(source)) {
      const mapping = this.body.mappings?.properties?.[field];
      if (!mapping) {
        if (this.body.mappings?.dynamic === 'strict') {
          throw new FakeError(400, 'strict_dynamic_mapping_exception', `mapping set to strict, dynamic introduction of [${field}] within [_doc] is not allowed`);
        }
        continue;
      }
      if (value !== null && !valueFits(mapping.type ?? 'object', value)) {
        throw new FakeError(400, 'mapper_parsing_exception', `failed to parse field [${field}] of type [${mapping.type}] in document with id '${id}'`);
      }
    }
  }

  put(id: string, source: Record<string, unknown>): { result: 'created' | 'updated'; stored: StoredDocument } {
    const previous = this.documents.get(id);
    const stored = { source, version: (previous?.version ?? 0) + 1, seqNo: ++this.seqNo, primaryTerm: 1 };
    this.documents.set(id, stored);
    this.unrefreshed.add(id);
    return { result: previous ? 'updated' : 'created', stored };
  }

  remove(id: string): StoredDocument | undefined {
    const previous = this.documents.get(id);
    if (previous) {
      this.documents.delete(id);
      this.unrefreshed.add(id);
      this.seqNo++;
    }
    return previous;
  }

  refresh(): void {
    for (const id of this.unrefreshed) {
      const stored = this.documents.get(id);
      if (stored) this.searchable.set(id, { source: stored.source, fields: this.indexFields(stored.source) });
      else this.searchable.delete(id);
    }
    if (this.unrefreshed.size > 0) this.statsCache = new Map();
    this.unrefreshed.clear();
  }

  searchableDocuments(): Iterable<[string, { source: Record<string, unknown>; fields: FieldTerms }]> {
    return this.searchable.entries();
  }

  /** Lucene's per-field statistics: documents with the field, average length, document frequency. */
  stats(path: string): FieldStats {
    const cached = this.statsCache.get(path);
    if (cached) return cached;
    let docCount = 0;
    let totalLength = 0;
    const documentFrequency = new Map<string, number>();
    for (const { fields } of this.searchable.values()) {
      const field = fields.get(path);
      if (!field || field.length === 0) continue;
      docCount++;
      totalLength += field.length;
      for (const term of field.tf.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    }
    const stats = { docCount, averageLength: docCount ? totalLength / docCount : 0, documentFrequency };
    this.statsCache.set(path, stats);
    return stats;
  }

  private indexFields(source: Record<string, unknown>): FieldTerms {
    const fields: FieldTerms = new Map();
    for (const [path, { sourceFields, analyzer }] of this.textFields) {
      const values = sourceFields.map((field) => source[field]).filter((value): value is string => typeof value === 'string');
      if (values.length === 0) continue;
      const terms = values.flatMap((value) => analyzer(value));
      const tf = new Map<string, number>();
      for (const term of terms) tf.set(term, (tf.get(term) ?? 0) + 1);
      fields.set(path, { tf, length: terms.length });
    }
    return fields;
  }
}

function valueFits(type: string, value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  switch (type) {
    case 'text':
    case 'keyword':
      return values.every((v) => ['string', 'number', 'boolean'].includes(typeof v));
    case 'boolean':
      return values.every((v) => typeof v === 'boolean' || v === 'true' || v === 'false');
    case 'date':
      return values.every((v) => (typeof v === 'string' && !Number.isNaN(Date.parse(v))) || typeof v === 'number');
    case 'object':
    case 'flat_object':
      return typeof value === 'object' && !Array.isArray(value);
    default:
      return values.every((v) => typeof v === 'number');
  }
}
