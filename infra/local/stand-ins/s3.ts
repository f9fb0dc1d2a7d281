import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { RunningStandIn, StandInOptions } from './types.js';

/** Bucket the archive uses locally unless told otherwise. */
export const DEFAULT_ARCHIVE_BUCKET = 'redress-archive';

export interface S3StandInOptions extends StandInOptions {
  /** Buckets to create at start (idempotent when dataDir already holds them). */
  buckets?: string[];
}

/**
 * S3 stand-in: s3rver on 127.0.0.1, keeping objects and their tags on disk (in `dataDir`, or a
 * temporary directory removed on stop). It has objects and tagging, but not the `Tagging`
 * header on PutObject and no lifecycle rules; it accepts the access key
 * `S3RVER` only, which `LOCAL_AWS_ENV` provides.
 */
export async function startS3(options: S3StandInOptions = {}): Promise<RunningStandIn> {
  const temporary = options.dataDir === undefined;
  const directory = options.dataDir ?? mkdtempSync(join(tmpdir(), 'redress-s3-'));
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    directory,
    silent: true,
    // Path-style requests only: virtual-host names such as bucket.127.0.0.1 do not resolve.
    vhostBuckets: false,
    configureBuckets: (options.buckets ?? [DEFAULT_ARCHIVE_BUCKET]).map((name) => ({ name })),
  });
  const address = await server.run();
  let stopped = false;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
      if (temporary) rmSync(directory, { recursive: true, force: true });
    },
  };
}
