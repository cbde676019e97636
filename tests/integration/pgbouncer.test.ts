/**
 * PgBouncer in front of PostgreSQL (PostgreSQL only): which pool mode the product works with.
 * LISTEN/NOTIFY (cross-process cache eviction, the dispatcher's wake-up, kept settings) needs a
 * server connection that stays the client's: session pooling. Transaction pooling hands each
 * transaction whatever server connection is free, so a LISTEN is lost and a session-level advisory
 * lock is shared by whoever gets that connection next — shown here on a real PgBouncer — and two
 * app processes through PgBouncer in session mode still see each other's publishes within a second.
 */
import { Client } from 'pg';
import { serveOnTestDatabase, type ServedApp } from '../helpers/child-app';
import { createTestDatabase } from '../helpers/database';
import { startPgBouncer, type PgBouncer } from '../helpers/pgbouncer';
import { sleep } from '../helpers/receiver';
import { story } from '../helpers/story';
import { appDir } from '../helpers/strapi';

const onPostgres = process.env.DATABASE_CLIENT === 'postgres' ? describe : describe.skip;
const adminUrl = () => process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** Two clients through PgBouncer: does a LISTEN on one hear five NOTIFYs from the other, and can both take one session lock? */
async function probe(bouncer: PgBouncer): Promise<{ heard: number; bothLocked: boolean }> {
  const [a, b] = [new Client({ connectionString: bouncer.through(adminUrl()) }), new Client({ connectionString: bouncer.through(adminUrl()) })];
  await a.connect();
  await b.connect();
  try {
    let heard = 0;
    a.on('notification', () => (heard += 1));
    await a.query('LISTEN newsroom_pool_probe');
    for (let i = 0; i < 5; i += 1) await b.query("select pg_notify('newsroom_pool_probe', 'x')");
    await sleep(500);
    const key = 727_240_499;
    const [la, lb] = [await a.query('select pg_try_advisory_lock($1) as l', [key]), await b.query('select pg_try_advisory_lock($1) as l', [key])];
    await a.query('select pg_advisory_unlock_all()');
    await b.query('select pg_advisory_unlock_all()');
    return { heard, bothLocked: la.rows[0].l === true && lb.rows[0].l === true };
  } finally {
    await a.end();
    await b.end();
  }
}

onPostgres('PgBouncer', () => {
  it('transaction pooling loses LISTEN and shares session locks; session pooling keeps both', async () => {
    const transaction = await startPgBouncer('transaction');
    try {
      expect(await probe(transaction)).toEqual({ heard: 0, bothLocked: true });
    } finally {
      await transaction.stop();
    }
    const session = await startPgBouncer('session');
    try {
      expect(await probe(session)).toEqual({ heard: 5, bothLocked: false });
    } finally {
      await session.stop();
    }
  }, 60_000);

  it('two processes through PgBouncer in session mode: a publish through one is read through the other within a second, over REST and a GraphQL GET', async () => {
    const bouncer = await startPgBouncer('session');
    const database = await createTestDatabase(appDir);
    const served: ServedApp[] = [];
    try {
      const env = { ...database.env, DATABASE_URL: bouncer.through(database.env.DATABASE_URL), REBUILD_POLL_MS: '600000' };
      // One after the other: the first boot creates the schema.
      served.push(await serveOnTestDatabase(env, database));
      served.push(await serveOnTestDatabase(env, database));
      const [a, b] = served;
      const list = (await (await fetch(`${a.base}/api/articles?filters[slug][$eq]=${story.slug}&fields[0]=title`)).json()) as { data: { documentId: string }[] };
      const id = list.data[0].documentId;
      const read = async () => ((await (await fetch(`${b.base}/api/articles/${id}`)).json()) as { data: { standfirst: string } }).data.standfirst;
      // The same article as a GraphQL GET, which B's read cache keeps too.
      const query = encodeURIComponent(`{ article(documentId: "${id}") { documentId standfirst } }`);
      const readGraphql = async () =>
        ((await (await fetch(`${b.base}/graphql?query=${query}`, { headers: { 'content-type': 'application/json' } })).json()) as { data: { article: { standfirst: string } } }).data.article.standfirst;
      for (let round = 0; round < 3; round += 1) {
        await read(); // cached in B
        await readGraphql();
        const text = `Published through A via PgBouncer, round ${round}.`;
        const res = await fetch(`${a.base}/api/articles/${id}?locale=en`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${a.server.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ data: { standfirst: text } }),
        });
        expect(res.status).toBe(200);
        let seen = '';
        for (const until = Date.now() + 1_000; Date.now() < until && seen !== text; await sleep(25)) seen = await read();
        expect(seen).toBe(text);
        let seenOverGraphql = '';
        for (const until = Date.now() + 1_000; Date.now() < until && seenOverGraphql !== text; await sleep(25)) seenOverGraphql = await readGraphql();
        expect(seenOverGraphql).toBe(text);
      }
    } finally {
      for (const s of served) await s.stop();
      await database.drop();
      await bouncer.stop();
    }
  }, 180_000);
});
