import { filterProblem, populateFilterProblem, type ModelOf } from '../../../src/content-api/filter-shape';

/** A small model in the shape of the database's metadata: articles name entities, entities are named by articles. */
const models: Record<string, { attributes: Record<string, { type: string; target?: string }> }> = {
  article: { attributes: { title: { type: 'string' }, dateline: { type: 'date' }, entities: { type: 'relation', target: 'entity' }, sections: { type: 'relation', target: 'section' }, blocks: { type: 'dynamiczone' } } },
  entity: { attributes: { name: { type: 'string' }, articles: { type: 'relation', target: 'article' } } },
  section: { attributes: { heading: { type: 'string' } } },
};
const modelOf: ModelOf = (uid) => models[uid];

describe('filter shape', () => {
  it.each([
    [{ title: 'x' }],
    [{ title: { $eq: 'x' }, dateline: { $between: ['2024-01-01', '2024-12-31'] } }],
    [{ title: { $not: { $contains: 'x' } } }],
    [{ title: { $in: ['a', 'b'] } }],
    [{ $or: [{ title: 'a' }, { entities: { name: { $eqi: 'china' } } }] }],
    [{ $not: { entities: { name: 'China' } } }],
    [{ entities: '3' }],
    [{ entities: { $in: ['1', '2'] } }],
    [{ entities: { $not: '3' } }],
    [{ entities: { $or: [{ name: 'a' }, { articles: { title: 'b' } }] } }],
    [{ sections: { heading: { $startsWith: 'Why' } } }],
    [{ unknownField: { $eq: 'left to strictParams' } }],
  ])('accepts %j', (filters) => {
    expect(filterProblem(filters, 'article', modelOf)).toBeNull();
  });

  it.each([
    [{ $or: 'x' }, ['filters', '$or'], 'filters[$or] must be a list of conditions'],
    [{ $and: ['x'] }, ['filters', '$and', '0'], 'filters[$and][0] must be an object of conditions'],
    [{ $not: 'x' }, ['filters', '$not'], 'filters[$not] must hold conditions, not a single value'],
    [{ $eq: 'x' }, ['filters', '$eq'], "filters[$eq] must be inside a field's condition (only $and, $or and $not combine conditions)"],
    [{ $not: { entities: { $and: 'null' } } }, ['filters', '$not', 'entities', '$and'], 'filters[$not][entities][$and] must be a list of conditions'],
    [{ entities: { $not: { $and: '1' } } }, ['filters', 'entities', '$not'], "filters[entities][$not] must hold ids, not conditions (to negate a relation's conditions, put $not above the relation)"],
    [{ entities: { $eq: '1', name: 'x' } }, ['filters', 'entities'], 'filters[entities] mixes operators and field names (a relation takes one or the other)'],
    [{ entities: { $eq: '1', $ne: '2' } }, ['filters', 'entities'], 'filters[entities] holds $eq, $ne: a relation takes one operator'],
    [{ entities: { $foo: '1' } }, ['filters', 'entities', '$foo'], 'filters[entities][$foo] is not an operator'],
    [{ entities: [{ name: 'x' }] }, ['filters', 'entities', '0'], 'filters[entities][0] must be an id, a list of ids, not conditions'],
    [{ title: { $and: ['x'] } }, ['filters', 'title', '$and'], 'filters[title][$and] is not an operator a field takes'],
    [{ title: { name: 'x' } }, ['filters', 'title', 'name'], 'filters[title][name] is a field name where a field takes operators ($eq, $in, …)'],
    [{ title: { $eq: { $eq: 'x' } } }, ['filters', 'title', '$eq'], 'filters[title][$eq] must hold a value or a list of values, not conditions'],
    [{ dateline: { $between: ['2024-01-01'] } }, ['filters', 'dateline', '$between'], 'filters[dateline][$between] takes two values (the lower and the upper bound)'],
    [{ entities: { $between: '1e309' } }, ['filters', 'entities', '$between'], 'filters[entities][$between] takes two values (the lower and the upper bound)'],
    [{ blocks: { x: 1 } }, ['filters', 'blocks'], 'filters[blocks] cannot be filtered on'],
    [{ $or: [{ entities: { articles: { $or: { 0: { title: 'x' } } } } }] }, ['filters', '$or', '0', 'entities', 'articles', '$or'], 'filters[$or][0][entities][articles][$or] must be a list of conditions'],
  ])('refuses %j at %j', (filters, path, message) => {
    expect(filterProblem(filters, 'article', modelOf)).toEqual({ path, message });
  });

  it("checks a populate's own filters against the relation's target, at any depth", () => {
    expect(populateFilterProblem({ entities: { filters: { name: { $eq: 'x' } } } }, 'article', modelOf)).toBeNull();
    expect(populateFilterProblem({ entities: { populate: { articles: { filters: { $or: 'x' } } } } }, 'article', modelOf)).toEqual({
      path: ['populate', 'entities', 'populate', 'articles', 'filters', '$or'],
      message: 'populate[entities][populate][articles][filters][$or] must be a list of conditions',
    });
  });
});
