import { errors } from '@strapi/utils';
import { thrownBy } from '../../helpers/thrown';
import { assertDraftsReadable, canReadDrafts, parseReadQuery, relationSortProblem } from '../../../src/content-api/read-query';

describe('read query', () => {
  it.each([
    [{}],
    [{ status: 'published' }],
    [{ locale: 'zh-Hans' }],
    [{ pagination: { page: '2', pageSize: '10' } }],
    [{ pagination: { start: '0', limit: '100', withCount: 'false' } }],
    [{ filters: { slug: { $eq: 'x' } }, sort: 'dateline:desc' }],
  ])('accepts %j', (query) => {
    expect(() => parseReadQuery(query)).not.toThrow();
  });

  it.each([
    [{ status: 'preview' }, 'status', 'status must be one of published, draft'],
    [{ locale: ['en', 'ru'] }, 'locale', 'locale must be a single locale code'],
    [{ locale: '' }, 'locale', 'locale must not be empty'],
    [{ pagination: { pageSize: 'ten' } }, 'pagination', 'pagination.pageSize must be a whole number'],
    [{ pagination: { pageSize: '101' } }, 'pagination', 'pagination.pageSize must be at most 100'],
    [{ pagination: { page: '0' } }, 'pagination', 'pagination.page must be at least 1'],
    [{ pagination: { start: '-1' } }, 'pagination', 'pagination.start must be at least 0'],
    [{ pagination: { page: '1', limit: '5' } }, 'pagination', 'pagination takes page/pageSize or start/limit, not both'],
    [{ pagination: { size: '5' } }, 'pagination', 'pagination has unknown keys: size'],
    [{ pagination: { withCount: 'yes' } }, 'pagination', 'pagination.withCount must be true or false'],
  ])('rejects %j as a 400 naming %s', (query, param, message) => {
    const thrown = thrownBy(() => parseReadQuery(query));
    expect(thrown).toBeInstanceOf(errors.ValidationError);
    expect((thrown as errors.ValidationError).message).toBe(message);
    expect((thrown as errors.ValidationError).details).toMatchObject({ source: 'query', param });
  });

  it('lets only API tokens read drafts', () => {
    expect(canReadDrafts({ auth: { strategy: { name: 'content-api-token' } } })).toBe(true);
    expect(canReadDrafts({ auth: { strategy: { name: 'users-permissions' } } })).toBe(false);
    expect(canReadDrafts(undefined)).toBe(false);
    expect(() => assertDraftsReadable('draft', {})).toThrow(errors.PolicyError);
    expect(() => assertDraftsReadable('draft', { auth: { strategy: { name: 'content-api-token' } } })).not.toThrow();
    expect(() => assertDraftsReadable('published', {})).not.toThrow();
    expect(() => assertDraftsReadable(undefined, {})).not.toThrow();
  });
});

describe('the sort of a populated relation', () => {
  it.each([['title:asc'], [['kind:desc', 'name']], [{ name: 'asc' }], ['a,b:desc']])('by its own fields (%j) is fine', (sort) => {
    expect(relationSortProblem(sort)).toBeNull();
  });
  it.each([
    ['authors.kind:asc', 'authors.kind'],
    [['title', 'heroImage.caption:desc'], 'heroImage.caption'],
    [{ 'depicts.name': 'asc' }, 'depicts.name'],
    ['title,entities.name', 'entities.name'],
  ])('through another relation (%j) is refused, naming %s', (sort, through) => {
    expect(relationSortProblem(sort)).toBe(`a populated relation is sorted by its own fields only (${through} goes through another relation)`);
  });
});
