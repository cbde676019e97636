import { concerns, parseTargetInput } from '../../../src/rebuild/targets';
import type { ContentChange } from '../../../src/changes';
import { thrownBy } from '../../helpers/thrown';

const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const ok = { name: 'Site', kind: 'standard', url: 'https://site.example.com/hook', secret: SECRET };

describe('a target as an admin enters it', () => {
  it.each([
    [{ name: '' }, 'name', 'is required'],
    [{ kind: 'ftp' }, 'kind', 'must be one of standard, build-hook, github-dispatch, varnish, fastly, cloudflare'],
    [{ url: 'site.example.com/hook' }, 'url', 'must be an absolute http(s) URL'],
    [{ secret: null }, 'secret', 'is required for a standard target (whsec_ followed by base64)'],
    [{ secret: 'abc' }, 'secret', 'must be whsec_ followed by base64 (the Standard Webhooks format)'],
    [{ kind: 'build-hook' }, 'secret', 'is not used by build-hook targets: the hook URL is the secret'],
    [{ kind: 'github-dispatch', secret: 'ghp_x' }, 'url', 'must be https://api.github.com/repos/{owner}/{repo}/dispatches'],
    [{ kind: 'github-dispatch', secret: null, url: 'https://api.github.com/repos/a/b/dispatches' }, 'secret', 'is required for a github-dispatch target (a token allowed to dispatch)'],
    [{ contentTypes: 'article, video' }, 'contentTypes', 'must be a comma-separated list of article, entity, image'],
    [{ locales: 'en, english!' }, 'locales', 'must be a comma-separated list of locale codes'],
    [{ pathPatterns: 'article=news' }, 'pathPatterns', 'must be type=/path pairs, e.g. article=/{locale}/news/{slug}'],
  ])('%j → 400 naming %s', (override, field, message) => {
    const error = thrownBy(() => parseTargetInput({ ...ok, ...override })) as Error & { details: { errors: { path: string[] }[] } };
    expect(error.message).toBe(`${field} ${message}`);
    expect(error.details.errors[0].path).toEqual([field]);
  });

  it('accepts each kind with what it needs', () => {
    expect(parseTargetInput(ok)).toMatchObject({ kind: 'standard', secret: SECRET, contentTypes: null });
    expect(parseTargetInput({ name: 'Netlify', kind: 'build-hook', url: 'https://api.netlify.com/build_hooks/abc' })).toMatchObject({ secret: null });
    expect(parseTargetInput({ name: 'Repo', kind: 'github-dispatch', url: 'https://api.github.com/repos/acme/site/dispatches', secret: 'ghp_x', eventType: 'cms' })).toMatchObject({ eventType: 'cms' });
  });
});

describe('which changes concern a target', () => {
  const enArticle = { contentType: 'api::article.article' as const, documentId: 'a1', locale: 'en', slug: 's' };
  const articleChange: ContentChange = { action: 'publish', ...enArticle, affected: [enArticle] };
  const entityChange: ContentChange = { action: 'update-published', contentType: 'api::entity.entity', documentId: 'e1', locale: null, slug: 'x', affected: [enArticle] };
  const lonelyEntity: ContentChange = { ...entityChange, affected: [] };

  it.each([
    [{ contentTypes: null, locales: null }, articleChange, true],
    [{ contentTypes: 'article', locales: 'en' }, articleChange, true],
    [{ contentTypes: 'article', locales: 'ru' }, articleChange, false],
    [{ contentTypes: 'entity', locales: null }, articleChange, false],
    [{ contentTypes: 'article', locales: null }, entityChange, true],
    [{ contentTypes: 'article', locales: 'ru' }, entityChange, false],
    [{ contentTypes: 'article', locales: null }, lonelyEntity, false],
    [{ contentTypes: 'entity', locales: 'ru' }, lonelyEntity, true],
  ])('%j, %j → %s', (target, change, expected) => {
    expect(concerns(target, change)).toBe(expected);
  });
});
