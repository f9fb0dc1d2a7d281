import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseRecord } from '../../functions/domain/case.js';
import { signLink } from '../../functions/domain/links.js';
import type { Policy } from '../../functions/domain/policy-schema.js';
import { EMAIL_TEMPLATES } from '../../functions/templates/render-email.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { complaintFrom, createHarness, type Harness, RESIDENT, SECRET } from '../workflows/harness.js';

/**
 * `npm run letters`: every letter Redress sends, for every policy preset, on every path a case
 * takes, written to `letters/` (git-ignored) so a person can read them all: each resident letter
 * as the HTML email and as the printed PDF, each email to staff as HTML, and an index page.
 *
 * The letters are not samples: each path runs the real ASL on the local engine with the real
 * steps and templates (the workflow test harness), twice — once for a resident with email, once
 * for a resident who asked for post — and what was sent is what is written.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'letters');
const POLICIES = join(ROOT, 'workflows', 'policies');

type Mode = 'email' | 'post';

interface Scenario {
  id: string;
  title: string;
  /** Whether the path exists under this policy (e.g. stage 2 only where there are two stages). */
  applies: (policy: Policy) => boolean;
  run: (h: Harness, complainant: Record<string, unknown>) => Promise<void>;
}

const ADDRESS = '12 Mill Lane\nExampletown\nEX1 2AB';

function complainantFor(mode: Mode): Record<string, unknown> {
  return mode === 'email'
    ? { name: 'Ada Lovelace', email: RESIDENT, phone: '01632 960 001' }
    : { name: 'Ada Lovelace', email: RESIDENT, phone: '01632 960 001', address: ADDRESS, contactBy: 'post' };
}

const after = (iso: string | undefined, ms = 60_000) =>
  new Date(Date.parse(iso as string) + ms).toISOString();

/** Acts on a task as its officer would, failing loudly if the page refuses. */
async function act(h: Harness, task: string, fields: Record<string, string>, to?: string): Promise<void> {
  const result = await h.act(h.linkFor(task, to), fields);
  if (result.statusCode !== 200) throw new Error(`${task} ${fields.decision}: ${result.statusCode}`);
}

/** Whether a task's link has been emailed. */
function hasLink(h: Harness, task: string): boolean {
  try {
    h.linkFor(task);
    return true;
  } catch {
    return false;
  }
}

/** The resident's stage-2 link, signed as the response letter's is (a posted letter cannot be clicked). */
async function askForStage2(h: Harness, c: CaseRecord, text: string): Promise<void> {
  const token = signLink(
    { c: c.caseId, t: 'stage-2-request', a: 'stage-2-request', o: 'resident', e: 4_102_444_800 },
    SECRET,
  );
  // A council that asks for grounds (Dudley's three) gets the first it offers.
  const stage2 = h.policy.complaint.stage2;
  const ground = stage2?.groundsRequired ? stage2.grounds[0]?.id : undefined;
  const result = await h.act(token, {
    decision: 'request',
    response: text,
    ...(ground ? { grounds: ground } : {}),
  });
  if (result.statusCode !== 200) throw new Error(`stage-2 request: ${result.statusCode}`);
}

const complaint = (h: Harness, complainant: Record<string, unknown>) =>
  h.submit(complaintFrom(h, { complainant }));
const twoStages = (p: Policy) => p.complaint.stages === 2;
const always = () => true;

const RESPONSE = {
  response:
    'We checked our records and spoke to the officers involved. Your application was filed under the wrong name twice.',
  remedy: 'We have processed your application today and apologise for the delay.',
  actions: 'Staff will check the name on every application before filing it.',
};

const SCENARIOS: Scenario[] = [
  {
    id: 'referred',
    title:
      'A hate incident referred to the team the policy names; the complaints team confirms, then that the team picked it up',
    applies: (p) => p.exclusions.includes('hate-incident'),
    async run(h, who) {
      await h.submit(
        complaintFrom(h, {
          complainant: who,
          summary: 'My neighbour shouts racist abuse at my children every day.',
        }),
      );
      await act(h, 'confirm-exclusion', { decision: 'confirm' });
      // Where the team is not the complaints team itself, which then checks back that it has it.
      if (hasLink(h, 'referral-check')) await act(h, 'referral-check', { decision: 'picked-up' });
    },
  },
  {
    id: 'consent-awaited',
    title: 'A representative without consent yet: asked for it, then consent received and acknowledged',
    applies: always,
    async run(h, who) {
      await h.submit(
        complaintFrom(h, {
          complainant: who,
          onBehalfOf: { name: 'Grace Hopper', relationship: 'neighbour', consent: false },
        }),
      );
      await act(h, 'consent', { decision: 'consent-received' });
      await act(h, 'acknowledge', ACKNOWLEDGE);
    },
  },
  {
    id: 'consent-not-given',
    title: 'A representative whose consent never came: the complaint closed, and the time limit to come back',
    applies: always,
    async run(h, who) {
      await h.submit(
        complaintFrom(h, {
          complainant: who,
          onBehalfOf: { name: 'Grace Hopper', relationship: 'neighbour', consent: false },
          happenedOn: '2026-02-20',
        }),
      );
      await act(h, 'consent', {
        decision: 'no-consent',
        reason: 'We wrote to Grace Hopper twice and have had no reply giving her consent.',
      });
    },
  },
  {
    id: 'out-of-time',
    title: 'About something two years ago: refused as out of time, with reasons and the Ombudsman',
    applies: (p) => p.complaint.timeLimitMonths !== undefined,
    async run(h, who) {
      await h.submit(complaintFrom(h, { complainant: who, happenedOn: '2024-01-10' }));
      await act(h, 'acknowledge', {
        decision: 'refuse-out-of-time',
        timeLimitReason:
          'The contractor’s records from 2024 no longer exist, and you knew of it at the time.',
      });
    },
  },
  {
    id: 'upheld',
    title: 'Complaint acknowledged and upheld; no stage 2 asked for',
    applies: always,
    async run(h, who) {
      const c = await complaint(h, who);
      await act(h, 'acknowledge', ACKNOWLEDGE);
      await act(h, 'respond', { decision: 'respond', outcome: 'upheld', ...RESPONSE });
      const responded = await h.caseOf(c.caseId);
      if (responded.deadlines.stage2RequestBy) await h.advanceTo(after(responded.deadlines.stage2RequestBy));
    },
  },
  {
    id: 'resolved-at-first-contact',
    title: 'Complaint resolved at first contact',
    applies: always,
    async run(h, who) {
      await complaint(h, who);
      await act(h, 'acknowledge', {
        decision: 'resolve',
        response: 'We rebooked your collection for Thursday and called you to apologise.',
      });
    },
  },
  {
    id: 'extended-twice',
    title: 'Response extended twice, then partially upheld',
    applies: always,
    async run(h, who) {
      await complaint(h, who);
      await act(h, 'acknowledge', ACKNOWLEDGE);
      await act(h, 'respond', {
        decision: 'extend',
        extendDays: '3',
        reason: 'We are waiting for the contractor’s report.',
      });
      await act(h, 'respond', {
        decision: 'extend',
        extendDays: '2',
        reason: 'The contractor’s report came late.',
      });
      await act(h, 'respond', { decision: 'respond', outcome: 'partially-upheld', ...RESPONSE });
    },
  },
  {
    id: 'holding-letter',
    title: 'Response late: holding letter before the deadline, escalation, then not upheld',
    applies: always,
    async run(h, who) {
      const c = await complaint(h, who);
      await act(h, 'acknowledge', ACKNOWLEDGE);
      await h.advanceTo(after((await h.caseOf(c.caseId)).deadlines.respondBy, 3_600_000));
      await act(h, 'respond', {
        decision: 'respond',
        outcome: 'not-upheld',
        response:
          'Your bin was collected on each day you told us about; the crew’s records and photos show it.',
      });
    },
  },
  {
    id: 'paused-for-mediation',
    title: 'Complaint paused for mediation, restarted, then upheld',
    applies: always,
    async run(h, who) {
      await complaint(h, who);
      await act(h, 'acknowledge', ACKNOWLEDGE);
      await act(h, 'respond', {
        decision: 'pause',
        pauseKind: 'mediation',
        residentAgreed: 'yes',
        pauseNote: 'You agreed to meet your neighbour with a mediator.',
      });
      await act(h, 'resume', { decision: 'resume' });
      await act(h, 'respond', { decision: 'respond', outcome: 'upheld', ...RESPONSE });
    },
  },
  {
    id: 'not-a-complaint',
    title: 'Found to be a service request, not a complaint',
    applies: always,
    async run(h, who) {
      await complaint(h, who);
      await act(h, 'acknowledge', {
        decision: 'not-a-complaint',
        redirect:
          'This is the first time the street light has been reported. We have booked the repair for Thursday.',
      });
    },
  },
  {
    id: 'redirected',
    title: 'A first report redirected at once (pothole)',
    applies: always,
    async run(h, who) {
      await h.submit({
        kind: 'complaint',
        summary: 'There is a pothole outside my house on Hill Road.',
        complainant: who,
      });
    },
  },
  {
    id: 'childrens-social-care',
    title: "Children's social care, sent with the adult service: referred to the children's team",
    applies: (p) => p.exclusions.includes('childrens-social-care'),
    async run(h, who) {
      const adult = h.policy.routing.services.find((s) => s.redirect?.kind === 'social-care');
      await h.submit({
        kind: 'complaint',
        ...(adult ? { service: adult.id } : {}),
        summary:
          'Our foster placement broke down in January and the child protection social worker has not returned our calls since.',
        complainant: who,
      });
    },
  },
  {
    id: 'stage-2',
    title: 'Not upheld at stage 1; reviewed at stage 2 and partially upheld',
    applies: twoStages,
    async run(h, who) {
      const c = await complaint(h, who);
      await act(h, 'acknowledge', ACKNOWLEDGE);
      await act(h, 'respond', {
        decision: 'respond',
        outcome: 'not-upheld',
        response: 'We found no fault in how your application was handled.',
      });
      await askForStage2(h, c, 'You did not look at the emails I sent in January.');
      // A council whose reviewer decides on the request first (Dudley's grounds, South Norfolk's
      // review) accepts it.
      const asked = await h.caseOf(c.caseId);
      if (asked.openTask?.name === 'stage-2-decision') {
        await act(h, 'stage-2-decision', { decision: 'accept' }, asked.openTask.officer);
      }
      const stage2 = await h.caseOf(c.caseId);
      await act(h, 'acknowledge', ACKNOWLEDGE, stage2.assignedTo);
      await act(
        h,
        'respond',
        { decision: 'respond', outcome: 'partially-upheld', ...RESPONSE },
        stage2.assignedTo,
      );
    },
  },
  {
    id: 'stage-2-refused',
    title: 'Stage 2 refused for want of grounds',
    applies: (p) => twoStages(p) && (p.complaint.stage2?.groundsRequired ?? false),
    async run(h, who) {
      const c = await complaint(h, who);
      await act(h, 'acknowledge', ACKNOWLEDGE);
      await act(h, 'respond', { decision: 'respond', outcome: 'not-upheld', response: 'We found no fault.' });
      await askForStage2(h, c, 'I just disagree.');
      const reviewer = (await h.caseOf(c.caseId)).openTask?.officer as string;
      await act(
        h,
        'stage-2-decision',
        {
          decision: 'refuse',
          reason: 'You gave no new evidence and showed no error in how we dealt with your complaint.',
        },
        reviewer,
      );
    },
  },
  {
    id: 'vexatious',
    title: 'Contact referred and designated unreasonably persistent',
    applies: always,
    async run(h, who) {
      await complaint(h, who);
      await act(h, 'acknowledge', {
        decision: 'refer-vexatious',
        reason: 'Forty emails in a month about the same matter.',
      });
      await act(
        h,
        'vexatious-decision',
        {
          decision: 'designate',
          reason:
            'You have sent us 40 emails about the same matter in a month, which takes officers away from other residents.',
        },
        h.policy.routing.nominatedOfficer,
      );
    },
  },
  {
    id: 'compliment',
    title: 'A compliment, passed on',
    applies: always,
    async run(h, who) {
      await h.submit({
        kind: 'compliment',
        summary: 'Sam on the bin round helped me every week while I was ill.',
        complainant: who,
      });
      await act(h, 'compliment-pass-on', {
        decision: 'passed-on',
        staffNamed: 'Sam Jones',
        response: 'Passed to Sam and their manager.',
      });
    },
  },
  {
    id: 'comment-replied',
    title: 'A comment, replied to in time',
    applies: always,
    async run(h, who) {
      await h.submit({
        kind: 'comment',
        summary: 'The library could open later on Thursdays.',
        complainant: who,
      });
      await act(h, 'comment-reply', {
        decision: 'reply',
        response: 'Thank you. We will try late opening on Thursdays from May.',
      });
    },
  },
  {
    id: 'comment-late',
    title: 'A comment whose reply is late: why and when, then the reply',
    applies: always,
    async run(h, who) {
      const c = await h.submit({
        kind: 'comment',
        summary: 'More benches in the park, please.',
        complainant: who,
      });
      await h.advanceTo(after(c.deadlines.replyBy, 3_600_000));
      await act(h, 'comment-reply', {
        decision: 'reply',
        response: 'We will add two benches by the pond this spring.',
      });
    },
  },
  {
    id: 'representation',
    title: 'A representation about a policy, with feedback',
    applies: always,
    async run(h, who) {
      await h.submit({
        kind: 'representation',
        summary: 'Charging for garden waste is unfair to pensioners.',
        complainant: who,
      });
      await act(
        h,
        'representation-feedback',
        {
          decision: 'feedback',
          response: 'Councillors will review the concession at the March cabinet meeting.',
        },
        h.policy.representation.policyOwner,
      );
    },
  },
  {
    id: 'social-care-satisfied',
    title: 'Social care: plan agreed, complainant satisfied, written response',
    applies: (p) => p.socialCare !== undefined && p.routing.services.some((s) => s.id === 'home-care'),
    async run(h, who) {
      await h.submit({
        kind: 'complaint',
        service: 'home-care',
        summary: 'The carers for my father arrive hours late.',
        complainant: who,
      });
      await act(h, 'acknowledge', ACKNOWLEDGE);
      await act(h, 'social-care-plan', {
        decision: 'agree-plan',
        plan: 'Review the rota with the care provider and call you weekly.',
        agreedWorkingDays: '15',
      });
      await act(h, 'social-care-review', {
        decision: 'resolved',
        response: 'The provider changed the rota; your father now gets his morning call by 9am.',
      });
    },
  },
  {
    id: 'social-care-six-months',
    title: 'Social care: a long plan passes six months, then the complainant is satisfied',
    applies: (p) => p.socialCare !== undefined && p.routing.services.some((s) => s.id === 'home-care'),
    async run(h, who) {
      const c = await h.submit({
        kind: 'complaint',
        service: 'home-care',
        summary: 'My mother’s care package was cut without an assessment.',
        complainant: who,
      });
      await act(h, 'acknowledge', ACKNOWLEDGE);
      await act(h, 'social-care-plan', {
        decision: 'agree-plan',
        plan: 'A full reassessment with an independent social worker, then a review of the package.',
        agreedWorkingDays: '130',
      });
      await h.advanceTo(after((await h.caseOf(c.caseId)).deadlines.tellIfBeyond, 3_600_000));
      await act(h, 'social-care-review', {
        decision: 'resolved',
        response: 'The reassessment restored the package from 1 September.',
      });
    },
  },
  {
    id: 'social-care-signed-off',
    title: 'Social care: closed as an appropriate and proportionate response, signed off',
    applies: (p) => p.socialCare !== undefined && p.routing.services.some((s) => s.id === 'home-care'),
    async run(h, who) {
      await h.submit({
        kind: 'complaint',
        service: 'home-care',
        summary: 'I was not told about the change in care charges.',
        complainant: who,
      });
      await act(h, 'acknowledge', ACKNOWLEDGE);
      await act(h, 'social-care-plan', {
        decision: 'agree-plan',
        plan: 'Explain the charges in a meeting.',
        agreedWorkingDays: '10',
      });
      await act(h, 'social-care-review', {
        decision: 'propose-closing',
        reason:
          'The charges were explained in full at a meeting; the remaining dispute is about the national charging rules.',
      });
      await act(h, 'sign-off', { decision: 'approve' }, h.policy.socialCare?.signOffBy.email);
    },
  },
];

interface Written {
  preset: string;
  scenario: Scenario;
  seq: number;
  template: string;
  subject: string;
  to: string;
  resident: boolean;
  html: string;
  pdf?: string;
}

const slug = (s: string) => s.replace(/[^a-z0-9-]+/gi, '-').toLowerCase();

/** A set of letters: a policy preset (a name in `workflows/policies/` or a file), in one language. */
interface Run {
  /** The folder and heading of its letters. */
  name: string;
  policy: string;
  /** The language every resident of the run writes in (the complaint's `language`). */
  language?: 'cy';
}

/**
 * A council in Wales that offers Welsh, on the default preset's timescales with the Public
 * Services Ombudsman for Wales: every path run for a resident who wrote in Welsh, so the Welsh
 * letters can be read (and reviewed by the council's translators) beside the English ones.
 */
function welshRun(): Run {
  const file = join(mkdtempSync(join(tmpdir(), 'redress-letters-')), 'in-welsh.json');
  writeFileSync(
    file,
    JSON.stringify({
      extends: 'lgsco-code-2024',
      id: 'in-welsh',
      languages: ['en', 'cy'],
      ombudsman: { nation: 'wales' },
    }),
  );
  return { name: 'in-welsh', policy: file, language: 'cy' };
}

async function runOnce(run: Run, scenario: Scenario, mode: Mode): Promise<Harness> {
  const h = await createHarness({ policy: run.policy });
  const { language } = run;
  if (language !== undefined) {
    const submit = h.submit.bind(h);
    const enter = h.enter.bind(h);
    h.submit = (body) => submit({ ...body, language });
    h.enter = (body, staff) => enter({ ...body, language }, staff);
  }
  await scenario.run(h, complainantFor(mode));
  return h;
}

async function main(): Promise<void> {
  const runs: Run[] = [
    ...readdirSync(POLICIES)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''))
      .sort()
      .map((name) => ({ name, policy: name })),
    welshRun(),
  ];
  const presets = runs.map((r) => r.name);
  await rm(OUT, { recursive: true, force: true });
  const written: Written[] = [];
  const problems: string[] = [];
  let paths = 0;

  for (const run of runs) {
    const preset = run.name;
    for (const scenario of SCENARIOS) {
      const probe = await createHarness({ policy: run.policy });
      const applies = scenario.applies(probe.policy);
      await probe.close();
      if (!applies) continue;
      paths++;
      const dir = join(OUT, slug(preset), scenario.id);
      await mkdir(dir, { recursive: true });

      let byEmail: Harness | undefined;
      let byPost: Harness | undefined;
      try {
        byEmail = await runOnce(run, scenario, 'email');
        const sent = [...byEmail.sent];
        await byEmail.close();
        byEmail = undefined;
        byPost = await runOnce(run, scenario, 'post');
        const letters: { template: string; pdf: Uint8Array }[] = [];
        // The harness names cases case-1, case-2, … in the order they were made.
        for (let i = 1; ; i++) {
          const c = await byPost.store.get(`case-${i}`);
          if (!c) break;
          for (const e of await byPost.store.events(c.caseId)) {
            if (e.type !== 'letter-written') continue;
            const pdf = await byPost.archive.getLetter(c.caseId, String(e.detail?.letter));
            if (pdf) letters.push({ template: String(e.detail?.template), pdf });
          }
        }
        const printRequests = byPost.sent.filter((m) => m.template === 'print-and-post');
        await byPost.close();
        byPost = undefined;

        let residentIndex = 0;
        for (const [i, message] of sent.entries()) {
          const resident = message.to.includes(RESIDENT);
          const template = message.template ?? 'unknown';
          const base = `${String(i + 1).padStart(2, '0')}-${template}${resident ? '' : '-to-staff'}`;
          await writeFile(join(dir, `${base}.html`), message.html);
          const entry: Written = {
            preset,
            scenario,
            seq: i + 1,
            template,
            subject: message.subject,
            to: resident ? 'resident' : message.to.join(', '),
            resident,
            html: relative(OUT, join(dir, `${base}.html`)),
          };
          if (resident) {
            const letter = letters[residentIndex++];
            if (!letter || letter.template !== template) {
              problems.push(
                `${preset}/${scenario.id}: letter ${residentIndex} by post is ${letter?.template ?? 'missing'}, by email ${template}`,
              );
            } else {
              await writeFile(join(dir, `${base}.pdf`), letter.pdf);
              entry.pdf = relative(OUT, join(dir, `${base}.pdf`));
            }
          }
          written.push(entry);
        }
        // What the mailbox is asked to print and post, for the resident who asked for post.
        for (const [i, message] of printRequests.entries()) {
          const base = `post-${String(i + 1).padStart(2, '0')}-print-and-post-to-staff`;
          await writeFile(join(dir, `${base}.html`), message.html);
          written.push({
            preset,
            scenario,
            seq: sent.length + i + 1,
            template: 'print-and-post',
            subject: message.subject,
            to: message.to.join(', '),
            resident: false,
            html: relative(OUT, join(dir, `${base}.html`)),
          });
        }
        if (residentIndex !== letters.length) {
          problems.push(
            `${preset}/${scenario.id}: ${letters.length} letters by post, ${residentIndex} by email`,
          );
        }
      } catch (error: unknown) {
        problems.push(`${preset}/${scenario.id}: ${error instanceof Error ? error.message : String(error)}`);
        await byEmail?.close();
        await byPost?.close();
      }
    }
  }

  const residentLetters = written.filter((w) => w.resident);
  const templatesSeen = new Set(written.map((w) => w.template));
  const notSeen = EMAIL_TEMPLATES.filter((t) => !templatesSeen.has(t));
  const residentTemplates = new Set(residentLetters.map((w) => w.template));
  await writeFile(
    join(OUT, 'index.html'),
    indexPage(presets, written, { paths, notSeen, problems, residentTemplates }),
  );

  console.log(
    `${residentLetters.length} resident letters (HTML and PDF) and ${written.length - residentLetters.length} staff emails ` +
      `from ${residentTemplates.size} resident templates and ${templatesSeen.size - residentTemplates.size} staff templates, ` +
      `${presets.length} presets (one of them in Welsh), ${SCENARIOS.length} paths (${paths} preset × path runs that apply)`,
  );
  console.log(`Templates no path sends: ${notSeen.join(', ') || 'none'}`);
  console.log(`Open ${join(OUT, 'index.html')}`);
  if (problems.length) {
    console.error(`${problems.length} problems:\n${problems.join('\n')}`);
    process.exitCode = 1;
  }
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function indexPage(
  presets: string[],
  written: Written[],
  facts: { paths: number; notSeen: string[]; problems: string[]; residentTemplates: Set<string> },
): string {
  const sections = presets
    .map((preset) => {
      const rows = SCENARIOS.map((scenario) => {
        const items = written.filter((w) => w.preset === preset && w.scenario === scenario);
        if (items.length === 0) return '';
        const list = items
          .map(
            (w) =>
              `<li>${w.seq}. <a href="${escapeHtml(w.html)}">${escapeHtml(w.subject)}</a>${w.pdf ? ` (<a href="${escapeHtml(w.pdf)}">PDF</a>)` : ''} <span class="to">to ${escapeHtml(w.to)} · ${escapeHtml(w.template)}</span></li>`,
          )
          .join('\n');
        return `<h3 id="${slug(`${preset}-${scenario.id}`)}">${escapeHtml(scenario.title)}</h3>\n<ol class="letters">\n${list}\n</ol>`;
      }).join('\n');
      return `<h2 id="${slug(preset)}">${escapeHtml(preset)}</h2>\n${rows}`;
    })
    .join('\n');
  const residentCount = written.filter((w) => w.resident).length;
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Redress letters: every template, preset and path</title>
<style>
body { font-family: Arial, sans-serif; max-width: 60em; margin: 2em auto; line-height: 1.5; color: #0b0c0c; }
a { color: #1d70b8; } .to { color: #505a5f; font-size: 0.9em; } ol.letters { list-style: none; padding-left: 0; }
.problems { border-left: 5px solid #d4351c; padding-left: 1em; }
</style>
</head>
<body>
<h1>Redress letters</h1>
<p>${residentCount} letters to residents (each as the email and as the printed PDF) and ${written.length - residentCount} emails to staff, from ${facts.residentTemplates.size} resident templates, ${presets.length} policy presets (the last one a council in Wales, its residents writing in Welsh) and ${SCENARIOS.length} paths (${facts.paths} preset and path pairs that apply). Each path ran through the workflow on the local engine, once for a resident with email and once for a resident who asked for post.</p>
<p>Templates no path sends: ${escapeHtml(facts.notSeen.join(', ') || 'none')}.</p>
${facts.problems.length ? `<div class="problems"><h2>Problems</h2><ul>${facts.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul></div>` : ''}
<nav><ul>${presets.map((p) => `<li><a href="#${slug(p)}">${escapeHtml(p)}</a></li>`).join('')}</ul></nav>
${sections}
</body>
</html>
`;
}

await main();
