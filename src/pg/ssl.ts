import type { Env } from '../env';

/** The TLS settings of every PostgreSQL connection (Strapi's pool and the LISTEN connections), from DATABASE_SSL*. */
export function postgresSsl(env: Env): false | { rejectUnauthorized: boolean; ca?: string } {
  if (!env.DATABASE_SSL) return false;
  return { rejectUnauthorized: env.DATABASE_SSL_REJECT_UNAUTHORIZED, ...(env.DATABASE_SSL_CA ? { ca: env.DATABASE_SSL_CA } : {}) };
}
