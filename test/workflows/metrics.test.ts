import { afterEach, describe, expect, it, vi } from 'vitest';
import { capturePowertoolsOutput, type PowertoolsOutput } from '../support/powertools-output.js';
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

  it('publishes nothing about breached deadlines while the officer acts in time', async () => {
    h = await createHarness();
    output = capturePowertoolsOutput();
    const c = await h.submit(complaintFrom(h));

    await h.act(h.linkFor('acknowledge'), { decision: 'acknowledge' });
    await h.advanceTo(justAfter(c.deadlines.acknowledgeBy));

    expect(output.metricsNamed('DeadlinesBreached')).toEqual([]);
  });

  it('counts every email sent as EmailsSent, in the Redress namespace', async () => {
    h = await createHarness();
    output = capturePowertoolsOutput();

    await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), { decision: 'acknowledge' });

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
