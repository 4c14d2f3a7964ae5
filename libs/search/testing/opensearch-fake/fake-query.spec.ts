import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minimumShouldMatch } from './fake-query';

describe('fake OpenSearch: minimum_should_match', () => {
  it('follows the documented OpenSearch semantics', () => {
    // Examples from the OpenSearch minimum_should_match reference.
    assert.equal(minimumShouldMatch(5, '3'), 3);
    assert.equal(minimumShouldMatch(5, '-2'), 3);
    assert.equal(minimumShouldMatch(7, '75%'), 5);
    assert.equal(minimumShouldMatch(7, '-25%'), 6);
    assert.equal(minimumShouldMatch(3, '3<90%'), 3);
    assert.equal(minimumShouldMatch(10, '3<90%'), 9);
    assert.equal(minimumShouldMatch(2, '2<-25% 9<-3'), 2);
    assert.equal(minimumShouldMatch(8, '2<-25% 9<-3'), 6);
    assert.equal(minimumShouldMatch(12, '2<-25% 9<-3'), 9);
    assert.equal(minimumShouldMatch(3, '25%'), 0);
  });
});
