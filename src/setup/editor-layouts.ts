/**
 * How the admin's list and edit views look to editors: plain-word labels, one-line hints, list
 * columns and default sort, and the field relation pickers show. Committed here and applied at
 * every boot on top of what the content manager generated, so a fresh database looks the same
 * as production.
 */
import type { Core } from '@strapi/strapi';
import { REBUILD_LAYOUTS } from '../rebuild/admin-layouts';

interface FieldMeta {
  label: string;
  description?: string;
  placeholder?: string;
  /** for relations and components: the field shown instead of an id */
  mainField?: string;
  /** false: shown read-only in the edit view */
  editable?: boolean;
}

export interface EditorLayout {
  uid: string;
  kind: 'content-types' | 'components';
  settings: Record<string, unknown>;
  fields: Record<string, FieldMeta>;
  list?: string[];
  edit: Array<Array<{ name: string; size: number }>>;
}

export const EDITOR_LAYOUTS: EditorLayout[] = [
  {
    uid: 'api::article.article',
    kind: 'content-types',
    settings: { mainField: 'title', defaultSortBy: 'dateline', defaultSortOrder: 'DESC', pageSize: 20 },
    fields: {
      title: { label: 'Title', description: 'The headline, as readers see it.' },
      slug: { label: 'Slug', description: 'The last part of the story’s URL; made from the title.' },
      standfirst: { label: 'Standfirst', description: 'The line under the headline that sums up the story.' },
      dateline: { label: 'Dateline', description: 'The date the story carries (not when it was published here).' },
      sections: {
        label: 'Sections',
        description: 'The body, in order. The first section may have no heading (the lead).',
      },
      authors: { label: 'Byline', description: 'Who wrote the story, in byline order: people (or an agency) from Entities.', mainField: 'label' },
      heroImage: { label: 'Hero image', description: 'The picture at the top of the story.', mainField: 'caption' },
      entities: { label: 'Entities', description: 'People, organisations, places and events the story names; search by any of their names.', mainField: 'label' },
      updates: {
        label: 'Updates and corrections',
        description: 'Public log shown with the story. Add an entry, say what changed, and publish; an entry without a time gets the time of the save.',
      },
      lastUpdatedAt: { label: 'Last updated (from the log)', description: 'Set from the log of updates; a typo fix does not move it.', editable: false },
      firstPublishedAt: { label: 'First published', description: 'Set by the first publish of this language; republishing does not move it.', editable: false },
      publishAt: { label: 'Publish at', description: 'Embargo: the story goes public at this time (within a minute). Save the draft; Publish before then is refused.' },
      unpublishAt: { label: 'Unpublish at', description: 'The story is withdrawn at this time.' },
      agencyStatus: {
        label: 'Agency status',
        description: 'Set by ingest from the agency item: withheld (not publishable until a newer usable version arrives) or canceled (killed by the agency: only an Editor may publish it again).',
        editable: false,
      },
      agencySource: { label: 'Agency item', description: 'The agency, item id and version this story was ingested from.', editable: false },
    },
    list: ['title', 'dateline'],
    edit: [
      [{ name: 'title', size: 12 }],
      [{ name: 'slug', size: 8 }, { name: 'dateline', size: 4 }],
      [{ name: 'standfirst', size: 12 }],
      [{ name: 'publishAt', size: 6 }, { name: 'unpublishAt', size: 6 }],
      [{ name: 'authors', size: 12 }],
      [{ name: 'heroImage', size: 6 }, { name: 'entities', size: 6 }],
      [{ name: 'sections', size: 12 }],
      [{ name: 'updates', size: 12 }],
      [{ name: 'lastUpdatedAt', size: 6 }, { name: 'firstPublishedAt', size: 6 }],
      [{ name: 'agencyStatus', size: 4 }, { name: 'agencySource', size: 8 }],
    ],
  },
  {
    uid: 'story.section',
    kind: 'components',
    settings: { mainField: 'heading' },
    fields: {
      heading: { label: 'Heading', description: 'Leave empty for the lead.' },
      body: { label: 'Paragraphs' },
    },
    edit: [[{ name: 'heading', size: 12 }], [{ name: 'body', size: 12 }]],
  },
  {
    uid: 'story.update',
    kind: 'components',
    settings: { mainField: 'note' },
    fields: {
      kind: { label: 'Kind', description: 'update, correction or clarification' },
      at: { label: 'At', description: 'Leave empty for now.' },
      note: { label: 'Note', description: 'What changed, as readers will see it.' },
    },
    edit: [[{ name: 'kind', size: 4 }, { name: 'at', size: 8 }], [{ name: 'note', size: 12 }]],
  },
  {
    uid: 'api::image.image',
    kind: 'content-types',
    settings: { mainField: 'caption', defaultSortBy: 'takenAt', defaultSortOrder: 'DESC' },
    fields: {
      asset: { label: 'Picture' },
      caption: { label: 'Caption', description: 'As printed under the picture.' },
      altText: { label: 'Alt text', description: 'What the picture shows, for readers who cannot see it.' },
      credit: { label: 'Credit', description: 'The photographer or artist.' },
      agency: { label: 'Agency', description: 'The agency or owner of the rights, e.g. REUTERS.' },
      takenAt: { label: 'Taken on' },
      location: { label: 'Location', description: 'Where it was taken.' },
      depicts: { label: 'Depicts', description: 'Who or what is in the picture; search by any of their names.', mainField: 'label' },
      licence: { label: 'Licence', description: 'Staff, agency, licensed, Creative Commons, public domain or handout.' },
      licenceUrl: { label: 'Licence URL', description: 'The licence or agreement, e.g. https://creativecommons.org/licenses/by/4.0/.' },
      usageTerms: { label: 'Usage terms', description: 'What the licence allows and forbids, as the agency states it.' },
      rightsExpireAt: { label: 'Rights expire', description: 'From this moment the picture leaves every public page, feed and sitemap. Empty: no end date.' },
      rightsExpiryAnnouncedFor: { label: 'Expiry announced for', description: 'Set by the system when the expiry was sent to caches and sites.', editable: false },
    },
    list: ['asset', 'caption', 'credit', 'agency', 'rightsExpireAt'],
    edit: [
      [{ name: 'asset', size: 6 }, { name: 'takenAt', size: 6 }],
      [{ name: 'caption', size: 12 }],
      [{ name: 'altText', size: 12 }],
      [{ name: 'credit', size: 4 }, { name: 'agency', size: 4 }, { name: 'location', size: 4 }],
      [{ name: 'depicts', size: 12 }],
      [{ name: 'licence', size: 4 }, { name: 'rightsExpireAt', size: 4 }, { name: 'licenceUrl', size: 4 }],
      [{ name: 'usageTerms', size: 12 }],
    ],
  },
  {
    uid: 'api::entity.entity',
    kind: 'content-types',
    settings: { mainField: 'name', defaultSortBy: 'name', defaultSortOrder: 'ASC' },
    fields: {
      name: { label: 'Name' },
      slug: { label: 'Slug' },
      kind: { label: 'Kind', description: 'Person, organisation, country, place, event or topic.' },
      description: { label: 'Description', description: 'Who or what they are, as stories describe them.' },
      aliases: { label: 'Other names', description: 'A JSON list of strings, e.g. ["Biden"].' },
      wikidataId: { label: 'Wikidata id', description: 'Optional, e.g. Q6279.' },
    },
    list: ['name', 'kind', 'description'],
    edit: [
      [{ name: 'name', size: 6 }, { name: 'slug', size: 6 }],
      [{ name: 'kind', size: 6 }, { name: 'wikidataId', size: 6 }],
      [{ name: 'description', size: 12 }],
      [{ name: 'aliases', size: 12 }],
    ],
  },
];

interface StoredConfiguration {
  settings: Record<string, unknown>;
  metadatas: Record<string, { edit: Record<string, unknown>; list: Record<string, unknown> }>;
  layouts: { list: string[]; edit: Array<Array<{ name: string; size: number }>> };
}

export async function applyEditorLayouts(strapi: Core.Strapi): Promise<void> {
  const contentManager = strapi.plugin('content-manager');
  for (const layout of [...EDITOR_LAYOUTS, ...REBUILD_LAYOUTS]) {
    const service = contentManager.service(layout.kind);
    const target =
      layout.kind === 'components' ? strapi.components[layout.uid as never] : strapi.contentTypes[layout.uid as never];
    const current: StoredConfiguration = await service.findConfiguration(target);

    const metadatas = { ...current.metadatas };
    for (const [name, meta] of Object.entries(layout.fields)) {
      const existing = metadatas[name] ?? { edit: {}, list: {} };
      metadatas[name] = {
        edit: {
          ...existing.edit,
          label: meta.label,
          description: meta.description ?? '',
          ...(meta.mainField ? { mainField: meta.mainField } : {}),
          ...(meta.editable === false ? { editable: false } : {}),
        },
        list: {
          ...existing.list,
          label: meta.label,
          ...(meta.mainField ? { mainField: meta.mainField } : {}),
        },
      };
    }

    await service.updateConfiguration(target, {
      settings: { ...current.settings, ...layout.settings },
      metadatas,
      layouts: { list: layout.list ?? current.layouts.list, edit: layout.edit },
    });
  }
}
