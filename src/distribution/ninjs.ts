/**
 * A published article locale as IPTC ninjs 2.2, for syndication partners: a stable tag URI (the
 * site's host, the document and locale), `version` = its revision (how many times this locale was
 * published, from the history), headlines, bodies as text and HTML (the feeds' HTML), `by`,
 * people/organisations/places/events/subjects from its entities with Wikidata URIs, and the hero as
 * an association with its renditions, caption, credit and rights. Valid against IPTC's schema
 * (src/ingest/schemas/ninjs-schema_2.2.json; tests check every answer).
 */
import type { Env } from '../env';
import type { Row } from '../reads/article-loader';
import { bodyHtml } from './body-html';
import { renditions } from './media';
import { articleUrl, datePublished, dateModified } from './published';
import type { Site } from './site';

type Json = Record<string, unknown>;

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

const WIKIDATA = (entity: Row) => (text(entity.wikidataId) ? `http://www.wikidata.org/entity/${String(entity.wikidataId)}` : undefined);

function concept(site: Site, entity: Row, rel: string): Json {
  const uri = WIKIDATA(entity) ?? site.pageUrl('entity', { slug: String(entity.slug), documentId: String(entity.documentId) }) ?? undefined;
  return { name: String(entity.name), rel, ...(uri ? { uri } : {}) };
}

/** Plain text of Strapi blocks: paragraphs separated by blank lines. */
function blocksText(blocks: unknown): string {
  const inline = (children: unknown): string =>
    (Array.isArray(children) ? children : []).map((c: Json) => (typeof c.text === 'string' ? c.text : inline(c.children))).join('');
  return (Array.isArray(blocks) ? blocks : [])
    .map((b: Json) => (b.type === 'list' ? (b.children as Json[]).map((li) => `- ${inline(li.children)}`).join('\n') : inline(b.children)))
    .filter(Boolean)
    .join('\n\n');
}

export function tagUri(site: Site, article: Row): string {
  const host = new URL(site.url).hostname;
  return `tag:${host},${datePublished(article).toISOString().slice(0, 10)}:article:${String(article.documentId)}:${String(article.locale)}`;
}

/** An article row populated as the REST view populates it, and its revision. */
export function ninjsArticle(env: Env, site: Site, article: Row, revision: number): Json {
  const entities = (article.entities ?? []) as Row[];
  const authors = (article.authors ?? []) as Row[];
  const sections = (article.sections ?? []) as Row[];
  const hero = article.heroImage as Row | null | undefined;
  const heroRenditions = hero ? renditions(env, site, hero.asset as Row | null) : [];
  const plain = sections.map((s) => [text(s.heading), blocksText(s.body)].filter(Boolean).join('\n\n')).join('\n\n');
  const html = bodyHtml(article, null);
  const url = articleUrl(site, article);
  const kind = (k: string) => entities.filter((e) => e.kind === k);
  const out: Json = {
    uri: tagUri(site, article),
    type: 'text',
    version: String(revision),
    firstcreated: datePublished(article).toISOString(),
    versioncreated: dateModified(article).toISOString(),
    pubstatus: 'usable',
    language: String(article.locale),
    headlines: [{ role: 'main', value: String(article.title) }],
    ...(text(article.standfirst) ? { descriptions: [{ role: 'summary', value: String(article.standfirst) }] } : {}),
    bodies: [
      { role: 'main', contenttype: 'text/plain', value: plain },
      { role: 'main', contenttype: 'text/html', value: html },
    ],
    ...(authors.length ? { by: authors.map((a) => String(a.name)).join(', ') } : {}),
    copyrightholder: site.name,
    ...(kind('person').length ? { people: kind('person').map((e) => concept(site, e, 'mentions')) } : {}),
    ...(kind('organization').length ? { organisations: kind('organization').map((e) => concept(site, e, 'mentions')) } : {}),
    ...([...kind('country'), ...kind('place')].length ? { places: [...kind('country'), ...kind('place')].map((e) => concept(site, e, 'mentions')) } : {}),
    ...(kind('event').length ? { events: kind('event').map((e) => concept(site, e, 'mentions')) } : {}),
    ...(kind('topic').length ? { subjects: kind('topic').map((e) => concept(site, e, 'about')) } : {}),
    ...(url ? { altids: [{ role: 'canonical', value: url }] } : {}),
  };
  if (hero && heroRenditions.length) {
    out.associations = [
      {
        name: 'hero',
        uri: `${out.uri as string}:hero:${String(hero.documentId)}`,
        type: 'picture',
        ...(text(hero.caption) ? { descriptions: [{ role: 'caption', value: String(hero.caption) }] } : {}),
        ...(text(hero.credit) ? { by: String(hero.credit) } : {}),
        ...(text(hero.agency) ? { copyrightholder: String(hero.agency) } : {}),
        ...(text(hero.usageTerms) ? { usageterms: String(hero.usageTerms) } : {}),
        renditions: heroRenditions.map((r, i) => ({
          name: i === 0 ? 'original' : `r${r.width ?? i}`,
          href: r.url,
          ...(r.mime ? { contenttype: r.mime } : {}),
          ...(r.width ? { width: r.width } : {}),
          ...(r.height ? { height: r.height } : {}),
        })),
      },
    ];
  }
  return out;
}
