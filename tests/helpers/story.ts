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
