/**
 * The Import page's admin API (admin JWT; Super Admins, Editors and Authors):
 *   POST /newsroom/ingest/preview  {text, contentType?}                      the parsed article and its suggestions; nothing written
 *   POST /newsroom/ingest/create   {text, contentType?, entities?, candidates?}  a draft with the entities ticked, the ticked candidates created first
 * `contentType` is the format as POST /api/ingest takes it (default: HTML when the text starts with
 * `<`, else plain text). The draft is written as the admin who clicked, and is theirs (an Author
 * can go on editing it).
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { IngestError } from './errors';
import { ingestBytes, pictureOptions, previewBytes } from '.';
import { loadEnv } from '../env';

const ENTITY = 'api::entity.entity';
const IMPORT_ROLES = new Set(['strapi-super-admin', 'strapi-editor', 'strapi-author']);
const KINDS = ['person', 'organization', 'country', 'place', 'event', 'topic'] as const;

interface AdminContext {
  request: { body?: unknown };
  state: { user?: { id: number; roles?: { code: string }[] } };
  status: number;
  body: unknown;
}

const input = z.object({
  text: z.string().min(1, 'paste the story or drop a file first').max(5 * 1024 * 1024, 'is larger than 5 MB'),
  contentType: z.string().max(100).optional(),
  entities: z.array(z.string().max(64)).max(500).optional(),
  candidates: z.array(z.object({ name: z.string().min(1).max(200), kind: z.enum(KINDS) })).max(100).optional(),
});

function parseBody(body: unknown) {
  const result = input.safeParse(body ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new errors.ValidationError(`${issue.path.join('.') || 'body'} ${issue.message}`, { errors: result.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) });
  }
  return result.data;
}

const typeOf = (text: string, given?: string) => given ?? (/^\s*</.test(text) ? (/^\s*<(\?xml|newsItem|newsMessage|nitf)/i.test(text) ? 'application/xml' : 'text/html') : /^\s*\{/.test(text) ? 'application/json' : 'text/plain');

/** An IngestError as the admin's error answer (the admin shows `error.message`). */
function answerError(ctx: AdminContext, error: unknown): void {
  if (!(error instanceof IngestError)) throw error;
  ctx.status = error.status;
  ctx.body = { data: null, error: { status: error.status, name: error.code, message: error.message, details: { errors: error.details } } };
}

const slugOf = (name: string) =>
  name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200) || 'entity';

export function registerIngestAdminRoutes(strapi: Core.Strapi): void {
  const allowed = (ctx: AdminContext) => {
    if (!ctx.state.user?.roles?.some((r) => IMPORT_ROLES.has(r.code))) throw new errors.ForbiddenError('Only Editors, Authors and admins can import');
  };
  const config = { policies: ['admin::isAuthenticatedAdmin'] };
  /** A route for the Import page: who may import is checked, the body parsed, an IngestError answered as such. */
  const route = (path: string, work: (body: z.infer<typeof input>, ctx: AdminContext) => Promise<void>) => ({
    method: 'POST',
    path,
    config,
    handler: async (ctx: AdminContext) => {
      allowed(ctx);
      const body = parseBody(ctx.request.body);
      try {
        await work(body, ctx);
      } catch (error) {
        answerError(ctx, error);
      }
    },
  });
  strapi.server.routes({
    type: 'admin',
    prefix: '/newsroom',
    routes: [
      route('/ingest/preview', async (body, ctx) => {
        ctx.body = { data: await previewBytes(strapi, Buffer.from(body.text), typeOf(body.text, body.contentType)) };
      }),
      route('/ingest/create', async (body, ctx) => {
        const entities = [...(body.entities ?? [])];
        // What the editor ticked among the names the vocabulary did not know: created now, then linked.
        for (const c of body.candidates ?? []) {
          const slug = slugOf(c.name);
          const existing = (await strapi.db.query(ENTITY).findOne({ where: { slug }, select: ['documentId'] })) as { documentId: string } | null;
          entities.push(existing?.documentId ?? (await strapi.documents(ENTITY).create({ data: { name: c.name, slug, kind: c.kind } as never })).documentId);
        }
        const result = await ingestBytes(strapi, Buffer.from(body.text), typeOf(body.text, body.contentType), { link: 'none', entities, pictures: pictureOptions(loadEnv()), createdBy: ctx.state.user?.id });
        ctx.status = result.status;
        ctx.body = { data: result.data, meta: result.meta };
      }),
    ],
  } as never);
}
