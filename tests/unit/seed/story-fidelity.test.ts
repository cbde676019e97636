/**
 * The seed data is the scrape, structured: rebuilding the scrape's lines from it gives back
 * exactly the non-residue lines of source.txt, in order. A changed apostrophe, a lost paragraph
 * or a reordered section fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { entities, story } from '../../../database/seed/story/story';

const source = readFileSync(path.resolve(__dirname, '../../../database/seed/story/source.txt'), 'utf8');

/** The scrape's residue: the stray analytics comment, the title repeated after the dateline, layout whitespace. */
function contentLines(text: string): string[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  expect(lines[0]).toBe('!-- Google tag (gtag.js) -->');
  const withoutTag = lines.slice(1);
  const datelineAt = withoutTag.indexOf(story.datelineAsPrinted);
  expect(withoutTag[datelineAt + 1]).toBe(withoutTag[0]);
  withoutTag.splice(datelineAt + 1, 1);
  return withoutTag;
}

function rebuiltLines(): string[] {
  return [
    story.title,
    story.standfirst,
    story.datelineAsPrinted,
    `IMAGE SOURCE: ${story.heroImage.agency}/${story.heroImage.credit}`,
    story.heroImage.caption,
    ...story.sections.flatMap((s) => [...(s.heading ? [s.heading] : []), ...s.paragraphs]),
  ];
}

describe('the story seed', () => {
  it('holds every line of the source, in order, and nothing else', () => {
    expect(rebuiltLines()).toEqual(contentLines(source));
  });

  it('keeps the source’s typographic apostrophes', () => {
    expect(story.title).toContain('China’s');
    expect(JSON.stringify(story)).not.toContain("'s ");
  });

  it('has no residue: no markup, tabs or padding in any string', () => {
    const strings = JSON.stringify({ story, entities }).match(/"(?:[^"\\]|\\.)*"/g) ?? [];
    for (const s of strings) {
      expect(s).not.toMatch(/<|-->|\\t|^" | "$/);
    }
  });

  it('starts with the untitled lead, then the three headed sections', () => {
    expect(story.sections.map((s) => s.heading)).toEqual([null, 'Xi-Biden Talks', 'China-Russia Ties', 'US Sanctions']);
    expect(story.sections.map((s) => s.paragraphs.length)).toEqual([1, 2, 2, 4]);
  });

  it('dates the story and the photo as the source does', () => {
    expect(story.dateline).toBe('2024-04-10');
    expect(new Date(`${story.dateline}T00:00:00Z`).toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' })).toBe(
      story.datelineAsPrinted,
    );
    expect(story.heroImage.caption).toContain('15 November 2023');
    expect(story.heroImage.takenAt).toBe('2023-11-15');
    expect(story.heroImage.caption).toContain(story.heroImage.location);
  });

  it.each(entities.map((e) => [e.name, e] as const))('entity %s is named in the source', (_name, entity) => {
    const names = [entity.name, ...entity.aliases];
    expect(names.some((n) => source.includes(n))).toBe(true);
    for (const alias of entity.aliases) expect(source).toContain(alias);
    if (entity.description) expect(source).toContain(entity.description);
  });

  it('gives people the roles the source gives them', () => {
    const role = (slug: string) => entities.find((e) => e.slug === slug)?.description;
    expect(role('joe-biden')).toBe('US President');
    expect(role('xi-jinping')).toBe('Chinese President');
    expect(role('adrienne-watson')).toBe('spokesperson for the White House National Security Council');
    expect(role('antony-blinken')).toBe('Secretary of State');
    expect(role('janet-yellen')).toBe('Treasury Secretary');
    expect(source).toContain('Adrienne Watson, spokesperson for the White House National Security Council');
    expect(source).toContain('Secretary of State Antony Blinken');
    expect(source).toContain('Treasury Secretary Janet Yellen');
  });

  it('links the article to every entity once, and the photo to the two presidents', () => {
    expect(new Set(story.entities).size).toBe(story.entities.length);
    expect([...story.entities].sort()).toEqual(entities.map((e) => e.slug).sort());
    expect(story.heroImage.depicts).toEqual(['joe-biden', 'xi-jinping']);
  });

  it('uses slugs and Wikidata ids of the documented shape', () => {
    for (const e of entities) {
      expect(e.slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      if (e.wikidataId) expect(e.wikidataId).toMatch(/^Q[1-9]\d*$/);
    }
    expect(new Set(entities.map((e) => e.slug)).size).toBe(entities.length);
  });
});
