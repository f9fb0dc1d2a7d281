import type { S3rverContext, S3rverMiddleware } from 's3rver';
import s3rverConfig from 's3rver/lib/models/config.js';
import S3Error from 's3rver/lib/models/error.js';

/**
 * The `Tagging` header (`x-amz-tagging`) of PutObject and CopyObject, which s3rver ignores, done
 * as S3 does: the object written has exactly the tags of the request that wrote it (none without
 * the header; a copy keeps its source's unless `x-amz-tagging-directive: REPLACE`), stored before
 * the client is answered, and a tag set S3 would refuse is refused with S3's `InvalidTag`,
 * nothing stored. Without it the adapters had to send PutObjectTagging after each write, a second
 * billed request on S3. Presigned POST uploads (s3rver ignores their `tagging` field too) are left
 * as they are: no upload the functions presign carries one.
 *
 * Written by hand: S3's rules for a tag set are a handful of limits, checked here in a few lines,
 * and no package implements them apart from a whole S3 emulator.
 */
export function tagsOnWrite(): S3rverMiddleware {
  return async (ctx, next) => {
    const write = objectWrite(ctx);
    if (write === undefined) return next();
    const header = ctx.get('x-amz-tagging');
    const replace = write === 'put' || ctx.get('x-amz-tagging-directive').toUpperCase() === 'REPLACE';
    // Checked first, so that a refused tag set leaves nothing stored, as on S3.
    const tags = replace ? parseTagging(header) : undefined;
    await next();
    if (ctx.status !== 200) return;
    const bucket = ctx.params?.bucket;
    const key = ctx.params?.key;
    if (bucket === undefined || key === undefined) return;
    if (tags !== undefined) {
      await setTags(ctx, bucket, key, tags);
      return;
    }
    // A copy without REPLACE keeps its source's tags: s3rver keeps them only on a copy onto itself.
    const source = copySource(ctx.get('x-amz-copy-source'));
    if (source === undefined || (source.bucket === bucket && source.key === key)) return;
    const config = await ctx.store.getSubresource(source.bucket, source.key, 'tagging');
    if (config) await ctx.store.putSubresource(bucket, key, config);
    else await ctx.store.deleteSubresource(bucket, key, 'tagging');
  };
}

/** S3's limits on an object's tags (Amazon S3 User Guide, "Categorizing your storage using tags"). */
const MAX_TAGS = 10;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;
const ALLOWED = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** The object subresources whose PUT is not a write of the object (`?tagging`, `?acl`, parts). */
const SUBRESOURCES = [
  'acl',
  'legal-hold',
  'retention',
  'select',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
];

function objectWrite(ctx: S3rverContext): 'put' | 'copy' | undefined {
  if (ctx.method !== 'PUT' || !/^\/[^/]+\/./.test(ctx.path)) return undefined;
  if (SUBRESOURCES.some((name) => name in ctx.query)) return undefined;
  return ctx.get('x-amz-copy-source') ? 'copy' : 'put';
}

function copySource(header: string): { bucket: string; key: string } | undefined {
  const path = decodeURIComponent(header.split('?')[0] ?? '').replace(/^\//, '');
  const slash = path.indexOf('/');
  return slash > 0 ? { bucket: path.slice(0, slash), key: path.slice(slash + 1) } : undefined;
}

/** The tags of an `x-amz-tagging` header (URL-encoded `k=v&k2=v2`), refused as S3 refuses them. */
export function parseTagging(header: string): [string, string][] {
  const tags = [...new URLSearchParams(header)];
  if (tags.length > MAX_TAGS) throw invalidTag(`Object tags cannot be greater than ${MAX_TAGS}`);
  const keys = new Set<string>();
  for (const [key, value] of tags) {
    if (keys.has(key)) throw invalidTag('Cannot provide multiple Tags with the same key');
    keys.add(key);
    if ([...key].length > MAX_KEY_LENGTH)
      throw invalidTag(`The TagKey you have provided is too long, max ${MAX_KEY_LENGTH}`);
    if ([...value].length > MAX_VALUE_LENGTH)
      throw invalidTag(`The TagValue you have provided is too long, max ${MAX_VALUE_LENGTH}`);
    if (key === '' || !ALLOWED.test(key)) throw invalidTag('The TagKey you have provided is invalid');
    if (!ALLOWED.test(value)) throw invalidTag('The TagValue you have provided is invalid');
    if (key.toLowerCase().startsWith('aws:')) throw invalidTag('Your TagKey cannot be prefixed with aws:');
  }
  return tags;
}

async function setTags(ctx: S3rverContext, bucket: string, key: string, tags: [string, string][]) {
  if (tags.length === 0) {
    await ctx.store.deleteSubresource(bucket, key, 'tagging');
    return;
  }
  const xml = tags.map(([k, v]) => `<Tag><Key>${escapeXml(k)}</Key><Value>${escapeXml(v)}</Value></Tag>`);
  await ctx.store.putSubresource(
    bucket,
    key,
    new s3rverConfig.TaggingConfiguration(`<Tagging><TagSet>${xml.join('')}</TagSet></Tagging>`),
  );
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function invalidTag(message: string): Error {
  const error = new S3Error('InvalidTag', message);
  // s3rver knows no InvalidTag, so would answer 500; S3 answers 400.
  error.status = 400;
  error.expose = true;
  return error;
}
