/**
 * A hostile reader of one published performance report (its public JSON): what can be worked out
 * about the figures it withholds from everything it shows, and from what the figures mean.
 *
 * Every count of the report is an unknown whole number: a figure shown is known; one withheld as
 * small is from 1 to 4; one withheld further (`secondary`) may be any number. The reader then applies
 * what any reader knows of how the figures relate (below) and narrows each unknown's range until
 * nothing changes (interval propagation: sound, so whatever it pins down is truly known, though it
 * may miss some of what a cleverer reader would find). A withheld count narrowed to a single value
 * has been given away.
 *
 * What the reader knows (true of every report):
 * - received = handled + redirected; the redirected count is also the total of its own section;
 * - handled is the sum of the cases by kind, by service, by directorate and by channel, and each
 *   directorate's count the sum of its services' (as the policy, which is public, assigns them);
 * - each timeliness breakdown: each column (cases, on time, late, overdue, pending) of `all` is the
 *   sum of that column by service, by directorate and by channel, and a directorate's the sum of
 *   its services'; a cell's cases are the sum of its four columns; a cell not shown counts none;
 * - compliments: the total is the compliments by kind and the sum by service;
 * - the complaints that reached stage 1 are the complaints; those that reached a stage are the cases
 *   of that stage's timeliness and Code timescales; social care, comments and representations
 *   likewise; stage 2 was reached by the complaints escalated after a stage-1 response;
 * - a stage's acknowledged (responded) cases, as durations count them, are those on time or late
 *   of its acknowledgement (response) clock; stage-1 responses are the stage-1 responded cases;
 * - outcomes: the named outcomes add up to no more than the responses with an outcome, which are
 *   no more than the responses; remedies no more than the responses with an outcome;
 * - cases extended no more than extensions; repeat contact: at least two cases per complainant.
 * Those "copy" relations hold when every case can be timed by the policy, as in the generated data.
 */

import type { Policy } from '../domain/policy-schema.js';
import type { Count, PerformanceReport, TimelinessBreakdown, TimelinessCell } from './compute.js';

/** Whether a figure is withheld (as `compute.ts` says; written here so that module imports this one, not both ways). */
function isSuppressed(value: unknown): value is { suppressed: true; secondary?: true } {
  return (
    typeof value === 'object' && value !== null && (value as { suppressed?: unknown }).suppressed === true
  );
}

/** Where a figure is in the report: the object holding it and its key there. */
type At = [holder: object, key: string];

/** Withholds the figure at `at` as one withheld for another's sake ("withheld"). */
function withholding([holder, key]: At): () => void {
  return () => {
    (holder as Record<string, unknown>)[key] = { suppressed: true, secondary: true };
  };
}

const INF = Number.POSITIVE_INFINITY;

interface Unknown {
  name: string;
  lo: number;
  hi: number;
  /** Withheld in the report (a figure the reader should not be able to work out). */
  withheld: boolean;
  /** For a figure shown: withholds it in the report (its whole cell, for a cell's column). */
  withhold?: () => void;
  /** The relations that last narrowed it from below and from above (written out only by `why`). */
  whyLo?: Relation;
  whyHi?: Relation;
}

/** Σ terms (each a variable times +1 or −1) = 0, or ≤ 0. */
interface Relation {
  terms: [Unknown, 1 | -1][];
  equal: boolean;
}

const COLUMNS = ['onTime', 'late', 'overdue', 'pending'] as const;

export class ReportReader {
  private readonly unknowns: Unknown[] = [];
  private held: Relation[] = [];
  /** What `hold` has kept, to keep each relation once. */
  private readonly keys = new Set<string>();
  private readonly ids = new Map<Unknown, number>();
  private readonly zero: Unknown;
  /** Set when the relations the reader assumes do not hold of this report. */
  private contradiction: string | undefined;

  constructor(
    private readonly report: PerformanceReport,
    private readonly policy: Policy,
    /**
     * What each figure truly is (`values()` of the report with every figure shown), when the one
     * who reads knows it: a relation it breaks is left out, as not true of this report.
     */
    truth?: ReadonlyMap<string, number>,
  ) {
    this.zero = this.constant('0', 0);
    this.read();
    if (truth) {
      const value = (u: Unknown) => (u.lo === u.hi ? u.lo : (truth.get(u.name) ?? 0));
      this.held = this.held.filter(({ terms, equal }) => {
        const sum = terms.reduce((total, [u, a]) => total + a * value(u), 0);
        return equal ? sum === 0 : sum <= 0;
      });
    }
  }

  /** Every figure the report shows, by name: read from the report with every figure shown, what each stands for. */
  values(): Map<string, number> {
    // Figures the report does not show as such (a clock's cases done) follow from those it does.
    this.propagate();
    return new Map(this.unknowns.filter((u) => u.lo === u.hi).map((u) => [u.name, u.lo]));
  }

  /** Every withheld figure the reader can narrow to one value, as `name = value`. */
  workedOut(): string[] {
    this.propagate();
    if (this.contradiction) throw new Error(this.contradiction);
    // Narrowed to none is no one given away: a cell left out may have had no case.
    return this.unknowns
      .filter((u) => u.withheld && u.lo === u.hi && u.lo > 0)
      .map((u) => `${u.name} = ${u.lo}`);
  }

  /**
   * What to withhold next so that no withheld figure can be worked out: of the relations that
   * narrow one to a single value, the smallest figure they hold that is shown, 0 first (a whole
   * cell, for one of its columns): it gives up the least. Undefined when none can be worked out, when nothing shown is
   * left in those relations, or when the report breaks what the reader assumes of every report.
   */
  nextToWithhold(): (() => void) | undefined {
    this.propagate();
    if (this.contradiction) return undefined;
    const pinned = new Set(this.unknowns.filter((u) => u.withheld && u.lo === u.hi && u.lo > 0));
    if (pinned.size === 0) return undefined;
    // A figure shown, the smallest first; else one withheld as small, which then says "withheld".
    let best: Unknown | undefined;
    let small: Unknown | undefined;
    for (const { terms, equal } of this.held) {
      if (!terms.some(([u]) => pinned.has(u))) continue;
      for (const [u, a] of terms) {
        if (!u.withhold) continue;
        // On the small side of "at most", a figure of 0 says only that the other side is at least
        // 0: withheld, it would be from 0 up, so nothing it bounds would change.
        if (!equal && a > 0 && u.lo === 0) continue;
        if (u.withheld) {
          if (!small || u.name < small.name) small = u;
        } else if (!best || u.lo < best.lo || (u.lo === best.lo && u.name < best.name)) best = u;
      }
    }
    return (best ?? small)?.withhold;
  }

  /** How many relations the reader holds (each should be there once). */
  relations(): number {
    return this.held.length;
  }

  /** Each relation the reader holds, as text (`+a -b = 0`, terms in order of name), for the tests. */
  relationTexts(): string[] {
    return this.held.map(
      ({ terms, equal }) =>
        `${terms
          .map(([u, a]) => `${a > 0 ? '+' : '-'}${u.name}`)
          .sort()
          .join(' ')} ${equal ? '=' : '<='} 0`,
    );
  }

  why(name: string): string {
    const u = this.unknowns.find((x) => x.name === name);
    const text = (r: Relation | undefined) =>
      r &&
      r.terms.map(([x, b]) => `${b > 0 ? '+' : '-'}${x.name}[${x.lo},${x.hi}]`).join(' ') +
        (r.equal ? ' = 0' : ' <= 0');
    return `${text(u?.whyLo)}\n${text(u?.whyHi)}`;
  }

  /** The range the reader can narrow a figure to (after `workedOut`). */
  range(name: string): [number, number] | undefined {
    const u = this.unknowns.find((x) => x.name === name);
    return u && [u.lo, u.hi];
  }

  private constant(name: string, value: number, at?: At): Unknown {
    const u: Unknown = { name, lo: value, hi: value, withheld: false };
    if (at) u.withhold = withholding(at);
    this.unknowns.push(u);
    return u;
  }

  private count(name: string, value: Count | undefined, at?: At): Unknown {
    if (value === undefined) return this.zero;
    if (!isSuppressed(value)) return this.constant(name, value, at);
    // Withheld for another's sake, a figure may be any number, 0 too: one is withheld where it
    // is the cheapest to give up (`nextToWithhold`).
    const u: Unknown = value.secondary
      ? { name, lo: 0, hi: INF, withheld: true }
      : { name, lo: 1, hi: 4, withheld: true };
    // A small figure can still say less: "withheld" rather than "fewer than 5" (not even one).
    if (!value.secondary && at) u.withhold = withholding(at);
    this.unknowns.push(u);
    return u;
  }

  /** A timeliness cell as its cases and columns. */
  private cell(
    name: string,
    c: TimelinessCell | undefined,
    at?: At,
  ): Record<'cases' | (typeof COLUMNS)[number], Unknown> {
    if (c === undefined) {
      return { cases: this.zero, onTime: this.zero, late: this.zero, overdue: this.zero, pending: this.zero };
    }
    if (!isSuppressed(c)) {
      const out = { cases: this.constant(`${name}.cases`, c.cases, at) } as Record<string, Unknown>;
      for (const col of COLUMNS) out[col] = this.constant(`${name}.${col}`, c[col], at);
      return out as Record<'cases' | (typeof COLUMNS)[number], Unknown>;
    }
    // A small cell, like a small count, can still say less: "withheld" rather than "fewer than 5".
    return this.hiddenColumns(name, this.count(`${name}.cases`, c, at));
  }

  /** A cell the report leaves out: its cases, from none up, and its columns. */
  private unpublishedCell(name: string): Record<'cases' | (typeof COLUMNS)[number], Unknown> {
    const cases: Unknown = { name: `${name}.cases`, lo: 0, hi: INF, withheld: true };
    this.unknowns.push(cases);
    return this.hiddenColumns(name, cases);
  }

  /** A hidden cell's columns: each from none up, adding up to its cases. */
  private hiddenColumns(name: string, cases: Unknown): Record<'cases' | (typeof COLUMNS)[number], Unknown> {
    const out = { cases } as Record<string, Unknown>;
    for (const col of COLUMNS) {
      const u = { name: `${name}.${col}`, lo: 0, hi: INF, withheld: false };
      this.unknowns.push(u);
      out[col] = u;
    }
    this.sum(
      cases,
      COLUMNS.map((col) => out[col] as Unknown),
    );
    return out as Record<'cases' | (typeof COLUMNS)[number], Unknown>;
  }

  /** total = Σ parts. */
  private sum(total: Unknown, parts: Unknown[]): void {
    this.hold({ terms: [[total, -1], ...parts.map((p): [Unknown, 1] => [p, 1])], equal: true });
  }

  /** Σ small ≤ Σ large. */
  private atMost(small: Unknown[], large: Unknown[]): void {
    this.hold({
      terms: [...small.map((p): [Unknown, 1] => [p, 1]), ...large.map((p): [Unknown, -1] => [p, -1])],
      equal: false,
    });
  }

  /**
   * Keeps a relation unless the reader holds it already. The same one comes from more than one
   * part of the report (a total's empty breakdowns by service, by directorate and by channel each
   * say it is none): each is gone over on every round of `propagate`, and a second copy narrows
   * nothing the first did not.
   */
  private hold(relation: Relation): void {
    const key = `${relation.equal ? '=' : '<='} ${relation.terms
      .map(([u, a]) => `${a}*${this.idOf(u)}`)
      .sort()
      .join(' ')}`;
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.held.push(relation);
  }

  /** A figure's own number: two figures may share a name (a clock's cases done), never an id. */
  private idOf(u: Unknown): number {
    let id = this.ids.get(u);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(u, id);
    }
    return id;
  }

  private same(...figures: Unknown[]): void {
    for (const f of figures.slice(1)) this.sum(figures[0] as Unknown, [f]);
  }

  private servicesOf(directorate: string): string[] {
    if (directorate === 'not-given') return ['not-given'];
    return this.policy.routing.services.filter((s) => s.directorate === directorate).map((s) => s.id);
  }

  private read(): void {
    const r = this.report;
    const c = r.counts;
    const received = this.count('totals.received', r.totals.received, [r.totals, 'received']);
    const handled = this.count('totals.handled', r.totals.handled, [r.totals, 'handled']);
    const redirected = this.count('totals.redirected', r.totals.redirected, [r.totals, 'redirected']);
    this.sum(received, [handled, redirected]);
    const group = (prefix: string, o: Record<string, Count>) =>
      Object.fromEntries(Object.entries(o).map(([k, v]) => [k, this.count(`${prefix}.${k}`, v, [o, k])]));
    const byKind = group('counts.byKind', c.byKind);
    const byService = group('counts.byService', c.byService);
    const byDirectorate = group('counts.byDirectorate', c.byDirectorate);
    const byChannel = group('counts.byChannel', c.byChannel);
    for (const by of [byKind, byService, byDirectorate, byChannel]) this.sum(handled, Object.values(by));
    for (const [d, total] of Object.entries(byDirectorate)) {
      this.sum(
        total,
        this.servicesOf(d).map((s) => byService[s] ?? this.zero),
      );
    }
    const redirectedTotal = this.count('redirected.total', r.redirected.total, [r.redirected, 'total']);
    this.same(redirected, redirectedTotal);
    this.sum(redirectedTotal, Object.values(group('redirected.byExclusion', r.redirected.byExclusion)));
    const compliments = this.count('compliments.total', r.compliments.total, [r.compliments, 'total']);
    this.same(compliments, byKind.compliment ?? this.zero);
    this.sum(compliments, Object.values(group('compliments.byService', r.compliments.byService)));

    const stage1 = this.count('counts.byStage.stage1', c.byStage.stage1, [c.byStage, 'stage1']);
    const stage2 = this.count('counts.byStage.stage2', c.byStage.stage2, [c.byStage, 'stage2']);
    this.same(stage1, byKind.complaint ?? this.zero);
    const all: Record<string, ReturnType<ReportReader['cell']>> = {};
    for (const [clock, groups] of Object.entries(r.timeliness)) {
      for (const [g, b] of Object.entries(groups as Record<string, TimelinessBreakdown>)) {
        const name = `timeliness.${clock}.${g}`;
        const a = this.cell(`${name}.all`, b.all, [b, 'all']);
        all[`${clock}.${g}`] = a;
        // Of 1 to 4 cases in all, the report shows no cell by service, directorate or channel: each
        // is unknown to the reader, from none up.
        const left = isSuppressed(b.all) && Object.keys(b.byService).length === 0;
        const cells = (by: 'byService' | 'byDirectorate' | 'byChannel') =>
          left
            ? Object.fromEntries(
                Object.keys(c[by]).map((k) => [k, this.unpublishedCell(`${name}.${by}.${k}`)]),
              )
            : Object.fromEntries(
                Object.entries(b[by]).map(([k, v]) => [k, this.cell(`${name}.${by}.${k}`, v, [b[by], k])]),
              );
        const services = cells('byService');
        const directorates = cells('byDirectorate');
        for (const by of [services, directorates, cells('byChannel')]) {
          for (const col of ['cases', ...COLUMNS] as const) {
            this.sum(
              a[col],
              Object.values(by).map((x) => x[col]),
            );
          }
        }
        for (const [d, cell] of Object.entries(directorates)) {
          for (const col of ['cases', ...COLUMNS] as const) {
            this.sum(
              cell[col],
              this.servicesOf(d).map((s) => services[s]?.[col] ?? this.zero),
            );
          }
        }
      }
    }
    const clock = (key: string) => all[key] as ReturnType<ReportReader['cell']>;
    const code = (stage: 'stage1' | 'stage2') => {
      const holder = r.codeTimescales[stage];
      return {
        ack: this.cell(`codeTimescales.${stage}.acknowledgement`, holder.acknowledgement, [
          holder,
          'acknowledgement',
        ]),
        response: this.cell(`codeTimescales.${stage}.response`, holder.response, [holder, 'response']),
      };
    };
    const code1 = code('stage1');
    const code2 = code('stage2');
    this.same(
      stage1,
      clock('acknowledgement.complaint-stage-1').cases,
      clock('response.complaint-stage-1').cases,
      code1.ack.cases,
      code1.response.cases,
    );
    const escalated = this.count('escalation.escalatedToStage2', r.escalation.escalatedToStage2, [
      r.escalation,
      'escalatedToStage2',
    ]);
    this.same(
      stage2,
      escalated,
      clock('acknowledgement.complaint-stage-2').cases,
      clock('response.complaint-stage-2').cases,
      code2.ack.cases,
      code2.response.cases,
    );
    this.same(byKind.comment ?? this.zero, clock('response.comment').cases);
    this.same(byKind.representation ?? this.zero, clock('response.representation').cases);
    this.same(
      byKind['social-care'] ?? this.zero,
      clock('acknowledgement.social-care').cases,
      clock('response.social-care').cases,
    );
    // The cases a clock has done (on time or late), named after the clock: the same in every reading.
    const done = (cell: ReturnType<ReportReader['cell']>, clockName: string) => {
      const u = { name: `done(${clockName})`, lo: 0, hi: INF, withheld: false };
      this.unknowns.push(u);
      this.sum(u, [cell.onTime, cell.late]);
      return u;
    };
    const duration = (name: string, holder: object, key: 'acknowledge' | 'respond') => {
      const d = (holder as PerformanceReport['durations']['stage1'])[key];
      if (!isSuppressed(d)) return this.constant(name, d.cases, [holder, key]);
      // Withheld to hide the working days of 1 to 4 cases, not how many there are: that is the
      // on-time and late columns of the same clock, which the report shows.
      const u = this.count(name, d);
      u.withheld = false;
      return u;
    };
    const stage1Responses = this.count('escalation.stage1Responses', r.escalation.stage1Responses, [
      r.escalation,
      'stage1Responses',
    ]);
    // The stage-1 responses are the on-time and late columns of the stage-1 response clock, which
    // the report shows: withheld when small, they are no secret of their own (as durations' cases).
    stage1Responses.withheld = false;
    for (const [key, ack, respond, codes] of [
      ['stage1', 'acknowledgement.complaint-stage-1', 'response.complaint-stage-1', code1],
      ['stage2', 'acknowledgement.complaint-stage-2', 'response.complaint-stage-2', code2],
      ['socialCare', 'acknowledgement.social-care', 'response.social-care', undefined],
    ] as const) {
      const acknowledged = duration(`durations.${key}.acknowledge.cases`, r.durations[key], 'acknowledge');
      const responded = duration(`durations.${key}.respond.cases`, r.durations[key], 'respond');
      this.same(acknowledged, done(clock(ack), ack), ...(codes ? [done(codes.ack, `code ${key} ack`)] : []));
      this.same(
        responded,
        done(clock(respond), respond),
        ...(codes ? [done(codes.response, `code ${key} response`)] : []),
      );
      if (key === 'stage1') this.same(responded, stage1Responses);
      if (key === 'socialCare') continue;
      const o = r.outcomes[key];
      const responses = this.count(`outcomes.${key}.responses`, o.responses, [o, 'responses']);
      if (key === 'stage1') this.atMost([escalated], [stage1Responses]);
      this.atMost([responses], [responded]);
      this.atMost(
        [
          this.count(`outcomes.${key}.upheld`, o.upheld, [o, 'upheld']),
          this.count(`outcomes.${key}.partiallyUpheld`, o.partiallyUpheld, [o, 'partiallyUpheld']),
          this.count(`outcomes.${key}.notUpheld`, o.notUpheld, [o, 'notUpheld']),
        ],
        [responses],
      );
      this.atMost([this.count(`outcomes.${key}.remedies`, o.remedies, [o, 'remedies'])], [responses]);
      const e = r.extensions[key];
      const extended = this.count(`extensions.${key}.casesExtended`, e.casesExtended, [e, 'casesExtended']);
      this.atMost([extended], [this.count(`extensions.${key}.extensions`, e.extensions, [e, 'extensions'])]);
      this.atMost([extended], [key === 'stage1' ? stage1 : stage2]);
    }
    const complainants = this.count('repeatContact.complainants', r.repeatContact.complainants, [
      r.repeatContact,
      'complainants',
    ]);
    const repeatCases = this.count('repeatContact.cases', r.repeatContact.cases, [r.repeatContact, 'cases']);
    this.atMost([complainants, complainants], [repeatCases]);
    this.atMost([repeatCases], [received]);
    for (const [name, value, at] of [
      ['ombudsman.enquiries', r.ombudsman.enquiries, [r.ombudsman, 'enquiries']],
      ['vexatious.cases', r.vexatious.cases, [r.vexatious, 'cases']],
    ] as const) {
      this.atMost([this.count(name, value, [...at])], [handled]);
    }
    this.count('learning.lessonsRecorded', r.learning.lessonsRecorded);
    this.count('learning.improvementsRecorded', r.learning.improvementsRecorded);
  }

  private propagate(): void {
    for (let changed = true, rounds = 0; changed && rounds < 1000; rounds++) {
      changed = false;
      for (const relation of this.held) {
        const { terms, equal } = relation;
        // Σ a·x (= or ≤) 0: each a·x is at most minus the least the others can add up to, and (when
        // equal) at least minus the most. Sums are kept as a finite part and a count of infinities.
        const lo = (a: number, u: Unknown) => (a > 0 ? u.lo : -u.hi);
        const hi = (a: number, u: Unknown) => (a > 0 ? u.hi : -u.lo);
        const finite = (x: number) => (Number.isFinite(x) ? x : 0);
        const sumLo = terms.reduce((s, [u, a]) => s + finite(lo(a, u)), 0);
        const infLo = terms.filter(([u, a]) => !Number.isFinite(lo(a, u))).length;
        const sumHi = terms.reduce((s, [u, a]) => s + finite(hi(a, u)), 0);
        const infHi = terms.filter(([u, a]) => !Number.isFinite(hi(a, u))).length;
        for (const [u, a] of terms) {
          const l = lo(a, u);
          const h = hi(a, u);
          const othersLo = infLo - (Number.isFinite(l) ? 0 : 1) > 0 ? -INF : sumLo - finite(l);
          const othersHi = infHi - (Number.isFinite(h) ? 0 : 1) > 0 ? INF : sumHi - finite(h);
          // Bounds on a·u.
          const most = -othersLo;
          const least = equal ? -othersHi : -INF;
          const newLo = Math.max(u.lo, a > 0 ? least : -most);
          const newHi = Math.min(u.hi, a > 0 ? most : -least);
          if (newLo > u.lo || newHi < u.hi) {
            if (newLo > newHi) {
              // What the reader takes to be true of every report is not true of this one (a case
              // no clock could time): nothing it narrows can be trusted.
              this.contradiction = `the reader's relations contradict the report at ${u.name}`;
              return;
            }
            // The relation, not its text: writing it out on every narrowing cost most of the audit.
            if (newLo > u.lo) u.whyLo = relation;
            if (newHi < u.hi) u.whyHi = relation;
            u.lo = newLo;
            u.hi = newHi;
            changed = true;
          }
        }
      }
    }
  }
}
