#!/usr/bin/env node
/**
 * Supply chain: every @strapi/* package in package-lock.json resolves to one version (the pinned
 * family). Mixed versions of the family are a known source of subtle breakage. Exits 1 naming
 * the packages when they differ.
 */
'use strict';
const lock = require('../package-lock.json');

const versions = new Map();
for (const [where, pkg] of Object.entries(lock.packages ?? {})) {
  const name = where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
  if (!name.startsWith('@strapi/') || !pkg.version) continue;
  if (!versions.has(pkg.version)) versions.set(pkg.version, new Set());
  versions.get(pkg.version).add(name);
}
// @strapi/* packages outside the family, released on their own schedule.
const OWN_RELEASES = /^@strapi\/(design-system|icons|ui-primitives|sdk-plugin|pack-up|typescript-utils|eslint-config|prettier-config|blocks-react-renderer|client)$/;

// One family member allowed at another version, exactly: Strapi publishes the S3 upload provider
// on its own (5.52.3 is its newest release while the family is at 5.54.0). It may stay outside the
// family only while it depends on no @strapi package, so it cannot bring a second copy of the
// family in; checked here from the lock file, so an update that changes that fails this check.
const ALLOWED_APART = { '@strapi/provider-upload-aws-s3': '5.52.3' };
for (const [where, pkg] of Object.entries(lock.packages ?? {})) {
  const name = where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
  if (!(name in ALLOWED_APART)) continue;
  if (pkg.version !== ALLOWED_APART[name]) {
    console.error(`${name} is ${pkg.version}; only ${ALLOWED_APART[name]} is allowed outside the family (or align it with the family)`);
    process.exit(1);
  }
  const strapiDeps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }).filter((d) => d.startsWith('@strapi/'));
  if (strapiDeps.length) {
    console.error(`${name}@${pkg.version} depends on ${strapiDeps.join(', ')}: it can no longer stay outside the family`);
    process.exit(1);
  }
  versions.get(pkg.version)?.delete(name);
  console.log(`${name}: ${pkg.version}, allowed outside the family (depends on no @strapi package)`);
}

const family = new Map();
for (const [version, names] of versions) {
  const members = [...names].filter((n) => !OWN_RELEASES.test(n));
  if (members.length) family.set(version, members);
}
if (family.size === 1) {
  const [[version, names]] = [...family];
  console.log(`@strapi family: ${names.length} packages, all ${version}`);
} else {
  console.error(`@strapi family resolves to ${family.size} versions:`);
  for (const [version, names] of family) console.error(`  ${version}: ${names.sort().join(', ')}`);
  process.exit(1);
}
