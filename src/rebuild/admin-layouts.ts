/**
 * How targets and the delivery log look in the admin panel (applied at boot with the editors'
 * layouts). URL and secrets are write-only password fields: empty when an admin opens a target,
 * kept when saved empty. Everything in the log is read-only.
 */
import type { EditorLayout } from '../setup/editor-layouts';
import { DELIVERY_UID, TARGET_UID } from './targets';

export const REBUILD_LAYOUTS: EditorLayout[] = [
  {
    uid: TARGET_UID,
    kind: 'content-types',
    settings: { mainField: 'name', defaultSortBy: 'name', defaultSortOrder: 'ASC' },
    fields: {
      name: { label: 'Name' },
      kind: {
        label: 'Kind',
        description:
          'standard: signed JSON (Standard Webhooks); build-hook: Netlify/Vercel/Cloudflare deploy hook; github-dispatch: repository_dispatch; varnish, fastly, cloudflare: purge the edge cache by tag.',
      },
      url: {
        label: 'URL',
        description:
          'Write-only: stored encrypted, never shown again. Leave empty to keep the current one. varnish: the Varnish address; fastly: https://api.fastly.com/service/{id}/purge; cloudflare: https://api.cloudflare.com/client/v4/zones/{zone}/purge_cache.',
      },
      secret: { label: 'Secret or token', description: 'standard: whsec_… ; github-dispatch, fastly, cloudflare: an API token. Write-only; leave empty to keep it.' },
      previousSecret: { label: 'Previous secret', description: 'standard only, during a rotation: messages are signed with both.' },
      urlHint: { label: 'Current URL', description: 'Enough to recognise it, never enough to use it.', editable: false },
      enabled: { label: 'Enabled' },
      contentTypes: { label: 'Content types', description: 'Comma-separated: article, entity, image. Empty: all.' },
      locales: { label: 'Locales', description: 'Comma-separated locale codes, e.g. en, ru. Empty: all.' },
      eventType: { label: 'GitHub event type', description: 'github-dispatch only; default content.changed.' },
      pathPatterns: { label: 'Path patterns', description: 'Override, e.g. article=/{locale}/news/{slug},entity=/topics/{slug}.' },
      softPurge: { label: 'Soft purge', description: 'fastly only: mark purged objects stale instead of removing them.' },
      disabledReason: { label: 'Disabled because', editable: false },
      source: { label: 'Source', description: 'env: from REBUILD_WEBHOOK_URLS or PURGE_* (only Enabled can change here).', editable: false },
    },
    list: ['name', 'kind', 'urlHint', 'enabled'],
    edit: [
      [{ name: 'name', size: 6 }, { name: 'kind', size: 6 }],
      [{ name: 'url', size: 6 }, { name: 'urlHint', size: 6 }],
      [{ name: 'secret', size: 6 }, { name: 'previousSecret', size: 6 }],
      [{ name: 'enabled', size: 4 }, { name: 'disabledReason', size: 8 }],
      [{ name: 'contentTypes', size: 6 }, { name: 'locales', size: 6 }],
      [{ name: 'eventType', size: 6 }, { name: 'source', size: 6 }],
      [{ name: 'pathPatterns', size: 8 }, { name: 'softPurge', size: 4 }],
    ],
  },
  {
    uid: DELIVERY_UID,
    kind: 'content-types',
    settings: { mainField: 'webhookId', defaultSortBy: 'id', defaultSortOrder: 'DESC', pageSize: 50 },
    fields: {
      webhookId: { label: 'webhook-id', editable: false },
      targetName: { label: 'Target', editable: false },
      targetDocumentId: { label: 'Target id', editable: false },
      kind: { label: 'Kind', editable: false },
      trigger: { label: 'Trigger', description: 'change, redeliver or test', editable: false },
      state: { label: 'State', editable: false },
      changeCount: { label: 'Changes', editable: false },
      attempts: { label: 'Attempts', editable: false },
      lastStatusCode: { label: 'Last status', editable: false },
      lastError: { label: 'Last error', editable: false },
      lastDurationMs: { label: 'Last duration (ms)', editable: false },
      firstChangeAt: { label: 'First change at', editable: false },
      dueAt: { label: 'Next attempt at', editable: false },
      deliveredAt: { label: 'Delivered at', editable: false },
      leaseUntil: { label: 'Claimed until', editable: false },
      changes: { label: 'Change list', editable: false },
      attemptLog: { label: 'Every attempt', editable: false },
    },
    list: ['webhookId', 'targetName', 'state', 'attempts', 'lastStatusCode', 'changeCount'],
    edit: [
      [{ name: 'webhookId', size: 6 }, { name: 'state', size: 3 }, { name: 'trigger', size: 3 }],
      [{ name: 'targetName', size: 6 }, { name: 'kind', size: 3 }, { name: 'targetDocumentId', size: 3 }],
      [{ name: 'attempts', size: 3 }, { name: 'lastStatusCode', size: 3 }, { name: 'lastDurationMs', size: 3 }, { name: 'changeCount', size: 3 }],
      [{ name: 'lastError', size: 12 }],
      [{ name: 'firstChangeAt', size: 3 }, { name: 'dueAt', size: 3 }, { name: 'deliveredAt', size: 3 }, { name: 'leaseUntil', size: 3 }],
      [{ name: 'attemptLog', size: 12 }],
      [{ name: 'changes', size: 12 }],
    ],
  },
];
