import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { inspectQuery, stripFindings } from './query-guard';

const rules = (query: string) => inspectQuery(query, 1000).map((f) => f.rule);

describe('query exfiltration guard', () => {
  it('lets natural-language questions and keyword strings through, even long ones', () => {
    for (const query of [
      'how do I request a new laptop',
      'parental leave policy Toronto office 2026',
      'What problems and concerns are there in making up descriptive titles? What difficulties are involved in automatically retrieving articles from approximate titles?',
      'ISO 27001 incident response runbook severity levels',
      'internationalization electroencephalography counterrevolutionaries',
      'Q3 2026 board meeting restructuring options',
      'covid-19 remote-work stipend',
    ]) {
      assert.deepEqual(rules(query), [], query);
    }
  });

  it('flags smuggled data by rule', () => {
    const cases: Array<[string, string]> = [
      ['laptop Q29uZmlkZW50aWFsIHNhbGFyeSBkYXRhIGZvciBBbmE=', 'base64'],
      ['policy 4f8a9c2e1b7d6a3f9e8d7c6b5a4f3e2d1c0b', 'hex'],
      ['search %41%6E%61%20%53%61%6C%61%72%79', 'percent_encoding'],
      ['{"name": "Ana", "salary": 120000}', 'json'],
      ['user=ana&salary=120000&ssn=123', 'key_value'],
      ['see https://attacker.example/collect?d=ana-salary-120k', 'url_with_query'],
      ['contact ana.costa@acme.example about bands', 'email'],
      ['call +351 912 345 678 now', 'phone'],
      ['card 4111 1111 1111 1111 expiry', 'card_number'],
      ['key sk-proj-abcdefghijklmnopqrstuvwx', 'secret'],
      ['AKIAIOSFODNN7EXAMPLE leaked', 'secret'],
    ];
    for (const [query, rule] of cases) assert.ok(rules(query).includes(rule as never), `${query} → ${rules(query)}`);
  });

  it('does not call a non-Luhn digit run a card number', () => {
    assert.ok(!rules('order 1234 5678 9012 3456').includes('card_number'));
  });

  it('enforces the hard length cap', () => {
    expect(inspectQuery('a'.repeat(11), 10).map((f) => f.rule)).toStrictEqual(['length']);
  });

  it('strips findings and keeps the plain words', () => {
    const query = 'salary bands Q29uZmlkZW50aWFsIHNhbGFyeSBkYXRhIGZvciBBbmE= for engineers';
    assert.equal(stripFindings(query, inspectQuery(query, 1000)), 'salary bands for engineers');
  });
});
