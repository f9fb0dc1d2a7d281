import { beforeEach, describe, expect, it } from 'vitest';
import { clock, type StepDeps } from '../../functions/app/steps.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { deriveDeadlines } from '../../functions/domain/case-clock.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { recordingSend, stepDeps } from '../support/step-deps.js';

/** The clock step seeing to what falls due itself (`acts`): once, however often its state is entered. */

const policy = loadPolicy('lgsco-code-2024');
const OFFICER = 'officer@council.example';

const acknowledged = {
  caseId: 'case-1',
  reference: 'CMP-2026-000001',
  kind: 'complaint',
  submittedKind: 'complaint',
  status: 'investigating',
  stage: 1,
  policyId: 'lgsco-code-2024',
  summary: 'Bins not collected',
  complainant: { email: 'ada@example.com' },
  anonymous: false,
  channel: 'online',
  receivedAt: '2026-03-02T09:00:00.000Z',
  createdAt: '2026-03-02T09:00:00.000Z',
  updatedAt: '2026-03-03T09:00:00.000Z',
  triage: { route: 'handle', reasons: [] },
  assignedTo: OFFICER,
  openTask: {
    taskId: 'respond-1',
    name: 'respond',
    officer: OFFICER,
    taskToken: 'token-1',
    issuedAt: '2026-03-03T09:00:00.000Z',
  },
  deadlines: {},
  progress: {
    stage1: { startedAt: '2026-03-02T09:00:00.000Z', acknowledgedAt: '2026-03-03T09:00:00.000Z' },
  },
  version: 1,
} satisfies CaseRecord;

let store: MemoryCaseStore;
let sent: { template: string; to: string[] }[];
let now: Date;

function deps(): StepDeps {
  return stepDeps({ store, policy, now: () => now, send: recordingSend(sent) });
}

const entry = (enteredAt: string) => ({
  caseId: 'case-1',
  step: {
    execution: 'arn:aws:states:eu-west-2:000000000000:execution:complaint:case-1',
    state: 'Check the response clock',
    enteredAt,
  },
  clock: 'respond' as const,
  executionStartedAt: '2026-03-02T09:00:01.000Z',
  route: { route: 'handle' },
  lastTaskId: 'acknowledge-1',
  holdingLetters: true,
  acts: ['remind' as const, 'holding' as const, 'deadline' as const, 'overdue' as const],
});

beforeEach(() => {
  store = new MemoryCaseStore();
  sent = [];
});

describe('the clock step with acts', () => {
  it('reminds the officer once and answers what comes next, however often its state is entered', async () => {
    // Prepare: the moment the reminder falls due.
    const { remindAt, respondBy } = deriveDeadlines(policy, acknowledged);
    now = new Date(Date.parse(remindAt as string) + 1000);
    await store.create(acknowledged, { at: acknowledged.receivedAt, type: 'received', actor: 'resident' });

    // Act: the state entered, then entered again (after an outage): a fresh entry time.
    const first = await clock(deps(), entry(now.toISOString()));
    const again = await clock(deps(), entry(new Date(now.getTime() + 60_000).toISOString()));

    // Assess
    expect(sent).toEqual([{ template: 'officer-reminder', to: [OFFICER] }]);
    expect((await store.get('case-1'))?.progress.stage1.reminded).toBe(true);
    expect(first).toMatchObject({ due: 'none', deadline: respondBy });
    expect(again).toMatchObject({ due: 'none', deadline: respondBy });
  });

  it('answers what it was not asked to see to, and does nothing about it', async () => {
    // Prepare
    const { remindAt } = deriveDeadlines(policy, acknowledged);
    now = new Date(Date.parse(remindAt as string) + 1000);
    await store.create(acknowledged, { at: acknowledged.receivedAt, type: 'received', actor: 'resident' });

    // Act: a definition from before `acts` (its own state for the reminder).
    const { acts: _acts, ...older } = entry(now.toISOString());
    const reading = await clock(deps(), older);

    // Assess
    expect(reading.due).toBe('remind');
    expect(sent).toEqual([]);
  });
});
