/**
 * Uploads on S3-compatible storage (UPLOAD_PROVIDER=s3) against a real S3 HTTP server on loopback
 * (s3rver, on disk in a temporary folder): the seeded story's image, uploads through the content
 * API and the admin's media library, each with its responsive formats, read back over HTTP from
 * the bucket's public URL; every answer (view, GraphQL, structured data, feed, sitemap) points
 * there; a refused upload leaves no object; a delete removes the file's objects; and
 * `uploads:migrate` moves files kept on disk into the bucket, idempotent and resumable.
 */
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import request from 'supertest';
import { s3ClientConfig } from '../../src/uploads/s3';
import { accountsEnv, ADMIN, adminLogin } from '../helpers/admin';
import { createApiToken } from '../helpers/api-token';
import { story } from '../helpers/story';
import { appModule, useStrapi } from '../helpers/strapi';
import { getText } from '../helpers/text';

// What the booted app runs (its compiled modules, in the app's realm).
const { parseEnv } = appModule<typeof import('../../src/env')>('src/env');
const { migrateUploads } = appModule<typeof import('../../src/uploads/migrate')>('src/uploads/migrate');

// eslint-disable-next-line @typescript-eslint/no-require-imports -- s3rver ships no types
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => { run(): Promise<{ port: number }>; close(): Promise<void> };

const BUCKET = 'newsroom-media';
const PREFIX = 'cms';
const env: Record<string, string> = { ...accountsEnv('ADMIN'), SITE_URL: 'https://www.example.com', SITE_NAME: 'The Example' };
let s3dir: string;
let server: InstanceType<typeof S3rver>;
let client: S3Client;
let publicUrl: string;

// Before the boot (registered first): the bucket the app's environment names.
beforeAll(async () => {
  s3dir = await mkdtemp(path.join(os.tmpdir(), 'newsroom-s3-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3dir, configureBuckets: [{ name: BUCKET }] });
  const { port } = await server.run();
  publicUrl = `http://127.0.0.1:${port}/${BUCKET}`;
  Object.assign(env, {
    UPLOAD_PROVIDER: 's3',
    S3_BUCKET: BUCKET,
    S3_REGION: 'us-east-1',
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_PUBLIC_URL: publicUrl,
    S3_PREFIX: PREFIX,
  });
});

const app = useStrapi({ env });
const login = adminLogin(() => app.server);

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await rm(s3dir, { recursive: true, force: true });
});

const keys = async (): Promise<string[]> => {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return (listed.Contents ?? []).map((o) => o.Key as string).sort();
};
/** Any answer's body as text. */
const text = (path: string) => getText(app.server, path);
const keyOf = (url: string) => url.slice(publicUrl.length + 1);

/** A real photo-sized PNG, so Strapi makes its thumbnail, small and medium formats. */
const photo = (seed: number) =>
  sharp({ create: { width: 800, height: 600, channels: 3, background: { r: seed % 256, g: 80, b: 160 } } })
    .png()
    .toBuffer();

interface Stored {
  id: number;
  url: string;
  formats: Record<string, { url: string }> | null;
}
const urlsOf = (f: Stored) => [f.url, ...Object.values(f.formats ?? {}).map((x) => x.url)];

async function readable(url: string): Promise<Buffer> {
  const res = await fetch(url);
  expect({ url, status: res.status }).toEqual({ url, status: 200 });
  return Buffer.from(await res.arrayBuffer());
}

let token: string;
beforeAll(async () => {
  token = await createApiToken(app.strapi);
  // After the boot, which set the database variables the schema asks for.
  client = new S3Client(s3ClientConfig(parseEnv({ ...process.env, ...env })));
});

describe('the bucket holds every file and format, and every answer points at S3_PUBLIC_URL', () => {
  it('the seeded story\'s image went to the bucket at boot, with its formats', async () => {
    const view = (await request(app.server).get(`/api/articles/slug/${story.slug}`).expect(200)).body.data;
    const asset = view.heroImage.asset as Stored;
    expect(asset.url.startsWith(`${publicUrl}/${PREFIX}/`)).toBe(true);
    expect(Object.keys(asset.formats ?? {})).toEqual(expect.arrayContaining(['thumbnail', 'small']));
    const stored = await keys();
    for (const url of urlsOf(asset)) {
      expect(stored).toContain(keyOf(url));
      expect((await readable(url)).length).toBeGreaterThan(0);
    }
  });

  it('the admin panel may show images from the bucket (its CSP names the bucket\'s origin)', async () => {
    const csp = String((await request(app.server).get('/api/health')).headers['content-security-policy']);
    const origin = new URL(publicUrl).origin;
    // Strapi's defaults kept, the bucket added.
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toMatch(new RegExp(`img-src [^;]*${origin.replace(/[.]/g, '\\.')}`));
    expect(csp).toMatch(new RegExp(`media-src [^;]*${origin.replace(/[.]/g, '\\.')}`));
  });

  it('GraphQL, structured data, the feed and the sitemap give the bucket URLs', async () => {
    const view = (await request(app.server).get(`/api/articles/slug/${story.slug}`).expect(200)).body.data;
    const url = view.heroImage.asset.url as string;
    const gql = await request(app.server).post('/graphql').send({ query: `{ articleBySlug(slug: "${story.slug}") { heroImage { asset { url formats } } } }` }).expect(200);
    expect(gql.body.data.articleBySlug.heroImage.asset.url).toBe(url);
    const ld = JSON.parse((await request(app.server).get(`/api/articles/slug/${story.slug}/structured-data`).expect(200)).text);
    expect(ld.image.map((i: { url: string }) => i.url)).toEqual(expect.arrayContaining([url]));
    for (const i of ld.image as Array<{ url: string }>) expect(i.url.startsWith(`${publicUrl}/`)).toBe(true);
    const rss = (await text('/api/feeds/articles.rss').expect(200)).body as string;
    expect(rss).toContain(`url="${url}"`);
    const month = (await text('/api/sitemaps/articles-2024-04.xml').expect(200)).body as string;
    expect(month).toContain(`<image:loc>${url}</image:loc>`);
  });

  it('an upload through the content API: the original and each format are objects, read back over HTTP', async () => {
    const bytes = await photo(1);
    const before = await keys();
    const res = await request(app.server).post('/api/upload').set('Authorization', `Bearer ${token}`).attach('files', bytes, { filename: 'harbour.png', contentType: 'image/png' });
    expect(res.status).toBe(201);
    const file = res.body[0] as Stored;
    expect(Object.keys(file.formats ?? {}).sort()).toEqual(['medium', 'small', 'thumbnail']);
    // The stored original is the photo (the media library may re-encode it smaller).
    expect(await sharp(await readable(file.url)).metadata()).toMatchObject({ format: 'png', width: 800, height: 600 });
    for (const url of urlsOf(file)) {
      expect(url.startsWith(`${publicUrl}/${PREFIX}/`)).toBe(true);
      await readable(url);
    }
    expect(await keys()).toEqual([...before, ...urlsOf(file).map(keyOf)].sort());
    const object = await fetch(file.url);
    expect(object.headers.get('content-type')).toBe('image/png');
    expect(object.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('an upload through the admin\'s media library goes to the bucket too', async () => {
    const admin = await login(ADMIN);
    const res = await request(app.server)
      .post('/upload')
      .set('Authorization', `Bearer ${admin}`)
      .attach('files', await photo(2), { filename: 'newsroom.png', contentType: 'image/png' });
    expect(res.status).toBe(201);
    const file = res.body[0] as Stored;
    for (const url of urlsOf(file)) await readable(url);
    expect(await keys()).toEqual(expect.arrayContaining(urlsOf(file).map(keyOf)));
  });

  it('a refused upload (an SVG, a file over the limit\'s type rules) leaves no object behind', async () => {
    const before = await keys();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const res = await request(app.server).post('/api/upload').set('Authorization', `Bearer ${token}`).attach('files', svg, { filename: 'x.png', contentType: 'image/png' });
    expect(res.status).toBe(400);
    const mixed = await request(app.server)
      .post('/api/upload')
      .set('Authorization', `Bearer ${token}`)
      .attach('files', await photo(3), { filename: 'good.png', contentType: 'image/png' })
      .attach('files', svg, { filename: 'bad.png', contentType: 'image/png' });
    expect(mixed.status).toBe(400);
    expect(await keys()).toEqual(before);
  });

  it('deleting a file removes its object and every format\'s', async () => {
    const res = await request(app.server).post('/api/upload').set('Authorization', `Bearer ${token}`).attach('files', await photo(4), { filename: 'gone.png', contentType: 'image/png' });
    const file = res.body[0] as Stored;
    expect(await keys()).toEqual(expect.arrayContaining(urlsOf(file).map(keyOf)));
    await request(app.server).delete(`/api/upload/files/${file.id}`).set('Authorization', `Bearer ${token}`).expect(200);
    const left = await keys();
    for (const url of urlsOf(file)) {
      expect(left).not.toContain(keyOf(url));
      expect((await fetch(url)).status).toBe(404);
    }
  });
});

describe('npm run uploads:migrate', () => {
  /** A file as an older, local-disk install stored it: bytes under PUBLIC_DIR/uploads, a `local` row. */
  async function localFile(name: string): Promise<number> {
    const dir = path.join(process.env.PUBLIC_DIR as string, 'uploads');
    const bytes = await photo(name.length);
    await writeFile(path.join(dir, `${name}.png`), bytes);
    await writeFile(path.join(dir, `thumbnail_${name}.png`), bytes.subarray(0, 64));
    const row = await app.strapi.db.query('plugin::upload.file').create({
      data: {
        name: `${name}.png`,
        hash: name,
        ext: '.png',
        mime: 'image/png',
        size: bytes.length / 1024,
        width: 800,
        height: 600,
        url: `/uploads/${name}.png`,
        provider: 'local',
        formats: { thumbnail: { name: `thumbnail_${name}.png`, hash: `thumbnail_${name}`, ext: '.png', mime: 'image/png', width: 208, height: 156, size: 0.06, url: `/uploads/thumbnail_${name}.png` } },
        folderPath: '/',
      },
    });
    return Number(row.id);
  }

  const migrationEnv = () => parseEnv({ ...process.env, ...env });
  const row = (id: number) => app.strapi.db.query('plugin::upload.file').findOne({ where: { id }, select: ['url', 'formats', 'provider'] }) as Promise<Stored & { provider: string }>;

  it('moves files kept on disk into the bucket and rewrites their URLs; a second run moves nothing', async () => {
    const ids = [await localFile('archive-one'), await localFile('archive-two')];
    const lines: string[] = [];
    const report = await migrateUploads(app.strapi, migrationEnv(), { batch: 1, progress: (l) => lines.push(l) });
    expect(report).toEqual({ moved: 2, objects: 4, missing: [], total: 2 });
    expect(lines).toEqual(['uploads:migrate: 1/2 files moved, 2 objects put', 'uploads:migrate: 2/2 files moved, 4 objects put']);
    for (const id of ids) {
      const moved = await row(id);
      expect(moved.provider).toBe('aws-s3');
      expect(moved.url).toMatch(new RegExp(`^${publicUrl}/${PREFIX}/archive-`));
      for (const url of urlsOf(moved)) await readable(url);
    }
    expect(await migrateUploads(app.strapi, migrationEnv())).toEqual({ moved: 0, objects: 0, missing: [], total: 0 });
  });

  it('resumes: a file missing on disk is reported and left; once it is back, the next run moves it', async () => {
    const [kept, broken] = [await localFile('resume-kept'), await localFile('resume-broken')];
    const brokenThumb = path.join(process.env.PUBLIC_DIR as string, 'uploads', 'thumbnail_resume-broken.png');
    await unlink(brokenThumb);
    const first = await migrateUploads(app.strapi, migrationEnv());
    expect(first).toEqual({ moved: 1, objects: 2, missing: [{ id: broken, path: '/uploads/thumbnail_resume-broken.png' }], total: 2 });
    expect((await row(kept)).provider).toBe('aws-s3');
    expect(await row(broken)).toMatchObject({ provider: 'local', url: '/uploads/resume-broken.png' });
    await writeFile(brokenThumb, Buffer.from('the thumbnail, restored'));
    expect(await migrateUploads(app.strapi, migrationEnv())).toEqual({ moved: 1, objects: 2, missing: [], total: 1 });
    expect((await row(broken)).provider).toBe('aws-s3');
  });

  it('refuses to run without a bucket configured, naming what is missing', async () => {
    await expect(migrateUploads(app.strapi, parseEnv({ ...process.env, ...env, UPLOAD_PROVIDER: 'local' }))).rejects.toThrow(
      'uploads:migrate needs UPLOAD_PROVIDER=s3 with S3_BUCKET and S3_PUBLIC_URL (the bucket to copy the uploads into)',
    );
  });
});
