#!/usr/bin/env node
/**
 * `npm run docs`: writes the configuration table of docs/operations.md from src/env.ts (the zod
 * schema's variables in order, the default each gives when unset, ENV_DOCS' line for each), then
 * checks every link of README.md and docs/*.md: a relative link names a file or folder that
 * exists, and a `#fragment` names a heading of the page it points to (GitHub's anchors, from
 * github-slugger). Links to other sites are not fetched.
 * `npm run docs -- --check` writes nothing and exits 1 when the table is stale or a link is broken
 * (CI runs it).
 */
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const ts = require('typescript');

const appDir = path.resolve(__dirname, '..');
const check = process.argv.includes('--check');
const OPERATIONS = path.join(appDir, 'docs', 'operations.md');
const START = /<!-- env-table:start[^>]*-->/;
const END = '<!-- env-table:end -->';

/** src/env.ts, compiled in memory (it imports only node:path and zod). */
function loadEnvModule() {
  const file = path.join(appDir, 'src', 'env.ts');
  const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
  const m = new Module(file);
  m.filename = file;
  m.paths = Module._nodeModulePaths(path.dirname(file));
  m._compile(outputText, file);
  return m.exports;
}

/** What the schema gives for an unset variable, as the table shows it. */
function defaultOf(schema) {
  const parsed = schema.safeParse(undefined);
  if (!parsed.success) return 'required';
  const value = parsed.data;
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return '–';
  if (Array.isArray(value)) return value.map((v) => `\`${v}\``).join(', ');
  return `\`${value}\``;
}

function envTable() {
  const { ENV_SHAPE, ENV_DOCS } = loadEnvModule();
  const rows = Object.entries(ENV_SHAPE).map(([name, schema]) => {
    if (!ENV_DOCS[name]) throw new Error(`src/env.ts: ${name} has no line in ENV_DOCS`);
    return `| \`${name}\` | ${defaultOf(schema)} | ${ENV_DOCS[name].replaceAll('|', '\\|')} |`;
  });
  return ['| variable | default when unset | what it is for |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The page with its table replaced by `table`. */
function withTable(page, table) {
  const start = START.exec(page);
  const end = page.indexOf(END);
  if (!start || end < start.index) throw new Error('docs/operations.md: the env-table markers are missing');
  const head = page.slice(0, start.index + start[0].length);
  return `${head}\n${table}\n${page.slice(end)}`;
}

/** Markdown outside fenced code blocks and inline code spans. */
function prose(text) {
  let fenced = false;
  return text
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return '';
      }
      return fenced ? '' : line.replace(/`[^`]*`/g, '``');
    })
    .join('\n');
}

async function anchorsOf(text) {
  const { default: GithubSlugger } = await import('github-slugger');
  const slugger = new GithubSlugger();
  const anchors = new Set();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    // As GitHub renders it: link text without the target, code without its backticks.
    const shown = heading[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, '');
    anchors.add(slugger.slug(shown));
  }
  return anchors;
}

async function brokenLinks(files) {
  const anchors = new Map();
  const anchorsFor = async (file) => {
    if (!anchors.has(file)) anchors.set(file, await anchorsOf(fs.readFileSync(file, 'utf8')));
    return anchors.get(file);
  };
  const broken = [];
  let links = 0;
  for (const file of files) {
    const text = prose(fs.readFileSync(file, 'utf8'));
    for (const [, target] of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      links += 1;
      const [pathPart, fragment] = target.split('#');
      const dest = pathPart ? path.resolve(path.dirname(file), decodeURIComponent(pathPart)) : file;
      const where = `${path.relative(appDir, file)}: (${target})`;
      if (!fs.existsSync(dest)) {
        broken.push(`${where}: no such file`);
        continue;
      }
      if (fragment !== undefined && dest.endsWith('.md') && !(await anchorsFor(dest)).has(fragment)) {
        broken.push(`${where}: no heading with that anchor in ${path.relative(appDir, dest)}`);
      }
    }
  }
  return { broken, links };
}

async function main() {
  const page = fs.readFileSync(OPERATIONS, 'utf8');
  const current = withTable(page, envTable());
  let failed = false;
  if (current !== page) {
    if (check) {
      console.error('docs/operations.md: the configuration table is not what src/env.ts gives; run `npm run docs`');
      failed = true;
    } else {
      fs.writeFileSync(OPERATIONS, current);
      console.log('docs/operations.md: configuration table written');
    }
  }
  const docs = fs.readdirSync(path.join(appDir, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join(appDir, 'docs', f));
  const { broken, links } = await brokenLinks([path.join(appDir, 'README.md'), ...docs]);
  for (const b of broken) console.error(b);
  console.log(`links: ${links} checked in README.md and ${docs.length} pages of docs/, ${broken.length} broken`);
  if (broken.length || failed) process.exit(1);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
