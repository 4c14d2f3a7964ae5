import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { ENGLISH_STOP_WORDS, isStopWord } from './stopwords';

describe('ENGLISH_STOP_WORDS', () => {
  it('is a classic short list', () => {
    assert.ok(ENGLISH_STOP_WORDS.size >= 120 && ENGLISH_STOP_WORDS.size <= 180, `size ${ENGLISH_STOP_WORDS.size}`);
  });

  it('holds function words and the pieces of split contractions', () => {
    for (const word of ['the', 'a', 'and', 'of', 'is', 'which', 'don', 't', 's', 'll']) {
      assert.ok(isStopWord(word), word);
    }
  });

  it('does not hold content words', () => {
    for (const word of ['information', 'search', 'library', 'data', 'system', 'won']) {
      assert.ok(!isStopWord(word), word);
    }
  });

  it('is stored in the form the tokenizer produces: lowercase letters, no apostrophes', () => {
    for (const word of ENGLISH_STOP_WORDS) assert.match(word, /^[a-z]+$/);
  });
});
