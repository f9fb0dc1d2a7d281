/**
 * A step or a decision cut off half-way (the runtime killed, a send that never reached SES)
 * converges at once, not ten minutes later. The whole runtime runs in this process at real time
 * (DynamoDB Local, the SES stand-in and its Send events, the real ASL on the local engine); the
 * cut is made by an adapter that fails once at the moment the runtime would have died.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../functions/adapters/errors.js';
import { adapter, provideAdapters } from '../../functions/app/container.js';
import type { CaseEvent } from '../../functions/domain/case.js';
import type { CaseStore, Mailer } from '../../functions/domain/ports.js';
import type { Runtime } from '../../infra/local/runtime.js';
import { fetchStore, type StoredEmail } from '../../infra/local/stand-ins/index.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { linkClaims, taskLinks } from '../support/runtime.js';
import { postPlanningComplaint, runtimeInProcess } from '../support/runtime-in-process.js';

const { runtime, output } = runtimeInProcess('stalled', 1);

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

/** Stands in for a process that died: what the adapter was asked to do never happened, and nobody heard back. */
class Killed extends Error {
  override name = 'Killed';
}

async function submit(r: Runtime, email: string): Promise<string> {
  const answer = await postPlanningComplaint(
    r.endpoints.api,
    'The planning team promised to call me back about my enquiry and never did.',
    { name: 'A Resident', email },
  );
  expect(answer.status).toBe(201);
  return ((await answer.json()) as { caseId: string }).caseId;
}

async function until<T>(what: string, find: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms\n${output.slice(-40).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function emailsTo(r: Runtime, to: string): Promise<StoredEmail[]> {
  return (await fetchStore(r.endpoints.ses)).filter((e) => e.destination.to.includes(to));
}

/** The acknowledge link emailed for the case. */
async function acknowledgeLink(r: Runtime, caseId: string): Promise<string> {
  return until('the task email', async () =>
    (await fetchStore(r.endpoints.ses))
      .flatMap(taskLinks)
      .find((link) => linkClaims(link).c === caseId && linkClaims(link).a === 'acknowledge'),
  );
}

async function decide(link: string, csrf: string): Promise<Response> {
  return fetch(link, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
    body: new URLSearchParams({ csrf, ...ACKNOWLEDGE }).toString(),
    redirect: 'manual',
  });
}

/** The mailer, failing once for `template` to `to` as a send cut off before SES took it (the step cannot tell). */
function cutOnce(mailer: Mailer, template: string, to: string): Mailer {
  let cut = false;
  return Object.assign(Object.create(mailer) as Mailer, {
    send: async (...args: Parameters<Mailer['send']>) => {
      const [message] = args;
      if (!cut && message.template === template && message.to.includes(to)) {
        cut = true;
        // As a send that timed out: SES may have it, as far as the step can tell.
        throw new ServiceUnavailableError(`send ${template}: timed out before SES answered`);
      }
      return mailer.send(...args);
    },
  });
}

/** The store, failing once to record that an officer's decision reached the workflow. */
function deathBeforeSettling(store: CaseStore): CaseStore {
  let died = false;
  return Object.assign(Object.create(store) as CaseStore, {
    update: async (...args: Parameters<CaseStore['update']>) => {
      const event = args[2].event;
      if (!died && event?.type === 'decision-delivered' && event.actor !== 'workflow') {
        died = true;
        throw new Killed('the process died after Step Functions had the decision');
      }
      return store.update(...args);
    },
  });
}

const delivered = (events: CaseEvent[]) => events.filter((e) => e.type === 'decision-delivered');

describe('npm start: a decision or an email cut off half-way', () => {
  it('tells the officer the decision is taken, and records it, when the request that handed it over died', async () => {
    // Prepare: the officer's first click hands the decision to the workflow and dies before
    // recording it; the acknowledgement the workflow sends next is cut off before SES has it.
    const r = runtime();
    const resident = 'handed.over@example.com';
    const caseId = await submit(r, resident);
    const link = await acknowledgeLink(r, caseId);
    const page = await fetch(link, { headers: { Accept: 'text/html' } });
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const store = adapter('store');
    const mailer = adapter('mailer');
    restore = () => provideAdapters({ store, mailer });
    provideAdapters({
      store: deathBeforeSettling(store),
      mailer: cutOnce(mailer, 'acknowledgement', resident),
    });
    const first = await decide(link, csrf);
    expect(first.status).not.toBe(303);

    // Act: the officer uses the link again.
    const again = await decide(link, csrf);

    // Assess: told it is recorded (Post/Redirect/Get to the done page), never "could not move on";
    // the case records the hand-over once, without waiting for the workflow's letter.
    expect(again.status, await again.text()).toBe(303);
    const done = await fetch(new URL(again.headers.get('location') ?? '', link), {
      headers: { Accept: 'text/html' },
    });
    expect(await done.text()).not.toContain('could not move on');
    const events = await until('the decision recorded as handed over', async () => {
      const history = await store.events(caseId);
      return delivered(history).length > 0 ? history : undefined;
    });
    expect(delivered(events)).toHaveLength(1);
    expect((await store.get(caseId))?.pendingDecision).toBeUndefined();
  }, 120_000);

  it('sends an email cut off before SES had it again within a minute, and once', async () => {
    // Prepare: the receipt's first send dies after the step recorded that it was sending.
    const r = runtime();
    const resident = 'cut.off@example.com';
    const mailer = adapter('mailer');
    restore = () => provideAdapters({ mailer });
    provideAdapters({ mailer: cutOnce(mailer, 'receipt', resident) });

    // Act
    await submit(r, resident);

    // Assess: the workflow's retries send it again once SES's word could have come (not after
    // ten minutes), and only once.
    const receipts = await until(
      'the receipt',
      async () => {
        const sent = (await emailsTo(r, resident)).filter((e) => /received your complaint/i.test(e.subject));
        return sent.length > 0 ? sent : undefined;
      },
      75_000,
    );
    expect(receipts).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(
      (await emailsTo(r, resident)).filter((e) => /received your complaint/i.test(e.subject)),
    ).toHaveLength(1);
  }, 120_000);
});
