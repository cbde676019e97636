import { analyse, foldWord, tokenize } from '../../../src/search/analyse';
import { stemUkrainian } from '../../../src/search/ukrainian-stemmer';

describe('the analysers', () => {
  it.each([
    ['en', 'sanction sanctions sanctioned', ['sanction', 'sanction', 'sanction']],
    ['en', "China's growing support", ['china', 'grow', 'support']],
    ['en', 'the café and a cafe', ['cafe', 'cafe']],
    ['en', 'US warns allies', ['us', 'warn', alliesStem()]],
    ['ru', 'санкции санкций санкциями', ['санкц', 'санкц', 'санкц']],
    ['ru', 'банков банки банками', ['банк', 'банк', 'банк']],
    ['ru', 'всё ещё идёт', ['идет']],
    ['uk', 'санкції санкцій санкціями', ['санкц', 'санкц', 'санкц']],
    ['uk', 'Україна України Україною', ['украін', 'украін', 'украін']],
    ['zh-Hans', '美国制裁', ['美国', '国制', '制裁']],
    ['zh-Hans', '裁', ['裁']],
    ['zh-Hans', 'G7峰会', ['g7', '峰会']],
  ] as const)('%s: %s', (locale, text, terms) => {
    expect(analyse(text, locale)).toEqual(terms);
  });

  it('gives every term letters and digits only, whatever the text', () => {
    const text = 'a-b c.d e:f "g" h*i ^j (k) NEAR/2 {title}: ’quoted’ \u0000\u202e emoji😀 ﬁ Ⅻ';
    for (const locale of ['en', 'ru', 'uk', 'zh-Hans'] as const) for (const term of analyse(text, locale)) expect(term).toMatch(/^[\p{L}\p{N}]+$/u);
  });

  it('places each token in the text it came from', () => {
    const text = 'Sanctions on 美国制裁.';
    for (const t of tokenize(text, 'zh-Hans')) expect(foldWord(text.slice(t.start, t.end)).length).toBeGreaterThan(0);
    expect(tokenize(text, 'en').map((t) => text.slice(t.start, t.end))).toEqual(['Sanctions', '美国', '国制', '制裁']);
  });

  it('stems Ukrainian word forms together and keeps short words', () => {
    expect(new Set(['війна', 'війни', 'війні', 'війною'].map(stemUkrainian))).toEqual(new Set(['війн']));
    expect(stemUkrainian('як')).toBe('як');
  });
});

function alliesStem(): string {
  return analyse('allies', 'en')[0];
}
