import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { complaintFrom, createHarness, type Harness, REFERRED_AND_CLOSED, RESIDENT } from './harness.js';

/**
 * Complaints about children's social care, through the real intake, the real ASL on the local
 * engine, the step code and the templates. They follow their own procedure set by law (the
 * Children Act 1989 s.26 and its representations regulations), which is not the adult one
 * (SI 2009/309): until Redress runs that procedure, such a complaint is recorded, referred to the
 * council's children's social care complaints team with the case, and the resident is told who
 * has it and under which procedure, with no date of Redress's own. The harness starts on Monday
 * 2 March 2026 at 09:00 (GMT).
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

const FOSTERING =
  'Our foster placement broke down in January and the child protection social worker has not returned our calls since.';
const WELSH_POLICY = fileURLToPath(new URL('../fixtures/policies/welsh-council.json', import.meta.url));

function mailTo(address: string, template: string) {
  return h.sent.filter((m) => m.to.includes(address) && m.template === template);
}

/** The adult procedure's marks: its acknowledgement time, its six-month letter, its director. */
function expectNothingOfTheAdultProcedure(text: string | undefined) {
  expect(text).not.toMatch(/six months|6 months|2009\/309|Director|adult social care/i);
}

describe("a complaint about children's social care, in a council that runs children's services", () => {
  it.each([
    ['lgsco-code-2024', 'childrens.complaints@example.gov.uk'],
    ['dorset', 'childrens.complaints@dorset.example.gov.uk'],
    ['unitary-feedback', 'childrens.complaints@example.gov.uk'],
  ])(
    'is recorded and referred to the children’s team under %s, not run on the adult statutory procedure',
    async (preset, childrensTeam) => {
      h = await createHarness({ policy: preset });
      // Sent with the adult service chosen: the words say it is about children.
      const c = await h.submit(complaintFrom(h, { service: 'adult-social-care', summary: FOSTERING }));

      // Stored, as a complaint referred elsewhere: not a statutory adult social care case.
      const record = await h.caseOf(c.caseId);
      expect(record).toMatchObject({
        kind: 'complaint',
        status: 'referred',
        summary: FOSTERING,
        triage: { route: 'refer', exclusion: 'childrens-social-care' },
      });
      expect(record.deadlines.acknowledgeBy).toBeUndefined();

      // The children's team is emailed the case, with a link that opens it and the day it came.
      const [referral, ...more] = mailTo(childrensTeam, 'referral');
      expect(more).toEqual([]);
      expect(referral?.text).toContain(FOSTERING);
      expect(referral?.text).toContain(RESIDENT);
      expect(referral?.text).toContain('received it on Monday 2 March 2026');
      expect(referral?.text).toContain('They were not given a date');
      expect(referral?.subject).not.toContain('contact the resident by');
      const caseUrl = /Read the case: (\S+)/.exec(referral?.text ?? '')?.[1];
      expect((await h.get(caseUrl as string)).statusCode).toBe(200);

      // The resident hears who has it and under which procedure, and nothing the law does not set.
      expect(h.templates(RESIDENT)).toEqual(['redirect']);
      const [letter] = mailTo(RESIDENT, 'redirect');
      // Who has it and how to reach them: with no date to wait for, the resident can chase it.
      expect(letter?.text).toContain(
        `We have passed your message to our children's social care complaints team. You can email them at ${childrensTeam}.\n\nComplaints about children's social care`,
      );
      expect(letter?.text).toContain(
        "Complaints about children's social care follow a separate procedure set by law, under the Children Act 1989,",
      );
      expect(letter?.text).not.toContain('They will contact you');
      // It is still a complaint: passed on, and it may come back to the corporate procedure.
      expect(letter?.text).toContain(
        'Our complaints team will also check that your complaint belongs under that procedure. If it should be dealt with under our corporate complaints procedure instead, we will write to you again.',
      );
      expect(letter?.text).toContain(
        'If you think we should have dealt with your complaint under our corporate complaints procedure, reply to this email and tell us why.',
      );
      expect(letter?.text).toContain(
        'If you still think we were wrong, you can also ask the Local Government',
      );
      expect(letter?.text).not.toMatch(
        /should not be dealt with as a complaint|not to treat this as a complaint/,
      );
      expect(letter?.text).not.toMatch(/\b(Mon|Tues|Wednes|Thurs|Fri)day \d+ \w+ 2026\b/);
      expectNothingOfTheAdultProcedure(letter?.text);
      expectNothingOfTheAdultProcedure(letter?.html);
      expect(h.sent.filter((m) => m.to.includes(h.policy.socialCare?.signOffBy.email as string))).toEqual([]);

      // The complaints team checks it, as every referral, then checks back that the children's
      // team picked it up: the case closes then, not before.
      await h.act(h.linkFor('confirm-exclusion', h.policy.routing.complaintsTeam), { decision: 'confirm' });
      expect((await h.caseOf(c.caseId)).status).toBe('referred');
      await h.act(h.linkFor('referral-check', h.policy.routing.complaintsTeam), { decision: 'picked-up' });
      expect(h.states(c.caseId)).toEqual(expect.arrayContaining(REFERRED_AND_CLOSED));
      expect((await h.caseOf(c.caseId)).status).toBe('closed');
      expect(h.templates(RESIDENT)).toEqual(['redirect']);
    },
  );

  it('is caught by its words whatever service was chosen', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h, { service: 'highways', summary: FOSTERING }));

    expect(await h.caseOf(c.caseId)).toMatchObject({
      kind: 'complaint',
      service: 'childrens-social-care',
      triage: { exclusion: 'childrens-social-care' },
    });
    expect(mailTo('childrens.complaints@example.gov.uk', 'referral')).toHaveLength(1);
    expect(mailTo('highways.feedback@example.gov.uk', 'officer-task')).toEqual([]);
  });

  it("is referred when the resident chose the children's social care service, whatever the words", async () => {
    h = await createHarness();
    const c = await h.submit(
      complaintFrom(h, {
        service: 'childrens-social-care',
        summary: 'Nobody answers the phone and my emails go unanswered.',
      }),
    );

    expect(await h.caseOf(c.caseId)).toMatchObject({
      kind: 'complaint',
      status: 'referred',
      triage: { exclusion: 'childrens-social-care' },
    });
    expect(mailTo('childrens.complaints@example.gov.uk', 'referral')).toHaveLength(1);
  });

  it('leaves an adult complaint that mentions a grandchild on the adult statutory procedure', async () => {
    h = await createHarness();
    const c = await h.submit(
      complaintFrom(h, {
        service: 'adult-social-care',
        summary:
          "My mother's care package was cut and the social worker ignored what my granddaughter told her about her falls.",
      }),
    );

    expect((await h.caseOf(c.caseId)).kind).toBe('social-care');
    expect(mailTo('childrens.complaints@example.gov.uk', 'referral')).toEqual([]);
  });

  it('tells a resident who wrote in Welsh, in Welsh', async () => {
    h = await createHarness({ policy: WELSH_POLICY });
    await h.submit(complaintFrom(h, { service: 'adult-social-care', summary: FOSTERING, language: 'cy' }));

    const [letter] = mailTo(RESIDENT, 'redirect');
    expect(letter?.text).toContain(
      'Rydym wedi anfon eich neges at ein tîm cwynion gofal cymdeithasol i blant.',
    );
    // Soft mutation after "o dan".
    expect(letter?.text).toContain('o dan Ddeddf Plant 1989');
    expect(letter?.text).not.toContain('Byddant yn cysylltu â chi erbyn');
    expect(letter?.text).not.toMatch(/oedolion|chwe mis/);
    expect(letter?.text).toContain(
      'Bydd ein tîm cwynion hefyd yn gwirio bod eich cwyn yn perthyn i’r weithdrefn honno.',
    );
    expect(letter?.text).toContain('Os ydych chi’n dal i gredu ein bod wedi gwneud camgymeriad, gallwch');
    // The team reads English.
    const [referral] = mailTo('childrens.complaints@example.gov.uk', 'referral');
    expect(referral?.text).toContain('They were not given a date');
  });
});

describe("a complaint about children's social care, in a council that does not run children's services", () => {
  it('tells the resident that Norfolk County Council deals with it, and says nobody at South Norfolk has it', async () => {
    h = await createHarness({ policy: 'south-norfolk' });
    const c = await h.submit(complaintFrom(h, { summary: FOSTERING }));

    expect(await h.caseOf(c.caseId)).toMatchObject({
      kind: 'complaint',
      status: 'referred',
      triage: { exclusion: 'childrens-social-care' },
    });
    expect(h.sent.filter((m) => m.template === 'referral')).toEqual([]);
    const [letter] = mailTo(RESIDENT, 'redirect');
    expect(letter?.text).toContain("Children's social care is provided by Norfolk County Council");
    expect(letter?.text).toContain('Please contact Norfolk County Council');
    expect(letter?.text).not.toContain('We have passed');
    expectNothingOfTheAdultProcedure(letter?.text);
  });
});

describe("Dudley's Children's Services", () => {
  it("takes a children's social care complaint sent with another service, and names Children's Services to the resident", async () => {
    h = await createHarness({ policy: 'dudley' });
    const c = await h.submit(complaintFrom(h, { service: 'highways', summary: FOSTERING }));

    expect(await h.caseOf(c.caseId)).toMatchObject({
      service: 'childrens-services',
      triage: { exclusion: 'childrens-social-care' },
    });
    expect(mailTo('complaints.socialcare@dudley.gov.uk', 'referral')).toHaveLength(1);
    const [letter] = mailTo(RESIDENT, 'redirect');
    expect(letter?.text).toContain("Complaints about Children's Services follow a separate procedure");
    expect(letter?.text).not.toContain('Adult Social Care');
  });
});
