import { describe, expect, it } from 'vitest';
import { readCorrection, splitAddress } from '../../functions/app/rectification.js';
import { readRequestForm } from '../../functions/app/subject-access.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import {
  extendedDueOn,
  initialDueOn,
  markThirdPartyData,
  mayStillExtend,
  registerOrder,
  type SubjectAccessRequest,
} from '../../functions/domain/subject-access.js';
import { ValidationError } from '../../functions/http/errors.js';

const policy = loadPolicy('lgsco-code-2024');

function request(id: string, over: Partial<SubjectAccessRequest>): SubjectAccessRequest {
  return {
    id,
    subject: { name: 'Ada Lovelace' },
    receivedOn: '2026-03-02',
    channel: 'email',
    dueOn: '2026-04-02',
    status: 'open',
    confirmedCases: [],
    createdAt: '2026-03-02T09:00:00Z',
    createdBy: 'dana@example.gov.uk',
    version: 1,
    ...over,
  };
}

/** The fields a form reader refuses, or undefined when it takes the form. */
function fieldsRefused(read: () => unknown): Record<string, string> | undefined {
  try {
    read();
    return undefined;
  } catch (error: unknown) {
    return error instanceof ValidationError ? error.fields : undefined;
  }
}

describe('subject access due dates (UK GDPR Article 12(3))', () => {
  it('is the same day of the next month', () => {
    expect(initialDueOn('2026-03-10', policy)).toBe('2026-04-10');
  });

  it('is the last day of a shorter month, moved past the weekend', () => {
    // 31 January 2026 → 28 February, a Saturday → Monday 2 March.
    expect(initialDueOn('2026-01-31', policy)).toBe('2026-03-02');
  });

  it('moves past a bank holiday to the next working day', () => {
    // 3 April 2026 is Good Friday; 6 April Easter Monday: due Tuesday 7 April.
    expect(initialDueOn('2026-03-03', policy)).toBe('2026-04-07');
  });

  it('is not moved by the council’s own closure days, which are not public holidays', () => {
    // 29 December 2026 is a Tuesday: the council closing its offices that week gives it no
    // more time than UK GDPR does (the next working day only after a weekend or bank holiday).
    const closed = {
      calendar: { ...policy.calendar, closureDays: ['2026-12-29', '2026-12-30', '2026-12-31'] },
    };
    expect(initialDueOn('2026-11-29', closed)).toBe('2026-12-29');
  });

  it('counts an extension as three months from receipt, across the year end', () => {
    expect(extendedDueOn('2026-11-30', policy)).toBe('2027-03-01');
    expect(extendedDueOn('2026-03-10', policy)).toBe('2026-06-10');
  });
});

describe('mayStillExtend (UK GDPR Article 12(3))', () => {
  it('allows an extension up to the end of the day the first month ends, and not after', () => {
    // 31 January 2026: the month ends on Saturday 28 February, moved to Monday 2 March.
    expect(mayStillExtend('2026-01-31', '2026-02-28', policy)).toBe(true);
    expect(mayStillExtend('2026-01-31', '2026-03-02', policy)).toBe(true);
    expect(mayStillExtend('2026-01-31', '2026-03-03', policy)).toBe(false);
  });
});

describe('registerOrder', () => {
  it('puts outstanding requests first, earliest due at the top, then completed ones latest first', () => {
    const list = [
      request('done-old', { status: 'completed', completedAt: '2026-03-01T00:00:00Z', dueOn: '2026-03-01' }),
      request('late', { dueOn: '2026-05-01' }),
      request('done-new', { status: 'completed', completedAt: '2026-03-20T00:00:00Z', dueOn: '2026-03-02' }),
      request('soon', { dueOn: '2026-03-20', status: 'exported' }),
    ];
    expect(list.sort(registerOrder).map((r) => r.id)).toEqual(['soon', 'late', 'done-new', 'done-old']);
  });
});

describe('markThirdPartyData', () => {
  const context = {
    subject: {
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '01632 960001',
      address: '4 Road, EX1 2AB',
    },
    councilMailboxes: ['complaints@example.gov.uk'],
    staff: [{ name: 'Sam Patel', email: 'sam.patel@example.gov.uk' }],
  };

  it('marks other people’s contact details and individual staff, not the requester’s own or role mailboxes', () => {
    const marks = markThirdPartyData(
      'CMP-2026-000001',
      {
        case: {
          complainant: {
            name: 'Ada Lovelace',
            email: 'ADA@example.com',
            phone: '+44 1632 960001',
            address: '4 Road, EX1 2AB',
          },
          onBehalfOf: { name: 'Charles Babbage', consent: true },
          summary: 'My neighbour Bob (bob@example.net, 01632 960999, EX9 9ZZ) agrees.',
          assignedTo: 'complaints@example.gov.uk',
          openTask: { taskToken: 'sam.patel@example.gov.uk' },
        },
        events: [{ actor: 'sam.patel@example.gov.uk', detail: { note: 'Sam Patel phoned her.' } }],
      },
      context,
    );
    const found = marks.map((m) => [m.where, m.kind, m.text]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['case.onBehalfOf.name', 'person-name', 'Charles Babbage'],
        ['case.summary', 'email', 'bob@example.net'],
        ['case.summary', 'phone', '01632 960999'],
        ['case.summary', 'postcode', 'EX9 9ZZ'],
        ['events[0].actor', 'staff-email', 'sam.patel@example.gov.uk'],
        ['events[0].detail.note', 'staff-name', 'Sam Patel'],
      ]),
    );
    const texts = marks.map((m) => m.text.toLowerCase());
    expect(texts).not.toContain('ada@example.com');
    expect(texts).not.toContain('complaints@example.gov.uk');
    expect(texts).not.toContain('ex1 2ab');
    // Task tokens are not searched (they are withheld from the export anyway).
    expect(marks.some((m) => m.where.includes('taskToken'))).toBe(false);
    expect(marks).toHaveLength(6);
  });

  it('marks the name and address of someone who complained for the subject, not a subject under another name', () => {
    const forSubject = markThirdPartyData(
      'CMP-2026-000002',
      {
        case: {
          complainant: {
            name: 'Alice Jones',
            address: '12 High Street, EX7 7AA',
            email: 'alice@example.org',
          },
          onBehalfOf: { name: 'Ada Lovelace', consent: true },
        },
      },
      context,
    );
    expect(forSubject.map((m) => [m.where, m.text])).toEqual(
      expect.arrayContaining([
        ['case.complainant.name', 'Alice Jones'],
        ['case.complainant.address', '12 High Street, EX7 7AA'],
        ['case.complainant.email', 'alice@example.org'],
      ]),
    );

    const married = markThirdPartyData(
      'CMP-2026-000003',
      { case: { complainant: { name: 'Ada King', email: 'ada@example.com', address: '4 Road, EX1 2AB' } } },
      context,
    );
    expect(married.filter((m) => m.where.startsWith('case.complainant'))).toEqual([]);
  });
});

describe('splitAddress', () => {
  it('takes the postcode out of an address for the form’s two boxes', () => {
    expect(splitAddress('4 Example Road, Exampletown ex1 2ab')).toEqual({
      address: '4 Example Road, Exampletown',
      postcode: 'EX1 2AB',
    });
    expect(splitAddress('No postcode here')).toEqual({ address: 'No postcode here', postcode: '' });
    expect(splitAddress(undefined)).toEqual({ address: '', postcode: '' });
  });
});

describe('readRequestForm', () => {
  const NOW = new Date('2026-03-04T10:00:00Z');
  const form = (day: string, month: string, year: string) => ({
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    channel: 'letter',
    'receivedOn-day': day,
    'receivedOn-month': month,
    'receivedOn-year': year,
  });
  const refused = (body: Record<string, unknown>) => fieldsRefused(() => readRequestForm(body, NOW));

  it('refuses a name or an address with hidden control or text-direction characters, as the complaint form does', () => {
    const request = { ...form('3', '3', '2026'), name: '\u202eAli Khan', address: '12 Mill Lane\u0007' };
    expect(refused(request)).toEqual(
      expect.objectContaining({ name: expect.any(String), address: expect.any(String) }),
    );
    expect(refused(form('3', '3', '2026'))).toBeUndefined();
  });

  it('refuses a received date before the month to answer began to apply, as a slip of the year', () => {
    // "0025" for 2025: the four boxes take it, but no request on the register came then.
    expect(refused(form('3', '3', '0025'))?.['receivedOn-day']).toContain('25 May 2018');
    expect(refused(form('24', '5', '2018'))?.['receivedOn-day']).toContain('check the year');
    expect(readRequestForm(form('25', '5', '2018'), NOW).receivedOn).toBe('2018-05-25');
  });
});

describe('readCorrection', () => {
  const current = { name: 'Ali Khan', email: 'ali@example.com', address: '12 Mill Lane, EX1 2AB' };
  const form = (name: string, address: string) => ({
    name,
    email: 'ali@example.com',
    address,
    postcode: 'EX1 2AB',
    reason: 'The resident wrote to tell us',
  });
  const refused = (body: Record<string, unknown>) => fieldsRefused(() => readCorrection(current, body));

  it('refuses a name or an address with hidden control or text-direction characters, as the complaint form does', () => {
    // A name pasted with a right-to-left override prints in a posted letter as "Dear ,nahK ilA".
    expect(refused(form('\u202eAli Khan', '12 Mill Lane'))).toEqual(
      expect.objectContaining({ name: expect.any(String) }),
    );
    expect(refused(form('Ali Khan', '12 Mill Lane\u0007'))).toEqual(
      expect.objectContaining({ address: expect.any(String) }),
    );
  });

  it('takes a tab pasted into the name as a space, as the complaint form does', () => {
    expect(readCorrection(current, form('Ali\tKhan', '12 Mill Lane')).person.name).toBe('Ali Khan');
  });
});
