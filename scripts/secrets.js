/**
 * The secrets src/env.ts requires, with fresh random values: one list for the first-run .env, the
 * secret-less build, the benchmark and the tests, so adding a secret is done in one place.
 */
'use strict';
const crypto = require('node:crypto');

/** Required secrets besides APP_KEYS (a comma-separated list of keys). */
const SECRET_VARIABLES = ['API_TOKEN_SALT', 'ADMIN_JWT_SECRET', 'TRANSFER_TOKEN_SALT', 'JWT_SECRET', 'ENCRYPTION_KEY'];

const randomSecret = () => crypto.randomBytes(32).toString('base64url');

/** Every required secret with a new random value; APP_KEYS gets `appKeys` keys. */
function randomSecrets(appKeys = 2) {
  return {
    APP_KEYS: Array.from({ length: appKeys }, randomSecret).join(','),
    ...Object.fromEntries(SECRET_VARIABLES.map((name) => [name, randomSecret()])),
  };
}

module.exports = { randomSecrets };
