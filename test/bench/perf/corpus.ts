/**
 * A deterministic synthetic corpus for the performance benchmark: documents of 1–20 KB whose words
 * follow a Zipf distribution over a vocabulary of tens of thousands of made-up words, about one in
 * ten restricted to a group, and search queries of 2–4 mid-frequency words. Same seed, same bytes.
 */

export interface CorpusOptions {
  readonly documents: number;
  readonly vocabulary: number;
  readonly seed: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  /** Share of documents whose ACL names only `restrictedGroup`. */
  readonly restrictedShare: number;
  readonly restrictedGroup: string;
  /** Zipf exponent; 1 is the classic law of natural-language text. */
  readonly zipfExponent: number;
}

export const DEFAULT_CORPUS: CorpusOptions = {
  documents: 10_000,
  vocabulary: 40_000,
  seed: 20261127,
  minBytes: 1024,
  maxBytes: 20 * 1024,
  restrictedShare: 0.1,
  restrictedGroup: 'bench-restricted',
  zipfExponent: 1,
};

export interface BenchDocument {
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly url: string;
  readonly metadata: { readonly n: number; readonly source: string };
  readonly acl?: { readonly groups: readonly string[] };
}

/** mulberry32: tiny, fast and good enough for synthetic text; never for anything secret. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ONSETS = ['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'z', 'br', 'cl', 'dr', 'fl', 'gr', 'pl', 'st', 'tr', 'sh', 'th', 'ch', 'qu'];
const NUCLEI = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou', 'io', 'ua'];
const CODAS = ['', '', '', 'n', 'r', 'l', 's', 'm', 'x', 'nd', 'rt', 'sk'];

/**
 * `size` distinct pronounceable pseudo-words of 2–4 syllables, in rank order (rank 0 is the most
 * frequent). Short words get the top ranks, as in natural language.
 */
export function syntheticVocabulary(size: number, random: () => number): string[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const seen = new Set<string>();
  const words: string[] = [];
  while (words.length < size) {
    const syllables = 2 + Math.floor(random() * 3);
    let word = '';
    for (let s = 0; s < syllables; s++) word += pick(ONSETS) + pick(NUCLEI) + (s === syllables - 1 ? pick(CODAS) : '');
    if (seen.has(word)) continue;
    seen.add(word);
    words.push(word);
  }
  return words.sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
}

/** Samples ranks 0…n-1 with P(rank r) ∝ 1/(r+1)^s, by binary search over the cumulative weights. */
export function zipfSampler(n: number, exponent: number, random: () => number): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) {
    total += 1 / Math.pow(r + 1, exponent);
    cumulative[r] = total;
  }
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export interface Corpus {
  readonly options: CorpusOptions;
  readonly vocabulary: readonly string[];
  /** Generates the documents in order; cheap enough to call more than once (same output each time). */
  documents(): Generator<BenchDocument>;
  /** Ids of every document, and of those only the restricted group may read. */
  readonly ids: readonly string[];
  readonly restrictedIds: ReadonlySet<string>;
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

export function buildCorpus(overrides: Partial<CorpusOptions> = {}): Corpus {
  const options = { ...DEFAULT_CORPUS, ...overrides };
  const vocabulary = syntheticVocabulary(options.vocabulary, seededRandom(options.seed));
  const ids: string[] = [];
  const restrictedIds = new Set<string>();
  const plan = seededRandom(options.seed + 1);
  for (let i = 0; i < options.documents; i++) {
    const id = `doc-${String(i).padStart(6, '0')}`;
    ids.push(id);
    if (plan() < options.restrictedShare) restrictedIds.add(id);
  }

  function* documents(): Generator<BenchDocument> {
    const random = seededRandom(options.seed + 2);
    const word = zipfSampler(vocabulary.length, options.zipfExponent, random);
    const sentence = (words: number) => {
      let s = capitalize(vocabulary[word()]!);
      for (let w = 1; w < words; w++) s += ' ' + vocabulary[word()]!;
      return s + '.';
    };
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const target = options.minBytes + Math.floor(random() * (options.maxBytes - options.minBytes + 1));
      const titleWords = 3 + Math.floor(random() * 6);
      let title = capitalize(vocabulary[word()]!);
      for (let w = 1; w < titleWords; w++) title += ' ' + vocabulary[word()]!;
      const parts: string[] = [];
      let length = 0;
      let paragraphLeft = 3 + Math.floor(random() * 6);
      for (;;) {
        const next = sentence(6 + Math.floor(random() * 15));
        const separator = length === 0 ? '' : paragraphLeft-- <= 0 ? '\n\n' : ' ';
        if (separator === '\n\n') paragraphLeft = 3 + Math.floor(random() * 6);
        if (length + separator.length + next.length > options.maxBytes) break;
        parts.push(separator, next);
        length += separator.length + next.length;
        if (length >= target) break;
      }
      yield {
        id,
        title,
        text: parts.join(''),
        url: `https://docs.bench.example/${id}`,
        metadata: { n: i, source: 'bench' },
        ...(restrictedIds.has(id) ? { acl: { groups: [options.restrictedGroup] } } : {}),
      };
    }
  }

  return { options, vocabulary, documents, ids, restrictedIds };
}

/**
 * `count` distinct queries of 2–4 words drawn uniformly from the mid-frequency band of the
 * vocabulary (by default ranks 500–5,000: each word is in roughly 2–25% of the documents).
 */
export function benchQueries(
  corpus: Pick<Corpus, 'vocabulary'>,
  count: number,
  seed: number = DEFAULT_CORPUS.seed + 3,
  band: readonly [number, number] = [500, 5_000],
): string[] {
  const random = seededRandom(seed);
  const [from, to] = [Math.min(band[0], corpus.vocabulary.length - 1), Math.min(band[1], corpus.vocabulary.length)];
  const queries = new Set<string>();
  for (let attempts = 0; queries.size < count && attempts < count * 10; attempts++) {
    const words = 2 + Math.floor(random() * 3);
    const picked: string[] = [];
    while (picked.length < words) {
      const candidate = corpus.vocabulary[from + Math.floor(random() * (to - from))]!;
      if (!picked.includes(candidate)) picked.push(candidate);
    }
    queries.add(picked.join(' '));
  }
  return [...queries];
}

/** A fixed shuffle of the ids, so that consecutive fetches hit different documents. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const copy = items.slice();
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
