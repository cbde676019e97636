import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { appRoot, loadEnv } from '../src/env';
import { postgresSsl } from '../src/pg/ssl';

export default (): Core.Config.Database => {
  const env = loadEnv();
  const settings = { useTypescriptMigrations: true };

  if (env.DATABASE_CLIENT === 'postgres') {
    const ssl = postgresSsl(env);
    return {
      connection: {
        client: 'postgres',
        // knex/pg read every part from the URL; the typed fields are required by Strapi's type only.
        connection: { connectionString: env.DATABASE_URL, ssl, schema: env.DATABASE_SCHEMA } as never,
        pool: { min: env.DATABASE_POOL_MIN, max: env.DATABASE_POOL_MAX },
        acquireConnectionTimeout: env.DATABASE_CONNECTION_TIMEOUT_MS,
      },
      settings,
    };
  }

  return {
    connection: {
      client: 'sqlite',
      connection: { filename: path.resolve(appRoot, env.DATABASE_FILENAME) },
      useNullAsDefault: true,
      acquireConnectionTimeout: env.DATABASE_CONNECTION_TIMEOUT_MS,
    },
    settings,
  };
};
