/** Admin-panel sessions for tests: log in once per account (the admin rate-limits logins). */
import type { Server } from 'node:http';
import request from 'supertest';

export interface AdminAccount {
  email: string;
  password: string;
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
 */
export function captureOutput(sink: { text: string }, { forward = true } = {}): () => void {
  const restore = [process.stdout, process.stderr].map((stream) => {
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
