import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  ListObjectsV2Command,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { EVIDENCE_PREFIX, SCAN_STATUS_TAG, type ScanStatus } from '../../../functions/domain/evidence.js';

/**
 * A stand-in for GuardDuty Malware Protection for S3, for `npm start` and the tests: it looks at
 * every new object under `evidence/` of the bucket, tags it `GuardDutyMalwareScanStatus` with
 * `THREATS_FOUND` when it holds the EICAR anti-virus test string and `NO_THREATS_FOUND` otherwise,
 * then hands the deployed scan-result handler the event GuardDuty would send to EventBridge.
 *
 * It is not an anti-virus: it knows one signature, the industry's harmless test file, which is
 * enough to run the refusal path end to end. s3rver sends no bucket notifications to other
 * processes, so, like the stream poller, it polls (listing the prefix and reading each object's
 * tags); an object tagged but whose event failed is offered again on the next poll.
 */

/**
 * The EICAR test string, built from two halves so this source file is not itself reported by a
 * scanner on a developer's machine.
 */
export const EICAR_SIGNATURE = `X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-` + `ANTIVIRUS-TEST-FILE!$H+H*`;

/** GuardDuty's EventBridge event for one scanned object (the fields the handler reads, and a few more). */
export interface ScanResultEvent {
  version: '0';
  source: 'aws.guardduty';
  'detail-type': 'GuardDuty Malware Protection Object Scan Result';
  time: string;
  detail: {
    schemaVersion: '1.0';
    scanStatus: 'COMPLETED';
    resourceType: 'S3_OBJECT';
    s3ObjectDetails: { bucketName: string; objectKey: string; eTag?: string; s3Throttled: false };
    scanResultDetails: { scanResultStatus: ScanStatus; threats: { name: string }[] | null };
  };
}

export interface ScannerOptions {
  client: S3Client;
  bucket: string;
  /** The deployed handler (as EventBridge's target would invoke it). */
  onResult: (event: ScanResultEvent) => Promise<unknown>;
  /** Real milliseconds between polls (default 300). */
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

export interface RunningScanner {
  /** Scans what is new now (after any scan in progress); resolves with the events sent. */
  scan(): Promise<ScanResultEvent[]>;
  stop(): Promise<void>;
}

/** Whether the bytes hold the EICAR test string anywhere (stricter scanners want it at the start). */
export function holdsEicar(bytes: Uint8Array): boolean {
  return Buffer.from(bytes).includes(EICAR_SIGNATURE, 0, 'latin1');
}

/** One pass: scans, tags and reports every object under `evidence/` not yet tagged. */
export async function scanNewEvidence(
  options: Omit<ScannerOptions, 'intervalMs' | 'onError'>,
  unsent: Map<string, ScanResultEvent> = new Map(),
): Promise<ScanResultEvent[]> {
  const { client, bucket } = options;
  const events: ScanResultEvent[] = [...unsent.values()];
  unsent.clear();
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: EVIDENCE_PREFIX, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      const key = object.Key;
      if (!key) continue;
      const tagging = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
      const tags = tagging.TagSet ?? [];
      if (tags.some((t) => t.Key === SCAN_STATUS_TAG)) continue;
      const body = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = (await body.Body?.transformToByteArray()) ?? new Uint8Array();
      const infected = holdsEicar(bytes);
      const status: ScanStatus = infected ? 'THREATS_FOUND' : 'NO_THREATS_FOUND';
      // As GuardDuty: the tag is added to the object's others, then the event is published.
      await client.send(
        new PutObjectTaggingCommand({
          Bucket: bucket,
          Key: key,
          Tagging: { TagSet: [...tags, { Key: SCAN_STATUS_TAG, Value: status }] },
        }),
      );
      events.push({
        version: '0',
        source: 'aws.guardduty',
        'detail-type': 'GuardDuty Malware Protection Object Scan Result',
        time: new Date().toISOString(),
        detail: {
          schemaVersion: '1.0',
          scanStatus: 'COMPLETED',
          resourceType: 'S3_OBJECT',
          s3ObjectDetails: {
            bucketName: bucket,
            objectKey: key,
            ...(object.ETag ? { eTag: object.ETag.replaceAll('"', '') } : {}),
            s3Throttled: false,
          },
          scanResultDetails: {
            scanResultStatus: status,
            threats: infected ? [{ name: 'EICAR-Test-File (not a virus)' }] : null,
          },
        },
      });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  const sent: ScanResultEvent[] = [];
  let failure: unknown;
  for (const event of events) {
    try {
      await options.onResult(event);
      sent.push(event);
    } catch (error: unknown) {
      // EventBridge retries a failed target: so does the stand-in, on the next poll.
      unsent.set(event.detail.s3ObjectDetails.objectKey, event);
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
  return sent;
}

/** Starts scanning every `intervalMs`; a failed pass goes to `onError` and is tried again. */
export function startScanner(options: ScannerOptions): RunningScanner {
  const unsent = new Map<string, ScanResultEvent>();
  let running: Promise<ScanResultEvent[]> = Promise.resolve([]);
  let stopped = false;
  const scan = (): Promise<ScanResultEvent[]> => {
    running = running.catch(() => []).then(() => scanNewEvidence(options, unsent));
    return running;
  };
  const timer = setInterval(() => {
    if (stopped) return;
    scan().catch((error: unknown) => options.onError?.(error));
  }, options.intervalMs ?? 300);
  timer.unref();
  return {
    scan,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running.catch(() => undefined);
    },
  };
}
