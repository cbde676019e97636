/**
 * The synthetic archive behind `npm run seed:synthetic` (scripts/seed-synthetic.js), for measuring
 * reads at scale next to the real story. Article k is always the same (slug `synthetic-<k>`, 4–10
 * sections of words drawn from a 30,000-word vocabulary by Zipf’s law, 2–12 entities drawn from a pool of about 20k with a Zipf-skewed distribution, one of
 * 50 hero images, dateline rising with k, first published over the years since 2014, the first
 * RECENT of them in the last 40 hours instead, so the news sitemap holds as many at 10k as at 100k),
 * whatever the batch size or how many runs it took: a
 * run with a larger `articles` adds only the missing ones. Each article is written as Strapi 5
 * stores a published document (a draft row and a published row, each with its own components and
 * links; one in twenty also in each of ru, uk and zh-Hans, with its own words: LOCALIZED), in bulk inserts to the tables Strapi's metadata names, not through the Document Service:
 * no change feed, no webhooks. Run it with the server stopped (a running server's read cache would
 * not know); it empties the sitemap index's month counts, which the next boot counts again. Plain JavaScript so the script and the tests load the same file.
 */
'use strict';

/** mulberry32: small, fast, and the same numbers on every machine. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rngFor = (seed, k, salt = 0) => random(Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(k + 1, 0x85ebca6b) ^ salt);

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const documentId = (rng) => Array.from({ length: 24 }, (_, i) => ALPHABET[Math.floor(rng() * (i === 0 ? 26 : 36))]).join('');

/** Synthetic articles first published in the last 40 hours (the news sitemap's window is 48). */
const RECENT = 100;
const KINDS = ['person', 'organization', 'country', 'place', 'event', 'topic'];

/** Zipf(s) over `n` ranks (s = 1.1 for entities: a few named everywhere, most rarely). */
function zipf(n, s = 1.1) {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r += 1) cumulative[r] = sum += 1 / Math.pow(r + 1, s);
  return (rng) => {
    const x = rng() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** Made-up word r of a syllable set: two to four syllables, the same on every machine. */
const madeUpOf = (syllables) => (r) => {
  let n = r + syllables.length * syllables.length;
  let word = '';
  while (n > 0) {
    word += syllables[n % syllables.length];
    n = Math.floor(n / syllables.length);
  }
  return word;
};

/**
 * A language's words: the most used first (rank 0 is the commonest: real words, some in several
 * of their forms), then made-up words, rarer and rarer; drawn with Zipf's law (s = 1).
 */
function language({ common, syllables, size, join = ' ', stop = '.' }) {
  const words = common.split(' ').filter((w, i, all) => all.indexOf(w) === i);
  const madeUp = madeUpOf(syllables);
  const vocabulary = [...words, ...Array.from({ length: size - words.length }, (_, r) => madeUp(r))];
  const draw = zipf(vocabulary.length, 1);
  return (rng, n) => {
    const picked = Array.from({ length: n }, () => vocabulary[draw(rng)]);
    const text = picked.join(join);
    return `${text[0].toUpperCase()}${text.slice(1)}${stop}`;
  };
}

/** English: "the" in nearly every article, most of the 30,000 words in a few. */
const sentence = language({
  common:
    'the minister said on tuesday that talks would resume after a week of pressure from allies while officials ' +
    'in the capital warned of new sanctions against companies supplying components and the markets fell as ' +
    'investors weighed the risk of a wider conflict across the region',
  syllables: ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'ba', 'do', 'fi', 'gu', 'ha', 'je', 'po', 'qua', 're', 'su', 'ta', 'wi', 'xo', 'yu', 'zi', 'an', 'el', 'or', 'um'],
  size: 30_000,
});

/**
 * The other locales, for some articles: a localization of article k in `LOCALIZED[k % 20]` (5 %
 * of the archive each), with its own words. Russian and Ukrainian with real words in several
 * forms (санкции, санкций, санкциях); Chinese without spaces, words of two characters.
 */
const LOCALIZED = {
  1: {
    locale: 'ru',
    title: 'Синтетическая статья',
    sentence: language({
      common:
        'министр заявил во вторник что переговоры возобновятся после недели давления со стороны союзников а чиновники ' +
        'в столице предупредили о новых санкциях против компаний санкции санкций поставляющих компоненты и рынки упали',
      syllables: ['ка', 'ло', 'ми', 'не', 'ру', 'са', 'ти', 'во', 'зе', 'ба', 'до', 'фи', 'гу', 'ха', 'же', 'по', 'ре', 'су', 'та', 'ви', 'щу', 'зи', 'ан', 'ел', 'ор', 'ум'],
      size: 10_000,
    }),
  },
  2: {
    locale: 'uk',
    title: 'Синтетична стаття',
    sentence: language({
      common:
        'міністр заявив у вівторок що переговори відновляться після тижня тиску з боку союзників а посадовці ' +
        'у столиці попередили про нові санкції санкцій санкціями проти компаній що постачають компоненти і ринки впали',
      syllables: ['ка', 'ло', 'мі', 'не', 'ру', 'са', 'ті', 'во', 'зе', 'ба', 'до', 'фі', 'гу', 'ха', 'же', 'по', 'ре', 'су', 'та', 'ві', 'ї', 'є', 'зі', 'ан', 'ел', 'ор'],
      size: 10_000,
    }),
  },
  3: {
    locale: 'zh-Hans',
    title: '合成报道',
    sentence: language({
      common: '部长 周二 表示 会谈 将在 盟友 施压 一周 之后 恢复 官员 首都 警告 新的 制裁 公司 供应 零件 市场 下跌 投资者 权衡 地区 冲突 风险',
      // Two characters each: made-up words of pairs (and longer) of these.
      syllables: [...'天地人和山水风云日月星光海河江湖花草木石金银铜铁红黄蓝绿东南西北春夏秋冬'],
      size: 10_000,
      join: '',
      stop: '。',
    }),
  },
};

async function seedSynthetic(strapi, opts, log = (line) => process.stderr.write(`${line}\n`)) {
  opts = { articles: 1000, entities: 20000, seed: 1, batch: 500, ...opts };
  const knex = strapi.db.connection;
  const meta = (uid) => strapi.db.metadata.get(uid);
  const article = meta('api::article.article');
  const image = meta('api::image.image');
  const entity = meta('api::entity.entity');
  const section = meta('story.section');
  const cmps = article.attributes.sections.joinTable;
  const named = article.attributes.entities.joinTable;
  const hero = article.attributes.heroImage.joinTable;
  const morph = meta('plugin::upload.file').attributes.related.joinTable;
  const isPg = strapi.db.dialect.client === 'postgres';
  // Rows per INSERT, under SQLite's limit of bound variables per statement.
  const chunk = 200;
  const insert = (trx, table, rows) => (rows.length ? trx.batchInsert(table, rows, chunk) : undefined);
  // Ids are given here (the link rows need them before insert), from each table's max id.
  const nextIds = {};
  for (const table of [entity.tableName, image.tableName, morph.name, article.tableName, section.tableName, cmps.name, named.name, hero.name]) {
    nextIds[table] = Number((await knex(table).max({ m: 'id' }).first()).m ?? 0) + 1;
  }
  const nextId = (table) => nextIds[table]++;
  const base = Date.UTC(2026, 0, 1);
  // The only value that depends on when the seed runs: "recent" is relative to now.
  const seededAt = Date.now();

  // The entity pool and the hero images, once.
  const have = await knex(entity.tableName).where('slug', 'like', 'synthetic-entity-%').count({ n: '*' }).first();
  if (Number(have.n) < opts.entities) {
    const from = Number(have.n);
    log(`entities ${from} -> ${opts.entities}`);
    for (let start = from; start < opts.entities; start += 5000) {
      await knex.transaction(async (trx) => {
        const rows = [];
        for (let k = start; k < Math.min(opts.entities, start + 5000); k += 1) {
          const rng = rngFor(opts.seed, k, 0xe17);
          const name = `Synthetic Entity ${k}`;
          const at = new Date(base + k);
          rows.push({
            id: nextId(entity.tableName),
            document_id: documentId(rng),
            name,
            slug: `synthetic-entity-${k}`,
            kind: KINDS[k % KINDS.length],
            description: sentence(rng, 8),
            aliases: JSON.stringify([]),
            label: name,
            created_at: at,
            updated_at: at,
            published_at: at,
          });
        }
        await insert(trx, entity.tableName, rows);
      });
    }
  }
  const entityIds = (await knex(entity.tableName).where('slug', 'like', 'synthetic-entity-%').orderBy('id').limit(opts.entities).select('id')).map((r) => r.id);
  const file = await knex(morph.name).where({ related_type: 'api::image.image', field: 'asset' }).orderBy('id').first();
  if (!file) throw new Error('no image asset to reuse: seed the story first (SEED_STORY=true)');
  let imageIds = (await knex(image.tableName).where('location', 'synthetic').orderBy('id').select('id')).map((r) => r.id);
  if (imageIds.length === 0) {
    await knex.transaction(async (trx) => {
      const images = [];
      const links = [];
      for (let k = 0; k < 50; k += 1) {
        const rng = rngFor(opts.seed, k, 0x1a6);
        const id = nextId(image.tableName);
        const at = new Date(base + k);
        images.push({ id, document_id: documentId(rng), caption: sentence(rng, 12), alt_text: sentence(rng, 6), credit: 'Synthetic', agency: 'SYNTHETIC', location: 'synthetic', created_at: at, updated_at: at, published_at: at });
        links.push({ id: nextId(morph.name), file_id: file.file_id, related_id: id, related_type: 'api::image.image', field: 'asset', order: 1 });
      }
      await insert(trx, image.tableName, images);
      await insert(trx, morph.name, links);
    });
    imageIds = (await knex(image.tableName).where('location', 'synthetic').orderBy('id').select('id')).map((r) => r.id);
  }

  const pick = zipf(entityIds.length);
  const existing = Number((await knex(article.tableName).where('slug', 'like', 'synthetic-%').where('locale', 'en').whereNotNull('published_at').count({ n: '*' }).first()).n);
  if (existing >= opts.articles) {
    log(`articles: ${existing} synthetic already, nothing to add`);
    return { added: 0 };
  }
  log(`articles ${existing} -> ${opts.articles}`);
  const t0 = Date.now();
  for (let start = existing; start < opts.articles; start += opts.batch) {
    const end = Math.min(opts.articles, start + opts.batch);
    await knex.transaction(async (trx) => {
      const rows = { articles: [], sections: [], cmps: [], named: [], hero: [] };
      for (let k = start; k < end; k += 1) {
        const rng = rngFor(opts.seed, k);
        const doc = documentId(rng);
        const title = `Synthetic story ${k}: ${sentence(rng, 6).slice(0, -1)}`;
        const dateline = new Date(Date.UTC(2000, 0, 1) + k * 3_600_000).toISOString().slice(0, 10);
        const at = new Date(base + k * 1000);
        // First publications spread over the years since 2014 (one every ~50 min), and the first
        // RECENT within the last 40 hours (what the news sitemap and feeds show first).
        const firstPublishedAt = k < RECENT ? new Date(seededAt - (k % 40) * 3_600_000 - k * 1000) : new Date(Date.UTC(2014, 0, 1) + k * 3_000_000);
        const sectionTexts = Array.from({ length: 4 + Math.floor(rng() * 7) }, (_, i) => ({
          heading: i === 0 ? null : sentence(rng, 4).slice(0, -1),
          body: JSON.stringify(Array.from({ length: 1 + Math.floor(rng() * 4) }, () => ({ type: 'paragraph', children: [{ type: 'text', text: sentence(rng, 25) }] }))),
        }));
        const chosen = new Set();
        const wanted = 2 + Math.floor(rng() * 11);
        while (chosen.size < Math.min(wanted, entityIds.length)) chosen.add(entityIds[pick(rng)]);
        const heroImage = imageIds[Math.floor(rng() * imageIds.length)];
        const standfirst = sentence(rng, 30);
        const versions = [{ locale: 'en', title, standfirst, sectionTexts }];
        const other = LOCALIZED[k % 20];
        if (other) {
          // Its own random numbers: article k in English is the same with or without it.
          const lrng = rngFor(opts.seed, k, 0x10c);
          versions.push({
            locale: other.locale,
            title: `${other.title} ${k}: ${other.sentence(lrng, 6).slice(0, -1)}`,
            standfirst: other.sentence(lrng, 30),
            sectionTexts: sectionTexts.map((s, i) => ({
              heading: i === 0 ? null : other.sentence(lrng, 4).slice(0, -1),
              body: JSON.stringify(Array.from({ length: 1 + Math.floor(lrng() * 4) }, () => ({ type: 'paragraph', children: [{ type: 'text', text: other.sentence(lrng, 25) }] }))),
            })),
          });
        }
        // For each locale, the draft row and the published row, each with its own components and links.
        for (const [version, publishedAt] of versions.flatMap((v) => [[v, null], [v, at]])) {
          const id = nextId(article.tableName);
          rows.articles.push({ id, document_id: doc, title: version.title, slug: `synthetic-${k}`, standfirst: version.standfirst, dateline, created_at: at, updated_at: at, published_at: publishedAt, first_published_at: firstPublishedAt, locale: version.locale });
          let order = 1;
          for (const s of version.sectionTexts) {
            const cmpId = nextId(section.tableName);
            rows.sections.push({ id: cmpId, heading: s.heading, body: s.body });
            rows.cmps.push({ id: nextId(cmps.name), [cmps.joinColumn.name]: id, [cmps.inverseJoinColumn.name]: cmpId, component_type: 'story.section', field: 'sections', [cmps.orderColumnName]: order++ });
          }
          let ord = 1;
          for (const entityId of chosen) {
            rows.named.push({ id: nextId(named.name), [named.joinColumn.name]: id, [named.inverseJoinColumn.name]: entityId, [named.orderColumnName]: ord++ });
          }
          rows.hero.push({ id: nextId(hero.name), [hero.joinColumn.name]: id, [hero.inverseJoinColumn.name]: heroImage });
        }
      }
      await insert(trx, article.tableName, rows.articles);
      await insert(trx, section.tableName, rows.sections);
      await insert(trx, cmps.name, rows.cmps);
      await insert(trx, named.name, rows.named);
      await insert(trx, hero.name, rows.hero);
    });
    const done = end - existing;
    const rate = Math.round(done / ((Date.now() - t0) / 1000));
    log(`articles ${end}/${opts.articles} (${rate}/s)`);
  }

  if (isPg) {
    // Ids were given here: move each sequence past them, so Strapi's next insert does not collide.
    for (const table of Object.keys(nextIds)) {
      await knex.raw(`select setval(pg_get_serial_sequence(?, 'id'), (select coalesce(max(id), 1) from ??))`, [table, table]);
    }
  }
  // Written past the change feed: the next boot counts the sitemap index's months again.
  await knex(meta('api::sitemap-month.sitemap-month').tableName).delete();
  await knex.raw('analyze');
  return { added: opts.articles - existing };
}


module.exports = { seedSynthetic };
