/**
 * jest's node environment, with one change: a test's `Date` is Node's own. The booted app runs in
 * the worker's own realm (tests/helpers/strapi.ts loads it with Node's require), where a Date made
 * in jest's sandbox is not a Date: knex, better-sqlite3 and pg would refuse to bind it or send it
 * as an object. Everything else a test hands the app is plain data.
 */
const { TestEnvironment } = require('jest-environment-node');

class AppRealmEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.Date = Date;
  }
}

module.exports = AppRealmEnvironment;
