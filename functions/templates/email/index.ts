import type { EmailTemplate } from '../render-email.js';
import { acknowledgement } from './acknowledgement.js';
import { caseAssigned } from './case-assigned.js';
import { commentReply } from './comment-reply.js';
import { complaintsTeamAlert } from './complaints-team-alert.js';
import { complimentAcknowledgement } from './compliment-acknowledgement.js';
import { complimentToStaff } from './compliment-to-staff.js';
import { consentNeeded } from './consent-needed.js';
import { consentNotGiven } from './consent-not-given.js';
import { contactRecorded } from './contact-recorded.js';
import { extension } from './extension.js';
import { finalResponse } from './final-response.js';
import { holdingLetter } from './holding-letter.js';
import type { EmailTemplateSource } from './layout.js';
import { managerEscalation } from './manager-escalation.js';
import { nominatedOfficerContact } from './nominated-officer-contact.js';
import { notAComplaint } from './not-a-complaint.js';
import { officerReminder } from './officer-reminder.js';
import { officerTask } from './officer-task.js';
import { outOfTime } from './out-of-time.js';
import { pause } from './pause.js';
import { printAndPost } from './print-and-post.js';
import { receipt } from './receipt.js';
import { redirect } from './redirect.js';
import { referral } from './referral.js';
import { referredToManager } from './referred-to-manager.js';
import { reopened } from './reopened.js';
import { representationFeedback } from './representation-feedback.js';
import { representationToPolicyOwner } from './representation-to-policy-owner.js';
import { response } from './response.js';
import { resume } from './resume.js';
import { signInLink } from './sign-in-link.js';
import { socialCareClosed } from './social-care-closed.js';
import { socialCarePlan } from './social-care-plan.js';
import { socialCareResponse } from './social-care-response.js';
import { socialCareSixMonths } from './social-care-six-months.js';
import { stage2Acknowledgement } from './stage-2-acknowledgement.js';
import { stage2Refused } from './stage-2-refused.js';
import { stage2Resolved } from './stage-2-resolved.js';
import { stage2TooLate } from './stage-2-too-late.js';
import { vexatiousDecision } from './vexatious-decision.js';

/** Every email template by name (the name is also the SES tag and the `EmailData` key). */
export const EMAIL_SOURCES: Record<EmailTemplate, EmailTemplateSource> = {
  receipt,
  acknowledgement,
  redirect,
  'not-a-complaint': notAComplaint,
  'holding-letter': holdingLetter,
  extension,
  pause,
  resume,
  reopened,
  response,
  'final-response': finalResponse,
  'stage-2-acknowledgement': stage2Acknowledgement,
  'stage-2-refused': stage2Refused,
  'stage-2-too-late': stage2TooLate,
  'stage-2-resolved': stage2Resolved,
  'out-of-time': outOfTime,
  'consent-needed': consentNeeded,
  'consent-not-given': consentNotGiven,
  referral,
  'compliment-acknowledgement': complimentAcknowledgement,
  'comment-reply': commentReply,
  'representation-feedback': representationFeedback,
  'vexatious-decision': vexatiousDecision,
  'referred-to-manager': referredToManager,
  'social-care-plan': socialCarePlan,
  'social-care-closed': socialCareClosed,
  'social-care-six-months': socialCareSixMonths,
  'social-care-response': socialCareResponse,
  'contact-recorded': contactRecorded,
  'officer-task': officerTask,
  'officer-reminder': officerReminder,
  'manager-escalation': managerEscalation,
  'compliment-to-staff': complimentToStaff,
  'representation-to-policy-owner': representationToPolicyOwner,
  'nominated-officer-contact': nominatedOfficerContact,
  'complaints-team-alert': complaintsTeamAlert,
  'print-and-post': printAndPost,
  'case-assigned': caseAssigned,
  'sign-in-link': signInLink,
};
