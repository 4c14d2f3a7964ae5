import type { DocumentAcl, StoredDocument } from '@tessera/domain';
import { type CacheEntry, type ConfirmationTicket, type DocumentEntry, GenerationView } from './generation-view';
import type { IndexChangeSource } from './index-change-feed';
import type { CandidateMetadata, Readership, TermPostings, TermWeights } from './scorer';

export { GenerationView, type ConfirmationTicket } from './generation-view';

/** Readerships whose weights a term keeps: every reader admitted to the same classes shares one. */
const WEIGHTINGS_PER_TERM = 4;

/**
 * How long a confirmed view is trusted without asking the database again, even with no change
 * announced: bounds what a silently broken notification connection could leave stale.
 */
export const CONFIRMATION_TTL_MS = 1_000;

const METADATA_OVERHEAD_BYTES = 240;
const DOCUMENT_OVERHEAD_BYTES = 400;

/**
 * Term postings of recently searched workspaces, in memory, within a byte budget (least recently used
 * terms go first). Entries belong to a generation of their workspace's index: a newer generation seen
 * anywhere replaces the whole view, so nothing older than what the database last answered is ever kept.
 */
export class PostingsCache {
  private readonly views = new Map<string, GenerationView>();
  /** Insertion order is recency: a hit moves its entry to the end. */
  private readonly lru = new Map<string, CacheEntry>();
  private termBytes = 0;
  /** Fetched documents, least recently used first, within their own budget. */
  private readonly documentLru = new Map<string, DocumentEntry>();
  private documentBytes = 0;
  /**
   * Per workspace, the sequence number of the last change announced or made here: a ticket taken
   * before it confirms nothing. Workspaces this process holds nothing of are pruned now and then;
   * theirs then reads as `prunedUpTo`, which is at least every stamp pruned, so a ticket from before
   * a prune confirms nothing either.
   */
  private readonly stamps = new Map<string, number>();
  private sequence = 0;
  private prunedUpTo = 0;

  /**
   * `changes`: the database's change announcements; without one (or while it is not live) nothing
   * held is trusted without asking the database, which still answers with far less work.
   * `now`: a monotonic clock in ms (a wall clock stepping back would stretch the confirmation's life).
   */
  constructor(
    readonly budgetBytes: number,
    readonly documentBudgetBytes = 0,
    private readonly changes?: IndexChangeSource,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private stampOf(workspaceId: string): number {
    return this.stamps.get(workspaceId) ?? this.prunedUpTo;
  }

  get enabled(): boolean {
    return this.budgetBytes > 0;
  }

  /** Bytes held (postings, document slots, result metadata; not whole documents), for tests and metrics. */
  get size(): number {
    let slots = 0;
    for (const view of this.views.values()) slots += view.slotBytes + view.metadataBytes;
    return this.termBytes + slots;
  }

  /** Bytes of whole documents held. */
  get documentSize(): number {
    return this.documentBytes;
  }

  /** To take before a database read whose answer may confirm the workspace's view. */
  ticket(workspaceId: string): ConfirmationTicket {
    const changes = this.changes;
    return { epoch: changes?.live ? changes.epoch : -1, stamp: this.stampOf(workspaceId), at: this.now() };
  }

  /** The database answered for `view`'s generation, read after `ticket` was taken. */
  confirm(view: GenerationView, ticket: ConfirmationTicket): void {
    const changes = this.changes;
    if (!changes?.live || ticket.epoch !== changes.epoch || ticket.stamp !== this.stampOf(view.workspaceId)) return;
    if (this.views.get(view.workspaceId) === view) view.confirmation = ticket;
  }

  /**
   * True when `view` is certainly the workspace's current generation: the database confirmed it
   * recently, the feed has listened without a break since, and nothing was announced for the
   * workspace after that. Then what the view holds can answer without asking the database.
   */
  current(view: GenerationView): boolean {
    const confirmed = view.confirmation;
    const changes = this.changes;
    return (
      confirmed !== undefined &&
      changes !== undefined &&
      changes.live &&
      confirmed.epoch === changes.epoch &&
      confirmed.stamp === this.stampOf(view.workspaceId) &&
      this.now() - confirmed.at < CONFIRMATION_TTL_MS &&
      this.views.get(view.workspaceId) === view
    );
  }

  /**
   * A write committed in the workspace: announced by the database (with the generation it raised
   * the index to; null when the index is gone) or made by this process (undefined). Whatever is
   * older is dropped, and nothing is trusted again before the database confirms it.
   */
  changed(workspaceId: string, generation?: number | null): void {
    this.stamps.delete(workspaceId); // re-inserted last: the map stays in order of last change
    this.stamps.set(workspaceId, ++this.sequence);
    const view = this.views.get(workspaceId);
    if (view && (generation === undefined || generation === null || view.generation < generation)) this.drop(workspaceId);
    if (this.stamps.size > 2 * this.views.size + 1_000) this.pruneStamps();
  }

  /** Any change anywhere (a table was truncated): nothing held stays, nothing in flight confirms. */
  changedAll(): void {
    this.sequence++;
    this.stamps.clear();
    this.prunedUpTo = this.sequence;
    for (const workspaceId of [...this.views.keys()]) this.drop(workspaceId);
  }

  /** Forgets the stamps of workspaces this process holds nothing of. */
  private pruneStamps(): void {
    for (const [workspaceId, stamp] of this.stamps) {
      if (this.views.has(workspaceId)) continue;
      this.stamps.delete(workspaceId);
      this.prunedUpTo = Math.max(this.prunedUpTo, stamp);
    }
  }

  /** Keeps candidates' metadata for the view's generation (within the postings budget). */
  putMetadata(view: GenerationView, rows: readonly CandidateMetadata[]): void {
    if (this.views.get(view.workspaceId) !== view) return;
    for (const row of rows) {
      if (view.metadata.has(row.pk)) continue;
      view.metadata.set(row.pk, row);
      view.metadataBytes += METADATA_OVERHEAD_BYTES + 2 * (row.id.length + row.title.length + (row.url?.length ?? 0)) + aclBytes(row.acl);
    }
    // Metadata is cheap to read again: past half the budget, the view starts over rather than evicting hot postings.
    if (view.metadataBytes > this.budgetBytes / 2) {
      view.metadata.clear();
      view.metadataBytes = 0;
    }
    this.evict();
  }

  /** A fetched document, held (within the document budget) while the view's generation is current. */
  document(view: GenerationView, id: string): StoredDocument | undefined {
    const entry = view.documents.get(id);
    if (!entry) return undefined;
    markUsed(this.documentLru, keyOf(view.workspaceId, id), entry);
    return entry.document;
  }

  putDocument(view: GenerationView, document: StoredDocument): void {
    if (this.views.get(view.workspaceId) !== view || view.documents.has(document.id)) return;
    const bytes = documentBytes(document);
    if (bytes > this.documentBudgetBytes / 4) return;
    const entry = { view, document, bytes };
    view.documents.set(document.id, entry);
    this.documentLru.set(keyOf(view.workspaceId, document.id), entry);
    this.documentBytes += bytes;
    while (this.documentBytes > this.documentBudgetBytes && this.documentLru.size > 0) {
      const [key, oldest] = this.documentLru.entries().next().value as [string, DocumentEntry];
      this.documentLru.delete(key);
      oldest.view.documents.delete(oldest.document.id);
      this.documentBytes -= oldest.bytes;
      if (oldest.view.documents.size === 0 && oldest.view.terms.size === 0 && this.views.get(oldest.view.workspaceId) === oldest.view) {
        this.drop(oldest.view.workspaceId);
      }
    }
  }

  view(workspaceId: string): GenerationView | undefined {
    return this.views.get(workspaceId);
  }

  /** The cached postings of a term, marked as recently used. */
  get(view: GenerationView, term: string): TermPostings | undefined {
    const entry = view.terms.get(term);
    if (!entry) return undefined;
    markUsed(this.lru, keyOf(view.workspaceId, term), entry);
    return entry.postings;
  }

  /**
   * A held term's weights for a readership: kept with the term (its bytes counted), computed by the
   * view's index when not held yet. The oldest readership's go first beyond WEIGHTINGS_PER_TERM.
   */
  weights(view: GenerationView, postings: TermPostings, readership: Readership): TermWeights {
    const entry = view.terms.get(postings.term);
    const held = entry?.postings === postings ? entry.weights.get(readership.key) : undefined;
    if (held) return held;
    const weights = view.index!.weigh(postings, readership);
    if (!entry || entry.postings !== postings || this.views.get(view.workspaceId) !== view) return weights;
    if (entry.weights.size >= WEIGHTINGS_PER_TERM) {
      const [oldestKey, oldest] = entry.weights.entries().next().value as [number | string, TermWeights];
      entry.weights.delete(oldestKey);
      entry.bytes -= oldest.bytes;
      this.termBytes -= oldest.bytes;
    }
    entry.weights.set(readership.key, weights);
    entry.bytes += weights.bytes;
    this.termBytes += weights.bytes;
    this.evict();
    return weights;
  }

  /**
   * The view for a generation the database just answered with: the current one, or a new one that
   * replaces an older generation. Undefined when this process already holds a newer generation (the
   * answer was overtaken; the caller reads again).
   */
  viewFor(workspaceId: string, generation: number): GenerationView | undefined {
    const current = this.views.get(workspaceId);
    if (current && current.generation === generation) return current;
    if (current && current.generation > generation) return undefined;
    if (current) this.drop(workspaceId);
    const view = new GenerationView(workspaceId, generation);
    this.views.set(workspaceId, view);
    return view;
  }

  /** Adds postings built by `view`'s index; evicts the least recently used terms beyond the budget. */
  put(view: GenerationView, postings: TermPostings): void {
    if (this.views.get(view.workspaceId) !== view) return;
    const key = keyOf(view.workspaceId, postings.term);
    const previous = view.terms.get(postings.term);
    if (previous) {
      this.termBytes -= previous.bytes;
      this.lru.delete(key);
    }
    const entry: CacheEntry = { view, postings, weights: new Map(), bytes: postings.bytes };
    view.terms.set(postings.term, entry);
    this.lru.set(key, entry);
    this.termBytes += entry.bytes;
    this.evict();
  }

  /** Forgets a workspace (its generation moved, or it was dropped). */
  drop(workspaceId: string): void {
    const view = this.views.get(workspaceId);
    if (!view) return;
    for (const [term, entry] of view.terms) {
      this.lru.delete(keyOf(workspaceId, term));
      this.termBytes -= entry.bytes;
    }
    for (const [id, entry] of view.documents) {
      this.documentLru.delete(keyOf(workspaceId, id));
      this.documentBytes -= entry.bytes;
    }
    view.documents.clear();
    this.views.delete(workspaceId);
  }

  private evict(): void {
    let size = this.size;
    while (size > this.budgetBytes && this.lru.size > 0) {
      const [key, entry] = this.lru.entries().next().value as [string, CacheEntry];
      this.lru.delete(key);
      const { view, postings } = entry;
      view.terms.delete(postings.term);
      this.termBytes -= entry.bytes;
      size -= entry.bytes;
      // A view without postings goes whole (its slots, metadata and documents too): nothing else reclaims them.
      if (view.terms.size === 0 && this.views.get(view.workspaceId) === view) {
        size -= view.slotBytes + view.metadataBytes;
        this.drop(view.workspaceId);
      }
    }
  }
}

function aclBytes(acl: DocumentAcl): number {
  let bytes = 0;
  for (const u of acl.users) bytes += 40 + 2 * u.length;
  for (const g of acl.groups) bytes += 40 + 2 * g.length;
  return bytes;
}

/**
 * What a held document's text costs on the heap: V8 keeps a string whose characters are all Latin-1
 * at a byte each, any other at two. (What a reader builds from it, such as the gateway's serialized
 * fetch result, is the reader's to count.)
 */
function heldTextBytes(text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return 2 * text.length;
  return text.length;
}

/** Roughly what the document costs on the heap (see heldTextBytes; metadata as its JSON). */
function documentBytes(document: StoredDocument): number {
  return (
    DOCUMENT_OVERHEAD_BYTES +
    heldTextBytes(document.text) +
    2 * (document.title.length + document.id.length + (document.url?.length ?? 0) + document.contentHash.length) +
    2 * JSON.stringify(document.metadata).length +
    aclBytes(document.acl)
  );
}

/** Moves an entry to the most recently used end of its LRU (a Map iterates in insertion order). */
function markUsed<T>(lru: Map<string, T>, key: string, entry: T): void {
  lru.delete(key);
  lru.set(key, entry);
}

function keyOf(workspaceId: string, term: string): string {
  return `${workspaceId}\u0000${term}`;
}
