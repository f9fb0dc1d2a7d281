/**
 * `GET /health`: each dependency asked at once, each given a short time, and the answer naming
 * the ones that did not answer, with nothing about why.
 */
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServiceUnavailableError, ThrottledError } from '../../functions/adapters/errors.js';
import { type ApiDeps, createApi } from '../../functions/app/api.js';
import { TABLE_ADAPTERS } from '../../functions/app/api-wiring.js';
import {
  adapter,
  apiDeps,
  healthChecks,
  provideAdapters,
  resetAdapters,
  wire,
} from '../../functions/app/container.js';
import { checkHealth, HealthCheckTimeoutError } from '../../functions/app/health.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { WorkflowEngine } from '../../functions/domain/ports.js';
import { apiEvent } from '../support/api-event.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryArchive } from '../support/memory-archive.js';
import { MemoryMailer } from '../support/memory-mailer.js';
import { MemoryCaseStore } from '../support/memory-store.js';

/** What a failing dependency says: internals that must never reach the answer. */
const INTERNALS =
  'case store ping: AWS service failure arn:aws:dynamodb:eu-west-2:123456789012:table/redress-cases';

let store: MemoryCaseStore;
let archive: MemoryArchive;
let mailer: MemoryMailer;
let workflows: RecordingWorkflows;

beforeEach(() => {
  store = new MemoryCaseStore();
  archive = new MemoryArchive();
  mailer = new MemoryMailer();
  workflows = new RecordingWorkflows();
  resetAdapters();
  provideAdapters({ policy: loadPolicy('lgsco-code-2024'), store, archive, mailer, workflows });
});

afterEach(() => {
  resetAdapters();
});

/** `GET /health` through the API as the composition root wires it. */
async function health(): Promise<APIGatewayProxyResult> {
  return createApi(apiDeps())(apiEvent('GET', '/health'), {} as Context);
}

describe('GET /health', () => {
  it('answers 200 and names every dependency ok when all answer', async () => {
    const result = await health();

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({
      status: 'ok',
      checks: { table: 'ok', archive: 'ok', email: 'ok', workflows: 'ok' },
    });
    expect(result.headers?.['Cache-Control']).toBe('no-store');
  });

  it.each([
    ['table', () => store],
    ['archive', () => archive],
    ['email', () => mailer],
    ['workflows', () => workflows],
  ] as const)('answers 503 degraded with only the %s down when it does not answer', async (name, double) => {
    // Prepare
    double().pingFailure = new ServiceUnavailableError(INTERNALS);

    // Act
    const result = await health();

    // Assess
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['Retry-After']).toBe('30');
    const checks = { table: 'ok', archive: 'ok', email: 'ok', workflows: 'ok', [name]: 'down' };
    expect(JSON.parse(result.body)).toEqual({ status: 'degraded', checks });
    expect(result.body).not.toMatch(/arn:|redress-cases|AWS service failure|ServiceUnavailableError/);
  });

  it('names every dependency down when none answers', async () => {
    for (const double of [store, archive, mailer, workflows])
      double.pingFailure = new ThrottledError('throttled');

    const result = await health();

    expect(result.statusCode).toBe(503);
    expect(JSON.parse(result.body)).toEqual({
      status: 'degraded',
      checks: { table: 'down', archive: 'down', email: 'down', workflows: 'down' },
    });
  });

  it('shows a dependency whose configuration is missing as down, and the others as they are', async () => {
    // Prepare: the API's case table wired, but no store provided and no CASE_TABLE to build one from.
    resetAdapters();
    wire(TABLE_ADAPTERS);
    provideAdapters({ policy: loadPolicy('lgsco-code-2024'), archive, mailer, workflows });
    const saved = process.env.CASE_TABLE;
    delete process.env.CASE_TABLE;

    // Act
    const result = await health();
    const building = (() => {
      try {
        adapter('store');
        return 'built';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    if (saved !== undefined) process.env.CASE_TABLE = saved;

    // Assess
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(result.body).checks).toEqual({
      table: 'down',
      archive: 'ok',
      email: 'ok',
      workflows: 'ok',
    });
    expect(result.body).not.toContain('CASE_TABLE');
    // Down for the missing setting, not for a store nobody wired.
    expect(building).toMatch(/CASE_TABLE/);
  });

  it('answers for the function alone when it is given nothing to check', async () => {
    // Workflows too, for an intake that starts a case's workflow itself.
    const deps: ApiDeps & { workflows?: WorkflowEngine } = {
      store,
      workflows,
      policy: loadPolicy('lgsco-code-2024'),
      now: () => new Date(),
      newId: () => 'case-1',
    };

    const result = await createApi(deps)(apiEvent('GET', '/health'), {} as Context);

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ status: 'ok', checks: {} });
  });
});

describe('checkHealth', () => {
  it('runs every check at once: a slow one does not hold up the others', async () => {
    // Prepare: the table answers only once the archive has been asked.
    let archiveAsked: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => {
      archiveAsked = resolve;
    });

    // Act
    const report = await checkHealth({
      table: () => asked,
      archive: async () => archiveAsked(),
    });

    // Assess
    expect(report).toEqual({ status: 'ok', checks: { table: 'ok', archive: 'ok' } });
  });

  it('gives up on a check that does not answer in time, and aborts its signal', async () => {
    // Prepare
    let seen: AbortSignal | undefined;
    const hangs = (signal: AbortSignal) => {
      seen = signal;
      return new Promise<void>(() => undefined);
    };

    // Act
    const report = await checkHealth({ table: hangs, archive: async () => undefined }, { timeoutMs: 5 });

    // Assess
    expect(report).toEqual({ status: 'degraded', checks: { table: 'down', archive: 'ok' } });
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBeInstanceOf(HealthCheckTimeoutError);
  });

  it('counts a check that throws before it starts as down', async () => {
    const report = await checkHealth({
      table: () => {
        throw new Error('no table configured');
      },
    });

    expect(report).toEqual({ status: 'degraded', checks: { table: 'down' } });
  });

  it('checks the four dependencies the adapters use, by the names it reports', () => {
    expect(Object.keys(healthChecks())).toEqual(['table', 'archive', 'email', 'workflows']);
  });
});
