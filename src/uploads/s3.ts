/**
 * Uploads on S3-compatible storage (AWS S3, Cloudflare R2, MinIO, GCS's XML API…), with Strapi's
 * own provider, `@strapi/provider-upload-aws-s3` (why that package, at 5.52.3 beside a 5.54.0
 * family: scripts/check-strapi-family.js). Every file and each of its responsive formats is one
 * object under S3_PREFIX; its URL, in every answer, is S3_PUBLIC_URL + the key (a CDN or the
 * bucket's public address). The upload gate (src/middlewares/upload-guard.ts) runs before the
 * media library, so a refused file never reaches the bucket.
 */
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import type { Env } from '../env';

/** The S3 client's settings: one place for the upload provider and `npm run uploads:migrate`. */
export function s3ClientConfig(env: Env): S3ClientConfig {
  return {
    region: env.S3_REGION,
    ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}),
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    ...(env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY ? { credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } } : {}),
    // Checksums only where S3 requires them: R2, MinIO and older gateways refuse the SDK's
    // default CRC32 trailers on every PUT.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

/** Objects are named by content hash, so a key never holds two versions: cache them for a year. */
export const OBJECT_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** The upload plugin's provider settings for UPLOAD_PROVIDER=s3. */
export function s3UploadProvider(env: Env) {
  return {
    provider: 'aws-s3',
    providerOptions: {
      baseUrl: env.S3_PUBLIC_URL?.replace(/\/+$/, ''),
      rootPath: env.S3_PREFIX,
      s3Options: {
        ...s3ClientConfig(env),
        // ACL left out unless asked for: buckets made since 2023 refuse ACL headers by default.
        params: { Bucket: env.S3_BUCKET, ACL: env.S3_ACL },
      },
    },
    actionOptions: {
      upload: { CacheControl: OBJECT_CACHE_CONTROL },
      uploadStream: { CacheControl: OBJECT_CACHE_CONTROL },
      delete: {},
    },
  };
}

/** The origin of S3_PUBLIC_URL, which the admin panel's CSP must allow images from. */
export const mediaOrigin = (env: Env): string | null => (env.UPLOAD_PROVIDER === 's3' && env.S3_PUBLIC_URL ? new URL(env.S3_PUBLIC_URL).origin : null);
