import { afterEach, describe, expect, it } from 'vitest';
import { caseFileModel } from '../../functions/web/render.js';
import { ACKNOWLEDGE, UNDERSTANDING } from '../support/acknowledge.js';
import { complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

/**
 * The officer's acknowledge page asks for the council's understanding of the complaint and the
 * outcome the resident wants, and the resident's acknowledgement states it: required where the
 * policy follows the Code, optional where it does not ask for it (Dudley, June 2019).
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

const acknowledgementTo = (resident: string) =>
  h.sent.find((m) => m.to.includes(resident) && m.template === 'acknowledgement');

describe('the acknowledge page', () => {
  it('asks for our understanding and will not acknowledge without it where the policy follows the Code', async () => {
    h = await createHarness();
    await h.submit(complaintFrom(h));
    const token = h.linkFor('acknowledge');

    const page = await h.view(token);
    const refused = await h.act(token, { decision: 'acknowledge' });

    expect(page.body).toContain('name="understanding"');
    expect(page.body).toContain('Our understanding of the complaint, and the outcome the resident wants');
    expect(page.body).not.toContain('the outcome the resident wants (optional)');
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(
      'Enter our understanding of the complaint and the outcome the resident wants',
    );
    expect(acknowledgementTo(RESIDENT)).toBeUndefined();
  });

  it('sends the resident our understanding under its own heading', async () => {
    h = await createHarness();
    await h.submit(complaintFrom(h));

    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);

    const email = acknowledgementTo(RESIDENT);
    expect(email?.text).toContain(`OUR UNDERSTANDING OF YOUR COMPLAINT\n\n${UNDERSTANDING}`);
  });

  it('offers it as optional, and acknowledges without it, where the council’s document does not ask for it', async () => {
    h = await createHarness({ policy: 'dudley' });
    await h.submit(complaintFrom(h));
    const token = h.linkFor('acknowledge');

    const page = await h.view(token);
    const done = await h.act(token, { decision: 'acknowledge' });

    expect(page.body).toContain(
      'Our understanding of the complaint, and the outcome the resident wants (optional)',
    );
    expect(done.posted.statusCode).toBe(303);
    expect(acknowledgementTo(RESIDENT)?.text).not.toContain('OUR UNDERSTANDING');
  });

  it('shows the officer who responds, and the case page, what the resident was told we understood', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);

    const respond = await h.view(h.linkFor('respond'));
    const file = caseFileModel({ record: await h.caseOf(c.caseId), events: [] });

    expect(respond.body).toContain(
      'Our understanding of the complaint, as the acknowledgement told the resident',
    );
    expect(respond.body).toContain(UNDERSTANDING);
    expect(file.textBlocks).toContainEqual({
      label: 'Our understanding of the complaint, as the acknowledgement told the resident',
      text: UNDERSTANDING,
    });
  });
});
