/**
 * An email whose step died after SES accepted it is not sent again under an accelerated clock.
 * The step's retries wait for SES's Send event (`functions/app/effects.ts`), which the SES
 * stand-in delivers half a real second after it accepts the message, however fast the service's
 * clock runs: at `--time-scale 1440` ten minutes of the service's clock are 0.42 real seconds.
 * The whole runtime runs in this process (DynamoDB Local, the SES stand-in and its events, the
 * deployed notify and ses-events entry files); the workflow is kept out of it (its stream held),
 * and the test plays the step: its first attempt dies once SES has the email, and its retries come
 * as the workflow's do, well inside the retry policy's gap. The table refuses the first few
 * deliveries of the Send event, so that it comes in about 1.2 real seconds, as it may under load.
 */
import { describe, expect, it } from 'vitest';
import { adapter, provideAdapters } from '../../functions/app/container.js';
import { effectKey, effectSlot, type StepContext } from '../../functions/app/effects.js';
import type { Runtime } from '../../infra/local/runtime.js';
import { fetchStore } from '../../infra/local/stand-ins/index.js';
import { lambdaInvocation, postPlanningComplaint, runtimeInProcess } from '../support/runtime-in-process.js';

const TIME_SCALE = 1440;
const RESIDENT = 'window.resident@example.com';
/**
 * Real time between two attempts of the step. The workflow's retry intervals (seconds to minutes
 * of the service's clock) are milliseconds of real time at 1440: its retries come as fast as the
 * step answers, well inside the gap after which the window would start again.
 */
const RETRY_EVERY_MS = 10;
/** Deliveries of the Send event the table refuses before it takes one: the stand-in retries them. */
const REFUSED_DELIVERIES = 3;

const { runtime, output } = runtimeInProcess('window', TIME_SCALE);

async function submit(r: Runtime, email: string): Promise<string> {
  const answer = await postPlanningComplaint(
    r.endpoints.api,
    'The planning team promised to call me back about my enquiry and never did.',
    { name: 'A Resident', email },
  );
  expect(answer.status).toBe(201);
  return ((await answer.json()) as { caseId: string }).caseId;
}

describe('SES’s confirmation window under --time-scale 1440', () => {
  it('waits for the Send event of an email whose step died after SES took it, and sends it once', async () => {
    // Prepare: a case whose workflow is held back, and the first attempt of its notify step,
    // which recorded that it was about to send, sent, and died before recording the result.
    const r = runtime();
    await r.streams.pause();
    const { handler } = await import('../../functions/handlers/notify.js');
    const notify = lambdaInvocation(handler);
    // The step function warm, as it is mid-batch: its retries then come as often as the workflow's.
    const other = await submit(r, 'someone.else@example.com');
    await notify(
      {
        caseId: other,
        step: { execution: `x:${other}`, state: 'Warm', enteredAt: r.clock.now().toISOString() },
        template: 'receipt',
        to: 'resident',
      },
      { awsRequestId: 'warm' },
    );
    const caseId = await submit(r, RESIDENT);
    const step: StepContext = {
      execution: `arn:aws:states:eu-west-2:000000000000:execution:complaint:${caseId}`,
      state: 'Tell the resident it is received',
      enteredAt: r.clock.now().toISOString(),
    };
    const store = adapter('store');
    // SES's word comes late, as the stand-in's own retries bring it when the table refuses its
    // first deliveries (about 0.7 real seconds more): still well within what the stand-in promises.
    let refusals = REFUSED_DELIVERIES;
    provideAdapters({
      store: new Proxy(store, {
        get(target, name, receiver) {
          const value: unknown = Reflect.get(target, name, receiver);
          if (name !== 'appendEvent' || typeof value !== 'function') {
            return typeof value === 'function' ? value.bind(target) : value;
          }
          return async (id: string, event: { type: string }) => {
            if (event.type === 'email-accepted' && refusals-- > 0) {
              throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
                name: 'ThrottlingException',
              });
            }
            return value.call(target, id, event);
          };
        },
      }),
    });
    const before = await store.get(caseId);
    const key = effectKey(step);
    await store.update(caseId, before?.version ?? 0, {
      set: {
        effects: {
          ...before?.effects,
          [effectSlot(step)]: {
            key,
            status: 'started',
            at: r.clock.now().toISOString(),
            entered: step.enteredAt,
          },
        },
      },
    });
    await adapter('mailer').send({
      to: [RESIDENT],
      subject: 'We have received your complaint',
      text: 'We have received your complaint.',
      html: '<p>We have received your complaint.</p>',
      caseId,
      template: 'receipt',
      effect: key,
    });

    // Act: the workflow's retries of the step, through the deployed entry file, until one succeeds.
    const errors: string[] = [];
    let answered: unknown;
    for (let attempt = 1; answered === undefined && attempt <= 200; attempt++) {
      try {
        answered = await notify(
          { caseId, step, template: 'receipt', to: 'resident' },
          { awsRequestId: `window-${attempt}` },
        );
      } catch (error: unknown) {
        errors.push(error instanceof Error ? error.name : String(error));
        await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS));
      }
    }

    // Assess: SES's word settled it; the resident has the one email.
    expect(answered).toEqual({ sent: true });
    expect(new Set(errors)).toEqual(new Set(['EffectUnconfirmedError']));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const toResident = (await fetchStore(r.endpoints.ses)).filter((e) => e.destination.to.includes(RESIDENT));
    expect(toResident, output.join('\n')).toHaveLength(1);
    const history = await store.events(caseId);
    expect(history.filter((e) => e.type === 'email-accepted' && e.detail?.effect === key)).toHaveLength(1);
  }, 60_000);
});
