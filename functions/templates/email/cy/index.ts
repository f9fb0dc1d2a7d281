import type { ResidentTemplate } from '../../render-email.js';
import type { EmailTemplateSource } from '../layout.js';
import { acknowledgement } from './acknowledgement.js';
import { commentReply } from './comment-reply.js';
import { complimentAcknowledgement } from './compliment-acknowledgement.js';
import { consentNeeded } from './consent-needed.js';
import { consentNotGiven } from './consent-not-given.js';
import { contactRecorded } from './contact-recorded.js';
import { extension } from './extension.js';
import { finalResponse } from './final-response.js';
import { holdingLetter } from './holding-letter.js';
import { notAComplaint } from './not-a-complaint.js';
import { outOfTime } from './out-of-time.js';
import { pause } from './pause.js';
import { receipt } from './receipt.js';
import { redirect } from './redirect.js';
import { referredToManager } from './referred-to-manager.js';
import { reopened } from './reopened.js';
import { representationFeedback } from './representation-feedback.js';
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

/**
 * The Welsh version of every email and letter to a resident, by template name. Typed by
 * `ResidentTemplate`: a resident template added in English without its Welsh here does not
 * compile (and `test/unit/welsh.test.ts` fails), because a council offering Welsh must write to a
 * Welsh-speaking resident in Welsh (the Welsh Language Standards).
 *
 * DRAFT WELSH: the council's Welsh translation service must review these before use (README.md).
 */
export const WELSH_EMAIL_SOURCES: Record<ResidentTemplate, EmailTemplateSource> = {
  acknowledgement: acknowledgement,
  'comment-reply': commentReply,
  'compliment-acknowledgement': complimentAcknowledgement,
  'consent-needed': consentNeeded,
  'consent-not-given': consentNotGiven,
  'contact-recorded': contactRecorded,
  extension: extension,
  'final-response': finalResponse,
  'holding-letter': holdingLetter,
  'not-a-complaint': notAComplaint,
  'out-of-time': outOfTime,
  pause: pause,
  receipt: receipt,
  redirect: redirect,
  'referred-to-manager': referredToManager,
  'representation-feedback': representationFeedback,
  response: response,
  resume: resume,
  reopened: reopened,
  'sign-in-link': signInLink,
  'social-care-closed': socialCareClosed,
  'social-care-plan': socialCarePlan,
  'social-care-response': socialCareResponse,
  'social-care-six-months': socialCareSixMonths,
  'stage-2-acknowledgement': stage2Acknowledgement,
  'stage-2-refused': stage2Refused,
  'stage-2-resolved': stage2Resolved,
  'stage-2-too-late': stage2TooLate,
  'vexatious-decision': vexatiousDecision,
};
