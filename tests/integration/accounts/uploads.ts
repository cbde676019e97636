/**
 * The upload edge: only JPEG, PNG, WebP, GIF and AVIF images by their bytes, whatever the name or
 * declared type says; names with NUL bytes or path segments refused; over-size files a 413; files
 * served so a browser never runs them. Through the content API (API token) and the admin's media
 * library (admin session); nothing refused is stored and the server stays healthy.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { UPLOADS_CSP } from '../../../src/middlewares/upload-headers';
import { accountsEnv, ADMIN, adminLogin } from '../../helpers/admin';
import { createApiToken } from '../../helpers/api-token';
import { appDir, useStrapi } from '../../helpers/strapi';

const MAX = 1024 * 1024;
const app = useStrapi({ env: { ...accountsEnv('ADMIN'), UPLOAD_MAX_BYTES: String(MAX) } });
const login = adminLogin(() => app.server);
let token: string;

// Real images, a few pixels: small, so under the limit.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAEUlEQVQImWM4ISeHFTEMLQkAkL9BAaxyLUcAAAAASUVORK5CYII=', 'base64');
const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
const WEBP = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');
// A real PNG followed by 1.1 MB of padding (still a PNG by its bytes): over this file's 1 MB limit.
const BIG = Buffer.concat([PNG, Buffer.alloc(1.1 * 1024 * 1024, 0x20)]);

const files = () => app.strapi.db.query('plugin::upload.file').count();
const upload = (content: Buffer, filename: string, contentType: string) =>
  request(app.server).post('/api/upload').set('Authorization', `Bearer ${token}`).attach('files', content, { filename, contentType });

beforeAll(async () => {
  token = await createApiToken(app.strapi);
});

describe('accepted', () => {
  it.each([
    ['a PNG', PNG, 'pixel.png', 'image/png', 'image/png', 8],
    ['a GIF', GIF, 'pixel.gif', 'image/gif', 'image/gif', 1],
    ['a WebP', WEBP, 'pixel.webp', 'image/webp', 'image/webp', 1],
    ['a PNG sent as application/octet-stream without an extension', PNG, 'pixel', 'application/octet-stream', 'image/png', 8],
    ['a PNG declared as a JPEG', PNG, 'pixel.png', 'image/jpeg', 'image/png', 8],
  ])('%s is stored with its real type', async (_what, content, filename, contentType, mime, size) => {
    const res = await upload(content, filename, contentType);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201, body: [{ mime, width: size, height: size }] });
  });
});

describe('refused with a 400 naming the file, nothing stored', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
  const html = '<!doctype html><html><script>alert(document.cookie)</script></html>';
  it.each([
    ['an SVG', svg, 'x.svg', 'image/svg+xml', null],
    ['an SVG named .png', svg, 'x.png', 'image/png', null],
    ['an HTML page', html, 'x.html', 'text/html', null],
    ['an HTML page named .jpg, declared image/jpeg', html, 'photo.jpg', 'image/jpeg', null],
    ['a script', 'alert(1)', 'x.js', 'application/javascript', null],
    ['a text file', 'just some notes\n', 'notes.txt', 'text/plain', null],
    ['a PDF', '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'doc.pdf', 'application/pdf', 'application/pdf'],
    ['an empty file', '', 'empty.png', 'image/png', null],
    ['a TIFF (no browser shows it)', Buffer.from('49492a00080000000000', 'hex'), 'scan.tif', 'image/tiff', 'image/tiff'],
  ])('%s', async (_what, content, filename, contentType, detected) => {
    const before = await files();
    const res = await upload(Buffer.from(content), filename, contentType);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ data: null, error: { status: 400, name: 'ValidationError', details: { param: 'files', index: 0, detected } } });
    expect(res.body.error.message).toBe(
      `File 1 (${JSON.stringify(filename)}) is not a JPEG, PNG, WebP, GIF or AVIF image: its content is ${detected ?? 'of no known image type'}`,
    );
    expect(await files()).toBe(before);
  });

  it('a good image beside a bad one: the whole request, and the good one is not stored either', async () => {
    const before = await files();
    const res = await request(app.server)
      .post('/api/upload')
      .set('Authorization', `Bearer ${token}`)
      .attach('files', PNG, { filename: 'good.png', contentType: 'image/png' })
      .attach('files', Buffer.from(svg), { filename: 'bad.png', contentType: 'image/png' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toMatchObject({ index: 1, detected: null });
    expect(await files()).toBe(before);
  });

  it.each([
    ['a NUL byte', 'a\u0000b.png', 'has a control character (or a NUL byte) in its name'],
    ['a control character', 'a\u0007b.png', 'has a control character (or a NUL byte) in its name'],
    ['a name over 255 bytes', `${'é'.repeat(130)}.png`, 'has a name over 255 bytes'],
  ])('a file name with %s', async (_what, filename, problem) => {
    const before = await files();
    const res = await upload(PNG, filename, 'image/png');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ status: 400, name: 'ValidationError', message: `File 1 ${problem}`, details: { param: 'files', index: 0 } });
    expect(await files()).toBe(before);
  });

  // Sent as raw multipart: form-data (under supertest) would cut a name to its last segment.
  const rawUpload = (filename: string) => {
    const boundary = 'newsroom-test-boundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${filename}"\r\nContent-Type: image/png\r\n\r\n`),
      PNG,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return request(app.server)
      .post('/api/upload')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .send(body);
  };

  // `&#0047;` is how the multipart parser lets a name carry a `/`.
  it.each(['../../etc/passwd.png', '/etc/shadow.png', 'uploads/../x.png', '..&#0047;x.png'])('a file name with path segments (%s)', async (filename) => {
    const before = await files();
    const res = await rawUpload(filename);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ status: 400, name: 'ValidationError', message: 'File 1 has a path separator in its name' });
    expect(await files()).toBe(before);
  });

  it('a name the upload plugin refuses, sent after a good file: a 400 naming it, and neither file is stored', async () => {
    const before = await files();
    for (const [name, message] of [
      ['&H!Q:MS-=.png', 'File 2 has a character a file name may not hold (< > : " | ? *) in its name'],
      ['nul', 'File 2 has a name reserved on Windows'],
    ]) {
      const res = await request(app.server)
        .post('/api/upload')
        .set('Authorization', `Bearer ${token}`)
        .attach('files', PNG, { filename: 'good.png', contentType: 'image/png' })
        .attach('files', PNG, { filename: name, contentType: 'image/png' });
      expect({ status: res.status, error: res.body.error }).toMatchObject({ status: 400, error: { name: 'ValidationError', message } });
      expect(await files()).toBe(before);
    }
  });

  it('several files keep the order they were sent in, so each gets its own fileInfo (small ones finish first)', async () => {
    const jpeg = await readFile(path.join(appDir, 'database', 'seed', 'story', 'placeholder-biden-xi-apec-woodside-2023.jpg'));
    const sent = [
      ['first.jpg', jpeg, 'image/jpeg'],
      ['second.png', PNG, 'image/png'],
      ['third.jpg', jpeg, 'image/jpeg'],
      ['fourth.png', PNG, 'image/png'],
    ] as const;
    let req = request(app.server).post('/api/upload').set('Authorization', `Bearer ${token}`);
    for (const [name, bytes, contentType] of sent) req = req.attach('files', bytes, { filename: name, contentType });
    for (const [name] of sent) req = req.field('fileInfo', JSON.stringify({ caption: `caption of ${name}` }));
    const res = await req;
    expect(res.status).toBe(201);
    const stored = (res.body as Array<{ name: string; caption: string }>).map(({ name, caption }) => [name, caption]);
    expect(stored).toEqual(sent.map(([name]) => [name, `caption of ${name}`]));
  });

  it('a Windows path: the multipart parser keeps only the name after the last backslash', async () => {
    const res = await rawUpload('..\\..\\windows\\win.ini.png');
    expect({ status: res.status, name: res.body[0]?.name }).toEqual({ status: 201, name: 'win.ini.png' });
  });

  it('fileInfo that is not JSON (the upload plugin would fail with a 500)', async () => {
    const res = await request(app.server)
      .post('/api/upload')
      .set('Authorization', `Bearer ${token}`)
      .field('fileInfo', '{"caption": ')
      .attach('files', PNG, { filename: 'pixel.png', contentType: 'image/png' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ name: 'ValidationError', message: 'fileInfo must be a JSON object', details: { param: 'fileInfo' } });
  });

  it('the admin media library refuses an SVG the same way', async () => {
    const admin = await login(ADMIN);
    const before = await files();
    const res = await request(app.server)
      .post('/upload')
      .set('Authorization', `Bearer ${admin}`)
      .attach('files', Buffer.from(svg), { filename: 'logo.svg', contentType: 'image/svg+xml' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ name: 'ValidationError', details: { detected: null } });
    expect(await files()).toBe(before);
    // and takes a PNG
    const ok = await request(app.server)
      .post('/upload')
      .set('Authorization', `Bearer ${admin}`)
      .attach('files', PNG, { filename: 'pixel.png', contentType: 'image/png' });
    expect(ok.status).toBe(201);
  });
});

describe('sizes', () => {
  it(`a file over UPLOAD_MAX_BYTES (${MAX}) is a 413 JSON error, nothing stored`, async () => {
    expect(BIG.length).toBeGreaterThan(MAX);
    const before = await files();
    const res = await upload(BIG, 'big.png', 'image/png');
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ data: null, error: { status: 413, name: 'PayloadTooLargeError' } });
    expect(await files()).toBe(before);
  });
});

describe('serving', () => {
  it('an uploaded image: inline, nosniff, a CSP that runs nothing', async () => {
    const [stored] = (await upload(PNG, 'served.png', 'image/png').expect(201)).body;
    const res = await request(app.server).get(stored.url).expect(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe(UPLOADS_CSP);
    expect(res.headers['content-disposition']).toBeUndefined();
  });

  it('a non-image found in the uploads folder downloads as an attachment, never renders', async () => {
    const dir = path.join(process.env.PUBLIC_DIR as string, 'uploads');
    await writeFile(path.join(dir, 'left-behind.html'), '<script>alert(1)</script>');
    const res = await request(app.server).get('/uploads/left-behind.html').expect(200);
    expect(res.headers['content-disposition']).toBe('attachment');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe(UPLOADS_CSP);
  });

  it('after all of it: healthy, and the uploads folder holds only what was accepted', async () => {
    await request(app.server).get('/api/health').expect(200);
    const stored = await app.strapi.db.query('plugin::upload.file').findMany({ select: ['url', 'formats'] });
    const expected = stored.flatMap((f: { url: string; formats: Record<string, { url: string }> | null }) => [
      f.url,
      ...Object.values(f.formats ?? {}).map((x) => x.url),
    ]);
    const onDisk = (await readdir(path.join(process.env.PUBLIC_DIR as string, 'uploads'))).map((n) => `/uploads/${n}`);
    expect(onDisk.filter((u) => u !== '/uploads/left-behind.html').sort()).toEqual(expected.sort());
  });
});
