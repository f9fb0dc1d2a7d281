import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { correspondence } from '../../functions/app/correspondence.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { Outcome } from '../../functions/domain/types.js';
import { EMAIL_TEMPLATE_NAMES } from '../../functions/templates/email-names.js';
import { letterBlocks } from '../../functions/templates/letter-blocks.js';
import {
  EMAIL_TEMPLATES,
  type EmailData,
  type EmailTemplate,
  EmailTemplateError,
  formatLongDate,
  ombudsmanFor,
  QUOTED_IN_TASK_EMAILS,
  renderEmail,
} from '../../functions/templates/render-email.js';
import { common, FRIDAY, HOUSING, SAMPLE_EMAIL_DATA as SAMPLES } from '../support/email-samples.js';
import { MemoryMailer } from '../support/memory-mailer.js';
import { openCase } from '../support/open-case.js';
import { makePolicy } from '../support/policy-fixture.js';

const SCRIPT = '<script>alert("x")</script>';

/** Fields of each template that carry free text from a resident or an officer. */
const FREE_TEXT: Partial<Record<EmailTemplate, string>> = {
  'not-a-complaint': 'explanation',
  'holding-letter': 'reason',
  extension: 'reason',
  pause: 'reason',
  response: 'reasons',
  'final-response': 'remedy',
  'stage-2-refused': 'reasons',
  'comment-reply': 'reply',
  'representation-feedback': 'feedback',
  'vexatious-decision': 'decision',
  'social-care-plan': 'plan',
  'social-care-closed': 'response',
  'officer-task': 'summary',
  'officer-reminder': 'summary',
  'manager-escalation': 'summary',
  'compliment-to-staff': 'compliment',
  'representation-to-policy-owner': 'representation',
  'nominated-officer-contact': 'summary',
  'complaints-team-alert': 'detail',
};

function render<T extends EmailTemplate>(template: T, overrides: Partial<EmailData[T]> = {}) {
  return renderEmail(template, { ...SAMPLES[template], ...overrides } as EmailData[T]);
}

describe('renderEmail', () => {
  it('tells a resident by email, never by letter, where to check their case', () => {
    const email = render('receipt');
    const letter = renderEmail('receipt', SAMPLES.receipt, { medium: 'letter' });

    expect(email.text).toContain('https://redress.example/check');
    expect(email.html).toContain('href="https://redress.example/check"');
    expect(letter.text).not.toContain('/check');
  });

  it('has sample data for every template', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...EMAIL_TEMPLATES].sort());
  });

  it('lists every template by name apart from the templates, for the step payloads', () => {
    expect([...EMAIL_TEMPLATE_NAMES].sort()).toEqual([...EMAIL_TEMPLATES].sort());
  });

  describe.each(EMAIL_TEMPLATES)('%s', (template) => {
    it('renders a subject, plain text and accessible HTML', () => {
      // Act
      const email = render(template);

      // Assess
      expect(email.subject).toContain('CMP-2026-000123');
      expect(email.text).toContain('CMP-2026-000123');
      expect(email.text).toContain('Test Council');
      expect(email.html).toMatch(/^<!DOCTYPE html>\n<html lang="en-GB">/);
      expect(email.html).toMatch(/<title>[^<]*\S[^<]*<\/title>/);
      expect(email.html).toMatch(/<h1[^>]*>[^<]*\S[^<]*<\/h1>/);
      expect(email.html).toContain('<main>');
      expect(email.html).toContain('Test Council');
      expect(email.html).not.toMatch(/<table|<img/i);
      expect(email.text).not.toMatch(/<\/?[a-z]+[\s>]/);
    });

    it('never prints "undefined" or "null"', () => {
      const email = render(template);

      for (const part of [email.subject, email.text, email.html]) {
        expect(part).not.toMatch(/undefined|null|NaN|\[object Object\]/);
      }
    });

    it.each([
      ['en', 'email'],
      ['en', 'letter'],
      ['cy', 'email'],
      ['cy', 'letter'],
    ] as const)(
      'separates its paragraphs and headings with a blank line in plain text (%s, %s)',
      (language, medium) => {
        // The printed letter is laid out from the plain text (`letterBlocks`): two paragraphs on
        // consecutive lines print as one, and a heading run on from a paragraph prints in capitals
        // inside it, not as a heading. The footer's two lines belong together.
        const { text } = renderEmail(template, SAMPLES[template], { language, medium });

        const lines = text.split('\n');
        const runOn = lines.flatMap((line, i) => {
          const next = lines[i + 1] ?? '';
          const heading = /^[^a-z0-9]*[A-Z][^a-z0-9]*$/.test(next) && next.length >= 3;
          const newParagraph =
            /[.!?]$/.test(line) && !/^(- |If you need this|Os oes arnoch angen)/.test(next);
          return line !== '' && next !== '' && (heading || newParagraph) ? [`${line} / ${next}`] : [];
        });
        expect(runOn).toEqual([]);
      },
    );

    it('gives every link meaningful text rather than a bare address', () => {
      const email = render(template);

      for (const [, text] of email.html.matchAll(/<a\b[^>]*>([^<]*)<\/a>/g)) {
        expect(text).not.toMatch(/^\s*(https?:|www\.)/);
        expect(text?.trim()).not.toBe('');
      }
    });
  });

  describe.each(Object.entries(FREE_TEXT))('%s', (template, field) => {
    it(`escapes HTML in ${field} and keeps the text readable in plain text`, () => {
      const name = template as EmailTemplate;

      const email = render(name, { [field]: `Before ${SCRIPT} after` } as Partial<EmailData[typeof name]>);

      expect(email.html).not.toContain('<script');
      expect(email.html).toContain('&lt;script&gt;');
      expect(email.text).toContain(SCRIPT);
    });

    it(`tidies the lines of ${field}: no space left at their ends, no run of blank lines`, () => {
      const name = template as EmailTemplate;
      const typed = 'First line,   \r\nsecond line.\t \n \n\n\n\nLast paragraph.\u00a0 ';

      const email = render(name, { [field]: typed } as Partial<EmailData[typeof name]>);

      expect(email.text).toContain('First line,\nsecond line.');
      expect(email.text).toContain('Last paragraph.');
      for (const body of [email.text, email.html]) expect(body).not.toMatch(/[^\S\n](\n|$)/);
      expect(email.text).not.toMatch(/\n\n\n/);
      expect(email.text).toBe(email.text.trim());
      expect(email.html).not.toMatch(/\n\n|^\n|\n$/);
    });
  });

  it('escapes HTML in the council name and the subject in the title', () => {
    const email = render('officer-task', { council: 'Test & <Council>', task: 'check-<b>-address' });

    expect(email.subject).toMatch(/^Check <b> address:/);
    expect(email.text).toContain('Test & <Council>');
    expect(email.html).toContain('<title>Check &lt;b&gt; address:');
    expect(email.html).toContain('Test &amp; &lt;Council&gt;');
    expect(email.html).not.toMatch(/<Council>|<b>/);
  });

  describe('response', () => {
    it.each<[Outcome, RegExp]>([
      ['upheld', /We have upheld your complaint\..*we got things wrong, and we are sorry/s],
      ['partially-upheld', /We have partially upheld your complaint\..*some things wrong/s],
      ['not-upheld', /We have not upheld your complaint\..*do not think we did anything wrong/s],
    ])('words the %s outcome', (outcome, wording) => {
      const email = render('response', { outcome });

      expect(email.text).toMatch(wording);
      expect(email.html.replace(/<\/?strong>/g, '')).toMatch(wording);
    });

    it('says by when and where to ask for stage 2', () => {
      const email = render('response');

      expect(email.text).toContain('You must ask by Friday 5 June 2026.');
      expect(email.text).toContain('https://redress.example/stage-2/CMP-2026-000123?sig=1');
      expect(email.html).toContain('<strong>Friday 5 June 2026</strong>');
      expect(email.html).toContain(
        '<a href="https://redress.example/stage-2/CMP-2026-000123?sig=1">Ask for your complaint to be reviewed at stage 2</a>',
      );
      expect(email.text).toMatch(/do not have to give reasons/);
    });

    it('lists the grounds when the policy requires them', () => {
      const email = render('response', {
        stage2: {
          requestBy: FRIDAY,
          url: 'https://redress.example/s2',
          grounds: ['The decision was based on a factual error'],
        },
      });

      expect(email.text).toContain('- The decision was based on a factual error');
      expect(email.html).toContain('<li>The decision was based on a factual error</li>');
      expect(email.text).not.toMatch(/do not have to give reasons/);
    });

    it('shows the remedy and actions', () => {
      const email = render('response');

      expect(email.text).toContain('WHAT WE WILL DO TO PUT THINGS RIGHT');
      expect(email.text).toContain('- Add your address to the assisted collection list');
    });

    it('leaves out the ombudsman when the policy does not signpost it at stage 1', () => {
      const email = render('response', { ombudsman: undefined });

      expect(email.text).not.toMatch(/Ombudsman/);
      expect(email.html).not.toMatch(/Ombudsman/);
    });

    it('points to the ombudsman as the next step when there is no stage 2', () => {
      const email = render('response', { stage2: undefined });

      expect(email.text).not.toMatch(/stage 2/);
      expect(email.text).toMatch(/IF YOU ARE STILL UNHAPPY/);
    });
  });

  describe('final-response', () => {
    it('signposts the Local Government and Social Care Ombudsman', () => {
      const email = render('final-response', { ombudsman: ombudsmanFor(makePolicy(), 'waste') });

      expect(email.text).toContain('Local Government and Social Care Ombudsman');
      expect(email.text).toContain('0300 061 0614');
      expect(email.html).toContain('href="tel:03000610614"');
      expect(email.html).toContain('href="https://www.lgo.org.uk"');
      expect(email.text).not.toMatch(/Housing Ombudsman/);
    });

    it('signposts the SPSO for a council in Scotland, its housing service too, with its 12 months', () => {
      const policy = loadPolicy('spso-model-chp');

      const email = render('final-response', { ombudsman: ombudsmanFor(policy, 'housing') });

      expect(email.text).toContain(
        'You can ask the Scottish Public Services Ombudsman to look at your complaint.',
      );
      expect(email.text).toContain('within 12 months of when you first knew about the problem');
      expect(email.text).toContain('Phone: 0800 377 7330');
      expect(email.text).not.toMatch(/Housing Ombudsman|Local Government/);
    });

    it('tells a resident in Northern Ireland that NIPSO expects them within 6 months of the end of the procedure', () => {
      const policy = makePolicy({
        calendar: { nation: 'northern-ireland' },
        ombudsman: { nation: 'northern-ireland' },
      });

      const email = render('final-response', { ombudsman: ombudsmanFor(policy) });

      expect(email.text).toContain('Northern Ireland Public Services Ombudsman');
      expect(email.text).toContain('within 6 months of the end of our complaints procedure');
      expect(email.html).toContain('href="tel:08003434');
    });

    it('signposts the Housing Ombudsman for the housing landlord function', () => {
      const policy = makePolicy({
        routing: {
          services: [
            { id: 'housing-repairs', name: 'Housing repairs', directorate: 'Place', housingLandlord: true },
          ],
        },
      });

      const email = render('final-response', { ombudsman: ombudsmanFor(policy, 'housing-repairs') });

      expect(email.text).toContain('Housing Ombudsman Service');
      expect(email.text).toContain('0300 111 3000');
      expect(email.text).toContain('complaints about Test Council as a landlord');
      expect(email.html).toContain('href="https://www.housing-ombudsman.org.uk"');
      expect(email.text).not.toMatch(/Local Government and Social Care Ombudsman/);
    });

    it.each<Outcome>(['upheld', 'partially-upheld', 'not-upheld'])('words the %s outcome', (outcome) => {
      const email = render('final-response', { outcome });

      const expected = {
        upheld: 'We have upheld',
        'partially-upheld': 'We have partially upheld',
        'not-upheld': 'We have not upheld',
      };
      expect(email.text).toContain(expected[outcome]);
    });
  });

  describe('ombudsmanFor', () => {
    it('picks the LGSCO for a service outside the landlord function and for no service', () => {
      const policy = makePolicy();

      expect(ombudsmanFor(policy, 'waste').kind).toBe('lgsco');
      expect(ombudsmanFor(policy).kind).toBe('lgsco');
    });
  });

  describe('receipt', () => {
    it('tells a complainant both dates', () => {
      const email = render('receipt');

      expect(email.text).toContain('We will acknowledge your complaint by Monday 18 May 2026');
      expect(email.text).toContain('full response by Friday 5 June 2026');
    });

    it.each([
      ['compliment', /pass your compliment on/],
      ['comment', /We will reply by Friday 5 June 2026/],
      ['representation', /people who make this policy/],
      ['social-care', /social care complaints team will contact you by Monday 18 May 2026/],
    ] as const)('says what happens next to a %s', (kind, wording) => {
      const email = render('receipt', { kind });

      expect(email.text).toMatch(wording);
    });

    it('leaves out dates it was not given', () => {
      const email = render('receipt', { acknowledgeBy: undefined, respondBy: undefined });

      expect(email.text).toContain('We will tell you who is dealing with your complaint.');
      expect(email.text).not.toMatch(/by \w+day/);
    });

    it('sends nothing the sender typed in what goes at once, so nobody can have the council mail their words to anyone', async () => {
      const phishing = 'Your council tax refund of £512 is ready: https://refund.example';
      const mailer = new MemoryMailer();
      const send = correspondence(loadPolicy('lgsco-code-2024'), mailer);
      const c = openCase('case-9', {
        complainant: { name: phishing, email: 'victim@example.com' },
        summary: phishing,
        triage: { route: 'redirect', reasons: [], redirect: 'Report a pothole online.' },
      });

      await send(c, 'receipt', ['victim@example.com']);
      await send(c, 'redirect', ['victim@example.com']);
      await send({ ...c, onBehalfOf: { name: phishing, consent: false } }, 'consent-needed', [
        'victim@example.com',
      ]);
      await send({ ...c, kind: 'compliment' }, 'compliment-acknowledgement', ['victim@example.com']);

      expect(mailer.sent).toHaveLength(4);
      for (const email of mailer.sent) {
        expect(`${email.subject}${email.text}${email.html}`).not.toContain('refund');
        expect(email.text).toMatch(/^Hello,\n\n/);
      }
    });
  });

  describe('vexatious-decision', () => {
    const designation = (restrictions: string[]) => ({
      at: '2026-03-02T10:00:00.000Z',
      by: 'nominated@example.gov.uk',
      reason: 'The same complaint ten times.',
      restrictions,
      reviewBy: '2026-09-02',
    });

    it("words the restrictions kept as keys in the case's language, and an old record's sentences too", async () => {
      const mailer = new MemoryMailer();
      const welshPolicy = loadPolicy(
        fileURLToPath(new URL('../fixtures/policies/welsh-council.json', import.meta.url)),
      );
      const send = correspondence(welshPolicy, mailer);
      const old = 'Please contact us in writing (by letter or email) rather than by phone.';

      await send(openCase('case-1', { designation: designation(['written-only']) }), 'vexatious-decision', [
        'a@example.com',
      ]);
      await send(
        openCase('case-2', { language: 'cy', designation: designation(['written-only']) }),
        'vexatious-decision',
        ['b@example.com'],
      );
      await send(
        openCase('case-3', { language: 'cy', designation: designation([old, 'Write to Mr Jones only.']) }),
        'vexatious-decision',
        ['c@example.com'],
      );

      const [english, welsh, legacy] = mailer.sent.map((m) => m.text);
      expect(english).toContain(old);
      expect(english).not.toContain('written-only');
      expect(welsh).toContain(
        'Cysylltwch â ni yn ysgrifenedig (drwy lythyr neu e-bost) yn hytrach na dros y ffôn.',
      );
      expect(welsh).not.toContain(old);
      expect(legacy).toContain('Cysylltwch â ni yn ysgrifenedig');
      expect(legacy).toContain('Write to Mr Jones only.');
    });

    it('says the complaint is closed only when the decision closes it', async () => {
      // The workflow closes the complaint with the decision; a designation made in the staff
      // workspace restricts contact and leaves the complaint where it was.
      const mailer = new MemoryMailer();
      const send = correspondence(loadPolicy('lgsco-code-2024'), mailer);
      const c = openCase('case-1', { designation: designation(['written-only']) });

      await send(c, 'vexatious-decision', ['a@example.com'], { closes: true });
      await send(c, 'vexatious-decision', ['a@example.com']);

      const [closing, open] = mailer.sent;
      expect(closing?.text).toContain('We have closed your complaint and will not look into it any further.');
      expect(open?.text).not.toMatch(/closed your complaint/);
    });
  });

  describe('extension', () => {
    it('gives the new date, the reason and the ombudsman', () => {
      const email = render('extension');

      expect(email.text).toContain('We will now send you our response by Friday 5 June 2026.');
      expect(email.text).toContain('We need to interview the crew.');
      expect(email.text).toContain('Local Government and Social Care Ombudsman');
    });

    it("prints the Ombudsman's details under their own heading in the posted letter", () => {
      const letter = renderEmail('extension', SAMPLES.extension, { medium: 'letter' });

      const blocks = letterBlocks(letter.text);

      expect(blocks).toContainEqual({ kind: 'heading', text: 'The Ombudsman' });
      expect(blocks.filter((b) => b.kind === 'para' && b.text.includes('THE OMBUDSMAN'))).toEqual([]);
    });

    it('names the Housing Ombudsman for a complaint about the council as landlord', () => {
      const email = render('extension', { ombudsman: HOUSING });

      expect(email.text).toContain('You can contact the Housing Ombudsman Service at any time');
      expect(email.html).toContain('href="tel:03001113000"');
    });

    it('leaves out the ombudsman when the policy does not ask for it', () => {
      const email = render('extension', { ombudsman: undefined });

      expect(email.text).not.toMatch(/Ombudsman/);
    });
  });

  describe('comment-reply', () => {
    it('says why and when when the full reply is not ready', () => {
      const email = renderEmail('comment-reply', {
        ...common,
        delayReason: 'We need to ask the parks team.',
        replyBy: '2026-06-05',
      });

      expect(email.text).toContain('We need to ask the parks team.');
      expect(email.text).toContain('full reply by Friday 5 June 2026');
    });
  });

  describe('officer-task', () => {
    it('says what to do, by when, with a button to the task page', () => {
      const email = render('officer-task');

      expect(email.subject).toBe('Acknowledge the complaint: CMP-2026-000123 by Friday 5 June 2026');
      expect(email.text).toContain('Do this by: Friday 5 June 2026');
      expect(email.text).toMatch(/for CMP-2026-000123\.\n\nWHAT YOU NEED TO DO\n\n/);
      expect(email.text).toContain('Open the task page: https://redress.example/tasks/abc.def?sig=1');
      expect(email.html).toMatch(
        /<a href="https:\/\/redress\.example\/tasks\/abc\.def\?sig=1"[^>]*>Acknowledge the complaint \(CMP-2026-000123\)<\/a>/,
      );
    });

    it.each([
      [
        'acknowledge',
        'Acknowledge the stage 2 review',
        /Read our stage 1 response and why the resident asked for a review/,
      ],
      ['respond', 'Send the stage 2 response', /write our final response/],
    ])('asks for the %s of a stage 2 review in its own words', (task, title, help) => {
      const email = render('officer-task', { task, stage: 2 });

      expect(email.subject).toBe(`${title}: CMP-2026-000123 by Friday 5 June 2026`);
      expect(email.text).toMatch(help);
      expect(email.text).not.toContain('make sure you understand the complaint and what they want');
    });

    it('describes a task it does not know in plain words', () => {
      const email = render('officer-task', { task: 'check-address' });

      expect(email.subject).toMatch(/^Check address:/);
    });

    it('refuses a link that is not a web address', () => {
      expect(() => render('officer-task', { taskUrl: 'javascript:alert(1)' })).toThrow(EmailTemplateError);
    });
  });

  describe.each(['officer-task', 'officer-reminder'] as const)('%s on a request for stage 2', (template) => {
    const words =
      'You said the refund would come in 5 days <b>but</b> it has not & nobody called.\n\nYou did not mention the interest.';

    it('shows why the resident asked for stage 2, in their words, with the grounds they chose', () => {
      // Act
      const email = render(template, {
        stage: 2,
        stage2Request: { grounds: ['The decision was based on a factual error'], text: words },
      });

      // Assess
      expect(email.text).toContain(
        `Why the resident asked for stage 2:\nGrounds they chose: The decision was based on a factual error\n${words}\n\nOpen the task page:`,
      );
      expect(email.html).toContain('<h2>Why the resident asked for stage 2</h2>');
      expect(email.html).toContain(
        '<p>Grounds they chose: <strong>The decision was based on a factual error</strong></p>',
      );
      expect(email.html).toContain(
        '<blockquote><p>You said the refund would come in 5 days &lt;b&gt;but&lt;/b&gt; it has not &amp; nobody called.</p>\n<p>You did not mention the interest.</p></blockquote>',
      );
      expect(email.html).not.toContain('<b>but</b>');
      expect(`${email.text}${email.html}`).not.toContain('Shortened');
    });

    it('shortens long reasons at a word and says the task page has all of them', () => {
      // Prepare: 2,000 characters of words, the last ones never shown.
      const long = `${'word '.repeat(399)}LASTWORD`;

      // Act
      const email = render(template, { stage: 2, stage2Request: { grounds: [], text: long } });

      // Assess
      const shown = /Why the resident asked for stage 2:\n(word[^\n]*)\n/.exec(email.text)?.[1] ?? '';
      expect(shown).toMatch(/^(word )+word …$/);
      expect(shown.length).toBeLessThanOrEqual(QUOTED_IN_TASK_EMAILS + 2);
      expect(shown.length).toBeGreaterThan(QUOTED_IN_TASK_EMAILS - 10);
      expect(email.text).not.toContain('LASTWORD');
      expect(email.text).toContain('(Shortened here. The task page shows all they wrote.)');
      expect(email.html).toContain('<p>(Shortened here. The task page shows all they wrote.)</p>');
      expect(email.html).not.toContain('LASTWORD');
    });

    it('says so when the resident gave no reasons, which they need not', () => {
      const email = render(template, { stage: 2, stage2Request: { grounds: [] } });

      expect(email.text).toContain(
        'Why the resident asked for stage 2:\nThey did not say. They do not have to give reasons.',
      );
      expect(email.html).toContain('<p>They did not say. They do not have to give reasons.</p>');
    });

    it('says nothing of stage 2 on a task that is not about it', () => {
      const email = render(template);

      expect(`${email.text}${email.html}`).not.toMatch(/asked for stage 2/i);
    });
  });

  describe('officer-task from a case that asked for stage 2', () => {
    const policy = loadPolicy('dudley');
    const stage2Case = openCase('case-7', {
      stage: 2,
      status: 'awaiting-acknowledgement',
      progress: {
        stage1: {
          startedAt: '2026-03-02T09:00:00.000Z',
          acknowledgedAt: '2026-03-03T09:00:00.000Z',
          respondedAt: '2026-03-10T09:00:00.000Z',
          response: { outcome: 'not-upheld', reasons: 'The bin was out late.' },
        },
        stage2: {
          startedAt: '2026-03-12T09:00:00.000Z',
          grounds: ['factual-error'],
          groundsText: 'My bin was out at 6am <every> week & the crew came at 7.',
        },
      },
    });

    it.each(['acknowledge', 'respond'])(
      "gives the %s task the resident's reasons and the label of their grounds",
      async (task) => {
        // Prepare
        const mailer = new MemoryMailer();
        const send = correspondence(policy, mailer);

        // Act
        await send(stage2Case, 'officer-task', ['reviewer@example.gov.uk'], {
          task,
          link: 'https://redress.example/tasks/abc.def',
        });

        // Assess
        const [email] = mailer.sent;
        expect(email?.text).toContain(
          'Grounds they chose: The decision made has been based on a factual error\nMy bin was out at 6am <every> week & the crew came at 7.',
        );
        expect(email?.html).toContain('My bin was out at 6am &lt;every&gt; week &amp; the crew came at 7.');
        expect(email?.text).toContain(
          'Our stage 1 response (not upheld):\nThe bin was out late.\n\nWhy the resident asked for stage 2:',
        );
      },
    );

    it('names a stage-1 response without an outcome as resolved at first contact', async () => {
      const mailer = new MemoryMailer();
      const resolved = structuredClone(stage2Case);
      resolved.progress.stage1.response = { reasons: 'We collected the bin the same day.' };

      await correspondence(policy, mailer)(resolved, 'officer-reminder', ['r@example.gov.uk'], {
        task: 'respond',
        link: 'https://redress.example/tasks/abc.def',
      });

      expect(mailer.sent[0]?.text).toContain(
        'Our stage 1 response (resolved at first contact):\nWe collected the bin the same day.',
      );
      expect(mailer.sent[0]?.html).toContain('<h2>Our stage 1 response (resolved at first contact)</h2>');
    });

    it('gives the stage-1 tasks of a case nothing about stage 2', async () => {
      const mailer = new MemoryMailer();
      const send = correspondence(policy, mailer);

      await send(openCase('case-8'), 'officer-task', ['officer@example.gov.uk'], {
        task: 'acknowledge',
        link: 'https://redress.example/tasks/abc.def',
      });

      expect(mailer.sent[0]?.text).not.toMatch(/asked for stage 2|stage 1 response/i);
    });

    it('gives the decision on a request for stage 2 the reasons, before stage 2 starts', async () => {
      const mailer = new MemoryMailer();
      const send = correspondence(policy, mailer);

      await send(
        { ...stage2Case, stage: 1, status: 'stage-2-requested' },
        'officer-task',
        ['r@example.gov.uk'],
        {
          task: 'stage-2-decision',
          link: 'https://redress.example/tasks/abc.def',
        },
      );

      expect(mailer.sent[0]?.text).toContain('Why the resident asked for stage 2:');
      expect(mailer.sent[0]?.text).toContain('the crew came at 7.');
      expect(mailer.sent[0]?.text).toContain('Our stage 1 response (not upheld):\nThe bin was out late.');
    });
  });

  describe('officer-reminder for a response', () => {
    // The holding letter goes when the due day begins (by post, two working days before it), not
    // once the deadline is missed: an officer told "if you miss it, the resident is sent a holding
    // letter" plans to answer on the day, and the resident has already been told it may be late.
    const acknowledged = (overrides: Partial<Parameters<typeof openCase>[1]> = {}) =>
      openCase('case-1', {
        status: 'investigating',
        progress: {
          stage1: { startedAt: '2026-03-02T09:00:00.000Z', acknowledgedAt: '2026-03-02T10:00:00.000Z' },
        },
        ...overrides,
      });
    const remind = async (c: ReturnType<typeof openCase>, now: string) => {
      const mailer = new MemoryMailer();
      await correspondence(loadPolicy('lgsco-code-2024'), mailer)(
        c,
        'officer-reminder',
        ['o@example.gov.uk'],
        {
          task: 'respond',
          link: 'https://redress.example/tasks/abc.def',
          now,
        },
      );
      return mailer.sent[0]?.text ?? '';
    };

    it('says the resident is told it may be late when the due day begins, unless it is sent first', async () => {
      const text = await remind(acknowledged(), '2026-03-12T00:00:00.000Z');

      expect(text).toContain('is due by Monday 16 March 2026');
      expect(text).toContain(
        'If it is not sent before Monday 16 March 2026, the resident is sent a letter that day saying it may be late. If you miss the deadline, the service manager is told.',
      );
    });

    it('says the letter to a resident who gets post goes today, when it goes with the reminder', async () => {
      const post = acknowledged({
        complainant: { name: 'Ada Lovelace', address: '12 Mill Lane\nExampletown', contactBy: 'post' },
      });

      const text = await remind(post, '2026-03-12T00:00:00.000Z');

      expect(text).toContain('A letter telling the resident it may be late goes to them by post today');
      expect(text).not.toContain('the resident is sent a holding letter');
    });
  });

  describe('manager-escalation', () => {
    it('names the deadline that was missed', () => {
      const email = render('manager-escalation', { missed: 'respondBy' });

      expect(email.subject).toBe('Deadline missed for CMP-2026-000123: send the response');
      expect(email.text).toContain(
        'The deadline to send the response for CMP-2026-000123 was Friday 5 June 2026',
      );
    });

    it('words a deadline it does not know from its name', () => {
      const email = render('manager-escalation', { missed: 'planAgreedBy' });

      expect(email.subject).toContain('plan agreed');
    });

    it.each([
      ['a stage 1 acknowledgement', { stage: 1 }, 'acknowledge', 'acknowledge the complaint'],
      ['a stage 1 response', { stage: 1 }, 'respond', 'send the response'],
      ['a stage 2 acknowledgement', { stage: 2 }, 'acknowledge', 'acknowledge the stage 2 request'],
      ['a stage 2 response', { stage: 2 }, 'respond', 'send the stage 2 (final) response'],
      ['a reply to a comment', { kind: 'comment' }, 'reply', 'reply to the comment'],
      [
        'feedback on a representation',
        { kind: 'representation' },
        'reply',
        'give feedback on the representation',
      ],
      ['passing on a compliment', { kind: 'compliment' }, 'reply', 'pass on the compliment'],
    ] as const)('tells the manager the missed deadline was %s', async (_what, overrides, clock, label) => {
      // The manager acts on the subject line: "send the response" for a comment, or for the
      // final response at stage 2, sends them to the wrong task.
      const mailer = new MemoryMailer();
      const send = correspondence(loadPolicy('lgsco-code-2024'), mailer);

      await send(openCase('case-1', overrides), 'manager-escalation', ['manager@example.gov.uk'], {
        clock,
        deadline: '2026-03-23T23:59:59.000Z',
      });

      expect(mailer.sent[0]?.subject).toBe(`Deadline missed for CMP-2026-000001: ${label}`);
    });
  });

  describe('complaints-team-alert', () => {
    it.each([
      ['workflow-start-failed', /did not start its workflow/],
      ['bounce', /could not be delivered/],
      ['referral-bounce', /did not reach the team it was passed to/],
      ['other', /needs attention/],
    ] as const)('words a %s alert', (problem, wording) => {
      const email = render('complaints-team-alert', { problem });

      expect(email.subject).toMatch(wording);
    });
  });

  it('throws a readable error when data the email prints is missing', () => {
    const data = { ...SAMPLES.acknowledgement } as Partial<EmailData['acknowledgement']>;
    delete data.handledBy;

    expect(() => renderEmail('acknowledgement', data as EmailData['acknowledgement'])).toThrow(
      /cannot render the "acknowledgement" email/,
    );
  });

  // Each template is compiled with its layout and partials written in, so nunjucks' own line
  // numbers count the lines of that whole; the error names the file and line they came from.
  it.each([
    ['a partial', 'response', 'respondent', 'outcome.txt, line 33, column 1'],
    ['the template itself', 'receipt', 'council', 'en:receipt.text, line 5, column 26'],
  ] as const)('names the line of %s that prints a missing value', (_where, template, key, origin) => {
    const data = { ...SAMPLES[template], [key]: undefined } as never;

    expect(() => renderEmail(template, data)).toThrow(`(from ${origin})`);
  });

  it('throws for an unknown template', () => {
    expect(() => renderEmail('nope' as EmailTemplate, SAMPLES.receipt as never)).toThrow(EmailTemplateError);
  });

  it('works when bundled into one file by esbuild, as in a Lambda', async () => {
    // Prepare: bundle the renderer the way RedressFunction does (ESM with the createRequire banner)
    const dir = await mkdtemp(join(tmpdir(), 'redress-email-'));
    try {
      const entry = fileURLToPath(new URL('../../functions/templates/render-email.ts', import.meta.url));
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        write: false,
        logLevel: 'silent',
        banner: {
          js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        },
      });
      const file = join(dir, 'bundle.mjs');
      await writeFile(file, result.outputFiles[0]?.text ?? '');

      // Act
      const bundled = (await import(file)) as { renderEmail: typeof renderEmail };
      const email = bundled.renderEmail('response', SAMPLES.response);

      // Assess
      expect(email).toEqual(renderEmail('response', SAMPLES.response));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('what a resident asked for, in the emails staff act on', () => {
  it('tells the officer with the task, and whoever prints a letter, how the resident asked to be contacted', async () => {
    const needs = { accessibilityNeeds: 'Large print, and please do not phone' };

    const task = await renderEmail('officer-task', { ...SAMPLES['officer-task'], ...needs });
    const printing = await renderEmail('print-and-post', { ...SAMPLES['print-and-post'], ...needs });

    expect(task.text).toContain('How they asked us to contact them: Large print, and please do not phone');
    expect(task.html).toContain('<strong>Large print, and please do not phone</strong>');
    expect(printing.text).toMatch(/THEY ASKED FOR\n\nLarge print, and please do not phone/);
    expect(printing.html).toContain('<h2>They asked for</h2>');
  });
});

describe('formatLongDate', () => {
  it.each([
    ['2026-06-05T22:59:59.000Z', 'Friday 5 June 2026'],
    // 23:30 UTC on 5 June is 00:30 on Saturday in London (BST)
    ['2026-06-05T23:30:00.000Z', 'Saturday 6 June 2026'],
    // In winter London is on GMT
    ['2026-01-09T23:59:59.000Z', 'Friday 9 January 2026'],
    ['2026-12-25', 'Friday 25 December 2026'],
  ])('shows %s as %s', (value, expected) => {
    expect(formatLongDate(value)).toBe(expected);
  });

  it('refuses something that is not a date', () => {
    expect(() => formatLongDate('soon')).toThrow(EmailTemplateError);
  });
});
