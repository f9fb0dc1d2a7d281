import { afterEach, describe, expect, it } from 'vitest';
import { ServiceUnavailableError, ThrottledError } from '../../functions/adapters/errors.js';
import { adapter, provideAdapters } from '../../functions/app/container.js';
import { correspondence } from '../../functions/app/correspondence.js';
import {
  ActionForbiddenError,
  changeService,
  PartlyDoneError,
  reassign,
  type StaffActionDeps,
} from '../../functions/app/staff-actions.js';
import {
  acceptLateStage2,
  type CaseLifeDeps,
  designateVexatious,
  designationsDue,
  lettersToPost,
  markLetterPosted,
  reopenCase,
  reviewDesignation,
} from '../../functions/app/staff-case-actions.js';
import { addWorkingDays, endOfLondonDay, londonDate } from '../../functions/domain/calendar.js';
import { stage2LateRequestDeadline } from '../../functions/domain/case-clock.js';
import type { Mailer } from '../../functions/domain/ports.js';
import type { StaffMember } from '../../functions/domain/staff.js';
import type { HttpError, ValidationError } from '../../functions/http/errors.js';
import { formatLongDate } from '../../functions/templates/render-email.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { apiEvent } from '../support/api-event.js';
import { MemoryStaffStore } from '../support/memory-staff-store.js';
import { NOMINATED, TEAM } from '../support/staff-members.js';
import { staffSession, workspaceApi, workspaceDeps } from '../support/workspace-api.js';
import { dyingAfterSending, publishingSendEvents } from './faults.js';
import { BASE_URL, caseLifeDepsOf, complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

/**
 * The workspace's actions on a case's later life, run against the real complaint workflow on the
 * local engine: reopening a closed case (a fresh execution resumes at the response clock),
 * accepting a late stage-2 request, designating a complainant and reviewing it, and the letters
 * to print and post. Each checks the actor recorded and who is refused.
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

function officerOf(h: Harness): StaffMember {
  const service = complaintFrom(h).service as string;
  return { sub: 'sam', email: 'sam@example.gov.uk', name: 'Sam', roles: ['officer'], services: [service] };
}

/** Lets the workflows run until they wait again. */
const settle = () => h.advanceTo(h.clock.now().toISOString());

const justAfter = (iso: string | undefined, ms = 1000) =>
  new Date(Date.parse(iso as string) + ms).toISOString();

async function respondAtStage1(caseId: string) {
  await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
  await h.act(h.linkFor('respond'), {
    decision: 'respond',
    outcome: 'not-upheld',
    response: 'We looked into it and found the collection was made.',
  });
  return h.caseOf(caseId);
}

/** A stage-1 complaint answered, past the stage-2 window and the late-request period: closed. */
async function closedComplaint(overrides: Parameters<typeof complaintFrom>[1] = {}) {
  const c = await h.submit(complaintFrom(h, overrides));
  const responded = await respondAtStage1(c.caseId);
  await h.advanceTo(justAfter(responded.deadlines.stage2RequestBy));
  await h.advanceTo(justAfter(stage2LateRequestDeadline(h.policy, await h.caseOf(c.caseId))));
  const closed = await h.caseOf(c.caseId);
  expect(closed.status).toBe('closed');
  return closed;
}

async function refusal(run: Promise<unknown>): Promise<unknown> {
  return run.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error,
  );
}

describe('reopening a closed complaint', () => {
  it('starts a fresh execution at the response clock with the full response time from today', async () => {
    // Prepare
    h = await createHarness();
    const closed = await closedComplaint();
    const officer = closed.assignedTo as string;
    const tasksBefore = h.templates(officer).length;

    // Act
    await reopenCase(caseLifeDepsOf(h), TEAM, closed.reference, {
      reopenReason: 'The resident sent photographs showing the bin was not emptied.',
    });
    await settle();

    // Assess: the case is open at stage 1, its response clock counted from today.
    const reopened = await h.caseOf(closed.caseId);
    const today = londonDate(h.clock.now().toISOString());
    const days = h.policy.complaint.stage1.respond.workingDays;
    expect(reopened).toMatchObject({ status: 'investigating', stage: 1 });
    expect(reopened.closedAt).toBeUndefined();
    expect(reopened.deadlines.respondBy).toBe(
      endOfLondonDay(addWorkingDays(today, days, h.policy.calendar.nation, h.policy.calendar.closureDays)),
    );
    expect(reopened.reopenings?.[0]).toMatchObject({ by: TEAM.email, stage: 1 });
    expect(reopened.reopenings?.[0]?.previous.respondedAt).toBeDefined();
    const events = await h.store.events(closed.caseId);
    expect(events.find((e) => e.type === 'reopened')).toMatchObject({ actor: TEAM.email });
    // The workflow picked it up: the officer has the response task again.
    expect(await h.status(`${closed.caseId}_2`)).toBe('RUNNING');
    expect(h.states(`${closed.caseId}_2`)).toEqual(
      expect.arrayContaining(['Tell the resident the complaint is reopened', 'Await the response']),
    );
    expect(h.templates(officer).slice(tasksBefore)).toEqual(['officer-task']);
    expect(reopened.openTask).toMatchObject({ name: 'respond', officer });

    // Act again: the officer answers; the resident gets the response and may ask for stage 2.
    await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'upheld',
      response: 'Having seen the photographs we agree the bin was missed.',
    });
    const answered = await h.caseOf(closed.caseId);
    expect(answered).toMatchObject({ status: 'responded', outcome: 'upheld' });
    expect(h.templates(RESIDENT).at(-1)).toBe('response');
    expect(answered.openTask?.name).toBe('stage-2-request');
  });

  /**
   * The reopen form says "Your reason stays on the case": the case page shows it, so the officer
   * given the response task can read why it was reopened.
   */
  it('shows the reason for reopening on the case page, as the reopen form says it stays on the case', async () => {
    // Prepare
    h = await createHarness();
    const closed = await closedComplaint();
    const reason = 'The resident sent photographs showing the bin was not emptied.';
    await reopenCase(caseLifeDepsOf(h), TEAM, closed.reference, { reopenReason: reason });
    await settle();
    const staffStore = new MemoryStaffStore();
    const session = await staffSession(staffStore, TEAM, h.clock.now());
    const api = workspaceApi(
      workspaceDeps({ store: h.store as never, staffStore, policy: h.policy, now: () => h.clock.now() }),
    );

    // Act
    const page = await api(
      apiEvent('GET', `/staff/cases/${closed.reference}`, {
        headers: { Accept: 'text/html', Cookie: session.cookie },
      }),
    );

    const task = await h.view(h.linkFor('respond'));

    // Assess
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(reason);
    expect(task.body).toContain('Why it was reopened');
    expect(task.body).toContain(reason);
  });

  it('says beside the reopen reason box that the resident is told the date, and that the reason is not sent to them', async () => {
    // Prepare
    h = await createHarness();
    const closed = await closedComplaint();
    const staffStore = new MemoryStaffStore();
    const session = await staffSession(staffStore, TEAM, h.clock.now());
    const api = workspaceApi(
      workspaceDeps({ store: h.store as never, staffStore, policy: h.policy, now: () => h.clock.now() }),
    );
    const casePage = () =>
      api(
        apiEvent('GET', `/staff/cases/${closed.reference}`, {
          headers: { Accept: 'text/html', Cookie: session.cookie },
        }),
      );

    // Act
    const page = await casePage();

    // Assess: the hint, read out with the box it is about.
    expect(page.statusCode).toBe(200);
    const hint = /<div id="reopenReason-hint" class="govuk-hint">\s*([^<]*?)\s*<\/div>/.exec(page.body)?.[1];
    expect(hint).toBe(
      'The officer gets the response task again, with the full time to respond from today. The resident is told it is reopened and the date of the response, unless it is anonymous. Your reason stays on the case and is not sent to them.',
    );
    expect(page.body).toMatch(/<textarea[^>]*id="reopenReason"[^>]*aria-describedby="reopenReason-hint"/);

    // Act: reopened, as the hint says it goes.
    const reason = 'Councillor Smith says the crew lied: check with HR before replying.';
    await reopenCase(caseLifeDepsOf(h), TEAM, closed.reference, { reopenReason: reason });
    await settle();
    const after = await casePage();

    // Assess: told the date, not the reason, which stays on the case; the box is gone from an open case.
    const letter = h.sent.find((m) => m.template === 'reopened');
    expect(letter?.text).toContain('We will send you our response by');
    expect(`${letter?.text}${letter?.html}`).not.toContain('Councillor Smith');
    expect(after.body).toContain(reason);
    expect(after.body).not.toContain('reopenReason-hint');
  });

  /**
   * A complaint made for someone who never agreed is closed with "consent was not given":
   * reopening it would give the officer the response task and tell the representative it is being
   * looked at again, with no consent from the person it is about. It is refused.
   */
  it('does not hand an officer a complaint closed for want of consent without the consent', async () => {
    // Prepare: made for a neighbour who has not agreed; the complaints team records no consent.
    h = await createHarness();
    const c = await h.submit(
      complaintFrom(h, { onBehalfOf: { name: 'Grace Hopper', relationship: 'neighbour', consent: false } }),
    );
    await h.act(h.linkFor('consent'), {
      decision: 'no-consent',
      reason: 'Their neighbour said they did not agree.',
    });
    await settle();
    const closed = await h.caseOf(c.caseId);
    expect(closed.status).toBe('closed');

    // Act
    const reopening = await reopenCase(caseLifeDepsOf(h), TEAM, closed.reference, {
      reopenReason: 'The resident rang to ask what happened.',
    }).then(
      () => 'reopened',
      (error: unknown) => (error as Error).name,
    );
    await settle();

    // Assess: refused; never the response task, nor a "reopened" letter, without their agreement.
    const after = await h.caseOf(c.caseId);
    expect(reopening).toBe('ValidationError');
    expect(after.status).toBe('closed');
    expect(h.sent.map((m) => m.template)).not.toContain('reopened');
  });

  it('tells the resident once that it is reopened and by when they will have the response, without the officer’s reason', async () => {
    // Prepare
    h = await createHarness();
    const closed = await closedComplaint();
    const before = h.templates(RESIDENT);
    const reason = 'Councillor Smith says the crew lied: check with HR before replying.';

    // Act
    await reopenCase(caseLifeDepsOf(h), TEAM, closed.reference, { reopenReason: reason });
    await settle();
    await h.advanceTo(new Date(h.clock.now().getTime() + 3 * 86_400_000).toISOString());

    // Assess: one letter, naming the response date the reopening set, in the resident's words.
    const reopened = await h.caseOf(closed.caseId);
    expect(h.templates(RESIDENT).slice(before.length)).toEqual(['reopened']);
    const letter = h.sent.find((m) => m.template === 'reopened');
    expect(letter?.subject).toBe(`We have reopened your complaint (${closed.reference})`);
    expect(letter?.text).toContain('We have reopened your complaint and will look at it again.');
    expect(letter?.text).toContain(
      `We will send you our response by ${formatLongDate(reopened.deadlines.respondBy as string)}.`,
    );
    expect(letter?.text).not.toContain('Councillor');
    expect(letter?.text).not.toContain('not deal with your message as a complaint');
    const told = (await h.store.events(closed.caseId)).filter(
      (e) => e.type === 'email-sent' && e.detail?.template === 'reopened',
    );
    expect(told).toHaveLength(1);

    // The response still goes as before, and nothing about the reopening goes again.
    await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'upheld',
      response: 'Having seen the photographs we agree the bin was missed.',
    });
    expect(h.templates(RESIDENT).slice(before.length)).toEqual(['reopened', 'response']);
  });

  it('sends the letter once when the step dies right after SES took it, and goes on to the response task', async () => {
    // Prepare: the workflow's next email is taken by SES and the step dies before recording it.
    h = await createHarness();
    const closed = await closedComplaint();
    const before = h.templates(RESIDENT).length;
    const dying = dyingAfterSending(publishingSendEvents(adapter('mailer')));
    const died: (string | undefined)[] = [];
    provideAdapters({
      mailer: {
        ping: (signal) => dying.ping(signal),
        send: (message) =>
          dying.send(message).catch((error: unknown) => {
            died.push(message.template);
            throw error;
          }),
      },
    });

    // Act: the retry policy runs the state again.
    await reopenCase(caseLifeDepsOf(h), TEAM, closed.reference, { reopenReason: 'New evidence.' });
    await h.advanceTo(new Date(h.clock.now().getTime() + 15 * 60_000).toISOString());

    // Assess
    expect(died).toEqual(['reopened']);
    expect(h.templates(RESIDENT).slice(before)).toEqual(['reopened']);
    expect((await h.caseOf(closed.caseId)).openTask).toMatchObject({ name: 'respond' });
  });

  it('tells a resident sent elsewhere at first that their message is now a complaint, with the date', async () => {
    // Prepare: a first report triage sent elsewhere, closed.
    h = await createHarness();
    const c = await h.submit(
      complaintFrom(h, {
        summary: 'Please can you fill the pothole outside number 12 Elm Road.',
        desiredOutcome: undefined,
      }),
    );
    const closed = await h.caseOf(c.caseId);
    expect(closed).toMatchObject({ status: 'closed', kind: 'complaint', triage: { route: 'redirect' } });
    expect(h.templates(RESIDENT)).toEqual(['redirect']);

    // Act
    await reopenCase(caseLifeDepsOf(h), TEAM, closed.reference, {
      reopenReason: 'The resident reported it three times: it is a complaint about how we handled it.',
    });
    await settle();

    // Assess
    const reopened = await h.caseOf(c.caseId);
    expect(reopened.reopenings?.[0]?.route).toBe('redirect');
    expect(h.templates(RESIDENT)).toEqual(['redirect', 'reopened']);
    const letter = h.sent.find((m) => m.template === 'reopened');
    expect(letter?.subject).toBe(`We will now deal with your message as a complaint (${closed.reference})`);
    expect(letter?.text).toContain(
      'We wrote to you before to say that we would not deal with your message as a complaint. We have looked at it again, and we will now deal with it as a complaint.',
    );
    expect(letter?.text).toContain(
      `We will send you our response by ${formatLongDate(reopened.deadlines.respondBy as string)}.`,
    );
    expect(letter?.text).not.toContain('three times');
    expect(reopened.openTask).toMatchObject({ name: 'respond' });
    // Greeted as the redirect was: nothing the sender typed has gone to this address, which
    // nobody has confirmed, and the officer who reopened it read the message, not the name.
    expect(letter?.text.startsWith('Hello,\n\nWe wrote to you before')).toBe(true);
    expect(letter?.html).toContain('<p>Hello,</p>');
    expect(`${letter?.text}${letter?.html}`).not.toContain('Ada Lovelace');
  });

  it('greets a resident whose message triage passed to another team as that letter did, without the name typed', async () => {
    // Prepare: passed to the team for hate incidents at intake; the complaints team confirmed it,
    // and that the team picked it up.
    h = await createHarness();
    const c = await h.submit(
      complaintFrom(h, { summary: 'My neighbour shouts racist abuse at my children every day.' }),
    );
    await h.act(h.linkFor('confirm-exclusion'), { decision: 'confirm' });
    await h.act(h.linkFor('referral-check'), { decision: 'picked-up' });
    const closed = await h.caseOf(c.caseId);
    expect(closed).toMatchObject({ status: 'closed', triage: { route: 'refer' } });

    // Act
    await reopenCase(caseLifeDepsOf(h), TEAM, closed.reference, {
      reopenReason: 'It is about how the housing officer handled the reports.',
    });
    await settle();

    // Assess
    expect(h.templates(RESIDENT)).toEqual(['redirect', 'reopened']);
    const letter = h.sent.find((m) => m.template === 'reopened');
    expect(letter?.text).toMatch(
      /^Hello,\n\nWe wrote to you before to say that we would not deal with your message as a complaint\. We have looked at it again, and we will now deal with it as a complaint\.\n\n/,
    );
    expect(`${letter?.text}${letter?.html}`).not.toContain('Ada Lovelace');
  });

  it('tells a resident whose complaint an officer found a service request that it is now a complaint', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), {
      decision: 'not-a-complaint',
      redirect: 'Report the broken street light at example.gov.uk/report.',
    });
    const closed = await h.caseOf(c.caseId);
    expect(closed.status).toBe('closed');

    await reopenCase(caseLifeDepsOf(h), TEAM, closed.reference, {
      reopenReason: 'It was a complaint after all.',
    });
    await settle();

    expect(h.templates(RESIDENT)).toEqual(['receipt', 'not-a-complaint', 'reopened']);
    const letter = h.sent.find((m) => m.template === 'reopened');
    expect(letter?.subject).toBe(`We will now deal with your message as a complaint (${closed.reference})`);
    // Written to by name already, in the officer's "not a complaint" letter.
    expect(letter?.text.startsWith('Dear Ada Lovelace,\n\nWe wrote to you before')).toBe(true);
    expect(letter?.text).toContain(
      `We will send you our response by ${formatLongDate((await h.caseOf(c.caseId)).deadlines.respondBy as string)}.`,
    );
  });

  it('writes the letter for printing and posting for a resident who asked for post', async () => {
    // Prepare
    h = await createHarness();
    const closed = await closedComplaint({
      complainant: {
        name: 'Ada Lovelace',
        email: RESIDENT,
        address: '12 Mill Lane\nExampletown\nEX1 2AB',
        contactBy: 'post',
      },
    });
    const printsBefore = h.sent.filter((m) => m.template === 'print-and-post').length;

    // Act
    await reopenCase(caseLifeDepsOf(h), TEAM, closed.reference, { reopenReason: 'New evidence.' });
    await settle();

    // Assess: no email to the resident; one printed letter, on the list to post, and one request to post it.
    expect(h.sent.filter((m) => m.to.includes(RESIDENT))).toEqual([]);
    const written = (await h.store.events(closed.caseId)).filter(
      (e) => e.type === 'letter-written' && e.detail?.template === 'reopened',
    );
    expect(written).toHaveLength(1);
    const reopened = await h.caseOf(closed.caseId);
    expect(reopened.lettersToPost?.filter((l) => l.letter.startsWith('reopened-'))).toEqual([
      expect.objectContaining({ title: 'We have reopened your complaint' }),
    ]);
    const prints = h.sent.filter((m) => m.template === 'print-and-post').slice(printsBefore);
    expect(prints).toHaveLength(1);
    expect(prints[0]?.text).toContain('We have reopened your complaint');
    const stored = await h.archive.getLetter(closed.caseId, String(written[0]?.detail?.letter));
    expect(
      Buffer.from(stored ?? [])
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('tells nobody about an anonymous complaint reopened, and records that', async () => {
    // Prepare: an anonymous complaint the manager had investigated, answered and closed.
    h = await createHarness({ policy: 'unitary-feedback' });
    const c = await h.submit(complaintFrom(h, { anonymous: true, complainant: {} }));
    const manager =
      h.policy.routing.services.find((s) => s.id === c.service)?.manager ?? h.policy.routing.complaintsTeam;
    await h.act(h.linkFor('anonymous-review', manager), { decision: 'investigate' });
    await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'upheld',
      response: 'The street was not swept; it is now.',
    });
    const responded = await h.caseOf(c.caseId);
    await h.advanceTo(justAfter(responded.deadlines.stage2RequestBy));
    await h.advanceTo(justAfter(stage2LateRequestDeadline(h.policy, await h.caseOf(c.caseId))));
    const closed = await h.caseOf(c.caseId);
    expect(closed.status).toBe('closed');
    const sentBefore = h.sent.length;

    // Act
    await reopenCase(caseLifeDepsOf(h), TEAM, closed.reference, {
      reopenReason: 'The street is dirty again.',
    });
    await settle();

    // Assess: no letter, and the case says why; the officer still has the response task.
    expect(h.sent.slice(sentBefore).map((m) => m.template)).toEqual(['officer-task']);
    const untold = (await h.store.events(c.caseId)).filter(
      (e) => e.type === 'no-one-to-tell' && e.detail?.template === 'reopened',
    );
    expect(untold).toHaveLength(1);
    expect((await h.caseOf(c.caseId)).openTask).toMatchObject({ name: 'respond' });
  });

  it('reopens once when the button is pressed twice at the same moment', async () => {
    h = await createHarness();
    const closed = await closedComplaint();
    const body = { reopenReason: 'The resident sent photographs showing the bin was not emptied.' };

    const results = await Promise.allSettled([
      reopenCase(caseLifeDepsOf(h), TEAM, closed.reference, body),
      reopenCase(caseLifeDepsOf(h), TEAM, closed.reference, body),
    ]);
    await settle();

    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const second = results.find((r) => r.status === 'rejected')?.reason as ValidationError;
    expect(second.fields.reopenReason).toMatch(
      new RegExp(`^This case has been reopened already, by ${TEAM.email} at`),
    );
    const reopened = await h.caseOf(closed.caseId);
    expect(reopened.reopenings).toHaveLength(1);
    expect((await h.store.events(closed.caseId)).filter((e) => e.type === 'reopened')).toHaveLength(1);
    expect(h.templates(RESIDENT).filter((t) => t === 'reopened')).toHaveLength(1);
    expect(reopened.openTask).toMatchObject({ name: 'respond' });
  });

  it('leaves a reopening whose workflow Step Functions did not start for the reconciler, which starts it', async () => {
    h = await createHarness();
    const closed = await closedComplaint();
    const officer = closed.assignedTo as string;
    const tasksBefore = h.templates(officer).length;
    const base = caseLifeDepsOf(h);
    const throttled: CaseLifeDeps = {
      ...base,
      workflows: {
        ...base.workflows,
        start: async () => {
          throw new ThrottledError('workflows start: throttled by AWS');
        },
      },
    };

    const failed = await refusal(
      reopenCase(throttled, TEAM, closed.reference, { reopenReason: 'The resident sent photographs.' }),
    );

    expect(failed).toBeInstanceOf(PartlyDoneError);
    const open = await h.caseOf(closed.caseId);
    expect(open.status).toBe('investigating');
    expect(open.workflow?.reopening).toBe(`${closed.caseId}_2`);

    const result = await h.reconcile();

    expect(result.started).toBe(1);
    expect(await h.status(`${closed.caseId}_2`)).toBe('RUNNING');
    const running = await h.caseOf(closed.caseId);
    expect(running.workflow?.reopening).toBeUndefined();
    expect(running.workflow?.executionArn).toMatch(/:complaint:.+_2$/);
    expect(running.openTask).toMatchObject({ name: 'respond', officer });
    expect(h.templates(officer).slice(tasksBefore)).toEqual(['officer-task']);
    expect((await h.reconcile()).started).toBe(0);
    // The resident is told by the execution the reconciler started, once.
    expect(h.templates(RESIDENT).filter((t) => t === 'reopened')).toHaveLength(1);
  });

  it('refuses an officer, an open case and a reopening without a reason', async () => {
    h = await createHarness();
    const open = await h.submit(complaintFrom(h));
    expect(
      await refusal(reopenCase(caseLifeDepsOf(h), officerOf(h), open.reference, { reopenReason: 'x' })),
    ).toBeInstanceOf(ActionForbiddenError);
    const notClosed = await refusal(
      reopenCase(caseLifeDepsOf(h), TEAM, open.reference, { reopenReason: 'Again' }),
    );
    expect((notClosed as ValidationError).fields.reopenReason).toMatch(/Only a closed case/);
    const noReason = await refusal(
      reopenCase(caseLifeDepsOf(h), TEAM, open.reference, { reopenReason: '  ' }),
    );
    expect((noReason as ValidationError).fields).toHaveProperty('reopenReason');
    expect((await h.caseOf(open.caseId)).reopenings).toBeUndefined();
  });
});

describe('accepting a late stage-2 request in the workspace', () => {
  it('is the complaints team’s late-request decision: stage 2 starts, with the person as actor', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    const responded = await respondAtStage1(c.caseId);

    const early = await refusal(
      acceptLateStage2(caseLifeDepsOf(h), TEAM, c.reference, { lateReason: 'In hospital' }),
    );
    expect((early as ValidationError).fields.lateReason).toMatch(/has not ended/);
    await h.advanceTo(justAfter(responded.deadlines.stage2RequestBy));
    const officer = await refusal(
      acceptLateStage2(caseLifeDepsOf(h), officerOf(h), c.reference, { lateReason: 'In hospital' }),
    );
    expect(officer).toBeInstanceOf(ActionForbiddenError);
    const noReason = await refusal(acceptLateStage2(caseLifeDepsOf(h), TEAM, c.reference, {}));
    expect((noReason as ValidationError).fields).toHaveProperty('lateReason');

    await acceptLateStage2(caseLifeDepsOf(h), TEAM, c.reference, {
      lateReason: 'The resident was in hospital until 10 April.',
    });
    await settle();

    const record = await h.caseOf(c.caseId);
    expect(record).toMatchObject({ stage: 2, status: 'awaiting-acknowledgement' });
    expect(h.states(c.caseId)).toEqual(expect.arrayContaining(['Await a late request', 'Start stage 2']));
    const done = (await h.store.events(c.caseId)).find(
      (e) => e.type === 'task-done' && e.detail?.task === 'late-stage-2-request',
    );
    expect(done).toMatchObject({ actor: TEAM.email });
  });
});

describe('designating a complainant unreasonably persistent', () => {
  it('takes the nominated officer’s waiting decision, writes the restrictions and review date, and routes new contact', async () => {
    // Prepare: the officer referred the complaint to the nominated officer.
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), {
      decision: 'refer-vexatious',
      reason: 'Tenth complaint about the same bin this month.',
    });

    // Act
    const refused = await refusal(
      designateVexatious(caseLifeDepsOf(h), TEAM, c.reference, {
        designationReason: 'x',
        reviewDay: '1',
        reviewMonth: '6',
        reviewYear: '2026',
      }),
    );
    const badDate = await refusal(
      designateVexatious(caseLifeDepsOf(h), NOMINATED, c.reference, {
        designationReason: 'Persistent',
        reviewDay: '1',
        reviewMonth: '6',
        reviewYear: '2028',
      }),
    );
    await designateVexatious(caseLifeDepsOf(h), NOMINATED, c.reference, {
      designationReason: 'You have sent the same complaint ten times after our answer.',
      restrictions: ['no-further-correspondence', 'written-only'],
      reviewDay: '2',
      reviewMonth: '9',
      reviewYear: '2026',
    });
    await settle();
    const next = await h.submit(complaintFrom(h, { summary: 'And another thing about the bin.' }));

    // Assess
    expect(refused).toBeInstanceOf(ActionForbiddenError);
    expect((badDate as ValidationError).fields.reviewDate).toMatch(/within 12 months/);
    const record = await h.caseOf(c.caseId);
    expect(record).toMatchObject({
      status: 'closed',
      vexatious: true,
      designation: { by: NOMINATED.email, reviewBy: '2026-09-02' },
    });
    expect(h.states(c.caseId)).toContain('Tell the resident about the decision');
    const letter = h.sent.find((m) => m.template === 'vexatious-decision');
    expect(letter?.to).toEqual([RESIDENT]);
    expect(letter?.text).toContain('You have sent the same complaint ten times');
    expect(letter?.text).toContain(
      'We will not enter into any further correspondence with you about this matter.',
    );
    expect(letter?.text).toContain('in writing (by letter or email)');
    expect(letter?.text).toContain('We will review this decision by Wednesday 2 September 2026.');
    expect(next.triage.route).toBe('nominated-officer');
    const events = await h.store.events(c.caseId);
    expect(events.find((e) => e.type === 'designated-vexatious')).toMatchObject({ actor: NOMINATED.email });
    expect(events.filter((e) => e.type === 'task-done').at(-1)).toMatchObject({
      actor: NOMINATED.email,
      detail: { task: 'vexatious-decision', decision: 'designate' },
    });
  });

  it('keeps a designation once for one page’s review, however often its form is sent', async () => {
    // Prepare: a closed complaint designated from the workspace, its review date come.
    h = await createHarness();
    const closed = await closedComplaint();
    await designateVexatious(caseLifeDepsOf(h), NOMINATED, closed.reference, {
      designationReason: 'Repeated calls to officers about a closed matter.',
      reviewDay: '1',
      reviewMonth: '7',
      reviewYear: '2026',
    });
    await h.advanceTo('2026-07-01T08:00:00.000Z');
    const review = (formId: string) =>
      reviewDesignation(caseLifeDepsOf(h), NOMINATED, closed.reference, {
        reviewOutcome: 'keep',
        reviewReason: 'Still calling daily.',
        reviewDay: '1',
        reviewMonth: '10',
        reviewYear: '2026',
        formId,
      });

    // Act: one page's review sent three times (twice at once, then the back button); another page's.
    const answers = [...(await Promise.all([review('page-1'), review('page-1')])), await review('page-1')];
    answers.push(await review('page-2'));

    // Assess: each answered as the first; one review recorded for each page.
    expect(answers).toEqual(['kept', 'kept', 'kept', 'kept']);
    expect((await h.caseOf(closed.caseId)).designation?.reviews).toHaveLength(2);
    const kept = (await h.store.events(closed.caseId)).filter((e) => e.type === 'designation-kept');
    expect(kept).toHaveLength(2);
  });

  it('lists a designation on its review date, and once lifted new contact is handled as anyone’s', async () => {
    // Prepare: a closed complaint; the nominated officer designates from the workspace.
    h = await createHarness();
    const closed = await closedComplaint();
    const sentBefore = h.sent.length;
    await designateVexatious(caseLifeDepsOf(h), NOMINATED, closed.reference, {
      designationReason: 'Repeated calls to officers about a closed matter.',
      reviewDay: '1',
      reviewMonth: '7',
      reviewYear: '2026',
    });
    // The letter goes from the workspace: no workflow waits on this case any more.
    expect(h.sent.slice(sentBefore).map((m) => m.template)).toEqual(['vexatious-decision']);
    expect(await designationsDue(caseLifeDepsOf(h), TEAM)).toEqual([]);

    // Act: the review date comes.
    await h.advanceTo('2026-07-01T08:00:00.000Z');
    const due = await designationsDue(caseLifeDepsOf(h), TEAM);
    const early = await refusal(
      reviewDesignation(caseLifeDepsOf(h), TEAM, closed.reference, {
        reviewOutcome: 'lift',
        reviewReason: 'x',
      }),
    );
    await reviewDesignation(caseLifeDepsOf(h), NOMINATED, closed.reference, {
      reviewOutcome: 'lift',
      reviewReason: 'No contact for three months.',
    });
    const after = await h.submit(complaintFrom(h, { summary: 'A new problem with my bin.' }));

    // Assess
    expect(due.map((e) => e.reference)).toEqual([closed.reference]);
    expect(early).toBeInstanceOf(ActionForbiddenError);
    expect(await designationsDue(caseLifeDepsOf(h), TEAM)).toEqual([]);
    expect((await h.caseOf(closed.caseId)).designation?.liftedAt).toBeDefined();
    expect(after.triage.route).toBe('handle');
    expect((await h.store.events(closed.caseId)).at(-1)).toMatchObject({
      type: 'designation-lifted',
      actor: NOMINATED.email,
    });
  });
});

describe('a referral of a complainant who is designated already', () => {
  it('refuses "Do not designate" with how to lift the designation, and takes it once the review has lifted it', async () => {
    // Prepare: designated from the workspace while the complaint is investigated, then referred
    // again by its officer: the nominated officer's task opens on a designation that stands.
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await designateVexatious(caseLifeDepsOf(h), NOMINATED, c.reference, DESIGNATION_FORM);
    await h.act(h.linkFor('respond'), {
      decision: 'refer-vexatious',
      referralReason: 'Another forty emails since the designation.',
    });
    const token = h.linkFor('vexatious-decision');
    const before = await h.caseOf(c.caseId);
    const eventsBefore = (await h.store.events(c.caseId)).length;
    const sentBefore = h.sent.length;

    // Act
    const page = await h.view(token);
    const refused = await h.act(token, {
      decision: 'do-not-designate',
      reason: 'The contact is reasonable.',
    });

    // Assess: refused with the way to lift it; the designation and the case as they were.
    expect(refused.posted.statusCode).toBe(400);
    expect(page.body).toContain('The complainant is already designated');
    expect(page.body).toContain(
      `Designated Monday 2 March 2026 by ${NOMINATED.email}, to be reviewed by Wednesday 1 July 2026.`,
    );
    const text = refused.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain(
      'The complainant is already designated, and “Do not designate” does not lift it. To lift it, use “Review the designation” in the staff workspace, on the case it was made on, and choose “Lift the designation”, then decide here',
    );
    expect(await h.caseOf(c.caseId)).toEqual(before);
    expect((await h.store.events(c.caseId)).length).toBe(eventsBefore);
    expect(h.sent.length).toBe(sentBefore);

    // Act: the nominated officer lifts it as told, and decides again.
    await reviewDesignation(caseLifeDepsOf(h), NOMINATED, c.reference, {
      reviewOutcome: 'lift',
      reviewReason: 'The contact is reasonable now.',
    });
    const decided = await h.act(token, {
      decision: 'do-not-designate',
      reason: 'The contact is reasonable.',
    });

    // Assess: lifted by the review (in the history), and the complaint goes on as normal.
    expect(decided.posted.statusCode).toBe(303);
    const after = await h.caseOf(c.caseId);
    expect(after.designation?.liftedAt).toBeDefined();
    expect(after.vexatious).toBe(false);
    expect(after.openTask).toMatchObject({ name: 'respond' });
    const types = (await h.store.events(c.caseId)).map((e) => e.type);
    expect(types).toContain('designation-lifted');
    expect(types.indexOf('designation-lifted')).toBeLessThan(types.lastIndexOf('task-done'));
  });
});

describe('a referral on a new complaint from a complainant designated on another case', () => {
  it('refuses "Do not designate" while the designation on their earlier case stands', async () => {
    // Prepare: designated on their first complaint; their next complaint goes to the nominated
    // officer, who handles it as a complaint; its officer then refers it for designation.
    h = await createHarness();
    const first = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await designateVexatious(caseLifeDepsOf(h), NOMINATED, first.reference, DESIGNATION_FORM);
    const second = await h.submit(
      complaintFrom(h, { summary: 'Nobody has answered my last forty emails about the bins.' }),
    );
    await h.act(h.linkFor('nominated-contact'), { decision: 'handle' });
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.act(h.linkFor('respond'), {
      decision: 'refer-vexatious',
      referralReason: 'Another forty emails since the designation.',
    });

    // Act
    const refused = await h.act(h.linkFor('vexatious-decision'), {
      decision: 'do-not-designate',
      reason: 'The contact is reasonable.',
    });

    // Assess: the designation still stands on the first case and routes their contact; the
    // second must not go on "as normal" behind a decision saying they are not designated.
    expect((await h.caseOf(first.caseId)).designation?.liftedAt).toBeUndefined();
    expect(await h.store.complainantDesignated(RESIDENT)).toBe(true);
    expect(refused.posted.statusCode).toBe(400);
    expect((await h.caseOf(second.caseId)).vexatious).not.toBe(false);
  });
});

/** A designation's answers, as the nominated officer gives them in the workspace. */
const DESIGNATION_FORM = {
  designationReason: 'Forty emails in ten days about the same closed matter.',
  reviewDay: '1',
  reviewMonth: '7',
  reviewYear: '2026',
};

/** The email service could not be reached: certainly nothing sent. */
function emailUnreachable(): ServiceUnavailableError {
  return new ServiceUnavailableError('mailer send: connect ECONNREFUSED', {
    cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
  });
}

describe('designating while the email service does not answer', () => {
  it('keeps the letter owed, says so, and sends it once when the nominated officer sends it from the case page', async () => {
    h = await createHarness();
    const closed = await closedComplaint();
    const sentBefore = h.sent.length;
    let emailDown = true;
    const base = caseLifeDepsOf(h);
    const flaky: CaseLifeDeps = {
      ...base,
      send: async (...args) => {
        if (emailDown) {
          throw emailUnreachable();
        }
        return base.send(...args);
      },
    };
    const form = DESIGNATION_FORM;

    const failed = await refusal(designateVexatious(flaky, NOMINATED, closed.reference, form));

    expect(failed).toBeInstanceOf(PartlyDoneError);
    const owed = await h.caseOf(closed.caseId);
    expect(owed).toMatchObject({ vexatious: true, designation: { letterOwed: true } });
    expect(h.sent.length).toBe(sentBefore);

    // The email service answers again; the officer sends the letter (the form's fields are not asked again).
    emailDown = false;
    await designateVexatious(flaky, NOMINATED, closed.reference, {});
    await designateVexatious(flaky, NOMINATED, closed.reference, form).catch((error: unknown) => error);

    expect(h.sent.slice(sentBefore).map((m) => m.template)).toEqual(['vexatious-decision']);
    const paid = await h.caseOf(closed.caseId);
    expect(paid.designation?.letterOwed).toBeUndefined();
    expect(paid.designation?.reason).toBe(form.designationReason);
    const events = (await h.store.events(closed.caseId)).map((e) => e.type);
    expect(events.filter((t) => t === 'designated-vexatious')).toHaveLength(1);
    expect(events.at(-1)).toBe('email-sent');
  });

  it('does not send it again for 10 minutes when the email service failed without saying whether it took it', async () => {
    h = await createHarness();
    const closed = await closedComplaint();
    const sentBefore = h.sent.length;
    let failing = true;
    const base = caseLifeDepsOf(h);
    const uncertain: CaseLifeDeps = {
      ...base,
      send: async (...args) => {
        if (failing) throw new ServiceUnavailableError('mailer send: AWS service failure');
        return base.send(...args);
      },
    };
    const form = DESIGNATION_FORM;

    const failed = await refusal(designateVexatious(uncertain, NOMINATED, closed.reference, form));
    failing = false;
    const tooSoon = await refusal(designateVexatious(uncertain, NOMINATED, closed.reference, {}));
    await h.advanceTo(new Date(h.clock.now().getTime() + 11 * 60_000).toISOString());
    await designateVexatious(uncertain, NOMINATED, closed.reference, {});

    expect((failed as Error).message).toContain('Look at this page again in 10 minutes');
    expect(tooSoon).toBeInstanceOf(PartlyDoneError);
    expect((tooSoon as Error).message).toContain('has not been sent again');
    expect(h.sent.slice(sentBefore).map((m) => m.template)).toEqual(['vexatious-decision']);
    expect((await h.caseOf(closed.caseId)).designation?.letterOwed).toBeUndefined();
  });
});

describe('sending an owed decision letter', () => {
  const form = DESIGNATION_FORM;

  /** A designation made while the email service was down: its letter owed. */
  async function owedLetter(): Promise<{ caseId: string; reference: string; sentBefore: number }> {
    const closed = await closedComplaint();
    // The email service cannot be reached: certainly nothing sent.
    const down: CaseLifeDeps = {
      ...caseLifeDepsOf(h),
      send: async () => {
        throw emailUnreachable();
      },
    };
    await refusal(designateVexatious(down, NOMINATED, closed.reference, form));
    expect((await h.caseOf(closed.caseId)).designation?.letterOwed).toBe(true);
    return { caseId: closed.caseId, reference: closed.reference, sentBefore: h.sent.length };
  }

  it('sends one letter when two officers press "Send the decision letter" at the same moment', async () => {
    h = await createHarness();
    const owed = await owedLetter();
    const base = caseLifeDepsOf(h);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The email service is slow: both presses are under way before either has sent.
    const slow: CaseLifeDeps = {
      ...base,
      send: async (...args) => {
        await gate;
        return base.send(...args);
      },
    };

    const presses = [
      designateVexatious(slow, NOMINATED, owed.reference, {}),
      designateVexatious(slow, NOMINATED, owed.reference, {}),
    ];
    release();
    const outcomes = await Promise.allSettled(presses);

    expect(h.sent.slice(owed.sentBefore).map((m) => m.template)).toEqual(['vexatious-decision']);
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    for (const error of refused) {
      expect(error).toBeInstanceOf(PartlyDoneError);
      expect((error as Error).message).toContain('has not been sent again');
    }
    expect((await h.caseOf(owed.caseId)).designation?.letterOwed).toBeUndefined();
    const letters = (await h.store.events(owed.caseId)).filter(
      (e) => e.type === 'email-sent' && e.detail?.template === 'vexatious-decision',
    );
    expect(letters).toHaveLength(1);
  });

  it('does not send it again when the last send went but was not recorded: SES’s Send event settles it', async () => {
    h = await createHarness();
    const owed = await owedLetter();
    const mailer: Mailer = {
      async ping() {},
      async send(message) {
        h.sent.push(message);
        return { messageId: `w-${h.sent.length}` };
      },
    };
    const dying: CaseLifeDeps = {
      ...caseLifeDepsOf(h),
      send: correspondence(h.policy, dyingAfterSending(publishingSendEvents(mailer))),
    };

    const killed = await refusal(designateVexatious(dying, NOMINATED, owed.reference, {}));
    expect((await h.caseOf(owed.caseId)).designation?.letterOwed).toBe(true);
    await designateVexatious(dying, NOMINATED, owed.reference, {});

    expect(killed).toMatchObject({ name: 'Runtime.ExitError' });
    expect(h.sent.slice(owed.sentBefore).map((m) => m.template)).toEqual(['vexatious-decision']);
    const paid = await h.caseOf(owed.caseId);
    expect(paid.designation?.letterOwed).toBeUndefined();
    const letter = (await h.store.events(owed.caseId)).filter(
      (e) => e.detail?.template === 'vexatious-decision',
    );
    expect(letter.map((e) => e.type)).toEqual(['email-accepted', 'email-sent']);
  });

  it('puts one printed letter on the list for a complainant without email, however often it is sent', async () => {
    h = await createHarness();
    const closed = await closedComplaint({
      complainant: { name: 'Mary Somerville', address: '12 Example Street, Exampletown EX1 2AB' },
    });
    const down: CaseLifeDeps = {
      ...caseLifeDepsOf(h),
      // The archive as it is, but for writing letters.
      archive: Object.assign(Object.create(h.archive), {
        putLetter: async () => {
          throw new ServiceUnavailableError('archive putLetter: AWS service failure');
        },
      }),
    };
    await refusal(designateVexatious(down, NOMINATED, closed.reference, form));

    await Promise.allSettled([
      designateVexatious(caseLifeDepsOf(h), NOMINATED, closed.reference, {}),
      designateVexatious(caseLifeDepsOf(h), NOMINATED, closed.reference, {}),
    ]);
    await designateVexatious(caseLifeDepsOf(h), NOMINATED, closed.reference, {}).catch(() => undefined);

    const paid = await h.caseOf(closed.caseId);
    expect(paid.designation?.letterOwed).toBeUndefined();
    expect(paid.lettersToPost?.filter((l) => l.letter.startsWith('vexatious-decision'))).toHaveLength(1);
  });
});

describe('letters to print and post', () => {
  it('lists a resident’s printed letters oldest first until marked posted, naming who posted them', async () => {
    // Prepare: a resident with a postal address and no email.
    h = await createHarness();
    const c = await h.submit(
      complaintFrom(h, {
        complainant: { name: 'Mary Somerville', address: '12 Example Street, Exampletown EX1 2AB' },
      }),
    );
    await h.advanceTo('2026-03-02T11:00:00.000Z');
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);

    // Act
    const page = await lettersToPost(caseLifeDepsOf(h), TEAM);
    const first = page.entries[0];
    const officer = await refusal(lettersToPost(caseLifeDepsOf(h), officerOf(h)));
    await markLetterPosted(caseLifeDepsOf(h), TEAM, c.reference, first?.letter);
    const again = await refusal(markLetterPosted(caseLifeDepsOf(h), TEAM, c.reference, first?.letter));
    const rest = await lettersToPost(caseLifeDepsOf(h), TEAM);

    // Assess
    expect(page.entries.map((e) => e.title)).toEqual([
      'We have received your complaint',
      'Your complaint is being looked into',
    ]);
    expect(page.entries.map((e) => e.at)).toEqual([...page.entries.map((e) => e.at)].sort());
    expect(officer).toBeInstanceOf(ActionForbiddenError);
    expect((again as HttpError).statusCode).toBe(409);
    expect(rest.entries.map((e) => e.letter)).toEqual([page.entries[1]?.letter]);
    const posted = (await h.store.events(c.caseId)).filter((e) => e.type === 'letter-posted');
    expect(posted).toEqual([
      expect.objectContaining({
        actor: TEAM.email,
        detail: expect.objectContaining({ letter: first?.letter }),
      }),
    ]);
    expect(await h.archive.getLetter(c.caseId, first?.letter as string)).toBeDefined();
  });
});

describe('a statutory social care complaint sent with another service', () => {
  function staffDeps(h: Harness): StaffActionDeps {
    return {
      ...caseLifeDepsOf(h),
      staffStore: new MemoryStaffStore(),
      newId: () => 'unused',
      baseUrl: BASE_URL,
    } as unknown as StaffActionDeps;
  }
  const CARE = 'The council carer did not turn up for my mother three times this month.';

  it('goes to the social care team, whose procedure it follows, not to the service chosen', async () => {
    h = await createHarness();
    const socialCare = h.policy.routing.services.find((s) => s.redirect?.kind === 'social-care');

    const c = await h.submit(complaintFrom(h, { service: 'highways', summary: CARE }));

    expect(c).toMatchObject({ kind: 'social-care', service: socialCare?.id });
    expect(c.triage.reasons).toContain(
      'Sent with the service Highways and street lighting: handled by Adult social care, whose team follows that procedure.',
    );
    expect((await h.caseOf(c.caseId)).openTask).toMatchObject({
      name: 'acknowledge',
      officer: socialCare?.mailbox,
    });
    expect(h.linkFor('acknowledge', socialCare?.mailbox)).toBeTruthy();
  });

  it('hands its waiting task, which cannot be sent on from its form, to whoever the workspace sends the case to', async () => {
    h = await createHarness();
    const socialCare = h.policy.routing.services.find((s) => s.redirect?.kind === 'social-care');
    const c = await h.submit(complaintFrom(h, { service: socialCare?.id, summary: CARE }));
    const oldLink = h.linkFor('acknowledge', socialCare?.mailbox);
    const worker = h.policy.routing.complaintsTeam;

    const outcome = await reassign(staffDeps(h), TEAM, c.reference, worker);

    expect(outcome.message).toBe(
      `The case and its waiting task are now with ${worker}, who has been emailed a link to it.`,
    );
    const record = await h.caseOf(c.caseId);
    expect(record).toMatchObject({ assignedTo: worker, openTask: { name: 'acknowledge', officer: worker } });
    // The social care team's link no longer acts: the task is with the new officer.
    expect((await h.act(oldLink, ACKNOWLEDGE)).statusCode).toBe(403);
    const acted = await h.act(h.linkFor('acknowledge', worker), ACKNOWLEDGE);
    expect(acted.statusCode, acted.body).toBe(200);
    expect(h.templates(RESIDENT)).toContain('acknowledgement');
  });

  it('hands its waiting task with the case when the case is moved to another service', async () => {
    h = await createHarness();
    const socialCare = h.policy.routing.services.find((s) => s.redirect?.kind === 'social-care');
    const highways = h.policy.routing.services.find((s) => s.id === 'highways');
    const c = await h.submit(complaintFrom(h, { service: socialCare?.id, summary: CARE }));

    await changeService(staffDeps(h), TEAM, c.reference, 'highways');

    const record = await h.caseOf(c.caseId);
    expect(record).toMatchObject({
      service: 'highways',
      openTask: { name: 'acknowledge', officer: highways?.mailbox },
    });
    const acted = await h.act(h.linkFor('acknowledge', highways?.mailbox), ACKNOWLEDGE);
    expect(acted.statusCode, acted.body).toBe(200);
  });
});

describe('passing on a case no officer’s task waits on', () => {
  it('emails the team or officer it is passed to a link to it, once however often it is sent', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await respondAtStage1(c.caseId);
    const to = h.policy.routing.complaintsTeam;
    const staffDeps = {
      ...caseLifeDepsOf(h),
      staffStore: new MemoryStaffStore(),
      newId: () => 'unused',
      baseUrl: BASE_URL,
    } as unknown as StaffActionDeps;
    const before = h.sent.length;

    const outcome = await reassign(staffDeps, TEAM, c.reference, to);
    const again = await reassign(staffDeps, TEAM, c.reference, to);

    expect(outcome.message).toBe(`The case is now with ${to}, who has been emailed a link to it.`);
    expect(again.message).toBe(`The case is already with ${to}.`);
    const told = h.sent.slice(before);
    expect(told.map((m) => [m.template, m.to])).toEqual([['case-assigned', [to]]]);
    expect(told[0]?.text).toContain(`${TEAM.name} has passed case ${c.reference} to you`);
    expect(told[0]?.text).toContain('No task is waiting on it now');
    expect(told[0]?.text).toMatch(new RegExp(`Open the case: ${BASE_URL}/cases/${c.reference}\\?link=`));
  });
});
