/**
 * A dependency that is down reaches the HTTP layer as a 503 with `Retry-After` and a message
 * saying what did not happen, never as a generic 500: the mapping (`httpErrorOf`), the JSON
 * answer, the resident's form shown again with their answers, and the officer's task pages.
 */

import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../functions/adapters/config.js';
import {
  ArchiveError,
  ServiceUnavailableError,
  ThrottledError,
  WorkflowError,
} from '../../../functions/adapters/errors.js';
import { linkSecretsFromEnv } from '../../../functions/adapters/link-secrets.js';
import { type ApiDeps, createApi } from '../../../functions/app/api.js';
import { taskRoutes } from '../../../functions/app/task-routes.js';
import { CaseErasedError } from '../../../functions/domain/errors.js';
import { formToken, signLink } from '../../../functions/domain/links.js';
import { loadPolicy } from '../../../functions/domain/policy.js';
import {
  type CaseStore,
  CaseStoreError,
  ConcurrentUpdateError,
  type WorkflowEngine,
} from '../../../functions/domain/ports.js';
import {
  DependencyUnavailableError,
  HttpError,
  httpErrorOf,
  RETRY_AFTER_SECONDS,
} from '../../../functions/http/errors.js';
import { ACKNOWLEDGE } from '../../support/acknowledge.js';
import { apiEvent, feedbackFormCsrf, formPost, jsonPost } from '../../support/api-event.js';
import { RecordingWorkflows } from '../../support/fake-workflows.js';
import { MemoryCaseStore } from '../../support/memory-store.js';

const policy = loadPolicy('lgsco-code-2024');
const NOW = new Date('2026-03-02T10:00:00Z');
const SECRET = 'current-secret-0123456789abcdef0123456789';
const OFFICER = 'waste.team@example.gov.uk';

const complaint = {
  kind: 'complaint',
  service: policy.routing.services[0]?.id as string,
  summary: 'My bin has been missed four weeks running and nobody has answered my calls.',
  complainant: { name: 'Ada Lovelace', email: 'ada@example.com' },
};

/** An SDK error that slipped past an adapter unmapped, shaped as the AWS SDK v3 throws them. */
function sdkError(name: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(name), { name, ...fields });
}

/** Every kind of "a dependency is down" that can reach the HTTP layer. */
const RETRYABLE: [string, () => unknown][] = [
  ['ThrottledError', () => new ThrottledError('case store create: throttled by AWS')],
  ['ServiceUnavailableError', () => new ServiceUnavailableError('case store create: AWS service failure')],
  ['an SDK throttling error', () => sdkError('ThrottlingException', { $metadata: { httpStatusCode: 400 } })],
  ['an SDK 5xx', () => sdkError('InternalServerError', { $metadata: { httpStatusCode: 500 } })],
  ['an SDK server fault', () => sdkError('ServiceUnavailable', { $fault: 'server', $metadata: {} })],
  ['a refused connection', () => sdkError('Error', { code: 'ECONNREFUSED' })],
  ['a reset connection', () => sdkError('Error', { code: 'ECONNRESET' })],
  ['an SDK timeout', () => sdkError('TimeoutError', {})],
];

/** A store whose every call fails with `error()`, as DynamoDB does while it is down. */
function storeFailingWith(error: () => unknown, target: CaseStore = new MemoryCaseStore()): CaseStore {
  return new Proxy(target, {
    get(store, property) {
      const value: unknown = Reflect.get(store, property, store);
      if (typeof value !== 'function') return value;
      return async () => {
        throw error();
      };
    },
  });
}

function body(result: APIGatewayProxyResult): Record<string, unknown> {
  return JSON.parse(result.body) as Record<string, unknown>;
}

/** The API over `store`, with workflows too for an intake that starts a case's workflow itself. */
function apiWith(store: CaseStore) {
  const deps: ApiDeps & { workflows?: WorkflowEngine } = {
    store,
    policy,
    now: () => NOW,
    newId: () => 'case-1',
    workflows: new RecordingWorkflows(),
    linkSecrets: async () => [SECRET],
  };
  return createApi(deps);
}

describe('httpErrorOf', () => {
  it.each(RETRYABLE)('maps %s to 503 with a Retry-After', (_what, error) => {
    const mapped = httpErrorOf(error(), { method: 'POST', path: '/complaints' });

    expect(mapped).toBeInstanceOf(DependencyUnavailableError);
    expect(mapped?.statusCode).toBe(503);
    expect((mapped as DependencyUnavailableError).retryAfterSeconds).toBe(RETRY_AFTER_SECONDS);
  });

  it.each([
    ['a plain error', new Error('boom')],
    ['missing configuration', new ConfigurationError('CASE_TABLE is not set')],
    ['a store refusal', new CaseStoreError('case store create failed: ValidationException')],
    ['an archive refusal', new ArchiveError('archive: put failed')],
    ['a workflow refusal', new WorkflowError('start failed (AccessDeniedException)')],
    ['an SDK 4xx', sdkError('ValidationException', { $fault: 'client', $metadata: { httpStatusCode: 400 } })],
  ])('leaves %s to become a plain 500', (_what, error) => {
    expect(httpErrorOf(error, { method: 'POST', path: '/complaints' })).toBeUndefined();
  });

  it('answers a change that lost a race, or one to an erased case, with 409', () => {
    expect(httpErrorOf(new ConcurrentUpdateError('case c-1 is at version 3, not 2'))?.statusCode).toBe(409);
    expect(httpErrorOf(new CaseErasedError())?.statusCode).toBe(409);
  });

  it('says what did not happen in the words of what the person was doing', () => {
    const down = new ServiceUnavailableError('down');
    const message = (method: string, path: string, keyed?: boolean) =>
      httpErrorOf(down, { method, path, ...(keyed ? { keyed } : {}) })?.message;

    expect(message('POST', '/complaints', true)).toBe(
      'We could not finish saving your complaint or feedback just now because one of our systems is not answering. ' +
        'It may have been saved. Try again in a minute: if it was saved, you will get its reference, and it will not be saved twice.',
    );
    // The error path does not know whether the complaint gave an email address, or asked for
    // letters by post (its receipt is then posted): true either way.
    expect(message('POST', '/complaints')).toContain(
      'It may have been saved. If it gave an email address and did not ask for letters by post, a receipt with its reference will be emailed to that address if it was saved: ' +
        'look for that receipt before you send it again, or it may be saved twice',
    );
    expect(message('POST', '/complaints')).toContain('Otherwise no receipt will be emailed');
    expect(message('POST', '/tasks/abc.def')).toBe(
      'We could not finish recording your decision just now because one of our systems is not answering. ' +
        'It may have been recorded. Try again in a minute: if it was recorded, you will be told so, ' +
        'and nothing will be done twice.',
    );
    expect(message('GET', '/cases/CMP-2026-000001')).toBe(
      'We cannot show this page just now because one of our systems is not answering. Try again in a minute.',
    );
    expect(message('PUT', '/anything')).toContain('It may have been done');
    expect(message('PUT', '/anything')).not.toContain('Nothing has been changed');
  });

  it('passes typed HTTP errors through before looking for a dependency failure', () => {
    const http = new HttpError(403, 'The form has expired');

    expect(httpErrorOf(http)).toBe(http);
  });
});

describe('POST /complaints (JSON) while the table is down', () => {
  it.each(RETRYABLE)('answers 503 with Retry-After, never 500, for %s', async (_what, error) => {
    const result = await apiWith(storeFailingWith(error))(jsonPost('/complaints', complaint), {} as Context);

    expect(result.statusCode).toBe(503);
    expect(result.headers?.['Retry-After']).toBe('30');
    expect(result.headers?.['Content-Type']).toMatch(/application\/json/);
  });

  it('says it may have been saved and, with an Idempotency-Key, that trying again is safe, with nothing about the failure', async () => {
    const down = () => new ServiceUnavailableError('case store query: AWS service failure');

    const result = await apiWith(storeFailingWith(down))(
      jsonPost('/complaints', complaint, { 'Idempotency-Key': 'crm-4711' }),
      {} as Context,
    );

    expect(body(result)).toEqual({
      message:
        'We could not finish saving your complaint or feedback just now because one of our systems is not answering. ' +
        'It may have been saved. Try again in a minute: if it was saved, you will get its reference, and it will not be saved twice.',
      retryAfterSeconds: 30,
    });
  });

  it('without an Idempotency-Key, from a complaint that gave an email address, says to look for the emailed receipt before sending it again, never that it will not be saved twice', async () => {
    const down = () => new ServiceUnavailableError('case store query: AWS service failure');

    const result = await apiWith(storeFailingWith(down))(jsonPost('/complaints', complaint), {} as Context);

    expect(body(result)).toEqual({
      message:
        'We could not finish saving your complaint or feedback just now because one of our systems is not answering. ' +
        'It may have been saved: if it was, a receipt with its reference will be emailed to the address given in it. ' +
        'Look for that receipt before you send it again, or it may be saved twice. If none has come within an hour, send it again. ' +
        'Next time, send each complaint with an Idempotency-Key header: sent again with the same key, it is never saved twice.',
      retryAfterSeconds: 30,
    });
  });
});

describe('POST /complaints (JSON) without an Idempotency-Key or an email address, while the table is down', () => {
  // Given a phone number alone, nothing is ever emailed: "look for the receipt … if none has come
  // within an hour, send it again" has them send it again whether it was saved or not, and a
  // complaint that was saved is then saved twice.
  it('does not tell them to wait for an emailed receipt and send it again when none comes', async () => {
    const down = () => new ServiceUnavailableError('case store query: AWS service failure');
    const byPhone = { ...complaint, complainant: { name: 'Ada Lovelace', phone: '01632 960001' } };

    const result = await apiWith(storeFailingWith(down))(jsonPost('/complaints', byPhone), {} as Context);

    expect(result.statusCode).toBe(503);
    const message = String(body(result).message);
    expect(message).toContain('It may have been saved');
    expect(message).not.toContain('emailed');
    expect(message).not.toContain('If none has come within an hour, send it again');
  });

  it('nor one that gave an email address but asked for letters by post (its receipt is posted)', async () => {
    const down = () => new ServiceUnavailableError('case store query: AWS service failure');
    const byPost = {
      ...complaint,
      complainant: {
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        address: '1 High Street',
        contactBy: 'post',
      },
    };

    const result = await apiWith(storeFailingWith(down))(jsonPost('/complaints', byPost), {} as Context);

    expect(result.statusCode).toBe(503);
    const message = String(body(result).message);
    expect(message).toContain('It may have been saved. It gave no email address for our replies');
    expect(message).not.toContain('emailed');
  });
});

describe('POST /complaints (form) while the table is down', () => {
  const { csrf: CSRF, cookie } = feedbackFormCsrf(SECRET, NOW);
  const fields = {
    csrf: CSRF,
    kind: 'complaint',
    service: complaint.service,
    summary: 'The bins were missed again & again <every> week.',
    'complainant.name': 'Ada Lovelace',
    'complainant.email': 'ada@example.com',
  };
  const post = (store: CaseStore) =>
    apiWith(store)(formPost('/complaints', fields, { Cookie: cookie }), {} as Context);

  it('shows the form again with 503, Retry-After, the problem first and every answer kept', async () => {
    const result = await post(storeFailingWith(() => new ServiceUnavailableError('down')));

    expect(result.statusCode).toBe(503);
    expect(result.headers?.['Retry-After']).toBe('30');
    expect(result.headers?.['Content-Type']).toMatch(/text\/html/);
    expect(result.body).toContain('<title>Error: Give feedback or make a complaint');
    expect(result.body).toMatch(
      /govuk-error-summary[\s\S]*We could not finish saving your complaint or feedback just now because one of our systems is not answering\. It may have been saved\. Try again in a minute/,
    );
    expect(result.body).toContain('The bins were missed again &amp; again &lt;every&gt; week.');
    expect(result.body).toContain('value="Ada Lovelace"');
    expect(result.body).toContain('value="ada@example.com"');
  });

  it('keeps the same form token, so sending it again cannot store it twice', async () => {
    // Prepare: the write reached the table, but its answer never came back.
    const memory = new MemoryCaseStore();
    let lostAnswers = 1;
    const flaky = new Proxy(memory, {
      get(store, property) {
        if (property !== 'create') return Reflect.get(store, property, store).bind(store);
        return async (...args: Parameters<CaseStore['create']>) => {
          const result = await store.create(...args);
          if (lostAnswers-- > 0) throw new ServiceUnavailableError('case store create: AWS service failure');
          return result;
        };
      },
    });

    // Act
    const first = await post(flaky);
    const again = await post(flaky);

    // Assess
    expect(first.statusCode).toBe(503);
    expect(first.body).toContain(`name="csrf" value="${CSRF}"`);
    expect(first.headers?.['Set-Cookie']).toContain(`${cookie};`);
    // Sent again, it is the same case: the redirect to its confirmation (Post/Redirect/Get).
    expect(again.statusCode).toBe(303);
    expect(again.headers?.Location).toMatch(/^\/complaints\/received\?receipt=/);
    expect(memory.cases.size).toBe(1);
  });

  it('never says nothing was saved: the write may have reached the table though its answer was lost', async () => {
    // Prepare: the table takes the case, and its answer never comes back (a stalled node, a cut connection).
    const answerLost = (memory: MemoryCaseStore): CaseStore =>
      new Proxy(memory, {
        get(store, property) {
          if (property !== 'create') return Reflect.get(store, property, store).bind(store);
          return async (...args: Parameters<CaseStore['create']>) => {
            await store.create(...args);
            throw new ServiceUnavailableError('case store create: AWS service failure');
          };
        },
      });
    const formStore = new MemoryCaseStore();
    const jsonStore = new MemoryCaseStore();

    // Act
    const form = await post(answerLost(formStore));
    const json = await apiWith(answerLost(jsonStore))(jsonPost('/complaints', complaint), {} as Context);

    // Assess: both were stored, so neither answer may say otherwise.
    expect(formStore.cases.size).toBe(1);
    expect(form.statusCode).toBe(503);
    expect(form.body).not.toContain('Nothing has been saved');
    expect(jsonStore.cases.size).toBe(1);
    expect(json.statusCode).toBe(503);
    expect(String(body(json).message)).not.toContain('Nothing has been saved');
  });
});

describe('officer task pages while the table is down', () => {
  const token = signLink(
    {
      c: 'case-1',
      t: 'task-1',
      a: 'acknowledge',
      o: OFFICER,
      e: Math.floor(Date.parse('2026-06-01') / 1000),
    },
    SECRET,
  );

  function taskApi(store: CaseStore) {
    const deps = {
      store,
      workflows: new RecordingWorkflows(),
      policy,
      now: () => NOW,
      linkSecrets: async () => [SECRET],
    };
    return createApi({ ...deps, newId: () => 'unused', extraRoutes: (router) => taskRoutes(router, deps) });
  }

  it('answers a decision with 503, Retry-After and a "Try again" that sends the same answers', async () => {
    const api = taskApi(storeFailingWith(() => new ThrottledError('case store get: throttled by AWS')));
    const csrf = formToken(token, SECRET);

    const result = await api(
      formPost(`/tasks/${token}`, { csrf, ...ACKNOWLEDGE, note: 'Called "Ada" & left a message' }),
      {} as Context,
    );

    expect(result.statusCode).toBe(503);
    expect(result.headers?.['Retry-After']).toBe('30');
    expect(result.body).toContain('Sorry, there is a problem with the service');
    // Never "not recorded": the write whose answer was lost may have recorded it.
    expect(result.body).toContain('It may have been recorded. Try again in a minute');
    expect(result.body).not.toContain('not been recorded');
    expect(result.body).toMatch(/<form method="post" novalidate>/);
    expect(result.body).toContain(`<input type="hidden" name="csrf" value="${csrf}">`);
    expect(result.body).toContain('<input type="hidden" name="decision" value="acknowledge">');
    expect(result.body).toContain(
      '<input type="hidden" name="note" value="Called &quot;Ada&quot; &amp; left a message">',
    );
    expect(result.body).toMatch(/<button[^>]*>\s*Try again\s*<\/button>/);
  });

  it('answers the task page with 503 and a "Try again" link to the same page', async () => {
    const api = taskApi(
      storeFailingWith(() => new ServiceUnavailableError('case store get: AWS service failure')),
    );

    const result = await api(
      apiEvent('GET', `/tasks/${token}`, { headers: { Accept: 'text/html' } }),
      {} as Context,
    );

    expect(result.statusCode).toBe(503);
    expect(result.headers?.['Retry-After']).toBe('30');
    expect(result.body).toContain('We cannot show this page just now');
    expect(result.body).toMatch(
      new RegExp(`<a href="/tasks/${token.replace(/\./g, '\\.')}"[^>]*govuk-button`),
    );
  });

  it('answers an officer’s JSON client with the same message and Retry-After', async () => {
    const api = taskApi(storeFailingWith(() => new ServiceUnavailableError('down')));

    const result = await api(
      jsonPost(`/tasks/${token}`, { csrf: formToken(token, SECRET), ...ACKNOWLEDGE }),
      {} as Context,
    );

    expect(result.statusCode).toBe(503);
    expect(result.headers?.['Retry-After']).toBe('30');
    expect(body(result).message).toBe(
      'We could not finish recording your decision just now because one of our systems is not answering. ' +
        'It may have been recorded. Try again in a minute: if it was recorded, you will be told so, ' +
        'and nothing will be done twice.',
    );
  });
});

describe('pages while the link secrets cannot be read (Secrets Manager not answering at a cold start)', () => {
  const { csrf: CSRF, cookie } = feedbackFormCsrf(SECRET, NOW);
  const fields = {
    csrf: CSRF,
    kind: 'complaint',
    service: complaint.service,
    summary: complaint.summary,
    'complainant.name': 'Ada Lovelace',
    'complainant.email': 'ada@example.com',
  };
  const sdkFailure = () =>
    sdkError('InternalServiceError', { $fault: 'server', $metadata: { httpStatusCode: 500 } });
  const secretsManager = mockClient(SecretsManagerClient);
  afterEach(() => secretsManager.reset());
  // The deployed adapter over a Secrets Manager that does not answer: Powertools, which reads
  // it, wraps the SDK's error in its own `GetParameterError`.
  const deployedSecretsDown = (): (() => Promise<string[]>) => {
    secretsManager.on(GetSecretValueCommand).rejects(sdkFailure());
    return linkSecretsFromEnv({
      AWS_REGION: 'eu-west-2',
      LINK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:redress-links',
    });
  };
  const sdkSecretsDown = () => async (): Promise<string[]> => {
    throw sdkFailure();
  };

  function apiWithoutSecrets(linkSecrets: () => Promise<string[]>) {
    const deps = {
      store: new MemoryCaseStore(),
      workflows: new RecordingWorkflows(),
      policy,
      now: () => NOW,
      linkSecrets,
    };
    return createApi({ ...deps, newId: () => 'case-1', extraRoutes: (router) => taskRoutes(router, deps) });
  }

  it('answers the resident’s form with 503 in the form’s words, the answers kept: nothing about an Idempotency-Key header', async () => {
    const result = await apiWithoutSecrets(sdkSecretsDown())(
      formPost('/complaints', fields, { Cookie: cookie }),
      {} as Context,
    );

    expect(result.statusCode).toBe(503);
    expect(result.body).not.toContain('Idempotency-Key');
    // The form again, with what the resident typed and the token it was sent with.
    expect(result.body).toContain(complaint.summary);
    expect(result.body).toContain(`value="${CSRF}"`);
  });

  it('answers 503, never 500, through the deployed adapter, where Powertools wraps the failure', async () => {
    const api = apiWithoutSecrets(deployedSecretsDown());
    const token = signLink(
      {
        c: 'case-1',
        t: 'task-1',
        a: 'acknowledge',
        o: OFFICER,
        e: Math.floor(Date.parse('2026-06-01') / 1000),
      },
      SECRET,
    );

    const form = await api(formPost('/complaints', fields, { Cookie: cookie }), {} as Context);
    const task = await api(
      apiEvent('GET', `/tasks/${token}`, { headers: { Accept: 'text/html' } }),
      {} as Context,
    );

    expect([form.statusCode, task.statusCode]).toEqual([503, 503]);
  });
});
