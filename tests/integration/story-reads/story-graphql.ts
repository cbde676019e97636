import request from 'supertest';
import { useStrapi } from '../../helpers/strapi';
import { expectedEntities, expectedSections, story } from '../../helpers/story';

const app = useStrapi();

const STORY_QUERY = /* GraphQL */ `
  query Story($slug: String!, $locale: I18NLocaleCode) {
    articles(filters: { slug: { eq: $slug } }, locale: $locale) {
      documentId
      title
      slug
      standfirst
      dateline
      locale
      publishedAt
      sections { heading body }
      heroImage {
        caption altText credit agency takenAt location
        asset { name url mime width height formats }
        depicts { name slug }
      }
      entities(pagination: { limit: 100 }) { name slug kind description aliases wikidataId }
    }
  }
`;

async function graphql(query: string, variables: Record<string, unknown> = {}) {
  return request(app.server).post('/graphql').send({ query, variables });
}

describe('the seeded story over GraphQL', () => {
  it('reads back every field exactly as the source gives them', async () => {
    const res = await graphql(STORY_QUERY, { slug: story.slug, locale: 'en' });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.articles).toHaveLength(1);
    const [article] = res.body.data.articles;
    expect(article).toMatchObject({
      title: 'US Warns Allies of China’s Growing Support for Russia Amid Ukraine Conflict',
      slug: story.slug,
      standfirst: story.standfirst,
      dateline: '2024-04-10',
      locale: 'en',
    });
    expect(article.sections).toEqual(expectedSections);
    expect(article.heroImage).toMatchObject({
      caption: story.heroImage.caption,
      altText: story.heroImage.altText,
      credit: 'Kevin Lamarque',
      agency: 'REUTERS',
      takenAt: '2023-11-15',
      location: 'Woodside, California, US',
      depicts: [
        { name: 'Joe Biden', slug: 'joe-biden' },
        { name: 'Xi Jinping', slug: 'xi-jinping' },
      ],
    });
    expect(article.heroImage.asset).toMatchObject({ name: story.heroImage.file, mime: 'image/jpeg', width: 1200, height: 800 });
    expect(Object.keys(article.heroImage.asset.formats).sort()).toEqual(['large', 'medium', 'small', 'thumbnail']);
    expect(article.entities).toEqual(expectedEntities);
  });

  it('serves the same story by documentId', async () => {
    const list = await graphql(STORY_QUERY, { slug: story.slug });
    const { documentId } = list.body.data.articles[0];
    const res = await graphql(`query($id: ID!) { article(documentId: $id) { title sections { heading } } }`, { id: documentId });
    expect(res.body.data.article).toEqual({
      title: story.title,
      sections: story.sections.map((s) => ({ heading: s.heading })),
    });
  });

  it('pages with the configured limits', async () => {
    const res = await graphql(`{ entities_connection(pagination: { pageSize: 5 }) { nodes { slug } pageInfo { total pageSize pageCount } } }`);
    expect(res.body.data.entities_connection.nodes).toHaveLength(5);
    expect(res.body.data.entities_connection.pageInfo).toEqual({ total: 23, pageSize: 5, pageCount: 5 });
  });

  it('refuses a query deeper than depthLimit with a 400', async () => {
    const deep = `{ articles { heroImage { depicts { name } } entities { name } sections { heading } localizations { localizations { localizations { localizations { localizations { localizations { localizations { localizations { localizations { localizations { localizations { title } } } } } } } } } } } } }`;
    const res = await graphql(deep);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/exceeds maximum operation depth of 10/);
  });

  it('answers an unknown field or a syntax error with a 400 naming it', async () => {
    const unknown = await graphql(`{ articles { title byline } }`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].message).toBe('Cannot query field "byline" on type "Article".');
    const broken = await graphql(`{ articles { title `);
    expect(broken.status).toBe(400);
    expect(broken.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('offers no mutation to the public', async () => {
    const res = await graphql(`mutation { createEntity(data: { name: "X", kind: person }) { documentId } }`);
    expect(res.body.data?.createEntity ?? null).toBeNull();
    expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await app.strapi.db.query('api::entity.entity').count({ where: { name: 'X' } })).toBe(0);
  });
});
