import type { CaseRecord } from '../../functions/domain/case.js';

/**
 * A stored case as intake leaves it (received, stage 1, its deadlines set), for the tests of the
 * workflow starter and the reconciler, which need a case and nothing of triage.
 */
export function openCase(caseId: string, overrides: Partial<CaseRecord> = {}): CaseRecord {
  const createdAt = overrides.createdAt ?? '2026-03-02T09:00:00.000Z';
  return {
    caseId,
    reference: `CMP-2026-${caseId.replace(/\D/g, '').padStart(6, '0')}`,
    kind: 'complaint',
    submittedKind: 'complaint',
    status: 'received',
    stage: 1,
    policyId: 'lgsco-code-2024',
    service: 'waste-recycling',
    summary: 'My bin has been missed four weeks running and nobody has answered my calls.',
    complainant: { name: 'Ada Lovelace', email: 'ada@example.com' },
    anonymous: false,
    channel: 'online',
    receivedAt: createdAt,
    createdAt,
    updatedAt: createdAt,
    triage: { route: 'handle', reasons: [] },
    deadlines: { acknowledgeBy: '2026-03-09T23:59:59.000Z', respondBy: '2026-03-23T23:59:59.000Z' },
    progress: { stage1: { startedAt: createdAt } },
    version: 1,
    ...overrides,
  };
}
