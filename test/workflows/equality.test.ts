import { afterEach, describe, expect, it } from 'vitest';
import { reportsLink } from '../../functions/app/report-access.js';
import { BASE_URL, createHarness, type Harness, SECRET } from './harness.js';

/**
 * Equality monitoring through the API as a resident's browser uses it: the confirmation page
 * offers the questions, the answers are stored once and apart from the case, and the complaints
 * team sees only counts with small numbers withheld.
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

/**
 * Opens and sends the resident form as a browser does, and returns the confirmation page. The
 * form's token is its idempotency key: another resident's form has its own.
 */
async function sendForm(extra: Record<string, string> = {}) {
  const { csrf, cookie } = await h.openForm();
  const page = await h.post(
    '/complaints',
    {
      csrf,
      kind: 'complaint',
      service: h.policy.routing.services[0]?.id as string,
      summary: 'The bin was not collected for three weeks and nobody answered my calls.',
      'complainant.name': 'Ada Lovelace',
      'complainant.email': 'ada@example.com',
      ...extra,
    },
    { Cookie: cookie },
  );
  // Post/Redirect/Get: the confirmation is its own page.
  expect(page.statusCode, page.body).toBe(303);
  const confirmation = await h.get(`${BASE_URL}${page.headers?.Location}`);
  expect(confirmation.statusCode, confirmation.body).toBe(200);
  return confirmation.body;
}

function equalityPathOf(confirmation: string): string {
  const path = /href="(\/equality\/[^"]+)"/.exec(confirmation)?.[1];
  if (!path) throw new Error('no equality link on the confirmation page');
  return path;
}

describe('equality monitoring', () => {
  it('stores the answers once, with the month and kind only, and thanks the resident after a redirect', async () => {
    h = await createHarness({ start: '2026-11-16T10:00:00.000Z' });
    const confirmation = await sendForm();
    const path = equalityPathOf(confirmation);
    const [c] = [...h.store.cases.values()];

    const form = await h.get(path);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('What is your ethnic group?');
    expect(form.body).not.toContain(c?.reference as string);

    const sent = await h.post(path, { age: '35-44', ethnicity: 'white', disability: '' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers?.Location).toBe('/equality/done');
    expect((await h.get('/equality/done')).body).toContain('Thank you for your answers');
    // The back button and a second post: the first answers stand.
    await h.post(path, { age: '75-plus' });

    expect([...h.equality.responses.values()]).toEqual([
      { month: '2026-11', kind: 'complaint', answers: { age: '35-44', ethnicity: 'white' } },
    ]);
    expect(JSON.stringify([...h.equality.responses.entries()])).not.toMatch(
      new RegExp(`${c?.caseId}|${c?.reference}|Ada|ada@example.com`),
    );
    expect(JSON.stringify(await h.store.events(c?.caseId as string))).not.toContain('35-44');
  });

  it('keeps one set of answers per piece of feedback, though the confirmation was shown again with a new link', async () => {
    h = await createHarness({ start: '2026-11-16T10:00:00.000Z' });
    const { csrf, cookie } = await h.openForm();
    const page = await h.post(
      '/complaints',
      {
        csrf,
        kind: 'complaint',
        service: h.policy.routing.services[0]?.id as string,
        summary: 'The bin was not collected for three weeks and nobody answered my calls.',
        'complainant.name': 'Ada Lovelace',
        'complainant.email': 'ada@example.com',
      },
      { Cookie: cookie },
    );
    const confirmationAt = `${BASE_URL}${page.headers?.Location}`;
    const first = equalityPathOf((await h.get(confirmationAt)).body);
    const second = equalityPathOf((await h.get(confirmationAt)).body);

    await h.post(first, { age: '35-44' });
    const again = await h.post(second, { age: '75-plus' });

    expect(second).not.toBe(first);
    expect(again.statusCode).toBe(303);
    expect([...h.equality.responses.values()]).toEqual([
      { month: '2026-11', kind: 'complaint', answers: { age: '35-44' } },
    ]);
    const [c] = [...h.store.cases.values()];
    expect(JSON.stringify([...h.equality.given])).not.toMatch(new RegExp(`${c?.caseId}|${c?.reference}`));
  });

  it('shows the form again with an error for an answer that is not an option, storing nothing', async () => {
    h = await createHarness();
    const path = equalityPathOf(await sendForm());

    const page = await h.post(path, { age: 'ninety', sex: 'female' });

    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('There is a problem');
    expect(page.body).toContain('Choose one of the answers to “What is your age?”, or leave it blank');
    expect(page.body).toMatch(/value="female"[^>]*checked/);
    expect(h.equality.responses.size).toBe(0);
  });

  it('refuses a changed link (404) and one more than 30 days old (410)', async () => {
    h = await createHarness();
    const path = equalityPathOf(await sendForm());

    expect((await h.get(`${path.slice(0, -3)}abc`)).statusCode).toBe(404);
    expect((await h.post(`${path.slice(0, -3)}abc`, { age: '18-24' })).statusCode).toBe(404);
    await h.advanceTo('2026-04-02T10:00:00.000Z');
    expect((await h.get(path)).statusCode).toBe(410);
    expect((await h.post(path, { age: '18-24' })).statusCode).toBe(410);
    expect(h.equality.responses.size).toBe(0);
  });

  it('shows the complaints team counts only, from the reports link, with small numbers withheld', async () => {
    h = await createHarness({ start: '2026-05-04T10:00:00.000Z' });
    for (let i = 0; i < 7; i++) {
      const path = equalityPathOf(await sendForm({ 'complainant.email': `resident${i}@example.com` }));
      await h.post(path, { sex: i < 6 ? 'female' : 'male', age: '45-54' });
    }

    expect((await h.get('/reports/equality')).statusCode).toBe(403);
    const link = reportsLink(BASE_URL, SECRET, h.policy.routing.complaintsTeam, h.clock.now());
    const page = await h.get(`/reports/equality?year=2026&link=${new URL(link).searchParams.get('link')}`);

    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('Sets of answers: <strong>7</strong>');
    const sexTable = page.body.slice(page.body.indexOf('>Sex<'), page.body.indexOf('>Gender identity<'));
    // Male (1) is withheld, and Female (6) with it: otherwise 7 − 6 would give it away.
    expect(sexTable).not.toMatch(/>6</);
    expect(sexTable.match(/not shown/g)).toHaveLength(2);
    expect(page.body).toMatch(/45 to 54<\/th>\s*<td[^>]*>7</);
    expect(
      (await h.get(`/reports/equality?year=1999&link=${new URL(link).searchParams.get('link')}`)).statusCode,
    ).toBe(400);
  });
});
