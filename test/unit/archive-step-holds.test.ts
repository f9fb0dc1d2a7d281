import { beforeEach, describe, expect, it } from 'vitest';
import { archive, type StepDeps } from '../../functions/app/steps.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { ArchiveControl, RetentionClass } from '../../functions/domain/ports.js';
import { MemoryArchive } from '../support/memory-archive.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { stepDeps } from '../support/step-deps.js';

/**
 * The archive step and a legal hold or an erasure (before it ran, or while it wrote the case
 * file), and the closing it records first when it is a workflow's last state.
 */

const step = {
  execution: 'arn:aws:states:eu-west-2:000000000000:execution:complaint:case-1',
  state: 'Archive the case file',
  enteredAt: '2026-06-30T16:00:00.001Z',
};

const closed = {
  caseId: 'case-1',
  reference: 'CMP-2026-000001',
  kind: 'complaint',
  submittedKind: 'complaint',
  status: 'closed',
  stage: 1,
  policyId: 'lgsco-code-2024',
  summary: 'Bins not collected',
  complainant: { email: 'ada@example.com' },
  anonymous: false,
  channel: 'online',
  receivedAt: '2026-03-02T09:00:00.000Z',
  createdAt: '2026-03-02T09:00:00.000Z',
  updatedAt: '2026-06-30T16:00:00.000Z',
  closedAt: '2026-06-30T16:00:00.000Z',
  triage: { route: 'handle', reasons: [] },
  deadlines: {},
  progress: { stage1: { startedAt: '2026-03-02T09:00:00.000Z' } },
  version: 1,
} satisfies CaseRecord;

/** Records what it was asked to do, as the S3 adapter would do it to every object of the case. */
class RecordingControl implements ArchiveControl {
  readonly held: string[] = [];
  readonly erased: string[] = [];
  async hold(caseId: string) {
    this.held.push(caseId);
    return 1;
  }
  async release(_caseId: string, _retention: RetentionClass | 'open') {
    return 0;
  }
  async tags() {
    return {};
  }
  async erase(caseId: string) {
    this.erased.push(caseId);
    return 1;
  }
}

let store: MemoryCaseStore;
let files: MemoryArchive;
let control: RecordingControl;

function deps(): StepDeps {
  return stepDeps({
    store,
    archive: files,
    control,
    policy: loadPolicy('lgsco-code-2024'),
    now: () => new Date('2026-06-30T16:00:01.000Z'),
  });
}

/** Someone changes the case between the step's read of it and its write of the file. */
function whileTheFileIsWritten(set: Partial<CaseRecord>): void {
  const put = files.putCaseFile.bind(files);
  files.putCaseFile = async (caseId, file, retention) => {
    const current = await store.get(caseId);
    await store.update(caseId, current?.version ?? 0, { set });
    return put(caseId, file, retention);
  };
}

beforeEach(() => {
  store = new MemoryCaseStore();
  files = new MemoryArchive();
  control = new RecordingControl();
});

describe('the archive step', () => {
  it('archives a case held while it was open and takes its objects out of the lifecycle rules', async () => {
    // Prepare
    await store.create(
      {
        ...closed,
        legalHold: { at: '2026-05-01T09:00:00.000Z', by: 'dpo@council.example', reason: 'litigation' },
      },
      { at: closed.receivedAt, type: 'received', actor: 'resident' },
    );

    // Act
    const result = await archive(deps(), { caseId: 'case-1', step });

    // Assess
    expect(files.files.get('case-1')?.retention).toBe('2y');
    expect(control.held).toEqual(['case-1']);
    expect(result).toMatchObject({ held: true });
  });

  it('leaves an unheld case to its retention class', async () => {
    // Prepare
    await store.create(closed, { at: closed.receivedAt, type: 'received', actor: 'resident' });

    // Act
    await archive(deps(), { caseId: 'case-1', step });

    // Assess
    expect(files.files.get('case-1')?.retention).toBe('2y');
    expect(control.held).toEqual([]);
  });

  it('writes nothing for an erased case: its tombstone has nothing to archive', async () => {
    // Prepare
    await store.create(
      {
        ...closed,
        complainant: {},
        summary: '',
        erasure: { at: '2026-06-30T16:00:00.500Z', by: 'dpo@council.example', ground: 'objection' },
      },
      { at: closed.receivedAt, type: 'erased', actor: 'dpo@council.example' },
    );

    // Act
    await archive(deps(), { caseId: 'case-1', step });

    // Assess
    expect(files.files.size).toBe(0);
  });

  it('holds the file when a legal hold is placed while it is written', async () => {
    // Prepare: the hold is written on the case between the step's read and its write of the file.
    await store.create(closed, { at: closed.receivedAt, type: 'received', actor: 'resident' });
    whileTheFileIsWritten({
      legalHold: { at: '2026-06-30T16:00:00.500Z', by: 'dpo@council.example', reason: 'litigation' },
    });

    // Act
    const result = await archive(deps(), { caseId: 'case-1', step });

    // Assess
    expect(control.held).toEqual(['case-1']);
    expect(result).toMatchObject({ held: true });
  });

  it('deletes the file it wrote when an erasure starts meanwhile', async () => {
    // Prepare
    await store.create(closed, { at: closed.receivedAt, type: 'received', actor: 'resident' });
    whileTheFileIsWritten({
      erasureStarted: { at: '2026-06-30T16:00:00.500Z', by: 'dpo@council.example', ground: 'objection' },
    });

    // Act
    const result = await archive(deps(), { caseId: 'case-1', step });

    // Assess
    expect(control.erased).toEqual(['case-1']);
    expect(control.held).toEqual([]);
    expect(result).toMatchObject({ retention: 'erased' });
  });

  it('closes the case before it writes the case file, and records the close once however often its state is entered', async () => {
    // Prepare: an open case the workflow has just responded to.
    const { closedAt: _closedAt, ...open } = closed;
    await store.create(
      { ...open, status: 'responded' },
      { at: closed.receivedAt, type: 'received', actor: 'resident' },
    );
    const closing = { ...step, state: 'Record the reply and close the case' };

    // Act: the state entered, then entered again (an outage outlasted): a fresh entry time.
    await archive(deps(), { caseId: 'case-1', step: closing, record: ['responded', 'closed'] });
    const again = { ...closing, enteredAt: '2026-06-30T18:00:00.000Z' };
    await archive(deps(), { caseId: 'case-1', step: again, record: ['responded', 'closed'] });

    // Assess
    const types = (await store.events('case-1')).map((e) => e.type);
    expect(types.filter((t) => t === 'response-sent')).toHaveLength(1);
    expect(types.filter((t) => t === 'closed')).toHaveLength(1);
    expect(types.indexOf('closed')).toBeLessThan(types.indexOf('archived'));
    expect(files.files.get('case-1')?.file).toMatchObject({ case: { status: 'closed' } });
  });
});
