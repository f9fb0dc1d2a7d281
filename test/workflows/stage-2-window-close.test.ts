import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { adapter, provideAdapters } from '../../functions/app/container.js';
import type { DataProtectionDeps } from '../../functions/app/data-protection.js';
import { recordOmbudsmanEnquiry } from '../../functions/app/ombudsman.js';
import { rectify } from '../../functions/app/rectification.js';
import { reopenCase } from '../../functions/app/staff-case-actions.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { stage2LateRequestDeadline } from '../../functions/domain/case-clock.js';
import { localSubstitutions } from '../../infra/local/workflow-runtime.js';
import { aslPath } from '../../workflows/catalog.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { MemoryAuditLog } from '../support/memory-audit-log.js';
import { MemoryEvidenceStore } from '../support/memory-evidence.js';
import { pdfPages } from '../support/pdf-text.js';
import { TEAM } from '../support/staff-members.js';
import { behind, Outage, requestingStage2AsToldTooLate } from './faults.js';
import { caseLifeDepsOf, complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

/**
 * The stage-2 window closing, through the real ASL on the local engine: its wait times out
 * straight into the wait for a late request, whose step tells the resident (once a case) and
 * checks what the window's clock foresaw; the wait for a late request times out straight into a
 * close that reads the late-request clock. Each test takes a case through one awkward moment and
 * checks the resident is told once and the case closes when the policy says, not later.
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

const WELSH_COUNCIL = fileURLToPath(new URL('../fixtures/policies/welsh-council.json', import.meta.url));
const ADDRESS = '12 Mill Lane\nExampletown\nEX1 2AB';
const BY_POST = { complainant: { name: 'Grace Hopper', address: ADDRESS } };
const FAILURE = 'Tell the complaints team something went wrong';
const HOUR = 3600_000;
const later = (iso: string | undefined, ms: number) => new Date(Date.parse(iso as string) + ms).toISOString();

async function respond(caseId: string): Promise<CaseRecord> {
  const acknowledged = await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
  expect(acknowledged.statusCode, acknowledged.body).toBe(200);
  const responded = await h.act(h.linkFor('respond'), {
    decision: 'respond',
    outcome: 'not-upheld',
    response: 'We looked into what happened and here is what we found.',
  });
  expect(responded.statusCode, responded.body).toBe(200);
  return h.caseOf(caseId);
}

/** Letters the case wrote for printing, by template. */
async function written(caseId: string, template: string) {
  return (await h.store.events(caseId)).filter(
    (e) => e.type === 'letter-written' && e.detail?.template === template,
  );
}

async function expectClosed(caseId: string) {
  expect(h.states(caseId)).not.toContain(FAILURE);
  expect((await h.caseOf(caseId)).status).toBe('closed');
  expect(await h.status(caseId)).toBe('SUCCEEDED');
}

/** The preset, as a council that takes no late stage-2 requests sets it (`lateRequestWorkingDays` 0). */
async function withoutLateRequests(policy: string) {
  h = await createHarness({ policy });
  const stage2 = h.policy.complaint.stage2;
  if (!stage2) throw new Error(`${policy} has no stage 2`);
  stage2.lateRequestWorkingDays = 0;
}

describe('a policy with no late requests', () => {
  it.each(['dudley', 'dorset', 'south-norfolk', 'unitary-feedback', 'lgsco-code-2024'])(
    '%s: tells the resident once that the window closed and closes the case as it closes',
    async (policy) => {
      await withoutLateRequests(policy);
      const c = await h.submit(complaintFrom(h));
      const responded = await respond(c.caseId);

      await h.advanceTo(later(responded.deadlines.stage2RequestBy, 1000));

      expect(h.states(c.caseId).slice(-3)).toEqual([
        'Await a stage 2 request',
        'Await a late request',
        'Close the case',
      ]);
      await expectClosed(c.caseId);
      expect(h.templates(RESIDENT).filter((t) => t === 'stage-2-too-late')).toHaveLength(1);
      // Nobody is asked to decide a late request the policy does not take.
      expect((await h.store.events(c.caseId)).map((e) => e.detail?.task)).not.toContain(
        'late-stage-2-request',
      );
    },
  );

  it('prints the letter saying the window closed once for a resident without email', async () => {
    await withoutLateRequests('dudley');
    const c = await h.submit(complaintFrom(h, BY_POST));
    const responded = await respond(c.caseId);

    await h.advanceTo(later(responded.deadlines.stage2RequestBy, 1000));
    await h.advanceTo(later(responded.deadlines.stage2RequestBy, 30 * 86_400_000));

    await expectClosed(c.caseId);
    expect(await written(c.caseId, 'stage-2-too-late')).toHaveLength(1);
  });
});

describe('the Code preset, with late requests', () => {
  it('prints the letter saying the window closed once for a resident without email, and closes when late requests end', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h, BY_POST));
    const responded = await respond(c.caseId);
    const lateBy = stage2LateRequestDeadline(h.policy, responded) as string;

    await h.advanceTo(later(responded.deadlines.stage2RequestBy, 1000));
    expect((await h.caseOf(c.caseId)).openTask?.name).toBe('late-stage-2-request');
    await h.advanceTo(later(lateBy, 1000));

    await expectClosed(c.caseId);
    expect(await written(c.caseId, 'stage-2-too-late')).toHaveLength(1);
  });

  it('tells a Welsh resident once, in Welsh, that the window closed', async () => {
    h = await createHarness({ policy: WELSH_COUNCIL });
    const c = await h.submit(complaintFrom(h, { language: 'cy' }));
    const responded = await respond(c.caseId);
    const lateBy = stage2LateRequestDeadline(h.policy, responded) as string;

    await h.advanceTo(later(responded.deadlines.stage2RequestBy, 1000));
    await h.advanceTo(later(lateBy, 1000));

    await expectClosed(c.caseId);
    const letters = h.sent.filter((m) => m.template === 'stage-2-too-late');
    expect(letters).toHaveLength(1);
    expect(letters[0]?.text).not.toContain('The last day to ask us');
  });
});

describe('an outage as the stage-2 window closes', () => {
  async function withOutages() {
    h = await createHarness();
    const now = () => h.clock.now();
    const ses = new Outage('SES', now);
    const dynamodb = new Outage('DynamoDB', now);
    provideAdapters({
      mailer: behind(adapter('mailer'), ses),
      store: behind(adapter('store'), dynamodb),
    });
    return { ses, dynamodb };
  }

  it.each(['ses', 'dynamodb'] as const)(
    '%s down for a day from the window’s end: the resident is told once, and the case closes when late requests end, not a day later',
    async (service) => {
      const outages = await withOutages();
      const c = await h.submit(complaintFrom(h));
      const responded = await respond(c.caseId);
      const windowEnds = responded.deadlines.stage2RequestBy as string;
      const lateBy = stage2LateRequestDeadline(h.policy, responded) as string;

      await h.advanceTo(later(windowEnds, -60_000));
      outages[service].start(26 * 60);
      await h.advanceTo(later(windowEnds, 30 * HOUR));
      expect((await h.caseOf(c.caseId)).openTask?.name).toBe('late-stage-2-request');
      // The complaints team's time for a late request ends on its day, outage or none: the wait
      // for one, entered a day after the window's clock foresaw, must not last a day longer.
      await h.advanceTo(later(lateBy, HOUR));

      await expectClosed(c.caseId);
      expect(h.templates(RESIDENT).filter((t) => t === 'stage-2-too-late')).toHaveLength(1);
    },
  );
});

describe('a case whose execution is old when the window closes', () => {
  /** A complaint paused ten months, then answered: its window closes in an execution over 330 days old. */
  async function respondedLate(): Promise<CaseRecord> {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.act(h.linkFor('respond'), {
      decision: 'pause',
      pauseKind: 'legal-proceedings',
      residentAgreed: 'yes',
      pauseNote: 'Legal proceedings: the matter is before the court',
    });
    // Ten months' pause, a month at a time (each wait wakes at least monthly).
    const start = h.clock.now().getTime();
    for (let month = 1; month <= 10; month++) {
      await h.advanceTo(new Date(start + month * 30 * 86_400_000).toISOString());
    }
    expect(await h.status(c.caseId)).toBe('RUNNING');
    const resumed = await h.act(h.linkFor('resume'), { decision: 'resume' });
    expect(resumed.statusCode, resumed.body).toBe(200);
    await h.advanceTo(new Date(start + 305 * 86_400_000).toISOString());
    const answered = await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'not-upheld',
      response: 'The court has decided the matter; we have reviewed our handling in the light of it.',
    });
    expect(answered.statusCode, answered.body).toBe(200);
    return h.caseOf(c.caseId);
  }

  it('hands the case to a fresh execution, which tells the resident once and closes it', async () => {
    const responded = await respondedLate();
    const lateBy = stage2LateRequestDeadline(h.policy, responded) as string;

    await h.advanceTo(later(responded.deadlines.stage2RequestBy, 1000));
    await h.advanceTo(later(lateBy, 1000));

    expect(h.states(responded.caseId)).toContain('Continued in a fresh execution');
    expect(h.states(`${responded.caseId}_2`)).toContain('Await a late request');
    await expectClosed(responded.caseId);
    expect(h.templates(RESIDENT).filter((t) => t === 'stage-2-too-late')).toHaveLength(1);
  });

  it('starts stage 2 for the resident’s request written as the fresh execution’s clock tells them the window closed', async () => {
    const responded = await respondedLate();
    const { mailer, made } = requestingStage2AsToldTooLate(h, responded.caseId, adapter('mailer'));
    provideAdapters({ mailer });
    const lateBy = stage2LateRequestDeadline(h.policy, responded) as string;

    await h.advanceTo(later(responded.deadlines.stage2RequestBy, 1000));
    expect(made.answer).toBeDefined();
    await h.advanceTo(later(lateBy, 86_400_000));

    // The window's clock state in the fresh execution told the resident; the wait for a late
    // request after it, entered with the request pending, sends it back to be handed over.
    const fresh = `${responded.caseId}_2`;
    expect(h.states(fresh)).toContain('Start stage 2');
    expect(h.states(fresh)).not.toContain('Close the case when no late request can come');
    const record = await h.caseOf(responded.caseId);
    expect(record.stage).toBe(2);
    expect(record.pendingDecision).toBeUndefined();
  });
});

describe('a case reopened after it closed', () => {
  it('tells the resident again when the window after its new response closes, and closes again', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    const first = await respond(c.caseId);
    await h.advanceTo(later(first.deadlines.stage2RequestBy, 1000));
    await h.advanceTo(later(stage2LateRequestDeadline(h.policy, await h.caseOf(c.caseId)), 1000));
    const closed = await h.caseOf(c.caseId);
    expect(closed.status).toBe('closed');

    await reopenCase(caseLifeDepsOf(h), TEAM, closed.reference, {
      reopenReason: 'The resident sent new photographs.',
    });
    await h.advanceTo(h.clock.now().toISOString());
    const answered = await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'upheld',
      response: 'Having seen the photographs we agree the bin was missed.',
    });
    expect(answered.statusCode, answered.body).toBe(200);
    const second = await h.caseOf(c.caseId);
    await h.advanceTo(later(second.deadlines.stage2RequestBy, 1000));
    await h.advanceTo(later(stage2LateRequestDeadline(h.policy, await h.caseOf(c.caseId)), 1000));

    expect(h.states(`${c.caseId}_2`)).not.toContain(FAILURE);
    expect(await h.status(`${c.caseId}_2`)).toBe('SUCCEEDED');
    expect((await h.caseOf(c.caseId)).status).toBe('closed');
    expect(h.templates(RESIDENT).filter((t) => t === 'stage-2-too-late')).toHaveLength(2);
  });
});

describe('an execution started on the definition before these waits were folded', () => {
  /**
   * The complaint workflow as it was defined before: the stage-2 window's wait timed out into its
   * clock state, the wait for a late request into the late-request clock, which closed the case.
   * Step Functions keeps the definition an execution started with; the steps are the new ones.
   */
  function previousDefinition(): string {
    const asl = JSON.parse(readFileSync(aslPath('complaint'), 'utf8')) as {
      States: Record<string, { Arguments?: { Payload?: Record<string, unknown> }; Catch?: Catcher[] }>;
    };
    type Catcher = { ErrorEquals: string[]; Output?: string; Next: string };
    const states = asl.States;
    const window = states['Await a stage 2 request'];
    const late = states['Await a late request'];
    if (!window?.Catch || !late?.Catch || !late.Arguments?.Payload) throw new Error('the definition changed');
    const timeout = (c: Catcher) => c.ErrorEquals.includes('States.Timeout');
    window.Catch = window.Catch.map((c) =>
      timeout(c) ? { ...c, Output: '{% $states.input %}', Next: 'Check the stage 2 window' } : c,
    );
    const added = ['WaitAgainError', 'ClockNotDueError', 'DeadlinePassedError'];
    late.Catch = late.Catch.filter((c) => !c.ErrorEquals.some((e) => added.includes(e))).map((c) =>
      timeout(c) ? { ...c, Next: 'Check the clock for late requests' } : c,
    );
    const {
      foreseenBy: _by,
      reading: _reading,
      executionStartedAt: _started,
      ...payload
    } = late.Arguments.Payload;
    late.Arguments.Payload = payload;
    delete states['Close the case when no late request can come'];
    return JSON.stringify(asl);
  }

  it('takes the case from the window through the late-request clock to its close with the new steps, telling the resident once', async () => {
    h = await createHarness();
    await h.engine.createStateMachine('complaint', previousDefinition(), localSubstitutions());
    const c = await h.submit(complaintFrom(h));
    const responded = await respond(c.caseId);
    // The new definition is deployed while the resident has the response.
    await h.engine.createStateMachine(
      'complaint',
      readFileSync(aslPath('complaint'), 'utf8'),
      localSubstitutions(),
    );
    const lateBy = stage2LateRequestDeadline(h.policy, responded) as string;

    await h.advanceTo(later(responded.deadlines.stage2RequestBy, 1000));
    expect((await h.caseOf(c.caseId)).openTask?.name).toBe('late-stage-2-request');
    await h.advanceTo(later(lateBy, 1000));

    expect(h.states(c.caseId).slice(-5)).toEqual([
      'Await a stage 2 request',
      'Check the stage 2 window',
      'Await a late request',
      'Check the clock for late requests',
      'Close the case',
    ]);
    await expectClosed(c.caseId);
    expect(h.templates(RESIDENT).filter((t) => t === 'stage-2-too-late')).toHaveLength(1);
  });
});

describe('staff acting on the case while the resident has the response', () => {
  it('writes the letter saying the window closed once, to the address corrected meanwhile, with an Ombudsman enquiry recorded, and closes', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h, BY_POST));
    const responded = await respond(c.caseId);
    await h.advanceTo(later(h.clock.now().toISOString(), 3 * 86_400_000));
    await recordOmbudsmanEnquiry(
      { store: h.store, archive: h.archive, now: () => h.clock.now() },
      c.reference,
      {
        ombudsman: 'lgsco',
        by: TEAM.email,
        note: 'Enquiry 26 001 234',
      },
    );
    const rectifyDeps = {
      store: h.store,
      archive: adapter('archive'),
      evidence: new MemoryEvidenceStore(),
      audit: new MemoryAuditLog(),
      policy: h.policy,
      now: () => h.clock.now(),
      newId: () => 'rectify-1',
    } as unknown as DataProtectionDeps;
    await rectify(rectifyDeps, TEAM, c.reference, {
      name: 'Grace Hopper',
      address: '7 New Road\nOthertown',
      postcode: 'EX9 9ZZ',
      reason: 'The resident phoned to say they have moved',
    });
    const lateBy = stage2LateRequestDeadline(h.policy, responded) as string;

    await h.advanceTo(later(responded.deadlines.stage2RequestBy, 1000));
    await h.advanceTo(later(lateBy, 1000));

    await expectClosed(c.caseId);
    const letters = await written(c.caseId, 'stage-2-too-late');
    expect(letters).toHaveLength(1);
    const pdf = (await h.archive.getLetter(c.caseId, String(letters[0]?.detail?.letter))) as Uint8Array;
    const text = (await pdfPages(pdf)).join('\n');
    expect(text).toContain('Othertown');
    expect(text).not.toContain('Mill Lane');
    expect((await h.caseOf(c.caseId)).ombudsmanInvolved).toBe(true);
  });
});
