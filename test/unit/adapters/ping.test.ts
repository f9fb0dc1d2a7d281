/**
 * Each adapter's `ping`, the question `/health` asks its service: which request it sends, that
 * it hands the health check's abort signal to the SDK, and what a failure comes back as.
 */
import { DynamoDBClient, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { GetAccountCommand, SESv2Client, SESv2ServiceException } from '@aws-sdk/client-sesv2';
import { DescribeStateMachineCommand, SFNClient, StateMachineDoesNotExist } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DynamoDbCaseStore } from '../../../functions/adapters/dynamodb-case-store.js';
import {
  ArchiveError,
  MailError,
  ServiceUnavailableError,
  ThrottledError,
  WorkflowNotFoundError,
} from '../../../functions/adapters/errors.js';
import { PING_PREFIX, S3Archive } from '../../../functions/adapters/s3-archive.js';
import { SesMailer } from '../../../functions/adapters/ses-mailer.js';
import { SfnWorkflowEngine } from '../../../functions/adapters/sfn-workflow.js';
import { CaseStoreError } from '../../../functions/domain/ports.js';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2' }));
const dynamodb = mockClient(documentClient);
const s3Client = new S3Client({ region: 'eu-west-2' });
const s3 = mockClient(s3Client);
const sesClient = new SESv2Client({ region: 'eu-west-2' });
const ses = mockClient(sesClient);
const sfnClient = new SFNClient({ region: 'eu-west-2' });
const sfn = mockClient(sfnClient);

const complaintArn = 'arn:aws:states:eu-west-2:123456789012:stateMachine:redress-complaint';
const complimentArn = 'arn:aws:states:eu-west-2:123456789012:stateMachine:redress-compliment';

/** An SDK error as the service reports it: a name, a fault side and an HTTP status. */
function serviceError<T>(
  Exception: new (options: {
    name: string;
    $fault: 'client' | 'server';
    message: string;
    $metadata: { httpStatusCode: number };
  }) => T,
  name: string,
  status: number,
): T {
  return new Exception({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    message: name,
    $metadata: { httpStatusCode: status },
  });
}

/** A failure with no HTTP answer at all, as Node reports a refused connection. */
function refused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
}

/** The options `send` was called with: the mock's typings list only the command. */
function sendOptions(call: { args: unknown[] } | undefined): unknown {
  return call?.args[1];
}

afterEach(() => {
  dynamodb.reset();
  s3.reset();
  ses.reset();
  sfn.reset();
  vi.unstubAllEnvs();
});

describe('DynamoDbCaseStore.ping', () => {
  const store = new DynamoDbCaseStore({ tableName: 'cases', client: documentClient });

  it('reads one key of the table that nothing is stored under, with the signal it is given', async () => {
    // Prepare
    dynamodb.on(GetCommand).resolves({});
    const signal = new AbortController().signal;

    // Act
    await store.ping(signal);

    // Assess
    const call = dynamodb.commandCalls(GetCommand)[0];
    expect(call?.args[0].input).toEqual({ TableName: 'cases', Key: { PK: 'PING', SK: 'PING' } });
    expect(sendOptions(call)).toMatchObject({ abortSignal: signal });
  });

  it.each([
    ['a refused connection', refused(), ServiceUnavailableError],
    [
      'throttling',
      serviceError(DynamoDBServiceException, 'ProvisionedThroughputExceededException', 400),
      ThrottledError,
    ],
    [
      'a missing table',
      serviceError(DynamoDBServiceException, 'ResourceNotFoundException', 400),
      CaseStoreError,
    ],
  ])('rejects on %s', async (_what, error, expected) => {
    dynamodb.on(GetCommand).rejects(error);

    await expect(store.ping()).rejects.toBeInstanceOf(expected);
  });
});

describe('S3Archive.ping', () => {
  const archive = new S3Archive({ bucket: 'archive', client: s3Client });

  it('lists at most one key under a prefix the API may list, never the whole bucket (HeadBucket)', async () => {
    s3.on(ListObjectsV2Command).resolves({});
    const signal = new AbortController().signal;

    await archive.ping(signal);

    const call = s3.commandCalls(ListObjectsV2Command)[0];
    expect(call?.args[0].input).toEqual({ Bucket: 'archive', Prefix: PING_PREFIX, MaxKeys: 1 });
    expect(sendOptions(call)).toMatchObject({ abortSignal: signal });
  });

  it.each([
    ['a refused connection', refused(), ServiceUnavailableError],
    ['a server error', serviceError(S3ServiceException, 'InternalError', 500), ServiceUnavailableError],
    ['a refusal', serviceError(S3ServiceException, 'Forbidden', 403), ArchiveError],
  ])('rejects on %s', async (_what, error, expected) => {
    s3.on(ListObjectsV2Command).rejects(error);

    await expect(archive.ping()).rejects.toBeInstanceOf(expected);
  });
});

describe('SesMailer.ping', () => {
  const mailer = new SesMailer({ from: 'complaints@council.example', client: sesClient });

  it('asks SES for the account', async () => {
    ses.on(GetAccountCommand).resolves({ SendingEnabled: true });
    const signal = new AbortController().signal;

    await mailer.ping(signal);

    expect(sendOptions(ses.commandCalls(GetAccountCommand)[0])).toMatchObject({ abortSignal: signal });
  });

  it.each([
    ['a refused connection', refused(), ServiceUnavailableError],
    ['throttling', serviceError(SESv2ServiceException, 'TooManyRequestsException', 429), ThrottledError],
    ['a refusal', serviceError(SESv2ServiceException, 'AccessDeniedException', 403), MailError],
  ])('rejects on %s', async (_what, error, expected) => {
    ses.on(GetAccountCommand).rejects(error);

    await expect(mailer.ping()).rejects.toBeInstanceOf(expected);
  });

  it('takes any answer below 500 from the local stand-in, which has no account to report', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_SESV2', 'http://127.0.0.1:8005');
    ses.on(GetAccountCommand).rejects(serviceError(SESv2ServiceException, 'Unknown', 400));

    await expect(mailer.ping()).resolves.toBeUndefined();
  });

  it('still rejects a server error from the local stand-in', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_SESV2', 'http://127.0.0.1:8005');
    ses.on(GetAccountCommand).rejects(serviceError(SESv2ServiceException, 'InternalFailure', 500));

    await expect(mailer.ping()).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});

describe('SfnWorkflowEngine.ping', () => {
  const engine = new SfnWorkflowEngine({
    stateMachineArns: { complaint: complaintArn, compliment: complimentArn },
    client: sfnClient,
  });

  it('describes every configured state machine', async () => {
    sfn.on(DescribeStateMachineCommand).resolves({});
    const signal = new AbortController().signal;

    await engine.ping(signal);

    const calls = sfn.commandCalls(DescribeStateMachineCommand);
    expect(calls.map((call) => call.args[0].input.stateMachineArn).sort()).toEqual([
      complaintArn,
      complimentArn,
    ]);
    expect(calls.map(sendOptions)).toEqual([{ abortSignal: signal }, { abortSignal: signal }]);
  });

  it('rejects when one state machine is missing', async () => {
    sfn.on(DescribeStateMachineCommand).resolves({});
    sfn
      .on(DescribeStateMachineCommand, { stateMachineArn: complimentArn })
      .rejects(new StateMachineDoesNotExist({ message: 'gone', $metadata: {} }));

    await expect(engine.ping()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('rejects as unavailable when Step Functions does not answer', async () => {
    sfn.on(DescribeStateMachineCommand).rejects(refused());

    await expect(engine.ping()).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});
