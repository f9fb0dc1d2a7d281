import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import {
  FAULTS_PREFIX,
  jsonObject,
  listen,
  PortOutage,
  portOf,
  postFault,
  replyToFault,
} from './port-outage.js';
import { tagsOnWrite } from './s3-tagging.js';
import { type RunningStandIn, type StandInOptions, StandInStartError } from './types.js';

/** Bucket the archive uses locally unless told otherwise. */
export const DEFAULT_ARCHIVE_BUCKET = 'redress-archive';

export interface S3StandInOptions extends StandInOptions {
  /** Buckets to create at start (idempotent when dataDir already holds them). */
  buckets?: string[];
  /** Told about problems the stand-in works around (a port not back after an outage). */
  onError?: (error: unknown) => void;
}

/** The faults `POST /_faults/<name>` sets up on the S3 stand-in's port, with the JSON body each takes. */
export interface S3Faults {
  /**
   * The port stops answering (connections refused, open ones cut, uploads in flight too) and
   * answers again on it after `seconds`, with every object it had: S3 unreachable, as the SES
   * stand-in's outage and a killed DynamoDB Local are.
   */
  outage: { seconds: number };
  /**
   * For `seconds`, every request is taken and never answered (its body read and thrown away,
   * nothing stored), as S3 that accepts the connection and then says nothing; at the end the
   * held connections are cut and S3 answers again. The port stays open throughout.
   */
  hang: { seconds: number };
}

/**
 * S3 stand-in: s3rver on 127.0.0.1, keeping objects and their tags on disk (in `dataDir`, or a
 * temporary directory removed on stop). It has objects and tagging, the `Tagging` header of
 * PutObject and CopyObject too (`tagsOnWrite`, which s3rver lacks), but no lifecycle rules; it
 * accepts the access key `S3RVER` only, which `LOCAL_AWS_ENV` provides.
 *
 * s3rver answers on a server of the stand-in's own, which also takes faults on request
 * (`POST /_faults/outage` or `/_faults/hang`, see `S3Faults`), so that the fault tests can take S3 away from a running
 * `npm start` without the rest of it. Nothing in `functions/` knows about them.
 */
export async function startS3(options: S3StandInOptions = {}): Promise<RunningStandIn> {
  const onError = options.onError ?? (() => undefined);
  const temporary = options.dataDir === undefined;
  const directory = options.dataDir ?? mkdtempSync(join(tmpdir(), 'redress-s3-'));
  mkdirSync(directory, { recursive: true });
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    directory,
    silent: true,
    // Path-style requests only: virtual-host names such as bucket.127.0.0.1 do not resolve.
    vhostBuckets: false,
    configureBuckets: (options.buckets ?? [DEFAULT_ARCHIVE_BUCKET]).map((name) => ({ name })),
  });
  await s3rver.configureBuckets();
  // First of s3rver's middleware, so that it runs around its router and its errors are S3's.
  s3rver.middleware.unshift(tagsOnWrite());
  const s3 = s3rver.callback();
  let stopped = false;

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'POST' && path.startsWith(FAULTS_PREFIX)) {
      void fault(path.slice(FAULTS_PREFIX.length), req, res).catch((error: unknown) => {
        onError(error);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end('{"message":"S3 stand-in failure"}\n');
      });
      return;
    }
    if (hanging !== undefined) {
      req.resume();
      hanging.add(res);
      return;
    }
    s3(req, res);
  });

  const outage = new PortOutage(server, onError);
  /** The requests held while S3 hangs; undefined when it answers. */
  let hanging: Set<ServerResponse> | undefined;
  let hangTimer: NodeJS.Timeout | undefined;
  const endHang = () => {
    clearTimeout(hangTimer);
    for (const held of hanging ?? []) held.destroy();
    hanging = undefined;
  };

  async function fault(name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const seconds = jsonObject(await readBody(req)).seconds;
    if (name === 'outage' && typeof seconds === 'number' && seconds > 0) {
      outage.begin(seconds, res);
      return;
    }
    if (name === 'hang' && typeof seconds === 'number' && seconds > 0) {
      replyToFault(res, 200, `hanging for ${seconds} s`, () => {
        endHang();
        hanging = new Set();
        hangTimer = setTimeout(endHang, seconds * 1000);
      });
      return;
    }
    replyToFault(res, 400, `unknown fault or settings: ${name}`);
  }

  await listen(server, options.port ?? 0);
  const port = portOf(server);
  if (port === undefined) {
    server.close();
    throw new StandInStartError('the S3 stand-in is not listening on a TCP port');
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      outage.stop();
      endHang();
      server.closeAllConnections();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      if (temporary) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Sets up one of the S3 stand-in's faults (see `S3Faults`). */
export async function injectS3Fault<K extends keyof S3Faults>(
  endpoint: string,
  name: K,
  settings: S3Faults[K],
): Promise<void> {
  await postFault(endpoint, name, settings);
}

async function readBody(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
