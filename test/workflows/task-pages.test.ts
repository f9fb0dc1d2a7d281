import { afterEach, describe, expect, it } from 'vitest';
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

    const posted = await h.actWithoutFollowing(token, { decision: 'acknowledge' });
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
    await h.act(token, { decision: 'acknowledge' });

    const other = await h.act(token, { decision: 'resolve', response: 'Sorted on the phone.' });
    const same = await h.act(token, { decision: 'acknowledge' });

    expect(other.statusCode).toBe(409);
    expect(other.body).toContain('This task has already been done');
    expect(same.posted.statusCode).toBe(303);
    expect(same.statusCode).toBe(200);
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement']);
  });

  it('keeps the answers and shows the errors (400) when the form is wrong, without redirecting', async () => {
    h = await createHarness();
    await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), { decision: 'acknowledge' });

    const result = await h.act(h.linkFor('respond'), { decision: 'respond', response: 'Half an answer' });

    expect(result.posted.statusCode).toBe(400);
    expect(result.body).toContain('govuk-error-summary');
    expect(result.body).toContain('Half an answer');
  });

  it("redirects the resident's stage-2 request too, and a refresh does not ask twice", async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), { decision: 'acknowledge' });
    await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'not-upheld',
      response: 'We looked into it.',
    });
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
