/**
 * The classic short English stop word list (the Snowball/NLTK list, ~150 words).
 * Contractions appear as the pieces the tokenizer splits them into
 * ("don't" → "don", "t"; "we'll" → "we", "ll"), which is why single letters
 * such as "s", "t", "d", "ll", "re", "ve" are listed.
 *
 * A short list, not a long one: BM25's idf already discounts common words, and
 * a long list (SMART's 571 words) removes words that carry meaning in queries.
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  'i', 'me', 'my', 'myself', 'we', 'our', 'ours', 'ourselves',
  'you', 'your', 'yours', 'yourself', 'yourselves',
  'he', 'him', 'his', 'himself', 'she', 'her', 'hers', 'herself',
  'it', 'its', 'itself', 'they', 'them', 'their', 'theirs', 'themselves',
  'what', 'which', 'who', 'whom', 'this', 'that', 'these', 'those',
  'am', 'is', 'are', 'was', 'were', 'be', 'been', 'being',
  'have', 'has', 'had', 'having', 'do', 'does', 'did', 'doing',
  'a', 'an', 'the', 'and', 'but', 'if', 'or', 'because', 'as', 'until', 'while',
  'of', 'at', 'by', 'for', 'with', 'about', 'against', 'between', 'into', 'through',
  'during', 'before', 'after', 'above', 'below', 'to', 'from', 'up', 'down',
  'in', 'out', 'on', 'off', 'over', 'under', 'again', 'further', 'then', 'once',
  'here', 'there', 'when', 'where', 'why', 'how', 'all', 'any', 'both', 'each',
  'few', 'more', 'most', 'other', 'some', 'such', 'no', 'nor', 'not', 'only',
  'own', 'same', 'so', 'than', 'too', 'very', 'can', 'will', 'just', 'should', 'now',
  // Pieces of contractions and possessives after splitting at the apostrophe.
  's', 't', 'd', 'll', 'm', 're', 've', 'don', 'ain', 'aren', 'couldn', 'didn',
  'doesn', 'hadn', 'hasn', 'haven', 'isn', 'mightn', 'mustn', 'needn', 'shan',
  'shouldn', 'wasn', 'weren', 'wouldn',
]);

export function isStopWord(lowercaseToken: string): boolean {
  return ENGLISH_STOP_WORDS.has(lowercaseToken);
}
