import { describe, expect, it } from 'vitest';
import type { CaseEvent, CaseRecord } from '../../../functions/domain/case.js';
import { statusPage } from '../../../functions/web/resident-pages.js';
import { sampleCase, sampleCaseToldLater, samplePolicy } from './sample-data.js';

/** The page's words, without its markup. */
const words = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the resident’s status page', () => {
  it('gives as the response’s due date the later one a holding letter has given, not the deadline it put off', () => {
    // The deadline, Friday 19 June 2026, passed; the holding letter told the resident 26 June.
    const record = sampleCaseToldLater;

    const page = words(statusPage({ policy: samplePolicy, record, events: [], csrf: 'c', grounds: [] }));

    expect(page).toContain('Response due Friday 26 June 2026');
    expect(page).not.toContain('19 June 2026');
  });

  it('gives the deadline itself while no holding letter has put it off', () => {
    const page = words(
      statusPage({ policy: samplePolicy, record: sampleCase, events: [], csrf: 'c', grounds: [] }),
    );

    expect(page).toContain('Response due Friday 19 June 2026');
  });

  it('shows a compliment thanked at once as acknowledged then, not as waiting for it, while the service passes it on', () => {
    // Prepare: the workflow thanked the resident when it came; the service's task to pass it on waits.
    const record = {
      ...sampleCase,
      reference: 'CPL-2026-000007',
      kind: 'compliment',
      submittedKind: 'compliment',
      status: 'awaiting-acknowledgement',
      stage: undefined,
      progress: { stage1: { startedAt: sampleCase.receivedAt } },
    } as unknown as CaseRecord;
    const events: CaseEvent[] = [
      { caseId: record.caseId, seq: 1, at: '2026-05-29T09:30:02.000Z', type: 'received', actor: 'resident' },
      {
        caseId: record.caseId,
        seq: 2,
        at: '2026-05-29T09:31:00.000Z',
        type: 'email-sent',
        actor: 'workflow',
        detail: { template: 'compliment-acknowledgement', audience: 'resident' },
      },
    ];
    // Act
    const page = words(statusPage({ policy: samplePolicy, record, events, csrf: 'c', grounds: [] }));
    // Assess
    expect(page).toContain('Acknowledged Friday 29 May 2026');
    expect(page).not.toContain('not yet acknowledged');
  });

  it('promises no response to a compliment: it has no response due nor one still to come', () => {
    // Prepare
    const record = {
      ...sampleCase,
      reference: 'CPL-2026-000008',
      kind: 'compliment',
      submittedKind: 'compliment',
      status: 'awaiting-acknowledgement',
      stage: undefined,
      progress: { stage1: { startedAt: sampleCase.receivedAt } },
    } as unknown as CaseRecord;
    // Act
    const page = words(statusPage({ policy: samplePolicy, record, events: [], csrf: 'c', grounds: [] }));
    // Assess
    expect(page).not.toContain('Response due');
    expect(page).not.toContain('Responded');
    expect(page).toContain('Received Friday 29 May 2026');
  });
});
