/**
 * Admin panel additions: "Send test" on a rebuild target and "Redeliver" on a delivery, as
 * document actions in the content manager's edit view (and its list rows). They call the admin
 * routes of src/rebuild/admin-routes.ts; the server checks that the admin may manage targets.
 */
import type { StrapiApp } from '@strapi/strapi/admin';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';

const TARGET_UID = 'api::rebuild-target.rebuild-target';
const DELIVERY_UID = 'api::rebuild-delivery.rebuild-delivery';

interface ActionProps {
  model: string;
  documentId?: string;
}

interface ActionDescription {
  label: string;
  position?: Array<'panel' | 'header' | 'table-row'>;
  variant?: 'secondary';
  onClick?: () => Promise<boolean | void>;
}

type ActionComponent = ((props: ActionProps) => ActionDescription | null) & { type?: string };

const RebuildAction: ActionComponent = ({ model, documentId }) => {
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  if (!documentId || (model !== TARGET_UID && model !== DELIVERY_UID)) return null;
  const isTarget = model === TARGET_UID;
  const path = isTarget ? `/newsroom/rebuild/targets/${documentId}/test` : `/newsroom/rebuild/deliveries/${documentId}/redeliver`;
  return {
    label: isTarget ? 'Send test' : 'Redeliver',
    position: ['panel', 'table-row'],
    variant: 'secondary',
    onClick: async () => {
      try {
        const { data } = await post<{ data: { webhookId: string } }>(path);
        toggleNotification({
          type: 'success',
          message: `Queued as ${data.data.webhookId}: see Rebuild delivery for the result.`,
        });
      } catch (error) {
        const message = (error as { response?: { data?: { error?: { message?: string } } } }).response?.data?.error?.message;
        toggleNotification({ type: 'danger', message: message ?? 'Could not queue the delivery.' });
      }
      return true;
    },
  };
};

interface ContentManagerApis {
  addDocumentAction(reducer: (actions: ActionComponent[]) => ActionComponent[]): void;
}

export default {
  config: { locales: [] },
  bootstrap(app: StrapiApp) {
    const apis = app.getPlugin('content-manager').apis as unknown as ContentManagerApis;
    apis.addDocumentAction((actions) => [...actions, RebuildAction]);
  },
};
