import {
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { DOWNLOADS_EXPIRE_AFTER_DAYS, DOWNLOADS_PREFIX } from '../../functions/adapters/s3-downloads.js';
import type { RetentionRule } from '../../functions/domain/retention.js';

/**
 * The records archive's lifecycle rules, which s3rver does not run. On AWS a closed case's file,
 * letters and evidence go on the day its retention ends, with its record: the case table's TTL
 * deletes the record and the stream's function deletes the archive (`archive-expiry.ts`). The
 * bucket's rules (`retentionRules(policy)`, `expireAfterDays` from an object's creation) are only
 * the backstop, a month or more later, for an archive that path missed. `npm start` runs the TTL
 * and that function as well (`ttl.ts`, the stream poller), so this sweeper is the backstop too, and
 * no more: it deletes an object tagged with a retention class once the rule's days have passed
 * since it was written, rounded up to midnight UTC as S3 does, on the runtime's (possibly
 * accelerated) clock. An archive the stream left behind stays here as long as it would on AWS.
 * Files handed out for download go by their prefix (`DOWNLOADS_PREFIX`), a day after they were
 * written, as the bucket's rule for them says.
 */

/** Name of the object tag the lifecycle rules match on (as `RETENTION_TAG` in the S3 archive adapter). */
const RETENTION_TAG = 'retention';
const DAY_MS = 86_400_000;

export interface SweeperOptions {
  client: S3Client;
  bucket: string;
  /** `retentionRules(policy)`: tag value → days after an object is written (`expireAfterDays`). */
  rules: RetentionRule[];
  /** The runtime's clock. */
  now: () => Date;
  /** Only keys under this prefix are considered (default: the whole bucket, like the bucket's rules). */
  prefix?: string;
  /** Told about each object deleted. */
  onExpire?: (expired: ExpiredObject) => void;
}

export interface ExpiredObject {
  key: string;
  tag: string;
  /**
   * When it was written on the runtime's clock, which the rule's days count from, as S3 counts
   * from an object's creation: when it was archived (the file's `archivedAt`, or a letter's or
   * evidence's metadata), else its LastModified.
   */
  archivedAt: Date;
  /** The instant the rule expired it: `expiryInstant` of `archivedAt` and the rule's days. */
  expiredAt: Date;
}

export interface SweepResult {
  /** Objects deleted in this sweep. */
  expired: ExpiredObject[];
  /** Objects looked at and kept (not yet due, or no rule matches their tag). */
  kept: number;
}

/**
 * When S3 expires an object: its creation time plus the rule's days, rounded up to the next
 * midnight UTC (S3 lifecycle documentation, "Expiring objects"). The backstop's instant, which
 * comes after `retentionEnd`, the day the table's TTL takes the case.
 */
export function expiryInstant(archivedAt: Date, expireAfterDays: number): Date {
  const due = archivedAt.getTime() + expireAfterDays * DAY_MS;
  return new Date(Math.ceil(due / DAY_MS) * DAY_MS);
}

/**
 * Looks at every object once and deletes those whose `retention` tag names a rule whose days
 * have passed. It counts from the time written in a case file or with a letter or a file (on the
 * runtime's clock, so right under accelerated time), or, for objects with neither, their
 * LastModified (real time).
 */
export async function sweepArchive(
  options: SweeperOptions,
  cache = new ArchivedAtCache(),
): Promise<SweepResult> {
  const rules = new Map(options.rules.map((rule) => [rule.tag as string, rule.expireAfterDays]));
  const now = options.now().getTime();
  const expired: ExpiredObject[] = [];
  let kept = 0;
  let continuationToken: string | undefined;
  do {
    const page = await options.client.send(
      new ListObjectsV2Command({
        Bucket: options.bucket,
        Prefix: options.prefix,
        ContinuationToken: continuationToken,
      }),
    );
    for (const object of page.Contents ?? []) {
      const key = object.Key;
      if (key === undefined) continue;
      const expiry = await expiryOf(options, cache, rules, key, object);
      if (expiry === undefined) {
        kept++;
        continue;
      }
      const { tag, archivedAt, expiredAt } = expiry;
      if (expiredAt.getTime() > now) {
        kept++;
        continue;
      }
      await options.client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: key }));
      cache.forget(key);
      const item = { key, tag, archivedAt, expiredAt };
      expired.push(item);
      options.onExpire?.(item);
    }
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken !== undefined);
  return { expired, kept };
}

/**
 * When an object's keeping ends, or undefined for one no rule names. A file handed out for
 * download goes by its prefix's rule, a day after it was written (no tag to read); a case's file,
 * letter or evidence by its `retention` tag, the rule's days from when it was archived.
 */
async function expiryOf(
  options: SweeperOptions,
  cache: ArchivedAtCache,
  rules: Map<string, number>,
  key: string,
  object: { ETag?: string; LastModified?: Date },
): Promise<{ tag: string; archivedAt: Date; expiredAt: Date } | undefined> {
  if (key.startsWith(DOWNLOADS_PREFIX)) {
    const archivedAt = object.LastModified ?? new Date(0);
    return {
      tag: DOWNLOADS_PREFIX,
      archivedAt,
      expiredAt: expiryInstant(archivedAt, DOWNLOADS_EXPIRE_AFTER_DAYS),
    };
  }
  const tagging = await options.client.send(
    new GetObjectTaggingCommand({ Bucket: options.bucket, Key: key }),
  );
  const tag = tagging.TagSet?.find((t) => t.Key === RETENTION_TAG)?.Value;
  const days = tag === undefined ? undefined : rules.get(tag);
  if (tag === undefined || days === undefined) return undefined;
  const archivedAt = await cache.archivedAt(options, key, object.ETag, object.LastModified);
  return { tag, archivedAt, expiredAt: expiryInstant(archivedAt, days) };
}

/** Archive times already read, by key and ETag, so a sweep does not download every file each time. */
export class ArchivedAtCache {
  private readonly entries = new Map<string, { etag: string | undefined; archivedAt: Date }>();

  async archivedAt(
    options: Pick<SweeperOptions, 'client' | 'bucket'>,
    key: string,
    etag: string | undefined,
    lastModified: Date | undefined,
  ): Promise<Date> {
    const known = this.entries.get(key);
    if (known && known.etag === etag) return known.archivedAt;
    const fromFile = await readArchivedAt(options, key);
    const archivedAt = fromFile ?? lastModified ?? new Date(0);
    this.entries.set(key, { etag, archivedAt });
    return archivedAt;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}

async function readArchivedAt(
  options: Pick<SweeperOptions, 'client' | 'bucket'>,
  key: string,
): Promise<Date | undefined> {
  if (key.endsWith('.pdf') || key.startsWith('evidence/')) {
    // A letter or a resident's evidence: archived with its case, recorded in its metadata.
    const head = await options.client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: key }));
    const at = new Date(head.Metadata?.['archived-at'] ?? '');
    return Number.isNaN(at.getTime()) ? undefined : at;
  }
  if (!key.endsWith('.json')) return undefined;
  const object = await options.client.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }));
  const text = await object.Body?.transformToString('utf-8');
  if (text === undefined) return undefined;
  try {
    const file = JSON.parse(text) as { archivedAt?: unknown; case?: { closedAt?: unknown } };
    // When the archive step wrote it, else the closure. A correction rewrites the file and keeps
    // this: S3 counts that version's days from the rewrite, later; both come after the TTL's day.
    const from = typeof file.archivedAt === 'string' ? file.archivedAt : file.case?.closedAt;
    if (typeof from !== 'string') return undefined;
    const at = new Date(from);
    return Number.isNaN(at.getTime()) ? undefined : at;
  } catch (error: unknown) {
    // Not a case file (or not JSON): S3 would go by the object's age, and so do we.
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

export interface RunningSweeper {
  /** Runs one sweep now (after any sweep in progress). */
  sweep(): Promise<SweepResult>;
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>;
}

/**
 * Sweeps every `intervalMs` of real time (default 30 s; under an accelerated clock that covers
 * many simulated hours, far finer than the day granularity of the rules). A failed sweep is
 * reported to `onError` and tried again next time.
 */
export function startSweeper(
  options: SweeperOptions & { intervalMs?: number; onError?: (error: unknown) => void },
): RunningSweeper {
  const cache = new ArchivedAtCache();
  let running: Promise<SweepResult> = Promise.resolve({ expired: [], kept: 0 });
  let stopped = false;
  const sweep = (): Promise<SweepResult> => {
    running = running.catch(() => undefined).then(() => sweepArchive(options, cache));
    return running;
  };
  const timer = setInterval(() => {
    if (stopped) return;
    sweep().catch((error: unknown) => options.onError?.(error));
  }, options.intervalMs ?? 30_000);
  timer.unref();
  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running.catch(() => undefined);
    },
  };
}
