/** A GET whose body is kept as text whatever its type (superagent leaves RSS, Atom and XML unparsed). */
import type { Server } from 'node:http';
import request from 'supertest';

export const getText = (server: Server, path: string) =>
  request(server)
    .get(path)
    .buffer(true)
    .parse((res, done) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => done(null, body));
    });
