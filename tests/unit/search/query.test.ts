import fc from 'fast-check';
import { parseQuery, toFts5, toTsquery } from '../../../src/search/query';
import { fragments, highlightAll } from '../../../src/search/highlight';

describe('what a reader’s q means', () => {
  it.each([
    ['sanctions china', '("sanction") AND (("china" OR "china"*))', "('sanction') & (('china' | 'china':*))"],
    ['"love the ocean"', '("love ocean")', "(('love' <-> 'ocean'))"],
    ['sanctions -banks', '(("sanction" OR "sanctions"*)) NOT ("bank")', "(('sanction' | 'sanctions':*)) & !('bank')"],
    ['china OR russia talks', '("china" OR "russia") AND (("talk" OR "talks"*))', "('china' | 'russia') & (('talk' | 'talks':*))"],
    ['e-mail', '("e mail")', "(('e' <-> 'mail'))"],
    ['the', null, null],
    ['-only', null, null],
    ['"unclosed phrase', '("unclos phrase")', "(('unclos' <-> 'phrase'))"],
  ])('%s', (q, fts, ts) => {
    const parsed = parseQuery(q, 'en');
    expect(toFts5(parsed)).toBe(fts);
    expect(toTsquery(parsed)).toBe(ts);
  });

  it('makes the last word a prefix only while it is being typed', () => {
    expect(parseQuery('sanct', 'en').clauses[0][0].prefix).toBe('sanct');
    expect(parseQuery('sanct ', 'en').clauses[0][0].prefix).toBeUndefined();
    expect(parseQuery('s', 'en').clauses[0][0].prefix).toBeUndefined();
  });

  it('restricts suggestions to titles on PostgreSQL', () => {
    expect(toTsquery(parseQuery('china sanct', 'en'), 'A')).toBe("('china':A) & (('sanct':A | 'sanct':*A))");
  });

  it('never lets what is typed reach FTS5 or tsquery as syntax (generated)', () => {
    const syntax = fc.constantFrom('"', '-', '*', '^', ':', '(', ')', 'NEAR', 'AND', 'OR', 'NOT', '{', '}', "'", '&', '|', '!', '<->', '\\', ' ', 'a', 'sanctions', '制裁');
    fc.assert(
      fc.property(fc.array(fc.oneof(syntax, fc.string({ maxLength: 4 })), { maxLength: 12 }), fc.constantFrom('en', 'ru', 'uk', 'zh-Hans' as const), (parts, locale) => {
        const parsed = parseQuery(parts.join(''), locale);
        const fts = toFts5(parsed);
        const ts = toTsquery(parsed);
        expect(fts === null).toBe(ts === null);
        // Outside the quoted terms only our own operators remain.
        if (fts) expect(fts.replace(/"[\p{L}\p{N} ]+"\*?/gu, 'T')).toMatch(/^[T()\s]*(?:(?:AND|OR|NOT)[T()\s]*)*$/u);
        if (ts) expect(ts.replace(/'[\p{L}\p{N}]+'(?::\*?A?|:A)?/gu, 'T')).toMatch(/^[T()\s&|!<\->]*$/u);
      }),
      { seed: 4_211, numRuns: 500 },
    );
  });
});

describe('highlights', () => {
  const wanted = { terms: new Set(['sanction']), prefixes: [] as string[] };
  it('marks matches and escapes everything else', () => {
    expect(highlightAll('<b>Sanctions</b> & more', 'en', wanted)).toBe('&lt;b&gt;<mark>Sanctions</mark>&lt;/b&gt; &amp; more');
  });
  it('cuts fragments at word boundaries, at most three', () => {
    const body = Array.from({ length: 10 }, (_, i) => `Paragraph ${i} talks about many things before the sanctions arrive and long after that too.`).join('\n');
    const out = fragments(body, 'en', wanted);
    expect(out).toHaveLength(3);
    for (const f of out) {
      expect(f).toContain('<mark>sanctions</mark>');
      const inner = f.replace(/^… /, '').replace(/ …$/, '');
      expect(body.replace(/\n/g, ' ')).toContain(inner.replace(/<\/?mark>/g, ''));
    }
  });
});
