import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runtime } from './runtime.js';
import { fetchStore, type StoredEmail } from './stand-ins/index.js';

/**
 * `npm start -- --demo`: a handful of realistic cases in different states, so a newcomer opening
 * the inbox sees the product at work. Everything goes through the front door, as people would:
 * feedback is submitted to the API (a letter through the staff use case), officers act through the task links emailed to them (read
 * from the SES stand-in), and the overdue case is a letter typed in late by staff, so its
 * deadlines have already passed on the runtime's clock. Seeded once per data directory.
 */

const MARKER = 'demo-seeded';

/**
 * On a first demo run the runtime starts its clock this many days in the past. The overdue
 * example is entered then, and the demo moves the clock on to the present, past the case's
 * response deadline (10 working days after acknowledgement, plus room for bank holidays).
 */
export const DEMO_HEAD_START_DAYS = 21;
const WAIT_MS = 60_000;

/** One seeded case: what a person sees in the inbox and on the pages. */
export interface DemoCase {
  reference: string;
  state: string;
}

/** The things a demo case needs from the runtime. */
type DemoRuntime = Pick<Runtime, 'urls' | 'endpoints' | 'dataDir' | 'clock'>;

/** Seeds the demo cases (unless this data directory already has them) and returns them. */
export async function seedDemo(
  runtime: DemoRuntime,
  options: { log?: (line: string) => void; headStart?: boolean } = {},
): Promise<DemoCase[]> {
  const log = options.log ?? (() => undefined);
  const marker = join(runtime.dataDir, MARKER);
  if (existsSync(marker)) {
    log('demo: the example cases are already in this data directory (delete it to start again)');
    return [];
  }
  const demo = new DemoDriver(runtime);
  const seeded: DemoCase[] = [];
  const add = (reference: string, state: string) => {
    seeded.push({ reference, state });
    log(`demo: ${reference} — ${state}`);
  };

  // Overdue: a letter received weeks before and typed in late, so the acknowledgement deadline
  // has passed: the workflow escalates and acknowledges automatically. Then the clock moves on
  // to the present, past the response deadline: reminder, holding letter, escalation.
  const receivedAt = new Date(runtime.clock.now().getTime() - 28 * 86_400_000).toISOString();
  const overdue = await demo.submit('overdue', {
    service: 'housing',
    channel: 'letter',
    receivedAt,
    summary:
      'I reported damp and mould in my bedroom in the spring. A surveyor came once and nothing has happened since.',
    desiredOutcome: 'Fix the damp and check that the room is safe for my children.',
    complainant: {
      name: 'Mary Somerville',
      email: 'mary.somerville@example.com',
      address: '12 Example Terrace, Exampletown EX1 2AB',
    },
  });
  await demo.officerTask(overdue, 'respond');
  if (options.headStart) {
    runtime.clock.jumpTo(new Date(Math.max(Date.now(), runtime.clock.now().getTime())));
    await demo.residentEmail(overdue, /holding|taking longer|delay/i);
    add(overdue, 'overdue: holding letter sent to the resident, manager told');
  } else {
    // The clock cannot go back on a data directory that already has cases: this one falls
    // overdue when its response deadline passes.
    add(overdue, 'late letter: acknowledged automatically after the deadline, the response is due');
  }

  // Just received: the officer has a task in the inbox, nothing done yet.
  const received = await demo.submit('received', {
    service: 'council-tax-benefits',
    summary:
      'You sent me two council tax bills for the same month with different amounts, and nobody can tell me which one is right.',
    desiredOutcome: 'One correct bill and an explanation.',
    complainant: { name: 'Ada Lovelace', email: 'ada.lovelace@example.com' },
  });
  await demo.officerTask(received, 'acknowledge');
  add(received, 'just received: waiting for the officer to acknowledge');

  // Acknowledged: the resident knows who is dealing with it; the response is being prepared.
  const acknowledged = await demo.submit('acknowledged', {
    service: 'parks-leisure',
    summary:
      'The leisure centre cancelled my swimming lessons three times without notice and kept charging my card.',
    desiredOutcome: 'A refund for the cancelled lessons.',
    complainant: { name: 'Alan Turing', email: 'alan.turing@example.com' },
  });
  await demo.act(await demo.officerTask(acknowledged, 'acknowledge'), {
    decision: 'acknowledge',
    understanding:
      'You told us the leisure centre cancelled your swimming lessons three times without notice and went on taking payment from your card. You would like a refund for the lessons that were cancelled.',
  });
  await demo.officerTask(acknowledged, 'respond');
  add(acknowledged, 'acknowledged: the officer is preparing the response');

  // Responded: stage 1 answered; the resident may ask for stage 2 through the link in the response.
  const responded = await demo.submit('responded', {
    service: 'planning',
    summary: 'The planning team promised three times to call me back about my enquiry and never did.',
    desiredOutcome: 'A call back and an apology.',
    complainant: { name: 'Rosalind Franklin', email: 'rosalind.franklin@example.com' },
  });
  await demo.act(await demo.officerTask(responded, 'acknowledge'), {
    decision: 'acknowledge',
    understanding:
      'You told us the planning team promised three times to call you back about your enquiry and did not. You would like a call back and an apology.',
  });
  await demo.act(await demo.officerTask(responded, 'respond'), {
    decision: 'respond',
    outcome: 'partially-upheld',
    response:
      'We should have called you back, and we are sorry we did not. We have now answered your enquiry in writing. ' +
      'The advice itself was correct, so we have not changed it.',
  });
  await demo.residentEmail(responded, /\/tasks\//);
  add(responded, 'responded (partially upheld): the resident can ask for stage 2');

  // A compliment, passed on to the team.
  const compliment = await demo.submit('compliment', {
    kind: 'compliment',
    service: 'waste-recycling',
    summary:
      'The crew on Tuesday went back for my mother’s bin when she missed the collection. Thank you, it made her day.',
    complainant: { name: 'Dorothy Hodgkin', email: 'dorothy.hodgkin@example.com' },
  });
  add(compliment, 'compliment: thanked and passed on to the waste team');

  // A pothole: a first report, not a complaint. Recorded and redirected, never dropped.
  const pothole = await demo.submit('pothole', {
    service: 'highways',
    summary: 'There is a deep pothole outside 14 Station Road that nearly threw me off my bike this morning.',
    complainant: { name: 'Charles Babbage', email: 'charles.babbage@example.com' },
  });
  await demo.residentEmail(pothole, /./);
  add(pothole, 'redirected: a pothole report, sent to "report it" with a reference');

  writeFileSync(marker, `${JSON.stringify(seeded, null, 2)}\n`);
  return seeded;
}

/** Thrown when a demo step does not happen in time (the workflow or a stand-in is stuck). */
export class DemoSeedError extends Error {
  override name = 'DemoSeedError';
}

class DemoDriver {
  constructor(private readonly runtime: DemoRuntime) {}

  /**
   * Submits feedback as JSON (retries return the first answer) and returns its reference. A
   * letter, call or visit is recorded as staff record it, through the workspace's use case with
   * the complaints team as the actor: the public API refuses a channel or a date received.
   */
  async submit(key: string, body: Record<string, unknown>): Promise<string> {
    if (body.channel !== undefined && body.channel !== 'online') {
      const [{ apiDeps }, { submitFeedback }] = await Promise.all([
        import('../../functions/app/container.js'),
        import('../../functions/app/intake.js'),
      ]);
      const deps = apiDeps();
      const { record } = await submitFeedback(
        deps,
        { kind: 'complaint', ...body },
        { idempotencyKey: `redress-demo-${key}`, staff: { email: deps.policy.routing.complaintsTeam } },
      );
      return record.reference;
    }
    const response = await fetch(new URL('/complaints', this.runtime.urls.form), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': `redress-demo-${key}`,
      },
      body: JSON.stringify({ kind: 'complaint', ...body }),
    });
    const text = await response.text();
    if (response.status !== 201)
      throw new DemoSeedError(`demo: submitting "${key}" answered ${response.status}: ${text}`);
    return (JSON.parse(text) as { reference: string }).reference;
  }

  /** Waits for the officer's email about `reference` with a link for `task`; returns the link. */
  async officerTask(reference: string, task: string): Promise<string> {
    const email = await this.waitFor(
      (e) => e.subject.includes(reference) && taskLinks(e).some((link) => taskOf(link) === task),
      `the ${task} task for ${reference}`,
    );
    return taskLinks(email).find((link) => taskOf(link) === task) as string;
  }

  /** Waits for an email to the resident about `reference` whose text matches `pattern`. */
  async residentEmail(reference: string, pattern: RegExp): Promise<StoredEmail> {
    return this.waitFor(
      (e) =>
        e.subject.includes(reference) &&
        e.destination.to.some((to) => /@example\.com$/.test(to)) &&
        pattern.test(`${e.subject}\n${e.body.text ?? ''}`),
      `an email to the resident about ${reference}`,
    );
  }

  /** Opens a task link and posts its form, as the officer's browser does. */
  async act(link: string, fields: Record<string, string>): Promise<void> {
    const page = await fetch(link, { headers: { Accept: 'text/html' } });
    const html = await page.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
    if (page.status !== 200 || csrf === undefined) {
      throw new DemoSeedError(`demo: the task page ${link} answered ${page.status}`);
    }
    const result = await fetch(link, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
      body: new URLSearchParams({ csrf, ...fields }).toString(),
    });
    if (result.status !== 200) {
      throw new DemoSeedError(`demo: acting on ${link} (${fields.decision}) answered ${result.status}`);
    }
  }

  private async waitFor(match: (email: StoredEmail) => boolean, what: string): Promise<StoredEmail> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const found = (await fetchStore(this.runtime.endpoints.ses)).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new DemoSeedError(`demo: no email arrived: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function taskLinks(email: StoredEmail): string[] {
  return [...(email.body.text ?? '').matchAll(/https?:\/\/[^\s"<>]+\/tasks\/[\w.-]+/g)].map((m) => m[0]);
}

/** The task a signed link is for: its claims are base64url JSON before the signature. */
function taskOf(link: string): string | undefined {
  const token = link.split('/tasks/')[1] ?? '';
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as {
      a?: unknown;
    };
    return typeof claims.a === 'string' ? claims.a : undefined;
  } catch (error: unknown) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}
