/**
 * A deterministic financial year (2025/26) of cases whose report figures are known by
 * construction: every case follows one of a few hand-checked timelines, so each figure in the
 * report tests can be worked out on paper from the table below (see the comments on each group).
 *
 * Working days (England and Wales) used by the timelines, June–July 2025 having no bank holiday:
 * - received Mon 2 Jun 2025. Day 2 = Wed 4 Jun, day 5 = Mon 9 Jun, day 6 = Tue 10 Jun,
 *   day 9 = Fri 13 Jun, day 10 = Mon 16 Jun, day 14 = Fri 20 Jun, day 16 = Tue 24 Jun,
 *   day 17 = Wed 25 Jun, day 20 = Mon 30 Jun, day 22 = Wed 2 Jul.
 * - stage 2 requested Mon 23 Jun, acknowledged Tue 24 Jun (1 working day); 20 working days from
 *   the acknowledgement is Tue 22 Jul; Mon 21 Jul is day 20 from the request, Mon 28 Jul day 25.
 * - Christmas: received Mon 22 Dec 2025; 25, 26 Dec and 1 Jan are closed, so day 5 is Wed 31 Dec
 *   and Fri 2 Jan 2026 is day 6; 10 working days after 2 Jan is Fri 16 Jan; Thu 15 Jan is day 15.
 * - received Mon 16 Mar 2026, acknowledged Wed 18 Mar (day 2): response due Wed 1 Apr 2026.
 */
import type { CaseRecord, StageProgress } from '../../functions/domain/case.js';
import type { ExclusionId } from '../../functions/domain/policy-schema.js';
import type { CaseKind, Channel, Outcome } from '../../functions/domain/types.js';
import { makePolicy } from './policy-fixture.js';

/** The financial year of the seeded cases: 1 April 2025 to 31 March 2026. */
export const REPORT_YEAR = 2025;
/** When open clocks are judged in the report tests. */
export const REPORT_AS_OF = '2026-03-25T12:00:00.000Z';

/** The Code's timescales (BASE_POLICY) with four services in three directorates. */
export const reportPolicy = makePolicy({
  council: 'Seeded Borough Council',
  routing: {
    services: [
      { id: 'waste', name: 'Waste and recycling', directorate: 'Environment' },
      { id: 'highways', name: 'Roads and pavements', directorate: 'Environment' },
      { id: 'council-tax', name: 'Council Tax', directorate: 'Finance' },
      { id: 'housing-repairs', name: 'Housing repairs', directorate: 'Housing', housingLandlord: true },
    ],
  },
});

/** Text an officer wrote as lessons learned on group G3 (officer-facing only). */
export const SEEDED_LESSONS = 'Crews now check the assisted-collection list before each round';
/** Text an officer wrote as a service improvement on group G3 (officer-facing only). */
export const SEEDED_ACTIONS = 'Assisted-collection list added to every crew tablet';

/** Every piece of personal data put on the seeded cases: none may appear in a public report. */
export const SEEDED_PERSONAL_DATA: string[] = [];

interface Stage1Timeline {
  ack?: string;
  respond?: string;
  /** Each extension's working days. */
  extensions?: number[];
}

const JUNE = '2025-06-02T08:00:00.000Z'; // Mon 2 June 2025, 9am BST
const T = {
  /** Ack day 2, respond day 10: both on time (respond by Wed 18 Jun). */
  fast: { received: JUNE, ack: '2025-06-04T09:00:00.000Z', respond: '2025-06-16T15:00:00.000Z' },
  /** Ack day 2 (on time), respond day 14: late (due Wed 18 Jun). */
  lateResponse: { received: JUNE, ack: '2025-06-04T09:00:00.000Z', respond: '2025-06-20T15:00:00.000Z' },
  /** Ack day 6: late (due Mon 9 Jun); respond Tue 24 Jun = day 16, due 10 working days after 10 Jun: on time. */
  lateAck: { received: JUNE, ack: '2025-06-10T09:00:00.000Z', respond: '2025-06-24T15:00:00.000Z' },
  /** Ack day 2; extended by 5 working days (due Wed 25 Jun); respond Wed 25 Jun = day 17: on time. */
  extended: { received: JUNE, ack: '2025-06-04T09:00:00.000Z', respond: '2025-06-25T15:00:00.000Z' },
  /** Ack day 2; never answered: overdue since Wed 18 Jun. */
  overdue: { received: JUNE, ack: '2025-06-04T09:00:00.000Z' },
  /** Received Mon 16 Mar 2026, ack day 2; due Wed 1 Apr 2026: still within time at REPORT_AS_OF. */
  pending: { received: '2026-03-16T09:00:00.000Z', ack: '2026-03-18T10:00:00.000Z' },
  /** Received Mon 22 Dec 2025; ack Fri 2 Jan = day 6 (late); respond Thu 15 Jan = day 15, due Fri 16 Jan: on time. */
  christmas: {
    received: '2025-12-22T10:00:00.000Z',
    ack: '2026-01-02T10:00:00.000Z',
    respond: '2026-01-15T11:00:00.000Z',
  },
} as const;

/** Stage 2 requested Mon 23 Jun, acknowledged Tue 24 Jun (on time: due Mon 30 Jun). */
const S2 = {
  onTime: {
    started: '2025-06-23T09:00:00.000Z',
    ack: '2025-06-24T09:00:00.000Z',
    respond: '2025-07-21T15:00:00.000Z',
  },
  late: {
    started: '2025-06-23T09:00:00.000Z',
    ack: '2025-06-24T09:00:00.000Z',
    respond: '2025-07-28T15:00:00.000Z',
  },
} as const;

let serial = 0;

interface CaseSpec {
  kind: CaseKind;
  service?: string;
  channel: Channel;
  received: string;
  email?: string;
  anonymous?: boolean;
  stage1?: Partial<StageProgress>;
  stage2?: StageProgress;
  outcome?: Outcome;
  extra?: Partial<CaseRecord>;
}

const DIRECTORATE: Record<string, string> = {
  waste: 'Environment',
  highways: 'Environment',
  'council-tax': 'Finance',
  'housing-repairs': 'Housing',
};

function makeCase(spec: CaseSpec): CaseRecord {
  serial += 1;
  const n = String(serial).padStart(4, '0');
  const name = `Resident Person${n}`;
  const email = spec.anonymous ? undefined : (spec.email ?? `resident${n}@example.org`);
  const address = `${serial} Seeded Street, Exampletown EX1 ${n}`;
  const summary = `SEEDED-SUMMARY-${n}: my neighbour at number ${serial} says the crew was rude`;
  if (!spec.anonymous) SEEDED_PERSONAL_DATA.push(name, address, email as string);
  SEEDED_PERSONAL_DATA.push(summary, `Wants-${n}`);
  return {
    caseId: `case-${n}`,
    reference: `REF-${n}`,
    kind: spec.kind,
    submittedKind: spec.kind === 'social-care' ? 'complaint' : spec.kind,
    status: 'closed',
    stage: spec.stage2 ? 2 : 1,
    policyId: reportPolicy.id,
    ...(spec.service ? { service: spec.service, directorate: DIRECTORATE[spec.service] } : {}),
    summary,
    desiredOutcome: `Wants-${n}`,
    complainant: spec.anonymous ? {} : { name, email, address, phone: `07700 9${n}` },
    anonymous: spec.anonymous ?? false,
    channel: spec.channel,
    receivedAt: spec.received,
    createdAt: spec.received,
    updatedAt: spec.received,
    triage: { route: 'handle', reasons: [] },
    deadlines: {},
    version: 1,
    progress: {
      stage1: { startedAt: spec.received, ...spec.stage1 },
      ...(spec.stage2 ? { stage2: spec.stage2 } : {}),
    },
    ...(spec.outcome ? { outcome: spec.outcome } : {}),
    ...spec.extra,
  };
}

function complaint(
  timeline: { received: string; ack?: string; respond?: string },
  service: string,
  channel: Channel,
  outcome: Outcome | undefined,
  options: {
    remedy?: string;
    lessons?: string;
    actions?: string;
    extensions?: number[];
    stage2?: { started: string; ack: string; respond: string; outcome: Outcome; remedy?: string };
    email?: string;
    extra?: Partial<CaseRecord>;
  } = {},
): CaseRecord {
  const t: Stage1Timeline = { ...timeline, extensions: options.extensions };
  const extensions = (t.extensions ?? []).map((days, i) => ({
    at: `2025-06-1${i + 1}T09:00:00.000Z`,
    days,
    reason: `Waiting for the crew's account (${i + 1})`,
  }));
  const s2 = options.stage2;
  return makeCase({
    kind: 'complaint',
    service,
    channel,
    received: timeline.received,
    email: options.email,
    outcome: s2?.outcome ?? outcome,
    stage1: {
      ...(t.ack ? { acknowledgedAt: t.ack } : {}),
      ...(extensions.length
        ? { extensions, extensionDays: extensions.reduce((sum, e) => sum + e.days, 0) }
        : {}),
      ...(t.respond
        ? {
            respondedAt: t.respond,
            response: {
              reasons: 'We looked into it.',
              ...(outcome ? { outcome } : {}),
              ...(options.remedy ? { remedy: options.remedy } : {}),
              ...(options.lessons ? { lessons: options.lessons } : {}),
              ...(options.actions ? { actions: options.actions } : {}),
            },
          }
        : {}),
    },
    ...(s2
      ? {
          stage2: {
            startedAt: s2.started,
            acknowledgedAt: s2.ack,
            respondedAt: s2.respond,
            response: {
              reasons: 'Reviewed.',
              outcome: s2.outcome,
              ...(s2.remedy ? { remedy: s2.remedy } : {}),
            },
          },
        }
      : {}),
    extra: options.extra ?? {},
  });
}

const times = <X>(n: number, make: (i: number) => X): X[] => Array.from({ length: n }, (_, i) => make(i));

/** Complainants with two cases each in the year (repeat contact); r4 writes once in capitals. */
const REPEAT = ['r1@example.org', 'r2@example.org', 'r3@example.org', 'r4@example.org', 'r5@example.org'];

/**
 * The seeded year. Groups (kind, service, channel, timeline → what they contribute):
 * - G1  7 complaints, waste, online, fast, not upheld; 2 of them from vexatious complainants.
 * - G2  5 complaints, waste, email, fast, partially upheld with a remedy; all go to stage 2,
 *       answered on time (day 20), not upheld.
 * - G3  6 complaints, highways, phone, late response, upheld with remedy, lessons and actions; ombudsman involved.
 * - G4  3 complaints, council-tax, letter, late acknowledgement, not upheld.
 * - G5a 3 complaints, council-tax, online, one 5-day extension, partially upheld.
 * - G5b 2 complaints, council-tax, online, two extensions (3 + 2 days), partially upheld; stage 2
 *       answered late (day 25), upheld with a remedy; ombudsman involved.
 * - G6  2 complaints, housing-repairs, in person, never answered (overdue).
 * - G7  4 complaints, housing-repairs, online, received March 2026, still within time.
 * - G8  5 complaints, waste, online, over Christmas: late acknowledgement, response on time.
 * - C1  6 compliments, waste, online, naming Sam Patel (one written " sam  patel"); 2 also name Ali Khan.
 * - C2  2 compliments, highways, email, naming Ali Khan; one received 31 Mar 2026 at 11:30pm BST.
 * - M1  5 comments, highways, online, replied day 9 (due day 10): on time.
 * - M2  1 comment, no service, letter, anonymous, received 1 Apr 2025 at 00:30 BST (23:30 UTC on
 *       31 March), replied Tue 15 Apr = day 10: on time.
 * - R1  1 representation, council-tax, email, feedback Wed 2 Jul = day 22 (due day 20): late.
 * - X1  6 service requests redirected (waste, phone); X2 2 schools matters redirected (email).
 * - Out of the year: one received 31 Mar 2025 at 11:30pm BST, one 1 Apr 2026 at 00:30 BST.
 * Repeat contact: r1 (G1 + C1), r2 (G3 + M1), r3 (G2 + X1), r4 (G8 + G8, once in capitals),
 * r5 (G7 + R1); r6 has one case in the year and one outside it.
 */
export function reportCases(): CaseRecord[] {
  serial = 0;
  SEEDED_PERSONAL_DATA.length = 0;
  const cases: CaseRecord[] = [];
  const email = (list: (string | undefined)[], i: number) => list[i];

  cases.push(
    ...times(7, (i) =>
      complaint(T.fast, 'waste', 'online', 'not-upheld', {
        email: email([REPEAT[0]], i),
        extra: i >= 5 ? { vexatious: true } : {},
      }),
    ),
  );
  cases.push(
    ...times(5, (i) =>
      complaint(T.fast, 'waste', 'email', 'partially-upheld', {
        remedy: 'An apology and a missed-collection credit',
        stage2: { ...S2.onTime, outcome: 'not-upheld' },
        email: email([REPEAT[2]], i),
      }),
    ),
  );
  cases.push(
    ...times(6, (i) =>
      complaint(T.lateResponse, 'highways', 'phone', 'upheld', {
        remedy: 'Pothole repaired and costs refunded',
        lessons: SEEDED_LESSONS,
        actions: SEEDED_ACTIONS,
        email: email([REPEAT[1]], i),
        extra: { ombudsmanInvolved: true },
      }),
    ),
  );
  cases.push(...times(3, () => complaint(T.lateAck, 'council-tax', 'letter', 'not-upheld')));
  cases.push(
    ...times(3, () =>
      complaint(T.extended, 'council-tax', 'online', 'partially-upheld', { extensions: [5] }),
    ),
  );
  cases.push(
    ...times(2, () =>
      complaint(T.extended, 'council-tax', 'online', 'partially-upheld', {
        extensions: [3, 2],
        stage2: { ...S2.late, outcome: 'upheld', remedy: 'Arrears written off' },
        extra: { ombudsmanInvolved: true },
      }),
    ),
  );
  cases.push(
    ...times(2, () =>
      complaint(T.overdue, 'housing-repairs', 'in-person', undefined, { extra: { status: 'investigating' } }),
    ),
  );
  cases.push(
    ...times(4, (i) =>
      complaint(T.pending, 'housing-repairs', 'online', undefined, {
        email: email([REPEAT[4]], i),
        extra: { status: 'investigating' },
      }),
    ),
  );
  cases.push(
    ...times(5, (i) =>
      complaint(T.christmas, 'waste', 'online', 'not-upheld', {
        email: email([REPEAT[3], REPEAT[3]?.toUpperCase(), 'r6@example.org'], i),
      }),
    ),
  );

  cases.push(
    ...times(6, (i) =>
      makeCase({
        kind: 'compliment',
        service: 'waste',
        channel: 'online',
        received: `2025-0${5 + (i % 4)}-1${i}T10:00:00.000Z`,
        email: email([REPEAT[0]], i),
        extra: { staffNamed: [i === 5 ? ' sam  patel' : 'Sam Patel', ...(i < 2 ? ['Ali Khan'] : [])] },
      }),
    ),
  );
  cases.push(
    ...times(2, (i) =>
      makeCase({
        kind: 'compliment',
        service: 'highways',
        channel: 'email',
        received: i === 0 ? '2025-09-09T10:00:00.000Z' : '2026-03-31T22:30:00.000Z',
        extra: { staffNamed: ['Ali Khan'] },
      }),
    ),
  );
  cases.push(
    ...times(5, (i) =>
      makeCase({
        kind: 'comment',
        service: 'highways',
        channel: 'online',
        received: JUNE,
        email: email([REPEAT[1]], i),
        stage1: {
          respondedAt: '2025-06-13T14:00:00.000Z',
          response: { reasons: 'Thank you for your comment.' },
        },
      }),
    ),
  );
  cases.push(
    makeCase({
      kind: 'comment',
      channel: 'letter',
      anonymous: true,
      received: '2025-03-31T23:30:00.000Z',
      stage1: { respondedAt: '2025-04-15T09:00:00.000Z', response: { reasons: 'Noted.' } },
    }),
  );
  cases.push(
    makeCase({
      kind: 'representation',
      service: 'council-tax',
      channel: 'email',
      received: JUNE,
      email: REPEAT[4],
      stage1: {
        respondedAt: '2025-07-02T14:00:00.000Z',
        response: { reasons: 'Considered by the cabinet member.' },
      },
    }),
  );

  const redirect = (exclusion: ExclusionId, service: string, channel: Channel, mail?: string) =>
    makeCase({
      kind: 'complaint',
      service,
      channel,
      received: '2025-08-04T09:00:00.000Z',
      email: mail,
      extra: {
        status: 'redirected',
        triage: {
          route: 'redirect',
          exclusion,
          redirect: 'Report it online instead',
          reasons: ['service request'],
        },
      },
    });
  cases.push(...times(6, (i) => redirect('service-request', 'waste', 'phone', email([REPEAT[2]], i))));
  cases.push(...times(2, () => redirect('schools', 'council-tax', 'email')));

  // Outside the financial year: not counted anywhere.
  cases.push(
    complaint({ ...T.fast, received: '2025-03-31T22:30:00.000Z' }, 'waste', 'online', 'upheld', {
      email: 'r6@example.org',
    }),
  );
  cases.push(complaint({ ...T.fast, received: '2026-03-31T23:30:00.000Z' }, 'waste', 'online', 'upheld'));
  return cases;
}
