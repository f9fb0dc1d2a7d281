/**
 * Each adapter's `ping` against the local stand-in of its service, as `npm start`'s `/health`
 * asks them: DynamoDB Local, s3rver, aws-ses-v2-local and the local Step Functions endpoint.
 * While a stand-in runs its ping resolves; once it has stopped, the ping rejects with the
 * retryable `ServiceUnavailableError`.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseTable, DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { ServiceUnavailableError } from '../../functions/adapters/errors.js';
import { S3Archive } from '../../functions/adapters/s3-archive.js';
import { SesMailer } from '../../functions/adapters/ses-mailer.js';
import { SfnWorkflowEngine } from '../../functions/adapters/sfn-workflow.js';
import { LOCAL_AWS_ENV } from '../../infra/local/stand-ins/index.js';
import {
  LocalStepFunctions,
  type StepFunctionsServer,
  startStepFunctionsServer,
  VirtualClock,
} from '../../infra/local/step-functions/index.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';
import { fixture, SUBSTITUTIONS } from '../workflows/engine/support.js';

const credentials = {
  accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID,
  secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY,
};

let standIns: StandIns;
let engine: LocalStepFunctions;
let sfnServer: StepFunctionsServer | undefined;
let store: DynamoDbCaseStore;
let archive: S3Archive;
let mailer: SesMailer;
let workflows: SfnWorkflowEngine;

beforeAll(async () => {
  standIns = await startStandIns(['dynamodb', 's3', 'ses']);
  const dynamodb = new DynamoDBClient({});
  await createCaseTable(dynamodb, 'redress-pings');
  store = new DynamoDbCaseStore({
    tableName: 'redress-pings',
    client: DynamoDBDocumentClient.from(dynamodb),
  });
  archive = new S3Archive({ bucket: standIns.bucket, client: new S3Client({ forcePathStyle: true }) });
  mailer = new SesMailer({ from: 'complaints@council.example' });
  engine = new LocalStepFunctions({ clock: new VirtualClock('2026-03-02T09:00:00.000Z'), handlers: {} });
  const { stateMachineArn } = await engine.createStateMachine('callback', fixture('callback'), SUBSTITUTIONS);
  sfnServer = await startStepFunctionsServer({ engine });
  workflows = new SfnWorkflowEngine({
    stateMachineArns: { complaint: stateMachineArn },
    client: new SFNClient({ endpoint: sfnServer.url, region: LOCAL_AWS_ENV.AWS_REGION, credentials }),
  });
});

/** Stops the Step Functions endpoint once (its `close` refuses a second call). */
async function closeSfn(): Promise<void> {
  const server = sfnServer;
  sfnServer = undefined;
  await server?.close();
}

afterAll(async () => {
  await closeSfn();
  await engine?.close();
  await standIns?.stop();
});

describe('ping against the local stand-ins', () => {
  it('resolves for the table, the archive bucket, SES and the state machines while they run', async () => {
    await expect(
      Promise.all([store.ping(), archive.ping(), mailer.ping(), workflows.ping()]),
    ).resolves.toEqual([undefined, undefined, undefined, undefined]);
  });

  it('rejects for a bucket that does not exist', async () => {
    const missing = new S3Archive({
      bucket: 'no-such-bucket',
      client: new S3Client({ forcePathStyle: true }),
    });

    await expect(missing.ping()).rejects.toHaveProperty('name', 'ArchiveError');
  });

  it('rejects as unavailable once each stand-in has stopped', async () => {
    // Prepare
    await Promise.all([standIns.dynamodb?.stop(), standIns.s3?.stop(), standIns.ses?.stop(), closeSfn()]);

    // Act
    const outcomes = await Promise.allSettled([
      store.ping(),
      archive.ping(),
      mailer.ping(),
      workflows.ping(),
    ]);

    // Assess
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(ServiceUnavailableError);
    }
  });
});
