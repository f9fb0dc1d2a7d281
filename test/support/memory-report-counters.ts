import type { CaseContribution } from '../../functions/reports/compute.js';
import {
  type CountedFigures,
  type Counting,
  contributionChange,
  type ReportCounterStore,
  repeatContactIn,
  type SettleOutcome,
  sameContribution,
} from '../../functions/reports/counted.js';
import type { Period } from '../../functions/reports/period.js';

/**
 * `ReportCounterStore` in memory, for unit tests: the same settling rule as the DynamoDB adapter
 * (what was counted per case and at which version, the counters moved by the difference), kept
 * in maps. `caseIds` lists the cases given to it (`knownCases`).
 */
export class MemoryReportCounters implements ReportCounterStore {
  private reported = new Map<string, { version: number; contribution?: CaseContribution }>();
  private days = new Map<string, Map<string, number>>();
  private isBuilt = false;
  /** Every case ever settled, whichever generation. */
  private readonly seen = new Set<string>();
  /** Periods whose figures were asked for. */
  readonly reads: Period[] = [];

  constructor(private readonly knownCases: () => string[] = () => [...this.seen]) {}

  /** One generation in memory: the stream counts into the current one. */
  async counting(): Promise<Counting> {
    return { settle: (caseId, version, next) => this.settle(caseId, version, next) };
  }

  /** A new generation from nothing, as the DynamoDB adapter starts one. */
  async rebuilding(): Promise<Counting & { markBuilt(): Promise<void> }> {
    this.reported = new Map();
    this.days = new Map();
    this.isBuilt = false;
    return {
      settle: (caseId, version, next) => this.settle(caseId, version, next),
      markBuilt: async () => {
        this.isBuilt = true;
      },
    };
  }

  async settle(caseId: string, version: number, next: CaseContribution | undefined): Promise<SettleOutcome> {
    const before = this.reported.get(caseId);
    if (before && before.version > version) return 'superseded';
    if (before && sameContribution(before.contribution, next)) return 'unchanged';
    for (const [day, counts] of contributionChange(before?.contribution, next)) {
      const held = this.days.get(day) ?? new Map<string, number>();
      for (const [key, n] of Object.entries(counts)) held.set(key, (held.get(key) ?? 0) + n);
      this.days.set(day, held);
    }
    this.reported.set(caseId, { version, ...(next ? { contribution: next } : {}) });
    this.seen.add(caseId);
    return 'changed';
  }

  async figures(period: Period): Promise<CountedFigures | undefined> {
    if (!this.isBuilt) return undefined;
    this.reads.push(period);
    const figures = new Map<string, number>();
    for (const [day, counts] of this.days) {
      if (day < period.from || day > period.to) continue;
      for (const [key, n] of counts) figures.set(key, (figures.get(key) ?? 0) + n);
    }
    const byComplainant = new Map<string, string[]>();
    for (const { contribution } of this.reported.values()) {
      if (!contribution?.complainant) continue;
      byComplainant.set(contribution.complainant, [
        ...(byComplainant.get(contribution.complainant) ?? []),
        contribution.receivedOn,
      ]);
    }
    return { figures, repeat: repeatContactIn(period, byComplainant.values()) };
  }

  async built(): Promise<boolean> {
    return this.isBuilt;
  }

  async *caseIds(): AsyncIterable<string> {
    yield* this.knownCases();
  }
}
