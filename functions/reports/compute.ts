import { createHash } from 'node:crypto';
import { calendarFor } from '../domain/calendar.js';
import type { CaseRecord, StageProgress, StageResponse } from '../domain/case.js';
import { deriveDeadlines } from '../domain/case-clock.js';
import { CODE } from '../domain/code-comparison.js';
import type { Policy } from '../domain/policy-schema.js';
import { type CaseKind, CHANNELS, type IsoDate, type IsoTimestamp, type Outcome } from '../domain/types.js';
import { BoundedCache, LondonDates, WorkingDayRanks } from './day-cache.js';
import { ReportReader } from './disclosure-audit.js';
import { endOfPeriod, type Period } from './period.js';
import { type Breakdown, type Figure, withholdWorkedOut } from './withheld.js';

/**
 * The complaints performance report (the unitary council’s Customer Feedback Procedure §2.4–2.5, Dudley MBC Corporate Customer Feedback Procedure, June 2019, §7, the Code's section 8): pure
 * arithmetic over the cases received in a period. It streams: each case is read once and dropped;
 * what is kept is counts, per-value histograms of working days and one hash per complainant, so
 * memory grows with the number of services, staff and complainants, never with the text of cases.
 *
 * Nothing personal leaves this module except, when asked for (`includeLearning`), the officers'
 * own "lessons learned" and "service improvements" text for the officer-facing pages. Counts of 1
 * to 4 cases are suppressed (`{ suppressed: true }`), and so are further figures wherever one of
 * them could be worked out by subtraction (`{ suppressed: true, secondary: true }`), so no small
 * group can be picked out.
 */

/**
 * A count withheld because it describes 1 to 4 cases, or (`secondary`) because a figure withheld
 * for that could otherwise be worked out from it (`withheld.ts`): it may describe more.
 */
export interface Suppressed {
  suppressed: true;
  secondary?: true;
}
/** A number of cases, or {@link Suppressed}. */
export type Count = number | Suppressed;

/** Counts from 1 up to this (excluded) are suppressed. */
export const SUPPRESSION_THRESHOLD = 5;

/** Figures the whole-report audit may withhold one by one: far more than any report has. */
const MAX_AUDIT_ROUNDS = 1000;

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
  compliments: {
    total: Count;
    byService: Record<string, Count>;
    /** Staff named and thanked, as officers wrote them: in the officer-facing reports only. */
    byStaff?: Record<string, Count>;
  };
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
// Figures: the report's arithmetic as named counts

/**
 * Everything a report adds up, as named counts (`Figures`): a case's contribution is a handful
 * of them, and a period's figures are the sum of its cases' contributions. So the same numbers
 * come from reading the period's cases (`computePerformance`) or from counters the table's
 * stream keeps per day (`report-counters.ts`), and `finishReport` turns either into the report.
 *
 * Names are `|`-separated, every free part URI-encoded (so a `|` in a service name cannot break
 * them). A clock still running is counted under its deadline (`due:<epoch ms>`), not as overdue or
 * pending: which one it is depends on when the report is read, so that is decided at the end.
 */
export type Figures = Map<string, number>;

/** Encoded names of services, directorates, channels… remembered: the same few recur on every case. */
const parts = new Map<string, string>();
function part(value: string): string {
  let encoded = parts.get(value);
  if (encoded === undefined) {
    encoded = encodeURIComponent(value);
    // Bounded: free text (staff names) cannot grow it without limit.
    if (parts.size >= 10_000) parts.clear();
    parts.set(value, encoded);
  }
  return encoded;
}
const unpart = (value: string) => decodeURIComponent(value);

type ClockName = 'ack' | 'response';
/** How a clock ended, or when it runs out if it has not. */
type ClockMark = 'onTime' | 'late' | `due:${number}`;
type ClockState = 'onTime' | 'late' | 'overdue' | 'pending';

/** One case's counts and the London date it was received (its day). */
export interface CaseContribution {
  receivedOn: IsoDate;
  counts: Record<string, number>;
  /** The one-way digest of the complainant's email (repeat contact), when there is one. */
  complainant?: string;
}

/** The one-way digest repeat contact is counted by: SHA-256 of the lower-cased email. */
export function complainantDigest(c: CaseRecord): string | undefined {
  const email = c.complainant.email?.trim().toLowerCase();
  // Only a digest is kept: the report never holds, let alone shows, an address.
  return email ? createHash('sha256').update(email).digest('base64') : undefined;
}

/** Repeat contact from the number of cases of each complainant in the period. */
export function repeatContactOf(casesPerComplainant: Iterable<number>): {
  complainants: number;
  cases: number;
} {
  let complainants = 0;
  let cases = 0;
  for (const n of casesPerComplainant) {
    if (n > 1) {
      complainants += 1;
      cases += n;
    }
  }
  return { complainants, cases };
}

interface ClockCounts {
  cases: number;
  onTime: number;
  late: number;
  overdue: number;
  pending: number;
}

const newClock = (): ClockCounts => ({ cases: 0, onTime: 0, late: 0, overdue: 0, pending: 0 });

function bump(cell: ClockCounts, state: ClockState, n = 1): void {
  cell.cases += n;
  cell[state] += n;
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
  add(days: number, n = 1): void {
    this.counts.set(days, (this.counts.get(days) ?? 0) + n);
    this.n += n;
    this.sum += days * n;
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

function add(into: Figures | Record<string, number>, key: string, n = 1): void {
  if (into instanceof Map) into.set(key, (into.get(key) ?? 0) + n);
  else into[key] = (into[key] ?? 0) + n;
}

/** Adds one set of counts into another (a case's contribution, a day's counters). */
export function addFigures(into: Figures, counts: Iterable<[string, number]> | Record<string, number>): void {
  const entries = Symbol.iterator in counts ? counts : Object.entries(counts);
  for (const [key, n] of entries as Iterable<[string, number]>) add(into, key, n);
}

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
  const counter = new CaseCounter(policy);
  const figures: Figures = new Map();
  const complainants = new Map<string, number>();
  const learningItems: LearningItem[] = [];
  for await (const c of cases) {
    const receivedOn = counter.receivedOn(c);
    if (receivedOn < options.from || receivedOn > options.to) continue;
    counter.count(c, figures);
    const who = complainantDigest(c);
    if (who) complainants.set(who, (complainants.get(who) ?? 0) + 1);
    if (options.includeLearning && !isRedirected(c))
      learningItems.push(...learningItemsOf(c, counter.serviceOf(c), receivedOn));
  }
  return finishReport(policy, options, figures, repeatContactOf(complainants.values()), {
    ...(options.includeLearning ? { learningItems } : {}),
  });
}

/**
 * What each case adds to the report's figures, under one policy and its calendar. Keeps the
 * caches that let a report read 100,000 cases in seconds; one per report, or one per container
 * for the stream's counters.
 */
export class CaseCounter {
  private readonly dates = new LondonDates();
  private readonly ranks: WorkingDayRanks;
  private readonly codePolicy: Policy;
  /** Deadlines by the day-precision facts they depend on, one cache per policy. */
  private readonly deadlineCache = new Map<Policy, BoundedCache<Deadlines | null>>();
  private readonly serviceDirectorate = new Map<string, string>();

  constructor(private readonly policy: Policy) {
    this.ranks = new WorkingDayRanks(calendarFor(policy));
    this.codePolicy = codeTimescalesPolicy(policy);
    for (const s of policy.routing.services) this.serviceDirectorate.set(s.id, s.directorate);
  }

  /** The London date the case was received: the day its counts belong to. */
  receivedOn(c: CaseRecord): IsoDate {
    return this.dates.of(c.receivedAt);
  }

  /** The service a case is counted under. */
  serviceOf(c: CaseRecord): string {
    return c.service ?? NOT_GIVEN;
  }

  /** The case's counts, its day and its complainant's digest. */
  contribution(c: CaseRecord): CaseContribution {
    const counts: Record<string, number> = {};
    this.count(c, counts);
    const complainant = complainantDigest(c);
    return { receivedOn: this.receivedOn(c), counts, ...(complainant ? { complainant } : {}) };
  }

  /** Adds the case's counts (whatever day it was received) to `into`. */
  count(c: CaseRecord, into: Figures | Record<string, number>): void {
    const inc = (key: string, n = 1) => add(into, key, n);
    inc('received');
    if (isRedirected(c)) {
      inc('redirected');
      inc(`exclusion|${part(c.triage.exclusion ?? 'other')}`);
      return;
    }
    inc('handled');
    const service = this.serviceOf(c);
    const directorate =
      c.directorate ?? (c.service ? this.serviceDirectorate.get(c.service) : undefined) ?? NOT_GIVEN;
    inc(`kind|${part(c.kind)}`);
    inc(`service|${part(service)}`);
    inc(`directorate|${part(directorate)}`);
    inc(`channel|${part(c.channel)}`);
    if (c.vexatious) inc('vexatious');
    if (c.ombudsmanInvolved) inc('ombudsman');
    const where: Where = { service, directorate, channel: c.channel };

    switch (c.kind) {
      case 'complaint':
        this.complaint(c, where, inc);
        break;
      case 'social-care':
        this.socialCare(c, where, inc);
        break;
      case 'comment':
        this.replied(c, 'comment', 'replyBy', where, inc);
        break;
      case 'representation':
        this.replied(c, 'representation', 'feedbackBy', where, inc);
        break;
      case 'compliment':
        this.compliment(c, service, inc);
        break;
      default:
        break;
    }
    for (const p of [c.progress.stage1, c.progress.stage2]) {
      const r = p?.response;
      if (!r) continue;
      if (text(r.lessons)) inc('lessons');
      if (text(r.actions)) inc('improvements');
    }
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

  private clock(
    name: ClockName,
    group: string,
    done: IsoTimestamp | undefined,
    deadline: number | undefined,
    where: Where,
    inc: Inc,
  ): void {
    if (!deadline) return;
    const mark = clockMark(done, deadline);
    // One count for the service, directorate and channel together: the breakdowns are its sums.
    inc(
      `clock|${name}|${group}|${mark}|${part(where.service)}|${part(where.directorate)}|${part(where.channel)}`,
    );
  }

  private days(from: IsoTimestamp, to: IsoTimestamp): number {
    return this.ranks.between(this.dates.of(from), this.dates.of(to));
  }

  private complaint(c: CaseRecord, where: Where, inc: Inc): void {
    const d = this.deadlines(this.policy, c);
    const code = this.deadlines(this.codePolicy, cappedExtensions(c));
    const stages = [
      { key: 'stage1', p: c.progress.stage1, ackKey: 'acknowledgeBy', respondKey: 'respondBy' },
      { key: 'stage2', p: c.progress.stage2, ackKey: 'stage2AcknowledgeBy', respondKey: 'stage2RespondBy' },
    ] as const;
    for (const { key, p, ackKey, respondKey } of stages) {
      if (!p) continue;
      inc(`reached|${key}`);
      const group = key === 'stage1' ? 'complaint-stage-1' : 'complaint-stage-2';
      if (d) {
        this.clock('ack', group, p.acknowledgedAt, d[ackKey], where, inc);
        this.clock('response', group, p.respondedAt, d[respondKey], where, inc);
      }
      const codeAck = code?.[ackKey];
      const codeRespond = code?.[respondKey];
      if (codeAck !== undefined) inc(`code|${key}|ack|${clockMark(p.acknowledgedAt, codeAck)}`);
      if (codeRespond !== undefined) inc(`code|${key}|response|${clockMark(p.respondedAt, codeRespond)}`);
      if (p.acknowledgedAt) inc(`days|${key}|acknowledge|${this.days(p.startedAt, p.acknowledgedAt)}`);
      if (p.respondedAt) inc(`days|${key}|respond|${this.days(p.startedAt, p.respondedAt)}`);
      extensions(key, p, inc);
      outcome(key, p.response, inc);
    }
    if (c.progress.stage1.respondedAt) {
      inc('stage1Responses');
      if (c.progress.stage2) inc('escalated');
    }
  }

  private socialCare(c: CaseRecord, where: Where, inc: Inc): void {
    const d = this.deadlines(this.policy, c);
    const p = c.progress.stage1;
    if (d) {
      this.clock('ack', 'social-care', p.acknowledgedAt, d.acknowledgeBy, where, inc);
      this.clock('response', 'social-care', p.respondedAt, d.respondBy, where, inc);
    }
    if (p.acknowledgedAt) inc(`days|socialCare|acknowledge|${this.days(p.startedAt, p.acknowledgedAt)}`);
    if (p.respondedAt) inc(`days|socialCare|respond|${this.days(p.startedAt, p.respondedAt)}`);
  }

  private replied(
    c: CaseRecord,
    group: 'comment' | 'representation',
    deadlineKey: 'replyBy' | 'feedbackBy',
    where: Where,
    inc: Inc,
  ): void {
    const d = this.deadlines(this.policy, c);
    if (d) this.clock('response', group, c.progress.stage1.respondedAt, d[deadlineKey], where, inc);
  }

  private compliment(c: CaseRecord, service: string, inc: Inc): void {
    inc('compliments');
    inc(`complimentService|${part(service)}`);
    const seen = new Set<string>();
    for (const name of c.staffNamed ?? []) {
      const key = staffKey(name);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      inc(`staff|${part(key)}|${part(name.trim().replace(/\s+/g, ' '))}`);
    }
  }
}

type Inc = (key: string, n?: number) => void;
interface Where {
  service: string;
  directorate: string;
  channel: string;
}

function clockMark(done: IsoTimestamp | undefined, due: number): ClockMark {
  if (done) return Date.parse(done) <= due ? 'onTime' : 'late';
  return `due:${due}`;
}

function extensions(key: StageKey, p: StageProgress, inc: Inc): void {
  const list = p.extensions ?? [];
  const total = list.length > 0 ? list.reduce((sum, e) => sum + e.days, 0) : (p.extensionDays ?? 0);
  const count = list.length > 0 ? list.length : total > 0 ? 1 : 0;
  if (count === 0) return;
  inc(`extensions|${key}`, count);
  inc(`extensionDays|${key}`, total);
  inc(`casesExtended|${key}`);
}

function outcome(key: StageKey, response: StageResponse | undefined, inc: Inc): void {
  if (!response?.outcome) return;
  inc(`responses|${key}`);
  inc(`outcome|${key}|${part(response.outcome)}`);
  if (text(response.remedy)) inc(`remedies|${key}`);
}

/** The officers' lessons and improvements on a case (officer-facing pages only). */
function learningItemsOf(c: CaseRecord, service: string, receivedOn: IsoDate): LearningItem[] {
  const items: LearningItem[] = [];
  const stages: [1 | 2, StageProgress | undefined][] = [
    [1, c.progress.stage1],
    [2, c.progress.stage2],
  ];
  for (const [stage, p] of stages) {
    const r = p?.response;
    if (!r) continue;
    const lessons = text(r.lessons);
    const actions = text(r.actions);
    if (!lessons && !actions) continue;
    const remedy = text(r.remedy);
    items.push({
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
  return items;
}

// ---------------------------------------------------------------------------------------------
// From figures to the report

interface ClockBreakdown {
  all: ClockCounts;
  byService: Map<string, ClockCounts>;
  byDirectorate: Map<string, ClockCounts>;
  byChannel: Map<string, ClockCounts>;
}

const newBreakdown = (): ClockBreakdown => ({
  all: newClock(),
  byService: new Map(),
  byDirectorate: new Map(),
  byChannel: new Map(),
});

/** The figures read back into tallies, clocks and histograms, open clocks judged at `asOfMs`. */
class ReadFigures {
  readonly scalars = new Map<string, number>();
  readonly tallies = new Map<string, Map<string, number>>();
  readonly clocks = new Map<string, ClockBreakdown>();
  readonly code = new Map<string, ClockCounts>();
  readonly histograms = new Map<string, Histogram>();
  /** Staff key → each way their name was written → compliments. */
  readonly staff = new Map<string, Map<string, number>>();

  constructor(figures: Figures, asOfMs: number) {
    for (const [key, n] of figures) {
      // Counters a case left again stay behind as zeros: they describe no case.
      if (n === 0) continue;
      this.scalars.set(key, n);
      const parts = key.split('|');
      const [head] = parts;
      if (parts.length === 1) {
        // A plain count, read by its name.
      } else if (head === 'clock') {
        const [, name, group, mark = '', service = '', directorate = '', channel = ''] = parts;
        let b = this.clocks.get(`${name}|${group}`);
        if (!b) {
          b = newBreakdown();
          this.clocks.set(`${name}|${group}`, b);
        }
        const state = stateAt(mark, asOfMs);
        bump(b.all, state, n);
        for (const [map, value] of [
          [b.byService, service],
          [b.byDirectorate, directorate],
          [b.byChannel, channel],
        ] as const) {
          const id = unpart(value);
          let cell = map.get(id);
          if (!cell) {
            cell = newClock();
            map.set(id, cell);
          }
          bump(cell, state, n);
        }
      } else if (head === 'code') {
        const [, stage, name, mark = ''] = parts;
        const id = `${stage}|${name}`;
        let cell = this.code.get(id);
        if (!cell) {
          cell = newClock();
          this.code.set(id, cell);
        }
        bump(cell, stateAt(mark, asOfMs), n);
      } else if (head === 'days') {
        const [, stage, step, days] = parts;
        const id = `${stage}|${step}`;
        let h = this.histograms.get(id);
        if (!h) {
          h = new Histogram();
          this.histograms.set(id, h);
        }
        h.add(Number(days), n);
      } else if (head === 'staff') {
        const [, who = '', written = ''] = parts;
        const key = unpart(who);
        let ways = this.staff.get(key);
        if (!ways) {
          ways = new Map();
          this.staff.set(key, ways);
        }
        ways.set(unpart(written), (ways.get(unpart(written)) ?? 0) + n);
      } else if (parts.length === 2) {
        let tally = this.tallies.get(head as string);
        if (!tally) {
          tally = new Map();
          this.tallies.set(head as string, tally);
        }
        const id = unpart(parts[1] as string);
        tally.set(id, (tally.get(id) ?? 0) + n);
      }
    }
  }

  scalar(key: string): number {
    return this.scalars.get(key) ?? 0;
  }

  tally(name: string): Map<string, number> {
    return this.tallies.get(name) ?? new Map();
  }

  histogram(id: string): Histogram {
    return this.histograms.get(id) ?? new Histogram();
  }
}

function stateAt(mark: string, asOfMs: number): ClockState {
  if (mark === 'onTime' || mark === 'late') return mark;
  return asOfMs > Number(mark.slice('due:'.length)) ? 'overdue' : 'pending';
}

/**
 * The report from a period's figures (a sum of its cases' contributions), its repeat contact and,
 * for the officers' pages, their learning notes; small counts suppressed.
 */
export function finishReport(
  policy: Policy,
  options: ComputeOptions,
  figures: Figures,
  repeat: { complainants: number; cases: number },
  extra: { learningItems?: LearningItem[] } = {},
): PerformanceReport {
  const asOf = options.asOf ?? endOfPeriod(options);
  const asOfMs = typeof asOf === 'string' ? Date.parse(asOf) : asOf.getTime();
  return new ReportBuilder(policy, new ReadFigures(figures, asOfMs)).finish(options, asOfMs, repeat, extra);
}

class ReportBuilder {
  private suppressedAny = false;
  /** Below this, counts are withheld: 1 for the report with every figure shown (`truth`). */
  private readonly threshold: number;

  constructor(
    private readonly policy: Policy,
    private readonly f: ReadFigures,
    /** Withhold small figures (the report as published), or show every one (what it stands for). */
    private readonly suppress = true,
  ) {
    this.threshold = suppress ? SUPPRESSION_THRESHOLD : 1;
  }

  private count(n: number): Count {
    if (n >= 1 && n < this.threshold) {
      this.suppressedAny = true;
      return { suppressed: true };
    }
    return n;
  }

  private counts(tally: Map<string, number>, keys: readonly string[] = []): Record<string, Count> {
    const out: Record<string, Count> = {};
    for (const key of keys) out[key] = this.count(tally.get(key) ?? 0);
    for (const [key, n] of [...tally.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      if (!(key in out)) out[key] = this.count(n);
    }
    return out;
  }

  private timelinessCell(c: ClockCounts): TimelinessCell {
    if (c.cases >= 1 && c.cases < this.threshold) {
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
        if (cell && cell.cases > 0) out[key] = this.timelinessCell(cell);
      }
      for (const [key, cell] of [...(map?.entries() ?? [])].sort(([a], [b]) => a.localeCompare(b))) {
        if (!(key in out) && cell.cases > 0) out[key] = this.timelinessCell(cell);
      }
      return out;
    };
    const all = this.timelinessCell(b?.all ?? newClock());
    // Of 1 to 4 cases in all, which services, directorates and channels had any would narrow each
    // (four cells of "fewer than 5" under a total of fewer than 5 are one case each): none is shown.
    if (isSuppressed(all)) return { all, byService: {}, byDirectorate: {}, byChannel: {} };
    return {
      all,
      byService: cells(b?.byService, this.serviceIds()),
      byDirectorate: cells(b?.byDirectorate, this.directorates()),
      byChannel: cells(b?.byChannel, CHANNELS),
    };
  }

  private duration(h: Histogram): DurationCell {
    if (h.n >= 1 && h.n < this.threshold) {
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
    const f = this.f;
    const extensions = f.scalar(`extensions|${key}`);
    let averageDays: number | null | Suppressed = null;
    if (extensions >= this.threshold) averageDays = round1(f.scalar(`extensionDays|${key}`) / extensions);
    else if (extensions > 0) {
      this.suppressedAny = true;
      averageDays = { suppressed: true };
    }
    const outcomes = (o: Outcome) => this.count(f.scalar(`outcome|${key}|${part(o)}`));
    return {
      durations: {
        acknowledge: this.duration(f.histogram(`${key}|acknowledge`)),
        respond: this.duration(f.histogram(`${key}|respond`)),
      },
      extensions: {
        extensions: this.count(extensions),
        casesExtended: this.count(f.scalar(`casesExtended|${key}`)),
        averageDays,
      },
      outcomes: {
        responses: this.count(f.scalar(`responses|${key}`)),
        upheld: outcomes('upheld'),
        partiallyUpheld: outcomes('partially-upheld'),
        notUpheld: outcomes('not-upheld'),
        remedies: this.count(f.scalar(`remedies|${key}`)),
      },
      code: {
        acknowledgement: this.timelinessCell(f.code.get(`${key}|ack`) ?? newClock()),
        response: this.timelinessCell(f.code.get(`${key}|response`) ?? newClock()),
      },
    };
  }

  /**
   * Compliments per member of staff, most first. A name written several ways (case, spaces) is
   * shown as it was written most often, the alphabetically first of equals, so the figures do
   * not depend on the order cases are read in.
   */
  private byStaff(): Record<string, Count> {
    const rows = [...this.f.staff.values()]
      .map((ways) => {
        let total = 0;
        let shown = '';
        let shownCount = 0;
        for (const [written, n] of ways) {
          total += n;
          if (n > shownCount || (n === shownCount && written < shown)) {
            shown = written;
            shownCount = n;
          }
        }
        return { shown, total };
      })
      .filter((row) => row.total > 0)
      .sort((a, b) => b.total - a.total || (a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : 0));
    const out: Record<string, Count> = {};
    for (const row of rows) out[row.shown] = this.count(row.total);
    return out;
  }

  finish(
    period: Period,
    asOfMs: number,
    repeat: { complainants: number; cases: number },
    extra: { learningItems?: LearningItem[] },
  ): PerformanceReport {
    const f = this.f;
    const { from, to } = period;
    const stage1 = this.stageFigures('stage1');
    const stage2 = this.stageFigures('stage2');
    const escalated = f.scalar('escalated');
    const stage1Responses = f.scalar('stage1Responses');
    const escalatedCount = this.count(escalated);
    const redirected = f.scalar('redirected');
    const report: PerformanceReport = {
      council: this.policy.council,
      policyId: this.policy.id,
      period: { from, to },
      asOf: new Date(asOfMs).toISOString(),
      suppression: { threshold: SUPPRESSION_THRESHOLD, applied: false, note: '' },
      notes: REPORT_NOTES,
      totals: {
        received: this.count(f.scalar('received')),
        handled: this.count(f.scalar('handled')),
        redirected: this.count(redirected),
      },
      counts: {
        byKind: this.counts(f.tally('kind'), [
          'complaint',
          'compliment',
          'comment',
          'representation',
          'social-care',
        ]),
        byStage: {
          stage1: this.count(f.tally('reached').get('stage1') ?? 0),
          stage2: this.count(f.tally('reached').get('stage2') ?? 0),
        },
        byService: this.counts(f.tally('service'), this.serviceIds()),
        byDirectorate: this.counts(f.tally('directorate'), this.directorates()),
        byChannel: this.counts(f.tally('channel'), CHANNELS),
      },
      timeliness: {
        acknowledgement: Object.fromEntries(
          CLOCK_GROUPS.acknowledgement.map((g) => [g, this.breakdown(f.clocks.get(`ack|${g}`))]),
        ) as Record<AcknowledgementGroup, TimelinessBreakdown>,
        response: Object.fromEntries(
          CLOCK_GROUPS.response.map((g) => [g, this.breakdown(f.clocks.get(`response|${g}`))]),
        ) as Record<ResponseGroup, TimelinessBreakdown>,
      },
      codeTimescales: { stage1: stage1.code, stage2: stage2.code },
      durations: {
        stage1: stage1.durations,
        stage2: stage2.durations,
        socialCare: {
          acknowledge: this.duration(f.histogram('socialCare|acknowledge')),
          respond: this.duration(f.histogram('socialCare|respond')),
        },
      },
      extensions: { stage1: stage1.extensions, stage2: stage2.extensions },
      outcomes: { stage1: stage1.outcomes, stage2: stage2.outcomes },
      escalation: {
        stage1Responses: this.count(stage1Responses),
        escalatedToStage2: escalatedCount,
        ratePercent: isSuppressed(escalatedCount)
          ? escalatedCount
          : stage1Responses === 0
            ? null
            : percent(escalated, stage1Responses),
      },
      ombudsman: { enquiries: this.count(f.scalar('ombudsman')) },
      compliments: {
        total: this.count(f.scalar('compliments')),
        // Every service, 0 too: a service left out would say how many had any (`disclosure-audit.ts`).
        byService: this.counts(f.tally('complimentService'), this.serviceIds()),
        byStaff: this.byStaff(),
      },
      redirected: {
        total: this.count(redirected),
        byExclusion: this.counts(f.tally('exclusion'), ['service-request', ...this.policy.exclusions]),
      },
      repeatContact: { complainants: this.count(repeat.complainants), cases: this.count(repeat.cases) },
      vexatious: { cases: this.count(f.scalar('vexatious')) },
      learning: {
        lessonsRecorded: this.count(f.scalar('lessons')),
        improvementsRecorded: this.count(f.scalar('improvements')),
      },
      ...(extra.learningItems ? { learningItems: extra.learningItems } : {}),
    };
    const secondary =
      this.suppress && this.withholdWorkedOut(report, () => this.truth(period, asOfMs, repeat));
    report.suppression = {
      threshold: SUPPRESSION_THRESHOLD,
      applied: this.suppressedAny,
      note: this.suppressedAny
        ? `Suppression applied: figures describing 1 to ${SUPPRESSION_THRESHOLD - 1} cases are shown as "fewer than ${SUPPRESSION_THRESHOLD}" so that no one can be identified.${secondary ? ` Where one could be worked out from a total less the figures shown, further figures are withheld too, and shown as "withheld".` : ''}`
        : `No figure needed suppressing: figures describing 1 to ${SUPPRESSION_THRESHOLD - 1} cases would be shown as "fewer than ${SUPPRESSION_THRESHOLD}".`,
    };
    return report;
  }

  /**
   * Withholds further figures wherever a withheld one could be worked out (`withheld.ts`): each
   * breakdown the report shows with its total, and each count it shows in more than one place.
   */
  /** The report with every figure shown: what the published one stands for. */
  private truth(
    period: Period,
    asOfMs: number,
    repeat: { complainants: number; cases: number },
  ): PerformanceReport {
    return new ReportBuilder(this.policy, this.f, false).finish(period, asOfMs, repeat, {});
  }

  private withholdWorkedOut(report: PerformanceReport, truth: () => PerformanceReport): boolean {
    const f = this.f;
    const tally = (name: string, key: string) => f.tally(name).get(key) ?? 0;
    const counts = (holder: Record<string, Count>, name: string): Figure[] =>
      Object.keys(holder).map((key) => figure(holder, key, tally(name, key)));
    const { totals, counts: c } = report;
    const handled = figure(totals, 'handled', f.scalar('handled'));
    const redirected = figure(totals, 'redirected', f.scalar('redirected'));
    const breakdowns: Breakdown[] = [
      { total: figure(totals, 'received', f.scalar('received')), parts: [handled, redirected] },
      { total: handled, parts: counts(c.byKind, 'kind') },
      { total: handled, parts: counts(c.byService, 'service') },
      { total: handled, parts: counts(c.byDirectorate, 'directorate') },
      { total: handled, parts: counts(c.byChannel, 'channel') },
      {
        total: figure(report.redirected, 'total', f.scalar('redirected')),
        parts: counts(report.redirected.byExclusion, 'exclusion'),
      },
      {
        total: figure(report.compliments, 'total', f.scalar('compliments')),
        parts: counts(report.compliments.byService, 'complimentService'),
      },
    ];
    // A directorate's count is the sum of its services'.
    for (const directorate of Object.keys(c.byDirectorate)) {
      const services = this.servicesOf(directorate).filter((s) => s in c.byService);
      breakdowns.push({
        total: figure(c.byDirectorate, directorate, tally('directorate', directorate)),
        parts: services.map((s) => figure(c.byService, s, tally('service', s))),
      });
    }
    for (const [clock, groups] of [
      ['ack', report.timeliness.acknowledgement],
      ['response', report.timeliness.response],
    ] as const) {
      for (const [group, b] of Object.entries(groups as Record<string, TimelinessBreakdown>)) {
        const raw = f.clocks.get(`${clock}|${group}`);
        const cells = (holder: Record<string, TimelinessCell>, map: Map<string, ClockCounts> | undefined) =>
          Object.keys(holder).map((key) => figure(holder, key, map?.get(key)?.cases ?? 0));
        const all = figure(b, 'all', raw?.all.cases ?? 0);
        breakdowns.push(
          { total: all, parts: cells(b.byService, raw?.byService) },
          { total: all, parts: cells(b.byDirectorate, raw?.byDirectorate) },
          { total: all, parts: cells(b.byChannel, raw?.byChannel) },
        );
        for (const directorate of Object.keys(b.byDirectorate)) {
          const services = this.servicesOf(directorate).filter((s) => s in b.byService);
          breakdowns.push({
            total: figure(b.byDirectorate, directorate, raw?.byDirectorate.get(directorate)?.cases ?? 0),
            parts: services.map((s) => figure(b.byService, s, raw?.byService.get(s)?.cases ?? 0)),
          });
        }
      }
    }
    // Responses add up to the outcomes named and those not (a complaint resolved when first made).
    for (const key of ['stage1', 'stage2'] as const) {
      const o = report.outcomes[key];
      const outcome = (field: 'upheld' | 'partiallyUpheld' | 'notUpheld', id: Outcome) =>
        figure(o, field, f.scalar(`outcome|${key}|${part(id)}`));
      const named = [
        outcome('upheld', 'upheld'),
        outcome('partiallyUpheld', 'partially-upheld'),
        outcome('notUpheld', 'not-upheld'),
      ];
      const rest = f.scalar(`responses|${key}`) - named.reduce((sum, n) => sum + n.value, 0);
      breakdowns.push({
        total: figure(o, 'responses', f.scalar(`responses|${key}`)),
        // The rest is a figure only when small: a larger one worked out gives no one away.
        parts: [...named, ...(rest > 0 && rest < SUPPRESSION_THRESHOLD ? [unshown(rest)] : [])],
      });
    }
    const timely = report.timeliness;
    const code = report.codeTimescales;
    const clockCases = (clock: 'ack' | 'response', group: string) =>
      f.clocks.get(`${clock}|${group}`)?.all.cases ?? 0;
    const codeCases = (key: StageKey, clock: 'ack' | 'response') => f.code.get(`${key}|${clock}`)?.cases ?? 0;
    // The cases acknowledged and answered: fewer than reached the stage, or the same cases.
    const durations = (key: StageKey | 'socialCare') => [
      figure(report.durations[key], 'acknowledge', f.histogram(`${key}|acknowledge`).n),
      figure(report.durations[key], 'respond', f.histogram(`${key}|respond`).n),
    ];
    // The complaints that reached a stage, as each part of the report that times them counts them.
    const reached = (key: StageKey, group: 'complaint-stage-1' | 'complaint-stage-2') => [
      figure(c.byStage, key, tally('reached', key)),
      figure(timely.acknowledgement[group], 'all', clockCases('ack', group)),
      figure(timely.response[group], 'all', clockCases('response', group)),
      figure(code[key], 'acknowledgement', codeCases(key, 'ack')),
      figure(code[key], 'response', codeCases(key, 'response')),
      ...durations(key),
    ];
    const copies = [
      [redirected, figure(report.redirected, 'total', f.scalar('redirected'))],
      [figure(c.byKind, 'complaint', tally('kind', 'complaint')), ...reached('stage1', 'complaint-stage-1')],
      [
        figure(report.escalation, 'escalatedToStage2', f.scalar('escalated')),
        ...reached('stage2', 'complaint-stage-2'),
      ],
      [
        figure(c.byKind, 'comment', tally('kind', 'comment')),
        figure(timely.response.comment, 'all', clockCases('response', 'comment')),
      ],
      [
        figure(c.byKind, 'representation', tally('kind', 'representation')),
        figure(timely.response.representation, 'all', clockCases('response', 'representation')),
      ],
      [
        figure(c.byKind, 'social-care', tally('kind', 'social-care')),
        figure(timely.acknowledgement['social-care'], 'all', clockCases('ack', 'social-care')),
        figure(timely.response['social-care'], 'all', clockCases('response', 'social-care')),
        ...durations('socialCare'),
      ],
      [
        figure(c.byKind, 'compliment', tally('kind', 'compliment')),
        figure(report.compliments, 'total', f.scalar('compliments')),
      ],
      [
        figure(report.outcomes.stage1, 'responses', f.scalar('responses|stage1')),
        figure(report.escalation, 'stage1Responses', f.scalar('stage1Responses')),
        figure(report.durations.stage1, 'respond', f.histogram('stage1|respond').n),
      ],
    ].flatMap(sameValues);
    let withheld = withholdWorkedOut(breakdowns, copies, SUPPRESSION_THRESHOLD);
    // Then a reader who puts every part of the report together (`disclosure-audit.ts`): whatever
    // they could still work out, the figure that gives it away is withheld too, one at a time.
    // The reader takes some relations to hold of every report (a case is timed by its policy's
    // clocks; a service is in the directorate the policy puts it in); one this report breaks (a
    // directorate renamed since, a stage-2 complaint under a one-stage policy) is left out, rather
    // than stop the audit: the figures every figure stands for are known here.
    const values = new ReportReader(truth(), this.policy).values();
    for (let round = 0; round < MAX_AUDIT_ROUNDS; round++) {
      const next = new ReportReader(report, this.policy, values).nextToWithhold();
      if (!next) break;
      next();
      withheld = true;
    }
    // The escalation rate gives either of its figures away from the other.
    const esc = report.escalation;
    if (
      !isSuppressed(esc.ratePercent) &&
      (isSuppressed(esc.stage1Responses) || isSuppressed(esc.escalatedToStage2))
    ) {
      esc.ratePercent = { suppressed: true, secondary: true };
    }
    if (withheld) this.suppressedAny = true;
    return withheld;
  }

  /** The services the policy puts in a directorate (a case with no service has no directorate). */
  private servicesOf(directorate: string): string[] {
    if (directorate === NOT_GIVEN) return [NOT_GIVEN];
    return this.policy.routing.services.filter((s) => s.directorate === directorate).map((s) => s.id);
  }
}

/** What every report says about itself. */
export const REPORT_NOTES: string[] = [
  'Cases are counted by the date they were received (Europe/London): the figures describe the cases received in the period, whenever they were answered.',
  'On time means done by the case’s own deadline, worked out from the council’s policy and working-day calendar (bank holidays and closure days excluded), including any extension or pause.',
  'Service requests and other matters outside the complaints procedure are recorded and counted as redirected, not as complaints.',
  'Working days are counted from the day of receipt (or of the stage-2 request) to the day the step was done; the 90th percentile is the nearest-rank value.',
  'No personal data: no names, contact details, addresses or what residents wrote. Repeat contact is counted from a one-way hash of the email address, which is never shown.',
  'Lessons learned and service improvements are officers’ free text that may mention people, and compliments name the staff thanked: both appear only in the officer-facing reports, never in the JSON or CSV export.',
  'Suppression is by cell: a cell for 1 to 4 cases is withheld whole, and others are withheld too (shown as "withheld", whatever their size, 0 included) wherever a withheld cell could otherwise be worked out from the figures shown. Two reports of overlapping periods can still be compared to work one out, so share reports of fixed periods (months, quarters, years).',
];

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function percent(part: number, whole: number): number {
  return round1((part / whole) * 100);
}

/** The report without the officer-only free text and staff names: the public, anonymised form (JSON and CSV). */
export function publicReport(report: PerformanceReport): PerformanceReport {
  const { learningItems: _officerOnly, ...rest } = report;
  const { byStaff: _names, ...compliments } = report.compliments;
  return { ...rest, compliments };
}

/** A figure of the report held at `holder[key]`, counting `value` cases. */
function figure<K extends string>(holder: { [key in K]?: unknown }, key: K, value: number): Figure {
  return {
    value,
    shown: () => !isSuppressed(holder[key]),
    withhold: () => {
      (holder as Record<K, unknown>)[key] = { suppressed: true, secondary: true };
    },
  };
}

/** Cases a total counts that no figure of the report shows (outcomes it does not name). */
function unshown(value: number): Figure {
  return { value, shown: () => false, withhold: () => {} };
}

/** The figures of a set that count the same cases, grouped by the number they show: equal ones are copies. */
function sameValues(figures: Figure[]): Figure[][] {
  const byValue = new Map<number, Figure[]>();
  for (const f of figures) byValue.set(f.value, [...(byValue.get(f.value) ?? []), f]);
  return [...byValue.values()].filter((same) => same.length > 1);
}
