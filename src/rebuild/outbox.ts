/**
 * The transactional outbox: the rebuild consumer of the change feed stores each change in the
 * write's own transaction, so a rolled-back write leaves nothing and an acknowledged one always
 * has its record. On PostgreSQL a NOTIFY (delivered only at commit) wakes every process's
 * dispatcher; in this process the commit hook does.
 */
import type { Core } from '@strapi/strapi';
import type { ChangeSubscriber } from '../changes';
import { OUTBOX_UID } from './targets';

export const NOTIFY_CHANNEL = 'newsroom_rebuild';

export function outboxSubscriber(strapi: Core.Strapi, wake: () => void): ChangeSubscriber {
  return async (changes, { trx, onCommit }) => {
    await strapi.db.query(OUTBOX_UID).createMany({ data: changes.map((change) => ({ change })) });
    if (strapi.db.dialect.client === 'postgres') await trx.raw('select pg_notify(?, ?)', [NOTIFY_CHANNEL, '']);
    onCommit(wake);
  };
}
