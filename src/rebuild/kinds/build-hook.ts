/**
 * Deploy hooks (Netlify, Vercel, Cloudflare Pages): a bare POST to the hook URL, which is itself
 * the secret. Netlify shows `trigger_title` in its deploy log.
 */
import type { KindAdapter } from './types';

const NETLIFY_HOST = 'api.netlify.com';

export const buildHook: KindAdapter = (target, message) => {
  const url = new URL(target.url);
  if (url.hostname === NETLIFY_HOST) {
    const count = message.changes.length;
    url.searchParams.set('trigger_title', message.test ? 'Newsroom CMS: test' : `Newsroom CMS: ${count} change${count === 1 ? '' : 's'}`);
  }
  return { url: url.toString(), headers: {}, body: '' };
};
