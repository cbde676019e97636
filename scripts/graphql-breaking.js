#!/usr/bin/env node
/**
 * CI's GraphQL compatibility step: compares schema.graphql with the previous commit's
 * (@graphql-inspector/core) and exits 1 on a breaking change (a type or field removed, a type
 * changed, an argument made required...) unless the last commit's message says BREAKING.
 * Dangerous and safe changes are listed, not refused. Nothing to compare when the previous
 * commit had no schema.graphql.
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { buildSchema } = require('graphql');
const { diff, CriticalityLevel } = require('@graphql-inspector/core');

const appDir = path.resolve(__dirname, '..');
const git = (...args) => execFileSync('git', args, { cwd: appDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

async function main() {
  let previous;
  try {
    previous = git('show', 'HEAD~1:schema.graphql');
  } catch {
    process.stdout.write('schema.graphql: the previous commit has none; nothing to compare\n');
    return;
  }
  const current = fs.readFileSync(path.join(appDir, 'schema.graphql'), 'utf8');
  const changes = await diff(buildSchema(previous), buildSchema(current));
  const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
  for (const c of changes) process.stdout.write(`${c.criticality.level}: ${c.message}\n`);
  const allowed = /\bBREAKING\b/.test(git('log', '-1', '--format=%B'));
  if (breaking.length > 0 && !allowed) {
    process.stderr.write(`schema.graphql: ${breaking.length} breaking change(s) against the previous commit; say BREAKING in the commit message if they are meant\n`);
    process.exitCode = 1;
  } else process.stdout.write(`schema.graphql: ${changes.length} change(s), ${breaking.length} breaking${breaking.length ? ' (allowed: the commit says BREAKING)' : ''}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
