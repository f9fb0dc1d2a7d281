import { randomUUID } from 'node:crypto';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workListKey } from '../../functions/adapters/case-table.js';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { DynamoDbHoldReminders } from '../../functions/adapters/dynamodb-hold-reminders.js';
import { S3RecordsControl } from '../../functions/adapters/s3-records-control.js';
import { type HoldReviewDeps, remindHoldReviews, SEND_WINDOW_MS } from '../../functions/app/hold-reviews.js';
import {
  legalHolds,
  liftHold,
  placeHold,
  type RetentionDeps,
  reviewHold,
} from '../../functions/app/retention-actions.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { EmailMessage, HoldReminders, Mailer } from '../../functions/domain/ports.js';
import type { StaffMember } from '../../functions/domain/staff.js';
import { HttpError } from '../../functions/http/errors.js';
import { type CaseTableOnStandIns, newCaseTable, startCaseTable } from '../support/case-table.js';
import { MemoryAuditLog } from '../support/memory-audit-log.js';
import { MemoryMailer } from '../support/memory-mailer.js';
import { RECEIVED_EVENT, storedCase } from '../support/stored-case.js';

/**
 * The list of cases under a legal hold and the reminder when a hold's review date comes, on
 * DynamoDB Local (the holds list is the case table's `WORKLIST#hold` partition, the reminder's
 * outbox one item beside it) and the S3 stand-in (the archive's hold tags). Each test has a table
 * of its own, so each list holds only its own cases.
 */

const policy = loadPolicy('lgsco-code-2024');
const BASE_URL = 'https://complaints.council.example';

const dana: StaffMember = {
  sub: 'dana',
  email: 'dana.okafor@council.example',
  name: 'Dana Okafor',
  roles: ['data-protection'],
  services: [],
};
const officer: StaffMember = {
  sub: 'sam',
  email: 'sam@council.example',
  name: 'Sam',
  roles: ['officer'],
  services: ['housing-repairs'],
};

let table: CaseTableOnStandIns;
let control: S3RecordsControl;

beforeAll(async () => {
  table = await startCaseTable(['dynamodb', 's3']);
  control = new S3RecordsControl({ bucket: table.standIns.bucket, client: table.s3 });
}, 120_000);

afterAll(async () => {
  await table?.stop();
});

/** A case table of the test's own, the store and the reminder's outbox on it. */
async function freshTable() {
  const tableName = await newCaseTable();
  return {
    tableName,
    store: new DynamoDbCaseStore({ tableName }),
    reminders: new DynamoDbHoldReminders({ tableName }),
  };
}

function retention(store: DynamoDbCaseStore, now: string): RetentionDeps {
  return {
    store,
    control,
    audit: new MemoryAuditLog(),
    policy,
    now: () => new Date(now),
    newId: () => randomUUID(),
  };
}

function reminding(
  store: DynamoDbCaseStore,
  reminders: HoldReminders,
  mailer: Mailer,
  now: string,
): HoldReviewDeps {
  return {
    store,
    reminders,
    policy,
    mailer,
    now: () => new Date(now),
    newId: () => randomUUID(),
    baseUrl: BASE_URL,
  };
}

async function closedCase(store: DynamoDbCaseStore): Promise<CaseRecord> {
  const record = storedCase({ service: 'housing-repairs' });
  await store.create(record, RECEIVED_EVENT);
  return store.update(record.caseId, 1, {
    set: { status: 'closed', closedAt: '2026-06-30T15:00:00.000Z', deadlines: {} },
    event: { at: '2026-06-30T15:00:00.000Z', type: 'closed', actor: 'workflow' },
  });
}

const reviewBy = (date: string) => {
  const [year, month, day] = date.split('-');
  return { 'holdReview-day': day, 'holdReview-month': month, 'holdReview-year': year };
};
const nextReview = (date: string) => {
  const [year, month, day] = date.split('-');
  return { 'holdNextReview-day': day, 'holdNextReview-month': month, 'holdNextReview-year': year };
};

const PLACED = '2026-07-01T09:00:00.000Z';

describe('the list of legal holds', () => {
  it('lists every held case by review date, with reason, who and when; a new review date moves it and a lift takes it off', async () => {
    // Prepare: three closed cases held, one without a review date, and one not held.
    const { store } = await freshTable();
    const a = await closedCase(store);
    const b = await closedCase(store);
    const c = await closedCase(store);
    const notHeld = await closedCase(store);
    const deps = retention(store, PLACED);
    await placeHold(deps, dana, a.reference, {
      holdReason: 'ombudsman',
      holdNote: 'LGSCO 26 001 234',
      ...reviewBy('2026-10-01'),
    });
    await placeHold(deps, dana, b.reference, { holdReason: 'litigation', ...reviewBy('2026-09-01') });
    await placeHold(deps, dana, c.reference, { holdReason: 'regulator' });

    // Act
    const listed = await legalHolds({ store }, dana);

    // Assess: earliest review date first, the hold without one last; the note stays on the case.
    expect(listed.entries.map((e) => e.reference)).toEqual([b.reference, a.reference, c.reference]);
    expect(listed.entries.map((e) => e.reference)).not.toContain(notHeld.reference);
    expect(listed.entries[1]?.hold).toEqual({
      reason: 'ombudsman',
      by: dana.email,
      placedAt: PLACED,
      reviewBy: '2026-10-01',
    });
    expect(listed.entries[2]?.hold).toEqual({ reason: 'regulator', by: dana.email, placedAt: PLACED });
    expect(JSON.stringify(listed)).not.toContain('LGSCO 26 001 234');

    // Act: b is reviewed and kept until next year; a is lifted.
    await reviewHold(
      retention(store, '2026-08-03T10:00:00.000Z'),
      dana,
      b.reference,
      nextReview('2027-03-01'),
    );
    await liftHold(retention(store, '2026-08-03T10:00:00.000Z'), dana, a.reference);

    // Assess
    const after = await legalHolds({ store }, dana);
    expect(after.entries.map((e) => [e.reference, e.hold?.reviewBy])).toEqual([
      [b.reference, '2027-03-01'],
      [c.reference, undefined],
    ]);
    expect(after.entries[0]?.hold?.placedAt).toBe(PLACED);
  });

  it('puts a hold placed before the list existed on it when the work lists are indexed', async () => {
    // Prepare: a held case whose list entry was never written (as on a table upgraded to this).
    const { store, tableName } = await freshTable();
    const held = await closedCase(store);
    await placeHold(retention(store, PLACED), dana, held.reference, {
      holdReason: 'litigation',
      ...reviewBy('2026-09-01'),
    });
    const [entry] = (await legalHolds({ store }, dana)).entries;
    await table.raw.send(
      new DeleteCommand({ TableName: tableName, Key: workListKey('hold', entry?.sort ?? '') }),
    );
    expect((await legalHolds({ store }, dana)).entries).toEqual([]);

    // Act: `npm run worklists:index`.
    await store.indexWorkLists();

    // Assess
    expect((await legalHolds({ store }, dana)).entries).toEqual([entry]);
  });

  it('is refused to staff who may not place holds', async () => {
    const { store } = await freshTable();
    await expect(legalHolds({ store }, officer)).rejects.toMatchObject({ statusCode: 403 });
    await expect(legalHolds({ store }, officer)).rejects.toBeInstanceOf(HttpError);
  });

  it('refuses a next review date that is missing or not in the future, changing nothing', async () => {
    const { store } = await freshTable();
    const held = await closedCase(store);
    await placeHold(retention(store, PLACED), dana, held.reference, {
      holdReason: 'litigation',
      ...reviewBy('2026-09-01'),
    });
    const deps = retention(store, '2026-08-03T10:00:00.000Z');
    await expect(reviewHold(deps, dana, held.reference, {})).rejects.toMatchObject({
      fields: { holdNextReview: 'Enter the next review date' },
    });
    await expect(reviewHold(deps, dana, held.reference, nextReview('2026-08-03'))).rejects.toMatchObject({
      fields: { holdNextReview: 'The next review date must be in the future' },
    });
    expect((await store.get(held.caseId))?.legalHold?.reviewBy).toBe('2026-09-01');
  });
});

describe('the hold review reminder', () => {
  it('emails the mailbox once when review dates come, however often and however many at once the job runs', async () => {
    // Prepare: two holds due on 1 September, one later.
    const { store, reminders } = await freshTable();
    const due1 = await closedCase(store);
    const due2 = await closedCase(store);
    const later = await closedCase(store);
    const deps = retention(store, PLACED);
    await placeHold(deps, dana, due1.reference, { holdReason: 'litigation', ...reviewBy('2026-09-01') });
    await placeHold(deps, dana, due2.reference, { holdReason: 'ombudsman', ...reviewBy('2026-08-20') });
    await placeHold(deps, dana, later.reference, { holdReason: 'other', ...reviewBy('2026-12-01') });
    const mailer = new MemoryMailer();

    // Act: nothing is due the day before; on the day, two runs at once, then two more later.
    await remindHoldReviews(reminding(store, reminders, mailer, '2026-08-19T06:00:00.000Z'));
    expect(mailer.sent).toEqual([]);
    const onTheDay = reminding(store, reminders, mailer, '2026-09-01T06:00:00.000Z');
    await Promise.all([remindHoldReviews(onTheDay), remindHoldReviews(onTheDay)]);
    await remindHoldReviews(onTheDay);
    await remindHoldReviews(reminding(store, reminders, mailer, '2026-09-02T06:00:00.000Z'));

    // Assess: one email, to the complaints team, listing the two due holds with links to their cases.
    expect(mailer.sent).toHaveLength(1);
    const [email] = mailer.sent as [EmailMessage];
    expect(email.to).toEqual([policy.routing.complaintsTeam]);
    expect(email.subject).toBe('2 legal holds are due for review');
    for (const r of [due1, due2]) {
      expect(email.text).toContain(`Open the case: ${BASE_URL}/staff/cases/${r.reference}`);
      expect(email.html).toContain(`href="${BASE_URL}/staff/cases/${r.reference}"`);
    }
    expect(email.text).toContain('Review by 20 August 2026');
    expect(email.text).toContain(`Placed by ${dana.email} on 1 July 2026 at 10:00am`);
    expect(email.text).not.toContain(later.reference);
    expect(email.text).not.toContain('Ada');
    // Each case records the reminder; the list shows it; the outbox is empty again.
    expect((await store.get(due1.caseId))?.legalHold?.remindedFor).toBe('2026-09-01');
    expect(
      (await store.events(due1.caseId)).filter((e) => e.type === 'legal-hold-review-reminded'),
    ).toHaveLength(1);
    const listed = await legalHolds({ store }, dana);
    expect(listed.entries.map((e) => e.hold?.reminded ?? false)).toEqual([true, true, false]);
    expect(await reminders.pending()).toBeUndefined();
  });

  it('reminds again on the new review date after a review, and never of a lifted hold', async () => {
    // Prepare: two holds, both reminded of on 1 September.
    const { store, reminders } = await freshTable();
    const kept = await closedCase(store);
    const lifted = await closedCase(store);
    await placeHold(retention(store, PLACED), dana, kept.reference, {
      holdReason: 'litigation',
      ...reviewBy('2026-09-01'),
    });
    await placeHold(retention(store, PLACED), dana, lifted.reference, {
      holdReason: 'litigation',
      ...reviewBy('2026-09-01'),
    });
    const mailer = new MemoryMailer();
    await remindHoldReviews(reminding(store, reminders, mailer, '2026-09-01T06:00:00.000Z'));
    expect(mailer.sent).toHaveLength(1);

    // Act: one is kept until 1 October, the other lifted.
    const reviewed = retention(store, '2026-09-02T10:00:00.000Z');
    await reviewHold(reviewed, dana, kept.reference, nextReview('2026-10-01'));
    await liftHold(reviewed, dana, lifted.reference);
    await remindHoldReviews(reminding(store, reminders, mailer, '2026-09-30T06:00:00.000Z'));
    await remindHoldReviews(reminding(store, reminders, mailer, '2026-10-01T06:00:00.000Z'));
    await remindHoldReviews(reminding(store, reminders, mailer, '2026-10-01T07:00:00.000Z'));

    // Assess: one more email, for the kept hold alone, on its new date.
    expect(mailer.sent).toHaveLength(2);
    expect(mailer.sent[1]?.subject).toBe('A legal hold is due for review');
    expect(mailer.sent[1]?.text).toContain(kept.reference);
    expect(mailer.sent[1]?.text).toContain('Review by 1 October 2026');
    expect(mailer.sent[1]?.text).not.toContain(lifted.reference);
    expect((await legalHolds({ store }, dana)).entries.map((e) => e.reference)).toEqual([kept.reference]);
  });

  it('finishes a run that died after SES took the email without sending it again', async () => {
    // Prepare: the outbox records SES's answer, and the run dies right after.
    const { store, reminders } = await freshTable();
    const held = await closedCase(store);
    await placeHold(retention(store, PLACED), dana, held.reference, {
      holdReason: 'litigation',
      ...reviewBy('2026-09-01'),
    });
    const mailer = new MemoryMailer();
    const dying: HoldReminders = {
      pending: () => reminders.pending(),
      claim: (r) => reminders.claim(r),
      retake: (id, startedAt, at) => reminders.retake(id, startedAt, at),
      finish: (id) => reminders.finish(id),
      sent: async (id, at, messageId) => {
        await reminders.sent(id, at, messageId);
        throw new Error('the function timed out');
      },
    };
    await expect(
      remindHoldReviews(reminding(store, dying, mailer, '2026-09-01T06:00:00.000Z')),
    ).rejects.toThrow('timed out');
    expect((await store.get(held.caseId))?.legalHold?.remindedFor).toBeUndefined();

    // Act: Lambda's retry a minute later.
    const result = await remindHoldReviews(reminding(store, reminders, mailer, '2026-09-01T06:01:00.000Z'));

    // Assess
    expect(result).toEqual({ reminded: 0, emailed: false, waiting: false });
    expect(mailer.sent).toHaveLength(1);
    expect((await store.get(held.caseId))?.legalHold?.remindedFor).toBe('2026-09-01');
    expect(await reminders.pending()).toBeUndefined();
  });

  it('leaves a reminder SES did not answer to its run for a while, then sends it once', async () => {
    // Prepare: SES fails the first attempt.
    const { store, reminders } = await freshTable();
    const held = await closedCase(store);
    await placeHold(retention(store, PLACED), dana, held.reference, {
      holdReason: 'litigation',
      ...reviewBy('2026-09-01'),
    });
    const mailer = new MemoryMailer();
    const down: Mailer = {
      ping: async () => undefined,
      send: async () => {
        throw new Error('SES is not answering');
      },
    };
    const start = Date.parse('2026-09-01T06:00:00.000Z');
    const at = (ms: number) => new Date(start + ms).toISOString();
    await expect(remindHoldReviews(reminding(store, reminders, down, at(0)))).rejects.toThrow('SES');

    // Act: a run within the window, then two after it.
    const early = await remindHoldReviews(reminding(store, reminders, mailer, at(60_000)));
    const late = reminding(store, reminders, mailer, at(SEND_WINDOW_MS + 1));
    await Promise.all([remindHoldReviews(late), remindHoldReviews(late)]);

    // Assess
    expect(early).toEqual({ reminded: 0, emailed: false, waiting: true });
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]?.text).toContain(held.reference);
    expect((await store.get(held.caseId))?.legalHold?.remindedFor).toBe('2026-09-01');
    expect(await reminders.pending()).toBeUndefined();
  });
});
