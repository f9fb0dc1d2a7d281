import { afterEach, describe, expect, it } from 'vitest';
import { recreateResidentEmail } from '../../functions/app/correspondence.js';
import { sentWithOf } from '../../functions/app/ombudsman-file.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { BASE_URL, complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

let h: Harness;

afterEach(async () => {
  await h?.close();
});

const quotedIn = (text: string) => /We told you we would send our response by ([^.]+)\./.exec(text)?.[1];
const promisedIn = (text: string) => /We will now send you our response by ([^.]+)\./.exec(text)?.[1];

describe('holding letters in the Ombudsman’s file', () => {
  it('re-creates a holding letter with the dates it gave, after an extension moved the deadline', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    const { respondBy } = (await h.caseOf(c.caseId)).deadlines;
    // The morning of the deadline's own day: the holding letter goes.
    const morning = new Date(Date.parse(respondBy as string) - 12 * 3600_000).toISOString();
    await h.advanceTo(morning);
    const letter = h.sent.find((m) => m.template === 'holding-letter' && m.to.includes(RESIDENT));
    expect(letter).toBeDefined();

    const extended = await h.act(h.linkFor('respond'), {
      decision: 'extend',
      extendDays: '5',
      reason: 'Waiting for a contractor',
    });
    expect(extended.statusCode, extended.body).toBe(200);

    const record = await h.caseOf(c.caseId);
    const sent = (await h.store.events(c.caseId)).find(
      (e) => e.type === 'email-sent' && e.detail?.template === 'holding-letter',
    );
    const sentWith = sentWithOf(sent);
    const { text } = recreateResidentEmail(h.policy, record, 'holding-letter', 1, sent?.at as string, {
      baseUrl: BASE_URL,
      ...(sentWith ? { sentWith } : {}),
    });
    expect([quotedIn(text), promisedIn(text)]).toEqual([
      quotedIn(letter?.text ?? ''),
      promisedIn(letter?.text ?? ''),
    ]);
  });
});

describe('holding letters after a pause', () => {
  it('keeps telling the resident once the date given before a pause has passed', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    const { respondBy } = (await h.caseOf(c.caseId)).deadlines;
    // The deadline (Monday 16 March 2026) passes: one holding letter, committing to 23 March.
    await h.advanceTo(new Date(Date.parse(respondBy as string) + 2 * 86400_000).toISOString());
    const paused = await h.act(h.linkFor('respond'), {
      decision: 'pause',
      pauseKind: 'mediation',
      residentAgreed: 'yes',
      pauseNote: 'Mediation agreed on the phone',
    });
    expect(paused.statusCode, paused.body).toBe(200);
    await h.advanceTo(new Date(Date.parse(respondBy as string) + 9 * 86400_000).toISOString());
    await h.act(h.linkFor('resume'), { decision: 'resume' });

    // Two months on with no response: managers are escalated to every week, and the resident,
    // told to expect a reply by 23 March, is written to again each time a date given passes.
    await h.advanceTo('2026-05-30T12:00:00.000Z');
    const record = await h.caseOf(c.caseId);
    expect(record.status).toBe('investigating');
    expect(record.progress.stage1.escalations ?? 0).toBeGreaterThan(2);
    const letters = h.sent.filter((m) => m.template === 'holding-letter' && m.to.includes(RESIDENT));
    expect(letters.length).toBeGreaterThan(1);
  });
});

describe('restarting a complaint paused after its deadline had passed', () => {
  it('says the response is late and gives a date to come, which the next holding letter quotes', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    const { respondBy } = (await h.caseOf(c.caseId)).deadlines;
    // Paused two days after the deadline (Monday 16 March 2026), restarted a week later: the
    // deadline moves on by the paused days and is still behind the restart.
    await h.advanceTo(new Date(Date.parse(respondBy as string) + 2 * 86400_000).toISOString());
    await h.act(h.linkFor('respond'), {
      decision: 'pause',
      pauseKind: 'mediation',
      residentAgreed: 'yes',
      pauseNote: 'Mediation agreed on the phone',
    });
    await h.advanceTo(new Date(Date.parse(respondBy as string) + 9 * 86400_000).toISOString());
    const restartedAt = h.clock.now();
    await h.act(h.linkFor('resume'), { decision: 'resume' });

    const resumed = h.sent.find((m) => m.template === 'resume' && m.to.includes(RESIDENT));
    expect(resumed?.text).toContain('Our response is already late, and we are sorry.');
    // A later date than the deadline, as a holding letter gives: with the Ombudsman's details (the Code §6.5).
    expect(resumed?.text).toContain(
      'You can contact the Local Government and Social Care Ombudsman at any time for advice.',
    );
    expect(resumed?.text).toContain(
      'If we do not reply within a reasonable time, the Ombudsman may look at your complaint anyway.',
    );
    const given = /We will send you our response by ([^.]+)\./.exec(resumed?.text ?? '')?.[1] as string;
    expect(Date.parse(`${given.replace(/^\w+ /, '')} 23:00Z`)).toBeGreaterThan(restartedAt.getTime());
    // No holding letter at once saying a date the resident was never given had passed.
    const lettersNow = h.sent.filter((m) => m.template === 'holding-letter' && m.to.includes(RESIDENT));
    expect(lettersNow).toHaveLength(1);

    // When that date passes, the next holding letter quotes it.
    await h.advanceTo(new Date(restartedAt.getTime() + 10 * 86400_000).toISOString());
    const next = h.sent.filter((m) => m.template === 'holding-letter' && m.to.includes(RESIDENT))[1];
    expect(next && quotedIn(next.text)).toBe(given);
  });
});

describe('extension letters in the Ombudsman’s file', () => {
  it('re-creates each of two extension letters with the dates it gave, not the later one’s', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    // The deadline's own day, Monday 16 March 2026: a holding letter has given 23 March. The first
    // extension moves on from that date to 24 March, the second from 24 to 26 March.
    await h.advanceTo('2026-03-16T10:00:00.000Z');
    for (const extendDays of ['6', '2']) {
      const extended = await h.act(h.linkFor('respond'), {
        decision: 'extend',
        extendDays,
        reason: 'Waiting for a contractor',
      });
      expect(extended.statusCode, extended.body).toBe(200);
      await h.advanceTo(new Date(h.clock.now().getTime() + 3600_000).toISOString());
    }

    const letters = h.sent.filter((m) => m.template === 'extension' && m.to.includes(RESIDENT));
    expect(letters.map((m) => /We said we would respond by [^\n]*/.exec(m.text)?.[0])).toEqual([
      'We said we would respond by Monday 23 March 2026. We will now send you our response by Tuesday 24 March 2026.',
      'We said we would respond by Tuesday 24 March 2026. We will now send you our response by Thursday 26 March 2026.',
    ]);
    const record = await h.caseOf(c.caseId);
    const sent = (await h.store.events(c.caseId)).filter(
      (e) => e.type === 'email-sent' && e.detail?.template === 'extension',
    );
    const recreated = sent.map((e) => {
      const sentWith = sentWithOf(e);
      return recreateResidentEmail(h.policy, record, 'extension', 1, e.at, {
        baseUrl: BASE_URL,
        ...(sentWith ? { sentWith } : {}),
      }).text;
    });
    expect(recreated).toEqual(letters.map((m) => m.text));
  });
});
