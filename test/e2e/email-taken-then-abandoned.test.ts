/**
 * An email SES took, whose send the step then abandoned (its time to send was over while SES was
 * slow to answer): the step cannot tell SES had it, and must not send it again. The whole runtime
 * runs in this process at real time (DynamoDB Local, the SES stand-in and its Send events, the
 * real ASL on the local engine).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../functions/adapters/errors.js';
import { adapter, provideAdapters } from '../../functions/app/container.js';
import { SEND_LEASE_MS } from '../../functions/app/effects.js';
import type { Mailer } from '../../functions/domain/ports.js';
import type { Runtime } from '../../infra/local/runtime.js';
import { fetchStore } from '../../infra/local/stand-ins/index.js';
import { postPlanningComplaint, runtimeInProcess } from '../support/runtime-in-process.js';

const { runtime } = runtimeInProcess('abandoned', 1);

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

/**
 * The mailer, for `template` to `to` once: SES answers only after the attempt's time to send is
 * over, having taken the email, and the step hears only that the send was abandoned (as the SES
 * adapter says when its abort signal fires in flight).
 */
function takenThenAbandoned(mailer: Mailer, template: string, to: string): Mailer {
  let done = false;
  return Object.assign(Object.create(mailer) as Mailer, {
    send: async (...args: Parameters<Mailer['send']>) => {
      const [message] = args;
      if (done || message.template !== template || !message.to.includes(to)) return mailer.send(...args);
      done = true;
      await new Promise((resolve) => setTimeout(resolve, SEND_LEASE_MS + 1_000));
      await mailer.send(message);
      const aborted = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
      throw new ServiceUnavailableError(`send ${template}: abandoned, its time to send was over`, {
        cause: aborted,
      });
    },
  });
}

async function receiptsTo(r: Runtime, to: string): Promise<number> {
  return (await fetchStore(r.endpoints.ses)).filter(
    (e) => e.destination.to.includes(to) && /received your complaint/i.test(e.subject),
  ).length;
}

describe('npm start: an email SES took after its attempt gave up on it', () => {
  it('is sent once: the step waits for SES’s word rather than send it again', async () => {
    // Prepare
    const r = runtime();
    const resident = 'taken.then.abandoned@example.com';
    const mailer = adapter('mailer');
    restore = () => provideAdapters({ mailer });
    provideAdapters({ mailer: takenThenAbandoned(mailer, 'receipt', resident) });

    // Act
    const answer = await postPlanningComplaint(
      r.endpoints.api,
      'The planning team promised to call me back about my enquiry and never did.',
      { name: 'A Resident', email: resident },
    );
    expect(answer.status).toBe(201);

    // Assess: once SES has it, and still once after the step's window for SES's word (25 s) and
    // its retries have passed.
    await expect.poll(() => receiptsTo(r, resident), { timeout: 40_000, interval: 500 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 45_000));
    expect(await receiptsTo(r, resident)).toBe(1);
  }, 150_000);
});
