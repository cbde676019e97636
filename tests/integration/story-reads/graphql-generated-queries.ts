/**
 * Schema-valid GraphQL queries, generated from the introspected schema (tests/helpers/graphql-queries.ts),
 * sent anonymously to POST /graphql: every root query field gets its own property (so each is
 * aimed at, not left to chance), with arguments left out, null, or values of their types, as
 * literals or variables, and selections with relations and `_connection` page info. Each answer:
 * no 5xx, JSON, no internal error, no draft, no admin or user field. A root field whose queries
 * reached execution (past GraphQL's validation: the answer has `data`) fewer than 50 times fails the run.
 *
 * Fixed seeds in `npm test`; `npm run fuzz` explores (tests/helpers/fuzz.ts).
 */
import fc from 'fast-check';
import { buildClientSchema, getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import request from 'supertest';
import { MIN_REACHED, RUN_SCALE, runParameters, Tally } from '../../helpers/fuzz';
import { queryGenerator, type GeneratedQuery } from '../../helpers/graphql-queries';
import { story } from '../../helpers/story';
import { useStrapi } from '../../helpers/strapi';

const app = useStrapi({ env: { CORS_ORIGINS: '' } });
const QUERIES = 2_100;
const BASE_SEED = 20_261_201;

const DRAFT_TITLE = 'Embargoed draft: not for readers';
const DRAFT_EDIT = 'Unpublished edit of the story headline';
/** What must never appear in an anonymous answer: the drafts, admin and end-user fields, secrets. */
const PRIVATE = [/"createdBy"/, /"updatedBy"/, /"email"/, /"password"/, /resetPasswordToken/, /confirmationToken/, /\$2[aby]\$/];

let roots: string[] = [];
let generate: (field: string) => fc.Arbitrary<GeneratedQuery>;
const tally = new Tally('generated GraphQL queries per root field (reached = executed: the answer has data)');

beforeAll(async () => {
  const strapi = app.strapi;
  const articles = strapi.documents('api::article.article');
  const draft = await articles.create({ locale: 'en', data: { title: DRAFT_TITLE, slug: 'embargoed-draft-not-for-readers', dateline: '2024-04-12' } });
  const published = await articles.findFirst({ locale: 'en', filters: { slug: story.slug }, fields: ['documentId'] });
  // The story's draft moves on without being published: only the published title may be read.
  await articles.update({ documentId: published!.documentId, locale: 'en', data: { title: DRAFT_EDIT } });

  const introspection = await request(app.server).post('/graphql').send({ query: getIntrospectionQuery() }).expect(200);
  const schema = buildClientSchema(introspection.body.data as IntrospectionQuery);
  roots = Object.keys(schema.getQueryType()!.getFields());
  generate = queryGenerator(schema, { strings: [story.slug, published!.documentId, draft.documentId, 'joe-biden'] });
}, 60_000);

afterAll(() => {
  process.stdout.write(`${tally.report()}\n`);
});

function check(q: GeneratedQuery, res: request.Response): void {
  const where = `${q.query} ${JSON.stringify(q.variables)}`.slice(0, 600);
  if (res.status >= 500) throw new Error(`${res.status} for ${where}: ${res.text.slice(0, 300)}`);
  if (!/json/.test(String(res.headers['content-type']))) throw new Error(`not JSON for ${where}`);
  const body = res.body as { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  const internal = body.errors?.find((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR' || /internal server error/i.test(e.message));
  if (internal) throw new Error(`internal error for ${where}: ${JSON.stringify(internal)}`);
  if (res.text.includes(DRAFT_TITLE) || res.text.includes(DRAFT_EDIT)) throw new Error(`a draft in the answer to ${where}`);
  const shown = JSON.stringify(body.data ?? null);
  const leaked = PRIVATE.filter((re) => re.test(shown));
  if (leaked.length) throw new Error(`private fields ${leaked.join(', ')} in the answer to ${where}`);
}

describe(`${QUERIES} schema-valid generated GraphQL queries, one property per root query field`, () => {
  it('every root query field answers without a 5xx, an internal error, a draft or a private field', async () => {
    expect(roots.length).toBeGreaterThan(20);
    const perField = Math.ceil(QUERIES / roots.length);
    for (const [index, root] of roots.entries()) {
      await fc.assert(
        fc.asyncProperty(generate(root), async (q) => {
          const res = await request(app.server).post('/graphql').send({ query: q.query, variables: q.variables }).ok(() => true);
          check(q, res);
          // Reached: past GraphQL's validation into execution (Apollo answers `data`, null when the root field failed).
          const reached = res.body != null && typeof res.body === 'object' && 'data' in res.body;
          const error = res.body?.errors?.[0] as { message: string; extensions?: { code?: string } } | undefined;
          tally.count(root, reached, error ? `${res.status} ${error.extensions?.code} "${error.message.slice(0, 40)}"` : `${res.status} ok`);
        }),
        runParameters(BASE_SEED, index, perField),
      );
    }
    expect(tally.starved(roots, MIN_REACHED)).toEqual([]);
    // The story is still served as it was published.
    const after = await request(app.server).post('/graphql').send({ query: `{ articleBySlug(slug: "${story.slug}") { title } }` }).expect(200);
    expect(after.body.data.articleBySlug.title).toBe(story.title);
    await request(app.server).get('/api/health').expect(200);
  }, 600_000 * RUN_SCALE);
});
