import { describe, expect, it } from 'vitest';
import { TASK_FORMS } from '../../../functions/app/task-forms.js';
import type { CaseRecord } from '../../../functions/domain/case.js';
import { deriveDeadlines } from '../../../functions/domain/case-clock.js';
import { TASK_NAMES } from '../../../functions/domain/workflow-names.js';
import {
  casePage,
  confirmationPage,
  errorModel,
  fieldId,
  flattenValues,
  linkProblemPage,
  RESIDENT_FORM_FIELDS,
  residentFormPage,
  type TaskView,
  taskPage,
  taskViewFromCase,
} from '../../../functions/web/render.js';
import {
  sampleCase,
  sampleCaseToldLater,
  sampleDeadlines,
  sampleEvents,
  samplePolicy,
  sampleTask,
} from './sample-data.js';

const XSS = '<script>alert("owned")</script><img src=x onerror=alert(1)>';

/** Every `id="…"` in a page. */
function ids(html: string): Set<string> {
  return new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1] as string));
}

/** The hrefs of the error summary's links. */
function summaryLinks(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/href="([^"]+)"/g)].map((m) => m[1] as string);
}

describe('escaping', () => {
  it('renders a summary containing a script tag as inert text on the task page', () => {
    const html = taskPage({ task: sampleTask('respond', { summary: XSS, complainantName: XSS }), csrf: 'c' });

    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;');
  });

  it('renders resident text and event details as inert text on the case page', () => {
    const record = { ...sampleCase, summary: XSS, desiredOutcome: XSS };
    const events = [{ ...sampleEvents[0], detail: { note: XSS } }] as typeof sampleEvents;

    const html = casePage({ record, events });

    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
  });

  it('says that what a Welsh case was told is in Welsh, where the case page shows it to staff', () => {
    const told = {
      ...sampleCase.triage,
      route: 'refer' as const,
      redirect: 'Mae ein tîm yswiriant yn delio â nhw.',
    };

    const welsh = casePage({ record: { ...sampleCase, language: 'cy', triage: told }, events: sampleEvents });
    const english = casePage({
      record: { ...sampleCase, triage: { ...told, redirect: 'Our insurance team deals with them.' } },
      events: sampleEvents,
    });

    expect(welsh).toContain('Where the resident was sent (in Welsh)');
    expect(welsh).toContain('Mae ein tîm yswiriant yn delio â nhw.');
    expect(english).toContain('Where the resident was sent');
    expect(english).not.toContain('(in Welsh)');
  });

  it('keeps an evidence file’s digest and entity tag off the timeline, and shows what it is', () => {
    const sha256 = 'a'.repeat(64);
    const events = [
      {
        ...sampleEvents[0],
        type: 'evidence-received',
        detail: { fileId: 'f-1', type: 'image/png', size: 2048, sha256, etag: '"0123abcd"' },
      },
    ] as typeof sampleEvents;

    const html = casePage({ record: sampleCase, events });

    expect(html).toContain('File 1 (PNG image, 2 KB)');
    expect(html).not.toContain(sha256);
    expect(html).not.toContain('0123abcd');
  });

  it('escapes what an evidence event holds that no words are known for', () => {
    const events = [
      { ...sampleEvents[0], type: 'evidence-rejected', detail: { fileId: 'f-1', reason: XSS } },
      { ...sampleEvents[0], type: 'evidence-sent-again', detail: { fileId: 'f-2', sameAs: XSS } },
    ] as typeof sampleEvents;

    const html = casePage({ record: sampleCase, events });

    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('Repeats:</strong> a file no longer on the case');
  });

  it('keeps the one-off id of the page a conversation was recorded from off the timeline', () => {
    const events = [
      {
        ...sampleEvents[0],
        type: 'contact-with-resident',
        detail: {
          task: 'respond',
          decision: 'record-contact',
          recorded: true,
          formId: 'a7f1c1a2-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
        },
      },
    ] as typeof sampleEvents;

    const html = casePage({ record: sampleCase, events });

    expect(html).toContain('record-contact');
    expect(html).not.toContain('a7f1c1a2-3c4d-4e5f-8a9b-0c1d2e3f4a5b');
    expect(html).not.toContain('Form id');
  });

  it('keeps SES’s message ids off the timeline, and shows who a bounce was to and what the team was told', () => {
    const events = [
      {
        ...sampleEvents[0],
        type: 'email-bounced',
        detail: {
          template: 'response',
          residentAffected: true,
          recipients: ['ada@example.com'],
          messageId: 'ses-0101-abc',
        },
      },
      {
        ...sampleEvents[0],
        type: 'email-sent',
        detail: {
          template: 'complaints-team-alert',
          problem: 'bounce',
          about: 'ses-0101-abc',
          messageId: 'ses-0202-def',
        },
      },
    ] as typeof sampleEvents;

    const html = casePage({ record: sampleCase, events });

    expect(html).toContain('ada@example.com');
    expect(html).toContain('complaints-team-alert');
    expect(html).not.toContain('ses-0101-abc');
    expect(html).not.toContain('ses-0202-def');
  });

  it('shows the officer how to reach the resident on the case page: phone, postal address, letters by post', () => {
    const record = {
      ...sampleCase,
      complainant: {
        name: 'Grace Hopper',
        phone: '01632 960 001',
        address: '12 Mill Lane\nExampletown\nEX1 2AB',
      },
    };

    const html = casePage({ record, events: sampleEvents });

    expect(html).toContain('01632 960 001');
    expect(html).toContain('12 Mill Lane, Exampletown, EX1 2AB');
    expect(html).toMatch(/Letters go by\s*<\/dt>\s*<dd[^>]*>\s*post/);
  });

  it('re-fills the form with escaped values and an escaped csrf token', () => {
    const html = residentFormPage({
      policy: samplePolicy,
      csrf: '"><script>x</script>',
      values: { summary: `</textarea>${XSS}`, complainant: { name: `"${XSS}` } },
    });

    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<script>x');
    expect(html).not.toContain('</textarea><script>');
  });

  it('escapes the reference inside the confirmation panel', () => {
    const html = confirmationPage({ reference: XSS, kind: 'complaint', deadlines: {}, councilName: 'C' });

    expect(html).not.toContain('<script>alert');
  });
});

describe('residentFormPage', () => {
  it('links every error in the summary to the id of its field', () => {
    const errors = Object.fromEntries(RESIDENT_FORM_FIELDS.map((f) => [f, `Problem with ${f}`]));

    const html = residentFormPage({ policy: samplePolicy, errors, values: { onBehalf: 'yes' } });

    const links = summaryLinks(html);
    expect(links).toEqual(RESIDENT_FORM_FIELDS.map((f) => `#${fieldId(f)}`));
    const present = ids(html);
    for (const link of links) expect(present.has(link.slice(1))).toBe(true);
  });

  it('prefixes the title with "Error: " only when there are errors', () => {
    const withErrors = residentFormPage({ policy: samplePolicy, errors: { summary: 'Enter your feedback' } });
    const without = residentFormPage({ policy: samplePolicy });

    expect(withErrors).toMatch(/<title>Error: Give feedback/);
    expect(without).toMatch(/<title>Give feedback/);
    expect(without).not.toContain('govuk-error-summary');
  });

  it('lists errors for fields the form does not show without a link, and maps object errors to their question', () => {
    const html = residentFormPage({
      policy: samplePolicy,
      errors: { channel: 'Channel must be online', onBehalfOf: 'Send the person you are complaining for' },
    });

    expect(summaryLinks(html)).toEqual(['#onBehalf']);
    expect(html).toContain('Channel must be online');
    expect(html).toContain('id="onBehalf-error"');
  });

  it('names the fields by the dotted paths of the JSON body', () => {
    const html = residentFormPage({ policy: samplePolicy, csrf: 'tok' });

    for (const name of [
      'kind',
      'service',
      'summary',
      'desiredOutcome',
      'complainant.name',
      'complainant.email',
    ]) {
      expect(html).toContain(`name="${name}"`);
    }
    for (const name of ['complainant.phone', 'complainant.address', 'onBehalf', 'onBehalfOf.name']) {
      expect(html).toContain(`name="${name}"`);
    }
    for (const name of ['onBehalfOf.relationship', 'onBehalfOf.consent', 'anonymous', 'accessibilityNeeds']) {
      expect(html).toContain(`name="${name}"`);
    }
    expect(html).toContain('<input type="hidden" name="csrf" value="tok">');
    expect(html).toMatch(/<form method="post" action="\/complaints"/);
  });

  it('groups services by directorate and says where redirected services go', () => {
    const html = residentFormPage({ policy: samplePolicy });

    expect([...html.matchAll(/<optgroup label="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'Environment',
      'Finance',
      'People',
    ]);
    expect(html).toContain('Adult social care (handled by the adult social care complaints team)');
    expect(html).toContain('href="https://www.example.gov.uk/social-care-complaints"');
  });

  it('never turns a non-web redirect address into a link', () => {
    const policy = structuredClone(samplePolicy);
    const service = policy.routing.services[3];
    if (service?.redirect) service.redirect.url = 'javascript:alert(1)';

    const html = residentFormPage({ policy });

    expect(html).not.toContain('javascript:');
  });

  it('re-selects the service and re-checks the representative answer from a parsed body', () => {
    const html = residentFormPage({
      policy: samplePolicy,
      values: { service: 'council-tax', onBehalfOf: { name: 'Sam', consent: true } },
    });

    expect(html).toContain('<option value="council-tax" selected>');
    expect(html).toMatch(/id="onBehalf" name="onBehalf" type="radio" value="yes" checked/);
    expect(html).toMatch(/name="onBehalfOf.consent" type="checkbox" value="yes" checked/);
  });
});

describe('taskPage', () => {
  it.each(TASK_NAMES)('links every error of the %s form to a field on the page', (name) => {
    const form = TASK_FORMS[name];
    const names = [
      ...form.decisions.flatMap((d) => d.fields.map((f) => f.name)),
      ...form.fields.map((f) => f.name),
    ];
    const errors = Object.fromEntries(
      [...(form.decisions.length > 1 ? ['decision'] : []), ...names].map((n) => [n, `Problem with ${n}`]),
    );

    // Radios from the policy (stage-2 grounds, pause kinds) are asked only when it lists some: here one.
    const choices: Partial<TaskView> =
      name === 'stage-2-request'
        ? { choices: { grounds: [{ value: 'g', label: 'G' }] } }
        : name === 'respond'
          ? { choices: { pauseKind: [{ value: 'mediation', label: 'Mediation' }] } }
          : {};
    const html = taskPage({ task: sampleTask(name, choices), csrf: 'c', errors });

    const links = summaryLinks(html);
    expect(links).toHaveLength(Object.keys(errors).length);
    const present = ids(html);
    for (const link of links) expect(present.has(link.slice(1))).toBe(true);
  });

  it('offers only the decisions the view allows, with its labels', () => {
    const html = taskPage({
      task: sampleTask('respond', {
        decisions: [{ value: 'respond', label: 'Send the final response' }, { value: 'pause' }],
      }),
      csrf: 'c',
    });

    expect(html).toContain('Send the final response');
    expect(html).toContain('value="pause"');
    expect(html).not.toContain('value="extend"');
  });

  it('sends the only decision of a one-decision form as a hidden field', () => {
    const html = taskPage({ task: sampleTask('comment-reply'), csrf: 'c' });

    expect(html).toContain('<input type="hidden" name="decision" value="reply">');
    expect(html).not.toContain('type="radio"');
  });

  it('shows the deadline of the task in words', () => {
    const html = taskPage({ task: sampleTask('respond'), csrf: 'c' });

    expect(html).toContain('Do this by Friday 19 June 2026.');
  });
});

describe('the resident’s own request for a review, in English', () => {
  it('speaks to the resident, as its Welsh does: their complaint and what they told us, not the officers’ case summary', () => {
    // Act
    const page = taskPage({ task: sampleTask('stage-2-request'), csrf: 'c' }).replace(/<[^>]+>/g, ' ');
    // Assess
    expect(page).toContain('Your complaint');
    expect(page).toContain('What you told us');
    expect(page).not.toContain('What the resident told us');
    expect(page).not.toContain('How it came in');
    expect(page).not.toMatch(/The case\s/);
  });
});

describe('taskViewFromCase', () => {
  it('gives the officer the name, phone and how letters go, but not the resident’s own page', () => {
    const view = taskViewFromCase(sampleCase, 'acknowledge', { policy: samplePolicy });
    const residentsOwn = taskViewFromCase(sampleCase, 'stage-2-request', { policy: samplePolicy });

    expect(view.complainantName).toBe('Alex Resident');
    expect(view.contact).toEqual({ phone: '01632 960 001', lettersBy: 'email' });
    expect(JSON.stringify(view)).not.toContain('alex@example.com');
    expect(residentsOwn.contact).toBeUndefined();
    expect(view.serviceName).toBe('Bins and recycling');
    expect(view.deadline).toBe(sampleDeadlines.acknowledgeBy);
  });

  it('leaves out the name of an anonymous complainant', () => {
    const view = taskViewFromCase({ ...sampleCase, anonymous: true }, 'acknowledge');

    expect(view.complainantName).toBeUndefined();
  });

  it('caps an extension at what the policy still allows for the stage', () => {
    const record = {
      ...sampleCase,
      progress: { stage1: { ...sampleCase.progress.stage1, extensionDays: 4 } },
    };

    const view = taskViewFromCase(record, 'respond', { policy: samplePolicy });

    expect(view.limits).toEqual({ extendDays: 6 });
    expect(taskPage({ task: view, csrf: 'c' })).toContain('Between 1 and 6');
  });

  it('shows the response task the later date a holding letter gave the resident', () => {
    const record = sampleCaseToldLater;

    const view = taskViewFromCase(record, 'respond', { policy: samplePolicy });
    const page = taskPage({ task: view, csrf: 'c' })
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');

    expect(view.residentToldBy).toBe('2026-06-26T22:59:59.000Z');
    expect(page).toContain('Resident told to expect it by Friday 26 June 2026');
    // A holding letter about an earlier deadline (one an extension has since moved) gave no date for this one.
    const moved = taskViewFromCase(
      { ...record, deadlines: { ...sampleDeadlines, respondBy: '2026-06-30T22:59:59.000Z' } },
      'respond',
      { policy: samplePolicy },
    );
    expect(moved.residentToldBy).toBeUndefined();
    // The case page shows it with the deadlines too.
    const casePageText = casePage({
      record,
      events: sampleEvents,
      residentToldBy: '2026-06-26T22:59:59.000Z',
    })
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');
    expect(casePageText).toContain('Resident told to expect it by Friday 26 June 2026');
  });

  it('offers no extension when the days the cap leaves cannot reach the date a holding letter gave, and says why', () => {
    // Prepare: a holding letter put Monday 15 June off to Monday 22 June (5 working days); the cap is 4.
    const policy = structuredClone(samplePolicy);
    policy.complaint.stage1.extension.maxWorkingDays = 4;
    const deadlines = deriveDeadlines(policy, sampleCase);
    const record: CaseRecord = {
      ...sampleCase,
      deadlines,
      progress: {
        stage1: {
          ...sampleCase.progress.stage1,
          holdingLetterFor: deadlines.respondBy as string,
          holdingLetterPromised: '2026-06-22T22:59:59.000Z',
        },
      },
    };

    // Act
    const view = taskViewFromCase(record, 'respond', { policy });
    const page = taskPage({ task: view, csrf: 'c' })
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');

    // Assess: said before the officer tries, not after two refusals in turn.
    expect(view.decisions?.map((d) => d.value)).not.toContain('extend');
    expect(page).toContain(
      'We have told the resident to expect the response by Monday 22 June 2026, later than the 4 working days of extension left would reach. Respond by then.',
    );
    // With room for the 5 days, the extension is offered as before.
    policy.complaint.stage1.extension.maxWorkingDays = 5;
    expect(taskViewFromCase(record, 'respond', { policy }).limits).toEqual({ extendDays: 5 });
    // With the cap used up there is nothing to explain about the date: no extension is offered.
    const extended = {
      ...record,
      progress: { stage1: { ...sampleCase.progress.stage1, extensionDays: 5 } },
    };
    // The extended deadline, Monday 22 June, put off to Monday 29 June by a holding letter.
    const usedUp: CaseRecord = {
      ...extended,
      progress: {
        stage1: {
          ...extended.progress.stage1,
          holdingLetterFor: deriveDeadlines(policy, extended).respondBy as string,
          holdingLetterPromised: '2026-06-29T22:59:59.000Z',
        },
      },
    };
    const usedUpView = taskViewFromCase(usedUp, 'respond', { policy });
    expect(usedUpView.decisions?.map((d) => d.value)).not.toContain('extend');
    expect(usedUpView.history?.map((h) => h.label) ?? []).not.toContain('Why you cannot extend');
  });

  it('offers no extension once the policy cap is used up', () => {
    const record = {
      ...sampleCase,
      progress: { stage1: { ...sampleCase.progress.stage1, extensionDays: 10 } },
    };

    const view = taskViewFromCase(record, 'respond', { policy: samplePolicy });

    expect(view.decisions?.map((d) => d.value)).toEqual([
      'respond',
      'pause',
      'record-contact',
      'reassign',
      'refer-vexatious',
    ]);
  });
});

/** The words of a page's section, from its heading (`h2`) to the next heading. */
function section(html: string, heading: string): string {
  const start = html.indexOf(`>${heading}</h2>`);
  if (start < 0) return '';
  const next = html.slice(start).search(/<h[1-6]/);
  return html
    .slice(start + 1, next < 0 ? undefined : start + next)
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('the task pages of stage 2', () => {
  // Stage 1: received Friday 29 May 2026, acknowledged 1 June, answered 12 June; stage 2 asked for 22 June.
  const asked: CaseRecord = {
    ...sampleCase,
    stage: 2,
    status: 'awaiting-acknowledgement',
    progress: {
      stage1: {
        startedAt: '2026-05-29T09:30:00.000Z',
        acknowledgedAt: '2026-06-01T10:00:00.000Z',
        respondedAt: '2026-06-12T14:00:00.000Z',
        response: { outcome: 'not-upheld', reasons: 'We collected it the next day.' },
      },
      stage2: {
        startedAt: '2026-06-22T09:00:00.000Z',
        grounds: [],
        groundsText: 'You did not say why it keeps happening.',
      },
    },
  };
  const stage2Case: CaseRecord = { ...asked, deadlines: deriveDeadlines(samplePolicy, asked) };

  it('gives stage 2 its own clocks as the ones running, and stage 1 as what happened', () => {
    // Act
    const view = taskViewFromCase(stage2Case, 'acknowledge', { policy: samplePolicy });

    // Assess
    expect(view.deadline).toBe(stage2Case.deadlines.stage2AcknowledgeBy);
    expect(Object.keys(view.deadlines).sort()).toEqual([
      'stage2AcknowledgeBy',
      'stage2ExtensionLimit',
      'stage2RemindAt',
      'stage2RespondBy',
    ]);
    expect(view.stage1).toEqual({
      acknowledgedAt: '2026-06-01T10:00:00.000Z',
      acknowledgeBy: stage2Case.deadlines.acknowledgeBy,
      respondedAt: '2026-06-12T14:00:00.000Z',
      respondBy: stage2Case.deadlines.respondBy,
      requestBy: stage2Case.deadlines.stage2RequestBy,
    });
    expect(view.stage2).toEqual({ requestedAt: '2026-06-22T09:00:00.000Z' });
  });

  it('shows on the response page that stage 2 was acknowledged, not its acknowledgement deadline', () => {
    // Prepare: acknowledged Wednesday 24 June, so the response is due 20 working days on.
    const progress = {
      ...asked.progress,
      stage2: { ...(asked.progress.stage2 ?? { startedAt: '' }), acknowledgedAt: '2026-06-24T11:00:00.000Z' },
    };
    const acknowledged = { ...asked, status: 'investigating' as const, progress };
    const record = { ...acknowledged, deadlines: deriveDeadlines(samplePolicy, acknowledged) };

    // Act
    const html = taskPage({ task: taskViewFromCase(record, 'respond', { policy: samplePolicy }), csrf: 'c' });

    // Assess
    expect(html).toContain('Do this by Wednesday 22 July 2026.');
    const current = section(html, 'The case');
    expect(current).toContain(
      'Stage 2 asked for Monday 22 June 2026 Stage 2 acknowledged Wednesday 24 June 2026 Stage 2 respond by Wednesday 22 July 2026',
    );
    expect(current).not.toContain('Stage 2 acknowledge by');
  });

  it.each([
    ['acknowledge', 'Monday 29 June 2026'],
    ['respond', 'Monday 27 July 2026'],
  ] as const)('shows on the %s page the stage-2 dates as current and stage 1 as history', (task, dueBy) => {
    // Act
    const html = taskPage({ task: taskViewFromCase(stage2Case, task, { policy: samplePolicy }), csrf: 'c' });

    // Assess
    expect(html).toContain(`Do this by ${dueBy}.`);
    const current = section(html, 'The case');
    expect(current).toContain('Type Complaint, stage 2');
    expect(current).toContain(
      'Stage 2 asked for Monday 22 June 2026 Stage 2 acknowledge by Monday 29 June 2026 Stage 2 respond by Monday 27 July 2026 Stage 2 reminder Wednesday 22 July 2026 Stage 2 extension limit Monday 10 August 2026',
    );
    // None of stage 1's clocks among the current ones.
    expect(current).not.toMatch(/Friday 5 June 2026|Monday 15 June 2026|Friday 10 July 2026/);
    expect(current).not.toMatch(/(^| )(Acknowledge by|Respond by|Reminder|Extension limit) /);
    const earlier = section(html, 'Stage 1 (finished)');
    expect(earlier).toBe(
      'Stage 1 (finished) Stage 1 has ended. Its dates are here as history: the stage 2 dates above are the ones that apply now. ' +
        'Acknowledged Monday 1 June 2026 (due by Friday 5 June 2026) ' +
        'Response sent Friday 12 June 2026 (due by Monday 15 June 2026) ' +
        'Stage 2 could be asked for until Friday 10 July 2026',
    );
    expect(html.indexOf('>The case</h2>')).toBeLessThan(html.indexOf('>Stage 1 (finished)</h2>'));
  });

  it('shows on the decision on a request for stage 2 the decision date as running, and stage 1 as history', () => {
    // Prepare: a reviewer decides first (stage 1 still, the request waiting since 22 June).
    const waiting = {
      ...asked,
      stage: 1 as const,
      status: 'stage-2-requested' as const,
      waits: { 'stage-2-decision': { since: '2026-06-22T09:00:00.000Z' } },
    };
    const record = { ...waiting, deadlines: deriveDeadlines(samplePolicy, waiting) };

    // Act
    const html = taskPage({
      task: taskViewFromCase(record, 'stage-2-decision', { policy: samplePolicy }),
      csrf: 'c',
    });

    // Assess: 5 working days for the decision.
    expect(html).toContain('Do this by Monday 29 June 2026.');
    const current = section(html, 'The case');
    expect(current).toContain('Stage 2 decision by Monday 29 June 2026');
    expect(current).not.toMatch(/ (Acknowledge by|Respond by) /);
    expect(section(html, 'Stage 1 (finished)')).toContain(
      'Response sent Friday 12 June 2026 (due by Monday 15 June 2026)',
    );
  });

  it('says what stage 1 left undone rather than leaving the row out', () => {
    const { acknowledgedAt: _none, ...stage1 } = stage2Case.progress.stage1;
    const record = { ...stage2Case, progress: { ...stage2Case.progress, stage1 } };

    const html = taskPage({
      task: taskViewFromCase(record, 'acknowledge', { policy: samplePolicy }),
      csrf: 'c',
    });

    expect(section(html, 'Stage 1 (finished)')).toContain(
      'Acknowledged Not recorded (due by Friday 5 June 2026)',
    );
  });

  it('keeps one list of dates on a task of stage 1', () => {
    const view = taskViewFromCase(sampleCase, 'respond', { policy: samplePolicy });

    const html = taskPage({ task: view, csrf: 'c' });

    expect(view.stage1).toBeUndefined();
    expect(html).not.toContain('Stage 1 (finished)');
    expect(section(html, 'The case')).toContain(
      'Acknowledge by Friday 5 June 2026 Respond by Friday 19 June 2026',
    );
  });
});

describe('confirmationPage', () => {
  it('writes the deadlines as dates in words in Europe/London', () => {
    const html = confirmationPage({
      reference: 'CMP-2026-000123',
      kind: 'complaint',
      deadlines: sampleDeadlines,
      councilName: 'Sample Borough Council',
    });

    expect(html).toContain('We will acknowledge it by <strong>Friday 5 June 2026</strong>');
    expect(html).toContain('<strong>Friday 19 June 2026</strong>');
    expect(html).toContain('CMP-2026-000123');
  });

  it('says where to go instead when the submission is out of scope', () => {
    const html = confirmationPage({
      reference: 'FBK-1',
      kind: 'complaint',
      deadlines: sampleDeadlines,
      councilName: 'C',
      redirect: 'Report a missed bin online.',
    });

    expect(html).toContain('Where to go instead');
    expect(html).toContain('Report a missed bin online.');
    expect(html).not.toContain('What happens next');
  });
});

describe('linkProblemPage', () => {
  it.each([
    [403, 'This link is not valid'],
    [404, 'This link is not valid'],
    [409, 'This task has already been done'],
    [410, 'This link has expired'],
  ] as const)('explains a %i link', (status, heading) => {
    const html = linkProblemPage({ status, contact: 'complaints@example.gov.uk' });

    expect(html).toContain(`<h1 class="govuk-heading-l">${heading}</h1>`);
    expect(html).toContain('href="mailto:complaints@example.gov.uk"');
  });

  it('says who did the task and when on a 409', () => {
    const html = linkProblemPage({
      status: 409,
      doneBy: 'officer@example.gov.uk',
      doneAt: '2026-01-05T13:30:00Z',
    });

    expect(html).toContain('This task was done by officer@example.gov.uk on 5 January 2026 at 1:30pm.');
  });

  it('says only that the link was used on a 409 when it cannot say who', () => {
    const html = linkProblemPage({ status: 409 });

    expect(html).toContain('Someone has already acted on this link. Each link can only be used once.');
  });

  it('does not name "resident" as who did a resident’s task, and says it in Welsh too', () => {
    const resident = linkProblemPage({ status: 409, doneBy: 'resident', doneAt: '2026-01-05T13:30:00Z' });
    const welsh = linkProblemPage({
      status: 409,
      doneBy: 'officer@example.gov.uk',
      doneAt: '2026-01-05T13:30:00Z',
      language: 'cy',
    });

    expect(resident).toContain('This task was done on 5 January 2026 at 1:30pm.');
    expect(resident).not.toContain('by resident');
    expect(welsh).toContain('Cafodd y dasg hon ei gwneud gan officer@example.gov.uk ar ');
  });
});

describe('form helpers', () => {
  it('flattens a parsed body into dotted paths with ticked checkboxes as yes', () => {
    expect(flattenValues({ kind: 'comment', complainant: { name: 'A' }, anonymous: true, n: 3 })).toEqual({
      kind: 'comment',
      'complainant.name': 'A',
      anonymous: 'yes',
      n: '3',
    });
  });

  it('keeps the first message when two paths land on one field', () => {
    const model = errorModel(
      { onBehalfOf: 'first', onBehalf: 'second' },
      { order: ['onBehalf'], ids: { onBehalf: 'onBehalf' }, aliases: { onBehalfOf: 'onBehalf' } },
    );

    expect(model.errorList).toEqual([{ text: 'first', href: '#onBehalf' }]);
  });
});
