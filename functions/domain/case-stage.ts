import type { CaseRecord, StageProgress } from './case.js';
import type { Policy } from './policy-schema.js';

/** The progress of the stage the case is at (stage 2 once it has started, else stage 1). */
export function stageProgress(c: Pick<CaseRecord, 'stage' | 'progress'>): StageProgress {
  return (c.stage === 2 ? c.progress.stage2 : c.progress.stage1) ?? c.progress.stage1;
}

/** The case's progress with the current stage's facts patched. */
export function withStageProgress(
  c: Pick<CaseRecord, 'stage' | 'progress'>,
  patch: Partial<StageProgress>,
): CaseRecord['progress'] {
  const key = c.stage === 2 ? 'stage2' : 'stage1';
  return { ...c.progress, [key]: { ...stageProgress(c), ...patch } };
}

/** The policy's complaint timescales for the stage the case is at (none for stage 2 when the policy has one stage). */
export function stageClocksOf(policy: Policy, c: Pick<CaseRecord, 'stage'>) {
  return c.stage === 2 ? policy.complaint.stage2 : policy.complaint.stage1;
}
