/**
 * Topic pages and related stories, from the links between published articles and the entities
 * they name (one locale at a time):
 * - a topic: the entity, how many published articles name it, and the ten entities most often
 *   named with it;
 * - related stories: published articles ranked by the entities they share with this one, each
 *   shared entity weighing 1 / (the articles naming it), so rarer entities count more; newer
 *   first on ties; never the article itself. Entities named by more than COMMON_DF articles add
 *   only their newest COMMON_SAMPLE articles as candidates (their weight is tiny, their lists
 *   long), and are counted only up to COMMON_DF + 1: the read stays flat as the archive grows.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Row } from '../reads/article-loader';

const ARTICLE = 'api::article.article';
const COMMON_DF = 2_000;
const COMMON_SAMPLE = 200;

interface Link {
  table: string;
  article: string;
  entity: string;
}

function linkOf(strapi: Core.Strapi): Link {
  const { joinTable } = strapi.db.metadata.get(ARTICLE).attributes.entities as unknown as {
    joinTable: { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string } };
  };
  return { table: joinTable.name, article: joinTable.joinColumn.name, entity: joinTable.inverseJoinColumn.name };
}

const knexOf = (strapi: Core.Strapi) => strapi.db.connection as unknown as Knex;
const articles = (strapi: Core.Strapi) => strapi.db.metadata.get(ARTICLE).tableName;

/** How many published articles of the locale name the entity. */
export async function articlesNamingCount(strapi: Core.Strapi, entityId: number, locale: string): Promise<number> {
  const knex = knexOf(strapi);
  const link = linkOf(strapi);
  const [row] = (await knex({ l: link.table })
    .join({ a: articles(strapi) }, 'a.id', `l.${link.article}`)
    .where(`l.${link.entity}`, entityId)
    .where('a.locale', locale)
    .whereNotNull('a.published_at')
    .count({ n: '*' })) as Array<{ n: number | string }>;
  return Number(row?.n ?? 0);
}

/** The entities most often named with this one in published articles of the locale. */
export async function namedWith(strapi: Core.Strapi, entityId: number, locale: string, limit = 10): Promise<Array<{ entityId: number; articles: number }>> {
  const knex = knexOf(strapi);
  const link = linkOf(strapi);
  const rows = (await knex({ l1: link.table })
    .join({ a: articles(strapi) }, 'a.id', `l1.${link.article}`)
    .join({ l2: link.table }, `l2.${link.article}`, `l1.${link.article}`)
    .where(`l1.${link.entity}`, entityId)
    .whereNot(`l2.${link.entity}`, entityId)
    .where('a.locale', locale)
    .whereNotNull('a.published_at')
    .groupBy(`l2.${link.entity}`)
    .select({ entityId: `l2.${link.entity}` })
    .count({ n: '*' })
    .orderBy([{ column: 'n', order: 'desc' }, { column: 'entityId', order: 'asc' }])
    .limit(limit)) as Array<{ entityId: number; n: number | string }>;
  return rows.map((r) => ({ entityId: Number(r.entityId), articles: Number(r.n) }));
}

/** The published articles (row ids) of the locale most related to `article` (a published row), best first. */
export async function relatedArticleIds(strapi: Core.Strapi, article: Row, limit: number): Promise<number[]> {
  const knex = knexOf(strapi);
  const link = linkOf(strapi);
  const table = articles(strapi);
  const locale = String(article.locale);
  const mine = ((await knex(link.table).where(link.article, Number(article.id)).select({ e: link.entity })) as Array<{ e: number }>).map((r) => Number(r.e));
  if (mine.length === 0) return [];
  const published = (q: Knex.QueryBuilder) => q.where('a.locale', locale).whereNotNull('a.published_at').whereNot('a.document_id', String(article.documentId));
  // How many published articles of the locale name each of the article's entities, counted up to
  // COMMON_DF + 1 only (past that an entity is common, whatever its count): one statement, each
  // count bounded, so the read does not grow with the archive.
  const df = new Map<number, number>();
  // (No bound value in the outer select: knex misplaces such bindings in a UNION.)
  const capped = (entity: number) =>
    knex
      .select(knex.raw('min(t.e) as e'), knex.raw('count(*) as n'))
      .from(
        knex({ l: link.table })
          .join({ a: table }, 'a.id', `l.${link.article}`)
          .where(`l.${link.entity}`, entity)
          .where('a.locale', locale)
          .whereNotNull('a.published_at')
          .select({ e: `l.${link.entity}` })
          .limit(COMMON_DF + 1)
          .as('t'),
      );
  // Not parenthesised: SQLite takes no parentheses around a UNION's members.
  const [first, ...rest] = mine.map(capped);
  const counts = (await (rest.length > 0 ? first.unionAll(rest) : first)) as Array<{ e: number | string | null; n: number | string }>;
  for (const c of counts) if (c.e !== null) df.set(Number(c.e), Number(c.n));
  const rare = mine.filter((e) => (df.get(e) ?? 0) > 0 && df.get(e)! <= COMMON_DF);
  const common = mine.filter((e) => df.get(e)! > COMMON_DF);

  type Candidate = { id: number; at: number; e: number };
  const candidates: Candidate[] = [];
  const select = { id: 'a.id', at: 'a.first_published_at', e: `l.${link.entity}` };
  if (rare.length > 0) {
    candidates.push(...((await published(knex({ l: link.table }).join({ a: table }, 'a.id', `l.${link.article}`).whereIn(`l.${link.entity}`, rare)).select(select)) as Candidate[]));
  }
  // Each common entity: its newest articles only, one indexed read each.
  for (const e of common) {
    candidates.push(
      ...((await published(knex({ l: link.table }).join({ a: table }, 'a.id', `l.${link.article}`).where(`l.${link.entity}`, e))
        .select(select)
        .orderBy([{ column: 'a.first_published_at', order: 'desc' }, { column: 'a.id', order: 'desc' }])
        .limit(COMMON_SAMPLE)) as Candidate[]),
    );
  }
  const score = new Map<number, { score: number; at: number }>();
  for (const c of candidates) {
    const s = score.get(Number(c.id)) ?? { score: 0, at: new Date(c.at as unknown as string | number).getTime() || 0 };
    s.score += 1 / df.get(Number(c.e))!;
    score.set(Number(c.id), s);
  }
  return [...score.entries()]
    .sort(([ia, a], [ib, b]) => b.score - a.score || b.at - a.at || ib - ia)
    .slice(0, limit)
    .map(([id]) => id);
}
