/**
 * What the browser tests run against: the production build served from a child process on a free
 * port with a fresh SQLite database and the story, accounts for an admin, an editor and an author,
 * the scheduler every second, Preview pointing at a small site in this process, and a rebuild
 * webhook receiver in this process. Chromium is Debian's; nothing is downloaded.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { accountsEnv, ADMIN, AUTHOR, EDITOR, type AdminAccount } from '../helpers/admin';
import { serve, type ServingChild } from '../helpers/child-app';
import { freePort, startReceiver, type Receiver } from '../helpers/receiver';
import { appDir } from '../helpers/strapi';

export { ADMIN, AUTHOR, EDITOR };
export const WEBHOOK_SECRET = `whsec_${Buffer.alloc(32, 5).toString('base64')}`;
const ARTIFACTS = path.join(appDir, 'tests', 'e2e', 'artifacts');

export interface E2E {
  base: string;
  site: string;
  receiver: Receiver;
  browser: Browser;
  /** A fresh browser session logged in as `who`. */
  session(who: AdminAccount): Promise<{ context: BrowserContext; page: Page }>;
  shot(page: Page, name: string): Promise<void>;
  stop(): Promise<void>;
}

/** The site Preview opens: a page that says which draft it was asked to show. */
function startSite(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Site preview</title><p id="asked">${(req.url ?? '').replace(/[<>&"]/g, '')}</p>`);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

export async function startE2E(): Promise<E2E> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'newsroom-e2e-'));
  await mkdir(path.join(work, 'uploads'));
  await mkdir(ARTIFACTS, { recursive: true });
  const receiver = await startReceiver();
  const sitePort = await freePort();
  const siteServer = await startSite(sitePort);
  const site = `http://127.0.0.1:${sitePort}`;
  const port = await freePort();
  let server: ServingChild | undefined;
  let browser: Browser | undefined;
  try {
    server = await serve(
      {
        NODE_ENV: 'production',
        CORS_ORIGINS: site,
        SITE_URL: site,
        SITE_NAME: 'The Example',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        DATABASE_CLIENT: 'sqlite',
        DATABASE_FILENAME: path.join(work, 'e2e.db'),
        PUBLIC_DIR: work,
        SEED_STORY: 'true',
        ...accountsEnv('ADMIN', 'EDITOR', 'AUTHOR'),
        SCHEDULE_INTERVAL_SECONDS: '1',
        PREVIEW_URL: site,
        PREVIEW_SECRET: 'e2e-preview-secret-0123456789abcdefgh',
        REBUILD_WEBHOOK_URLS: `${receiver.url}/hooks/site`,
        REBUILD_WEBHOOK_SECRET: WEBHOOK_SECRET,
        REBUILD_DEBOUNCE_MS: '200',
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      },
      120_000,
    );
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (error) {
    server?.child.kill('SIGKILL');
    await browser?.close();
    siteServer.close();
    await receiver.close();
    throw error;
  }
  const base = `http://127.0.0.1:${port}`;
  const liveBrowser = browser;
  const liveServer = server;
  // The admin rate-limits logins: each account logs in once, later sessions reuse its cookies.
  const signedIn = new Map<string, Awaited<ReturnType<BrowserContext['storageState']>>>();

  return {
    base,
    site,
    receiver,
    browser: liveBrowser,
    async session(who) {
      const known = signedIn.get(who.email);
      const context = await liveBrowser.newContext({ viewport: { width: 1440, height: 1000 }, ...(known ? { storageState: known } : {}) });
      const page = await context.newPage();
      if (!known) {
        await page.goto(`${base}/admin/auth/login`);
        await page.fill('input[name=email]', who.email);
        await page.fill('input[name=password]', who.password);
        await page.click('button[type=submit]');
        await page.waitForURL((url) => !url.pathname.includes('/auth/'), { timeout: 30_000 });
        signedIn.set(who.email, await context.storageState());
      }
      return { context, page };
    },
    async shot(page, name) {
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
    async stop() {
      await liveBrowser.close();
      liveServer.child.kill('SIGTERM');
      await liveServer.exited;
      siteServer.close();
      await receiver.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}
