/**
 * Fields of the generated schema that cannot answer and so are left out of it.
 *
 * `UploadFile.related` (the documents a file is attached to) is a polymorphic relation without a
 * target: in 5.54 the plugin builds its resolver from `strapi.getModel(undefined)` and every query
 * that selects it fails with an internal error, whatever the data (found by the generated-queries
 * test). No client can have relied on it; REST's file listing is unchanged.
 */
import type { Core } from '@strapi/strapi';

export function leaveOutBrokenFields(strapi: Core.Strapi): void {
  strapi.plugin('graphql').service('extension').shadowCRUD('plugin::upload.file').field('related').disableOutput();
}
