import type { Policy } from '../domain/policy-schema.js';
import type { CaseStore } from '../domain/ports.js';
import type { SendEmail } from './steps.js';

/** The part of an SES event notification (via SNS) that Redress reads. */
export interface SesEventNotification {
  eventType?: string;
  notificationType?: string;
  mail?: { tags?: Record<string, string[]>; destination?: string[] };
  bounce?: { bounceType?: string; bouncedRecipients?: { emailAddress?: string }[] };
  complaint?: { complainedRecipients?: { emailAddress?: string }[] };
}

/**
 * Records a bounce or spam complaint on the case the email was about (the mailer tags every
 * email with its case id). When the resident's address bounces the complaints team is told, so
 * they can reply by post or phone instead: a reply that never arrives must not go unnoticed.
 */
export async function recordMailEvent(
  deps: { store: CaseStore; policy: Policy; send: SendEmail; now: () => Date },
  notification: SesEventNotification,
): Promise<'recorded' | 'ignored'> {
  const type = notification.eventType ?? notification.notificationType;
  if (type !== 'Bounce' && type !== 'Complaint') return 'ignored';
  const caseId = notification.mail?.tags?.['case-id']?.[0];
  if (!caseId) return 'ignored';
  const c = await deps.store.get(caseId);
  if (!c) return 'ignored';
  const affected = (
    type === 'Bounce' ? notification.bounce?.bouncedRecipients : notification.complaint?.complainedRecipients
  )?.map((r) => r.emailAddress?.toLowerCase());
  const residentAffected =
    !!c.complainant.email && (affected ?? []).includes(c.complainant.email.toLowerCase());
  await deps.store.appendEvent(caseId, {
    at: deps.now().toISOString(),
    type: type === 'Bounce' ? 'email-bounced' : 'email-complaint',
    actor: 'system',
    detail: {
      template: notification.mail?.tags?.template?.[0] ?? null,
      bounceType: notification.bounce?.bounceType ?? null,
      residentAffected,
    },
  });
  if (type === 'Bounce' && residentAffected) {
    await deps.send(c, 'complaints-team-alert', [deps.policy.routing.complaintsTeam], {
      problem: 'bounce',
      error: `An email to the resident about ${c.reference} bounced. Contact them another way (phone or post).`,
    });
  }
  return 'recorded';
}
