/**
 * Seeds the first story: its entities, the hero image (uploaded through Strapi's real upload
 * pipeline, so image formats are generated) and the published English article.
 *
 * Idempotent: each piece is looked up by its stable key (entity slug, upload file name, image
 * asset, article slug + locale) and only created when absent, so running twice leaves the same
 * rows and an editor's later changes are kept. It runs under the boot lock, so N processes
 * seeding together seed once.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { withBootLock } from '../../src/setup/boot-lock';
import { entities, story, type ImageSeed, type SectionSeed } from './story/story';

const STORY_DIR = path.join('database', 'seed', 'story');

export interface SeedResult {
  created: { entities: number; image: boolean; article: boolean };
  articleDocumentId: string;
}

/** Strapi blocks for a section's paragraphs: one paragraph block each. */
export function toBlocks(paragraphs: string[]) {
  return paragraphs.map((text) => ({ type: 'paragraph' as const, children: [{ type: 'text' as const, text }] }));
}

export function toSection(section: SectionSeed) {
  return { heading: section.heading ?? undefined, body: toBlocks(section.paragraphs) };
}

async function ensureEntities(strapi: Core.Strapi): Promise<{ ids: Map<string, string>; created: number }> {
  const ids = new Map<string, string>();
  let created = 0;
  for (const entity of entities) {
    const found = await strapi.documents('api::entity.entity').findFirst({ filters: { slug: entity.slug }, fields: ['documentId'] });
    if (found) {
      ids.set(entity.slug, found.documentId);
      continue;
    }
    const doc = await strapi.documents('api::entity.entity').create({
      data: {
        name: entity.name,
        slug: entity.slug,
        kind: entity.kind,
        description: entity.description ?? undefined,
        aliases: entity.aliases,
        wikidataId: entity.wikidataId ?? undefined,
      },
    });
    ids.set(entity.slug, doc.documentId);
    created += 1;
  }
  return { ids, created };
}

async function ensureUpload(strapi: Core.Strapi, appDir: string, image: ImageSeed): Promise<number> {
  const existing = await strapi.db.query('plugin::upload.file').findOne({ where: { name: image.file }, select: ['id'] });
  if (existing) return existing.id as number;

  const filepath = path.join(appDir, STORY_DIR, image.file);
  const { size } = await fs.stat(filepath);
  const [file] = await strapi.plugin('upload').service('upload').upload({
    data: { fileInfo: { name: image.file, caption: image.caption, alternativeText: image.altText } },
    files: { filepath, originalFilename: image.file, mimetype: image.mime, size },
  });
  return file.id as number;
}

async function ensureImage(
  strapi: Core.Strapi,
  appDir: string,
  entityIds: Map<string, string>,
): Promise<{ documentId: string; created: boolean }> {
  const image = story.heroImage;
  const fileId = await ensureUpload(strapi, appDir, image);
  const found = await strapi.documents('api::image.image').findFirst({ filters: { asset: { id: fileId } }, fields: ['documentId'] });
  if (found) return { documentId: found.documentId, created: false };

  const doc = await strapi.documents('api::image.image').create({
    data: {
      asset: fileId,
      caption: image.caption,
      altText: image.altText,
      credit: image.credit,
      agency: image.agency,
      takenAt: image.takenAt,
      location: image.location,
      depicts: image.depicts.map((slug) => requireId(entityIds, slug)),
      licence: image.licence,
      ...(image.rightsExpireAt ? { rightsExpireAt: image.rightsExpireAt } : {}),
    },
  });
  return { documentId: doc.documentId, created: true };
}

function requireId(ids: Map<string, string>, slug: string): string {
  const id = ids.get(slug);
  if (!id) throw new Error(`seed: story names unknown entity "${slug}"`);
  return id;
}

async function ensureArticle(
  strapi: Core.Strapi,
  imageDocumentId: string,
  entityIds: Map<string, string>,
): Promise<{ documentId: string; created: boolean }> {
  const found = await strapi
    .documents('api::article.article')
    .findFirst({ locale: story.locale, status: 'draft', filters: { slug: story.slug }, fields: ['documentId'] });
  if (found) {
    await dateFirstPublication(strapi, found.documentId, false);
    return { documentId: found.documentId, created: false };
  }

  const doc = await strapi.documents('api::article.article').create({
    locale: story.locale,
    status: 'published',
    data: {
      title: story.title,
      slug: story.slug,
      standfirst: story.standfirst,
      dateline: story.dateline,
      sections: story.sections.map(toSection),
      heroImage: imageDocumentId,
      entities: story.entities.map((slug) => requireId(entityIds, slug)),
    },
  });
  await dateFirstPublication(strapi, doc.documentId, true);
  return { documentId: doc.documentId, created: true };
}

/**
 * The story was first published on its dateline, not when this database was seeded. The source
 * gives the day only: midnight UTC of it. A database seeded before firstPublishedAt existed gets
 * it too; one an editor has since republished keeps its own.
 */
async function dateFirstPublication(strapi: Core.Strapi, documentId: string, created: boolean): Promise<void> {
  const where = { documentId, locale: story.locale, ...(created ? {} : { firstPublishedAt: null }) };
  await strapi.db.query('api::article.article').updateMany({ where, data: { firstPublishedAt: new Date(`${story.dateline}T00:00:00.000Z`) } });
}

export async function seedStory(strapi: Core.Strapi, appDir: string): Promise<SeedResult> {
  return withBootLock(strapi, async () => {
    const { ids, created: entitiesCreated } = await ensureEntities(strapi);
    const image = await ensureImage(strapi, appDir, ids);
    const article = await ensureArticle(strapi, image.documentId, ids);
    return {
      created: { entities: entitiesCreated, image: image.created, article: article.created },
      articleDocumentId: article.documentId,
    };
  });
}
