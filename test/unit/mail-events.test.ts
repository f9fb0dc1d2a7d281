import { beforeEach, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../functions/adapters/errors.js';
import { REDELIVERY_GAP_MS, recordMailEvent } from '../../functions/app/mail-events.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { tombstoneOf } from '../../functions/domain/legal-hold.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { EMAIL_EVENTS_DELIVERY } from '../../infra/email-events.js';
import { MemoryCaseStore } from '../support/memory-store.js';

const policy = loadPolicy('lgsco-code-2024');
let store: MemoryCaseStore;
let sent: { template: string; to: string[] }[];

const record = {
  caseId: 'case-1',
  reference: 'CMP-2026-000001',
  kind: 'complaint',
  submittedKind: 'complaint',
  status: 'investigating',
  stage: 1,
  policyId: policy.id,
  summary: 'x',
  complainant: { name: 'Ada', email: 'Ada@Example.com' },
  anonymous: false,
  channel: 'online',
  receivedAt: '2026-03-02T09:00:00.000Z',
  createdAt: '2026-03-02T09:00:00.000Z',
  updatedAt: '2026-03-02T09:00:00.000Z',
  triage: { route: 'handle', reasons: [] },
  deadlines: {},
  progress: { stage1: { startedAt: '2026-03-02T09:00:00.000Z' } },
  version: 1,
} satisfies CaseRecord;

beforeEach(async () => {
  store = new MemoryCaseStore();
  sent = [];
  await store.create(record, { at: record.receivedAt, type: 'received', actor: 'resident' });
});

const deps = () => ({
  store,
  policy,
  now: () => new Date('2026-03-03T10:00:00Z'),
  send: async (_c: CaseRecord, template: string, to: string[]) => {
    sent.push({ template, to });
    return { messageId: `m-${sent.length}` };
  },
});

describe('recordMailEvent', () => {
  it('records a bounce of the resident’s email on the case and alerts the complaints team', async () => {
    const result = await recordMailEvent(deps(), {
      eventType: 'Bounce',
      mail: { tags: { 'case-id': ['case-1'], template: ['response'] } },
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'ada@example.com' }] },
    });

    expect(result).toBe('recorded');
    expect((await store.events('case-1')).at(-1)).toMatchObject({
      type: 'email-bounced',
      detail: { template: 'response', bounceType: 'Permanent', residentAffected: true },
    });
    expect(sent).toEqual([{ template: 'complaints-team-alert', to: [policy.routing.complaintsTeam] }]);
  });

  it('records a bounce once however often it is delivered again while the alert cannot go', async () => {
    // SES cannot be reached: the complaints team's alert certainly did not go, and the event queue
    // delivers the bounce again. (An error that leaves it unknown waits for SES's word: below.)
    let refusals = 3;
    const sesDown = {
      ...deps(),
      send: async (c: CaseRecord, template: string, to: string[]) => {
        if (refusals-- > 0) {
          throw new ServiceUnavailableError('SES: service unavailable', { cause: { code: 'ECONNREFUSED' } });
        }
        return deps().send(c, template, to);
      },
    };
    const bounce = {
      eventType: 'Bounce',
      mail: { messageId: 'ses-1', tags: { 'case-id': ['case-1'], template: ['response'] } },
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'ada@example.com' }] },
    };

    for (let delivery = 1; delivery <= 3; delivery++) {
      await expect(recordMailEvent(sesDown, bounce)).rejects.toThrow('SES');
    }
    expect(await recordMailEvent(sesDown, bounce)).toBe('recorded');

    expect((await store.events('case-1')).filter((e) => e.type === 'email-bounced')).toHaveLength(1);
    expect(sent).toEqual([{ template: 'complaints-team-alert', to: [policy.routing.complaintsTeam] }]);
  });

  it('alerts the complaints team once when the queue delivers the same bounce twice', async () => {
    // SQS delivers at least once, and SES may publish an event twice: the team hears of it once.
    const bounce = {
      eventType: 'Bounce',
      mail: { messageId: 'ses-2', tags: { 'case-id': ['case-1'], template: ['response'] } },
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'ada@example.com' }] },
    };

    expect(await recordMailEvent(deps(), bounce)).toBe('recorded');
    expect(await recordMailEvent(deps(), bounce)).toBe('recorded');

    expect(sent).toEqual([{ template: 'complaints-team-alert', to: [policy.routing.complaintsTeam] }]);
    expect((await store.events('case-1')).filter((e) => e.type === 'email-bounced')).toHaveLength(1);
  });

  it('records each recipient’s bounce of one email, and alerts when the second is the resident’s', async () => {
    // One message to two people: SES reports each address's bounce in an event of its own.
    const bounceOf = (address: string) => ({
      eventType: 'Bounce',
      mail: { messageId: 'ses-3', tags: { 'case-id': ['case-1'], template: ['response'] } },
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: address }] },
    });

    await recordMailEvent(deps(), bounceOf('advocate@example.org'));
    await recordMailEvent(deps(), bounceOf('ada@example.com'));

    const bounced = (await store.events('case-1')).filter((e) => e.type === 'email-bounced');
    expect(bounced.map((e) => e.detail?.residentAffected)).toEqual([false, true]);
    expect(sent).toEqual([{ template: 'complaints-team-alert', to: [policy.routing.complaintsTeam] }]);
  });

  it('records an officer’s bounce without alerting about the resident', async () => {
    await recordMailEvent(deps(), {
      eventType: 'Bounce',
      mail: { tags: { 'case-id': ['case-1'] } },
      bounce: { bouncedRecipients: [{ emailAddress: 'team@example.gov.uk' }] },
    });

    expect((await store.events('case-1')).at(-1)?.detail).toMatchObject({ residentAffected: false });
    expect(sent).toEqual([]);
  });

  it('alerts the complaints team when a referral bounces: the team it was passed to never got it, and the resident was told they had', async () => {
    // A referred case: the children's team's mailbox in the policy is wrong or closed.
    await store.update('case-1', 1, {
      set: {
        status: 'referred',
        triage: { route: 'refer', exclusion: 'childrens-social-care', reasons: [] },
      },
    });
    const told: { template: string; to: string[]; data: Record<string, unknown> }[] = [];
    const bounce = {
      eventType: 'Bounce',
      mail: { messageId: 'ses-ref', tags: { 'case-id': ['case-1'], template: ['referral'] } },
      bounce: {
        bounceType: 'Permanent',
        bouncedRecipients: [{ emailAddress: 'childrens.complaints@example.gov.uk' }],
      },
    };
    const recording = {
      ...deps(),
      send: async (_c: CaseRecord, template: string, to: string[], data?: Record<string, unknown>) => {
        told.push({ template, to, data: data ?? {} });
        return { messageId: `m-${told.length}` };
      },
    };

    expect(await recordMailEvent(recording, bounce)).toBe('recorded');
    // Delivered again: the team hears of it once.
    expect(await recordMailEvent(recording, bounce)).toBe('recorded');

    expect(told).toEqual([
      {
        template: 'complaints-team-alert',
        to: [policy.routing.complaintsTeam],
        data: expect.objectContaining({ problem: 'referral-bounce' }),
      },
    ]);
    expect(told[0]?.data.error).toContain(
      "Passed to: our children's social care complaints team (childrens.complaints@example.gov.uk). The email to them bounced.",
    );
  });

  it('records a bounce whose recipients are not as SES words them, rather than failing it for the queue to deliver forever', async () => {
    // A recipient without an address, or with one that is not text: the event cannot become
    // recordable on a later delivery, so throwing would only hand it back until the dead-letter queue.
    const bounce = (bouncedRecipients: unknown) =>
      recordMailEvent(deps(), {
        eventType: 'Bounce',
        mail: { messageId: 'ses-odd', tags: { 'case-id': ['case-1'], template: ['response'] } },
        bounce: {
          bounceType: 'Permanent',
          bouncedRecipients: bouncedRecipients as { emailAddress?: string }[],
        },
      });

    expect(await bounce([null, { emailAddress: 42 }, { emailAddress: 'ada@example.com' }])).toBe('recorded');
    expect(await bounce({ emailAddress: 'ada@example.com' })).toBe('recorded');

    const bounced = (await store.events('case-1')).filter((e) => e.type === 'email-bounced');
    expect(bounced[0]?.detail).toMatchObject({ residentAffected: true, recipients: ['ada@example.com'] });
    expect(sent).toEqual([{ template: 'complaints-team-alert', to: [policy.routing.complaintsTeam] }]);
  });

  it('puts no address back into the history of an erased case when an email about it bounces later', async () => {
    // SES reports a bounce minutes, and a spam complaint days, after the email: the case may have
    // been erased since (UK GDPR Article 17), its history deleted with the resident's address.
    // The erased case as erasure leaves it: its tombstone, and the one event saying it was erased.
    const at = '2026-03-03T09:00:00.000Z';
    store = new MemoryCaseStore();
    await store.create(tombstoneOf(record, { at, by: 'dpo@example.gov.uk', ground: 'objection' }), {
      at,
      type: 'erased',
      actor: 'dpo@example.gov.uk',
      detail: { ground: 'objection' },
    });

    await recordMailEvent(deps(), {
      eventType: 'Bounce',
      mail: { messageId: 'ses-late', tags: { 'case-id': ['case-1'], template: ['response'] } },
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'ada@example.com' }] },
    });
    await recordMailEvent(deps(), {
      eventType: 'Complaint',
      mail: { messageId: 'ses-late', tags: { 'case-id': ['case-1'], template: ['response'] } },
      complaint: { complainedRecipients: [{ emailAddress: 'ada@example.com' }] },
    });

    expect(JSON.stringify(await store.events('case-1'))).not.toContain('ada@example.com');
  });

  it('ignores deliveries and emails about no known case', async () => {
    expect(
      await recordMailEvent(deps(), { eventType: 'Delivery', mail: { tags: { 'case-id': ['case-1'] } } }),
    ).toBe('ignored');
    expect(
      await recordMailEvent(deps(), { eventType: 'Bounce', mail: { tags: { 'case-id': ['nope'] } } }),
    ).toBe('ignored');
    expect(await store.events('case-1')).toHaveLength(1);
  });

  it('records the email of a task decided before the workflow came back for it, once, from SES’s word', async () => {
    // Prepare: the task email's step died before recording it (an outage), and the officer
    // decided through the link before the workflow entered the wait again.
    const key = 'key-of-the-task-email';
    await store.update('case-1', 1, {
      set: { effects: { 'case-1/Await acknowledgement': { key, status: 'started', at: record.receivedAt } } },
    });
    await store.appendEvent('case-1', {
      at: '2026-03-03T09:00:00.000Z',
      type: 'task-done',
      actor: 'waste.team@example.gov.uk',
      detail: { task: 'acknowledge', taskId: key, decision: 'acknowledge' },
    });
    const send = {
      eventType: 'Send',
      mail: {
        messageId: 'ses-1',
        tags: { 'case-id': ['case-1'], effect: [key], template: ['officer-task'] },
      },
    };

    // Act: SES's word, delivered twice.
    await recordMailEvent(deps(), send);
    await recordMailEvent(deps(), send);

    // Assess
    const events = await store.events('case-1');
    expect(events.filter((e) => e.type === 'email-sent').map((e) => e.detail)).toEqual([
      { template: 'officer-task', task: 'acknowledge', taskId: key },
    ]);
    expect((await store.get('case-1'))?.effects?.['case-1/Await acknowledgement']).toMatchObject({
      key,
      status: 'done',
    });
  });

  it('records nothing of an email its step has already recorded as sent: nothing would read it', async () => {
    const key = 'key-of-a-recorded-email';
    await store.update('case-1', 1, {
      set: { effects: { 'case-1/Send the receipt': { key, status: 'done', at: record.receivedAt } } },
    });
    const before = (await store.events('case-1')).length;

    const outcome = await recordMailEvent(deps(), {
      eventType: 'Send',
      mail: { messageId: 'ses-3', tags: { 'case-id': ['case-1'], effect: [key] } },
    });
    // An email whose effect has left the case (done, and dropped once its state was left).
    const gone = await recordMailEvent(deps(), {
      eventType: 'Send',
      mail: { messageId: 'ses-4', tags: { 'case-id': ['case-1'], effect: ['key-of-an-older-email'] } },
    });

    expect([outcome, gone]).toEqual(['ignored', 'ignored']);
    expect(await store.events('case-1')).toHaveLength(before);
  });

  it('records SES’s word of an email whose step has yet to record it, for the step to find', async () => {
    const key = 'key-of-an-unfinished-email';
    await store.update('case-1', 1, {
      set: { effects: { 'case-1/Send the receipt': { key, status: 'started', at: record.receivedAt } } },
    });

    const outcome = await recordMailEvent(deps(), {
      eventType: 'Send',
      mail: { messageId: 'ses-5', tags: { 'case-id': ['case-1'], effect: [key], template: ['receipt'] } },
    });

    expect(outcome).toBe('recorded');
    expect(
      (await store.events('case-1')).filter((e) => e.type === 'email-accepted').map((e) => e.detail),
    ).toEqual([{ effect: key, messageId: 'ses-5', template: 'receipt' }]);
  });

  it('leaves an email whose task is still open to its step, which confirms it from the same word', async () => {
    const key = 'key-of-an-open-task';
    await store.update('case-1', 1, {
      set: {
        effects: { 'case-1/Await acknowledgement': { key, status: 'started', at: record.receivedAt } },
        openTask: {
          taskId: key,
          name: 'acknowledge',
          officer: 'waste.team@example.gov.uk',
          taskToken: 't',
          issuedAt: record.receivedAt,
        },
      },
    });

    await recordMailEvent(deps(), {
      eventType: 'Send',
      mail: { messageId: 'ses-2', tags: { 'case-id': ['case-1'], effect: [key] } },
    });

    expect((await store.events('case-1')).some((e) => e.type === 'email-sent')).toBe(false);
    expect((await store.get('case-1'))?.effects?.['case-1/Await acknowledgement']?.status).toBe('started');
  });
});

describe('the complaints team’s alert of a bounce, exactly once', () => {
  const bounce = (address = 'ada@example.com') => ({
    eventType: 'Bounce',
    mail: { messageId: 'ses-race', tags: { 'case-id': ['case-1'], template: ['response'] } },
    bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: address }] },
  });
  const alerts = async () =>
    (await store.events('case-1')).filter(
      (e) => e.type === 'email-sent' && e.detail?.template === 'complaints-team-alert',
    );

  it('alerts the team once when two deliveries of the same bounce are recorded at the same time', async () => {
    // The queue delivers at least once, and two invocations may take copies of one event at once:
    // both read the history before either has recorded the alert.
    await Promise.all([recordMailEvent(deps(), bounce()), recordMailEvent(deps(), bounce())]);

    expect(sent).toEqual([{ template: 'complaints-team-alert', to: [policy.routing.complaintsTeam] }]);
    expect(await alerts()).toHaveLength(1);
  });

  it('hands a delivery that finds the alert going back to the queue, whose next delivery finds it sent', async () => {
    // The first delivery's alert is still on its way to SES when the second delivery reads the case.
    let release = () => {};
    const slowSes = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    const slow = {
      ...deps(),
      send: async (c: CaseRecord, template: string, to: string[]) => {
        if (calls++ === 0) await slowSes;
        return deps().send(c, template, to);
      },
    };

    const first = recordMailEvent(slow, bounce());
    const second = await recordMailEvent(slow, bounce()).then(
      () => undefined,
      (error: unknown) => error,
    );
    release();
    await first;
    // The second delivery failed, waiting for SES's word of the first one's alert (which may yet
    // fail to go); the queue delivers it again.
    expect((second as Error | undefined)?.name).toBe('EffectUnconfirmedError');
    expect(await recordMailEvent(slow, bounce())).toBe('recorded');

    expect(sent).toHaveLength(1);
    expect(await alerts()).toHaveLength(1);
  });

  it('alerts the team once when two bounce events of one message naming the resident arrive together', async () => {
    const both = {
      ...bounce(),
      bounce: {
        bounceType: 'Permanent',
        bouncedRecipients: [{ emailAddress: 'ada@example.com' }, { emailAddress: 'advocate@example.org' }],
      },
    };

    await Promise.all([recordMailEvent(deps(), bounce()), recordMailEvent(deps(), both)]);

    expect(sent).toHaveLength(1);
    expect(await alerts()).toHaveLength(1);
  });

  /**
   * SES takes the alert, and the function dies before recording it (a timeout): the send
   * resolves at SES, but the invocation never gets its answer. The effect's key it was tagged
   * with, if any, is kept so that SES's Send event for it can be delivered as SES would.
   */
  const diesAfterSending = (clock: { now: Date }) => {
    const tagged: { effect?: string; messageId: string }[] = [];
    let dies = true;
    return {
      tagged,
      deps: {
        ...deps(),
        now: () => clock.now,
        send: async (
          c: CaseRecord,
          template: string,
          to: string[],
          _extra?: unknown,
          options?: { effect?: string },
        ) => {
          const { messageId } = await deps().send(c, template, to);
          tagged.push({ messageId, ...(options?.effect === undefined ? {} : { effect: options.effect }) });
          if (dies) {
            dies = false;
            throw new Error('Task timed out after 30.00 seconds');
          }
          return { messageId };
        },
      },
    };
  };

  it('sends no second alert once SES’s word that it took the first is recorded', async () => {
    const clock = { now: new Date('2026-03-03T10:00:00Z') };
    const { deps: dying, tagged } = diesAfterSending(clock);

    await expect(recordMailEvent(dying, bounce())).rejects.toThrow('timed out');
    // SES's Send event of the alert, tagged with the case and the effect's key as the mailer tags it.
    const [first] = tagged;
    await recordMailEvent(dying, {
      eventType: 'Send',
      mail: {
        messageId: first?.messageId,
        tags: {
          'case-id': ['case-1'],
          effect: first?.effect === undefined ? [] : [first.effect],
          template: ['complaints-team-alert'],
        },
      },
    });
    clock.now = new Date('2026-03-03T10:03:00Z');
    await recordMailEvent(dying, bounce());

    expect(sent).toHaveLength(1);
    expect((await alerts()).map((e) => e.detail)).toEqual([
      {
        template: 'complaints-team-alert',
        problem: 'bounce',
        about: 'ses-race',
        messageId: first?.messageId,
      },
    ]);
  });

  it('waits the confirm window for SES’s word before it sends an alert that may have gone again', async () => {
    const clock = { now: new Date('2026-03-03T10:00:00Z') };
    const { deps: dying } = diesAfterSending(clock);

    await expect(recordMailEvent(dying, bounce())).rejects.toThrow('timed out');
    // The queue delivers the bounce again every three minutes; SES's word never comes.
    for (const at of ['10:03', '10:06', '10:09']) {
      clock.now = new Date(`2026-03-03T${at}:00Z`);
      await expect(recordMailEvent(dying, bounce())).rejects.toThrow();
      expect(sent).toHaveLength(1);
    }
    clock.now = new Date('2026-03-03T10:15:00Z');
    expect(await recordMailEvent(dying, bounce())).toBe('recorded');

    // The window is over: the alert is taken as never sent, and sent (the risk of a duplicate is logged).
    expect(sent).toHaveLength(2);
    expect(await alerts()).toHaveLength(1);
    expect((await store.events('case-1')).filter((e) => e.type === 'email-bounced')).toHaveLength(1);
  });

  it('takes a redelivery after longer than the queue waits as kept from the table, so the window starts again', () => {
    // The queue delivers a failed event again after its visibility timeout: a longer gap means the
    // invocations failed before asking (an outage), and SES's word was kept from the table too.
    expect(REDELIVERY_GAP_MS).toBeGreaterThan(EMAIL_EVENTS_DELIVERY.redeliverAfterSeconds * 1000);
  });

  it('leaves the workflow’s own effects on the case as it claims the alert', async () => {
    // A step's finished effect is what a retry of that step reads: the alert must not drop it.
    const effect = { key: 'key-of-the-receipt', status: 'done' as const, at: record.receivedAt };
    await store.update('case-1', 1, { set: { effects: { 'case-1/Send the receipt': effect } } });

    await recordMailEvent(deps(), bounce());

    expect((await store.get('case-1'))?.effects?.['case-1/Send the receipt']).toEqual(effect);
    expect(sent).toHaveLength(1);
  });
});
