/**
 * Suggestions from the vocabulary, and candidates for new entities, on the first story.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { entities } from '../../../database/seed/story/story';
import { suggestCandidates } from '../../../src/ingest/candidates';
import { parseText } from '../../../src/ingest/formats/text';
import { emptyItem } from '../../../src/ingest/item';
import { findMentions, fold, suggestKnown, wikidataIdOf, type VocabularyEntry } from '../../../src/ingest/suggest';

const vocabulary: VocabularyEntry[] = entities.map((e) => ({ documentId: `doc-${e.slug}`, slug: e.slug, name: e.name, kind: e.kind, aliases: e.aliases, wikidataId: e.wikidataId }));
const story = parseText(readFileSync(path.join(__dirname, '../../../database/seed/story/source.txt'), 'utf8'));
const names = (text: string, v = vocabulary) => findMentions(text, v).map((m) => `${text.slice(m.start, m.end)}=${m.entry.slug}`);

describe('matching names', () => {
  it.each([
    ['President Joe Biden met Xi.', ['Joe Biden=joe-biden', 'Xi=xi-jinping']],
    ['China’s foreign ministry said', ['China’s foreign ministry=chinese-foreign-ministry']],
    ['China’s support', ['China=china']],
    ['the Russia-Ukraine conflict', ['Russia-Ukraine conflict=russia-ukraine-conflict']],
    ['Xi-Biden Talks', ['Xi=xi-jinping', 'Biden=joe-biden']],
    ['they told us that the US would', ['US=united-states']],
    ['Chinaware and Iranian rugs', []],
    ['MOSCOW (Reuters) -', ['MOSCOW=moscow']],
  ])('%s', (text, expected) => expect(names(text)).toEqual(expected));

  it('folds diacritics and case', () => {
    const v: VocabularyEntry[] = [{ documentId: 'd', slug: 'sao-paulo', name: 'São Paulo', kind: 'place', aliases: [], wikidataId: null }];
    expect(names('in sao paulo and SÃO PAULO', v)).toEqual(['sao paulo=sao-paulo', 'SÃO PAULO=sao-paulo']);
    expect(fold('Café’s').folded).toBe("cafe's");
  });

  it('reads Wikidata ids from URIs and qcodes', () => {
    expect(['http://www.wikidata.org/entity/Q6279', 'https://www.wikidata.org/wiki/Q148', 'wd:Q30', 'Q7747', 'http://cvx.iptc.org/iso3166-1a2/it'].map(wikidataIdOf)).toEqual(['Q6279', 'Q148', 'Q30', 'Q7747', null]);
  });
});

describe('the first story with its 23 entities in the vocabulary', () => {
  const known = suggestKnown(story, vocabulary);

  it('suggests all 23 and nothing else (precision and recall 1.0)', () => {
    expect(known.map((k) => k.slug).sort()).toEqual(entities.map((e) => e.slug).sort());
  });

  it('counts mentions and the first offset', () => {
    const china = known.find((k) => k.slug === 'china')!;
    expect(china.count).toBeGreaterThan(5);
    expect(china.firstOffset).toBe(story.headline!.indexOf('China'));
  });

  it('matches a code the item carries first', () => {
    const item = { ...emptyItem('ninjs'), headline: 'A meeting', concepts: [{ name: 'Joe Biden', kind: 'person' as const, uri: 'http://www.wikidata.org/entity/Q6279' }] };
    expect(suggestKnown(item, vocabulary)).toEqual([expect.objectContaining({ slug: 'joe-biden', via: 'code', count: 0, firstOffset: null })]);
  });
});

describe('candidates with an empty vocabulary', () => {
  it('finds the story’s entities by their names (precision and recall measured against the 23)', () => {
    const candidates = suggestCandidates(story, []);
    const key = (s: string) => fold(s).folded;
    const matched = candidates.filter((c) => entities.some((e) => [e.name, ...e.aliases].some((n) => key(n) === key(c.name))));
    const recalled = new Set(matched.map((c) => entities.find((e) => [e.name, ...e.aliases].some((n) => key(n) === key(c.name)))!.slug));
    const precision = matched.length / candidates.length;
    const recall = recalled.size / entities.length;
    // The rules were written on this story; bench:ingest measures them on other text too.
    expect(precision).toBeGreaterThanOrEqual(0.8);
    expect(recall).toBeGreaterThanOrEqual(0.8);
  });

  it('never proposes what the vocabulary holds', () => {
    expect(suggestCandidates(story, vocabulary)).toEqual([]);
  });

  it('strips titles and suggests a kind', () => {
    const item = { ...emptyItem('text'), sections: [{ heading: null, body: [{ type: 'paragraph' as const, children: [{ type: 'text' as const, text: 'Treasury Secretary Janet Yellen met officials of the European Central Bank in Woodside, California, on Monday.' }] }] }] };
    expect(suggestCandidates(item, []).map((c) => `${c.name}:${c.kind}`)).toEqual(['Janet Yellen:person', 'European Central Bank:organization', 'Woodside, California:place']);
  });
});
