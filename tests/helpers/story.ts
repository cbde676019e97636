/** What the seeded story must read back as, from the seed data (itself checked against the source). */
import { entities, story } from '../../database/seed/story/story';

export { entities, story };

export const expectedSections = story.sections.map((section) => ({
  heading: section.heading,
  body: section.paragraphs.map((text) => ({ type: 'paragraph', children: [{ type: 'text', text }] })),
}));

export const expectedEntities = story.entities.map((slug) => {
  const e = entities.find((x) => x.slug === slug)!;
  return { name: e.name, slug: e.slug, kind: e.kind, description: e.description, aliases: e.aliases, wikidataId: e.wikidataId };
});

/** The core route's query for everything the article view shows (what the view must equal). */
export const FULL_POPULATE =
  'populate[sections]=true&populate[updates]=true&populate[heroImage][populate][asset]=true&populate[heroImage][populate][depicts]=true' +
  '&populate[authors]=true&populate[entities]=true&populate[localizations][fields][0]=locale&populate[localizations][fields][1]=slug&populate[localizations][fields][2]=title';
