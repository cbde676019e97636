/**
 * An Image's `asset` must be a picture Strapi could read: an image MIME type and known dimensions.
 * The schema's `allowedTypes: ["images"]` is only enforced by the admin's picker, and a file named
 * .jpg that is not a JPEG is stored by the media library as image/jpeg without dimensions; both
 * would reach readers as a broken picture. Checked on every write through the Document Service.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

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

export async function validateImageInput(strapi: Core.Strapi, data: Record<string, unknown> | undefined): Promise<void> {
  if (!data || !('asset' in data)) return;
  const key = fileKey(data.asset as MediaInput);
  if (!key) return;
  const file = await strapi.db.query('plugin::upload.file').findOne({ where: key, select: ['id', 'mime', 'width', 'height'] });
  if (!file) assetError('is not an uploaded file');
  if (!String(file.mime).startsWith('image/')) assetError(`must be a readable image (got ${file.mime})`);
  if (!file.width || !file.height) assetError(`must be a readable image (got ${file.mime} without dimensions)`);
}
