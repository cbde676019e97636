/**
 * Admin API for the delivery log's actions, for admins who may edit targets (Editors and Authors
 * may not):
 *   POST /newsroom/rebuild/deliveries/:documentId/redeliver   send a delivery's changes again (new webhook-id)
 *   POST /newsroom/rebuild/targets/:documentId/test           send a test message to a target
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Dispatcher, DeliveryRow } from './dispatcher';
import { DELIVERY_UID, TARGET_UID, type TargetRow } from './targets';

interface AdminContext {
  params: Record<string, string>;
  state: { userAbility?: { can(action: string, subject: string): boolean } };
  status: number;
  body: unknown;
}

function assertCanManageTargets(ctx: AdminContext): void {
  if (!ctx.state.userAbility?.can('plugin::content-manager.explorer.update', TARGET_UID)) {
    throw new errors.ForbiddenError('Only admins who may edit rebuild targets can do this');
  }
}

export function registerRebuildAdminRoutes(strapi: Core.Strapi, dispatcher: Dispatcher): void {
  const findTarget = async (documentId: string): Promise<TargetRow> => {
    const target = await strapi.db.query(TARGET_UID).findOne({ where: { documentId } });
    if (!target) throw new errors.NotFoundError('No such rebuild target');
    return target;
  };
  const answer = (ctx: AdminContext, delivery: { documentId: string; webhookId: string }) => {
    dispatcher.wake();
    ctx.status = 202;
    ctx.body = { data: { documentId: delivery.documentId, webhookId: delivery.webhookId, state: 'collecting' } };
  };
  const config = { policies: ['admin::isAuthenticatedAdmin'] };

  strapi.server.routes({
    type: 'admin',
    prefix: '/newsroom',
    routes: [
      {
        method: 'POST',
        path: '/rebuild/deliveries/:documentId/redeliver',
        config,
        handler: async (ctx: AdminContext) => {
          assertCanManageTargets(ctx);
          const original: DeliveryRow | null = await strapi.db.query(DELIVERY_UID).findOne({ where: { documentId: ctx.params.documentId } });
          if (!original) throw new errors.NotFoundError('No such delivery');
          const target = await findTarget(original.targetDocumentId);
          const trigger = original.trigger === 'test' ? 'test' : 'redeliver';
          answer(ctx, await dispatcher.createDelivery(target, trigger, original.changes ?? [], new Date()));
        },
      },
      {
        method: 'POST',
        path: '/rebuild/targets/:documentId/test',
        config,
        handler: async (ctx: AdminContext) => {
          assertCanManageTargets(ctx);
          const target = await findTarget(ctx.params.documentId);
          answer(ctx, await dispatcher.createDelivery(target, 'test', [], new Date()));
        },
      },
    ],
  } as never);
}
