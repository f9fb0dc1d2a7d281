import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { complaintFrom, createHarness, type Harness } from './harness.js';

/**
 * A council in Wales that offers Welsh (`languages: ["en", "cy"]`), run through the complaint
 * workflow on the local engine: a resident who chose Welsh gets every letter in Welsh, one who
 * chose English (or said nothing) gets English, officers get English either way, and the case
 * keeps the language.
 */

const WELSH_POLICY = fileURLToPath(new URL('../fixtures/policies/welsh-council.json', import.meta.url));
/** The same council asking for grounds for a review, one of them without its Welsh. */
const WELSH_GROUNDS = fileURLToPath(
  new URL('../fixtures/policies/welsh-council-grounds.json', import.meta.url),
);
const GWEN = 'gwen@example.com';
const ALEX = 'alex@example.com';

let h: Harness;

afterEach(async () => {
  await h?.close();
});

async function throughStage1(caseId: string, officer?: string): Promise<void> {
  await h.act(h.linkFor('acknowledge', officer), ACKNOWLEDGE);
  await h.act(h.linkFor('respond', officer), {
    decision: 'respond',
    outcome: 'upheld',
    response: 'The bin was missed.',
  });
  expect((await h.caseOf(caseId)).status).toBe('responded');
}

describe('a council in Wales that offers Welsh', () => {
  it('writes to a resident who chose Welsh in Welsh, and keeps the language on the case', async () => {
    h = await createHarness({ policy: WELSH_POLICY, start: '2026-03-02T10:00:00.000Z' });
    const c = await h.submit(
      complaintFrom(h, { language: 'cy', complainant: { name: 'Gwen Jones', email: GWEN } }),
    );
    expect((await h.caseOf(c.caseId)).language).toBe('cy');

    await throughStage1(c.caseId);

    expect(h.templates(GWEN)).toEqual(['receipt', 'acknowledgement', 'response']);
    const [receipt, ack, response] = h.sent.filter((m) => m.to.includes(GWEN));
    // Received Monday 2 March 2026: the LGSCO Code's 5 working days to acknowledge end on Monday 9 March.
    expect(receipt?.subject).toBe(`Rydym wedi cael eich cwyn (${c.reference})`);
    expect(receipt?.text).toContain('Cawsom eich cwyn ar ddydd Llun 2 Mawrth 2026.');
    expect(receipt?.text).toContain('Byddwn yn cydnabod eich cwyn erbyn dydd Llun 9 Mawrth 2026');
    expect(receipt?.html).toContain('<html lang="cy">');
    expect(ack?.text).toContain('Annwyl Gwen Jones,');
    expect(ack?.text).toMatch(/Byddwn yn anfon ein hymateb atoch erbyn dydd \w+ \d+ \w+ 2026\./);
    expect(response?.subject).toBe(`Ein hymateb i’ch cwyn (${c.reference})`);
    expect(response?.text).toContain('Rydym wedi cadarnhau eich cwyn.');
    expect(response?.text).toContain('OS YDYCH YN ANFODLON Â’N HYMATEB');
    for (const m of [receipt, ack, response]) {
      expect(m?.text).not.toMatch(/Your reference is|Dear |We will /);
    }
    // The officer's task emails stay in English.
    const officerMail = h.sent.filter((m) => m.template === 'officer-task');
    expect(officerMail.length).toBeGreaterThan(0);
    for (const m of officerMail) expect(m.text).toContain('WHAT YOU NEED TO DO');
  });

  it('names the Public Services Ombudsman for Wales in Welsh in the final response', async () => {
    h = await createHarness({ policy: WELSH_POLICY, start: '2026-03-02T10:00:00.000Z' });
    const c = await h.submit(
      complaintFrom(h, { language: 'cy', complainant: { name: 'Gwen', email: GWEN } }),
    );
    await throughStage1(c.caseId);
    await h.act(h.linkFor('stage-2-request'), { decision: 'request', response: 'Ni ddaeth neb.' });
    const stage2 = await h.caseOf(c.caseId);
    await h.act(h.linkFor('acknowledge', stage2.assignedTo), ACKNOWLEDGE);
    await h.act(h.linkFor('respond', stage2.assignedTo), {
      decision: 'respond',
      outcome: 'not-upheld',
      response: 'The stage 1 response was right.',
    });

    expect(h.templates(GWEN)).toEqual([
      'receipt',
      'acknowledgement',
      'response',
      'stage-2-acknowledgement',
      'final-response',
    ]);
    const final = h.sent.find((m) => m.template === 'final-response');
    expect(final?.subject).toBe(`Ein hymateb terfynol i’ch cwyn (${c.reference})`);
    expect(final?.text).toContain(
      'Gallwch ofyn i Ombwdsmon Gwasanaethau Cyhoeddus Cymru edrych ar eich cwyn.',
    );
    expect(final?.text).toContain('Ffôn: 0300 790 0203');
    expect(final?.text).toContain('Gwefan: https://www.ombwdsmon.cymru');
    expect(final?.text).not.toMatch(/Local Government and Social Care Ombudsman|Housing Ombudsman/);
  });

  it('shows a resident who chose Welsh their request for a review, and what follows it, in Welsh', async () => {
    h = await createHarness({ policy: WELSH_POLICY, start: '2026-03-02T10:00:00.000Z' });
    const c = await h.submit(
      complaintFrom(h, { language: 'cy', complainant: { name: 'Gwen Jones', email: GWEN } }),
    );
    await throughStage1(c.caseId);
    const receipt = h.sent.find((m) => m.template === 'receipt');
    const response = h.sent.find((m) => m.template === 'response');
    const token = h.linkFor('stage-2-request');

    const page = await h.view(token);
    const done = await h.act(token, { decision: 'request', response: 'Ni ddaeth neb.' });
    const refresh = await h.get(`/tasks/${token}/done`);

    // The receipt's "check your complaint" link and the response's review link open in Welsh.
    expect(receipt?.text).toContain('http://redress.test/check?lang=cy');
    expect(response?.text).toContain(`/tasks/${token}?lang=cy`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="cy"');
    expect(page.body).toContain('Gofyn i ni edrych ar eich cwyn eto');
    expect(page.body).toContain('Yr hyn a ddywedoch wrthym');
    expect(page.body).toContain('Gofyn am adolygiad');
    expect(page.body).not.toMatch(/What the resident told us|Ask for a review|The case</);
    expect(done.posted.statusCode).toBe(303);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('<html lang="cy"');
    expect(done.body).toContain('Mae eich cais am adolygiad wedi dod i law.');
    expect(done.body).toContain(c.reference);
    expect(refresh.body).toBe(done.body);
    expect((await h.caseOf(c.caseId)).stage).toBe(2);
  });

  it('writes to a resident of the same council who chose English in English', async () => {
    h = await createHarness({ policy: WELSH_POLICY, start: '2026-03-02T10:00:00.000Z' });
    const c = await h.submit(
      complaintFrom(h, { language: 'en', complainant: { name: 'Alex Smith', email: ALEX } }),
    );
    expect((await h.caseOf(c.caseId)).language).toBe('en');

    await throughStage1(c.caseId);

    expect(h.templates(ALEX)).toEqual(['receipt', 'acknowledgement', 'response']);
    const [receipt, ack, response] = h.sent.filter((m) => m.to.includes(ALEX));
    expect(receipt?.text).toContain('We received your complaint on Monday 2 March 2026.');
    expect(receipt?.html).toContain('<html lang="en-GB">');
    expect(ack?.text).toContain('Dear Alex Smith,');
    expect(response?.subject).toBe(`Our response to your complaint (${c.reference})`);
    for (const m of [receipt, ack, response]) expect(m?.text).not.toMatch(/Eich cyfeirnod|Annwyl/);
  });

  it('writes in the policy’s first language, English, to a resident who did not say', async () => {
    h = await createHarness({ policy: WELSH_POLICY, start: '2026-03-02T10:00:00.000Z' });
    const c = await h.submit(complaintFrom(h, { complainant: { name: 'Sam', email: ALEX } }));
    expect((await h.caseOf(c.caseId)).language).toBe('en');
    expect(h.sent.find((m) => m.template === 'receipt')?.text).toContain('Your reference is');
  });
  it('names the service and the grounds for a review in Welsh where the policy has them, the English where not', async () => {
    h = await createHarness({ policy: WELSH_GROUNDS, start: '2026-03-02T10:00:00.000Z' });
    const c = await h.submit(
      complaintFrom(h, { language: 'cy', complainant: { name: 'Gwen Jones', email: GWEN } }),
    );
    await throughStage1(c.caseId);
    const page = await h.view(h.linkFor('stage-2-request'));
    const alex = await h.submit(
      complaintFrom(h, { language: 'en', complainant: { name: 'Alex Smith', email: ALEX } }),
    );
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);

    const sentTo = (email: string, template: string) =>
      h.sent.find((m) => m.template === template && m.to.includes(email));

    expect(sentTo(GWEN, 'acknowledgement')?.text).toContain('Gwastraff ac ailgylchu');
    expect(sentTo(GWEN, 'acknowledgement')?.text).not.toContain('Waste and recycling');
    expect(sentTo(ALEX, 'acknowledgement')?.text).toContain('Waste and recycling');
    expect(sentTo(ALEX, 'acknowledgement')?.text).not.toContain('Gwastraff');
    const response = sentTo(GWEN, 'response')?.text ?? '';
    expect(response).toContain('Roedd y penderfyniad yn seiliedig ar gamgymeriad ffeithiol');
    expect(response).toContain('I have new evidence');
    expect(response).not.toContain('The decision was based on a factual error');
    expect(page.body).toContain('<html lang="cy"');
    expect(page.body).toContain('Roedd y penderfyniad yn seiliedig ar gamgymeriad ffeithiol');
    expect(page.body).toContain('Gwastraff ac ailgylchu');
    expect(alex.language).toBe('en');
  });

  it('asks the optional equality questions in Welsh from a Welsh confirmation, and thanks in Welsh', async () => {
    h = await createHarness({ policy: WELSH_POLICY, start: '2026-03-02T10:00:00.000Z' });
    const { csrf, cookie } = await h.openForm('/?lang=cy');
    const posted = await h.post(
      '/complaints',
      {
        csrf,
        language: 'cy',
        kind: 'complaint',
        service: 'waste-recycling',
        summary: 'Ni chasglwyd fy miniau ers tair wythnos.',
        'complainant.name': 'Gwen Jones',
        'complainant.email': GWEN,
      },
      { Cookie: cookie },
    );
    expect(posted.statusCode, posted.body).toBe(303);
    const confirmation = await h.get(String(posted.headers?.Location));
    const path = /href="(\/equality\/[^"]+)"/.exec(confirmation.body)?.[1]?.replace(/&amp;/g, '&') ?? '';

    const form = await h.get(path);
    const wrong = await h.post(path, { sex: 'other' });
    const sent = await h.post(path, { sex: 'female', ethnicity: 'white' });
    const thanks = await h.get(String(sent.headers?.Location));

    expect(path).toMatch(/^\/equality\/[\w.-]+\?lang=cy$/);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<html lang="cy"');
    expect(form.body).toContain('Beth yw eich rhyw?');
    expect(form.body).toContain('Benyw');
    expect(form.body).not.toContain('What is your sex?');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Dewiswch un o’r atebion i “Beth yw eich rhyw?”');
    expect(sent.statusCode).toBe(303);
    expect(sent.headers?.Location).toBe('/equality/done?lang=cy');
    expect(thanks.body).toContain('<html lang="cy"');
    expect(thanks.body).toContain('Diolch am eich atebion');
    expect([...h.equality.responses.values()]).toEqual([
      { month: '2026-03', kind: 'complaint', answers: { sex: 'female', ethnicity: 'white' } },
    ]);
  });
});

describe('a council that does not offer Welsh', () => {
  it('refuses a Welsh submission with a 400 naming the field, and sends nothing', async () => {
    h = await createHarness({ policy: 'lgsco-code-2024', start: '2026-03-02T10:00:00.000Z' });
    const error = await h.submit(complaintFrom(h, { language: 'cy' })).catch((e: unknown) => e);
    // The harness posts through the API: the answer is a 400 with one message for the field.
    expect(String(error)).toMatch(/answered 400/);
    expect(String(error)).toMatch(
      /"language":"Test Council does not offer letters in Welsh|"language":"[^"]*does not offer letters in Welsh/,
    );
    expect(h.sent).toEqual([]);
  });
});
