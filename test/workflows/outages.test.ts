import { afterEach, describe, expect, it } from 'vitest';
import { ServiceUnavailableError, TaskTokenInvalidError } from '../../functions/adapters/errors.js';
import { adapter, provideAdapters } from '../../functions/app/container.js';
import { stage2LateRequestDeadline } from '../../functions/domain/case-clock.js';
import type { Mailer } from '../../functions/domain/ports.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { behind, dyingAfterSending, Outage, publishingSendEvents, queuedSendEvents } from './faults.js';
import { complaintFrom, createHarness, failNextSendTaskSuccess, type Harness, RESIDENT } from './harness.js';

/**
 * Outages of the services a case depends on, on the virtual clock, through the real ASL and the
 * deployed step entry files: a case rides them out and every letter goes exactly once.
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

const minutesLater = (minutes: number) => new Date(h.clock.now().getTime() + minutes * 60_000).toISOString();
const FAILURE = 'Tell the complaints team something went wrong';

/** A harness whose SES is `ses` and whose DynamoDB is `dynamodb`, each able to go down. */
async function harnessWithOutages() {
  h = await createHarness();
  const ses = new Outage('SES', () => h.clock.now());
  const dynamodb = new Outage('DynamoDB', () => h.clock.now());
  provideAdapters({
    mailer: behind(publishingSendEvents(adapter('mailer')), ses),
    store: behind(adapter('store'), dynamodb),
  });
  return { ses, dynamodb };
}

async function acknowledgeAndRespond() {
  expect((await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE)).statusCode).toBe(200);
  const responded = await h.act(h.linkFor('respond'), {
    decision: 'respond',
    outcome: 'upheld',
    response: 'We looked into what happened and here is what we found.',
  });
  expect(responded.statusCode, responded.body).toBe(200);
}

describe('a case during an outage', () => {
  it('rides out 30 minutes without SES and sends each letter exactly once', async () => {
    const { ses } = await harnessWithOutages();
    ses.start(30);

    const c = await h.submit(complaintFrom(h));
    expect(h.templates()).toEqual([]);
    await h.advanceTo(minutesLater(40));

    expect(ses.refused).toBeGreaterThan(0);
    expect(h.templates(RESIDENT)).toEqual(['receipt']);
    expect(h.templates().filter((t) => t === 'officer-task')).toHaveLength(1);
    expect(await h.status(c.caseId)).toBe('RUNNING');

    // An officer acts while SES is down again: the decision stands, the letter follows it.
    ses.start(30);
    expect((await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE)).statusCode).toBe(200);
    await h.advanceTo(minutesLater(40));
    const responded = await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'upheld',
      response: 'We looked into what happened and here is what we found.',
    });
    expect(responded.statusCode).toBe(200);
    await h.advanceTo((await h.caseOf(c.caseId)).deadlines.stage2RequestBy as string);
    await h.advanceTo(minutesLater(60 * 24));
    // Past the complaints team's time to accept a late request: the case closes.
    const lateBy = stage2LateRequestDeadline(h.policy, await h.caseOf(c.caseId)) as string;
    await h.advanceTo(new Date(Date.parse(lateBy) + 86_400_000).toISOString());

    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement', 'response', 'stage-2-too-late']);
    expect(h.states(c.caseId)).not.toContain(FAILURE);
    expect(await h.status(c.caseId)).toBe('SUCCEEDED');
    expect((await h.caseOf(c.caseId)).status).toBe('closed');
  });

  it('rides out 30 minutes without DynamoDB across a deadline, escalating and acknowledging once', async () => {
    const { dynamodb } = await harnessWithOutages();
    const c = await h.submit(complaintFrom(h));
    const manager = h.policy.routing.services.find((s) => s.id === c.service)?.manager;

    // The acknowledgement deadline passes while the table is down.
    await h.advanceTo(new Date(Date.parse(c.deadlines.acknowledgeBy as string) - 10 * 60_000).toISOString());
    dynamodb.start(30);
    await h.advanceTo(minutesLater(40));

    expect(dynamodb.refused).toBeGreaterThan(0);
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement']);
    expect(h.templates().filter((t) => t === 'manager-escalation')).toHaveLength(1);
    if (manager) expect(h.templates(manager)).toContain('manager-escalation');
    expect(h.states(c.caseId)).toEqual(
      expect.arrayContaining(['Escalate the late acknowledgement', 'Acknowledge automatically']),
    );
    expect(h.states(c.caseId)).not.toContain(FAILURE);
    const record = await h.caseOf(c.caseId);
    expect(record.progress.stage1.acknowledgementEscalated).toBe(true);
    expect((await h.store.events(c.caseId)).filter((e) => e.type === 'deadline-missed')).toHaveLength(1);
  });

  it('waits out an outage longer than the retry policy covers, and carries on when SES is back', async () => {
    const { ses } = await harnessWithOutages();
    ses.start(6 * 60);

    const c = await h.submit(complaintFrom(h));
    await h.advanceTo(minutesLater(5 * 60));
    expect(h.templates()).toEqual([]);
    await h.advanceTo(minutesLater(2 * 60));

    expect(h.templates(RESIDENT)).toEqual(['receipt']);
    expect(h.states(c.caseId)).not.toContain(FAILURE);
    expect(await h.status(c.caseId)).toBe('RUNNING');
  });
});

describe('a state that sends a letter and then starts a wait', () => {
  it('sends the receipt once when the table fails for hours just after it went and the state enters itself again', async () => {
    h = await createHarness();
    const dynamodb = new Outage('DynamoDB', () => h.clock.now());
    // The table goes down the moment the receipt is recorded, before the same state reads the
    // acknowledgement clock: longer than the retry policy covers, so the state enters itself again.
    const store = adapter('store');
    const update = store.update.bind(store);
    store.update = async (...args: Parameters<typeof update>) => {
      const updated = await update(...args);
      const recorded = args[2].event;
      if (recorded?.type === 'email-sent' && recorded.detail?.template === 'receipt') dynamodb.start(4 * 60);
      return updated;
    };
    provideAdapters({ store: behind(store, dynamodb) });

    const c = await h.submit(complaintFrom(h));
    await h.advanceTo(minutesLater(5 * 60));

    expect(dynamodb.refused).toBeGreaterThan(0);
    expect(h.states(c.caseId).filter((s) => s === 'Route the case').length).toBeGreaterThan(1);
    expect(h.templates(RESIDENT)).toEqual(['receipt']);
    expect(h.templates().filter((t) => t === 'officer-task')).toHaveLength(1);
    expect(h.states(c.caseId)).not.toContain(FAILURE);
    expect((await h.caseOf(c.caseId)).openTask?.name).toBe('acknowledge');
  });
});

describe('a step that dies after SES accepted its email', () => {
  it('learns from SES’s Send event that the receipt went, and never sends it twice', async () => {
    h = await createHarness();
    provideAdapters({ mailer: dyingAfterSending(publishingSendEvents(adapter('mailer'))) });

    const c = await h.submit(complaintFrom(h));
    await h.advanceTo(minutesLater(15));
    await acknowledgeAndRespond();

    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement', 'response']);
    const events = await h.store.events(c.caseId);
    expect(events.filter((e) => e.type === 'email-sent' && e.detail?.template === 'receipt')).toHaveLength(1);
    expect(
      events.filter((e) => e.type === 'email-accepted' && e.detail?.template === 'receipt'),
    ).toHaveLength(1);
  });

  it('sends again, once, when SES never reported the email: it did not go', async () => {
    h = await createHarness();
    let swallowed = 0;
    const sesLostTheMessage = adapter('mailer');
    provideAdapters({
      // The first attempt's email is lost before SES (no Send event); the step dies all the same.
      mailer: {
        ping: (signal) => sesLostTheMessage.ping(signal),
        async send(message) {
          if (swallowed++ === 0) {
            throw Object.assign(new Error('killed mid-send'), { name: 'Runtime.ExitError' });
          }
          return publishingSendEvents(sesLostTheMessage).send(message);
        },
      },
    });

    const c = await h.submit(complaintFrom(h));
    await h.advanceTo(minutesLater(20));

    expect(h.templates(RESIDENT)).toEqual(['receipt']);
    expect(h.states(c.caseId)).not.toContain(FAILURE);
  });
});

describe('an email SES accepted just as the table went down', () => {
  it('is sent once, though its Send event could not be recorded until the table was back', async () => {
    h = await createHarness();
    const dynamodb = new Outage('DynamoDB', () => h.clock.now());
    // The table goes down for half an hour the moment SES accepts the acknowledgement, before the
    // step records it. SES's Send event reaches the ses-events function as on AWS (SNS, then
    // Lambda's two retries of an asynchronous invocation), all while the table is down.
    const ses = adapter('mailer');
    const accepting: Mailer = {
      ping: (signal) => ses.ping(signal),
      async send(message) {
        const accepted = await ses.send(message);
        if (message.template === 'acknowledgement' && dynamodb.refused === 0) dynamodb.start(30);
        return accepted;
      },
    };
    provideAdapters({
      mailer: queuedSendEvents(accepting, h.clock),
      store: behind(adapter('store'), dynamodb),
    });
    const c = await h.submit(complaintFrom(h));

    await h.actWithoutFollowing(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.advanceTo(minutesLater(90));

    expect(dynamodb.refused).toBeGreaterThan(0);
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement']);
    expect(h.states(c.caseId)).not.toContain(FAILURE);
  });
});

describe('an email whose step died after SES accepted it, just before the table went down', () => {
  it('is sent once: the step waits for SES’s word once the table is back, though it began waiting before', async () => {
    h = await createHarness();
    const dynamodb = new Outage('DynamoDB', () => h.clock.now());
    // The step dies as SES accepts the acknowledgement; its retry, two seconds on, finds no word
    // from SES yet (the event takes five) and starts waiting for it. A second later the table goes
    // down for 43 minutes, before the event can be recorded: the queue keeps it, delivering it
    // again every three minutes, and the step's retries fail on the table meanwhile.
    const ses = queuedSendEvents(adapter('mailer'), h.clock, { firstAfterSeconds: 5 });
    let killed = 0;
    provideAdapters({
      mailer: {
        ping: (signal) => ses.ping(signal),
        async send(message) {
          const accepted = await ses.send(message);
          if (message.template === 'acknowledgement' && killed++ === 0) {
            h.clock.schedule(h.clock.now().getTime() + 3000, () => dynamodb.start(43));
            throw Object.assign(new Error('killed after SES accepted the message'), {
              name: 'Runtime.ExitError',
            });
          }
          return accepted;
        },
      },
      store: behind(adapter('store'), dynamodb),
    });
    const c = await h.submit(complaintFrom(h));

    await h.actWithoutFollowing(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.advanceTo(minutesLater(4 * 60));

    expect(dynamodb.refused).toBeGreaterThan(0);
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement']);
    expect(h.states(c.caseId)).not.toContain(FAILURE);
  });
});

describe('an officer’s task whose email did not go the first time', () => {
  /** The mailer, refusing the officer's task email `times` times as a dead SES endpoint does. */
  function refusingTaskEmail(mailer: Mailer, times: number): Mailer {
    let left = times;
    return {
      ping: (signal) => mailer.ping(signal),
      async send(message) {
        if (message.template === 'officer-task' && left-- > 0) {
          throw new ServiceUnavailableError('SES: AWS service failure', {
            cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
          });
        }
        return mailer.send(message);
      },
    };
  }

  it('is emailed once SES answers again, though the task was already open, and its link works', async () => {
    h = await createHarness();
    provideAdapters({ mailer: refusingTaskEmail(publishingSendEvents(adapter('mailer')), 3) });

    const c = await h.submit(complaintFrom(h));
    await h.advanceTo(minutesLater(10));

    expect(h.templates().filter((t) => t === 'officer-task')).toHaveLength(1);
    await acknowledgeAndRespond();
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement', 'response']);
    expect(h.states(c.caseId)).not.toContain(FAILURE);
  });

  it('is not emailed again when the step died after SES accepted it', async () => {
    h = await createHarness();
    let sent = 0;
    const ses = publishingSendEvents(adapter('mailer'));
    provideAdapters({
      mailer: {
        ping: (signal) => ses.ping(signal),
        async send(message) {
          const accepted = await ses.send(message);
          if (message.template === 'officer-task' && sent++ === 0) {
            throw Object.assign(new Error('killed after SES accepted the message'), {
              name: 'Runtime.ExitError',
            });
          }
          return accepted;
        },
      },
    });

    const c = await h.submit(complaintFrom(h));
    await h.advanceTo(minutesLater(15));

    expect(h.templates().filter((t) => t === 'officer-task')).toHaveLength(1);
    const events = await h.store.events(c.caseId);
    expect(
      events.filter((e) => e.type === 'email-sent' && e.detail?.template === 'officer-task'),
    ).toHaveLength(1);
    await acknowledgeAndRespond();
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement', 'response']);
  });
});

describe('an officer’s decision the workflow could not take at once', () => {
  it('is handed to the wait when the workflow enters it again, and the resident hears once', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    expect((await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE)).statusCode).toBe(200);
    // The officer's call finds the wait's token already replaced (it timed out meanwhile).
    failNextSendTaskSuccess(
      new TaskTokenInvalidError('sendTaskSuccess: the task is no longer waiting (TaskTimedOut)'),
    );

    const answered = await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'upheld',
      response: 'We looked into what happened and here is what we found.',
    });
    // The wait is over, so the decision is the workflow's to take: the officer is told it is recorded.
    expect(answered.statusCode).toBe(200);
    expect(answered.body).not.toContain('could not move on');
    expect((await h.caseOf(c.caseId)).pendingDecision?.decision).toBe('respond');
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement']);

    // The wait wakes at the reminder and is entered again: its step hands the decision over.
    await h.advanceTo((await h.caseOf(c.caseId)).deadlines.remindAt as string);
    await h.advanceTo(minutesLater(1));

    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement', 'response']);
    expect((await h.caseOf(c.caseId)).pendingDecision).toBeUndefined();
    expect(h.templates().filter((t) => t === 'officer-task')).toHaveLength(2);
    expect(h.templates()).not.toContain('officer-reminder');
    const events = await h.store.events(c.caseId);
    expect(events.filter((e) => e.type === 'decision-delivered').map((e) => e.actor)).toEqual([
      expect.any(String),
      'workflow',
    ]);
  });
});

describe('an officer’s decision whose hand-over went half-way', () => {
  it('is taken, not escalated, when the officer acts just as the wait times out', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    failNextSendTaskSuccess(
      new TaskTokenInvalidError('sendTaskSuccess: the task is no longer waiting (TaskTimedOut)'),
    );

    expect((await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE)).statusCode).toBe(200);
    await h.advanceTo(new Date(Date.parse(c.deadlines.acknowledgeBy as string) + 60_000).toISOString());

    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement']);
    expect(h.templates()).not.toContain('manager-escalation');
    expect(h.states(c.caseId)).not.toContain('Escalate the late acknowledgement');
    expect((await h.caseOf(c.caseId)).pendingDecision).toBeUndefined();
  });

  it('is never handed over twice when the workflow took it but the case did not hear', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    expect((await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE)).statusCode).toBe(200);
    const store = adapter('store');
    const update = store.update.bind(store);
    // The table fails once, just as the delivered extension is being settled on the case.
    provideAdapters({
      store: Object.assign(Object.create(store), {
        update: async (...args: Parameters<typeof store.update>) => {
          if (args[2].event?.type === 'decision-delivered' && args[2].event.detail?.decision === 'extend') {
            provideAdapters({ store });
            throw new ServiceUnavailableError('update: AWS service failure');
          }
          return update(...args);
        },
      }),
    });

    const extended = await h.act(h.linkFor('respond'), {
      decision: 'extend',
      extendDays: '5',
      reason: 'Waiting for a contractor',
    });
    expect(extended.statusCode).toBe(503);
    await h.advanceTo(minutesLater(60));

    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement', 'extension']);
    expect((await h.caseOf(c.caseId)).pendingDecision).toBeUndefined();
    expect((await h.caseOf(c.caseId)).openTask?.name).toBe('respond');
  });
});
