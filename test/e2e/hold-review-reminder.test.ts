/**
 * The hold review reminder under `npm start`, run by the local schedule as EventBridge runs it on
 * AWS: a hold whose review date has come is emailed to the complaints team's mailbox (the SES
 * stand-in) once, with a link to its case, and later runs send nothing more. The clock runs 360
 * times fast, so the hourly local run comes every 10 real seconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { type RuntimeProcess, runtimeTableClient, startRuntimeProcess } from '../support/runtime.js';

const TABLE = 'redress-cases';
const HELD = 'CMP-2026-000002';
const SUBJECT = 'A legal hold is due for review';

let runtime: RuntimeProcess;
let dataDir: string;
let raw: DynamoDBDocumentClient;
let store: DynamoDbCaseStore;

async function reminders() {
  return (await runtime.emails()).filter((e) => e.subject === SUBJECT);
}

describe('npm start: the hold review reminder', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-hold-reminder-'));
    runtime = await startRuntimeProcess({ dataDir, demo: true, timeScale: 360 });
    raw = runtimeTableClient(runtime);
    store = new DynamoDbCaseStore({ tableName: TABLE, client: raw });
  }, 300_000);

  afterAll(async () => {
    await runtime?.stop();
    raw?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('emails the mailbox once when a hold’s review date has come, however many times the schedule runs', async () => {
    // Prepare: a hold placed in January, to be reviewed by 30 June 2026 (already past).
    for (let attempt = 1; ; attempt++) {
      const c = await store.getByReference(HELD);
      if (!c) throw new Error(`the demo has no ${HELD}`);
      try {
        await store.update(c.caseId, c.version, {
          set: {
            legalHold: {
              at: '2026-01-12T10:30:00.000Z',
              by: 'dana.okafor@example.gov.uk',
              reason: 'ombudsman',
              reviewBy: '2026-06-30',
            },
          },
          event: {
            at: '2026-01-12T10:30:00.000Z',
            type: 'legal-hold-placed',
            actor: 'dana.okafor@example.gov.uk',
          },
        });
        break;
      } catch (error: unknown) {
        // The demo's workflow may change the case meanwhile: read it again.
        if (attempt >= 5) throw error;
      }
    }

    // Act: the schedule runs every 10 real seconds; wait for the email, then for three more runs.
    await expect.poll(async () => (await reminders()).length, { timeout: 60_000, interval: 1_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 35_000));

    // Assess
    const sent = await reminders();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body.text).toContain(`${HELD}\n`);
    expect(sent[0]?.body.text).toContain(`Open the case: ${runtime.baseUrl}/staff/cases/${HELD}`);
    expect(sent[0]?.body.text).toContain('Review by 30 June 2026');
    expect((await store.getByReference(HELD))?.legalHold?.remindedFor).toBe('2026-06-30');
  }, 180_000);
});
