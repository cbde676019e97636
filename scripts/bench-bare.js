/** Child process of scripts/bench.js: a bare Node server answering every request with BENCH_BODY_FILE. */
'use strict';
const fs = require('node:fs');
const http = require('node:http');

const body = fs.readFileSync(process.env.BENCH_BODY_FILE);
http
  .createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  })
  .listen(Number(process.env.BENCH_PORT), '127.0.0.1', () => process.stdout.write('READY\n'));
