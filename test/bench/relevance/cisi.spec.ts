import { describe, expect, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { parseCisiDocuments, parseCisiQrels, parseCisiQueries } from './cisi';

const DOCUMENTS = [
  '.I 1',
  '.T',
  '18 Editions of the Dewey',
  'Decimal Classifications',
  '.A',
  'Comaromi, J.P.',
  '.W',
  '   The present study is a history',
  'of the DEWEY Decimal Classification.',
  '.5 percent of lines may start with a dot.',
  '.X',
  '1\t5\t1',
  '92\t1\t1',
  '.I 2',
  '.T ',
  'Use Made of Technical Libraries',
  '.A ',
  'Slater, M.',
  '.A',
  'Second, A.',
  'Third, B.',
  '.B',
  '1970',
  '.W',
  'This report is an analysis.',
  '.K ',
  'keywords, here',
].join('\r\n');

describe('parseCisiDocuments', () => {
  const docs = parseCisiDocuments(DOCUMENTS);

  it('reads every record with its id', () => {
    expect(docs.map((doc) => doc.id)).toStrictEqual(['1', '2']);
  });

  it('joins a title spread over several lines', () => {
    assert.equal(docs[0].title, '18 Editions of the Dewey Decimal Classifications');
  });

  it('reads the abstract up to the next field, keeping lines that start with a dot', () => {
    assert.equal(
      docs[0].text,
      'The present study is a history\nof the DEWEY Decimal Classification.\n.5 percent of lines may start with a dot.',
    );
    assert.equal(docs[1].text, 'This report is an analysis.');
  });

  it('collects authors from every author field', () => {
    assert.equal(docs[0].authors, 'Comaromi, J.P.');
    assert.equal(docs[1].authors, 'Slater, M.; Second, A.; Third, B.');
  });
});

describe('parseCisiQueries', () => {
  it('takes the .W text of each query, over several lines', () => {
    const queries = parseCisiQueries(
      '.I 1\n.W\nWhat problems are there\nin making titles?\n.I 58\n.T\nDirections in Networking\n.A\nAvram, H.D.\n.W\n    Bibliographic control.\n.B\n1980\n',
    );
    expect(queries).toStrictEqual([
      { id: '1', text: 'What problems are there\nin making titles?' },
      { id: '58', text: 'Bibliographic control.' },
    ]);
  });
});

describe('parseCisiQrels', () => {
  it('reads whitespace-separated columns into sets per query', () => {
    const qrels = parseCisiQrels('     1     28\t0\t0.000000\r\n     1     35\t0\t0.000000\n 2 7 0 0.0\n\n');
    expect([...qrels.keys()]).toStrictEqual(['1', '2']);
    expect([...qrels.get('1')!]).toStrictEqual(['28', '35']);
    expect([...qrels.get('2')!]).toStrictEqual(['7']);
  });
});
