import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import {
  caseSearchTerms,
  MAX_SEARCH_TERMS,
  parseSearch,
  phoneDigits,
  postcodeIn,
} from '../../functions/domain/search-terms.js';
import {
  canSeeCase,
  isCouncilAddress,
  nextDeadline,
  StaffAccessError,
  staffFromClaims,
  urgencyOf,
  weekEnd,
} from '../../functions/domain/staff.js';

const policy = loadPolicy('lgsco-code-2024');
const waste = policy.routing.services[0]?.id as string;
const highways = policy.routing.services[1]?.id as string;

describe('staffFromClaims', () => {
  it('reads roles from the local provider’s groups and Cognito’s cognito:groups alike', () => {
    const local = staffFromClaims(
      { sub: 's1', email: 'Sam.Patel@example.gov.uk', name: 'Sam Patel', groups: [`officer-${waste}`] },
      policy,
    );
    const cognito = staffFromClaims(
      { sub: 's2', email: 'casey@example.gov.uk', 'cognito:groups': ['complaints-team', 'director'] },
      policy,
    );
    expect(local).toEqual({
      sub: 's1',
      email: 'sam.patel@example.gov.uk',
      name: 'Sam Patel',
      roles: ['officer'],
      services: [waste],
    });
    expect(cognito.roles.sort()).toEqual(['complaints-team', 'director']);
    expect(cognito.name).toBe('casey@example.gov.uk');
  });

  it('refuses someone with no workspace group, or an officer group of a service the policy lacks', () => {
    expect(() =>
      staffFromClaims({ sub: 'x', email: 'x@example.gov.uk', groups: ['finance'] }, policy),
    ).toThrow(StaffAccessError);
    expect(() =>
      staffFromClaims({ sub: 'x', email: 'x@example.gov.uk', groups: ['officer-moon-base'] }, policy),
    ).toThrow(StaffAccessError);
  });

  it('refuses a token without an email to act under', () => {
    expect(() => staffFromClaims({ sub: 'x', groups: ['complaints-team'] }, policy)).toThrow(/no email/);
  });
});

describe('canSeeCase', () => {
  const officer = staffFromClaims(
    { sub: 'o', email: 'o@example.gov.uk', groups: [`officer-${waste}`] },
    policy,
  );
  const c = (service: string, assignedTo?: string) =>
    ({ service, ...(assignedTo ? { assignedTo } : {}) }) as CaseRecord;

  it("lets an officer see their service's cases and cases assigned to them, not others", () => {
    expect(canSeeCase(officer, c(waste))).toBe(true);
    expect(canSeeCase(officer, c(highways))).toBe(false);
    expect(canSeeCase(officer, c(highways, 'O@example.gov.uk'))).toBe(true);
  });

  it('lets every other role see every case', () => {
    for (const group of ['complaints-team', 'nominated-officer', 'director', 'administrator']) {
      const staff = staffFromClaims(
        { sub: group, email: `${group}@example.gov.uk`, groups: [group] },
        policy,
      );
      expect(canSeeCase(staff, c(highways)), group).toBe(true);
    }
  });
});

describe('nextDeadline', () => {
  const open = {
    kind: 'complaint',
    stage: 1,
    status: 'awaiting-acknowledgement',
    progress: { stage1: { startedAt: '2026-03-02T10:00:00.000Z' } },
    deadlines: { acknowledgeBy: '2026-03-09T23:59:59.000Z', respondBy: '2026-03-23T23:59:59.000Z' },
  } as unknown as CaseRecord;

  it('is the acknowledgement deadline until the case is acknowledged, then the response deadline', () => {
    expect(nextDeadline(open)).toBe('2026-03-09T23:59:59.000Z');
    const acknowledged = {
      ...open,
      status: 'investigating',
      progress: { stage1: { ...open.progress.stage1, acknowledgedAt: '2026-03-03T09:00:00.000Z' } },
    } as CaseRecord;
    expect(nextDeadline(acknowledged)).toBe('2026-03-23T23:59:59.000Z');
  });

  it('falls back to the earliest deadline of an open case none of whose clocks runs', () => {
    const referred = { ...open, status: 'referred', deadlines: { respondBy: '2026-03-23T23:59:59.000Z' } };
    expect(nextDeadline(referred as CaseRecord)).toBe('2026-03-23T23:59:59.000Z');
    expect(nextDeadline({ ...open, deadlines: {} } as CaseRecord)).toBeUndefined();
  });
});

describe('urgencyOf', () => {
  // Wednesday 4 March 2026, 10:00 in London.
  const now = new Date('2026-03-04T10:00:00Z');
  it.each([
    ['2026-03-04T09:59:59Z', 'overdue'],
    ['2026-03-04T23:59:59Z', 'today'],
    ['2026-03-11T23:59:59Z', 'this-week'],
    ['2026-03-12T00:00:00Z', 'later'],
  ])('calls a deadline of %s %s', (deadline, urgency) => {
    expect(urgencyOf(deadline, now, policy)).toBe(urgency);
  });

  it('ends "this week" five working days on, skipping the weekend', () => {
    expect(weekEnd(now, policy)).toBe('2026-03-11T23:59:59.000Z');
  });
});

describe('isCouncilAddress', () => {
  it("accepts the routing table's mailboxes and people in the directory, whatever the case", () => {
    expect(isCouncilAddress('Waste.Feedback@example.gov.uk', policy, [])).toBe(true);
    expect(
      isCouncilAddress('new.starter@example.gov.uk', policy, [{ email: 'new.starter@example.gov.uk' }]),
    ).toBe(true);
  });

  it('refuses an address outside them, even at the council’s domain', () => {
    expect(isCouncilAddress('someone@gmail.com', policy, [])).toBe(false);
    expect(isCouncilAddress('not.a.person@example.gov.uk', policy, [])).toBe(false);
  });
});

describe('search terms', () => {
  it('normalises postcodes and phone numbers the same way for cases and searches', () => {
    expect(postcodeIn('12 Example Terrace, Exampletown ex1 2ab')).toBe('EX12AB');
    expect(phoneDigits('+44 (0)1632 960001')).toBe('01632960001');
    expect(phoneDigits('+44 1632 960001')).toBe('01632960001');
    const terms = caseSearchTerms({
      complainant: {
        name: "Mary O'Brien-Smith",
        email: 'Mary@Example.com',
        phone: '+44 1632 960001',
        address: 'EX1 2AB',
      },
    });
    expect(terms).toEqual([
      'email:mary@example.com',
      'name:mary',
      'name:obrien',
      'name:smith',
      'phone:01632960001',
      'postcode:EX12AB',
    ]);
    expect(parseSearch('ex1 2ab')).toEqual({ terms: ['postcode:EX12AB'] });
    expect(parseSearch('01632 960001')).toEqual({ terms: ['phone:01632960001'] });
    expect(parseSearch('cmp-2026-000123')).toEqual({ reference: 'CMP-2026-000123' });
    expect(parseSearch('Mary Smith')).toEqual({ terms: ['name:mary', 'name:smith'] });
    expect(parseSearch('  ')).toEqual({ empty: true });
  });

  it.each([
    ['Cyrillic', 'Олег Петров', 'Петров'],
    ['Greek', 'Νίκος Παπαδόπουλος', 'Παπαδόπουλος'],
    ['Arabic', 'محمد علی', 'محمد'],
    ['Chinese', '王小明', '王小明'],
    ['Devanagari', 'सुरेश कुमार', 'सुरेश'],
  ])('finds a resident whose name is written in %s by a word of that name', (_script, name, typed) => {
    const terms = caseSearchTerms({ complainant: { name } });

    const query = parseSearch(typed);

    expect(query).toHaveProperty('terms');
    const wanted = 'terms' in query ? query.terms : [];
    expect(wanted.length).toBeGreaterThan(0);
    expect(terms).toEqual(expect.arrayContaining(wanted));
  });

  it('keeps a resident findable by email, phone and postcode whatever the number of words in the names', () => {
    // Prepare: a long name, and a representative's, give more words than a case keeps terms.
    const name = 'María de los Ángeles Guadalupe Fernández de la Cruz y Santa Ana';
    const onBehalfOf = { name: 'Juan Pablo Ignacio de Todos los Santos Martínez Olivares', consent: true };

    // Act
    const terms = caseSearchTerms({
      complainant: { name, email: 'maria@example.com', phone: '01632 960001', address: 'EX1 2AB' },
      onBehalfOf,
    });

    // Assess: the contact details are kept first; the names fill what is left.
    expect(terms).toHaveLength(MAX_SEARCH_TERMS);
    expect(terms).toEqual(
      expect.arrayContaining(['email:maria@example.com', 'phone:01632960001', 'postcode:EX12AB']),
    );
    expect(terms).toEqual(expect.arrayContaining(['name:maria', 'name:fernandez']));
  });

  it('keeps the terms of a name in the Latin alphabet as they were, so cases stored before are still found', () => {
    const terms = caseSearchTerms({ complainant: { name: 'Søren Dvořák-Zoë' } });

    expect(terms).toEqual(['name:dvorak', 'name:ren', 'name:zoe']);
  });
});
