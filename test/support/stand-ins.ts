import { randomUUID } from 'node:crypto';
import {
  DEFAULT_ARCHIVE_BUCKET,
  LOCAL_AWS_ENV,
  type RunningStandIn,
  startDynamoDbLocal,
  startS3,
  startSes,
} from '../../infra/local/stand-ins/index.js';

/**
 * Starts the local AWS stand-ins an integration test file needs, on 127.0.0.1 at free ports,
 * and points the AWS SDK at them through the environment (region, dummy credentials and
 * `AWS_ENDPOINT_URL_<SERVICE>`), exactly as `npm start` does. Start them in `beforeAll` (one
 * DynamoDB Local JVM per file: it takes a few seconds) and call `stop()` in `afterAll`; the
 * previous environment is restored then.
 */

export type StandInService = 'dynamodb' | 's3' | 'ses';

export interface StandIns {
  dynamodb?: RunningStandIn;
  s3?: RunningStandIn;
  ses?: RunningStandIn;
  /** The bucket created on the S3 stand-in (unique per call). */
  bucket: string;
  stop(): Promise<void>;
}

export async function startStandIns(
  services: readonly StandInService[] = ['dynamodb', 's3', 'ses'],
): Promise<StandIns> {
  const bucket = `redress-test-${randomUUID().slice(0, 8)}`;
  const wanted = new Set(services);
  const started: RunningStandIn[] = [];
  const savedEnv: Record<string, string | undefined> = {};
  const setEnv = (name: string, value: string | undefined) => {
    if (!(name in savedEnv)) savedEnv[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  const track = async (start: Promise<RunningStandIn>) => {
    const standIn = await start;
    started.push(standIn);
    return standIn;
  };

  const stop = async () => {
    await Promise.allSettled(started.map((standIn) => standIn.stop()));
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };

  try {
    const [dynamodb, s3, ses] = await Promise.all([
      wanted.has('dynamodb') ? track(startDynamoDbLocal()) : undefined,
      wanted.has('s3') ? track(startS3({ buckets: [bucket, DEFAULT_ARCHIVE_BUCKET] })) : undefined,
      wanted.has('ses') ? track(startSes()) : undefined,
    ]);
    for (const [name, value] of Object.entries(LOCAL_AWS_ENV)) setEnv(name, value);
    // A session token or profile from the developer's shell must not leak into local requests.
    setEnv('AWS_SESSION_TOKEN', undefined);
    if (dynamodb) setEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamodb.endpoint);
    if (s3) setEnv('AWS_ENDPOINT_URL_S3', s3.endpoint);
    if (ses) {
      setEnv('AWS_ENDPOINT_URL_SESV2', ses.endpoint);
      setEnv('AWS_ENDPOINT_URL_SES', ses.endpoint);
    }
    return { dynamodb, s3, ses, bucket, stop };
  } catch (error: unknown) {
    await stop();
    throw error;
  }
}
