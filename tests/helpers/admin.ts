/** Admin-panel sessions for tests: log in once per account (the admin rate-limits logins). */
import type { Server } from 'node:http';
import request from 'supertest';
import { nodeProcess } from './strapi';

export interface AdminAccount {
  email: string;
  password: string;
}

/** The accounts tests boot with: a Super Admin, an Editor and an Author. */
export const ADMIN: AdminAccount = { email: 'chief@example.com', password: 'Chief-Editor-2024' };
export const EDITOR: AdminAccount = { email: 'desk@example.com', password: 'Desk-Editor-2024' };
export const AUTHOR: AdminAccount = { email: 'writer@example.com', password: 'Writer-Author-2024' };

/** The environment that creates those accounts at boot. */
export function accountsEnv(...who: Array<'ADMIN' | 'EDITOR' | 'AUTHOR'>): Record<string, string> {
  const accounts = { ADMIN, EDITOR, AUTHOR };
  return Object.fromEntries(who.flatMap((w) => [[`${w}_EMAIL`, accounts[w].email], [`${w}_PASSWORD`, accounts[w].password]]));
}

export function adminLogin(server: () => Server) {
  const tokens = new Map<string, string>();
  return async function login(who: AdminAccount): Promise<string> {
    const known = tokens.get(who.email);
    if (known) return known;
    const res = await request(server()).post('/admin/login').send(who);
    expect(res.status).toBe(200);
    const token = res.body.data.token ?? res.body.data.accessToken;
    expect(token).toEqual(expect.any(String));
    tokens.set(who.email, token);
    return token;
  };
}

/**
 * Copies everything written to stdout and stderr into `sink.text` until the returned function is
 * called; with `forward: false` it is kept from the terminal too (for logs a test reads itself).
 * These are the worker process's own streams, which the booted app writes to (it runs in the
 * worker's realm: tests/helpers/strapi.ts); jest's sandbox has copies of them.
 */
export function captureOutput(sink: { text: string }, { forward = true } = {}): () => void {
  const restore = [nodeProcess.stdout, nodeProcess.stderr].map((stream) => {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      sink.text += String(chunk);
      if (forward) return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
      const callback = rest.find((r): r is () => void => typeof r === 'function');
      callback?.();
      return true;
    }) as typeof stream.write;
    return () => {
      stream.write = original;
    };
  });
  return () => restore.forEach((r) => r());
}
