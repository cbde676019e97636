/**
 * Ingest, from outside: a token with the ingest permission posts an agency item, a paste or a
 * message and gets a draft article; versions, updates, corrections, withholds, embargoes and kills
 * reach that article; bad input is a 4xx that stores nothing. One boot, the story seeded.
 */
import { mkdtempSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { createApiToken, createCustomToken } from '../helpers/api-token';
import { accountsEnv, adminLogin, EDITOR } from '../helpers/admin';
import { sqlCounter } from '../helpers/sql';
import { appModule, useStrapi } from '../helpers/strapi';
import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import { MIN_REACHED, RUN_SCALE, runParameters, Tally } from '../helpers/fuzz';
import addFormats from 'ajv-formats';

const DROP = mkdtempSync(path.join(os.tmpdir(), 'ingest-drop-'));
const app = useStrapi({ env: { ...accountsEnv('EDITOR'), INGEST_MAX_BYTES: '200000', INGEST_ALLOW_PRIVATE_SOURCES: 'true', INGEST_WATCH_DIR: DROP, INGEST_WATCH_INTERVAL_SECONDS: '60' } });
const login = adminLogin(() => app.server);
const ARTICLE = 'api::article.article';
const FIXTURES = path.join(__dirname, '../fixtures/ingest');
const JPEG = readFileSync(path.join(__dirname, '../../database/seed/story/placeholder-biden-xi-apec-woodside-2023.jpg'));
/** The agency's picture server: the fixtures' http://127.0.0.1:1/ points here. */
const requested: string[] = [];
const pictures = http.createServer((req, res) => {
  requested.push(req.url ?? '');
  if (req.url === '/highres.jpg' || req.url === '/thumb.jpg') res.writeHead(200, { 'content-type': 'image/jpeg' }).end(JPEG);
  else if (req.url === '/not-a-picture.jpg') res.writeHead(200, { 'content-type': 'image/jpeg' }).end('<html>login</html>');
  else res.writeHead(404).end();
});
let origin = '';
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8').replaceAll('http://127.0.0.1:1', origin);
const SOURCE = readFileSync(path.join(__dirname, '../../database/seed/story/source.txt'), 'utf8');

let token: string;
let readOnly: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => pictures.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(pictures.address() as AddressInfo).port}`;
  token = await createCustomToken(app.strapi, ['api::ingest.ingest.create']);
  readOnly = await createApiToken(app.strapi, 'read-only');
});

const post = (body: string | Buffer, type: string, query = '', as = token) =>
  request(app.server).post(`/api/ingest${query}`).set({ Authorization: `Bearer ${as}`, 'Content-Type': type }).send(body);

const articleRows = () => app.strapi.db.query(ARTICLE).count({});
const draftOf = (documentId: string, locale = 'en') =>
  app.strapi.documents(ARTICLE).findOne({ documentId, locale, status: 'draft', populate: ['sections', 'entities', 'heroImage', 'updates', 'authors'] } as never) as Promise<Record<string, any>>;
const publishedOf = (documentId: string, locale = 'en') => app.strapi.documents(ARTICLE).findOne({ documentId, locale, status: 'published' } as never) as Promise<Record<string, any> | null>;
const versionsOf = (documentId: string) => app.strapi.db.connection('history_versions').where({ target_document_id: documentId }).orderBy('id', 'asc');

/** A NewsML-G2 text item; `extra` goes in itemMeta. */
function g2(guid: string, version: number, headline: string, { status = 'usable', extra = '', paragraph = 'China supplies Russia, sources told Bloomberg.' } = {}) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="${guid}" version="${version}" xml:lang="en">
  <itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:REUTERS"><name>Reuters</name></provider>
    <versionCreated>2024-04-10T0${version}:00:00-04:00</versionCreated><pubStatus qcode="stat:${status}"/>${extra}</itemMeta>
  <contentMeta><headline>${headline}</headline><description role="drol:summary">Standfirst ${version}</description></contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body><p>${paragraph}</p><h2>More</h2><p>Version ${version}.</p></body></html></inlineXML></contentSet>
</newsItem>`;
}

afterAll(async () => {
  await new Promise((resolve) => pictures.close(resolve));
  await fs.rm(DROP, { recursive: true, force: true });
});

describe('who may ingest', () => {
  it('takes a token with the ingest permission, refuses a read-only token (403) and no token', async () => {
    const item = g2('urn:test:who', 1, 'Who may ingest');
    const before = await articleRows();
    await post(item, 'application/xml', '', readOnly).expect(403);
    const anonymous = await request(app.server).post('/api/ingest').set('Content-Type', 'application/xml').send(item);
    expect([401, 403]).toContain(anonymous.status);
    expect(await articleRows()).toBe(before);
    const created = await post(item, 'application/vnd.iptc.g2.newsitem+xml').expect(201);
    expect(created.body.data).toMatchObject({ locale: 'en', status: 'draft', action: 'created', applied: true, guid: 'urn:test:who', version: '1' });
  });
});

describe('the first story, pasted as its scrape', () => {
  it('gives the seeded story back: title, standfirst, date, hero caption and credit, every section, and its 23 entities', async () => {
    const seeded = (await app.strapi.documents(ARTICLE).findFirst({ filters: { slug: 'us-warns-allies-of-chinas-growing-support-for-russia-amid-ukraine-conflict' }, locale: 'en', populate: ['sections', 'entities', 'heroImage'] } as never)) as Record<string, any>;
    const answer = await post(SOURCE, 'text/plain', '?link=known').expect(201);
    expect(answer.body.data).toMatchObject({ action: 'created', status: 'draft', guid: null });
    const { known, candidates } = answer.body.meta.suggestions;
    expect(known.map((k: { slug: string }) => k.slug).sort()).toEqual(seeded.entities.map((e: { slug: string }) => e.slug).sort());
    expect(known).toHaveLength(23);
    expect(candidates).toEqual([]);
    expect(answer.body.meta.warnings.join('\n')).toMatch(/2 lines of page residue left out: "!-- Google tag \(gtag\.js\) -->"/);

    const draft = await draftOf(answer.body.data.documentId);
    expect(draft.title).toBe(seeded.title);
    expect(draft.standfirst).toBe(seeded.standfirst);
    expect(draft.dateline).toBe(seeded.dateline);
    expect(draft.heroImage.documentId).toBe(seeded.heroImage.documentId);
    expect(draft.heroImage).toMatchObject({ credit: 'Kevin Lamarque', agency: 'REUTERS', caption: seeded.heroImage.caption });
    const shape = (sections: { heading: string | null; body: unknown }[]) => sections.map((s) => ({ heading: s.heading ?? null, body: s.body }));
    expect(shape(draft.sections)).toEqual(shape(seeded.sections));
    expect(draft.entities).toHaveLength(23);
    // A draft: no reader sees it.
    expect(await publishedOf(answer.body.data.documentId)).toBeNull();
  });
});

describe('the vocabulary an item is matched against', () => {
  it('follows the entities: one created, given an alias, or deleted is seen by the very next item', async () => {
    const ENTITY = 'api::entity.entity';
    const knownIn = async (text: string) => {
      const answer = await post(`Headline of a vocabulary check\n\n${text}`, 'text/plain').expect(201);
      return answer.body.meta.suggestions.known.map((k: { slug: string }) => k.slug) as string[];
    };
    expect(await knownIn('Zelda Quartermain met the ministers in Kyiv.')).not.toContain('zelda-quartermain');
    const entity = (await app.strapi.documents(ENTITY).create({ data: { name: 'Zelda Quartermain', slug: 'zelda-quartermain', kind: 'person' } } as never)) as { documentId: string };
    expect(await knownIn('Zelda Quartermain met the ministers in Kyiv.')).toContain('zelda-quartermain');
    expect(await knownIn('Quartermain spoke first.')).not.toContain('zelda-quartermain');
    await app.strapi.documents(ENTITY).update({ documentId: entity.documentId, data: { aliases: ['Quartermain'] } } as never);
    expect(await knownIn('Quartermain spoke first.')).toContain('zelda-quartermain');
    await app.strapi.documents(ENTITY).delete({ documentId: entity.documentId } as never);
    expect(await knownIn('Zelda Quartermain met the ministers in Kyiv.')).not.toContain('zelda-quartermain');
  });
});

describe('an agency item through its versions', () => {
  const guid = 'urn:newsml:reuters.com:20240410:versions';

  it('is created once, unchanged when sent again, updated by a newer version, and a 409 for an older one', async () => {
    const first = await post(g2(guid, 1, 'Allies warned'), 'application/xml').expect(201);
    const id = first.body.data.documentId;
    const versions = (await versionsOf(id)).length;
    const again = await post(g2(guid, 1, 'Allies warned'), 'application/xml').expect(200);
    expect(again.body.data).toMatchObject({ documentId: id, action: 'unchanged' });
    expect((await versionsOf(id)).length).toBe(versions);

    const second = await post(g2(guid, 2, 'Allies warned again'), 'application/xml').expect(200);
    expect(second.body.data).toMatchObject({ documentId: id, action: 'updated', applied: true, version: '2' });
    const draft = await draftOf(id);
    expect(draft.title).toBe('Allies warned again');
    expect(draft.standfirst).toBe('Standfirst 2');
    expect(draft.sections.map((s: { heading: string | null }) => s.heading ?? null)).toEqual([null, 'More']);
    // The history names who ingested it: the API token.
    const newest = (await versionsOf(id)).pop();
    expect(newest.by_kind).toBe('api-token');

    const older = await post(g2(guid, 1, 'Allies warned'), 'application/xml').expect(409);
    expect(older.body.error).toMatchObject({ status: 409, name: 'VersionConflict' });
    expect(older.body.error.message).toMatch(/older than the version held \(2\)/);
  });

  it('once an editor has saved it, keeps a newer version in the history as "not applied" and leaves the article alone', async () => {
    const first = await post(g2(`${guid}:edited`, 1, 'Edited here'), 'application/xml').expect(201);
    const id = first.body.data.documentId;
    await app.strapi.documents(ARTICLE).update({ documentId: id, locale: 'en', data: { title: 'Edited here by the desk' } } as never);
    const next = await post(g2(`${guid}:edited`, 3, 'Agency rewrite'), 'application/xml').expect(200);
    expect(next.body.data).toMatchObject({ action: 'updated', applied: false });
    expect((await draftOf(id)).title).toBe('Edited here by the desk');
    const kept = (await versionsOf(id)).pop();
    expect(kept.action).toBe('ingest');
    expect(kept.note).toMatch(/^Reuters v3, not applied/);
    expect(JSON.parse(kept.content).title).toBe('Agency rewrite');
  });

  it('republishes a published article with the new text, and a correction adds to its log', async () => {
    const first = await post(g2(`${guid}:live`, 1, 'Live story'), 'application/xml').expect(201);
    const id = first.body.data.documentId;
    await app.strapi.documents(ARTICLE).publish({ documentId: id, locale: 'en' } as never);
    // Publishing here is not an edit of the text: the next version still applies.
    const fixed = await post(g2(`${guid}:live`, 2, 'Live story, corrected', { extra: '<signal qcode="sig:correction"/><edNote>Corrects the figure in paragraph 1</edNote>' }), 'application/xml').expect(200);
    expect(fixed.body.data).toMatchObject({ action: 'updated', applied: true, status: 'published' });
    const published = await app.strapi.documents(ARTICLE).findOne({ documentId: id, locale: 'en', status: 'published', populate: ['updates'] } as never) as Record<string, any>;
    expect(published.title).toBe('Live story, corrected');
    expect(published.updates).toEqual([expect.objectContaining({ kind: 'correction', note: 'Corrects the figure in paragraph 1' })]);
  });
});

describe('what an agency says about an item', () => {
  it('withheld: the article is marked and publishing it is refused until a usable version arrives', async () => {
    const guid = 'urn:test:withheld';
    const held = await post(g2(guid, 1, 'Withheld story', { status: 'withheld' }), 'application/xml').expect(200);
    expect(held.body.data.action).toBe('withheld');
    const id = held.body.data.documentId;
    expect((await draftOf(id)).agencyStatus).toBe('withheld');
    const refused = await request(app.server)
      .post(`/content-manager/collection-types/${ARTICLE}/${id}/actions/publish?locale=en`)
      .set({ Authorization: `Bearer ${await login(EDITOR)}` })
      .send({})
      .expect(400);
    expect(refused.body.error.message).toMatch(/^agencyStatus is withheld: the agency \(Reuters · urn:test:withheld · v1\)/);
    // An editor cannot clear the mark by saving the field.
    await app.strapi.documents(ARTICLE).update({ documentId: id, locale: 'en', data: { agencyStatus: 'usable' } } as never);
    expect((await draftOf(id)).agencyStatus).toBe('withheld');
    await post(g2(guid, 2, 'Withheld story, cleared'), 'application/xml').expect(200);
    expect((await draftOf(id)).agencyStatus).toBe('usable');
    await app.strapi.documents(ARTICLE).publish({ documentId: id, locale: 'en' } as never);
  });

  it('embargoed: the embargo becomes publishAt and an early publish is refused', async () => {
    const until = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const answer = await post(g2('urn:test:embargo', 1, 'Embargoed story', { extra: `<embargoed>${until}</embargoed>` }), 'application/xml').expect(201);
    const draft = await draftOf(answer.body.data.documentId);
    expect(new Date(draft.publishAt).toISOString()).toBe(new Date(until).toISOString());
    await expect(app.strapi.documents(ARTICLE).publish({ documentId: answer.body.data.documentId, locale: 'en' } as never)).rejects.toThrow(/^publishAt is/);
  });

  it('canceled (a kill): a published article is unpublished at once, its path answers 410, and the history says why', async () => {
    const guid = 'urn:test:kill';
    const first = await post(g2(guid, 1, 'Story to be killed'), 'application/xml').expect(201);
    const id = first.body.data.documentId;
    await app.strapi.documents(ARTICLE).publish({ documentId: id, locale: 'en' } as never);
    const slug = (await draftOf(id)).slug;
    await request(app.server).get('/api/resolve').query({ path: `/en/news/${slug}` }).expect(200);
    const kill = await post(g2(guid, 2, 'Story to be killed', { status: 'canceled', extra: '<edNote>KILL: legal reasons</edNote>' }), 'application/xml').expect(200);
    expect(kill.body.data).toMatchObject({ documentId: id, action: 'killed', status: 'draft' });
    expect(await publishedOf(id)).toBeNull();
    expect((await draftOf(id)).agencyStatus).toBe('canceled');
    await request(app.server).get('/api/resolve').query({ path: `/en/news/${slug}` }).expect(410);
    const notes = (await versionsOf(id)).map((v: { note: string | null }) => v.note);
    expect(notes).toContain('Killed by Reuters: KILL: legal reasons');
    // Republishing needs an Editor: a token (or the scheduler) is refused.
    await expect(app.strapi.documents(ARTICLE).publish({ documentId: id, locale: 'en' } as never)).rejects.toThrow(/^agencyStatus is canceled/);
    const editor = await request(app.server)
      .post(`/content-manager/collection-types/${ARTICLE}/${id}/actions/publish?locale=en`)
      .set({ Authorization: `Bearer ${await login(EDITOR)}` })
      .send({});
    expect(editor.status).toBe(200);
  });

  it('a kill of an item never seen creates nothing', async () => {
    const before = await articleRows();
    const kill = await post(g2('urn:test:unknown-kill', 4, 'Never seen', { status: 'canceled' }), 'application/xml').expect(200);
    expect(kill.body.data).toMatchObject({ documentId: null, action: 'killed' });
    expect(await articleRows()).toBe(before);
  });
});

describe('formats', () => {
  it('a NewsML-G2 message: the package groups the text with its picture, fetched (its largest rendition) and stored as the hero Image', async () => {
    const message = fixture('g2-message-package.xml');
    const images = await app.strapi.db.query('api::image.image').count({});
    const answer = await post(message, 'application/vnd.iptc.g2.newsmessage+xml', '?link=known').expect(201);
    expect(answer.body.data).toMatchObject({ action: 'created', guid: 'urn:newsml:example.com:20240410:text', version: '2' });
    const known = answer.body.meta.suggestions.known.map((k: { slug: string; via: string }) => `${k.slug}:${k.via}`);
    expect(known).toContain('joe-biden:code');
    expect(known).toEqual(expect.arrayContaining(['united-states:text', 'china:text', 'russia:text', 'beijing:text', 'moscow:text']));
    expect(requested).toContain('/highres.jpg');
    expect(requested).not.toContain('/thumb.jpg');
    const draft = await draftOf(answer.body.data.documentId);
    expect(draft.title).toBe("US presses allies on China's help to Russia");
    expect(draft.heroImage).toMatchObject({ caption: 'US President Joe Biden speaks in Washington.', altText: 'US President Joe Biden speaks in Washington.', credit: 'Kevin Lamarque', agency: 'Reuters', usageTerms: 'Editorial use only', licence: 'agency' });
    const hero = (await app.strapi.documents('api::image.image').findOne({ documentId: draft.heroImage.documentId, populate: ['asset'] } as never)) as Record<string, any>;
    expect(hero.asset.mime).toBe('image/jpeg');
    await request(app.server).get(hero.asset.url).expect(200);
    expect(await app.strapi.db.query('api::image.image').count({})).toBe(images + 1);
    // A newer version of the text: the picture (same URL) is the same Image, not a second copy.
    await post(message.replace('version="2" xml:lang', 'version="3" xml:lang'), 'application/vnd.iptc.g2.newsmessage+xml').expect(200);
    expect(await app.strapi.db.query('api::image.image').count({})).toBe(images + 1);
    expect(JSON.stringify(draft.sections)).not.toMatch(/track|evil|pixel/);
    expect(draft.sections[0].body[0].children).toEqual(expect.arrayContaining([{ type: 'text', text: 'satellite', bold: true, italic: true, underline: true }]));
  });

  it('NITF: a correction, subheadings, a quote and a list; its picture answers 404, the article is made without it', async () => {
    const answer = await post(fixture('nitf-correction.xml'), 'application/nitf+xml').expect(201);
    expect(answer.body.meta.warnings).toContain(`picture ${origin}/yellen.jpg was not fetched: it answered 404`);
    const draft = await draftOf(answer.body.data.documentId);
    expect(draft.heroImage).toBeNull();
    expect(draft.title).toBe("Sanctions widened over China's support");
    expect(draft.standfirst).toBe('The United States widened its sanctions.');
    expect(draft.sections.map((s: { heading: string | null }) => s.heading ?? null)).toEqual([null, 'Trade']);
    expect(draft.sections[1].body.map((b: { type: string }) => b.type)).toEqual(['paragraph', 'quote', 'list']);
    expect(draft.agencySource).toBe('AFP · AFP-20240410-0042 · v3');
  });

  it.each([
    ['ninjs 1.6', 'iptc/ninjs-1.6-004_simple_text_article.json', 'application/vnd.iptc.ninjs+json'],
    ['ninjs 2.2', 'iptc/ninjs-2.2-005_complex_text_article.json', 'application/json'],
  ])('%s from IPTC’s examples', async (_name, file, type) => {
    const answer = await post(fixture(file), type).expect(201);
    const draft = await draftOf(answer.body.data.documentId);
    expect(draft.title).toBe('Captain of wrecked cruise ship on trial in Italy');
    expect(JSON.stringify(draft.sections)).toMatch(/GROSSETO, Italy \(AP\)/);
  });
});

describe('a picture that is not one', () => {
  it('is not stored: bytes that are not an image are named in the warnings', async () => {
    const item = { uri: 'http://x.example/not-a-picture', headline: 'Picture trouble', body_html: '<p>Text.</p>', associations: { main: { uri: 'http://x.example/pic', type: 'picture', renditions: { web: { href: `${origin}/not-a-picture.jpg`, mimetype: 'image/jpeg' } } } } };
    const answer = await post(JSON.stringify(item), 'application/json').expect(201);
    expect(answer.body.meta.warnings).toContain(`picture ${origin}/not-a-picture.jpg was not fetched: it is not a JPEG, PNG, WebP, GIF or AVIF image (its bytes say nothing known)`);
  });
});

describe('bad input stores nothing', () => {
  const cases: [string, string | Buffer, string, number, RegExp][] = [
    ['malformed XML', '<newsItem guid="x"><contentMeta><headline>open</contentMeta></newsItem>', 'application/xml', 400, /line 1, column \d+/],
    ['a billion laughs', fixture('billion-laughs.xml'), 'application/xml', 400, /DTD that declares entities is refused/],
    ['external entities (file:///etc/passwd, http://)', fixture('external-entity.xml'), 'application/nitf+xml', 400, /DTD that declares entities is refused/],
    ['malformed JSON', '{"uri": "http://x.example/1",\n "headline": }', 'application/json', 400, /line 2, column \d+/],
    ['ninjs against IPTC’s schema', fixture('iptc/ninjs-2.2-002_renditions_example.json'), 'application/json', 422, /\/uri must match format "uri"/],
    ['an unknown format', 'x,y\n1,2', 'text/csv', 415, /text\/csv is not a format/],
    ['an unknown XML root', '<rss><channel/></rss>', 'text/xml', 415, /root element <rss>/],
    ['no headline and no body', '<nitf><head><docdata><doc-id id-string="empty"/></docdata></head><body/></nitf>', 'application/nitf+xml', 422, /no headline and no body/],
    // Found by npm run fuzz (seed 1213740044): a 500 once.
    ['no headline, and a body of only a list', '<nitf><head><docdata><doc-id id-string="list-only"/></docdata></head><body><body.content><ul><li>one</li></ul></body.content></body></nitf>', 'application/nitf+xml', 422, /no headline, and its body starts with no paragraph/],
    ['over INGEST_MAX_BYTES', Buffer.alloc(250_000, 'a'), 'text/plain', 413, /INGEST_MAX_BYTES/],
    ['a language the site has not', '{"uri": "http://x.example/lang", "headline": "Bonjour", "language": "fr"}', 'application/json', 422, /language fr is not a locale of this site/],
  ];
  it.each(cases)('%s', async (_name, body, type, status, message) => {
    const before = await articleRows();
    const answer = await post(body, type);
    expect(answer.status).toBe(status);
    expect(answer.body.error.status).toBe(status);
    expect(answer.body.error.message).toMatch(message);
    expect(await articleRows()).toBe(before);
  });

  it('a memory-flat refusal of the bomb (nothing was expanded)', async () => {
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 20; i++) await post(fixture('billion-laughs.xml'), 'application/xml').expect(400);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 1024 * 1024);
  });
});

describe('two deliveries of one item at the same moment', () => {
  it('make one article and one version', async () => {
    const item = g2('urn:test:race', 1, 'Race story');
    const answers = await Promise.all([post(item, 'application/xml'), post(item, 'application/xml'), post(item, 'application/xml')]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    const ids = new Set(answers.map((a) => a.body.data.documentId));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(await app.strapi.db.query(ARTICLE).count({ where: { documentId: id } })).toBe(1);
    expect((await versionsOf(id)).length).toBe(1);
  });
});

describe('the watched folder', () => {
  type Folder = { scan(): Promise<{ ingested: string[]; failed: string[]; waiting: string[] }> };
  const { ingestFolder } = appModule<{ ingestFolder(): Folder }>('src/ingest');
  const { WatchFolder } = appModule<{ WatchFolder: new (dir: string, ingest: unknown, log: unknown) => Folder }>('src/ingest/watch-folder');
  const ls = async (sub = '') => (await fs.readdir(path.join(DROP, sub))).filter((n) => !n.startsWith('.')).sort();

  it('reads a file once it stopped growing, moves it to processed/, and a bad one to error/ with why', async () => {
    const folder = ingestFolder();
    await fs.writeFile(path.join(DROP, 'story.xml'), g2('urn:test:folder', 1, 'From the folder').slice(0, 200));
    await fs.writeFile(path.join(DROP, 'broken.xml'), '<newsItem><contentMeta>');
    await fs.writeFile(path.join(DROP, 'upload.xml.part'), 'still coming');
    // First look: every file is new, none is read.
    expect((await folder.scan()).waiting.sort()).toEqual(['broken.xml', 'story.xml']);
    // Still being written: its size changed since, so it waits again.
    await fs.appendFile(path.join(DROP, 'story.xml'), g2('urn:test:folder', 1, 'From the folder').slice(200));
    const second = await folder.scan();
    expect(second.waiting).toEqual(['story.xml']);
    expect(second.failed).toEqual(['broken.xml']);
    const third = await folder.scan();
    expect(third.ingested).toEqual(['story.xml']);
    expect(await ls()).toEqual(['error', 'processed', 'upload.xml.part']);
    expect((await ls('processed'))[0]).toMatch(/-story\.xml$/);
    expect(await ls('error')).toEqual(['broken.xml', 'broken.xml.error.json']);
    const why = JSON.parse(await fs.readFile(path.join(DROP, 'error', 'broken.xml.error.json'), 'utf8'));
    expect(why.error).toMatchObject({ status: 400, name: 'MalformedInput' });
    expect(why.error.message).toMatch(/^XML is not well-formed at line 1/);
    const article = (await app.strapi.documents(ARTICLE).findFirst({ filters: { title: 'From the folder' }, locale: 'en', status: 'draft' } as never)) as { documentId: string };
    expect((await versionsOf(article.documentId)).pop()).toMatchObject({ by_kind: 'system', by_name: 'ingest folder' });
  });

  it('with two processes looking at once, each file is ingested once', async () => {
    const second = new WatchFolder(DROP, (bytes: Buffer, type: string) => appModule<{ ingestBytes: (...a: unknown[]) => Promise<unknown> }>('src/ingest').ingestBytes(app.strapi, bytes, type, { link: 'none' }), app.strapi.log);
    const names = Array.from({ length: 6 }, (_, i) => `race-${i}.xml`);
    for (const [i, name] of names.entries()) await fs.writeFile(path.join(DROP, name), g2(`urn:test:folder-race-${i}`, 1, `Folder race ${i}`));
    const first = ingestFolder();
    await Promise.all([first.scan(), second.scan()]);
    const runs = await Promise.all([first.scan(), second.scan()]);
    const ingested = runs.flatMap((r) => r.ingested).sort();
    expect(ingested).toEqual(names);
    for (let i = 0; i < names.length; i++) {
      expect(await app.strapi.db.query(ARTICLE).count({ where: { title: `Folder race ${i}` } })).toBe(1);
    }
  });
});

describe('syndication out: the article as ninjs', () => {
  const SCHEMAS = path.join(__dirname, '../../src/ingest/schemas');
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const { $schema: _draft, ...geojson } = JSON.parse(readFileSync(path.join(SCHEMAS, 'GeoJSON.json'), 'utf8'));
  ajv.addSchema(geojson);
  const valid = ajv.compile(JSON.parse(readFileSync(path.join(SCHEMAS, 'ninjs-schema_2.2.json'), 'utf8')));
  const slug = 'us-warns-allies-of-chinas-growing-support-for-russia-amid-ukraine-conflict';
  const { sqlDuring } = sqlCounter(app);

  it('is valid ninjs 2.2 with the story’s headline, bodies, entities by Wikidata URI and the hero with its rights', async () => {
    const answer = await request(app.server).get(`/api/articles/slug/${slug}/ninjs`).expect(200);
    expect(answer.headers['content-type']).toBe('application/vnd.iptc.ninjs+json; charset=utf-8');
    const item = JSON.parse(answer.text);
    expect(valid(item) ? [] : valid.errors).toEqual([]);
    expect(item.uri).toMatch(/^tag:localhost,2\d{3}-\d{2}-\d{2}:article:\w+:en$/);
    expect(item.headlines).toEqual([{ role: 'main', value: 'US Warns Allies of China’s Growing Support for Russia Amid Ukraine Conflict' }]);
    expect(item.bodies.map((b: { contenttype: string }) => b.contenttype)).toEqual(['text/plain', 'text/html']);
    expect(item.bodies[0].value).toContain('Xi-Biden Talks\n\nThis development comes at the heels');
    expect(item.people).toEqual(expect.arrayContaining([{ name: 'Joe Biden', rel: 'mentions', uri: 'http://www.wikidata.org/entity/Q6279' }]));
    expect(item.associations[0]).toMatchObject({ type: 'picture', by: 'Kevin Lamarque', copyrightholder: 'REUTERS' });
    expect(item.associations[0].renditions.length).toBeGreaterThan(1);
    // What we send out, we read back.
    const back = await post(answer.text, 'application/vnd.iptc.ninjs+json');
    expect(back.status).toBe(201);
    expect((await draftOf(back.body.data.documentId)).title).toBe(item.headlines[0].value);
  });

  it('is cached like the view (a second read runs no SQL) and its version follows the revisions', async () => {
    const first = JSON.parse((await request(app.server).get(`/api/articles/slug/${slug}/ninjs`).expect(200)).text);
    // Cached once the earlier tests' evictions have all arrived (on PostgreSQL they come back by NOTIFY, late).
    let statements = -1;
    for (const until = Date.now() + 5_000; Date.now() < until && statements !== 0; await new Promise((r) => setTimeout(r, 50)))
      [, statements] = await sqlDuring(() => request(app.server).get(`/api/articles/slug/${slug}/ninjs`).expect(200));
    expect(statements).toBe(0);
    const doc = (await app.strapi.documents(ARTICLE).findFirst({ filters: { slug }, locale: 'en', status: 'draft' } as never)) as { documentId: string };
    await app.strapi.documents(ARTICLE).update({ documentId: doc.documentId, locale: 'en', data: { standfirst: 'A new standfirst.' } } as never);
    await app.strapi.documents(ARTICLE).publish({ documentId: doc.documentId, locale: 'en' } as never);
    const next = JSON.parse((await request(app.server).get(`/api/articles/slug/${slug}/ninjs`).expect(200)).text);
    expect(Number(next.version)).toBe(Number(first.version) + 1);
    expect(next.descriptions).toEqual([{ role: 'summary', value: 'A new standfirst.' }]);
  });
});

describe('a WordPress export', () => {
  type Summary = { posts: number; created: number; updated: number; unchanged: number; failed: unknown[]; skipped: Record<string, number>; imagesFetched: number; imagesMissing: number; shortcodesLeft: Record<string, number>; redirects: number };
  const { importWordPress } = appModule<{ importWordPress(s: unknown, file: string, o: unknown): Promise<Summary> }>('src/ingest/wordpress/import');
  const uploads = mkdtempSync(path.join(os.tmpdir(), 'wp-uploads-'));
  const run = () => importWordPress(app.strapi, path.join(FIXTURES, 'wordpress.xml'), { uploads, pictures: { allowPrivate: true, maxBytes: 5_000_000, timeoutMs: 2_000 } });
  beforeAll(async () => {
    await fs.mkdir(path.join(uploads, '2024/04'), { recursive: true });
    await fs.writeFile(path.join(uploads, '2024/04/yellen.jpg'), JPEG);
    await fs.writeFile(path.join(uploads, '2024/04/biden-xi.jpg'), JPEG);
  });
  afterAll(() => fs.rm(uploads, { recursive: true, force: true }));

  it('imports the posts (not pages, revisions, attachments or menus) with their pictures, byline, topics and old addresses; a second run changes nothing', async () => {
    const images = await app.strapi.db.query('api::image.image').count({});
    const summary = await run();
    expect(summary).toMatchObject({ posts: 2, created: 2, updated: 0, unchanged: 0, failed: [], imagesMissing: 0, skipped: { page: 1, revision: 1, attachment: 2, nav_menu_item: 1 }, shortcodesLeft: { embed: 1, 'contact-form-7': 1 } });
    expect(summary.imagesFetched).toBe(2);
    expect(await app.strapi.db.query('api::image.image').count({})).toBe(images + 2);

    const published = (await app.strapi.documents(ARTICLE).findFirst({ filters: { slug: 'sanctions-widened' }, locale: 'en', status: 'published', populate: ['sections', 'authors', 'entities', 'heroImage'] } as never)) as Record<string, any>;
    expect(published.title).toBe('Sanctions widened over China’s support');
    expect(published.standfirst).toBe('Washington names new entities.');
    expect(published.firstPublishedAt).toBe('2024-04-10T14:30:00.000Z');
    expect(published.dateline).toBe('2024-04-10');
    expect(published.authors.map((a: { name: string; kind: string }) => `${a.name}:${a.kind}`)).toEqual(['Maria Reporter:person']);
    // The tag China is the story's entity already there; World is new.
    expect(published.entities.map((e: { slug: string }) => e.slug).sort()).toEqual(['china', 'world']);
    expect(published.heroImage).toMatchObject({ caption: 'Joe Biden meets Xi Jinping.', altText: 'Biden and Xi shake hands' });
    expect(published.sections.map((s: { heading: string | null }) => s.heading ?? null)).toEqual([null, 'Trade']);
    expect(JSON.stringify(published.sections)).toContain('[embed]https://video.example.com/v/1[/embed]');
    expect(JSON.stringify(published.sections)).not.toMatch(/\[caption|\[gallery/);

    const draft = (await app.strapi.documents(ARTICLE).findFirst({ filters: { title: 'A draft about Moscow' }, locale: 'en', status: 'draft' } as never)) as Record<string, any>;
    expect(draft.slug).toBe('a-draft-about-moscow');
    expect(await publishedOf(draft.documentId)).toBeNull();

    for (const old of ['/2024/04/10/sanctions-widened/', '/2024/04/10/sanctions-widened', '/?p=101']) {
      const resolved = await request(app.server).get('/api/resolve').query({ path: old }).expect(200);
      expect(resolved.body.data).toEqual({ kind: 'redirect', location: '/en/news/sanctions-widened', status: 301 });
    }
    // An unpublished draft's old address is gone, not unknown.
    await request(app.server).get('/api/resolve').query({ path: '/?p=102' }).expect(410);

    const again = await run();
    expect(again).toMatchObject({ posts: 2, created: 0, updated: 0, unchanged: 2, failed: [] });
    expect(await app.strapi.db.query('api::image.image').count({})).toBe(images + 2);
  });
});

/**
 * Generated inputs (generated-ingest): mutations of valid items of each format — values replaced,
 * fields dropped or added, markup nested, scripts and event attributes, the document cut short,
 * times with odd offsets, versions and statuses at random. Never a 5xx; a refusal stores nothing; an
 * accepted item is a draft. Reached = the format's parser answered (a 2xx, 409, 422, or a 400 saying
 * where the input broke); each format must reach it MIN_REACHED times and be ingested (a 2xx) in an eighth.
 */
describe('(generated-ingest) mutated items of every format', () => {
  const RUNS = 60;
  const BASE_SEED = 730_114_501;
  const tally = new Tally('generated ingest items per format (reached = the parser answered; outcome = status)');
  const ingested = new Map<string, number>();
  afterAll(() => {
    process.stdout.write(`${tally.report()}\n`);
  });

  const word = fc.stringMatching(/^[A-Za-z][a-z]{0,9}$/);
  const text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.array(word, { minLength: 1, maxLength: 12 }).map((w) => w.join(' ')),
    fc.constantFrom('Joe Biden met Xi Jinping in Beijing.', 'A & B < C > "D"', 'ümlaut café naïve', '制裁 санкции', ']]>', '\u0000\u0007', '&amp;&lt;&#x1F600;'),
  );
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
  // Markup: nested allowed and refused elements, attributes, text.
  const markup: fc.Arbitrary<string> = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      text.map(esc),
      fc.tuple(fc.constantFrom('p', 'b', 'i', 'em', 'strong', 'a', 'h2', 'h3', 'ul', 'li', 'blockquote', 'script', 'style', 'iframe', 'span', 'x-custom', 'img', 'br', 'u', 'code'), fc.constantFrom('', ' href="https://x.example/"', ' href="javascript:alert(1)"', ' onclick="evil()"', ' style="color:red"', ' src="https://t.example/p.gif"'), fc.array(tie('node'), { maxLength: 3 }))
        .map(([tag, attrs, children]) => `<${tag}${attrs}>${(children as string[]).join('')}</${tag}>`),
    ),
  })).node as fc.Arbitrary<string>;
  const time = fc.oneof(
    fc.date({ min: new Date('1990-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
    fc.tuple(fc.date({ min: new Date('1990-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }), fc.constantFrom('+05:30', '-04:00', '+0200', 'Z', '', '+14:00')).map(([d, z]) => d.toISOString().slice(0, 19) + z),
    fc.constantFrom('', 'yesterday', '2024-02-30T10:00:00Z', '20240410T153000+0200'),
  );
  const version = fc.oneof(fc.integer({ min: 0, max: 5 }).map(String), fc.constantFrom('', 'v2', '18446744073709551616', '-1'));
  const guid = fc.integer({ min: 0, max: 40 }).map((n) => `urn:fuzz:${n}`);
  /** A document, sometimes cut short. */
  const rarely = <T>(arb: fc.Arbitrary<T>, none: T) => fc.oneof({ weight: 4, arbitrary: fc.constant(none) }, { weight: 1, arbitrary: arb });
  const maybeCut = (doc: fc.Arbitrary<string>) => fc.tuple(doc, rarely(fc.double({ min: 0, max: 0.99, noNaN: true }), null as number | null)).map(([d, cut]) => (cut === null ? d : d.slice(0, Math.floor(d.length * cut))));

  const g2 = maybeCut(
    fc.record({ guid, version, status: fc.constantFrom('usable', 'withheld', 'canceled', 'usable', 'usable', 'bogus'), signal: fc.constantFrom('', '<signal qcode="sig:correction"/>', '<signal qcode="sig:update"/>'), created: time, headline: fc.option(text), body: fc.array(markup, { maxLength: 4 }), lang: fc.constantFrom('en', 'en-GB', 'fr', '', 'EN') }).map(
      (r) => `<?xml version="1.0"?><newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="${esc(r.guid)}" version="${esc(r.version)}"${r.lang ? ` xml:lang="${r.lang}"` : ''}><itemMeta><itemClass qcode="ninat:text"/><versionCreated>${esc(r.created)}</versionCreated><firstCreated>${esc(r.created)}</firstCreated><pubStatus qcode="stat:${r.status}"/>${r.signal}</itemMeta><contentMeta>${r.headline === null ? '' : `<headline>${esc(r.headline)}</headline>`}</contentMeta><contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body>${r.body.join('')}</body></html></inlineXML></contentSet></newsItem>`,
    ),
  );
  const nitf = maybeCut(
    fc.record({ guid, version, created: time, headline: fc.option(text), body: fc.array(markup, { maxLength: 4 }), status: fc.constantFrom('usable', 'withheld', 'canceled', 'embargoed', '') }).map(
      (r) => `<nitf><head><docdata${r.status ? ` management-status="${r.status}"` : ''}><doc-id id-string="${esc(r.guid)}"/><du-key version="${esc(r.version)}"/><date.issue norm="${esc(r.created.replace(/[-:]/g, '').slice(0, 15))}"/></docdata></head><body><body.head>${r.headline === null ? '' : `<hedline><hl1>${esc(r.headline)}</hl1></hedline>`}</body.head><body.content>${r.body.join('').replace(/<(\/?)h2/g, '<$1hl2')}</body.content></body></nitf>`,
    ),
  );
  const ninjsValue = fc.oneof(text, fc.integer(), fc.constant(null), fc.array(text, { maxLength: 2 }), fc.jsonValue({ maxDepth: 2 }));
  const ninjs = fc
    .record({
      base: fc.record({ uri: guid.map((g) => `http://fuzz.example/${g.replace(/:/g, '/')}`), version, versioncreated: fc.oneof({ weight: 4, arbitrary: fc.date({ min: new Date('1990-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }).map((d) => d.toISOString().replace('Z', '+05:30')) }, { weight: 1, arbitrary: time }), pubstatus: fc.constantFrom('usable', 'withheld', 'canceled', 'usable', 'gone'), language: fc.constantFrom('en', 'en-US', 'de'), headlines: text.map((value) => [{ role: 'main', value }]), bodies: fc.array(markup, { maxLength: 4 }).map((b) => [{ role: 'main', contenttype: 'text/html', value: b.join('') }]) }),
      drop: rarely(fc.subarray(['version', 'versioncreated', 'pubstatus', 'language', 'headlines', 'bodies', 'uri'], { minLength: 1 }), [] as string[]),
      replace: rarely(fc.dictionary(fc.constantFrom('headlines', 'bodies', 'version', 'pubstatus', 'by', 'people', 'associations', 'embargoed', 'unknownField'), ninjsValue, { minKeys: 1, maxKeys: 2 }), {} as Record<string, unknown>),
      major: fc.constantFrom(1, 2, 2),
    })
    .map(({ base, drop, replace, major }) => {
      const item: Record<string, unknown> = { ...base, ...replace };
      for (const k of drop) delete item[k];
      if (major === 1) {
        item.headline = (base.headlines[0] as { value: string }).value;
        item.body_html = (base.bodies[0] as { value: string }).value;
        delete item.headlines;
        delete item.bodies;
      }
      return JSON.stringify(item);
    });
  const plain = fc.array(fc.oneof(text, fc.constantFrom('April 10, 2024', 'IMAGE SOURCE: REUTERS/Kevin Lamarque', '!-- Google tag (gtag.js) -->', '', 'Short Heading')), { maxLength: 12 }).map((lines) => lines.join('\n'));
  const html = fc.array(markup, { maxLength: 6 }).map((parts) => `<html><head><title>t</title></head><body><article>${parts.join('')}</article></body></html>`);

  const FORMATS: [string, string, fc.Arbitrary<string>][] = [
    ['NewsML-G2', 'application/vnd.iptc.g2.newsitem+xml', g2],
    ['NITF', 'application/nitf+xml', nitf],
    ['ninjs', 'application/json', ninjs],
    ['text/plain', 'text/plain', plain],
    ['text/html', 'text/html', html],
  ];

  const counts = async () => [await app.strapi.db.query(ARTICLE).count({}), await app.strapi.db.query('api::ingest-item.ingest-item').count({}), await app.strapi.db.query('api::image.image').count({})];

  it.each(FORMATS.map(([name, type, arb], index) => ({ name, type, arb, index })))('$name: never a 5xx, a refusal stores nothing, an accepted item is a draft', async ({ name, type, arb, index }) => {
    await fc.assert(
      fc.asyncProperty(arb, async (body) => {
        const before = await counts();
        const answer = await post(body, type);
        expect(answer.status).toBeLessThan(500);
        const parsed = [200, 201, 409, 422].includes(answer.status) || (answer.status === 400 && answer.body.error?.name === 'MalformedInput');
        tally.count(name, parsed, String(answer.status));
        if (answer.status >= 400) expect(await counts()).toEqual(before);
        if (answer.status === 200 || answer.status === 201) {
          ingested.set(name, (ingested.get(name) ?? 0) + 1);
          const data = Array.isArray(answer.body.data) ? answer.body.data : [answer.body.data];
          // Every article an accepted item names has its draft (a kill of an item never seen names none).
          for (const d of data) if (d.documentId) expect(await draftOf(d.documentId, d.locale)).toBeTruthy();
        }
      }),
      runParameters(BASE_SEED, index, RUNS),
    );
    expect(tally.starved([name], Math.min(MIN_REACHED, Math.floor(RUNS * RUN_SCALE * 0.8)))).toEqual([]);
    expect(ingested.get(name) ?? 0).toBeGreaterThanOrEqual(Math.floor((RUNS * RUN_SCALE) / 8));
  }, 120_000);
});
