#!/usr/bin/env node
/**
 * `npm run bench:ingest`: ingest, measured in one run.
 *   1. Items per second through POST /api/ingest, one process, one request at a time, NewsML-G2 and
 *      ninjs 2.x (--items distinct items each, a headline, a standfirst, four paragraphs under two
 *      subheadings, a byline, two subjects), on SQLite and on PostgreSQL: throughput, p50 and p99 ms
 *      per item, beside a plain draft create of the same article through stock Strapi's REST route
 *      (POST /api/articles, the same title, standfirst and sections) to show what parsing, matching
 *      and the item bookkeeping add.
 *   2. New-entity candidates with an empty vocabulary: precision and recall against the first story's
 *      23 entities (the rules were written on that story), and against the people, organisations and
 *      places IPTC annotated on its own ninjs 2.2 example (text the rules never saw).
 *   3. `npm run import:wordpress` of a generated WXR of --wpPosts posts (10,000; every fifth with a featured
 *      image, --wpImages distinct pictures served by a local HTTP server through --media-base, captions,
 *      galleries, 20 categories, 50 tags, 5 authors, unknown shortcodes, --wpBodyKb of text each: 10, so
 *      ~100 MB in all) into a fresh SQLite database:
 *      wall time, the importer's peak RSS, and its RSS sampled every 5 s (flat = no growth with the posts).
 * Goals: at least 50 items per second on SQLite; the WordPress import under 10 minutes, RSS flat under 600 MB.
 * Options: --items N (200) per round, --rounds N (3), --postgres URL (a throwaway database by default), --wpPosts N, --wpImages N, --wpBodyKb N,
 * --only items|wordpress.
 * Results: scripts/bench-results/ingest.json and .md (git-ignored) and Markdown on stdout.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { compileStrapi } = require('@strapi/strapi');
const { benchEnv, median, parseOptions, percentile, pinToLoadCore, startChild, throwawayDatabase, LOAD_CORE, SERVER_CORE } = require('./bench-child');

const appDir = path.resolve(__dirname, '..');
const opts = parseOptions({ items: 200, rounds: 3, postgres: '', wpPosts: 10_000, wpImages: 2_000, wpBodyKb: 10, only: '' }, process.argv.slice(2));
// The items' client runs on the load core, the server on the server core (the WordPress import is one process: not pinned).
if (opts.only !== 'wordpress') pinToLoadCore(__filename);
const pinned = Boolean(process.env.BENCH_PINNED);
const PORT = 17451;
const BASE = `http://127.0.0.1:${PORT}`;

const PARAGRAPHS = [
  'Amidst the ongoing Russia-Ukraine conflict, the US is cautioning its allies about China sharing geospatial intelligence to aid Russia.',
  'Sources familiar with the matter told Bloomberg that China has been supplying Russia with satellite imagery and machine tools.',
  'Secretary of State Antony Blinken briefed European allies on the extent of China’s assistance.',
  'Treasury Secretary Janet Yellen has warned of significant repercussions for companies found to support Russian military endeavours.',
];

const g2 = (i) => `<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:bench:g2:${i}" version="1" xml:lang="en">
 <itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:REUTERS"><name>Reuters</name></provider><versionCreated>2024-04-10T09:00:00-04:00</versionCreated><pubStatus qcode="stat:usable"/></itemMeta>
 <contentMeta><creator><name>Bench Reporter</name></creator><subject type="cpnat:abstract" qcode="medtop:11000000"><name>politics</name></subject><subject type="cpnat:person" qcode="wd:Q6279"><name>Joe Biden</name></subject>
  <headline>US warns allies, item ${i}</headline><description role="drol:summary">The Biden Administration has sanctioned Chinese entities (${i}).</description></contentMeta>
 <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body>
  <p>${PARAGRAPHS[0]}</p><p>${PARAGRAPHS[1]}</p><h2>Xi-Biden Talks</h2><p>${PARAGRAPHS[2]}</p><h2>US Sanctions</h2><p>${PARAGRAPHS[3]}</p>
 </body></html></inlineXML></contentSet>
</newsItem>`;

const ninjs = (i) =>
  JSON.stringify({
    uri: `urn:bench:ninjs:${i}`,
    version: '1',
    type: 'text',
    language: 'en',
    versioncreated: '2024-04-10T09:00:00-04:00',
    headlines: [{ role: 'main', value: `US warns allies, ninjs ${i}` }],
    descriptions: [{ role: 'summary', value: `The Biden Administration has sanctioned Chinese entities (${i}).` }],
    by: 'Bench Reporter',
    subjects: [{ name: 'politics', uri: 'http://cv.iptc.org/newscodes/mediatopic/11000000' }],
    people: [{ name: 'Joe Biden', uri: 'http://www.wikidata.org/entity/Q6279' }],
    bodies: [{ role: 'main', contenttype: 'text/html', value: `<p>${PARAGRAPHS[0]}</p><p>${PARAGRAPHS[1]}</p><h2>Xi-Biden Talks</h2><p>${PARAGRAPHS[2]}</p><h2>US Sanctions</h2><p>${PARAGRAPHS[3]}</p>` }],
  });

const stock = (i) =>
  JSON.stringify({
    data: {
      title: `US warns allies, stock ${i}`,
      slug: `bench-stock-${i}`,
      dateline: '2024-04-10',
      standfirst: `The Biden Administration has sanctioned Chinese entities (${i}).`,
      sections: [
        { body: PARAGRAPHS.slice(0, 2).map((text) => ({ type: 'paragraph', children: [{ type: 'text', text }] })) },
        { heading: 'Xi-Biden Talks', body: [{ type: 'paragraph', children: [{ type: 'text', text: PARAGRAPHS[2] }] }] },
        { heading: 'US Sanctions', body: [{ type: 'paragraph', children: [{ type: 'text', text: PARAGRAPHS[3] }] }] },
      ],
    },
  });

/** One round of `opts.items` distinct items (numbered from `from`), one request at a time: items/s and each item's ms. */
async function round(token, name, url, type, body, expected, from) {
  const times = [];
  const started = process.hrtime.bigint();
  for (let i = from; i < from + opts.items; i++) {
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${BASE}${url}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: body(i) });
    const text = await res.text();
    if (res.status !== expected) throw new Error(`${name} item ${i}: ${res.status} ${text.slice(0, 300)}`);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: opts.items / seconds, times };
}

/** A warm-up round, then `opts.rounds` interleaved rounds of each target: the median round's items/s, every round's, and p50/p99 over all items. */
async function measure(token, targets) {
  const rounds = targets.map(() => []);
  // A warm-up round of each, not counted (the first hundred requests of a fresh process run cold code).
  for (const t of targets) await round(token, t.name, t.url, t.type, t.body, t.expected, 1_000_000);
  for (let r = 0; r < opts.rounds; r++) {
    for (const [k, t] of targets.entries()) rounds[k].push(await round(token, t.name, t.url, t.type, t.body, t.expected, r * opts.items));
  }
  const one = (x) => Math.round(x * 10) / 10;
  return targets.map((t, k) => {
    const times = rounds[k].flatMap((x) => x.times);
    return { name: t.name, items: opts.items, rounds: rounds[k].map((x) => one(x.perSecond)), perSecond: one(median(rounds[k].map((x) => x.perSecond))), p50: one(percentile(times, 50)), p99: one(percentile(times, 99)) };
  });
}

async function database(client, work) {
  if (client === 'sqlite') return { env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(work, 'bench-ingest.db') }, drop: async () => {} };
  if (opts.postgres) return { env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: opts.postgres }, drop: async () => {} };
  const db = await throwawayDatabase('ingest');
  return { env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: db.url }, drop: db.drop };
}

/** Precision and recall of the candidates against `gold` (names, each with its aliases). */
function measureCandidates(candidates, gold, fold) {
  const key = (s) => fold(s).folded;
  const match = (c) => gold.find((g) => g.some((n) => key(n) === key(c.name)));
  const hits = candidates.filter(match);
  const found = new Set(hits.map((c) => gold.indexOf(match(c))));
  return { candidates: candidates.length, precision: candidates.length ? Math.round((hits.length / candidates.length) * 100) / 100 : 0, recall: Math.round((found.size / gold.length) * 100) / 100, missed: gold.filter((_, i) => !found.has(i)).map((g) => g[0]), wrong: candidates.filter((c) => !match(c)).map((c) => c.name) };
}

/** A WXR 1.2 export of `posts` posts and `images` attachments, written as a stream. */
async function writeWxr(file, posts, images) {
  const out = fs.createWriteStream(file);
  const write = (s) => (out.write(s) ? Promise.resolve() : new Promise((r) => out.once('drain', r)));
  await write(`<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Bench</title><language>en-US</language>\n`);
  for (let a = 0; a < 5; a++) await write(`<wp:author><wp:author_login>author${a}</wp:author_login><wp:author_display_name><![CDATA[Author Number ${a}]]></wp:author_display_name></wp:author>\n`);
  const every = Math.max(1, Math.floor(posts / images));
  for (let i = 0; i < posts; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const image = i % every === 0 && i / every < images ? 100_000 + i / every : null;
    // About --wpBodyKb of prose per post (10 KB: a long news story), so 10,000 posts make a ~100 MB export.
    const filler = Array.from({ length: Math.max(0, Math.round((opts.wpBodyKb * 1024) / 140) - 3) }, (_, k) => PARAGRAPHS[(i + k) % 4]).join('\n\n');
    const body = [PARAGRAPHS[i % 4], filler, image !== null && i % 2 === 0 ? `[caption id="attachment_${image}" width="800"]<img src="https://old.example.com/wp-content/uploads/2024/04/img-${image}.jpg" alt="Picture ${image}" /> Caption ${image}.[/caption]` : '', `<h2>Part two</h2>`, PARAGRAPHS[(i + 1) % 4], i % 7 === 0 ? '[embed]https://video.example.com/v/1[/embed]' : '', PARAGRAPHS[(i + 2) % 4]].filter(Boolean).join('\n\n');
    await write(`<item><title><![CDATA[Bench post ${i}: US warns allies]]></title><link>https://old.example.com/2024/04/${day}/bench-post-${i}/</link><dc:creator>author${i % 5}</dc:creator><guid isPermaLink="false">https://old.example.com/?p=${i + 1}</guid><content:encoded><![CDATA[${body}]]></content:encoded><excerpt:encoded><![CDATA[Standfirst of post ${i}.]]></excerpt:encoded><wp:post_id>${i + 1}</wp:post_id><wp:post_date>2024-04-${day} 10:00:00</wp:post_date><wp:post_date_gmt>2024-04-${day} 14:00:00</wp:post_date_gmt><wp:post_name>bench-post-${i}</wp:post_name><wp:status>${i % 10 === 9 ? 'draft' : 'publish'}</wp:status><wp:post_type>post</wp:post_type><category domain="category" nicename="section-${i % 20}"><![CDATA[Section ${i % 20}]]></category><category domain="post_tag" nicename="tag-${i % 50}"><![CDATA[Tag ${i % 50}]]></category>${image !== null ? `<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>${image}</wp:meta_value></wp:postmeta>` : ''}</item>\n`);
  }
  for (let k = 0; k < images; k++) {
    const id = 100_000 + k;
    await write(`<item><title>img-${id}</title><guid isPermaLink="false">https://old.example.com/wp-content/uploads/2024/04/img-${id}.jpg</guid><excerpt:encoded><![CDATA[Caption ${id}.]]></excerpt:encoded><wp:post_id>${id}</wp:post_id><wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type><wp:attachment_url>https://old.example.com/wp-content/uploads/2024/04/img-${id}.jpg</wp:attachment_url><wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>Picture ${id}</wp:meta_value></wp:postmeta></item>\n`);
  }
  await write('</channel></rss>\n');
  await new Promise((r) => out.end(r));
}

/** The WordPress import of a generated export, in a child process: wall time, peak RSS, RSS over time. */
async function wordpress(work) {
  const http = require('node:http');
  const { spawn } = require('node:child_process');
  const jpeg = fs.readFileSync(path.join(appDir, 'database/seed/story/placeholder-biden-xi-apec-woodside-2023.jpg'));
  let served = 0;
  const server = http.createServer((req, res) => {
    served += 1;
    if (/^\/2024\/04\/img-\d+\.jpg$/.test(req.url)) res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
    else res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const file = path.join(work, 'export.xml');
  await writeWxr(file, opts.wpPosts, opts.wpImages);
  const bytes = fs.statSync(file).size;
  const env = benchEnv({ DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(work, 'wordpress.db'), PUBLIC_DIR: work, SEED_STORY: 'false', INGEST_ALLOW_PRIVATE_SOURCES: 'true' });
  const started = Date.now();
  // The node flags `npm run import:wordpress` runs with (its heap cap), then BENCH_CHILD_FLAGS (e.g. --cpu-prof).
  const script = require('../package.json').scripts['import:wordpress'].split(/\s+/);
  const flags = [...script.slice(1, script.indexOf('scripts/import-wordpress.js')), ...(process.env.BENCH_CHILD_FLAGS ?? '').split(' ').filter(Boolean)];
  const child = spawn(process.execPath, [...flags, path.join(__dirname, 'import-wordpress.js'), file, '--media-base', base, '--json', '--no-build'], { cwd: appDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
  const samples = [];
  const timer = setInterval(() => {
    try {
      const rss = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
      if (rss) samples.push({ s: Math.round((Date.now() - started) / 1000), mb: Math.round(Number(rss) / 1024) });
    } catch {
      // exited
    }
  }, 5_000);
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const code = await new Promise((r) => child.on('exit', r));
  clearInterval(timer);
  server.close();
  const summary = JSON.parse(stdout.trim().split('\n').pop() || '{}');
  return { code, bytes, wallSeconds: Math.round((Date.now() - started) / 1000), served, summary, samples };
}

async function main() {
  await compileStrapi({ appDir });
  if (opts.only === 'wordpress') {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-wp-'));
    fs.mkdirSync(path.join(work, 'uploads'));
    const wp = await wordpress(work);
    fs.rmSync(work, { recursive: true, force: true });
    const md = wordpressMarkdown(wp);
    fs.mkdirSync(path.join(__dirname, 'bench-results'), { recursive: true });
    fs.writeFileSync(path.join(__dirname, 'bench-results', 'ingest-wordpress.json'), JSON.stringify(wp, null, 2));
    fs.writeFileSync(path.join(__dirname, 'bench-results', 'ingest-wordpress.md'), md);
    process.stdout.write(`${md}\n`);
    return;
  }
  const dist = (p) => require(path.join(appDir, 'dist', p));
  const { suggestCandidates } = dist('src/ingest/candidates');
  const { fold } = dist('src/ingest/suggest');
  const { parseInput } = dist('src/ingest/parse');
  const { entities } = dist('database/seed/story/story');
  const story = parseInput(fs.readFileSync(path.join(appDir, 'database/seed/story/source.txt')), 'text/plain').items[0];
  const onStory = measureCandidates(suggestCandidates(story, []), entities.map((e) => [e.name, ...e.aliases]), fold);
  const iptc = parseInput(fs.readFileSync(path.join(appDir, 'tests/fixtures/ingest/iptc/ninjs-2.2-005_complex_text_article.json')), 'application/json').items[0];
  const onIptc = measureCandidates(suggestCandidates(iptc, []), iptc.concepts.map((c) => [c.name]), fold);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ingest-'));
  fs.mkdirSync(path.join(work, 'uploads'));
  const throughput = [];
  for (const client of ['sqlite', 'postgres']) {
    const db = await database(client, work);
    const app = await startChild('bench-app.js', benchEnv({ ...db.env, PUBLIC_DIR: work, BENCH_PORT: String(PORT) }), pinned);
    try {
      const targets = [
        { name: 'NewsML-G2', url: '/api/ingest', type: 'application/vnd.iptc.g2.newsitem+xml', body: g2, expected: 201 },
        { name: 'ninjs 2.x', url: '/api/ingest', type: 'application/vnd.iptc.ninjs+json', body: ninjs, expected: 201 },
        { name: 'stock POST /api/articles?status=draft (same article)', url: '/api/articles?status=draft', type: 'application/json', body: stock, expected: 201 },
      ];
      for (const r of await measure(app.token, targets)) throughput.push({ database: client, ...r });
    } finally {
      app.kill('SIGTERM');
      await new Promise((r) => app.once('exit', r));
      await db.drop();
    }
  }
  fs.rmSync(work, { recursive: true, force: true });

  const md = [
    `## bench:ingest (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}, ${opts.rounds} interleaved rounds of ${opts.items} items per target; ${pinned ? `server on core ${SERVER_CORE}, client on core ${LOAD_CORE}` : 'NOT pinned'})`,
    '',
    '| database | what | items/s (median round) | each round | p50 ms | p99 ms |',
    '| --- | --- | ---: | --- | ---: | ---: |',
    ...throughput.map((r) => `| ${r.database} | ${r.name} | ${r.perSecond} | ${r.rounds.join(', ')} | ${r.p50} | ${r.p99} |`),
    '',
    '| candidates, empty vocabulary | candidates | precision | recall | missed | not entities |',
    '| --- | ---: | ---: | ---: | --- | --- |',
    `| the first story (source.txt) vs its 23 entities | ${onStory.candidates} | ${onStory.precision} | ${onStory.recall} | ${onStory.missed.join(', ') || '–'} | ${onStory.wrong.join(', ') || '–'} |`,
    `| IPTC's ninjs 2.2 example vs its ${iptc.concepts.length} annotated concepts | ${onIptc.candidates} | ${onIptc.precision} | ${onIptc.recall} | ${onIptc.missed.join(', ') || '–'} | ${onIptc.wrong.join(', ') || '–'} |`,
    '',
  ].join('\n');
  fs.mkdirSync(path.join(__dirname, 'bench-results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'bench-results', 'ingest.json'), JSON.stringify({ throughput, candidates: { story: onStory, iptc: onIptc } }, null, 2));
  fs.writeFileSync(path.join(__dirname, 'bench-results', 'ingest.md'), md);
  process.stdout.write(`${md}\n`);
}

function wordpressMarkdown(wp) {
  const s = wp.summary;
  const mb = wp.samples.map((x) => x.mb);
  const quarter = (q) => wp.samples[Math.min(wp.samples.length - 1, Math.floor(q * (wp.samples.length - 1)))]?.mb ?? '–';
  return [
    `## import:wordpress (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, SQLite)`,
    '',
    `A generated export of ${opts.wpPosts} posts and ${opts.wpImages} pictures (${Math.round(wp.bytes / 1024 / 1024)} MB), pictures from a local server: exit ${wp.code}, ${wp.wallSeconds} s wall (the importer says ${s.seconds} s after its boot; seconds at each tenth of the posts: ${(s.tenths ?? []).join(', ')}).`,
    '',
    '| posts | created | unchanged | failed | images stored | missing | redirects | shortcodes left | peak RSS | RSS at 25 / 50 / 75 / 100 % of the run |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |',
    `| ${s.posts} | ${s.created} | ${s.unchanged} | ${(s.failed ?? []).length} | ${s.imagesFetched} | ${s.imagesMissing} | ${s.redirects} | ${Object.entries(s.shortcodesLeft ?? {}).map(([n, c]) => `${n} ×${c}`).join(', ')} | ${s.maxRssMb} MB | ${[0.25, 0.5, 0.75, 1].map(quarter).join(' / ')} MB (max sampled ${mb.length ? Math.max(...mb) : '–'}) |`,
    '',
  ].join('\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
