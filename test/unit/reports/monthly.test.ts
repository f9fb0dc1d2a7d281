import { describe, expect, it } from 'vitest';
import type { EmailMessage, Mailer } from '../../../functions/domain/ports.js';
import { sendMonthlyReport } from '../../../functions/reports/monthly.js';
import { MemoryCaseStore } from '../../support/memory-store.js';
import {
  reportCases,
  reportPolicy,
  SEEDED_LESSONS,
  SEEDED_PERSONAL_DATA,
} from '../../support/report-cases.js';

class FakeMailer implements Mailer {
  readonly sent: EmailMessage[] = [];
  async ping(): Promise<void> {}
  async send(message: EmailMessage): Promise<{ messageId: string }> {
    this.sent.push(message);
    return { messageId: `msg-${this.sent.length}` };
  }
}

async function seededStore(): Promise<MemoryCaseStore> {
  const store = new MemoryCaseStore();
  for (const c of reportCases())
    await store.create(c, { at: c.receivedAt, type: 'received', actor: 'resident' });
  return store;
}

describe('sendMonthlyReport', () => {
  it('emails last month’s headline figures to the complaints team, with a link to the full report', async () => {
    const mailer = new FakeMailer();
    // 00:30 on 1 July in London (still 30 June in UTC): the month just ended is June.
    const now = () => new Date('2025-06-30T23:30:00.000Z');

    const result = await sendMonthlyReport({
      store: await seededStore(),
      policy: reportPolicy,
      mailer,
      now,
      baseUrl: 'https://complaints.example.gov.uk/',
    });

    expect(result.period).toEqual({ from: '2025-06-01', to: '2025-06-30' });
    expect(result.messageId).toBe('msg-1');
    expect(mailer.sent).toHaveLength(1);
    const mail = mailer.sent[0] as EmailMessage;
    expect(mail.to).toEqual(['complaints@test-council.example']);
    expect(mail.subject).toBe('Complaints performance for June 2025: Seeded Borough Council');
    // June 2025 by hand: 28 complaints (G1–G6), 2 compliments, 5 comments, 1 representation.
    for (const line of [
      '- Contacts received: 36',
      '- Complaints: 28',
      '- Compliments: fewer than 5',
      '- Comments: 5',
      '- Concerns about a council policy: fewer than 5',
      '- Stage 1 acknowledged on time: 89.3% (25 of 28)',
      '- Stage 1 responded to on time: 71.4% (20 of 28)',
      '- Stage 2 responded to on time: 71.4% (5 of 7)',
      '- Stage 1 complaints still open and overdue: fewer than 5',
      '- Escalated to stage 2: 26.9%',
      '- Ombudsman enquiries: 8',
      '- Redirected, not complaints: 0',
    ]) {
      expect(mail.text).toContain(line);
    }
    expect(mail.text).toContain('https://complaints.example.gov.uk/reports?from=2025-06-01&to=2025-06-30');
    expect(mail.html).toContain('<li>Stage 1 responded to on time: <strong>71.4% (20 of 28)</strong></li>');
    expect(mail.html).toContain(
      'href="https://complaints.example.gov.uk/reports?from=2025-06-01&amp;to=2025-06-30"',
    );
    expect(mail.text).toContain('Suppression applied');
  });

  it('writes the period as GOV.UK writes dates, not as the report link does', async () => {
    // Officers read the summary; "from 2025-06-01 to 2025-06-30" is how the link spells it.
    const mailer = new FakeMailer();

    await sendMonthlyReport({
      store: await seededStore(),
      policy: reportPolicy,
      mailer,
      now: () => new Date('2025-06-30T23:30:00.000Z'),
    });

    const mail = mailer.sent[0] as EmailMessage;
    expect(mail.text).toContain('Feedback received from 1 June 2025 to 30 June 2025.');
    expect(mail.html).toContain('<p>Feedback received from 1 June 2025 to 30 June 2025.</p>');
    expect(`${mail.text}${mail.html}`).not.toMatch(/from 2025-06-01 to/);
  });

  it('puts no personal data or free text in the email', async () => {
    const mailer = new FakeMailer();

    await sendMonthlyReport({
      store: await seededStore(),
      policy: reportPolicy,
      mailer,
      now: () => new Date('2025-07-01T06:00:00.000Z'),
    });

    const mail = mailer.sent[0] as EmailMessage;
    for (const value of [...SEEDED_PERSONAL_DATA, SEEDED_LESSONS]) {
      expect(mail.text).not.toContain(value);
      expect(mail.html).not.toContain(value);
    }
    expect(mail.text).not.toContain('Full report');
  });

  it('reports December when it runs in January', async () => {
    const mailer = new FakeMailer();

    const result = await sendMonthlyReport({
      store: await seededStore(),
      policy: reportPolicy,
      mailer,
      now: () => new Date('2026-01-01T07:00:00.000Z'),
    });

    expect(result.period).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(mailer.sent[0]?.text).toContain('- Complaints: 5');
    expect(mailer.sent[0]?.text).toContain('- Stage 1 acknowledged on time: 0% (0 of 5)');
  });
});

describe('the monthly email’s link to the report pages', () => {
  it('is signed, so an officer can open the pages that need one', async () => {
    const mailer = {
      sent: [] as EmailMessage[],
      async ping() {},
      async send(m: EmailMessage) {
        this.sent.push(m);
        return { messageId: 'm' };
      },
    };

    await sendMonthlyReport({
      store: new MemoryCaseStore(),
      policy: reportPolicy,
      mailer,
      now: () => new Date('2025-07-02T09:00:00.000Z'),
      baseUrl: 'https://complaints.example.gov.uk',
      signReportsLink: async (base, officer) => `${base}/reports?link=signed-for-${officer}`,
    });

    expect(mailer.sent[0]?.text).toContain(
      'https://complaints.example.gov.uk/reports?link=signed-for-complaints@test-council.example&from=2025-06-01&to=2025-06-30',
    );
  });
});
