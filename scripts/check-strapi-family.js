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
