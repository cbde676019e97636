#!/usr/bin/env node
/**
 * First-run helper for `npm run develop`: when there is no .env, writes one from .env.example with
 * fresh random secrets and a generated admin login, and says where to log in. Never overwrites an
 * existing .env and never prints a password.
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { randomSecrets } = require('./secrets');

const root = path.resolve(__dirname, '..');
const envPath = path.join(root, '.env');
const examplePath = path.join(root, '.env.example');

/** Meets Strapi's admin password rule: upper, lower and a digit, 8+ characters. */
const password = () => `Nw${crypto.randomBytes(18).toString('base64url')}7a`;

function main() {
  const port = process.env.PORT || '1337';
  if (fs.existsSync(envPath)) {
    const env = fs.readFileSync(envPath, 'utf8');
    const email = /^ADMIN_EMAIL=(.+)$/m.exec(env);
    console.log(`Admin: http://localhost:${port}/admin${email ? ` (log in as ${email[1]}, password: ADMIN_PASSWORD in .env)` : ''}`);
    return;
  }
  const values = {
    ...randomSecrets(4),
    ADMIN_EMAIL: 'admin@example.com',
    ADMIN_PASSWORD: password(),
    EDITOR_EMAIL: 'editor@example.com',
    EDITOR_PASSWORD: password(),
    AUTHOR_EMAIL: 'author@example.com',
    AUTHOR_PASSWORD: password(),
  };
  const text = fs
    .readFileSync(examplePath, 'utf8')
    .split('\n')
    .map((line) => {
      const key = line.split('=')[0];
      return Object.prototype.hasOwnProperty.call(values, key) ? `${key}=${values[key]}` : line;
    })
    .join('\n');
  fs.writeFileSync(envPath, text, { mode: 0o600 });
  console.log('Created .env with random secrets (git-ignored).');
  console.log(`Admin: http://localhost:${port}/admin (log in as ${values.ADMIN_EMAIL}, password: ADMIN_PASSWORD in .env;`);
  console.log(`       an Editor ${values.EDITOR_EMAIL} and an Author ${values.AUTHOR_EMAIL} have theirs in EDITOR_PASSWORD, AUTHOR_PASSWORD)`);
}

main();
