import { afterEach, describe, expect, it } from 'vitest';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

/**
 * Post/Redirect/Get on the emailed task links, through the deployed API entry file and the real
 * workflow: a decision's POST answers 303 See Other to `/tasks/{token}/done`, a refresh of that
 * page (a second GET) shows the outcome again without acting, and a second POST to a finished
 * task gets the "already done" page.
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

describe('task links after a decision', () => {
  it("redirects an officer's decision to its done page, which a refresh shows again without acting twice", async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    const token = h.linkFor('acknowledge');

    const posted = await h.actWithoutFollowing(token, ACKNOWLEDGE);
    const page = await h.get(posted.headers?.Location as string);
    const refresh = await h.get(posted.headers?.Location as string);

    expect(posted.statusCode).toBe(303);
    expect(posted.headers?.Location).toBe(`/tasks/${token}/done`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Decision recorded');
    expect(page.body).toContain(c.reference);
    expect(refresh.body).toBe(page.body);
    const events = await h.store.events(c.caseId);
    expect(events.filter((e) => e.type === 'task-done')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'decision-delivered')).toHaveLength(1);
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement']);
  });

  it('answers a second POST to a finished task with "already done" (409), and the same POST again with the same outcome', async () => {
    h = await createHarness();
    await h.submit(complaintFrom(h));
    const token = h.linkFor('acknowledge');
    await h.act(token, ACKNOWLEDGE);

    const other = await h.act(token, { decision: 'resolve', response: 'Sorted on the phone.' });
    const same = await h.act(token, ACKNOWLEDGE);

    expect(other.statusCode).toBe(409);
    expect(other.body).toContain('This task has already been done');
    expect(same.posted.statusCode).toBe(303);
    expect(same.statusCode).toBe(200);
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement']);
  });

  it('answers the same decision posted twice at the same moment (a double click) with the done page both times', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    const token = h.linkFor('acknowledge');
    const page = await h.get(`/tasks/${token}`);
    const formId = /name="formId" value="([^"]+)"/.exec(page.body)?.[1] as string;

    const both = await Promise.all([
      h.actWithoutFollowing(token, { ...ACKNOWLEDGE, formId }),
      h.actWithoutFollowing(token, { ...ACKNOWLEDGE, formId }),
    ]);
    await h.engine.settle();

    // Not "someone else acted" for the second: it is the first's decision, answered as it was.
    for (const posted of both) {
      expect(posted.statusCode).toBe(303);
      expect(posted.headers?.Location).toBe(`/tasks/${token}/done`);
    }
    const done = await h.get(`/tasks/${token}/done`);
    expect(done.body).toContain('Decision recorded');
    const events = await h.store.events(c.caseId);
    expect(events.filter((e) => e.type === 'task-done')).toHaveLength(1);
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement']);
  });

  it('tells a different decision posted through the link at the same moment that the task was done', async () => {
    h = await createHarness();
    await h.submit(complaintFrom(h));
    const token = h.linkFor('acknowledge');

    const [first, second] = await Promise.all([
      h.actWithoutFollowing(token, ACKNOWLEDGE),
      h.actWithoutFollowing(token, { decision: 'resolve', response: 'Sorted on the phone.' }),
    ]);
    await h.engine.settle();

    // One decision is taken; the other is not taken over it, and its sender is told (409).
    expect([first.statusCode, second.statusCode].sort()).toEqual([303, 409]);
    expect(h.templates(RESIDENT)).toHaveLength(2);
  });

  it('keeps the answers and shows the errors (400) when the form is wrong, without redirecting', async () => {
    h = await createHarness();
    await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);

    const result = await h.act(h.linkFor('respond'), { decision: 'respond', response: 'Half an answer' });

    expect(result.posted.statusCode).toBe(400);
    expect(result.body).toContain('govuk-error-summary');
    expect(result.body).toContain('Half an answer');
  });

  it("redirects the resident's stage-2 request too, and a refresh does not ask twice", async () => {
    const c = await answeredAtStage1();
    const token = h.linkFor('stage-2-request');

    const request = await h.act(token, { decision: 'request', response: 'You did not read my emails.' });
    const refresh = await h.get(`/tasks/${token}/done`);

    expect(request.posted.statusCode).toBe(303);
    expect(request.statusCode).toBe(200);
    expect(request.body).toContain('We have your request for a review');
    expect(refresh.body).toBe(request.body);
    const events = await h.store.events(c.caseId);
    expect(events.filter((e) => e.type === 'task-done' && e.detail?.task === 'stage-2-request')).toHaveLength(
      1,
    );
    expect((await h.caseOf(c.caseId)).stage).toBe(2);
  });
});

describe('the task pages of stage 2', () => {
  /** A page's words without its tags. */
  const words = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ');
  /** The words between two headings of a page. */
  const between = (html: string, from: string, to: string) => {
    const text = words(html);
    return text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from)));
  };

  it('shows the reviewer the stage-2 dates as the ones running, stage 1 as history, and the email says why the resident asked', async () => {
    // Prepare: a complaint received Monday 2 March 2026, answered at stage 1, then taken to stage 2.
    h = await createHarness();
    await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'not-upheld',
      response: 'We looked into it.',
    });
    await h.advanceTo('2026-03-09T10:00:00.000Z');
    await h.act(h.linkFor('stage-2-request'), {
      decision: 'request',
      response: 'You did not read my <emails> & photos.',
    });

    // Act
    const acknowledge = await h.view(h.linkFor('acknowledge'));
    const email = h.sent.filter((m) => m.template === 'officer-task').at(-1);

    // Assess: stage 2 acknowledged within 5 working days of the request (Monday 16 March).
    expect(acknowledge.statusCode).toBe(200);
    expect(acknowledge.body).toContain('Do this by Monday 16 March 2026.');
    const current = between(acknowledge.body, 'The case', 'Stage 1 (finished)');
    expect(current).toContain('Stage 2 asked for Monday 9 March 2026');
    expect(current).toContain('Stage 2 acknowledge by Monday 16 March 2026');
    expect(current).not.toMatch(/ (Acknowledge by|Respond by) /);
    const earlier = between(acknowledge.body, 'Stage 1 (finished)', 'What the resident told us');
    expect(earlier).toContain('Acknowledged Monday 2 March 2026 (due by Monday 9 March 2026)');
    expect(earlier).toMatch(/Response sent Monday 2 March 2026 \(due by \w+day \d+ March 2026\)/);
    expect(acknowledge.body).toContain('You did not read my &lt;emails&gt; &amp; photos.');
    expect(email?.text).toContain(
      'Why the resident asked for stage 2:\nYou did not read my <emails> & photos.',
    );
    expect(email?.html).toContain('You did not read my &lt;emails&gt; &amp; photos.');

    // Act: acknowledged, the response task is next.
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    const respond = await h.view(h.linkFor('respond'));

    // Assess: the reviewer's response is the final one.
    expect(words(respond.body)).toContain(
      'Respond to this complaint at stage 2 Record the outcome of your review of our stage 1 response. The resident gets our final response with the Ombudsman’s details.',
    );
    const respondCurrent = between(respond.body, 'The case', 'Stage 1 (finished)');
    expect(respondCurrent).toMatch(/Stage 2 respond by \w+day \d+ (March|April) 2026/);
    expect(respondCurrent).not.toMatch(/ (Acknowledge by|Respond by) /);
    expect(respondCurrent).toContain('Stage 2 acknowledged Monday 9 March 2026');
    expect(respondCurrent).not.toContain('Stage 2 acknowledge by');
    const dueBy = /Do this by (\w+day \d+ \w+ 2026)\./.exec(respond.body)?.[1];
    expect(respondCurrent).toContain(`Stage 2 respond by ${dueBy}`);
    expect(words(respond.body)).toContain('Stage 1 (finished)');
    expect(h.sent.filter((m) => m.template === 'officer-task').at(-1)?.text).toContain(
      'You did not read my <emails> & photos.',
    );
  });

  it("quotes the stage-1 response in the reviewer's task email, escaped and shortened as the resident's reasons are", async () => {
    // Prepare: a long stage-1 response, with markup typed in it; its last words are past what the email quotes.
    h = await createHarness();
    await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    const response = `We checked the <b>log</b> & the calls. ${'word '.repeat(400)}LASTWORD`;
    await h.act(h.linkFor('respond'), { decision: 'respond', outcome: 'partially-upheld', response });

    // Act
    await h.act(h.linkFor('stage-2-request'), { decision: 'request', response: 'You missed my emails.' });

    // Assess: the reviewer's task email, and the page with all of it.
    const email = h.sent.filter((m) => m.template === 'officer-task').at(-1);
    expect(email?.text).toMatch(
      /Our stage 1 response \(partially upheld\):\nWe checked the <b>log<\/b> & the calls\. (word )+word …\n\n\(Shortened here\. The task page shows all of it\.\)\n\nWhy the resident asked for stage 2:\nYou missed my emails\./,
    );
    expect(email?.text).not.toContain('LASTWORD');
    expect(email?.html).toContain('<h2>Our stage 1 response (partially upheld)</h2>');
    expect(email?.html).toContain('<blockquote><p>We checked the &lt;b&gt;log&lt;/b&gt; &amp; the calls.');
    expect(email?.html).not.toContain('<b>log</b>');
    expect(email?.html).not.toContain('LASTWORD');
    const page = await h.view(h.linkFor('acknowledge'));
    expect(page.body).toContain('LASTWORD');
  });

  /** A complaint answered at stage 1 and taken to stage 2: the reviewer's acknowledgement task is open. */
  async function atStage2Acknowledgement() {
    const c = await answeredAtStage1();
    await h.act(h.linkFor('stage-2-request'), { decision: 'request', response: 'You missed my emails.' });
    return c;
  }

  it('asks the reviewer to acknowledge a review of the stage-1 response, with no first-contact resolution', async () => {
    // Prepare
    await atStage2Acknowledgement();

    // Act
    const page = await h.view(h.linkFor('acknowledge'));

    // Assess
    const text = words(page.body);
    expect(page.statusCode).toBe(200);
    expect(text).toContain('Acknowledge this complaint at stage 2');
    expect(text).toContain(
      'The resident has asked for our stage 1 response to be reviewed. Read the complaint, our stage 1 response and why they asked, then decide how the review will be handled. The resident is told what you decide.',
    );
    expect(text).not.toContain('Read the complaint and decide how it will be handled');
    expect(text).not.toContain('first contact');
    expect(page.body).not.toContain('value="resolve"');
    expect(page.body).toContain('value="acknowledge"');
  });

  it('refuses a first-contact resolution posted by hand at stage 2 (400), and changes nothing', async () => {
    // Prepare
    const c = await atStage2Acknowledgement();
    const token = h.linkFor('acknowledge');
    const before = await h.caseOf(c.caseId);
    const eventsBefore = (await h.store.events(c.caseId)).length;
    const sentBefore = h.sent.length;

    // Act
    const result = await h.act(token, { decision: 'resolve', response: 'Sorted on the phone.' });

    // Assess
    expect(result.posted.statusCode).toBe(400);
    expect(result.body).toContain('govuk-error-summary');
    expect(words(result.body)).toContain('This task does not take that decision on this case.');
    expect(result.body).not.toContain('value="resolve"');
    const after = await h.caseOf(c.caseId);
    expect(after).toEqual(before);
    expect((await h.store.events(c.caseId)).length).toBe(eventsBefore);
    expect(h.sent.length).toBe(sentBefore);
    // The task is still there to do as stage 2 asks.
    const acknowledged = await h.act(token, ACKNOWLEDGE);
    expect(acknowledged.posted.statusCode).toBe(303);
    expect((await h.caseOf(c.caseId)).progress.stage2?.acknowledgedAt).toBeDefined();
  });
});

/** A complaint acknowledged and answered (not upheld) at stage 1: the resident's stage-2 request is open. */
async function answeredAtStage1() {
  h = await createHarness();
  const c = await h.submit(complaintFrom(h));
  await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
  await h.act(h.linkFor('respond'), {
    decision: 'respond',
    outcome: 'not-upheld',
    response: 'We looked into it.',
  });
  return c;
}
