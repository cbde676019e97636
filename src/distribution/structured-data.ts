/**
 * schema.org `NewsArticle` for an article locale, typed with schema-dts: what Google News and
 * other crawlers read from a story page. Dates are the kept ones (datePublished = the locale's
 * first publication; dateModified = the newest update or correction, never Strapi's updatedAt);
 * every URL is absolute on the site. `about` holds the entities the headline names (by name or
 * alias), `mentions` the other entities the story names; each links its Wikidata item.
 */
import type { CorrectionComment, ImageObject, NewsArticle, NewsMediaOrganization, Organization, Person, Thing, WithContext } from 'schema-dts';
import type { Env } from '../env';
import type { Row } from '../reads/article-loader';
import { renditions } from './media';
import { articleUrl, dateModified, datePublished } from './published';
import type { Site } from './site';

const wikidata = (entity: Row): string | undefined => (typeof entity.wikidataId === 'string' && entity.wikidataId ? `https://www.wikidata.org/wiki/${entity.wikidataId}` : undefined);

const entityUrl = (site: Site, entity: Row) => site.pageUrl('entity', { slug: String(entity.slug), documentId: String(entity.documentId) }) ?? undefined;

export function publisherOf(site: Site): NewsMediaOrganization {
  return {
    '@type': 'NewsMediaOrganization',
    name: site.name,
    url: site.url,
    ...(site.logoUrl ? { logo: { '@type': 'ImageObject', url: site.logoUrl } } : {}),
  };
}

function thing(site: Site, entity: Row): Thing {
  const type = entity.kind === 'person' ? 'Person' : entity.kind === 'organization' ? 'Organization' : entity.kind === 'country' ? 'Country' : entity.kind === 'place' ? 'Place' : entity.kind === 'event' ? 'Event' : 'Thing';
  const sameAs = wikidata(entity);
  const url = entityUrl(site, entity);
  return { '@type': type, name: String(entity.name), ...(url ? { url } : {}), ...(sameAs ? { sameAs } : {}) } as Thing;
}

function byline(site: Site, author: Row): Person | Organization {
  return thing(site, author) as Person | Organization;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether the headline names the entity (its name or an alias, as a whole word). */
export function headlineNames(title: string, entity: Row): boolean {
  const names = [entity.name, ...(Array.isArray(entity.aliases) ? entity.aliases : [])].filter((n): n is string => typeof n === 'string' && n.length > 1);
  return names.some((n) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(n)}($|[^\\p{L}\\p{N}])`, 'u').test(title));
}

/** The hero image's renditions as ImageObjects, largest first. */
function images(env: Env, site: Site, hero: Row | null | undefined): ImageObject[] {
  if (!hero) return [];
  const caption = typeof hero.caption === 'string' ? hero.caption : undefined;
  const credit = typeof hero.credit === 'string' && hero.credit ? hero.credit : undefined;
  const agency = typeof hero.agency === 'string' && hero.agency ? hero.agency : undefined;
  return renditions(env, site, hero.asset as Row | null).map((r) => ({
    '@type': 'ImageObject',
    url: r.url,
    contentUrl: r.url,
    ...(r.width ? { width: { '@type': 'QuantitativeValue', value: r.width, unitCode: 'E37' } } : {}),
    ...(r.height ? { height: { '@type': 'QuantitativeValue', value: r.height, unitCode: 'E37' } } : {}),
    ...(caption ? { caption } : {}),
    ...(credit ? { creditText: credit } : {}),
    ...(agency ? { copyrightHolder: { '@type': 'Organization', name: agency } } : {}),
  }));
}

/** An article row populated as the REST view populates it (populateArticles). */
export function newsArticle(env: Env, site: Site, article: Row): WithContext<NewsArticle> {
  const url = articleUrl(site, article) ?? site.url;
  const title = String(article.title);
  const entities = (article.entities ?? []) as Row[];
  const authors = (article.authors ?? []) as Row[];
  const corrections = ((article.updates ?? []) as Row[]).filter((u) => u.kind === 'correction');
  const about = entities.filter((e) => headlineNames(title, e));
  const mentions = entities.filter((e) => !about.includes(e));
  const image = images(env, site, article.heroImage as Row | null);
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: title,
    ...(typeof article.standfirst === 'string' && article.standfirst ? { description: article.standfirst } : {}),
    url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    inLanguage: String(article.locale),
    datePublished: datePublished(article).toISOString(),
    dateModified: dateModified(article).toISOString(),
    author: authors.length > 0 ? authors.map((a) => byline(site, a)) : [publisherOf(site)],
    publisher: publisherOf(site),
    ...(image.length > 0 ? { image } : {}),
    ...(about.length > 0 ? { about: about.map((e) => thing(site, e)) } : {}),
    ...(mentions.length > 0 ? { mentions: mentions.map((e) => thing(site, e)) } : {}),
    ...(corrections.length > 0
      ? {
          correction: corrections.map(
            (c): CorrectionComment => ({ '@type': 'CorrectionComment', text: String(c.note), ...(c.at ? { datePublished: new Date(String(c.at)).toISOString() } : {}) }),
          ),
        }
      : {}),
  };
}
