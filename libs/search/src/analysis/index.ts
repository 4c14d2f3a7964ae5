export { analyze, analyzeQuery, termFrequencies, type WeightedTerm } from './analyzer';
export { normalizeText } from './normalize';
export { ENGLISH_STOP_WORDS, isStopWord } from './stopwords';
export { MAX_TOKEN_LENGTH, tokenize } from './tokenize';
