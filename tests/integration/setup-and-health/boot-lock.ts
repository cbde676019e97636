/**
 * The boot lock serialises setup across connections (and so across processes on one PostgreSQL):
 * two setups started together run one after the other, never interleaved.
 */
import { appModule, useStrapi } from '../../helpers/strapi';

// What the booted app runs (its compiled modules, in the app's realm).
const { withBootLock } = appModule<typeof import('../../../src/setup/boot-lock')>('src/setup/boot-lock');

const app = useStrapi({ env: { SEED_STORY: 'false' } });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('two setups started at once run one after the other', async () => {
  const events: string[] = [];
  const setup = (name: string) =>
    withBootLock(app.strapi, async () => {
      events.push(`${name} start`);
      // a query inside, so the work really holds a connection of its own
      await app.strapi.db.query('plugin::i18n.locale').count();
      await sleep(300);
      events.push(`${name} end`);
      return name;
    });

  const results = await Promise.all([setup('A'), setup('B')]);
  expect(results).toEqual(['A', 'B']);
  const first = events[0].split(' ')[0];
  const second = first === 'A' ? 'B' : 'A';
  expect(events).toEqual([`${first} start`, `${first} end`, `${second} start`, `${second} end`]);
});

it('releases the lock when setup fails, so the next process can go on', async () => {
  await expect(
    withBootLock(app.strapi, async () => {
      throw new Error('setup failed');
    }),
  ).rejects.toThrow('setup failed');
  await expect(withBootLock(app.strapi, async () => 'next')).resolves.toBe('next');
});
