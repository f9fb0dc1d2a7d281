import { afterEach, describe, expect, it } from 'vitest';
import { reassign, type StaffActionDeps } from '../../functions/app/staff-actions.js';
import type { StaffMember } from '../../functions/domain/staff.js';
import { casePage } from '../../functions/web/render.js';
import { statusPage } from '../../functions/web/resident-pages.js';
import { staffCasePage, staffQueuePage } from '../../functions/web/staff-pages.js';
import { inProcessWorkflowEngine } from '../../infra/local/workflow-runtime.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { MemoryStaffStore } from '../support/memory-staff-store.js';
import { TEAM } from '../support/staff-members.js';
import { createHarness, type Harness, RESIDENT, SECRET } from './harness.js';

/**
 * The smaller workflows: compliments, comments, representations, and the statutory social
 * care procedure, each on the real ASL file with the clock under the test's control.
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

const resident = { name: 'Ada Lovelace', email: RESIDENT };
/** A page's words, without its markup. */
const words = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const justAfter = (iso: string | undefined, ms = 1000) =>
  new Date(Date.parse(iso as string) + ms).toISOString();

describe('compliment workflow', () => {
  it('acknowledges the compliment, passes it to the service and records the staff named', async () => {
    h = await createHarness();
    const service = h.policy.routing.services.find((s) => !s.redirect) as { id: string; mailbox?: string };
    const c = await h.submit({
      kind: 'compliment',
      service: service.id,
      summary: 'Sam on the bin round helped me with my heavy bin every week while I was ill.',
      complainant: resident,
    });

    await h.act(h.linkFor('compliment-pass-on'), {
      decision: 'passed-on',
      staffNamed: 'Sam Jones',
      response: 'Passed to Sam and their manager.',
    });

    expect(h.states(c.caseId, 'compliment')).toEqual(
      expect.arrayContaining([
        'Acknowledge the compliment',
        'Pass it to the service',
        'Record the reply and close the case',
      ]),
    );
    expect(h.templates(RESIDENT)).toEqual(['compliment-acknowledgement']);
    expect(h.templates(service.mailbox)).toEqual(['compliment-to-staff', 'officer-task']);
    expect(await h.caseOf(c.caseId)).toMatchObject({ status: 'closed', staffNamed: ['Sam Jones'] });
    expect(await h.status(c.caseId, 'compliment')).toBe('SUCCEEDED');
  });
});

describe('a compliment waiting on its service, as officers and the resident see it', () => {
  it('reads as thanked and to pass on to staff, by its date, with no stage and no acknowledgement to make', async () => {
    // Prepare: a compliment through the real workflow, to the wait for the service to pass it on.
    const c = await complimentWaiting();
    const record = await h.caseOf(c.caseId);
    const events = await h.store.events(c.caseId);
    expect(record.openTask?.name).toBe('compliment-pass-on');

    // Act: the staff queue, the case page and the resident's own page.
    const queue = words(
      staffQueuePage({
        staff: TEAM,
        csrf: 'c',
        policy: h.policy,
        records: [record],
        now: new Date(record.receivedAt),
        filter: { view: 'all', due: 'any' },
      }),
    );
    const casePageWords = words(casePage({ record, events }));
    const residentPage = words(statusPage({ policy: h.policy, record, events, csrf: 'c', grounds: [] }));

    // Assess: the complaint procedure's words, which do not apply to a compliment, are gone.
    for (const page of [queue, casePageWords]) {
      expect(page).toContain('To pass on to staff');
      expect(page).not.toContain('Awaiting acknowledgement');
    }
    expect(casePageWords).toMatch(/Pass on to staff by \w+day \d+ \w+ \d{4}/);
    expect(casePageWords).not.toContain('Acknowledge by');
    expect(residentPage).not.toMatch(/Stage|Not staged/);
    expect(residentPage).toContain('Status Received');
  });
});

describe('a comment and a representation waiting for their reply, as officers see them', () => {
  it('reads as to reply to or to give feedback, not as awaiting an acknowledgement their receipt already made', async () => {
    // Prepare: a comment and a representation through the real workflows, to the wait for the reply.
    h = await createHarness({ policy: 'unitary-feedback' });
    const comment = await h.submit({
      kind: 'comment',
      summary: 'The library could open later on Thursdays for people who work.',
      complainant: resident,
    });
    const representation = await h.submit({
      kind: 'representation',
      summary: 'The policy of charging for garden waste collections is unfair to pensioners.',
      complainant: resident,
    });
    const records = [await h.caseOf(comment.caseId), await h.caseOf(representation.caseId)];
    expect(records.map((r) => r.openTask?.name)).toEqual(['comment-reply', 'representation-feedback']);
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'receipt']);

    // Act: the staff queue and each case page.
    const queue = words(
      staffQueuePage({
        staff: TEAM,
        csrf: 'c',
        policy: h.policy,
        records,
        now: new Date(records[0]?.receivedAt as string),
        filter: { view: 'all', due: 'any' },
      }),
    );
    const [commentPage, representationPage] = await Promise.all(
      records.map(async (record) => words(casePage({ record, events: await h.store.events(record.caseId) }))),
    );

    // Assess: what each waits for, in the words of the procedure that handles it.
    expect(queue).toContain('To reply to the resident');
    expect(queue).toContain('To give the resident feedback');
    expect(commentPage).toContain('To reply to the resident');
    expect(representationPage).toContain('To give the resident feedback');
    for (const page of [queue, commentPage, representationPage]) {
      expect(page).not.toContain('Awaiting acknowledgement');
    }
  });
});

describe("a comment and a representation waiting for their reply, on the resident's own page", () => {
  it('read as received and acknowledged by their receipt, not as waiting for an acknowledgement', async () => {
    // Prepare: a comment and a representation through the real workflows, their receipts sent.
    const submitted = await commentAndRepresentation();

    for (const c of submitted) {
      const record = await h.caseOf(c.caseId);
      const events = await h.store.events(c.caseId);
      const receipt = events.find((e) => e.type === 'email-sent' && e.detail?.template === 'receipt');
      expect(receipt).toBeDefined();

      // Act
      const page = words(statusPage({ policy: h.policy, record, events, csrf: 'c', grounds: [] }));

      // Assess: the receipt acknowledged it; what it waits for is the reply, with its date.
      expect(page).toContain('Status Received');
      expect(page).not.toMatch(/not yet acknowledged/i);
      expect(page).not.toMatch(/Acknowledged Not yet/);
    }
  });

  it('give the date the reply or the feedback is due, not "No date set"', async () => {
    // Prepare
    const submitted = await commentAndRepresentation();

    for (const c of submitted) {
      const record = await h.caseOf(c.caseId);
      const events = await h.store.events(c.caseId);

      // Act
      const page = words(statusPage({ policy: h.policy, record, events, csrf: 'c', grounds: [] }));

      // Assess: the comment's reply by date, the representation's feedback by date.
      const due = (record.deadlines.replyBy ?? record.deadlines.feedbackBy) as string;
      const day = new Intl.DateTimeFormat('en-GB', {
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'Europe/London',
      }).format(new Date(due));
      expect(page).toContain(`Response due ${day.replace(',', '')}`);
      expect(page).not.toContain('No date set');
    }
  });
});

describe("the officers' pages of a compliment, comment or representation", () => {
  it('name the waiting task as its own page heads it', async () => {
    // Prepare: a compliment waiting for its service to pass it on.
    const c = await complimentWaiting();
    const record = await h.caseOf(c.caseId);

    // Act: the staff case page.
    const page = words(
      staffCasePage({
        staff: TEAM,
        csrf: 'c',
        policy: h.policy,
        record,
        events: await h.store.events(c.caseId),
        reassignTargets: [],
        canRecordOmbudsman: false,
      }),
    );

    // Assess: the task's own title, not its name made into words.
    expect(page).toContain(`Waiting task Pass on this compliment, with ${record.openTask?.officer} since`);
    expect(page).not.toContain('Compliment pass on');
  });

  it('head the queue column that holds the type of feedback "Type"', async () => {
    // Prepare: a compliment, which has no stage, in the queue.
    h = await createHarness();
    const service = h.policy.routing.services.find((s) => !s.redirect) as { id: string };
    const c = await h.submit({
      kind: 'compliment',
      service: service.id,
      summary: 'The library staff found the book I needed.',
      complainant: resident,
    });
    const record = await h.caseOf(c.caseId);

    // Act
    const html = staffQueuePage({
      staff: TEAM,
      csrf: 'c',
      policy: h.policy,
      records: [record],
      now: new Date(record.receivedAt),
      filter: { view: 'all', due: 'any' },
    });

    // Assess: the column's heading fits what it holds ("Compliment", "Complaint, stage 1").
    const heads = [...html.matchAll(/<th scope="col"[^>]*>\s*([^<]*?)\s*<\/th>/g)].map((m) => m[1]);
    expect(heads).toEqual(['Reference', 'Next deadline', 'Service', 'Type', 'Status', 'With']);
  });

  it('head the reply to a comment or the feedback on a representation as that, not as a stage 1 response', async () => {
    // Prepare: a comment and a representation, each answered through its officer's link.
    const comment = await commentRepliedThroughLink();
    const representation = await h.submit({
      kind: 'representation',
      summary: 'Charging for garden waste collections is unfair to pensioners.',
      complainant: resident,
    });
    await h.act(h.linkFor('representation-feedback', h.policy.representation.policyOwner), {
      decision: 'feedback',
      response: 'Councillors will review the concession at the March cabinet meeting.',
    });

    // Act
    const [commentPage, representationPage] = await Promise.all(
      [comment, representation].map(async (c) =>
        words(casePage({ record: await h.caseOf(c.caseId), events: await h.store.events(c.caseId) })),
      ),
    );

    // Assess: neither has stages.
    expect(commentPage).toContain('Our reply Thank you. Two new benches');
    expect(representationPage).toContain('Our feedback Councillors will review');
    for (const page of [commentPage, representationPage]) expect(page).not.toMatch(/stage 1/i);
  });

  it("leave the digest of a link decision's answers off the timeline", async () => {
    // Prepare: a comment replied to through the officer's emailed link.
    const c = await commentRepliedThroughLink();
    const events = await h.store.events(c.caseId);
    const digest = events.find((e) => typeof e.detail?.answers === 'string')?.detail?.answers as string;
    expect(digest).toBeDefined();

    // Act
    const page = words(casePage({ record: await h.caseOf(c.caseId), events }));

    // Assess: the decision is there, the digest (for the service's own checks) is not.
    expect(page).toContain('Decision: reply');
    expect(page).not.toContain(digest);
    expect(page).not.toContain('Answers');
  });
});

describe('the emails to officers about a compliment, comment or representation', () => {
  const cases = [
    { kind: 'compliment', policy: 'lgsco-code-2024', deadline: 'pass on the compliment' },
    { kind: 'comment', policy: 'unitary-feedback', deadline: 'reply to the comment' },
    { kind: 'representation', policy: 'unitary-feedback', deadline: 'give feedback on the representation' },
  ] as const;

  for (const { kind, policy, deadline } of cases) {
    it(`name the ${kind}'s own task and deadline, never an acknowledgement's`, async () => {
      // Prepare: the feedback through its real workflow, left until its deadline has passed.
      h = await createHarness({ policy });
      const service = h.policy.routing.services.find((s) => !s.redirect) as { id: string };
      const c = await h.submit({
        kind,
        service: service.id,
        summary: 'The new opening hours at the recycling centre suit people who work.',
        complainant: resident,
      });
      const due = Object.values(c.deadlines).sort().at(-1);

      // Act
      await h.advanceTo(justAfter(due));

      // Assess: the task email and the manager's escalation, word by word where they name it.
      const task = h.sent.find((m) => m.template === 'officer-task');
      const escalation = h.sent.find((m) => m.template === 'manager-escalation');
      expect(escalation?.subject).toBe(`Deadline missed for ${c.reference}: ${deadline}`);
      expect(escalation?.text).toContain(`The deadline to ${deadline} for ${c.reference} was`);
      for (const email of [task, escalation]) {
        expect(`${email?.subject} ${email?.text}`).not.toMatch(/acknowledge/i);
        // What the task is about, named once: "Representation about Waste and recycling".
        expect(email?.text).not.toMatch(/about [^\n]* about /);
      }
    });
  }
});

describe('comment workflow', () => {
  it('replies in full within the policy time', async () => {
    const c = await commentRepliedThroughLink();

    expect(h.templates(RESIDENT)).toEqual(['receipt', 'comment-reply']);
    expect(h.sent.at(-1)?.text).toContain('Two new benches go in by the pond in May.');
    expect(await h.caseOf(c.caseId)).toMatchObject({ status: 'closed' });
    expect(h.states(c.caseId, 'comment')).toEqual(
      expect.arrayContaining(['Await the reply', 'Send the reply']),
    );
  });

  it('tells the resident why and when when the reply is late, and escalates', async () => {
    h = await createHarness({ policy: 'unitary-feedback' });
    const c = await h.submit({
      kind: 'comment',
      summary: 'More benches in the park, please.',
      complainant: resident,
    });

    await h.advanceTo(justAfter(c.deadlines.replyBy));

    expect(h.templates(RESIDENT)).toEqual(['receipt', 'holding-letter']);
    expect(h.templates().filter((t) => t === 'manager-escalation')).toHaveLength(1);
    // A comment is not a complaint: its late reply does not send the resident to the Ombudsman.
    const letter = h.sent.find((m) => m.template === 'holding-letter');
    expect(letter?.text).toContain('WHY THERE MAY BE A DELAY');
    expect(letter?.text).not.toMatch(/Ombudsman/);
  });
});

describe('representation workflow', () => {
  it('sends the representation to the policy owner and the feedback to the customer', async () => {
    h = await createHarness({ policy: 'unitary-feedback' });
    const c = await h.submit({
      kind: 'representation',
      summary: 'The policy of charging for garden waste collections is unfair to pensioners.',
      complainant: resident,
    });
    const owner = h.policy.representation.policyOwner;

    await h.act(h.linkFor('representation-feedback', owner), {
      decision: 'feedback',
      response: 'Councillors will review the concession at the March cabinet meeting.',
    });

    expect(h.templates(owner)).toEqual(['officer-task']);
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'representation-feedback']);
    expect(h.sent.at(-1)?.text).toContain('March cabinet meeting');
    expect(await h.caseOf(c.caseId)).toMatchObject({ status: 'closed', kind: 'representation' });
  });
});

/** A complaint about home care: a statutory adult social care complaint under that policy. */
const homeCareComplaint = {
  kind: 'complaint',
  service: 'home-care',
  summary: 'The carers for my father keep arriving hours late and his medication is missed.',
  complainant: resident,
};

describe('statutory social care workflow', () => {
  it('agrees a plan, loops until the director signs off an appropriate and proportional response', async () => {
    h = await createHarness({ policy: 'social-care-statutory' });
    const c = await h.submit(homeCareComplaint);
    expect(c.kind).toBe('social-care');
    // Acknowledged within 3 working days (SI 2009/309): received Monday → Thursday.
    expect(c.deadlines.acknowledgeBy).toBe('2026-03-05T23:59:59.000Z');

    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.act(h.linkFor('social-care-plan'), {
      decision: 'agree-plan',
      plan: 'Review the rota with the care provider and call weekly.',
      agreedWorkingDays: '15',
    });
    await h.act(h.linkFor('social-care-review'), {
      decision: 'new-plan',
      plan: 'Change provider for the morning calls.',
      agreedWorkingDays: '10',
    });
    await h.act(h.linkFor('social-care-review'), {
      decision: 'propose-closing',
      reason: 'Two plans delivered; the remaining issue is outside the complaints process.',
    });
    const director = h.policy.socialCare?.signOffBy.email as string;
    await h.act(h.linkFor('sign-off', director), { decision: 'approve' });

    expect(h.states(c.caseId, 'social-care')).toEqual(
      expect.arrayContaining([
        'Await the resolution plan',
        'Send the agreed plan',
        'Await the feedback review',
        "Await the director's sign-off",
        'Tell the complainant the complaint is closed',
        'Record the resolution and close the case',
      ]),
    );
    expect(h.templates(RESIDENT)).toEqual([
      'receipt',
      'acknowledgement',
      'social-care-plan',
      'social-care-plan',
      'social-care-closed',
    ]);
    expect(h.sent.at(-1)?.text).toMatch(
      /appropriate and proportionate response to your complaint, and the Director for Social and Community Services has agreed/,
    );
    expect(h.sent.at(-1)?.text).toContain(
      'Two plans delivered; the remaining issue is outside the complaints process.',
    );
    const final = await h.caseOf(c.caseId);
    expect(final).toMatchObject({ status: 'closed', plan: { round: 2, agreedWorkingDays: 10 } });
  });

  it('does not close without the director: a declined sign-off returns to the feedback loop', async () => {
    h = await createHarness({ policy: 'social-care-statutory' });
    const c = await h.submit({
      kind: 'complaint',
      service: 'home-care',
      summary: 'My mother was not told about the change in her care charges.',
      complainant: resident,
    });
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.act(h.linkFor('social-care-plan'), {
      decision: 'agree-plan',
      plan: 'Explain the charges.',
      agreedWorkingDays: '10',
    });
    await h.act(h.linkFor('social-care-review'), {
      decision: 'propose-closing',
      reason: 'Explained in full.',
    });

    await h.act(h.linkFor('sign-off', h.policy.socialCare?.signOffBy.email), {
      decision: 'decline',
      reason: 'Meet her in person first.',
    });

    const record = await h.caseOf(c.caseId);
    expect(record.status).not.toBe('closed');
    expect(record.openTask?.name).toBe('social-care-review');
    expect(h.templates(RESIDENT)).not.toContain('social-care-closed');
  });
});

describe('a social care case moved in the workspace while it waits for acknowledgement', () => {
  it('is handed to the new team without the acknowledgement a reassign decision would have sent', async () => {
    // Prepare: the home care team waits on the acknowledgement task.
    h = await createHarness({ policy: 'social-care-statutory' });
    const c = await h.submit(homeCareComplaint);
    const other = h.policy.routing.services.find((s) => s.id !== 'home-care' && s.mailbox);
    const team: StaffMember = {
      sub: 'casey',
      email: 'casey.morgan@example.gov.uk',
      name: 'Casey Morgan',
      roles: ['complaints-team'],
      services: [],
    };
    const deps: StaffActionDeps = {
      // Reassigning reads the case by its reference and writes it: none of the lists' queries.
      store: h.store as unknown as StaffActionDeps['store'],
      staffStore: new MemoryStaffStore(),
      archive: h.archive,
      workflows: inProcessWorkflowEngine(h.engine),
      policy: h.policy,
      now: () => h.clock.now(),
      newId: () => 'id-1',
      linkSecrets: async () => [SECRET],
      send: async () => ({ messageId: 'w-1' }),
      baseUrl: 'http://localhost',
    };

    // Act: the workspace hands the case to another person of the council.
    const outcome = await reassign(deps, team, c.reference, other?.mailbox);
    await h.advanceTo(h.clock.now().toISOString());

    // Assess: assigned, the acknowledgement task still waiting, and no acknowledgement sent.
    // The procedure's services share the social care team's mailbox: the case is with it already.
    expect(outcome.message).toContain('already with');
    const after = await h.caseOf(c.caseId);
    expect(after.assignedTo).toBe(other?.mailbox);
    expect(after.openTask?.name).toBe('acknowledge');
    expect(h.templates(RESIDENT)).toEqual(['receipt']);
    expect(h.states(c.caseId, 'social-care')).not.toContain('Send the acknowledgement');
  });
});

/** A comment and a representation through the real workflows (a new harness), to the wait for their reply. */
async function commentAndRepresentation(): Promise<{ caseId: string }[]> {
  h = await createHarness({ policy: 'unitary-feedback' });
  return [
    await h.submit({ kind: 'comment', summary: 'More benches in the park, please.', complainant: resident }),
    await h.submit({
      kind: 'representation',
      summary: 'Charging for garden waste collections is unfair to pensioners.',
      complainant: resident,
    }),
  ];
}

/** A comment through the real workflow (a new harness), replied to through its officer's emailed link. */
async function commentRepliedThroughLink(): Promise<{ caseId: string }> {
  h = await createHarness({ policy: 'unitary-feedback' });
  const comment = await h.submit({
    kind: 'comment',
    summary: 'More benches in the park, please.',
    complainant: resident,
  });
  await h.act(h.linkFor('comment-reply'), {
    decision: 'reply',
    response: 'Thank you. Two new benches go in by the pond in May.',
  });
  return comment;
}

/** A compliment through the real workflow (a new harness), to the wait for its service to pass it on. */
async function complimentWaiting(): Promise<{ caseId: string }> {
  h = await createHarness();
  const service = h.policy.routing.services.find((s) => !s.redirect) as { id: string };
  return h.submit({
    kind: 'compliment',
    service: service.id,
    summary: 'Sam on the bin round helped me with my heavy bin every week while I was ill.',
    complainant: resident,
  });
}
