/**
 * The editors' day in the real admin, in Chromium, against the production build. Screenshots of
 * each step go to tests/e2e/artifacts/.
 */
import type { Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { ADMIN, AUTHOR, EDITOR, startE2E, WEBHOOK_SECRET, type E2E } from './harness';

const SLUG = 'us-warns-allies-of-chinas-growing-support-for-russia-amid-ukraine-conflict';
let e2e: E2E;
let storyId: string;

beforeAll(async () => {
  e2e = await startE2E();
  const list = (await (await fetch(`${e2e.base}/api/articles?filters[slug][$eq]=${SLUG}&fields[0]=title`)).json()) as { data: { documentId: string }[] };
  storyId = list.data[0].documentId;
}, 180_000);

afterAll(async () => {
  await e2e?.stop();
}, 60_000);

const editUrl = (id: string) => `${e2e.base}/admin/content-manager/collection-types/api::article.article/${id}?plugins[i18n][locale]=en`;

async function publicArticle(id: string) {
  const res = await fetch(`${e2e.base}/api/articles/${id}`);
  return res.status === 200 ? ((await res.json()) as { data: Record<string, unknown> }).data : null;
}

async function graphqlArticle(id: string) {
  const res = await fetch(`${e2e.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `{ article(documentId: "${id}") { standfirst lastUpdatedAt } }` }),
  });
  return ((await res.json()) as { data: { article: { standfirst: string; lastUpdatedAt: string | null } } }).data.article;
}

async function openArticle(page: Page, id: string) {
  await page.goto(editUrl(id));
  await page.locator('textarea[name=standfirst]').waitFor();
}

/** Clicks a document action and returns the answer of the request it made. */
async function clickAndWait(page: Page, button: string, path: RegExp) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => path.test(new URL(r.url()).pathname) && r.request().method() !== 'GET'),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  return response;
}

const tokens = new Map<string, string>();
async function adminToken(who: typeof ADMIN): Promise<string> {
  const known = tokens.get(who.email);
  if (known) return known;
  const res = await fetch(`${e2e.base}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
  const body = (await res.json()) as { data: { token?: string; accessToken?: string } };
  const token = (body.data.token ?? body.data.accessToken)!;
  tokens.set(who.email, token);
  return token;
}

it('1. the editor changes the standfirst and publishes; REST and GraphQL serve the new text', async () => {
  const { context, page } = await e2e.session(EDITOR);
  await openArticle(page, storyId);
  const text = 'Washington tells its allies that Beijing is helping Moscow rebuild its war machine.';
  await page.locator('textarea[name=standfirst]').fill(text);
  const published = await clickAndWait(page, 'Publish', /\/actions\/publish$/);
  expect(published.status()).toBe(200);
  await e2e.shot(page, '1-editor-published');
  expect((await publicArticle(storyId))?.standfirst).toBe(text);
  expect((await graphqlArticle(storyId)).standfirst).toBe(text);
  await context.close();
});

it('2. an author writes a draft and cannot publish it; the editor publishes it', async () => {
  const author = await e2e.session(AUTHOR);
  await author.page.goto(`${e2e.base}/admin/content-manager/collection-types/api::article.article/create?plugins[i18n][locale]=en`);
  await author.page.locator('input[name=title]').fill('Kremlin dismisses US warnings to allies');
  await author.page.locator('input[name=slug]').fill('kremlin-dismisses-us-warnings');
  await author.page.locator('input[name=dateline]').fill('04/11/2024');
  await author.page.locator('input[name=dateline]').press('Tab');
  await author.page.locator('textarea[name=standfirst]').fill('Moscow calls the claims baseless.');
  await e2e.shot(author.page, '2-author-draft-filled');
  const created = await clickAndWait(author.page, 'Save', /\/collection-types\/api::article\.article$/);
  expect(created.status()).toBe(201);
  const id = ((await created.json()) as { data: { documentId: string; dateline: string } }).data.documentId;
  // The author's own draft, opened again: Save is there, Publish is not allowed.
  await openArticle(author.page, id);
  await author.page.getByRole('button', { name: 'Save', exact: true }).waitFor();
  const publish = author.page.getByRole('button', { name: 'Publish', exact: true });
  expect((await publish.count()) === 0 || (await publish.isDisabled())).toBe(true);
  await e2e.shot(author.page, '2-author-cannot-publish');
  expect(await publicArticle(id)).toBeNull();
  await author.context.close();

  const editor = await e2e.session(EDITOR);
  await openArticle(editor.page, id);
  expect((await clickAndWait(editor.page, 'Publish', /\/actions\/publish$/)).status()).toBe(200);
  await e2e.shot(editor.page, '2-editor-published-authors-draft');
  expect(await publicArticle(id)).toMatchObject({ title: 'Kremlin dismisses US warnings to allies', dateline: '2024-04-11' });
  await editor.context.close();
});

it('3. the editor adds a correction; readers get it with lastUpdatedAt', async () => {
  const { context, page } = await e2e.session(EDITOR);
  await openArticle(page, storyId);
  const before = Date.now();
  await page.getByRole('button', { name: 'No entry yet. Click to add one.' }).last().click();
  const note = page.locator('textarea[name="updates.0.note"]');
  await note.fill('An earlier version of this story gave the wrong date for the Woodside meeting.');
  expect((await clickAndWait(page, 'Publish', /\/actions\/publish$/)).status()).toBe(200);
  await e2e.shot(page, '3-correction-published');
  const article = (await publicArticle(storyId))!;
  expect(article.updates).toEqual([expect.objectContaining({ kind: 'correction', note: 'An earlier version of this story gave the wrong date for the Woodside meeting.' })]);
  expect(Date.parse(String(article.lastUpdatedAt))).toBeGreaterThanOrEqual(before - 2000);
  expect((await graphqlArticle(storyId)).lastUpdatedAt).toBe(article.lastUpdatedAt);
  await context.close();
});

it('4. a story scheduled twenty seconds ahead: Publish is refused with the time, it is invisible until then, then public, and the feed records one publish', async () => {
  // The time is set through the admin API: the admin's time picker has minute steps.
  const token = await adminToken(EDITOR);
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const create = await fetch(`${e2e.base}/content-manager/collection-types/api::article.article?locale=en`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ title: 'Embargoed: G7 statement on China', slug: 'embargoed-g7-statement', dateline: '2024-04-12', publishAt: new Date(Date.now() + 20_000).toISOString() }),
  });
  expect(create.status).toBe(201);
  const id = ((await create.json()) as { data: { documentId: string } }).data.documentId;
  const before = e2e.receiver.requests.length;

  const { context, page } = await e2e.session(EDITOR);
  await openArticle(page, id);
  const early = await clickAndWait(page, 'Publish', /\/actions\/publish$/);
  expect(early.status()).toBe(400);
  await page.getByText(/not published before then/).first().waitFor();
  await e2e.shot(page, '4-early-publish-refused');
  expect(await publicArticle(id)).toBeNull();

  for (const until = Date.now() + 40_000; Date.now() < until && !(await publicArticle(id)); ) await new Promise((r) => setTimeout(r, 250));
  expect(await publicArticle(id)).toMatchObject({ slug: 'embargoed-g7-statement' });
  await new Promise((r) => setTimeout(r, 2_000));
  const publishes = e2e.receiver.requests
    .slice(before)
    .flatMap((r) => (new Webhook(WEBHOOK_SECRET).verify(r.body, r.headers as Record<string, string>) as { data: { changes: { action: string; documentId: string }[] } }).data.changes)
    .filter((c) => c.documentId === id && c.action === 'publish');
  expect(publishes).toHaveLength(1);
  await context.close();
});

it('5. two people edit one article: the second save is refused with who saved when, and its text stays in the form', async () => {
  const desk = await e2e.session(EDITOR);
  const chief = await e2e.session(ADMIN);
  await openArticle(desk.page, storyId);
  await openArticle(chief.page, storyId);

  await chief.page.locator('textarea[name=standfirst]').fill('The chief’s standfirst.');
  expect((await clickAndWait(chief.page, 'Save', /\/collection-types\/api::article\.article\/[^/]+$/)).status()).toBe(200);

  const mine = 'The desk’s standfirst, written on an old copy.';
  await desk.page.locator('textarea[name=standfirst]').fill(mine);
  const refused = await clickAndWait(desk.page, 'Save', /\/collection-types\/api::article\.article\/[^/]+$/);
  expect(refused.status()).toBe(400);
  await desk.page.getByText(/Chief Admin saved this at .* UTC, after the version you opened/).first().waitFor();
  await e2e.shot(desk.page, '5-conflicting-save-refused');
  expect(await desk.page.locator('textarea[name=standfirst]').inputValue()).toBe(mine);

  const stored = await fetch(`${e2e.base}/content-manager/collection-types/api::article.article/${storyId}?locale=en`, {
    headers: { authorization: `Bearer ${await adminToken(ADMIN)}` },
  });
  expect(((await stored.json()) as { data: { standfirst: string } }).data.standfirst).toBe('The chief’s standfirst.');
  await desk.context.close();
  await chief.context.close();
});

it('6. Preview opens the site with a token that reads the draft', async () => {
  const { context, page } = await e2e.session(EDITOR);
  await openArticle(page, storyId);
  await page.getByRole('link', { name: 'Open preview' }).click();
  const frame = page.locator('iframe');
  await frame.waitFor();
  const src = new URL((await frame.getAttribute('src'))!);
  await e2e.shot(page, '6-preview');
  expect(`${src.origin}${src.pathname}`).toBe(`${e2e.site}/en/news/${SLUG}`);
  const token = src.searchParams.get('token')!;
  const draft = await fetch(`${e2e.base}/api/preview/articles/${storyId}?locale=en&token=${encodeURIComponent(token)}`);
  expect(draft.status).toBe(200);
  const current = await fetch(`${e2e.base}/content-manager/collection-types/api::article.article/${storyId}?locale=en`, {
    headers: { authorization: `Bearer ${await adminToken(ADMIN)}` },
  });
  const { standfirst } = ((await current.json()) as { data: { standfirst: string } }).data;
  expect(((await draft.json()) as { data: unknown }).data).toMatchObject({ documentId: storyId, standfirst, publishedAt: null });
  expect((await fetch(`${e2e.base}/api/preview/articles/${storyId}?locale=en&token=forged.token`)).status).toBe(401);
  await context.close();
});

/** Waits until `read` returns `expected` (the form updates after a refetch). */
async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 10_000): Promise<T> {
  let last = await read();
  for (const end = Date.now() + timeoutMs; last !== expected && Date.now() < end; last = await read()) await new Promise((r) => setTimeout(r, 100));
  return last;
}

it('7. History: two saves, the older version’s changed words highlighted, its standfirst restored into the form without a reload, published, served', async () => {
  const { context, page } = await e2e.session(EDITOR);
  await openArticle(page, storyId);
  const older = 'Washington warns its allies that Beijing is quietly arming Moscow.';
  const newer = 'Washington tells its allies that Beijing is openly helping Moscow.';
  const saveUrl = /\/collection-types\/api::article\.article\/[^/]+$/;
  await page.locator('textarea[name=standfirst]').fill(older);
  expect((await clickAndWait(page, 'Save', saveUrl)).status()).toBe(200);
  await page.locator('textarea[name=standfirst]').fill(newer);
  expect((await clickAndWait(page, 'Save', saveUrl)).status()).toBe(200);

  const panel = page.getByTestId('history-panel');
  await panel.waitFor();
  // Newest first: the second entry is the save of the older text.
  const listed = await fetch(`${e2e.base}/newsroom/history/api::article.article/${storyId}?locale=en&pageSize=2`, { headers: { authorization: `Bearer ${await adminToken(EDITOR)}` } });
  const [, olderSave] = ((await listed.json()) as { data: { id: number }[] }).data;
  const entry = panel.getByRole('button', { name: `Version ${olderSave.id}`, exact: true });
  await entry.waitFor();
  const [diff] = await Promise.all([page.waitForResponse((r) => /\/newsroom\/history\/versions\/\d+\/diff$/.test(new URL(r.url()).pathname)), entry.click()]);
  expect(diff.status()).toBe(200);
  const field = panel.locator('[data-field="standfirst"]');
  await field.waitFor();
  const removed = (await field.locator('del').allTextContents()).join(' ');
  const added = (await field.locator('ins').allTextContents()).join(' ');
  expect(removed).toMatch(/warns/);
  expect(removed).toMatch(/quietly arming/);
  expect(added).toMatch(/tells/);
  expect(added).toMatch(/openly helping/);
  await e2e.shot(page, '7-history-diff');

  const [restored] = await Promise.all([
    page.waitForResponse((r) => /\/newsroom\/history\/versions\/\d+\/restore$/.test(new URL(r.url()).pathname)),
    field.getByRole('button', { name: 'Restore this field' }).click(),
  ]);
  expect(restored.status()).toBe(200);
  expect(await eventually(() => page.locator('textarea[name=standfirst]').inputValue(), older)).toBe(older);
  await e2e.shot(page, '7-history-restored');

  // The form knows the restored version: publishing is not refused as a conflict.
  expect((await clickAndWait(page, 'Publish', /\/actions\/publish$/)).status()).toBe(200);
  expect((await publicArticle(storyId))?.standfirst).toBe(older);
  await context.close();
});

it('8. Import: an author pastes the story’s scrape, keeps the 23 suggested entities, creates the draft, and the content manager opens it with its sections', async () => {
  const { readFileSync } = await import('node:fs');
  const path = await import('node:path');
  const source = readFileSync(path.join(__dirname, '../../database/seed/story/source.txt'), 'utf8');
  const { context, page } = await e2e.session(AUTHOR);
  await page.goto(`${e2e.base}/admin`);
  await page.getByRole('link', { name: 'Import' }).click();
  await page.getByRole('textbox', { name: 'Story to import' }).fill(source);
  const [previewed] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === '/newsroom/ingest/preview'), page.getByRole('button', { name: 'Preview' }).click()]);
  expect(previewed.status()).toBe(200);
  const preview = page.getByTestId('import-preview');
  await preview.waitFor();
  expect(await preview.getByRole('heading', { level: 2 }).textContent()).toBe('US Warns Allies of China’s Growing Support for Russia Amid Ukraine Conflict');
  expect(await page.getByTestId('import-section').count()).toBe(4);
  const boxes = preview.getByRole('checkbox');
  expect(await boxes.count()).toBe(23);
  for (const box of await boxes.all()) expect(await box.getAttribute('aria-checked')).toBe('true');
  await e2e.shot(page, '8-import-preview');

  const [created] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === '/newsroom/ingest/create'), page.getByRole('button', { name: 'Create draft' }).click()]);
  expect(created.status()).toBe(201);
  // The page moves on to the draft at once: its id is in the address.
  await page.waitForURL(/\/admin\/content-manager\/collection-types\/api::article\.article\/[a-z0-9]+/);
  const data = { documentId: /api::article\.article\/([a-z0-9]+)/.exec(page.url())![1] };
  await page.locator('input[name=title]').waitFor();
  expect(await page.locator('input[name=title]').inputValue()).toBe('US Warns Allies of China’s Growing Support for Russia Amid Ukraine Conflict');
  await e2e.shot(page, '8-import-draft');

  const draft = await fetch(`${e2e.base}/content-manager/collection-types/api::article.article/${data.documentId}?locale=en`, { headers: { authorization: `Bearer ${await adminToken(AUTHOR)}` } });
  expect(draft.status).toBe(200);
  const body = (await draft.json()) as { data: { sections: { heading: string | null }[]; entities: { count: number } } };
  expect(body.data.sections.map((s) => s.heading ?? null)).toEqual([null, 'Xi-Biden Talks', 'China-Russia Ties', 'US Sanctions']);
  expect(body.data.entities.count).toBe(23);
  await context.close();
});
