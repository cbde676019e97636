import { requestClass } from '../../../src/middlewares/request-deadline';

describe('which deadline and share of the pool a request gets', () => {
  it.each([
    ['GET', '/api/health', 'view'],
    ['GET', '/api/articles/slug/us-warns-allies', 'view'],
    ['GET', '/api/articles/slug/us-warns-allies/related', 'content'],
    ['GET', '/api/articles', 'content'],
    ['GET', '/api/sitemaps/sitemap.xml', 'content'],
    ['POST', '/graphql', 'content'],
    ['GET', '/graphql', 'content'],
    ['PUT', '/api/articles/abc', 'content'],
    ['GET', '/content-manager/collection-types/api::article.article', 'admin'],
    ['PUT', '/content-manager/collection-types/api::article.article/abc', 'admin'],
    ['GET', '/admin/users/me', 'admin'],
    ['GET', '/newsroom/history/versions/3', 'admin'],
    ['GET', '/upload/files', 'admin'],
    // The long jobs: no deadline.
    ['POST', '/api/upload', null],
    ['POST', '/upload', null],
    ['GET', '/admin/transfer/runner/push', null],
    ['POST', '/content-type-builder/content-types', null],
    ['POST', '/content-manager/collection-types/api::article.article/actions/bulkPublish', null],
    // Not the API: static files, uploads on disk.
    ['GET', '/uploads/photo.jpg', null],
    ['GET', '/favicon.ico', null],
  ])('%s %s: %s', (method, path, kind) => {
    expect(requestClass(method, path)).toBe(kind);
  });
});
