import {
  indexedFields,
  INDEXED_OPERATORS,
  MAX_PUBLIC_OFFSET,
  NEGATIONS,
  publicPaginationProblem,
  publicFilterProblem,
  publicSearchProblem,
  publicSortProblem,
  TEXT_SCAN_OPERATORS,
  withDollarOperators,
  type IndexedModel,
  type IndexedModelOf,
} from '../../../src/content-api/public-filters';

/**
 * Models in the shape of the database's metadata: the article's own indexes as its schema.json
 * declares them, Strapi's documents index, a component and a relation.
 */
const models: Record<string, IndexedModel> = {
  'api::article.article': {
    attributes: {
      id: { type: 'increments' }, title: { type: 'string' }, slug: { type: 'uid' }, standfirst: { type: 'text' }, dateline: { type: 'date' }, firstPublishedAt: { type: 'datetime' },
      documentId: { type: 'string' }, locale: { type: 'string' }, publishedAt: { type: 'datetime' },
      entities: { type: 'relation', target: 'api::entity.entity' }, sections: { type: 'relation', target: 'story.section' }, createdBy: { type: 'relation', target: 'admin::user' },
    },
    indexes: [
      { columns: ['slug', 'locale', 'published_at'] },
      { columns: ['locale', 'dateline', 'published_at', 'id'] },
      { columns: ['locale', 'first_published_at', 'published_at', 'id'] },
      { columns: ['document_id', 'locale', 'published_at'] },
    ],
    columnToAttribute: { first_published_at: 'firstPublishedAt', document_id: 'documentId', published_at: 'publishedAt' },
  },
  'api::entity.entity': {
    attributes: { name: { type: 'string' }, slug: { type: 'uid' }, kind: { type: 'enumeration' }, articles: { type: 'relation', target: 'api::article.article' } },
    indexes: [{ columns: ['slug'] }, { columns: ['kind'] }],
  },
};
const modelOf: IndexedModelOf = (uid) => models[uid];

describe('the fields an index serves', () => {
  it('are the first column of each index, the one after locale, and id', () => {
    expect([...indexedFields(models['api::article.article'])].sort()).toEqual(['dateline', 'documentId', 'firstPublishedAt', 'id', 'locale', 'slug']);
    expect([...indexedFields(models['api::entity.entity'])].sort()).toEqual(['id', 'kind', 'slug']);
  });
});

describe('what an anonymous reader may filter on', () => {
  const indexed = ['slug', 'dateline', 'firstPublishedAt', 'documentId', 'id'];
  const unindexed = ['title', 'standfirst', 'publishedAt'];

  // Every field of the article against every operator Strapi has: allowed exactly when both are indexable.
  const cases = [...indexed, ...unindexed].flatMap((field) => [...INDEXED_OPERATORS, ...NEGATIONS, ...TEXT_SCAN_OPERATORS].map((op) => [field, op] as const));
  it.each(cases)('filters[%s][%s]', (field, operator) => {
    const value = operator === '$between' ? ['a', 'b'] : operator === '$in' || operator === '$notIn' ? ['a'] : 'a';
    const found = publicFilterProblem({ [field]: { [operator]: value } }, 'api::article.article', modelOf);
    if (indexed.includes(field) && INDEXED_OPERATORS.has(operator)) expect(found).toBeNull();
    else {
      expect(found).not.toBeNull();
      // The message names the parameter: the operator when it scans text or negates, else the field.
      const at = TEXT_SCAN_OPERATORS.has(operator) || NEGATIONS.has(operator) ? `filters[${field}][${operator}]` : `filters[${field}]`;
      expect(found!.message.startsWith(`${at}:`)).toBe(true);
    }
  });

  it.each([
    [{ $and: [{ slug: 'a' }, { dateline: { $gt: '2024-01-01' } }] }],
    [{ $or: [{ slug: 'a' }, { firstPublishedAt: { $lt: '2024-01-01' } }] }],
    [{ slug: { $null: false } }],
  ])('accepts %j', (filters) => {
    expect(publicFilterProblem(filters, 'api::article.article', modelOf)).toBeNull();
  });

  const THROUGH = 'anonymous readers may not filter through a relation';
  it.each([
    [{ sections: { heading: { $eq: 'Why' } } }, 'filters[sections]: anonymous readers may not filter on a component'],
    [{ entities: { slug: { $eq: 'china' } } }, `filters[entities]: ${THROUGH}`],
    [{ entities: '3' }, `filters[entities]: ${THROUGH}`],
    [{ entities: { $in: ['1', '2'] } }, `filters[entities]: ${THROUGH}`],
    [{ $or: [{ slug: 'a' }, { entities: { slug: 'b' } }] }, `filters[$or][1][entities]: ${THROUGH}`],
    [{ title: { $eq: 'x' } }, 'filters[title]: anonymous readers may filter only on indexed fields (id, slug, locale, dateline, firstPublishedAt, documentId)'],
    [{ slug: { $not: { $eq: 'a' } } }, 'filters[slug][$not]: anonymous readers may not negate a filter'],
    [{ $not: { slug: 'a' } }, 'filters[$not]: anonymous readers may not negate a filter'],
    [{ $or: [{ slug: 'a' }, { dateline: { $ne: '2024-01-01' } }] }, 'filters[$or][1][dateline][$ne]: anonymous readers may not negate a filter'],
    [{ createdBy: { id: 1 } }, 'filters[createdBy]: anonymous readers may not filter on a relation field'],
  ])('refuses %j, naming the parameter', (filters, message) => {
    expect(publicFilterProblem(filters, 'api::article.article', modelOf)?.message.startsWith(message)).toBe(true);
  });

  it('reads GraphQL filters the same way', () => {
    expect(withDollarOperators({ or: [{ title: { containsi: 'x' } }], slug: { eq: 'a' } })).toEqual({ $or: [{ title: { $containsi: 'x' } }], slug: { $eq: 'a' } });
    expect(publicFilterProblem(withDollarOperators({ or: [{ title: { containsi: 'x' } }] }), 'api::article.article', modelOf)?.path).toEqual(['filters', '$or', '0', 'title', '$containsi']);
  });
});

describe('what an anonymous reader may sort by and search', () => {
  it.each([['dateline:desc'], ['firstPublishedAt'], [['slug:asc', 'id']], [{ dateline: 'desc' }]])('sorts by %j', (sort) => {
    expect(publicSortProblem(sort, 'api::article.article', modelOf)).toBeNull();
  });
  it.each([
    ['title', 'sort: anonymous readers may sort only by indexed fields'],
    ['dateline:desc,standfirst', 'sort: anonymous readers may sort only by indexed fields'],
    ['entities.slug', 'sort: anonymous readers may not sort through a relation (entities.slug)'],
  ])('refuses sort=%j', (sort, message) => {
    expect(publicSortProblem(sort, 'api::article.article', modelOf)?.message.startsWith(message)).toBe(true);
  });
  it.each([
    [{ start: '10001' }, 10_001],
    [{ page: '402' }, 10_025],
    [{ page: '102', pageSize: '100' }, 10_100],
  ])('refuses a page that starts past 10,000 rows: %j', (pagination, offset) => {
    expect(offset).toBeGreaterThan(MAX_PUBLIC_OFFSET);
    expect(publicPaginationProblem(pagination, 25)?.message).toBe(
      `pagination: anonymous readers may page at most 10,000 rows deep (this page starts at ${offset}); go further back with a date filter, e.g. filters[firstPublishedAt][$lt]=<the last one's>`,
    );
  });
  it.each([[{ page: '401' }], [{ page: '101', pageSize: '100' }], [{ start: '10000', limit: '100' }], [{}], [undefined]])('serves a page that starts at most 10,000 rows deep: %j', (pagination) => {
    expect(publicPaginationProblem(pagination, 25)).toBeNull();
  });

  it('refuses _q, and lets an empty one pass', () => {
    expect(publicSearchProblem('china')?.path).toEqual(['_q']);
    expect(publicSearchProblem('')).toBeNull();
    expect(publicSearchProblem(undefined)).toBeNull();
  });
});
