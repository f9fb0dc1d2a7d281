import { afterEach, describe, expect, it } from 'vitest';
import { RENEW_AFTER_DAYS } from '../../functions/app/steps.js';
import { stage2LateRequestDeadline } from '../../functions/domain/case-clock.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

/**
 * Step Functions ends a Standard execution after one year. A case that lives longer continues
 * in a fresh execution from where it was; these tests run one through a two-year pause on the
 * virtual clock.
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

const YEAR_MS = 365 * 86_400_000;
const arnOf = (name: string) => `arn:aws:states:eu-west-2:000000000000:execution:complaint:${name}`;

describe('a case that outlives one execution', () => {
  it('continues through a two-year pause in fresh executions, none older than a year, with one of each letter', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.act(h.linkFor('respond'), {
      decision: 'pause',
      pauseKind: 'legal-proceedings',
      residentAgreed: 'yes',
      pauseNote: 'Legal proceedings: the matter is before the court',
    });

    // Two years pass, a month at a time (each wait wakes at least monthly).
    const start = h.clock.now().getTime();
    for (let month = 1; month <= 25; month++) {
      await h.advanceTo(new Date(start + month * 30 * 86_400_000).toISOString());
    }
    // The links emailed before expire after 120 days; each long wait sent the officer a fresh one.
    const resumed = await h.act(h.linkFor('resume'), { decision: 'resume' });
    expect(resumed.statusCode, resumed.body).toBe(200);
    const responded = await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'not-upheld',
      response: 'The court has decided the matter; we have reviewed our handling in the light of it.',
    });
    expect(responded.statusCode, responded.body).toBe(200);
    await h.advanceTo((await h.caseOf(c.caseId)).deadlines.stage2RequestBy as string);
    await h.advanceTo(new Date(h.clock.now().getTime() + 86_400_000).toISOString());
    // The complaints team may accept a late request for a while; then the case closes.
    const lateBy = stage2LateRequestDeadline(h.policy, await h.caseOf(c.caseId)) as string;
    await h.advanceTo(new Date(Date.parse(lateBy) + 86_400_000).toISOString());

    const executions = [c.caseId, `${c.caseId}_2`, `${c.caseId}_3`];
    const described = await Promise.all(executions.map((name) => h.engine.describeExecution(arnOf(name))));
    expect(described.map((d) => d.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    for (const d of described) {
      const ran = (d.stopDate as Date).getTime() - (d.startDate as Date).getTime();
      expect(ran, `${d.name} ran a year or more`).toBeLessThan(YEAR_MS);
      expect(ran).toBeLessThan((RENEW_AFTER_DAYS + 31) * 86_400_000);
    }
    expect(h.states(c.caseId)).toContain('Continued in a fresh execution');
    expect(h.states(`${c.caseId}_2`).slice(0, 3)).toEqual([
      'Route the case',
      'Where does the case resume?',
      'Check the paused clock',
    ]);
    expect(h.templates(RESIDENT)).toEqual([
      'receipt',
      'acknowledgement',
      'pause',
      'resume',
      'response',
      'stage-2-too-late',
    ]);
    const officerTasks = h.templates().filter((t) => t === 'officer-task').length;
    expect(officerTasks).toBeGreaterThan(3);
    expect(officerTasks).toBeLessThan(3 + 25 / 2);
    const record = await h.caseOf(c.caseId);
    expect(record.status).toBe('closed');
    const continued = (await h.store.events(c.caseId)).filter((e) => e.type === 'workflow-continued');
    expect(continued.map((e) => e.detail?.to)).toEqual([`${c.caseId}_2`, `${c.caseId}_3`]);
  });
});
