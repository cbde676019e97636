#!/usr/bin/env node
/**
 * `npm run seed`: compiles the app, boots it without serving HTTP, seeds the first story (a no-op
 * when it is already there) and exits. Uses the same .env and database as `npm run develop`.
 */
'use strict';
const path = require('node:path');
const { compileStrapi, createStrapi } = require('@strapi/strapi');

const appDir = path.resolve(__dirname, '..');

async function main() {
  const { distDir } = await compileStrapi({ appDir });
  // The boot itself would seed when SEED_STORY is on; seed explicitly either way and report.
  process.env.SEED_STORY = 'false';
  const app = await createStrapi({ appDir, distDir }).load();
  try {
    const { seedStory } = require(path.join(distDir, 'database', 'seed'));
    const result = await seedStory(app, appDir);
    const { entities, image, article } = result.created;
    console.log(
      `Seeded the story ${result.articleDocumentId}: ${article ? 'article created' : 'article already there'}, ` +
        `${image ? 'image created' : 'image already there'}, ${entities} new entities.`,
    );
  } finally {
    await app.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
