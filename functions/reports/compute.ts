import { createHash } from 'node:crypto';
import { calendarFor } from '../domain/calendar.js';
import type { CaseRecord, StageProgress, StageResponse } from '../domain/case.js';
import { deriveDeadlines } from '../domain/case-clock.js';
import { CODE } from '../domain/code-comparison.js';
import type { Policy } from '../domain/policy-schema.js';
import { type CaseKind, CHANNELS, type IsoDate, type IsoTimestamp, type Outcome } from '../domain/types.js';
import { BoundedCache, LondonDates, WorkingDayRanks } from './day-cache.js';
import { endOfPeriod, type Period } from './period.js';

/**
 * The complaints performance report (the unitary council’s Customer Feedback Procedure §2.4–2.5, Dudley MBC Corporate Customer Feedback Procedure, June 2019, §7, the Code's section 8): pure
 * arithmetic over the cases received in a period. It streams: each case is read once and dropped;
 * what is kept is counts, per-value histograms of working days and one hash per complainant, so
 * memory grows with the number of services, staff and complainants, never with the text of cases.
 *
 * Nothing personal leaves this module except, when asked for (`includeLearning`), the officers'
 * own "lessons learned" and "service improvements" text for the officer-facing pages. Counts of 1
 * to 4 cases are suppressed (`{ suppressed: true }`), so no small group can be picked out.
 */

/** A count withheld because it describes 1 to 4 cases. */
export interface Suppressed {
  suppressed: true;
}
/** A number of cases, or {@link Suppressed}. */
export type Count = number | Suppressed;

/** Counts from 1 up to this (excluded) are suppressed. */
export const SUPPRESSION_THRESHOLD = 5;

/** Whether a figure was withheld. */
export function isSuppressed(value: unknown): value is Suppressed {
  return typeof value === 'object' && value !== null && (value as Suppressed).suppressed === true;
}

/** How clocks of one group of cases went: each case counted once, in exactly one column. */
export interface TimelinessFigures {
  /** Cases with this clock. */
  cases: number;
  /** Done at or before the deadline. */
  onTime: number;
  /** Done after the deadline. */
  late: number;
  /** Not done and the deadline has passed (at `asOf`). */
  overdue: number;
  /** Not done and still within time. */
  pending: number;
  /** `onTime` as a percentage of the cases whose clock has run (on time + late + overdue), 1 dp; null when none has. */
  percentOnTime: number | null;
}
export type TimelinessCell = TimelinessFigures | Suppressed;

/** One clock of one group, overall and by service, directorate and channel. */
export interface TimelinessBreakdown {
  all: TimelinessCell;
  byService: Record<string, TimelinessCell>;
  byDirectorate: Record<string, TimelinessCell>;
  byChannel: Record<string, TimelinessCell>;
}

/** Groups whose clocks are measured: complaint stages and the other kinds with a deadline. */
export const CLOCK_GROUPS = {
  acknowledgement: ['complaint-stage-1', 'complaint-stage-2', 'social-care'],
  response: ['complaint-stage-1', 'complaint-stage-2', 'social-care', 'comment', 'representation'],
} as const;
export type AcknowledgementGroup = (typeof CLOCK_GROUPS.acknowledgement)[number];
export type ResponseGroup = (typeof CLOCK_GROUPS.response)[number];

/** Working days taken, over the cases where the step is done. */
export interface DurationFigures {
  cases: number;
  /** Mean, 1 dp; null when there are no cases. */
  averageWorkingDays: number | null;
  /** 90th percentile by the nearest-rank method (the smallest value at or above 90% of cases). */
  p90WorkingDays: number | null;
}
export type DurationCell = DurationFigures | Suppressed;

export interface ExtensionFigures {
  /** Extensions granted (a case may have several). */
  extensions: Count;
  /** Cases with at least one extension. */
  casesExtended: Count;
  /** Mean working days per extension, 1 dp; null when none; suppressed with fewer than 5 extensions. */
  averageDays: number | null | Suppressed;
}

export interface OutcomeFigures {
  /** Responses with an outcome at this stage. */
  responses: Count;
  upheld: Count;
  partiallyUpheld: Count;
  notUpheld: Count;
  /** Responses that gave a remedy. */
  remedies: Count;
}

/** An officer's note of what was learned or changed (officer-facing pages only: free text). */
export interface LearningItem {
  reference: string;
  kind: CaseKind;
  stage: 1 | 2;
  service: string;
  receivedOn: IsoDate;
  outcome?: Outcome;
  lessons?: string;
  actions?: string;
  remedy?: string;
}

/** Keys of the stage-level figures. */
export type StageKey = 'stage1' | 'stage2';

/** The complaints performance report for a period. */
export interface PerformanceReport {
  council: string;
  policyId: string;
  /** London calendar dates, both included: the cases RECEIVED in this period (a cohort). */
  period: Period;
  /** The instant open clocks were judged at (overdue or still in time). */
  asOf: IsoTimestamp;
  suppression: { threshold: number; applied: boolean; note: string };
  /** What the report deliberately leaves out, and how figures are measured. */
  notes: string[];
  totals: { received: Count; handled: Count; redirected: Count };
  counts: {
    byKind: Record<string, Count>;
    /** Complaints that reached each stage. */
    byStage: Record<StageKey, Count>;
    byService: Record<string, Count>;
    byDirectorate: Record<string, Count>;
    byChannel: Record<string, Count>;
  };
  /** Against each case's own deadlines (the council's policy and calendar, as `deriveDeadlines` gives them today). */
  timeliness: {
    acknowledgement: Record<AcknowledgementGroup, TimelinessBreakdown>;
    response: Record<ResponseGroup, TimelinessBreakdown>;
  };
  /** Complaints against the Code's own timescales (stage 1: 5 + 10 working days, stage 2: 5 + 20; extensions capped at 10). */
  codeTimescales: Record<StageKey, { acknowledgement: TimelinessCell; response: TimelinessCell }>;
  durations: Record<StageKey | 'socialCare', { acknowledge: DurationCell; respond: DurationCell }>;
  extensions: Record<StageKey, ExtensionFigures>;
  outcomes: Record<StageKey, OutcomeFigures>;
  escalation: { stage1Responses: Count; escalatedToStage2: Count; ratePercent: number | null | Suppressed };
  ombudsman: { enquiries: Count };
  compliments: { total: Count; byService: Record<string, Count>; byStaff: Record<string, Count> };
  redirected: { total: Count; byExclusion: Record<string, Count> };
  repeatContact: { complainants: Count; cases: Count };
  vexatious: { cases: Count };
  learning: { lessonsRecorded: Count; improvementsRecorded: Count };
  /** Officer-facing only (free text): present when computed with `includeLearning`. */
  learningItems?: LearningItem[];
}

/** Distinct deadline sets remembered per policy before the cache starts again (bounds memory). */
const DEADLINE_CACHE_ENTRIES = 20_000;

/** The deadlines a report measures against (names as `deriveDeadlines` gives them). */
const MEASURED_DEADLINES = [
  'acknowledgeBy',
  'respondBy',
  'stage2AcknowledgeBy',
  'stage2RespondBy',
  'replyBy',
  'feedbackBy',
] as const;
type Deadlines = Partial<Record<(typeof MEASURED_DEADLINES)[number], number>>;

/** Key used for cases with no service or directorate. */
export const NOT_GIVEN = 'not-given';

export interface ComputeOptions extends Period {
  /** When open clocks are judged; default the end of the period's last day. */
  asOf?: IsoTimestamp | Date;
  /** Keep the officers' lessons and improvements text (officer-facing pages only). */
  includeLearning?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Accumulators

class Tally {
  readonly map = new Map<string, number>();
  add(key: string, n = 1): void {
    this.map.set(key, (this.map.get(key) ?? 0) + n);
  }
  get(key: string): number {
    return this.map.get(key) ?? 0;
  }
}

interface ClockCounts {
  cases: number;
  onTime: number;
  late: number;
  overdue: number;
  pending: number;
}
type ClockState = 'onTime' | 'late' | 'overdue' | 'pending';

const newClock = (): ClockCounts => ({ cases: 0, onTime: 0, late: 0, overdue: 0, pending: 0 });

class ClockBreakdown {
  readonly all = newClock();
  readonly byService = new Map<string, ClockCounts>();
  readonly byDirectorate = new Map<string, ClockCounts>();
  readonly byChannel = new Map<string, ClockCounts>();

  add(state: ClockState, service: string, directorate: string, channel: string): void {
    for (const [map, key] of [
      [this.byService, service],
      [this.byDirectorate, directorate],
      [this.byChannel, channel],
    ] as const) {
      let cell = map.get(key);
      if (!cell) {
        cell = newClock();
        map.set(key, cell);
      }
      bump(cell, state);
    }
    bump(this.all, state);
  }
}

function bump(cell: ClockCounts, state: ClockState): void {
  cell.cases += 1;
  cell[state] += 1;
}

/**
 * Working-day durations as a histogram: durations are whole working days, so one count per
 * distinct value gives the exact mean and percentile in memory bounded by the longest duration,
 * whatever the number of cases (a t-digest would be approximate for no gain here).
 */
class Histogram {
  private readonly counts = new Map<number, number>();
  n = 0;
  private sum = 0;
  add(days: number): void {
    this.counts.set(days, (this.counts.get(days) ?? 0) + 1);
    this.n += 1;
    this.sum += days;
  }
  mean(): number | null {
    return this.n === 0 ? null : this.sum / this.n;
  }
  /** Nearest rank: the value at position ceil(q·n) in sorted order. */
  quantile(q: number): number | null {
    if (this.n === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (const value of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(value) ?? 0;
      if (seen >= rank) return value;
    }
    return null;
  }
}

interface StageAccumulator {
  ackDays: Histogram;
  respondDays: Histogram;
  extensions: number;
  extensionDays: number;
  casesExtended: number;
  outcomes: Tally;
  responses: number;
  remedies: number;
  codeAck: ClockCounts;
  codeResponse: ClockCounts;
}

const newStage = (): StageAccumulator => ({
  ackDays: new Histogram(),
  respondDays: new Histogram(),
  extensions: 0,
  extensionDays: 0,
  casesExtended: 0,
  outcomes: new Tally(),
  responses: 0,
  remedies: 0,
  codeAck: newClock(),
  codeResponse: newClock(),
});

// ---------------------------------------------------------------------------------------------

/**
 * A copy of the policy with the Code's complaint timescales (and its 10-day extension cap), on
 * the council's own calendar, so complaints can be judged against the Code as well as against
 * the council's policy.
 */
export function codeTimescalesPolicy(policy: Policy): Policy {
  const ext = (e: Policy['complaint']['stage1']['extension']) => ({
    ...e,
    maxWorkingDays: CODE.stage1.extensionMax,
  });
  const s2 = policy.complaint.stage2;
  return {
    ...policy,
    complaint: {
      ...policy.complaint,
      stages: 2,
      stage1: {
        ...policy.complaint.stage1,
        acknowledge: { workingDays: CODE.stage1.acknowledgeFromReceipt, from: 'receipt' },
        respond: { workingDays: CODE.stage1.respondFromAcknowledgement, from: 'acknowledgement' },
        extension: ext(policy.complaint.stage1.extension),
      },
      stage2: {
        requestWindow: s2?.requestWindow ?? { workingDays: 20, from: 'stage-1-response' },
        groundsRequired: false,
        grounds: [],
        reminderLeadWorkingDays: s2?.reminderLeadWorkingDays ?? 0,
        differentOfficer: true,
        reviewBeforeAccepting: false,
        lateRequestWorkingDays: s2?.lateRequestWorkingDays ?? 0,
        acknowledge: { workingDays: CODE.stage2.acknowledgeFromRequest, from: 'request' },
        respond: { workingDays: CODE.stage2.respondFromAcknowledgement, from: 'acknowledgement' },
        extension: ext(s2?.extension ?? policy.complaint.stage1.extension),
      },
    },
  };
}

/** The case with each stage's extensions capped at the Code's maximum. */
function cappedExtensions(c: CaseRecord): CaseRecord {
  const cap = (p: StageProgress): StageProgress =>
    (p.extensionDays ?? 0) > CODE.stage1.extensionMax ? { ...p, extensionDays: CODE.stage1.extensionMax } : p;
  const s2 = c.progress.stage2;
  return { ...c, progress: { stage1: cap(c.progress.stage1), ...(s2 ? { stage2: cap(s2) } : {}) } };
}

function isRedirected(c: CaseRecord): boolean {
  return (
    c.status === 'redirected' ||
    c.status === 'referred' ||
    c.triage.route === 'redirect' ||
    c.triage.route === 'refer'
  );
}

function text(value: string | undefined): string | undefined {
  const t = value?.trim();
  return t ? t : undefined;
}

/** Staff names as written on compliments, compared without case or extra spaces. */
function staffKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The performance report over `cases` (any iterable; cases outside the period are skipped, so
 * the caller may pass a wider stream). Each case is visited once.
 */
export async function computePerformance(
  cases: AsyncIterable<CaseRecord> | Iterable<CaseRecord>,
  policy: Policy,
  options: ComputeOptions,
): Promise<PerformanceReport> {
  const acc = new Accumulator(policy, options);
  for await (const c of cases) acc.add(c);
  return acc.finish();
}

/** The streaming state of one report; `add` each case, then `finish`. */
export class Accumulator {
  private readonly dates = new LondonDates();
  private readonly ranks: WorkingDayRanks;
  private readonly codePolicy: Policy;
  /** Deadlines by the day-precision facts they depend on, one cache per policy. */
  private readonly deadlineCache = new Map<Policy, BoundedCache<Deadlines | null>>();
  private readonly asOfMs: number;
  private readonly serviceDirectorate = new Map<string, string>();

  private received = 0;
  private handled = 0;
  private readonly byKind = new Tally();
  private readonly stageReached = new Tally();
  private readonly byService = new Tally();
  private readonly byDirectorate = new Tally();
  private readonly byChannel = new Tally();
  private readonly ack = new Map<string, ClockBreakdown>();
  private readonly response = new Map<string, ClockBreakdown>();
  private readonly stages: Record<StageKey, StageAccumulator> = { stage1: newStage(), stage2: newStage() };
  private readonly socialCareAck = new Histogram();
  private readonly socialCareRespond = new Histogram();
  private stage1Responses = 0;
  private escalated = 0;
  private ombudsman = 0;
  private compliments = 0;
  private readonly complimentsByService = new Tally();
  private readonly staff = new Tally();
  private readonly staffNames = new Map<string, string>();
  private redirected = 0;
  private readonly byExclusion = new Tally();
  private readonly complainants = new Map<string, number>();
  private vexatious = 0;
  private lessons = 0;
  private improvements = 0;
  private readonly learningItems: LearningItem[] = [];
  private suppressedAny = false;

  constructor(
    private readonly policy: Policy,
    private readonly options: ComputeOptions,
  ) {
    this.ranks = new WorkingDayRanks(calendarFor(policy));
    this.codePolicy = codeTimescalesPolicy(policy);
    const asOf = options.asOf ?? endOfPeriod(options);
    this.asOfMs = typeof asOf === 'string' ? Date.parse(asOf) : asOf.getTime();
    for (const s of policy.routing.services) this.serviceDirectorate.set(s.id, s.directorate);
    for (const group of CLOCK_GROUPS.acknowledgement) this.ack.set(group, new ClockBreakdown());
    for (const group of CLOCK_GROUPS.response) this.response.set(group, new ClockBreakdown());
  }

  /** Counts one case (ignored when received outside the period). */
  add(c: CaseRecord): void {
    const receivedOn = this.dates.of(c.receivedAt);
    if (receivedOn < this.options.from || receivedOn > this.options.to) return;
    this.received += 1;
    this.countComplainant(c);
    if (isRedirected(c)) {
      this.redirected += 1;
      this.byExclusion.add(c.triage.exclusion ?? 'other');
      return;
    }
    this.handled += 1;
    const service = c.service ?? NOT_GIVEN;
    const directorate =
      c.directorate ?? (c.service ? this.serviceDirectorate.get(c.service) : undefined) ?? NOT_GIVEN;
    this.byKind.add(c.kind);
    this.byService.add(service);
    this.byDirectorate.add(directorate);
    this.byChannel.add(c.channel);
    if (c.vexatious) this.vexatious += 1;
    if (c.ombudsmanInvolved) this.ombudsman += 1;
    const where = { service, directorate, channel: c.channel };

    switch (c.kind) {
      case 'complaint':
        this.complaint(c, where);
        break;
      case 'social-care':
        this.socialCare(c, where);
        break;
      case 'comment':
        this.replied(c, 'comment', 'replyBy', where);
        break;
      case 'representation':
        this.replied(c, 'representation', 'feedbackBy', where);
        break;
      case 'compliment':
        this.compliment(c, service);
        break;
      default:
        break;
    }
    this.learning(c, service, receivedOn);
  }

  private countComplainant(c: CaseRecord): void {
    const email = c.complainant.email?.trim().toLowerCase();
    if (!email) return;
    // Only a digest is kept: the report never holds, let alone shows, an address.
    const key = createHash('sha256').update(email).digest('base64');
    this.complainants.set(key, (this.complainants.get(key) ?? 0) + 1);
  }

  /**
   * The facts a case's measured deadlines depend on, at the precision `deriveDeadlines` reads
   * them (London dates, whole working days), in two parts: the stage-1 (or only) clocks, and the
   * stage-2 clocks, which depend on the stage-2 request alone. Cases sharing the facts share the
   * deadlines. The stage-1 response date is left out: it moves only the stage-2 request window,
   * which is not measured.
   */
  private deadlineKeys(c: CaseRecord): [string, string | undefined] {
    const day = (iso: IsoTimestamp | undefined) => (iso ? this.dates.of(iso) : '');
    const stage = (p: StageProgress) =>
      `${day(p.startedAt)},${day(p.acknowledgedAt)},${p.extensionDays ?? 0},${p.pausedWorkingDays ?? 0}`;
    const plan = c.plan ? `${day(c.plan.agreedAt)},${c.plan.agreedWorkingDays}` : '';
    const s2 = c.kind === 'complaint' && c.progress.stage2 ? `2|${stage(c.progress.stage2)}` : undefined;
    return [`${c.kind}|${day(c.receivedAt)}|${stage(c.progress.stage1)}|${plan}`, s2];
  }

  /**
   * The case's measured deadlines under `policy` as epoch milliseconds (remembered), or
   * undefined when the policy cannot time the case.
   */
  private deadlines(policy: Policy, c: CaseRecord): Deadlines | undefined {
    let cache = this.deadlineCache.get(policy);
    if (!cache) {
      cache = new BoundedCache(DEADLINE_CACHE_ENTRIES);
      this.deadlineCache.set(policy, cache);
    }
    const [key1, key2] = this.deadlineKeys(c);
    const first = cache.get(key1);
    const second = key2 === undefined ? {} : cache.get(key2);
    if (first !== undefined && second !== undefined) {
      return first === null || second === null ? undefined : { ...first, ...second };
    }
    let derived: Deadlines | null = null;
    try {
      const all = deriveDeadlines(policy, c);
      derived = {};
      for (const name of MEASURED_DEADLINES) {
        const at = all[name];
        if (at !== undefined) derived[name] = Date.parse(at);
      }
    } catch (error: unknown) {
      // A case the current policy can no longer time (e.g. stage 2 under a now one-stage policy)
      // is still counted everywhere else; only its clocks are left out.
      if (!(error instanceof Error)) throw error;
    }
    if (derived === null) {
      // Which part failed is unknown: remember neither, so a good part is not poisoned.
      return undefined;
    }
    const { stage2AcknowledgeBy, stage2RespondBy, ...rest } = derived;
    cache.set(key1, rest);
    if (key2 !== undefined) {
      cache.set(key2, {
        ...(stage2AcknowledgeBy === undefined ? {} : { stage2AcknowledgeBy }),
        ...(stage2RespondBy === undefined ? {} : { stage2RespondBy }),
      });
    }
    return derived;
  }

  private state(done: IsoTimestamp | undefined, due: number): ClockState {
    if (done) return Date.parse(done) <= due ? 'onTime' : 'late';
    return this.asOfMs > due ? 'overdue' : 'pending';
  }

  private clock(
    breakdown: ClockBreakdown | undefined,
    done: IsoTimestamp | undefined,
    deadline: number | undefined,
    where: { service: string; directorate: string; channel: string },
  ): void {
    if (!breakdown || !deadline) return;
    breakdown.add(this.state(done, deadline), where.service, where.directorate, where.channel);
  }

  private days(from: IsoTimestamp, to: IsoTimestamp): number {
    return this.ranks.between(this.dates.of(from), this.dates.of(to));
  }

  private complaint(c: CaseRecord, where: { service: string; directorate: string; channel: string }): void {
    const d = this.deadlines(this.policy, c);
    const code = this.deadlines(this.codePolicy, cappedExtensions(c));
    const stages = [
      { key: 'stage1', p: c.progress.stage1, ackKey: 'acknowledgeBy', respondKey: 'respondBy' },
      { key: 'stage2', p: c.progress.stage2, ackKey: 'stage2AcknowledgeBy', respondKey: 'stage2RespondBy' },
    ] as const;
    for (const { key, p, ackKey, respondKey } of stages) {
      if (!p) continue;
      this.stageReached.add(key);
      const group = key === 'stage1' ? 'complaint-stage-1' : 'complaint-stage-2';
      if (d) {
        this.clock(this.ack.get(group), p.acknowledgedAt, d[ackKey], where);
        this.clock(this.response.get(group), p.respondedAt, d[respondKey], where);
      }
      const s = this.stages[key];
      const codeAck = code?.[ackKey];
      const codeRespond = code?.[respondKey];
      if (codeAck !== undefined) bump(s.codeAck, this.state(p.acknowledgedAt, codeAck));
      if (codeRespond !== undefined) bump(s.codeResponse, this.state(p.respondedAt, codeRespond));
      if (p.acknowledgedAt) s.ackDays.add(this.days(p.startedAt, p.acknowledgedAt));
      if (p.respondedAt) s.respondDays.add(this.days(p.startedAt, p.respondedAt));
      this.extensions(s, p);
      this.outcome(s, p.response);
    }
    if (c.progress.stage1.respondedAt) {
      this.stage1Responses += 1;
      if (c.progress.stage2) this.escalated += 1;
    }
  }

  private extensions(s: StageAccumulator, p: StageProgress): void {
    const list = p.extensions ?? [];
    const total = list.length > 0 ? list.reduce((sum, e) => sum + e.days, 0) : (p.extensionDays ?? 0);
    const count = list.length > 0 ? list.length : total > 0 ? 1 : 0;
    if (count === 0) return;
    s.extensions += count;
    s.extensionDays += total;
    s.casesExtended += 1;
  }

  private outcome(s: StageAccumulator, response: StageResponse | undefined): void {
    if (!response?.outcome) return;
    s.responses += 1;
    s.outcomes.add(response.outcome);
    if (text(response.remedy)) s.remedies += 1;
  }

  private socialCare(c: CaseRecord, where: { service: string; directorate: string; channel: string }): void {
    const d = this.deadlines(this.policy, c);
    const p = c.progress.stage1;
    if (d) {
      this.clock(this.ack.get('social-care'), p.acknowledgedAt, d.acknowledgeBy, where);
      this.clock(this.response.get('social-care'), p.respondedAt, d.respondBy, where);
    }
    if (p.acknowledgedAt) this.socialCareAck.add(this.days(p.startedAt, p.acknowledgedAt));
    if (p.respondedAt) this.socialCareRespond.add(this.days(p.startedAt, p.respondedAt));
  }

  private replied(
    c: CaseRecord,
    group: 'comment' | 'representation',
    deadlineKey: 'replyBy' | 'feedbackBy',
    where: { service: string; directorate: string; channel: string },
  ): void {
    const d = this.deadlines(this.policy, c);
    if (d) this.clock(this.response.get(group), c.progress.stage1.respondedAt, d[deadlineKey], where);
  }

  private compliment(c: CaseRecord, service: string): void {
    this.compliments += 1;
    this.complimentsByService.add(service);
    const seen = new Set<string>();
    for (const name of c.staffNamed ?? []) {
      const key = staffKey(name);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      if (!this.staffNames.has(key)) this.staffNames.set(key, name.trim().replace(/\s+/g, ' '));
      this.staff.add(key);
    }
  }

  private learning(c: CaseRecord, service: string, receivedOn: IsoDate): void {
    const stages: [1 | 2, StageProgress | undefined][] = [
      [1, c.progress.stage1],
      [2, c.progress.stage2],
    ];
    for (const [stage, p] of stages) {
      const r = p?.response;
      if (!r) continue;
      const lessons = text(r.lessons);
      const actions = text(r.actions);
      if (lessons) this.lessons += 1;
      if (actions) this.improvements += 1;
      if (!this.options.includeLearning || (!lessons && !actions)) continue;
      const remedy = text(r.remedy);
      this.learningItems.push({
        reference: c.reference,
        kind: c.kind,
        stage,
        service,
        receivedOn,
        ...(r.outcome ? { outcome: r.outcome } : {}),
        ...(lessons ? { lessons } : {}),
        ...(actions ? { actions } : {}),
        ...(remedy ? { remedy } : {}),
      });
    }
  }

  // -------------------------------------------------------------------------------------------

  private count(n: number): Count {
    if (n >= 1 && n < SUPPRESSION_THRESHOLD) {
      this.suppressedAny = true;
      return { suppressed: true };
    }
    return n;
  }

  private counts(tally: Tally, keys: readonly string[] = []): Record<string, Count> {
    const out: Record<string, Count> = {};
    for (const key of keys) out[key] = this.count(tally.get(key));
    for (const [key, n] of [...tally.map.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      if (!(key in out)) out[key] = this.count(n);
    }
    return out;
  }

  private timelinessCell(c: ClockCounts): TimelinessCell {
    if (c.cases >= 1 && c.cases < SUPPRESSION_THRESHOLD) {
      this.suppressedAny = true;
      return { suppressed: true };
    }
    const run = c.onTime + c.late + c.overdue;
    return { ...c, percentOnTime: run === 0 ? null : percent(c.onTime, run) };
  }

  private breakdown(b: ClockBreakdown | undefined): TimelinessBreakdown {
    const cells = (map: Map<string, ClockCounts> | undefined, keys: readonly string[]) => {
      const out: Record<string, TimelinessCell> = {};
      for (const key of keys) {
        const cell = map?.get(key);
        if (cell) out[key] = this.timelinessCell(cell);
      }
      for (const [key, cell] of [...(map?.entries() ?? [])].sort(([a], [b]) => a.localeCompare(b))) {
        if (!(key in out)) out[key] = this.timelinessCell(cell);
      }
      return out;
    };
    return {
      all: this.timelinessCell(b?.all ?? newClock()),
      byService: cells(b?.byService, this.serviceIds()),
      byDirectorate: cells(b?.byDirectorate, this.directorates()),
      byChannel: cells(b?.byChannel, CHANNELS),
    };
  }

  private duration(h: Histogram): DurationCell {
    if (h.n >= 1 && h.n < SUPPRESSION_THRESHOLD) {
      this.suppressedAny = true;
      return { suppressed: true };
    }
    const mean = h.mean();
    return {
      cases: h.n,
      averageWorkingDays: mean === null ? null : round1(mean),
      p90WorkingDays: h.quantile(0.9),
    };
  }

  private serviceIds(): string[] {
    return this.policy.routing.services.map((s) => s.id);
  }

  private directorates(): string[] {
    return [...new Set(this.policy.routing.services.map((s) => s.directorate))];
  }

  private stageFigures(key: StageKey) {
    const s = this.stages[key];
    let averageDays: number | null | Suppressed = null;
    if (s.extensions >= SUPPRESSION_THRESHOLD) averageDays = round1(s.extensionDays / s.extensions);
    else if (s.extensions > 0) {
      this.suppressedAny = true;
      averageDays = { suppressed: true };
    }
    return {
      durations: { acknowledge: this.duration(s.ackDays), respond: this.duration(s.respondDays) },
      extensions: {
        extensions: this.count(s.extensions),
        casesExtended: this.count(s.casesExtended),
        averageDays,
      },
      outcomes: {
        responses: this.count(s.responses),
        upheld: this.count(s.outcomes.get('upheld')),
        partiallyUpheld: this.count(s.outcomes.get('partially-upheld')),
        notUpheld: this.count(s.outcomes.get('not-upheld')),
        remedies: this.count(s.remedies),
      },
      code: {
        acknowledgement: this.timelinessCell(s.codeAck),
        response: this.timelinessCell(s.codeResponse),
      },
    };
  }

  /** The report, with small counts suppressed. */
  finish(): PerformanceReport {
    const { from, to } = this.options;
    const stage1 = this.stageFigures('stage1');
    const stage2 = this.stageFigures('stage2');
    let repeatComplainants = 0;
    let repeatCases = 0;
    for (const n of this.complainants.values()) {
      if (n > 1) {
        repeatComplainants += 1;
        repeatCases += n;
      }
    }
    const byStaff: Record<string, Count> = {};
    for (const [key, n] of [...this.staff.map.entries()].sort(([, a], [, b]) => b - a)) {
      byStaff[this.staffNames.get(key) ?? key] = this.count(n);
    }
    const escalatedCount = this.count(this.escalated);
    const report: PerformanceReport = {
      council: this.policy.council,
      policyId: this.policy.id,
      period: { from, to },
      asOf: new Date(this.asOfMs).toISOString(),
      suppression: { threshold: SUPPRESSION_THRESHOLD, applied: false, note: '' },
      notes: REPORT_NOTES,
      totals: {
        received: this.count(this.received),
        handled: this.count(this.handled),
        redirected: this.count(this.redirected),
      },
      counts: {
        byKind: this.counts(this.byKind, [
          'complaint',
          'compliment',
          'comment',
          'representation',
          'social-care',
        ]),
        byStage: {
          stage1: this.count(this.stageReached.get('stage1')),
          stage2: this.count(this.stageReached.get('stage2')),
        },
        byService: this.counts(this.byService, this.serviceIds()),
        byDirectorate: this.counts(this.byDirectorate, this.directorates()),
        byChannel: this.counts(this.byChannel, CHANNELS),
      },
      timeliness: {
        acknowledgement: Object.fromEntries(
          CLOCK_GROUPS.acknowledgement.map((g) => [g, this.breakdown(this.ack.get(g))]),
        ) as Record<AcknowledgementGroup, TimelinessBreakdown>,
        response: Object.fromEntries(
          CLOCK_GROUPS.response.map((g) => [g, this.breakdown(this.response.get(g))]),
        ) as Record<ResponseGroup, TimelinessBreakdown>,
      },
      codeTimescales: { stage1: stage1.code, stage2: stage2.code },
      durations: {
        stage1: stage1.durations,
        stage2: stage2.durations,
        socialCare: {
          acknowledge: this.duration(this.socialCareAck),
          respond: this.duration(this.socialCareRespond),
        },
      },
      extensions: { stage1: stage1.extensions, stage2: stage2.extensions },
      outcomes: { stage1: stage1.outcomes, stage2: stage2.outcomes },
      escalation: {
        stage1Responses: this.count(this.stage1Responses),
        escalatedToStage2: escalatedCount,
        ratePercent: isSuppressed(escalatedCount)
          ? escalatedCount
          : this.stage1Responses === 0
            ? null
            : percent(this.escalated, this.stage1Responses),
      },
      ombudsman: { enquiries: this.count(this.ombudsman) },
      compliments: {
        total: this.count(this.compliments),
        byService: this.counts(this.complimentsByService),
        byStaff,
      },
      redirected: { total: this.count(this.redirected), byExclusion: this.counts(this.byExclusion) },
      repeatContact: { complainants: this.count(repeatComplainants), cases: this.count(repeatCases) },
      vexatious: { cases: this.count(this.vexatious) },
      learning: {
        lessonsRecorded: this.count(this.lessons),
        improvementsRecorded: this.count(this.improvements),
      },
      ...(this.options.includeLearning ? { learningItems: this.learningItems } : {}),
    };
    report.suppression = {
      threshold: SUPPRESSION_THRESHOLD,
      applied: this.suppressedAny,
      note: this.suppressedAny
        ? `Suppression applied: figures describing 1 to ${SUPPRESSION_THRESHOLD - 1} cases are shown as "fewer than ${SUPPRESSION_THRESHOLD}" so that no one can be identified.`
        : `No figure needed suppressing: figures describing 1 to ${SUPPRESSION_THRESHOLD - 1} cases would be shown as "fewer than ${SUPPRESSION_THRESHOLD}".`,
    };
    return report;
  }
}

/** What every report says about itself. */
export const REPORT_NOTES: string[] = [
  'Cases are counted by the date they were received (Europe/London): the figures describe the cases received in the period, whenever they were answered.',
  'On time means done by the case’s own deadline, worked out from the council’s policy and working-day calendar (bank holidays and closure days excluded), including any extension or pause.',
  'Service requests and other matters outside the complaints procedure are recorded and counted as redirected, not as complaints.',
  'Working days are counted from the day of receipt (or of the stage-2 request) to the day the step was done; the 90th percentile is the nearest-rank value.',
  'No personal data: no names, contact details, addresses or what residents wrote. Repeat contact is counted from a one-way hash of the email address, which is never shown.',
  'Lessons learned and service improvements are officers’ free text that may mention people: they appear only in the officer-facing reports, never in the JSON or CSV export.',
  'Suppression is by cell: a cell for 1 to 4 cases is withheld whole; a total may still allow a single withheld cell to be worked out from the others, so share breakdowns with care.',
];

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function percent(part: number, whole: number): number {
  return round1((part / whole) * 100);
}

/** The report without the officer-only free text: the public, anonymised form (JSON and CSV). */
export function publicReport(report: PerformanceReport): PerformanceReport {
  const { learningItems: _officerOnly, ...rest } = report;
  return rest;
}
