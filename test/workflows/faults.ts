import type { Context, SNSEvent, SNSEventRecord, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ServiceUnavailableError } from '../../functions/adapters/errors.js';
import { decideOnTask } from '../../functions/app/tasks.js';
import type { EmailMessage, Mailer } from '../../functions/domain/ports.js';
import { handler as sesEvents } from '../../functions/handlers/ses-events.js';
import { EMAIL_EVENTS_DELIVERY } from '../../infra/email-events.js';
import type { VirtualClock } from '../../infra/local/step-functions/index.js';
import {
  asLambdaInvocation,
  inProcessWorkflowEngine,
  stepHandlers,
} from '../../infra/local/workflow-runtime.js';
import { type Harness, RESIDENT, SECRET } from './harness.js';

/**
 * Faults for the workflow tests: outages of an AWS service on the test's clock, SES's own Send
 * events, a step that dies after SES accepted its email, and a clock wake-up run twice.
 */

/**
 * An outage of one AWS service on the test's clock: while it lasts, every call through a port
 * put `behind` it fails the way the adapter reports a dead service (`ServiceUnavailableError`,
 * one of the errors the retry policy is built from).
 */
export class Outage {
  private until = Number.NEGATIVE_INFINITY;
  /** Calls refused while the service was down. */
  refused = 0;

  constructor(
    readonly service: string,
    private readonly now: () => Date,
  ) {}

  /** The service goes down now, for this many minutes of the test's clock. */
  start(minutes: number): void {
    this.until = this.now().getTime() + minutes * 60_000;
  }

  get down(): boolean {
    return this.now().getTime() < this.until;
  }
}

/** The port, with every (async) method failing while the outage lasts. */
export function behind<T extends object>(port: T, outage: Outage): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (!outage.down) return value.apply(target, args);
        outage.refused++;
        return Promise.reject(
          new ServiceUnavailableError(`${outage.service}: AWS service failure`, {
            cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
          }),
        );
      };
    },
  });
}

const invokeSesEvents = asLambdaInvocation(sesEvents);
let sesEventRequests = 0;

/**
 * The mailer as SES behaves with a configuration set: every message it accepts is followed by a
 * Send event, delivered (as SNS does) to the deployed `ses-events` handler, which records it on
 * the case. This is what settles whether an email of a step that died went out.
 */
export function publishingSendEvents(mailer: Mailer): Mailer {
  return {
    ping: (signal) => mailer.ping(signal),
    async send(message) {
      const accepted = await mailer.send(message);
      const event = sendEvent(message, accepted.messageId);
      await invokeSesEvents(event, { awsRequestId: `ses-event-${++sesEventRequests}` } as Context);
      return accepted;
    },
  };
}

/**
 * SES's Send events as they reach the `ses-events` function on AWS, as the stack builds the
 * delivery (`EMAIL_EVENTS_DELIVERY`): SNS puts each in the email events queue, and the queue
 * hands it to the function, again after its visibility timeout while the function reports it
 * unrecorded (the table is down), up to its deliveries. Unlike `publishingSendEvents`, an event
 * not yet recorded does not fail the send: SES has accepted the email whatever becomes of it.
 */
export function queuedSendEvents(
  mailer: Mailer,
  clock: VirtualClock,
  /** How long after SES accepts an email its event first reaches the function (default: at once). */
  options: { firstAfterSeconds?: number } = {},
): Mailer {
  const { redeliverAfterSeconds, deliveries } = EMAIL_EVENTS_DELIVERY;
  const inFlight = new Set<Promise<void>>();
  clock.registerIdleWaiter(async () => {
    while (inFlight.size) await Promise.all([...inFlight]);
  });
  const deliver = (body: string, messageId: string, delivery: number) => {
    const event = { Records: [{ messageId, body }] } as unknown as SQSEvent;
    const invoked = invokeSesEvents(event, {
      awsRequestId: `ses-event-${++sesEventRequests}`,
    } as Context).then((response) => {
      const unrecorded = (response as SQSBatchResponse | undefined)?.batchItemFailures.length ?? 0;
      if (unrecorded === 0 || delivery >= deliveries) return;
      clock.schedule(clock.now().getTime() + redeliverAfterSeconds * 1000, () =>
        deliver(body, messageId, delivery + 1),
      );
    });
    inFlight.add(invoked);
    void invoked.finally(() => inFlight.delete(invoked));
    return invoked;
  };
  return {
    ping: (signal) => mailer.ping(signal),
    async send(message) {
      const accepted = await mailer.send(message);
      const body = (sendEvent(message, accepted.messageId).Records[0] as SNSEventRecord).Sns.Message;
      const messageId = `queued-${accepted.messageId}`;
      if (options.firstAfterSeconds) {
        clock.schedule(clock.now().getTime() + options.firstAfterSeconds * 1000, () =>
          deliver(body, messageId, 1),
        );
      } else await deliver(body, messageId, 1);
      return accepted;
    },
  };
}

/** The SNS notification of SES's Send event for one accepted message. */
function sendEvent(message: EmailMessage, messageId: string): SNSEvent {
  const tags: Record<string, string[]> = {
    ...(message.caseId ? { 'case-id': [message.caseId] } : {}),
    ...(message.template ? { template: [message.template] } : {}),
    ...(message.effect ? { effect: [message.effect] } : {}),
  };
  const notification = { eventType: 'Send', mail: { messageId, tags } };
  return { Records: [{ Sns: { Message: JSON.stringify(notification) } }] } as unknown as SNSEvent;
}

/**
 * The step that sends the `times` next emails dies right after SES accepted each one, before
 * it can record it: as Lambda reports a function killed mid-invocation.
 */
export function dyingAfterSending(mailer: Mailer, times = 1): Mailer {
  let left = times;
  return {
    ping: (signal) => mailer.ping(signal),
    async send(message) {
      const accepted = await mailer.send(message);
      if (left > 0) {
        left--;
        throw Object.assign(new Error('the function was killed after SES accepted the message'), {
          name: 'Runtime.ExitError',
        });
      }
      return accepted;
    },
  };
}

/**
 * The last wake-up of a case's clock state, to run again as Lambda would: its invocation as the
 * engine sent it (`payload`), and `run`, which invokes the clock step with a payload and answers
 * how it ended (the error's name, or `answered`).
 */
export async function lastClockWakeUp(
  h: Harness,
  caseId: string,
): Promise<{
  payload: { step: { enteredAt: string }; taskToken?: string };
  run: (payload: unknown, requestId: string) => Promise<string>;
}> {
  const { events } = await h.engine.getExecutionHistory(
    `arn:aws:states:eu-west-2:000000000000:execution:complaint:${caseId}`,
  );
  const wakeUp = events
    .filter((e) => e.type === 'TaskScheduled')
    .map((e) => JSON.parse((e.taskScheduledEventDetails as { parameters: string }).parameters))
    .filter((p: { FunctionName: string }) => p.FunctionName.endsWith(':function:clock'))
    .at(-1) as { FunctionName: string; Payload: { step: { enteredAt: string }; taskToken?: string } };
  const handlers = await stepHandlers();
  const run = (payload: unknown, requestId: string) =>
    Promise.resolve(
      handlers.clock?.(payload, {
        functionName: 'clock',
        awsRequestId: requestId,
        invokedFunctionArn: wakeUp.FunctionName,
        getRemainingTimeInMillis: () => 30_000,
      }),
    ).then(
      () => 'answered',
      (error: Error) => error.name,
    );
  return { payload: wakeUp.Payload, run };
}

/**
 * The mailer, with the resident's stage-2 request written on the case (as the task page writes
 * it) the moment the letter saying the window closed has gone: a request sent in the window's last
 * moment, to a wait that timed out as it was written, so it stays pending on the case. `made`
 * says whether it was, with the page's answer (the decision is saved, not yet with the workflow).
 */
export function requestingStage2AsToldTooLate(h: Harness, caseId: string, mailer: Mailer) {
  const made: { answer?: unknown } = {};
  const wrapped: Mailer = {
    ping: (signal) => mailer.ping(signal),
    async send(message) {
      const accepted = await mailer.send(message);
      if (message.template === 'stage-2-too-late' && !('answer' in made)) {
        const deps = {
          store: h.store,
          workflows: inProcessWorkflowEngine(h.engine),
          policy: h.policy,
          now: () => h.clock.now(),
          linkSecrets: async () => [SECRET],
        };
        made.answer = await decideOnTask(
          deps,
          (await h.store.get(caseId)) as NonNullable<Awaited<ReturnType<typeof h.store.get>>>,
          'stage-2-request',
          'request',
          { response: 'You did not answer my main point.' },
          { actor: RESIDENT, channel: 'link' },
        ).catch((error: unknown) => error);
      }
      return accepted;
    },
  };
  return { mailer: wrapped, made };
}
