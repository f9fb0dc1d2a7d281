/**
 * Small, random but deterministic sets of cases for the performance report's disclosure tests:
 * few cases over few services, so that small counts, and figures withheld to protect them, are
 * common. The same seed always gives the same cases.
 */
import type { CaseRecord } from '../../functions/domain/case.js';
import type { ExclusionId, Policy } from '../../functions/domain/policy-schema.js';
import type { CaseKind, Channel, Outcome } from '../../functions/domain/types.js';
import { random } from '../bench/report-cases.js';
import { makePolicy } from './policy-fixture.js';

export const RANDOM_YEAR = 2025;
/** When open clocks are judged: near the end of the year, so some clocks are still running. */
export const RANDOM_AS_OF = '2026-03-25T12:00:00.000Z';

/** Five services in three directorates. */
export const randomPolicy: Policy = makePolicy({
  routing: {
    services: [
      { id: 'waste', name: 'Waste', directorate: 'Environment' },
      { id: 'highways', name: 'Highways', directorate: 'Environment' },
      { id: 'parks', name: 'Parks', directorate: 'Environment' },
      { id: 'council-tax', name: 'Council Tax', directorate: 'Finance' },
      { id: 'housing', name: 'Housing', directorate: 'Housing', housingLandlord: true },
    ],
  },
});

const DIRECTORATE = Object.fromEntries(randomPolicy.routing.services.map((s) => [s.id, s.directorate]));
const DAY = 86_400_000;
const yearStart = Date.parse(`${RANDOM_YEAR}-04-01T00:00:00Z`);

/** What a hand-built case is: everything else is a plain, answered, on-time complaint. */
export interface CaseShape {
  kind?: CaseKind;
  service?: string;
  channel?: Channel;
  /** Days after 1 April of the year (9am UTC). */
  receivedDay?: number;
  email?: string;
  /** Calendar days from receipt to the acknowledgement; none: not acknowledged. */
  ackDays?: number | null;
  /** Calendar days from receipt to the response; none: not answered. */
  respondDays?: number | null;
  outcome?: Outcome;
  remedy?: boolean;
  lessons?: boolean;
  extensionDays?: number[];
  /** Escalated to stage 2 (answered complaints only). */
  stage2?: { outcome?: Outcome; respondDays?: number | null };
  redirected?: ExclusionId;
}

let serial = 0;

/** One case of the given shape. */
export function caseOf(shape: CaseShape): CaseRecord {
  serial += 1;
  const kind = shape.kind ?? 'complaint';
  const received = yearStart + (shape.receivedDay ?? 60) * DAY + 9 * 3_600_000;
  const at = (days: number) => new Date(received + days * DAY).toISOString();
  const ackDays = shape.ackDays === undefined ? 1 : shape.ackDays;
  const respondDays = shape.respondDays === undefined ? 10 : shape.respondDays;
  const responded = respondDays !== null && kind !== 'compliment';
  const response = {
    reasons: 'We looked into it.',
    ...(shape.outcome ? { outcome: shape.outcome } : {}),
    ...(shape.remedy ? { remedy: 'An apology' } : {}),
    ...(shape.lessons ? { lessons: 'A lesson', actions: 'A change' } : {}),
  };
  const ext = shape.extensionDays ?? [];
  const s2 = responded && kind === 'complaint' ? shape.stage2 : undefined;
  const s2Respond = s2?.respondDays === undefined ? 25 : s2.respondDays;
  return {
    caseId: `random-${serial}`,
    reference: `RND-${serial}`,
    kind,
    submittedKind: kind === 'social-care' ? 'complaint' : kind,
    status: shape.redirected ? 'redirected' : 'closed',
    stage: s2 ? 2 : 1,
    policyId: randomPolicy.id,
    ...(shape.service ? { service: shape.service, directorate: DIRECTORATE[shape.service] } : {}),
    summary: 'What went wrong.',
    complainant: { name: `Resident ${serial}`, email: shape.email ?? `resident${serial}@example.org` },
    anonymous: false,
    channel: shape.channel ?? 'online',
    receivedAt: at(0),
    createdAt: at(0),
    updatedAt: at(0),
    triage: shape.redirected
      ? { route: 'redirect', exclusion: shape.redirected, reasons: ['outside the procedure'] }
      : { route: 'handle', reasons: [] },
    deadlines: {},
    version: 1,
    progress: {
      stage1: {
        startedAt: at(0),
        ...(ackDays !== null && kind !== 'compliment' ? { acknowledgedAt: at(ackDays) } : {}),
        ...(ext.length
          ? {
              extensionDays: ext.reduce((a, b) => a + b, 0),
              extensions: ext.map((days, i) => ({ at: at(3 + i), days, reason: 'Waiting for evidence' })),
            }
          : {}),
        ...(responded ? { respondedAt: at(respondDays), response } : {}),
      },
      ...(s2 && respondDays !== null
        ? {
            stage2: {
              startedAt: at(respondDays + 5),
              acknowledgedAt: at(respondDays + 7),
              ...(s2Respond !== null
                ? {
                    respondedAt: at(respondDays + 5 + s2Respond),
                    response: { reasons: 'Reviewed.', ...(s2.outcome ? { outcome: s2.outcome } : {}) },
                  }
                : {}),
            },
          }
        : {}),
    },
  };
}

const pick = <X>(next: () => number, list: readonly X[]): X => list[Math.floor(next() * list.length)] as X;

const SERVICES = ['waste', 'waste', 'highways', 'parks', 'council-tax', 'housing', undefined];
const CHANNELS: Channel[] = ['online', 'online', 'email', 'phone', 'letter', 'in-person'];
const OUTCOMES: (Outcome | undefined)[] = [
  'upheld',
  'partially-upheld',
  'not-upheld',
  'not-upheld',
  undefined,
];
const KINDS: CaseKind[] = [
  'complaint',
  'complaint',
  'complaint',
  'complaint',
  'compliment',
  'comment',
  'representation',
  'social-care',
];
const EXCLUSIONS: ExclusionId[] = ['service-request', 'service-request', 'schools', 'legal-proceedings'];

/** Between 5 and 60 random cases, the same for the same seed. */
export function randomCases(seed: number): CaseRecord[] {
  serial = 0;
  const next = random(seed);
  const n = 5 + Math.floor(next() * 56);
  // A few common shapes make equal figures (and so copies) likely, as in real data.
  const emails = Array.from({ length: Math.max(1, Math.floor(n * 0.8)) }, (_, i) => `r${i}@example.org`);
  return Array.from({ length: n }, () => {
    const kind = pick(next, KINDS);
    const respondDays = next() < 0.85 ? 5 + Math.floor(next() * 25) : null;
    return caseOf({
      kind,
      service: pick(next, SERVICES),
      channel: pick(next, CHANNELS),
      receivedDay: Math.floor(next() * 360),
      email: pick(next, emails),
      ackDays: next() < 0.9 ? 1 + Math.floor(next() * 8) : null,
      respondDays,
      outcome: pick(next, OUTCOMES),
      remedy: next() < 0.3,
      lessons: next() < 0.2,
      extensionDays: next() < 0.15 ? (next() < 0.5 ? [5] : [3, 4]) : [],
      ...(next() < 0.3
        ? { stage2: { outcome: pick(next, OUTCOMES), respondDays: next() < 0.8 ? 25 : null } }
        : {}),
      ...(kind === 'complaint' && next() < 0.1 ? { redirected: pick(next, EXCLUSIONS) } : {}),
    });
  });
}
