/**
 * How uploaded files are served (`/uploads/…`, from the public folder): never as something a
 * browser runs. Every answer carries `X-Content-Type-Options: nosniff` and a CSP that allows
 * nothing and sandboxes the document; a file that is not one of the images the media library
 * accepts (one stored before that rule, or put there by hand) gets `Content-Disposition:
 * attachment`, so it downloads instead of rendering inline.
 */
import type { Core } from '@strapi/strapi';
import { IMAGE_TYPES } from './upload-guard';

export const UPLOADS_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

export default (): Core.MiddlewareHandler => async (ctx, next) => {
  await next();
  if (!ctx.path.startsWith('/uploads/')) return;
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Content-Security-Policy', UPLOADS_CSP);
  if (ctx.body != null && !(ctx.response.type in IMAGE_TYPES)) ctx.set('Content-Disposition', 'attachment');
};
