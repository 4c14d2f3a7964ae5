import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { inspectQuery } from './query-guard';

/** A file of `shared/data/cisi` beside the repository (or beside a folder that holds worktrees of it). */
function cisiFile(name: string): string {
  let directory = resolve(__dirname, '../../../..');
  for (;;) {
    const file = join(directory, 'shared/data/cisi', name);
    if (existsSync(file)) return readFileSync(file, 'utf8');
    if (dirname(directory) === directory) throw new Error(`shared/data/cisi/${name} not found beside the repository`);
    directory = dirname(directory);
  }
}

function cisiQueries(): string[] {
  return cisiFile('CISI.QRY')
    .split(/^\.I /m)
    .slice(1)
    .map((record) => record.split(/^\.W\s*$/m)[1]?.split(/^\.[A-Z]\s*$/m)[0]?.trim() ?? '')
    .filter((query) => query.length > 0);
}

/** Every 40-word passage of the collection's 1,460 records: long prose with citations, numbers and codes. */
function cisiPassages(): string[] {
  const passages: string[] = [];
  for (const record of cisiFile('CISI.ALL').split(/^\.I /m).slice(1)) {
    const words = record.replace(/^\.[A-Z]\s*$/gm, ' ').split(/\s+/).filter(Boolean);
    for (let i = 0; i + 40 <= words.length; i += 40) passages.push(words.slice(i, i + 40).join(' '));
  }
  return passages;
}

/** What Deep Research and people send: keyword strings with codes, versions and numbers, and other scripts. */
const KEYWORD_QUERIES = [
  'RTX 4090 vs RX 7900 XTX vs Arc A770 benchmark',
  'iPhone 15 Pro vs Galaxy S24 Ultra vs Pixel 9 Pro XL camera comparison',
  'MacBook Pro M3 Max 16-inch 48GB 1TB vs M2 Ultra Mac Studio',
  'Llama-3.1-70B-Instruct vs GPT-4o vs Claude 3.5 Sonnet MMLU',
  'Q3 2026 board meeting restructuring options EBITDA margin',
  'ISO 27001 Annex A controls A.5.1 A.8.2 mapping to SOC 2 CC6.1',
  'Kubernetes 1.31 kube-proxy IPVS mode conntrack tuning',
  'PostgreSQL 15 pg_stat_statements shared_buffers work_mem recommendations',
  'SHA-256 vs MD5 vs BLAKE3 collision resistance',
  'HbA1c 6.5% threshold type 2 diabetes diagnosis WHO 2011 guidance',
  'COVID-19 mRNA-1273 BNT162b2 efficacy against B.1.1.529 Omicron',
  'IPv6 2001:db8::/32 documentation prefix RFC 3849',
  'ECMAScript 2024 Array.prototype.toSorted Object.groupBy support Node 20',
  'GDPR Art. 6(1)(f) legitimate interest balancing test EDPB guidelines 1/2024',
  'W-2 W-4 1099-NEC filing deadlines 2026',
  'H2O2 H2SO4 NaOH CaCO3 reaction safety data sheet',
  'Boeing 737 MAX 8 MCAS AoA sensor redundancy FAA AD 2020-24-02',
  'AWS us-east-1 eu-west-2 ap-southeast-1 latency S3 GP3 IOPS',
  'OAuth 2.1 PKCE S256 code_challenge RFC 7636 RFC 9700',
  'x86_64 aarch64 arm64e armv7l riscv64 toolchain',
  'vendor contracts renewal dates 2024 2025 2026 2027 2028 2029',
  'top 10% 20% 30% 40% earners tax brackets',
  'sizes 36 38 40 42 44 46 48 50 52',
  'test scores 88 92 75 64 99 81 70 77 85 90',
  'registers 0x10 0x20 0x30 0x40 memory map',
  'meet the team at acme dot example',
  'part numbers 3d4f 2b1a cafe beef',
  'hex color codes #1a2b3c #ffcc00 brand palette',
  'invoice numbers INV-2024-0012 INV-2024-0013 INV-2024-0014',
  "what's the company's policy on remote work and who's eligible",
  'Wie beantrage ich Elternzeit bei der Müller GmbH in München?',
  'Quelle est la politique de télétravail pour les employés à Lyon ?',
  'Как оформить командировку в Санкт-Петербург',
  'Πολιτική άδειας μητρότητας στην Αθήνα',
  '東京オフィスの経費精算の締め切りはいつですか',
  'ｆｕｌｌｗｉｄｔｈ ｋｅｙｂｏａｒｄ ｓｅａｒｃｈ ２０２６',
  'What were the main findings of the 2023 annual security audit, and which remediation items from the previous year remain open?',
];

describe('query guard: legitimate queries pass', () => {
  it('blocks none of the CISI test collection queries, as sentences or as keyword strings', () => {
    const queries = cisiQueries();
    assert.ok(queries.length >= 100, `${queries.length} queries`);
    for (const query of queries) {
      assert.deepEqual(inspectQuery(query, 4096), [], query);
      const keywords = query.replace(/[^\w\s]/g, ' ');
      assert.deepEqual(inspectQuery(keywords, 4096), [], keywords);
    }
  });

  it('flags under 1 % of 10,000 passages of scholarly prose, and then only as a phone number (page references)', () => {
    const passages = cisiPassages();
    assert.ok(passages.length > 10_000, `${passages.length} passages`);
    const flagged = passages.map((p) => inspectQuery(p, 4096)).filter((f) => f.length > 0);
    assert.ok(flagged.length < passages.length / 100, `${flagged.length} of ${passages.length}`);
    expect([...new Set(flagged.flat().map((f) => f.rule))]).toStrictEqual(['phone']);
  });

  it('blocks none of a set of keyword strings with codes, versions and numbers, and of queries in other scripts', () => {
    for (const query of KEYWORD_QUERIES) assert.deepEqual(inspectQuery(query, 4096), [], query);
  });
});
