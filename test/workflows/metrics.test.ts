import { afterEach, describe, expect, it, vi } from 'vitest';
import { adapter, provideAdapters } from '../../functions/app/container.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { capturePowertoolsOutput, type PowertoolsOutput } from '../support/powertools-output.js';
import { behind, Outage, publishingSendEvents } from './faults.js';
import { complaintFrom, createHarness, type Harness } from './harness.js';

/**
 * The metrics the deployed handlers publish while the real workflows run: CloudWatch's
 * embedded metric format, one JSON line on standard output per flush, as on Lambda.
 */

// Metrics are off in tests (vitest.config.ts); hoisted above the imports, so that the
// handlers' Metrics instances are created with them on.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
});

let h: Harness;
let output: PowertoolsOutput | undefined;

afterEach(async () => {
  output?.restore();
  output = undefined;
  await h?.close();
});

const justAfter = (iso: string | undefined) => new Date(Date.parse(iso as string) + 1000).toISOString();

describe('metrics from the deployed handlers', () => {
  it('publishes DeadlinesBreached, without dimensions, when the escalate handler runs for a late acknowledgement', async () => {
    h = await createHarness();
    output = capturePowertoolsOutput();
    const c = await h.submit(complaintFrom(h));

    await h.advanceTo(justAfter(c.deadlines.acknowledgeBy));

    expect(h.states(c.caseId)).toContain('Escalate the late acknowledgement');
    const breaches = output.metricsNamed('DeadlinesBreached');
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          { Namespace: 'Redress', Dimensions: [[]], Metrics: [{ Name: 'DeadlinesBreached', Unit: 'Count' }] },
        ],
      },
      DeadlinesBreached: 1,
      clock: 'acknowledge',
    });
  });

  it('publishes one DeadlinesBreached for a late acknowledgement whose escalation waits hours for SES', async () => {
    h = await createHarness();
    const ses = new Outage('SES', () => h.clock.now());
    provideAdapters({ mailer: behind(publishingSendEvents(adapter('mailer')), ses) });
    output = capturePowertoolsOutput();
    const c = await h.submit(complaintFrom(h));

    // SES is down from just before the deadline for three hours, longer than the escalation's
    // retries last: the manager's email is tried again and again, and goes once SES is back.
    await h.advanceTo(new Date(Date.parse(c.deadlines.acknowledgeBy as string) - 60_000).toISOString());
    ses.start(3 * 60);
    await h.advanceTo(new Date(Date.parse(c.deadlines.acknowledgeBy as string) + 4 * 3600_000).toISOString());

    expect(ses.refused).toBeGreaterThan(24);
    expect(h.sent.filter((m) => m.template === 'manager-escalation')).toHaveLength(1);
    // One deadline missed, one breach counted: the operations alarm and its dashboard count cases.
    expect(output.metricsNamed('DeadlinesBreached')).toHaveLength(1);
  });

  it('publishes nothing about breached deadlines while the officer acts in time', async () => {
    h = await createHarness();
    output = capturePowertoolsOutput();
    const c = await h.submit(complaintFrom(h));

    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.advanceTo(justAfter(c.deadlines.acknowledgeBy));

    expect(output.metricsNamed('DeadlinesBreached')).toEqual([]);
  });

  it('counts every email sent as EmailsSent, in the Redress namespace', async () => {
    h = await createHarness();
    output = capturePowertoolsOutput();

    await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);

    const blobs = output.metricsNamed('EmailsSent');
    // Several emails in one invocation are one blob with a list of values.
    const counted = blobs.flatMap((blob) => blob.EmailsSent as number | number[]).reduce((a, b) => a + b, 0);
    expect(h.sent.length).toBeGreaterThan(0);
    expect(counted).toBe(h.sent.length);
    expect(new Set(blobs.map((blob) => blob._aws.CloudWatchMetrics[0]?.Namespace))).toEqual(
      new Set(['Redress']),
    );
  });
});
