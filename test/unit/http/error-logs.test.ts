import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServiceUnavailableError } from '../../../functions/adapters/errors.js';
import { signInToken } from '../../../functions/domain/resident-access.js';
import { httpErrors } from '../../../functions/http/middleware.js';
import { apiEvent } from '../../support/api-event.js';
import { capturePowertoolsOutput, type PowertoolsOutput } from '../../support/powertools-output.js';

/**
 * What the API's error middleware logs of a request that failed. A resident's sign-in link
 * carries their email address in its signed token (`/check/sign-in/<token>`), readable by anyone
 * who decodes it: a log line keeps it for the log group's retention, past the case's erasure and
 * its retention, so the path is logged with each token replaced by `{token}`.
 */

// Logs are off in tests (vitest.config.ts); this file reads them.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
});

const EMAIL = 'ada.lovelace@example.org';
const { token } = signInToken(
  'case-1',
  EMAIL,
  new Date('2026-03-04T10:00:00Z'),
  'secret-secret-secret-secret',
);
const [payload] = token.split('.');

let output: PowertoolsOutput;

beforeEach(() => {
  output = capturePowertoolsOutput();
});

afterEach(() => {
  output.restore();
});

function failing(error: Error) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>(async () => {
    throw error;
  }).use(httpErrors());
}

describe('the API’s error logs', () => {
  for (const [what, error, status] of [
    ['an unexpected failure', new Error('boom'), 500],
    ['a dependency that is down', new ServiceUnavailableError('case store: get failed'), 503],
  ] as const) {
    it(`log no resident's address from a sign-in link's path, on ${what}`, async () => {
      // Act
      const result = await failing(error)(apiEvent('POST', `/check/sign-in/${token}`), {} as Context);

      // Assess
      expect(result.statusCode).toBe(status);
      const lines = output.logs().filter((l) => l.path !== undefined);
      expect(lines).toHaveLength(1);
      expect(lines[0]?.path).toBe('/check/sign-in/{token}');
      expect(output.text()).not.toContain(payload);
      expect(output.text()).not.toContain(EMAIL);
    });
  }
});
