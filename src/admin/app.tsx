/**
 * Admin panel additions:
 * - "Send test" on a rebuild target and "Redeliver" on a delivery, as document actions in the
 *   content manager's edit view (and its list rows). They call the admin routes of
 *   src/rebuild/admin-routes.ts; the server checks that the admin may manage targets.
 * - No lost edits: every save and publish of an article, entity or image carries the version
 *   (updatedAt) the edit view loaded, in `x-newsroom-version`; the server refuses a save made on
 *   top of a version it never saw (src/edit-conflicts), with a ValidationError, so the editor's
 *   input stays in the form. Done by wrapping the admin's fetch, which every content manager
 *   request goes through, so Strapi's own Save and Publish buttons keep working as they are.
 * - Version history: a History side panel in the edit view (history-panel.tsx).
 * - Image rights: an "Image rights" side panel for images and articles, and the image list's
 *   expiry column worded (image-rights.tsx).
 * - Import: a page in the main navigation that previews a pasted story or agency item and creates
 *   the draft (import-page.tsx).
 */
import type { StrapiApp } from '@strapi/strapi/admin';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { Download } from '@strapi/icons';
import { HistoryPanel } from './history-panel';
import { rightsColumn, RightsPanel } from './image-rights';

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

const VERSION_HEADER = 'x-newsroom-version';
const VERSIONED = new Set(['api::article.article', 'api::entity.entity', 'api::image.image']);
const DOCUMENT_PATH = /\/content-manager\/collection-types\/([^/]+)\/([^/?]+)(?:\/actions\/([a-zA-Z]+))?$/;

/** The fields a save sent, without relation changes (their shape differs from what a read returns). */
function editableValues(body: BodyInit | null | undefined): Record<string, unknown> {
  if (typeof body !== 'string') return {};
  try {
    const sent = JSON.parse(body) as Record<string, unknown>;
    const isRelationChange = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && ('connect' in v || 'disconnect' in v || 'set' in v);
    return Object.fromEntries(Object.entries(sent).filter(([, v]) => !isRelationChange(v)));
  } catch {
    return {};
  }
}

function trackDocumentVersions(): void {
  const versions = new Map<string, string>();
  // After a refused save the content manager refetches the document and re-initialises the form
  // from it, which would replace the editor's unsaved text with the other person's. The refetch
  // that follows within a few seconds is answered with the draft this view had loaded, overlaid
  // with what the refused save sent, so the editor's text stays in the form; saving it again is
  // refused again (the version is still the old one) until the editor reloads.
  const loaded = new Map<string, { data: Record<string, unknown> } & Record<string, unknown>>();
  const refused = new Map<string, { until: number; sent: Record<string, unknown> }>();
  const original = window.fetch.bind(window);
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), window.location.origin);
    const match = DOCUMENT_PATH.exec(url.pathname);
    const uid = match ? decodeURIComponent(match[1]) : '';
    if (!match || !VERSIONED.has(uid) || match[2] === 'actions') return original(input, init);

    const key = `${uid}/${match[2]}/${url.searchParams.get('locale') ?? ''}`;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const saves = (method === 'PUT' && !match[3]) || (method === 'POST' && match[3] === 'publish');
    const draft = match[3] !== 'publish' && url.searchParams.get('status') !== 'published';
    const held = refused.get(key);
    const last = loaded.get(key);
    if (method === 'GET' && draft && held && held.until > Date.now() && last) {
      refused.delete(key);
      const body = { ...last, data: { ...last.data, ...held.sent } };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    }
    const version = versions.get(key);
    let request = init;
    if (saves && version) {
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      headers.set(VERSION_HEADER, version);
      request = { ...init, headers };
    }
    const response = await original(input, request);
    if (method !== 'GET' && !saves) return response;
    try {
      const body = (await response.clone().json()) as { data?: Record<string, unknown>; error?: { details?: { conflict?: unknown } } };
      if (!response.ok && saves && body.error?.details?.conflict) {
        refused.set(key, { until: Date.now() + 5_000, sent: editableValues(init?.body) });
      }
      if (response.ok && draft && typeof body.data?.updatedAt === 'string') {
        versions.set(key, body.data.updatedAt);
        loaded.set(key, body as { data: Record<string, unknown> });
      }
      if (response.ok && match[3] === 'publish') versions.delete(key);
    } catch {
      // not JSON: nothing to learn
    }
    return response;
  };
}

interface ContentManagerApis {
  addDocumentAction(reducer: (actions: ActionComponent[]) => ActionComponent[]): void;
  addEditViewSidePanel(panels: unknown[]): void;
}

export default {
  config: { locales: [] },
  register(app: StrapiApp) {
    // The Import page (import-page.tsx); the server lets Super Admins, Editors and Authors use it.
    app.addMenuLink({
      to: 'import',
      icon: Download,
      intlLabel: { id: 'newsroom.import', defaultMessage: 'Import' },
      Component: () => import('./import-page'),
      permissions: [],
    } as never);
  },
  bootstrap(app: StrapiApp) {
    trackDocumentVersions();
    const apis = app.getPlugin('content-manager').apis as unknown as ContentManagerApis;
    apis.addDocumentAction((actions) => [...actions, RebuildAction]);
    apis.addEditViewSidePanel([RightsPanel, HistoryPanel]);
    app.registerHook('Admin/CM/pages/ListView/inject-column-in-table', rightsColumn);
  },
};
