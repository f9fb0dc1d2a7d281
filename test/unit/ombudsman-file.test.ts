import { describe, expect, it } from 'vitest';
import { validateSentForm } from '../../functions/app/ombudsman-file.js';
import { requestedFormat } from '../../functions/app/ombudsman-file-routes.js';
import type { CaseEvent } from '../../functions/domain/case.js';
import {
  BOOKKEEPING_EVENTS,
  chronology,
  contentsLine,
  evidenceListing,
  ombudsmanOfCase,
  ombudsmanReferenceOf,
  templateAtStage,
} from '../../functions/domain/ombudsman-file.js';
import { ValidationError } from '../../functions/http/errors.js';
import {
  CLEAN_FILE,
  INFECTED_FILE,
  OFFICER,
  REVIEWER,
  stage2Case,
  UNSCANNED_FILE,
} from '../support/ombudsman-case.js';

const names = {
  service: (id: string | undefined) => (id === 'waste-recycling' ? 'Waste and recycling' : undefined),
  ombudsman: () => 'Local Government and Social Care Ombudsman',
};

describe('chronology', () => {
  const { record, events } = stage2Case();
  const entries = chronology(record, events, names);

  it('has one entry for every event of the case except the service’s bookkeeping, in time order', () => {
    const kept = events.filter((e) => !BOOKKEEPING_EVENTS.has(e.type));
    expect(entries.map((e) => e.seq)).toEqual(kept.map((e) => e.seq));
    const times = entries.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(entries.some((e) => e.what.includes('viewed'))).toBe(false);
  });

  it('says in plain English what happened, who did it and the reasons they gave', () => {
    const at = (what: string) => entries.find((e) => e.what === what);
    expect(at('Complaint received online')?.by).toBe('The resident');
    expect(at('Sent to the Waste and recycling service')?.details).toEqual(['Directorate: Place.']);
    expect(at('Acknowledged (stage 1)')?.by).toBe(OFFICER);
    expect(at('Response deadline extended (stage 1)')?.details).toEqual([
      'By 5 working days.',
      'Reason: We need to speak to the collection crew.',
    ]);
    expect(at('Response decided (stage 1)')?.details).toEqual([
      'Outcome: Not upheld.',
      'Reasons: The crew’s records show the bin was not out on the day.',
    ]);
    expect(at('The resident asked for a review (stage 2)')?.details).toEqual([
      'In their words: You did not look at the photographs I sent.',
    ]);
    expect(at('Review (stage 2) started')?.details).toEqual([
      'Handled by an officer who did not handle stage 1.',
    ]);
    expect(at('Response decided (stage 2)')).toMatchObject({
      by: REVIEWER,
      details: [
        'Outcome: Partially upheld.',
        'Reasons: The photographs show the bin was out on two of the four days.',
        'Remedy: An apology and an assisted collection.',
      ],
    });
    expect(at('Note added to the case')?.details).toEqual(['Phoned the resident to talk about the review.']);
    expect(at('Reminder emailed to the officer')?.by).toBe('Redress (automatically)');
  });

  it('names each email by the letter it was at its stage: the second response is the final one', () => {
    const emails = entries.filter((e) => e.what.startsWith('Email sent to the resident'));
    expect(emails.map((e) => e.what.replace('Email sent to the resident: ', ''))).toEqual([
      'Receipt of the complaint',
      'Acknowledgement',
      'More time needed to respond',
      'Response (stage 1)',
      'Final response (stage 2)',
    ]);
    expect(templateAtStage('acknowledgement', 2)).toBe('stage-2-acknowledgement');
  });

  it('lists the evidence as received, scanned, rejected with the reason, letters written and posted', () => {
    const whats = entries.map((e) => e.what);
    expect(whats).toContain('Evidence received from the resident: file 1 (JPEG image, 200 KB)');
    expect(whats).toContain('Evidence file 1 (JPEG image, 200 KB) passed the virus check');
    expect(entries.find((e) => e.what.startsWith('Evidence file 2'))?.details).toEqual([
      'Why: the virus check found a threat in it.',
    ]);
    expect(whats).toContain(
      'Letter written for the post: Acknowledgement of the request for a review (stage 2)',
    );
    expect(entries.find((e) => e.what === 'Letter posted')?.by).toBe('casey.morgan@example.gov.uk');
  });
});

describe('chronology of emails that bounced', () => {
  it('says an email to the resident bounced only when it was the resident’s address', () => {
    // Each address's bounce of one email is recorded: here the officer's task email, and the
    // response to both the resident and their advocate.
    const { record, events } = stage2Case();
    const last = events.at(-1) as CaseEvent;
    const bounce = (seq: number, recipients: string[], residentAffected: boolean): CaseEvent => ({
      caseId: record.caseId,
      at: last.at,
      seq: last.seq + seq,
      type: 'email-bounced',
      actor: 'system',
      detail: {
        template: 'response',
        bounceType: 'Permanent',
        residentAffected,
        recipients,
        messageId: 'ses-1',
      },
    });
    const bounced = [
      bounce(1, ['casey.morgan@example.gov.uk'], false),
      bounce(2, ['advocate@example.org'], false),
      bounce(3, ['zoe@example.com'], true),
    ];

    const entries = chronology(record, [...events, ...bounced], names).filter((e) => e.seq > last.seq);

    // The file goes to the Ombudsman: it must not say the resident was not reached when they were.
    expect(entries.map((e) => e.what)).toEqual([
      'An email about the case to someone other than the resident could not be delivered (bounced)',
      'An email about the case to someone other than the resident could not be delivered (bounced)',
      'An email to the resident could not be delivered (bounced)',
    ]);
  });
});

describe('chronology of feedback staff recorded with a date and no time', () => {
  it('gives the London date it was received, in summer as in winter', () => {
    const { record, events } = stage2Case();
    // 1 July 2026 with no time: the start of that London day, 23:00 UTC the day before.
    const summer = { ...record, receivedAt: '2026-06-30T23:00:00.000Z', receivedDateOnly: true as const };

    const received = chronology(summer, events, names).find((e) => e.what.includes('received'));

    expect(received?.details).toContain('Date received: 2026-07-01.');
  });
});

describe('evidenceListing', () => {
  it('includes only the files that passed the virus check, and says why each other one is left out', () => {
    const { events } = stage2Case();
    expect(evidenceListing(events)).toEqual([
      expect.objectContaining({
        fileId: CLEAN_FILE,
        kind: 'JPEG image',
        included: true,
        scan: 'No threats found',
      }),
      expect.objectContaining({
        fileId: INFECTED_FILE,
        included: false,
        scan: 'Not accepted: the virus check found a threat in it',
      }),
      expect.objectContaining({
        fileId: UNSCANNED_FILE,
        included: false,
        scan: 'Not checked yet: not included',
      }),
    ]);
  });
});

describe('the ombudsman and their reference', () => {
  it('takes the ombudsman of the latest enquiry, else the case’s own, and the latest reference recorded', () => {
    const { events } = stage2Case();
    expect(ombudsmanOfCase(events, 'lgsco')).toBe('lgsco');
    expect(ombudsmanReferenceOf(events)).toBeUndefined();
    const later = [
      ...events,
      {
        caseId: 'c',
        seq: 99,
        at: '2026-04-01T09:00:00Z',
        type: 'ombudsman-enquiry',
        actor: 'x',
        detail: { ombudsman: 'housing' },
      },
      {
        caseId: 'c',
        seq: 100,
        at: '2026-04-02T09:00:00Z',
        type: 'ombudsman-file-sent',
        actor: 'x',
        detail: { ombudsman: 'housing', ombudsmanReference: 'HO-2026-77' },
      },
    ];
    expect(ombudsmanOfCase(later, 'lgsco')).toBe('housing');
    expect(ombudsmanReferenceOf(later)).toBe('HO-2026-77');
  });
});

describe('contentsLine', () => {
  const widthOf = (text: string) => text.length * 5;

  it('fills the line with dots up to the page number', () => {
    const line = contentsLine({ title: 'Chronology', page: 3, level: 1 }, 200, widthOf);
    expect(line.page).toBe('3');
    expect(widthOf(`${line.text}${line.dots} ${line.page}`)).toBeLessThanOrEqual(200);
    expect(line.dots.length).toBeGreaterThan(10);
  });

  it('shortens a title too long for the line, so the page number stays on it', () => {
    const line = contentsLine({ title: 'A'.repeat(100), page: 12, level: 2 }, 200, widthOf);
    expect(line.text.endsWith('…')).toBe(true);
    expect(widthOf(`${line.text}${line.dots} ${line.page}`)).toBeLessThanOrEqual(200);
  });
});

describe('validateSentForm', () => {
  const { record } = stage2Case();
  const now = new Date('2026-04-10T12:00:00Z');
  const good = {
    sentDay: '9',
    sentMonth: '4',
    sentYear: '2026',
    ombudsmanReference: ' 25 012 345 ',
    how: 'portal',
  };

  it('accepts a past date, a reference and a way it was sent', () => {
    expect(validateSentForm(good, record, now)).toEqual({
      sentOn: '2026-04-09',
      ombudsmanReference: '25 012 345',
      how: 'portal',
    });
  });

  it.each([
    [
      { sentDay: '31', sentMonth: '2' },
      'sentDate',
      'The date the file was sent must be a real date, like 1 4 2026',
    ],
    [{ sentDay: '11' }, 'sentDate', 'The date the file was sent must be today or in the past'],
    [{ sentMonth: '1' }, 'sentDate', 'The date the file was sent must be after the case was received'],
    [{ ombudsmanReference: '' }, 'ombudsmanReference', 'Enter the Ombudsman’s reference for the case'],
    [
      { ombudsmanReference: '<script>' },
      'ombudsmanReference',
      expect.stringMatching(/40 characters or fewer/),
    ],
    [{ how: 'pigeon' }, 'how', 'Choose how the file was sent'],
  ])('refuses %j with a message for %s', (change, field, message) => {
    let error: unknown;
    try {
      validateSentForm({ ...good, ...change }, record, now);
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields[field]).toEqual(message);
  });

  it('accepts today’s London date just after midnight in summer, when the UTC date is still yesterday', () => {
    // 00:30 on 11 April 2026 in London (BST) is 23:30 on 10 April in UTC.
    const justAfterMidnight = new Date('2026-04-10T23:30:00Z');
    expect(validateSentForm({ ...good, sentDay: '11' }, record, justAfterMidnight).sentOn).toBe('2026-04-11');
  });
});

describe('requestedFormat', () => {
  it('gives the ZIP by default and to a browser, the PDF when asked for by query or Accept', () => {
    expect(requestedFormat({ headers: { Accept: 'text/html,*/*' }, queryStringParameters: null })).toBe(
      'zip',
    );
    expect(requestedFormat({ headers: {}, queryStringParameters: { format: 'pdf' } })).toBe('pdf');
    expect(requestedFormat({ headers: { accept: 'application/pdf' }, queryStringParameters: null })).toBe(
      'pdf',
    );
    expect(
      requestedFormat({
        headers: { Accept: 'application/zip, application/pdf' },
        queryStringParameters: null,
      }),
    ).toBe('zip');
  });
});
