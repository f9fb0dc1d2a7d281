/**
 * The generated cases of the report benchmarks (`run.ts` in memory, `report-counters.ts` on
 * DynamoDB Local): a deterministic mix of kinds, timelines, extensions, escalations and free text
 * over one financial year, the same every run.
 */
import type { CaseRecord } from '../../functions/domain/case.js';
import type { Policy } from '../../functions/domain/policy-schema.js';
import type { Channel, Outcome } from '../../functions/domain/types.js';
import { makePolicy } from '../support/policy-fixture.js';

export const YEAR = 2025;

export const policy: Policy = makePolicy({
  routing: {
    services: Array.from({ length: 30 }, (_, i) => ({
      id: `service-${i}`,
      name: `Service ${i}`,
      directorate: `Directorate ${i % 6}`,
    })),
  },
});

/** Deterministic pseudo-random numbers (mulberry32), so every run reads the same cases. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const CHANNELS: Channel[] = ['online', 'online', 'online', 'email', 'phone', 'letter', 'in-person'];
const OUTCOMES: Outcome[] = ['upheld', 'partially-upheld', 'not-upheld', 'not-upheld'];
const DAY = 86_400_000;
const yearStart = Date.parse(`${YEAR}-04-01T00:00:00Z`);

/** One generated case: a mix of kinds, timelines, extensions, escalations and free text. */
export function makeCase(i: number, next: () => number, cases: number): CaseRecord {
  const received = yearStart + Math.floor(next() * 364 * DAY) + 9 * 3_600_000;
  const at = (days: number) => new Date(received + days * DAY).toISOString();
  const roll = next();
  const kind =
    roll < 0.7 ? 'complaint' : roll < 0.85 ? 'compliment' : roll < 0.95 ? 'comment' : 'representation';
  const service = `service-${Math.floor(next() * 30)}`;
  const redirected = kind === 'complaint' && next() < 0.08;
  const responded = next() < 0.9;
  const ackDays = 1 + Math.floor(next() * 9);
  const respondDays = ackDays + 5 + Math.floor(next() * 20);
  const extended = next() < 0.1;
  const escalated = kind === 'complaint' && responded && next() < 0.15;
  const outcome = OUTCOMES[Math.floor(next() * OUTCOMES.length)] as Outcome;
  const response = {
    reasons: 'We looked into what happened and what we should have done.',
    outcome,
    ...(outcome !== 'not-upheld' ? { remedy: 'An apology and a refund' } : {}),
    ...(next() < 0.2
      ? { lessons: 'Training for the team on the new procedure', actions: 'Procedure updated' }
      : {}),
  };
  return {
    caseId: `bench-${i}`,
    reference: `CMP-${YEAR}-${String(i).padStart(6, '0')}`,
    kind,
    submittedKind: kind,
    status: redirected ? 'redirected' : 'closed',
    stage: escalated ? 2 : 1,
    policyId: policy.id,
    service,
    directorate: `Directorate ${Number(service.slice(8)) % 6}`,
    summary: 'A resident’s account of what went wrong, a few hundred characters long. '.repeat(4),
    complainant: {
      name: `Resident ${i}`,
      email: `resident${Math.floor(next() * cases * 0.8)}@example.org`,
      address: `${i} Example Street`,
    },
    anonymous: false,
    channel: CHANNELS[Math.floor(next() * CHANNELS.length)] as Channel,
    receivedAt: at(0),
    createdAt: at(0),
    updatedAt: at(40),
    triage: redirected
      ? { route: 'redirect', exclusion: 'service-request', reasons: ['service request'] }
      : { route: 'handle', reasons: [] },
    deadlines: {},
    version: 5,
    progress: {
      stage1: {
        startedAt: at(0),
        acknowledgedAt: at(ackDays),
        ...(extended
          ? {
              extensionDays: 5,
              extensions: [{ at: at(ackDays + 3), days: 5, reason: 'Waiting for evidence' }],
            }
          : {}),
        ...(responded ? { respondedAt: at(respondDays), response } : {}),
      },
      ...(escalated
        ? {
            stage2: {
              startedAt: at(respondDays + 5),
              acknowledgedAt: at(respondDays + 7),
              respondedAt: at(respondDays + 30),
              response: { reasons: 'Reviewed.', outcome: 'not-upheld' as Outcome },
            },
          }
        : {}),
    },
    ...(kind === 'compliment' ? { staffNamed: [`Officer ${Math.floor(next() * 200)}`] } : {}),
    ...(next() < 0.01 ? { ombudsmanInvolved: true } : {}),
  };
}
