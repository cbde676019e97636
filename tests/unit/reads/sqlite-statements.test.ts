/**
 * The SQLite reader of the article loader, on a real knex and better-sqlite3 (in memory, a pool
 * of one connection as Strapi configures SQLite).
 */
import knexFactory, { type Knex } from 'knex';
import { sqliteReader } from '../../../src/reads/sqlite-statements';

let knex: Knex;

beforeEach(async () => {
  knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 }, acquireConnectionTimeout: 200 });
  await knex.raw('create table t (id integer primary key, at integer, flag integer)');
  await knex('t').insert([{ id: 1, at: 1_700_000_000_000, flag: 1 }, { id: 2, at: 1_800_000_000_000, flag: 0 }]);
});

afterEach(() => knex.destroy());

describe('sqliteReader', () => {
  it('answers reads started together, binding as knex does, and announces each on the query event', async () => {
    const read = sqliteReader(knex);
    const seen: string[] = [];
    knex.on('query', (q: { sql: string }) => seen.push(q.sql));
    const [byDate, byFlag] = await Promise.all([
      read('select id from t where at = ?', [new Date(1_800_000_000_000)]),
      read('select id from t where flag = ?', [true]),
    ]);
    expect(byDate).toEqual([{ id: 2 }]);
    expect(byFlag).toEqual([{ id: 1 }]);
    expect(seen).toEqual(['select id from t where at = ?', 'select id from t where flag = ?']);
  });

  it('after the pool could not hand over a connection, the next reads run (they do not join the failed batch)', async () => {
    const read = sqliteReader(knex);
    const trx = await knex.transaction(); // holds the only connection
    await expect(read('select id from t', [])).rejects.toThrow(/timeout/i);
    await trx.commit();
    await expect(read('select id from t order by id', [])).resolves.toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('refuses a statement that is not a read, without running it', async () => {
    const read = sqliteReader(knex);
    await expect(read('delete from t', [])).rejects.toThrow('SELECT statements only');
    expect(await knex('t').count({ n: '*' })).toEqual([{ n: 2 }]);
  });
});
