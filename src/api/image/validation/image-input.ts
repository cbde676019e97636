/**
 * An Image's `asset` must be a picture Strapi could read: an image MIME type and known dimensions.
 * The schema's `allowedTypes: ["images"]` is only enforced by the admin's picker, and a file named
 * .jpg that is not a JPEG is stored by the media library as image/jpeg without dimensions; both
 * would reach readers as a broken picture. Checked on every write through the Document Service.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { mayWriteAgencyFields } from '../../../ingest/agency-fields';

/** A 400 naming the asset field; Strapi's APIs send `details.errors` to the client. */
function assetError(message: string): never {
  throw new errors.ValidationError(`asset ${message}`, { errors: [{ path: ['asset'], message, name: 'ValidationError' }] });
}

type MediaInput = number | string | { id?: number | string; documentId?: string } | null | undefined;

function fileKey(asset: MediaInput): { id: number } | { documentId: string } | null {
  if (asset === null || asset === undefined) return null;
  if (typeof asset === 'number' || (typeof asset === 'string' && /^\d+$/.test(asset))) return { id: Number(asset) };
  if (typeof asset === 'string') return { documentId: asset };
  if (typeof asset === 'object' && asset.id !== undefined) return { id: Number(asset.id) };
  if (typeof asset === 'object' && typeof asset.documentId === 'string') return { documentId: asset.documentId };
  return assetError('must be the id of an uploaded file');
}

function fieldError(field: string, message: string): never {
  throw new errors.ValidationError(`${field} ${message}`, { errors: [{ path: [field], message, name: 'ValidationError' }] });
}

/** The licence's link, when given, is an absolute http(s) URL readers can follow. */
function checkLicenceUrl(value: unknown): void {
  if (value === null || value === undefined || value === '') return;
  if (typeof value !== 'string') fieldError('licenceUrl', 'must be a URL');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fieldError('licenceUrl', 'must be an absolute URL, e.g. https://creativecommons.org/licenses/by/4.0/');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fieldError('licenceUrl', 'must be an http(s) URL');
}

export async function validateImageInput(strapi: Core.Strapi, data: Record<string, unknown> | undefined): Promise<void> {
  // Where ingest fetched the picture from, its key for reusing the Image: ingest's to write, no one else's.
  if (data && !mayWriteAgencyFields()) delete data.sourceUrl;
  if (data && 'licenceUrl' in data) checkLicenceUrl(data.licenceUrl);
  if (!data || !('asset' in data)) return;
  const key = fileKey(data.asset as MediaInput);
  if (!key) return;
  const file = await strapi.db.query('plugin::upload.file').findOne({ where: key, select: ['id', 'mime', 'width', 'height'] });
  if (!file) assetError('is not an uploaded file');
  if (!String(file.mime).startsWith('image/')) assetError(`must be a readable image (got ${file.mime})`);
  if (!file.width || !file.height) assetError(`must be a readable image (got ${file.mime} without dimensions)`);
}
