import type { ReachedLimit } from '../domain/errors.js';
import type { Language } from '../domain/language.js';
import { isLanguage, languageTag } from '../domain/language.js';
import { writtenDate } from '../domain/london-time.js';
import type { Policy } from '../domain/policy-schema.js';
import { formatDateTime, wallClock } from './format.js';

/**
 * The words of the resident's pages in English and Welsh (a message catalogue): the views look
 * strings up with `t('key')` instead of keeping one template per language, so a page is laid out
 * once and a Welsh string cannot go missing unnoticed (`test/unit/welsh.test.ts` checks that every
 * key has Welsh, with the same `{placeholders}`).
 *
 * DRAFT WELSH: written for Redress, not by a professional translator. The council's Welsh
 * translation service must review every Welsh string here before the council offers Welsh (see
 * `functions/templates/email/cy/README.md`). Sentences are worded so that the council's name never
 * follows a word that would mutate it.
 *
 * Hand-written rather than a library (i18next and the like): two languages, a flat table and a
 * `{name}` substitution are all the pages need, and nunjucks already does the rest.
 */

const EN = {
  'service.name': 'Complaints and feedback',
  'language.nav': 'Choose a language',
  'language.en': 'English',
  'language.cy': 'Cymraeg',
  'errors.title': 'There is a problem',
  'errors.prefix': 'Error: ',
  // GOV.UK Frontend's components' own words (their English defaults), given to every component
  // that has one so that a Welsh page has no English of theirs.
  'govuk.skipLink': 'Skip to main content',
  'govuk.serviceInformation': 'Service information',
  'govuk.errorHidden': 'Error',
  'govuk.warning': 'Warning',
  'govuk.fileUpload.choose': 'Choose file',
  'govuk.fileUpload.noFile': 'No file chosen',
  'govuk.fileUpload.drop': 'or drop file',
  'govuk.fileUpload.enteredDropZone': 'Entered drop zone',
  'govuk.fileUpload.leftDropZone': 'Left drop zone',

  'form.title': 'Give feedback or make a complaint',
  'form.heading': 'Give feedback, make a complaint or pay a compliment',
  'form.intro':
    'Tell us about a service of {council}. We read everything you send and record it, even when another team has to deal with it.',
  'form.kind.legend': 'What would you like to do?',
  'form.kind.complaint': 'Make a complaint',
  'form.kind.complaint.hint': 'Something went wrong, or a service was not as good as it should have been',
  'form.kind.compliment': 'Pay a compliment',
  'form.kind.compliment.hint': 'Tell us about something or someone who did well',
  'form.kind.comment': 'Make a comment or suggestion',
  'form.kind.comment.hint': 'An idea to improve a service',
  'form.kind.representation': 'Raise a concern about a council policy',
  'form.kind.representation.hint':
    'You disagree with a council policy or decision itself, rather than how a service was given',
  'form.service.label': 'Which service is it about?',
  'form.service.hint': 'If you are not sure, choose ‘I’m not sure’ and we will send it to the right team.',
  'form.service.notSure': 'I’m not sure',
  'form.service.handledBy': '(handled by {to})',
  'form.redirects.summary': 'Services with their own complaints process',
  'form.redirects.intro':
    'Complaints about these services follow their own process. You can still send them here and we will pass them on and tell you where they went.',
  'form.summary.label': 'Tell us what happened',
  'form.summary.hint': 'Include dates, places and the names of anyone you dealt with, if you know them',
  'form.desiredOutcome.label': 'What would you like us to do to put things right?',
  'form.desiredOutcome.hint': 'If you are making a complaint. Leave this empty for other feedback',
  'form.happenedOn.legend': 'When did it happen, or when did you find out about it?',
  'form.happenedOn.hint':
    'If you are making a complaint. For example, 27 3 2026. Complaints are normally made within {months} months',
  'form.date.day': 'Day',
  'form.date.month': 'Month',
  'form.date.year': 'Year',
  'form.details.heading': 'Your details',
  'form.anonymous.legend': 'Do you want to stay anonymous?',
  'form.anonymous.hint':
    'We cannot reply to anonymous feedback. A manager decides how to look into an anonymous complaint.',
  'form.anonymous.item': 'I want to stay anonymous',
  'form.name.label': 'Full name',
  'form.email.label': 'Email address',
  'form.email.hint':
    'Give at least one of email, phone or address so we can reply. We write by email if you give it, unless you ask for post below',
  'form.phone.label': 'Phone number',
  'form.address.label': 'Postal address',
  'form.contactBy.legend': 'How should we send you letters?',
  'form.contactBy.hint': 'Without an email address, we send letters by post',
  'form.contactBy.email': 'By email',
  'form.contactBy.post': 'By post',
  'form.contactBy.post.hint': 'Give your postal address above',
  'form.onBehalfOf.name.label': 'Their full name',
  'form.onBehalfOf.relationship.label': 'Your relationship to them',
  'form.onBehalfOf.relationship.hint': 'For example, parent, carer, councillor or advocate',
  'form.onBehalfOf.consent.legend': 'Their agreement',
  'form.onBehalfOf.consent.hint':
    'We need their agreement to share information with you, unless they cannot give it (for example, a child or someone who lacks capacity)',
  'form.onBehalfOf.consent.item': 'They have agreed to me making this complaint for them',
  'form.onBehalf.legend': 'Are you making this complaint for someone else?',
  'form.yes': 'Yes',
  'form.no': 'No',
  'form.contact.heading': 'How we contact you',
  'form.accessibility.label': 'Do you need us to contact you in a particular way or format? (optional)',
  'form.accessibility.hint':
    'For example large print, audio, easy read, an interpreter (say which language), or a phone call instead of a letter',
  'form.send': 'Send',
  'form.notSent':
    'Your feedback has not been sent: the page had been open too long, or did not come from this service. Your answers are below. Check them and send the form again.',
  'form.alreadySent':
    'You have already sent feedback from this page (reference {reference}), so this was not sent. If this is different feedback, or you have added to it, check your answers and send it: it will get a reference of its own.',
  'form.notSentElsewhere':
    'Your feedback has not been sent: it came from another website, not from this form. If you want to give feedback, fill in the form below and send it.',
  // GOV.UK Frontend's own English is used for the character count; these are its words, for the catalogue
  // (Welsh pages give theirs to the component: `characterCountText`).
  'charcount.under': 'You have %{count} characters remaining',
  'charcount.over': 'You have %{count} characters too many',
  'charcount.at': 'You have 0 characters remaining',
  'charcount.description': 'You can enter up to %{count} characters',

  'confirm.panel.complaint': 'Complaint received',
  'confirm.panel.social-care': 'Complaint received',
  'confirm.panel.compliment': 'Compliment received',
  'confirm.panel.comment': 'Comment received',
  'confirm.panel.representation': 'Concern received',
  'confirm.panel.recorded': 'Feedback recorded',
  'confirm.panel.received': 'Feedback received',
  'confirm.reference': 'Your reference number',
  'confirm.redirect.heading': 'Where to go instead',
  'confirm.redirect.text':
    'We have recorded your {kind}, but it is not something our complaints process can deal with.',
  'confirm.passed': 'We have passed your message to {team}.',
  'confirm.passed.email': 'You can email them at {mailbox}.',
  'confirm.sent':
    'If you gave us an email address, we have sent you a confirmation with your reference number.',
  'confirm.next': 'What happens next',
  'confirm.deadline.acknowledgeBy': 'We will acknowledge it by',
  'confirm.deadline.respondBy': 'We aim to give you a full response by',
  'confirm.deadline.replyBy': 'We aim to reply by',
  'confirm.deadline.feedbackBy': 'We will tell you how it has been considered by',
  'confirm.after.complaint':
    'If you are not happy with our response, you can ask us to look at your complaint again. We will tell you how when we reply.',
  'confirm.after.social-care':
    'We will contact you to understand your complaint and agree with you how and when we will respond.',
  'confirm.after.compliment': 'We will pass your compliment on to the service and to anyone you named.',
  'confirm.after.comment': 'We read every comment and use them to improve our services.',
  'confirm.after.representation':
    'We will pass your concern to the people who make this policy and tell you how it has been considered.',
  'confirm.quote.before': 'Quote your reference number',
  'confirm.quote.after': 'if you contact us about this.',
  'confirm.more': 'Send more feedback',
  'confirm.evidence.heading': 'Send evidence',
  'confirm.evidence.text':
    'You can send photos, letters or documents that support what you told us (up to 5 files, 10 MB each).',
  'confirm.evidence.link': 'Send evidence for {reference}',
  'confirm.equality.heading': 'Help us check our service is fair',
  'confirm.equality.text':
    'You can answer a few optional questions about yourself, such as your age and ethnic group. Your answers are kept separately from your {kind}: the people dealing with it will not see them.',
  'confirm.equality.link': 'Answer the optional equality questions',
  'confirm.check.before': 'You can',
  'confirm.check.link': 'check your {kind}',
  'confirm.check.after': 'at any time with your reference number and the email address you gave us.',
  'form.check.before': 'Already contacted us?',
  'form.check.link': 'Check your complaint',
  'form.check.after': 'with your reference number.',
  'form.privacy.before': 'Read',
  'form.privacy.link': 'how we use your information',
  'form.evidence.next':
    'You can send photos, letters or documents (up to 5 files) on the next page, once we have your feedback.',
  'kind.complaint': 'complaint',
  'kind.compliment': 'compliment',
  'kind.comment': 'comment',
  'kind.representation': 'concern about a council policy',
  'kind.social-care': 'social care complaint',

  'message.contact': 'Contact the complaints team at',
  'message.quote': 'and quote {reference}',
  'message.tryAgain': 'Try again',
  'link.notYet.heading': 'This link is not ready yet',
  'link.notYet.p1': 'We are still getting this page ready. Try the link again in a minute.',
  'link.notYet.p2': 'Nothing has been lost: the link in your email will work.',
  'link.unsent.heading': 'What you sent has not been recorded',
  'link.unsent.p1':
    'This link was for the task before the deadline was extended. Once the resident has been told the new date, we email you a new link for the task.',
  'link.unsent.p2':
    'Use the link in the newest email about this case and send your answer again. If that email has not come yet, it is on its way.',
  'link.replaced.heading': 'This task has a new link',
  'link.replaced.p1':
    'This link was for the task before the deadline was extended. Once the resident has been told the new date, we email you a new link for the task.',
  'link.replaced.p2':
    'Use the link in the newest email about this case. If that email has not come yet, it is on its way.',
  'link.409.heading': 'This task has already been done',
  'link.409.doneBy': ' by {who}',
  'link.409.doneAt': ' on {when}',
  'link.409.p1': 'Someone has already acted on this link. Each link can only be used once.',
  'link.409.done': 'This task was done{doneBy}{doneAt}. Each link can only be used once.',
  'link.409.p2':
    'You do not need to do anything else. If the case needs more from you, we will email you a new link.',
  'link.410.heading': 'This link has expired',
  'link.410.p1': 'Links in our emails only work for a limited time, to keep cases safe.',
  'link.410.p2':
    'Check your inbox for a newer email about this case: reminders carry a new link. If you cannot find one, ask the complaints team to send it again.',
  'link.403.heading': 'This link is not valid',
  'link.403.p1':
    'The link may have been copied wrongly or changed. Check you used the whole link from the email.',
  'link.403.p2': 'If it still does not work, ask the complaints team to send you a new link.',
  'error.heading': 'Sorry, there is a problem with the service',
  'error.p1': 'Try again later.',
  'error.p2': 'If you were sending feedback, it has not been sent. Your answers have not been saved.',
  'unavailable.resend': 'Your answers are kept on this page. Select ‘Try again’ to send them again.',
  'notFound.heading': 'Page not found',
  'notFound.p1': 'If you typed the web address, check it is correct.',
  'notFound.p2': 'If you pasted the web address, check you copied the entire address.',
  'problem.heading': 'There is a problem',
  'problem.other': 'Go back to the page you came from and try again.',
  'unavailable.other':
    'We cannot do this just now because one of our systems is not answering. Try again in a minute.',
  // The pages API Gateway answers with itself, when a request never reaches the function
  // (`infra/gateway-responses.ts`): a council in Wales gets them in Welsh and English on one page.
  'gateway.tooLarge':
    'What you sent is longer than this form can take ({kb} KB), so it was not accepted. Nothing has been saved. Go back, make the longest answer shorter and send it again.',
  'gateway.busy':
    'The service is busy just now, so what you sent was not accepted. Nothing has been saved. Wait a minute, then go back and send it again.',
  'gateway.firewall':
    'We have had a lot of requests from your network in a short time, so what you sent was not accepted. Nothing you sent in the last request was kept. Wait {minutes} minutes, then go back and try again.',
  'gateway.failed.p1': 'Try again in a minute.',
  'gateway.failed.p2':
    'If you were sending feedback, we may have received it: check your email for a message with its reference before you send it again.',
  'gateway.failed.p3':
    'If you were recording a decision, open the link in your email again: the page will say if your decision was recorded.',
  'gateway.refused': 'This request was not accepted, so nothing has been saved.',
  'gateway.reportDates':
    'Enter the start date (from) and the end date (to) of the report, each written YYYY-MM-DD, like 2025-04-01.',
  'gateway.next': 'What you can do now',
  'gateway.form': 'Go to the complaints and feedback form',
  'gateway.contact': 'If you need help, email the complaints team at',
  'gateway.phone': 'Or phone {phone}.',
  // "Check your complaint" (`/check…`), the resident's stage-2 request page and its done page.
  'check.title': 'Check your complaint',
  'check.intro':
    'See where your complaint or feedback is, the dates we have given you, the letters and emails we have sent you, and ask for a review when you can.',
  'check.howTo':
    'Enter your reference number and the email address you gave us. If they match, we will email you a link. The link works once, for {minutes} minutes. You do not need an account.',
  'check.reference.label': 'Reference number',
  'check.reference.hint': 'It is on your confirmation page and email, for example CMP-2026-000123',
  'check.email.label': 'Email address',
  'check.email.hint': 'The one you gave us when you contacted us',
  'check.send': 'Send me a link',
  'check.noEmail.heading': 'If you did not give us an email address',
  'check.noEmail.text':
    'Contact the complaints team and quote your reference number. We will tell you where your complaint is, and can post you copies of our letters.',
  'check.phone': 'Phone: {phone}',
  'check.emailLine': 'Email:',
  'check.writeTo': 'Or write to:',
  'check.privacy': 'How we use your information',
  'check.ended': 'Your session has ended. Ask for a new link to check your complaint again.',
  'check.signedOut': 'You have signed out. Ask for a new link to check your complaint again.',
  'check.notSent':
    'We have not sent a link: the page had been open too long, or did not come from this service. Check your answers and send the form again.',
  // A sender who has used up a limit (`limitMessage`): {from} is one of `limit.from.*`.
  'limit.feedback':
    'We have had a lot of feedback from {from} in a short time, so we cannot take more just now. You can send it from {when}. If it is urgent, phone us.',
  'limit.check':
    'We have had a lot of requests to check a complaint from {from}, so we cannot send another link just now. You can ask again from {when}.',
  'limit.from.email': 'this email address',
  'limit.from.client': 'this device or network',
  'check.sent.title': 'Check your email',
  'check.sent.p1':
    'If the reference number and email address you gave match a complaint or feedback we hold, we have sent a link to that address.',
  'check.sent.p2':
    'The link works once, for {minutes} minutes. It may take a few minutes to arrive: check your spam or junk folder too.',
  'check.sent.none': 'If no email arrives',
  'check.sent.again.before':
    'Check you used the reference number from your confirmation and the email address you gave us, then',
  'check.sent.again.link': 'ask again',
  'check.sent.contact': 'Or contact the complaints team and quote your reference number:',
  'check.signIn.p1': 'Continue to see your complaint. This link works once.',
  'check.signIn.p2':
    'For your privacy, you will be signed out after {minutes} minutes without using the page. Sign out when you finish if you share this device.',
  'check.continue': 'Continue',
  'check.problem.expired.heading': 'This link has expired',
  'check.problem.expired.p': 'Links to check a complaint work for {minutes} minutes.',
  'check.problem.used.heading': 'This link has already been used',
  'check.problem.used.p': 'Each link to check a complaint works once, so that nobody else can use it.',
  'check.problem.invalid.heading': 'This link is not valid',
  'check.problem.invalid.p':
    'The link may have been copied wrongly. Check you used the whole link from the email.',
  'check.problem.ended.heading': 'Your session has ended',
  'check.problem.ended.p':
    'To keep your complaint private, a session ends after {idle} minutes without use, and always after {absolute} minutes.',
  'check.problem.form.heading': 'This form has expired',
  'check.problem.form.p':
    'The page was open too long or did not come from this service. Nothing has been changed.',
  'check.problem.link': 'Ask for a new link to check your complaint',
  'status.title': 'Your {kind} {reference}',
  'status.caption': 'Your {kind}',
  'status.row.reference': 'Reference',
  'status.row.about': 'About',
  'status.row.status': 'Status',
  'status.row.stage': 'Stage',
  'status.row.received': 'Received',
  'status.row.acknowledged': 'Acknowledged',
  'status.row.due': 'Response due',
  'status.row.responded': 'Responded',
  'status.row.reviewAcknowledged': 'Review acknowledged',
  'status.row.reviewResponded': 'Review responded',
  'status.notYet': 'Not yet',
  'status.noDate': 'No date set',
  'status.stageOf': 'Stage {stage} of {stages}',
  'status.received': 'Received',
  'status.awaiting-acknowledgement': 'Received, not yet acknowledged',
  'status.investigating': 'Being looked into',
  'status.paused': 'On hold',
  'status.responded': 'We have responded',
  'status.stage-2-requested': 'You asked for a review',
  'status.awaiting-decision': 'Waiting for a decision',
  'status.redirected': 'Passed to the right place',
  'status.referred': 'Referred to another team',
  'status.closed': 'Closed',
  'status.letters.heading': 'Letters and emails we have sent you',
  'status.letters.caption': 'Sent to you, oldest first',
  'status.letters.sent': 'Sent',
  'status.letters.what': 'What',
  'status.letters.how': 'How',
  'status.letters.none': 'We have not sent you anything yet.',
  'status.letters.email': 'Email',
  'status.letters.letter': 'Letter',
  'status.evidence.heading': 'Evidence',
  'status.evidence.received': '{name}, received {date}',
  'status.evidence.none': 'You have not sent us any evidence, such as photos or letters, with this {kind}.',
  'status.review.heading': 'Ask us to look at your complaint again',
  'status.review.intro': 'If you are unhappy with our response, a more senior officer will review it.',
  'status.review.until': 'You can ask until',
  'status.review.grounds': 'Why are you asking for a review?',
  'status.review.response.label': 'Why you are unhappy with our response (optional)',
  'status.review.response.hint': 'Tell us what you think we got wrong, or what we missed',
  'status.review.button': 'Ask for a review',
  'status.review.asked.title': 'Success',
  'status.review.asked.heading': 'You have asked us to look at your complaint again',
  'status.review.asked.text':
    'A more senior officer will review it. We will email you to acknowledge your request.',
  'status.review.requested':
    'You have asked us to look at your complaint again. A more senior officer is reviewing it.',
  // A request for a review sent when one had just been recorded (the emailed link and this page at once).
  'status.review.before.title': 'Important',
  'status.review.before.heading': 'A review had already been asked for',
  'status.review.before.text':
    'Your complaint was already waiting for a review when you sent this: it had been asked for just before, from the link in our email or from this page. What that request said is kept, and a more senior officer will review it. What you have just written was not added to it.',
  'status.review.before.add':
    'To add it, contact us (below), quoting {reference}, and send us what you wrote:',
  'status.contact.heading': 'Contact us',
  'status.contact.phone': 'Quote {reference} and phone {phone}, or email',
  'status.contact.email': 'Quote {reference} and email',
  'status.signOut': 'Sign out',
  'letter.receipt': 'Confirmation that we received it',
  'letter.acknowledgement': 'Acknowledgement',
  'letter.stage-2-acknowledgement': 'Acknowledgement of your request for a review',
  'letter.response': 'Our response',
  'letter.final-response': 'Our final response',
  'letter.extension': 'We need more time',
  'letter.holding-letter': 'Update: our response will be late',
  'letter.pause': 'Your complaint is on hold',
  'letter.resume': 'Your complaint is no longer on hold',
  'letter.redirect': 'Where to go instead',
  'letter.not-a-complaint': 'How we are dealing with it',
  'letter.out-of-time': 'Made too late to consider',
  'letter.stage-2-refused': 'Your request for a review',
  'letter.stage-2-too-late': 'Your request for a review was too late',
  'letter.stage-2-resolved': 'Your request for a review',
  'review.title': 'Ask us to look at your complaint again',
  'review.intro':
    'If you are unhappy with our response, a more senior officer will review it. You can ask until the date in our response email.',
  'review.doBy': 'Do this by {date}.',
  'review.warning': 'Warning',
  'review.case': 'Your complaint',
  'review.row.reference': 'Reference',
  'review.row.type': 'Type',
  'review.row.service': 'Service',
  'review.row.received': 'Received',
  'review.row.from': 'From',
  'review.serviceNotGiven': 'Not given',
  'review.typeStage': 'Complaint, stage {stage}',
  'review.yourWords': 'What you told us',
  'review.yourOutcome': 'What you would like us to do',
  'review.ourResponse': 'Our stage 1 response',
  'review.question': 'Review',
  'review.grounds': 'Why are you asking for a review?',
  'review.grounds.required': 'Select why you are asking for a review',
  'review.response.label': 'Why you are unhappy with our response (optional)',
  'review.response.hint': 'Tell us what you think we got wrong, or what we missed',
  'review.submit': 'Ask for a review',
  'review.done.heading': 'Request received',
  'review.done.p1':
    'We have your request for a review. A senior officer will look at it and we will write to you.',
  'review.done.p2': 'Your reference is {reference}.',
  'review.done.p3': 'You can close this page.',
  // The optional equality monitoring questions (`equality-pages.ts`); the questions themselves are in `domain/equality.ts`.
  'equality.title': 'Help us check our service is fair to everyone',
  'equality.p1':
    '{council} wants everyone to be able to give feedback and complain. Your answers help us find out who is using this service and who is not.',
  'equality.p2': 'These questions are optional. Answer as many as you like, or none.',
  'equality.p3':
    'Your answers are kept separately from your {kind}. The people dealing with it cannot see them, and we only publish totals, never numbers small enough to identify anyone.',
  'equality.privacy.before': 'Read our',
  'equality.privacy.link': 'privacy notice',
  'equality.send': 'Send answers',
  'equality.skip': 'Skip these questions',
  'equality.thanks.heading': 'Thank you for your answers',
  'equality.thanks.p1':
    'We have kept them separately from your feedback. They will only ever be counted together with everyone else’s.',
  'equality.thanks.p2': 'You can close this page.',
  // The evidence page (`evidence-pages.ts`).
  'evidence.title': 'Send evidence for {reference}',
  'evidence.caption': 'Reference {reference}',
  'evidence.heading': 'Send evidence',
  'evidence.intro':
    'You can send photos, letters or documents that support what you told us: up to {max} files. Send one file at a time.',
  'evidence.table.caption': 'Files you have sent',
  'evidence.table.file': 'File',
  'evidence.table.what': 'What it is',
  'evidence.table.sent': 'Sent',
  'evidence.table.status': 'Status',
  'evidence.file': 'File {number}',
  'evidence.upload.label': 'Upload a file',
  'evidence.upload.hint': '{accepted}, up to 10 MB. You can send {left} more {files}.',
  'evidence.upload.file': 'file',
  'evidence.upload.files': 'files',
  'evidence.upload.button': 'Upload file',
  'evidence.upload.missing': 'Select a file to upload',
  'evidence.upload.sending': 'Uploading your file…',
  'evidence.upload.notReceived':
    'Your file was not received. Your complaint is safe, and so are any files you sent before. Please choose the file and try again. If that does not work, wait a few minutes and try again.',
  'evidence.upload.unreachable':
    'Your file was not received because our system for files is not working at the moment. Your complaint is safe, and so are any files you sent before. Please try again in a few minutes.',
  'evidence.upload.timedOut':
    'Your file was not sent: it was taking too long to reach us, so we stopped sending it. Your complaint is safe, and so are any files you sent before. Please try again. If it stops again, wait a few minutes and try again.',
  'evidence.upload.down':
    'You cannot send files at the moment because our system for files is not working. Your complaint is safe, and so are any files you sent before. Please try again in a few minutes: the link you used to open this page still works.',
  'evidence.upload.tryAgain': 'Try again',
  'evidence.full':
    'You have sent {max} files, the most we can take with one complaint. If you have more, tell the officer who handles your complaint.',
  'evidence.kept': 'We keep your files with your complaint for as long as we keep the complaint.',
  'evidence.finished': 'Finished – back to the start',
  'evidence.received.title': 'Success',
  'evidence.received': 'File {number} ({description}) has been uploaded.',
  'evidence.checking': 'We are checking it for viruses before anyone opens it.',
  'evidence.status.checking': 'Checking for viruses',
  'evidence.status.clean': 'Received',
  'evidence.status.rejected': 'Not accepted',
  'evidence.rejected.type': 'The file was not accepted: it is not a {accepted} file',
  'evidence.rejected.size': 'The file was not accepted: it is larger than 10 MB',
  'evidence.rejected.empty': 'The file was not accepted: it is empty',
  'evidence.rejected.limit': 'The file was not accepted: a complaint can have at most {max} files',
  'evidence.rejected.virus': 'The file was not accepted: our virus check found a threat in it',
  'evidence.rejected.scan-failed': 'The file was not accepted: our virus check could not read it',
  'evidence.rejected.replaced':
    'The file was not accepted: it was uploaded again after it had been checked. Send the new version as a new file',
} as const;

export type MessageKey = keyof typeof EN;

const CY: Record<MessageKey, string> = {
  'service.name': 'Cwynion ac adborth',
  'language.nav': 'Dewis iaith',
  'language.en': 'English',
  'language.cy': 'Cymraeg',
  'errors.title': 'Mae problem wedi codi',
  'errors.prefix': 'Gwall: ',
  'govuk.skipLink': 'Neidio i’r prif gynnwys',
  'govuk.serviceInformation': 'Gwybodaeth am y gwasanaeth',
  'govuk.errorHidden': 'Gwall',
  'govuk.warning': 'Rhybudd',
  'govuk.fileUpload.choose': 'Dewiswch ffeil',
  'govuk.fileUpload.noFile': 'Dim ffeil wedi’i dewis',
  'govuk.fileUpload.drop': 'neu ollwng ffeil',
  'govuk.fileUpload.enteredDropZone': 'Wedi mynd i mewn i’r parth gollwng',
  'govuk.fileUpload.leftDropZone': 'Wedi gadael y parth gollwng',

  'form.title': 'Rhoi adborth neu wneud cwyn',
  'form.heading': 'Rhoi adborth, gwneud cwyn neu roi canmoliaeth',
  'form.intro':
    'Dywedwch wrthym am un o wasanaethau {council}. Rydym yn darllen ac yn cofnodi popeth a anfonwch, hyd yn oed pan fydd rhaid i dîm arall ddelio ag ef.',
  'form.kind.legend': 'Beth hoffech chi ei wneud?',
  'form.kind.complaint': 'Gwneud cwyn',
  'form.kind.complaint.hint': 'Aeth rhywbeth o’i le, neu nid oedd gwasanaeth cystal ag y dylai fod',
  'form.kind.compliment': 'Rhoi canmoliaeth',
  'form.kind.compliment.hint': 'Dywedwch wrthym am rywbeth neu rywun a wnaeth yn dda',
  'form.kind.comment': 'Gwneud sylw neu awgrym',
  'form.kind.comment.hint': 'Syniad i wella gwasanaeth',
  'form.kind.representation': 'Codi pryder am un o bolisïau’r cyngor',
  'form.kind.representation.hint':
    'Rydych yn anghytuno â pholisi neu benderfyniad y cyngor ei hun, yn hytrach na’r ffordd y darparwyd gwasanaeth',
  'form.service.label': 'Am ba wasanaeth y mae?',
  'form.service.hint':
    'Os nad ydych yn siŵr, dewiswch ‘Nid wyf yn siŵr’ a byddwn yn ei anfon at y tîm cywir.',
  'form.service.notSure': 'Nid wyf yn siŵr',
  'form.service.handledBy': '(yn cael ei drin gan {to})',
  'form.redirects.summary': 'Gwasanaethau sydd â’u proses gwyno eu hunain',
  'form.redirects.intro':
    'Mae cwynion am y gwasanaethau hyn yn dilyn eu proses eu hunain. Gallwch eu hanfon yma o hyd, a byddwn yn eu hanfon ymlaen ac yn dweud wrthych ble yr aethant.',
  'form.summary.label': 'Dywedwch wrthym beth ddigwyddodd',
  'form.summary.hint':
    'Rhowch ddyddiadau, lleoedd ac enw unrhyw un y buoch yn delio ag ef, os ydych yn eu gwybod',
  'form.desiredOutcome.label': 'Beth hoffech chi i ni ei wneud i unioni pethau?',
  'form.desiredOutcome.hint': 'Os ydych yn gwneud cwyn. Gadewch hwn yn wag ar gyfer adborth arall',
  'form.happenedOn.legend': 'Pryd y digwyddodd, neu pryd y daethoch i wybod amdano?',
  'form.happenedOn.hint':
    'Os ydych yn gwneud cwyn. Er enghraifft, 27 3 2026. Fel arfer, dylid gwneud cwyn o fewn {months} mis',
  'form.date.day': 'Diwrnod',
  'form.date.month': 'Mis',
  'form.date.year': 'Blwyddyn',
  'form.details.heading': 'Eich manylion',
  'form.anonymous.legend': 'Ydych chi am aros yn ddienw?',
  'form.anonymous.hint':
    'Ni allwn ateb adborth dienw. Mae rheolwr yn penderfynu sut i ymchwilio i gŵyn ddienw.',
  'form.anonymous.item': 'Rwyf am aros yn ddienw',
  'form.name.label': 'Enw llawn',
  'form.email.label': 'Cyfeiriad e-bost',
  'form.email.hint':
    'Rhowch o leiaf un o’r rhain: e-bost, rhif ffôn neu gyfeiriad, er mwyn i ni allu ateb. Byddwn yn ysgrifennu atoch drwy e-bost os byddwch yn ei roi, oni bai eich bod yn gofyn am lythyrau drwy’r post isod',
  'form.phone.label': 'Rhif ffôn',
  'form.address.label': 'Cyfeiriad post',
  'form.contactBy.legend': 'Sut dylem anfon llythyrau atoch?',
  'form.contactBy.hint': 'Heb gyfeiriad e-bost, byddwn yn anfon llythyrau drwy’r post',
  'form.contactBy.email': 'Drwy e-bost',
  'form.contactBy.post': 'Drwy’r post',
  'form.contactBy.post.hint': 'Rhowch eich cyfeiriad post uchod',
  'form.onBehalfOf.name.label': 'Enw llawn y person',
  'form.onBehalfOf.relationship.label': 'Eich perthynas â’r person',
  'form.onBehalfOf.relationship.hint': 'Er enghraifft, rhiant, gofalwr, cynghorydd neu eiriolwr',
  'form.onBehalfOf.consent.legend': 'Cytundeb y person',
  'form.onBehalfOf.consent.hint':
    'Mae arnom angen cytundeb y person i rannu gwybodaeth gyda chi, oni bai na all ei roi (er enghraifft, plentyn neu rywun nad oes ganddo’r galluedd)',
  'form.onBehalfOf.consent.item': 'Mae’r person wedi cytuno i mi wneud y gŵyn hon ar ei ran',
  'form.onBehalf.legend': 'Ydych chi’n gwneud y gŵyn hon ar ran rhywun arall?',
  'form.yes': 'Ydw',
  'form.no': 'Nac ydw',
  'form.contact.heading': 'Sut rydym yn cysylltu â chi',
  'form.accessibility.label': 'Oes angen i ni gysylltu â chi mewn ffordd neu fformat penodol? (dewisol)',
  'form.accessibility.hint':
    'Er enghraifft, print bras, sain, fersiwn hawdd ei ddeall, cyfieithydd (dywedwch pa iaith), neu alwad ffôn yn lle llythyr',
  'form.send': 'Anfon',
  'form.notSent':
    'Nid yw eich adborth wedi’i anfon: roedd y dudalen ar agor yn rhy hir, neu ni ddaeth o’r gwasanaeth hwn. Mae eich atebion isod. Gwiriwch nhw ac anfonwch y ffurflen eto.',
  'form.alreadySent':
    'Rydych eisoes wedi anfon adborth o’r dudalen hon (cyfeirnod {reference}), felly nid yw hyn wedi’i anfon. Os yw hwn yn adborth gwahanol, neu os ydych wedi ychwanegu ato, gwiriwch eich atebion a’i anfon: bydd yn cael ei gyfeirnod ei hun.',
  'form.notSentElsewhere':
    'Nid yw eich adborth wedi’i anfon: daeth o wefan arall, nid o’r ffurflen hon. Os ydych am roi adborth, llenwch y ffurflen isod a’i hanfon.',
  'charcount.under': 'Mae gennych %{count} nod ar ôl',
  'charcount.over': 'Mae gennych %{count} nod yn ormod',
  'charcount.at': 'Mae gennych 0 nod ar ôl',
  'charcount.description': 'Gallwch roi hyd at %{count} nod',

  'confirm.panel.complaint': 'Cwyn wedi dod i law',
  'confirm.panel.social-care': 'Cwyn wedi dod i law',
  'confirm.panel.compliment': 'Canmoliaeth wedi dod i law',
  'confirm.panel.comment': 'Sylw wedi dod i law',
  'confirm.panel.representation': 'Pryder wedi dod i law',
  'confirm.panel.recorded': 'Adborth wedi’i gofnodi',
  'confirm.panel.received': 'Adborth wedi dod i law',
  'confirm.reference': 'Eich cyfeirnod',
  'confirm.redirect.heading': 'Ble i fynd yn lle hynny',
  'confirm.redirect.text':
    'Rydym wedi cofnodi eich {kind}, ond nid yw’n rhywbeth y gall ein proses gwyno ddelio ag ef.',
  'confirm.passed': 'Rydym wedi anfon eich neges at {team}.',
  'confirm.passed.email': 'Gallwch anfon e-bost atynt yn {mailbox}.',
  'confirm.sent': 'Os rhoesoch gyfeiriad e-bost i ni, rydym wedi anfon cadarnhad atoch gyda’ch cyfeirnod.',
  'confirm.next': 'Beth sy’n digwydd nesaf',
  'confirm.deadline.acknowledgeBy': 'Byddwn yn ei chydnabod erbyn',
  'confirm.deadline.respondBy': 'Ein nod yw rhoi ymateb llawn i chi erbyn',
  'confirm.deadline.replyBy': 'Ein nod yw ateb erbyn',
  'confirm.deadline.feedbackBy': 'Byddwn yn dweud wrthych sut y cafodd ei ystyried erbyn',
  'confirm.after.complaint':
    'Os nad ydych yn fodlon â’n hymateb, gallwch ofyn i ni edrych ar eich cwyn eto. Byddwn yn dweud wrthych sut pan fyddwn yn ateb.',
  'confirm.after.social-care':
    'Byddwn yn cysylltu â chi i ddeall eich cwyn ac i gytuno â chi sut a phryd y byddwn yn ymateb.',
  'confirm.after.compliment':
    'Byddwn yn rhannu eich canmoliaeth â’r gwasanaeth ac ag unrhyw un a enwyd gennych.',
  'confirm.after.comment': 'Rydym yn darllen pob sylw ac yn eu defnyddio i wella ein gwasanaethau.',
  'confirm.after.representation':
    'Byddwn yn rhannu eich pryder â’r bobl sy’n gwneud y polisi hwn ac yn dweud wrthych sut y cafodd ei ystyried.',
  'confirm.quote.before': 'Nodwch eich cyfeirnod',
  'confirm.quote.after': 'os byddwch yn cysylltu â ni am hyn.',
  'confirm.more': 'Anfon rhagor o adborth',
  'confirm.evidence.heading': 'Anfon tystiolaeth',
  'confirm.evidence.text':
    'Gallwch anfon lluniau, llythyrau neu ddogfennau sy’n cefnogi’r hyn a ddywedoch wrthym (hyd at 5 ffeil, 10 MB yr un).',
  'confirm.evidence.link': 'Anfon tystiolaeth ar gyfer {reference}',
  'confirm.equality.heading': 'Helpwch ni i wirio bod ein gwasanaeth yn deg',
  'confirm.equality.text':
    'Gallwch ateb ychydig o gwestiynau dewisol amdanoch chi’ch hun, fel eich oedran a’ch grŵp ethnig. Caiff eich atebion eu cadw ar wahân i’ch {kind}: ni fydd y bobl sy’n delio â hyn yn eu gweld.',
  'confirm.equality.link': 'Ateb y cwestiynau cydraddoldeb dewisol',
  'confirm.check.before': 'Gallwch',
  'confirm.check.link': 'wirio eich {kind}',
  'confirm.check.after': 'ar unrhyw adeg gyda’ch cyfeirnod a’r cyfeiriad e-bost a roesoch i ni.',
  'form.check.before': 'Wedi cysylltu â ni eisoes?',
  'form.check.link': 'Gwirio eich cwyn',
  'form.check.after': 'gyda’ch cyfeirnod.',
  'form.privacy.before': 'Darllenwch',
  'form.privacy.link': 'sut rydym yn defnyddio eich gwybodaeth',
  'form.evidence.next':
    'Gallwch anfon lluniau, llythyrau neu ddogfennau (hyd at 5 ffeil) ar y dudalen nesaf, unwaith y bydd eich adborth wedi dod i law.',
  'kind.complaint': 'cwyn',
  'kind.compliment': 'canmoliaeth',
  'kind.comment': 'sylw',
  'kind.representation': 'pryder am un o bolisïau’r cyngor',
  'kind.social-care': 'cwyn am ofal cymdeithasol',

  'message.contact': 'Cysylltwch â’r tîm cwynion yn',
  'message.quote': 'a nodwch {reference}',
  'message.tryAgain': 'Rhowch gynnig arall arni',
  'link.notYet.heading': 'Nid yw’r ddolen hon yn barod eto',
  'link.notYet.p1': 'Rydym yn dal i baratoi’r dudalen hon. Rhowch gynnig ar y ddolen eto ymhen munud.',
  'link.notYet.p2': 'Nid oes dim wedi’i golli: bydd y ddolen yn eich e-bost yn gweithio.',
  'link.unsent.heading': 'Nid yw’r hyn a anfonoch wedi’i gofnodi',
  'link.unsent.p1':
    'Roedd y ddolen hon ar gyfer y dasg cyn i’r dyddiad cau gael ei estyn. Unwaith y bydd y preswylydd wedi cael gwybod y dyddiad newydd, byddwn yn anfon dolen newydd atoch ar gyfer y dasg.',
  'link.unsent.p2':
    'Defnyddiwch y ddolen yn yr e-bost diweddaraf am yr achos hwn ac anfonwch eich ateb eto. Os nad yw’r e-bost hwnnw wedi dod eto, mae ar ei ffordd.',
  'link.replaced.heading': 'Mae gan y dasg hon ddolen newydd',
  'link.replaced.p1':
    'Roedd y ddolen hon ar gyfer y dasg cyn i’r dyddiad cau gael ei estyn. Unwaith y bydd y preswylydd wedi cael gwybod y dyddiad newydd, byddwn yn anfon dolen newydd atoch ar gyfer y dasg.',
  'link.replaced.p2':
    'Defnyddiwch y ddolen yn yr e-bost diweddaraf am yr achos hwn. Os nad yw’r e-bost hwnnw wedi dod eto, mae ar ei ffordd.',
  'link.409.heading': 'Mae’r dasg hon eisoes wedi’i gwneud',
  'link.409.doneBy': ' gan {who}',
  'link.409.doneAt': ' ar {when}',
  'link.409.p1':
    'Mae rhywun eisoes wedi gweithredu ar y ddolen hon. Dim ond unwaith y gellir defnyddio pob dolen.',
  'link.409.done':
    'Cafodd y dasg hon ei gwneud{doneBy}{doneAt}. Dim ond unwaith y gellir defnyddio pob dolen.',
  'link.409.p2':
    'Nid oes angen i chi wneud dim byd arall. Os oes angen rhagor gennych ar gyfer yr achos, byddwn yn anfon dolen newydd atoch drwy e-bost.',
  'link.410.heading': 'Mae’r ddolen hon wedi dod i ben',
  'link.410.p1':
    'Dim ond am gyfnod cyfyngedig y mae’r dolenni yn ein negeseuon e-bost yn gweithio, er mwyn cadw achosion yn ddiogel.',
  'link.410.p2':
    'Chwiliwch yn eich mewnflwch am e-bost mwy diweddar am yr achos hwn: mae negeseuon atgoffa yn cynnwys dolen newydd. Os na allwch ddod o hyd i un, gofynnwch i’r tîm cwynion ei hanfon eto.',
  'link.403.heading': 'Nid yw’r ddolen hon yn ddilys',
  'link.403.p1':
    'Efallai fod y ddolen wedi’i chopïo’n anghywir neu wedi’i newid. Gwiriwch eich bod wedi defnyddio’r ddolen gyfan o’r e-bost.',
  'link.403.p2': 'Os nad yw’n gweithio o hyd, gofynnwch i’r tîm cwynion anfon dolen newydd atoch.',
  'error.heading': 'Mae’n ddrwg gennym, mae problem gyda’r gwasanaeth',
  'error.p1': 'Rhowch gynnig arall arni yn nes ymlaen.',
  'error.p2': 'Os oeddech yn anfon adborth, nid yw wedi’i anfon. Nid yw eich atebion wedi’u cadw.',
  'unavailable.resend':
    'Mae eich atebion wedi’u cadw ar y dudalen hon. Dewiswch ‘Rhowch gynnig arall arni’ i’w hanfon eto.',
  'notFound.heading': 'Heb ddod o hyd i’r dudalen',
  'notFound.p1': 'Os teipioch y cyfeiriad gwe, gwiriwch ei fod yn gywir.',
  'notFound.p2': 'Os gludoch y cyfeiriad gwe, gwiriwch eich bod wedi copïo’r cyfeiriad cyfan.',
  'problem.heading': 'Mae problem wedi codi',
  'problem.other': 'Ewch yn ôl i’r dudalen y daethoch ohoni a rhowch gynnig arall arni.',
  'unavailable.other':
    'Ni allwn wneud hyn ar hyn o bryd oherwydd nad yw un o’n systemau yn ateb. Rhowch gynnig arall arni ymhen munud.',

  // DRAFT WELSH, as the rest: the pages API Gateway answers with itself.
  'gateway.tooLarge':
    'Mae’r hyn a anfonoch yn hirach nag y gall y ffurflen hon ei gymryd ({kb} KB), felly ni chafodd ei dderbyn. Nid oes dim wedi’i gadw. Ewch yn ôl, gwnewch yr ateb hiraf yn fyrrach a’i anfon eto.',
  'gateway.busy':
    'Mae’r gwasanaeth yn brysur ar hyn o bryd, felly ni chafodd yr hyn a anfonoch ei dderbyn. Nid oes dim wedi’i gadw. Arhoswch funud, yna ewch yn ôl a’i anfon eto.',
  'gateway.firewall':
    'Rydym wedi cael llawer o geisiadau o’ch rhwydwaith mewn amser byr, felly ni chafodd yr hyn a anfonoch ei dderbyn. Nid oes dim o’r hyn a anfonoch yn y cais diwethaf wedi’i gadw. Arhoswch {minutes} munud, yna ewch yn ôl a rhowch gynnig arall arni.',
  'gateway.failed.p1': 'Rhowch gynnig arall arni ymhen munud.',
  'gateway.failed.p2':
    'Os oeddech yn anfon adborth, efallai ein bod wedi’i gael: chwiliwch yn eich e-bost am neges gyda’i gyfeirnod cyn ei anfon eto.',
  'gateway.failed.p3':
    'Os oeddech yn cofnodi penderfyniad, agorwch y ddolen yn eich e-bost eto: bydd y dudalen yn dweud a gafodd eich penderfyniad ei gofnodi.',
  'gateway.refused': 'Ni chafodd y cais hwn ei dderbyn, felly nid oes dim wedi’i gadw.',
  'gateway.reportDates':
    'Rhowch ddyddiad dechrau (from) a dyddiad gorffen (to) yr adroddiad, pob un wedi’i ysgrifennu YYYY-MM-DD (blwyddyn-mis-diwrnod), fel 2025-04-01.',
  'gateway.next': 'Beth allwch chi ei wneud nawr',
  'gateway.form': 'Mynd i’r ffurflen cwynion ac adborth',
  'gateway.contact': 'Os oes angen help arnoch, anfonwch e-bost at y tîm cwynion yn',
  'gateway.phone': 'Neu ffoniwch {phone}.',

  'check.title': 'Gwirio eich cwyn',
  'check.intro':
    'Gwelwch ble mae eich cwyn neu eich adborth, y dyddiadau a roesom i chi, y llythyrau a’r negeseuon e-bost a anfonwyd atoch, a gofynnwch am adolygiad pan allwch.',
  'check.howTo':
    'Rhowch eich cyfeirnod a’r cyfeiriad e-bost a roesoch i ni. Os ydynt yn cyfateb, byddwn yn anfon dolen atoch drwy e-bost. Mae’r ddolen yn gweithio unwaith, am {minutes} munud. Nid oes angen cyfrif arnoch.',
  'check.reference.label': 'Cyfeirnod',
  'check.reference.hint': 'Mae ar eich tudalen gadarnhau a’ch e-bost, er enghraifft CMP-2026-000123',
  'check.email.label': 'Cyfeiriad e-bost',
  'check.email.hint': 'Yr un a roesoch i ni pan wnaethoch gysylltu â ni',
  'check.send': 'Anfon dolen ataf',
  'check.noEmail.heading': 'Os na roesoch gyfeiriad e-bost i ni',
  'check.noEmail.text':
    'Cysylltwch â’r tîm cwynion a nodwch eich cyfeirnod. Byddwn yn dweud wrthych ble mae eich cwyn, a gallwn anfon copïau o’n llythyrau atoch drwy’r post.',
  'check.phone': 'Ffôn: {phone}',
  'check.emailLine': 'E-bost:',
  'check.writeTo': 'Neu ysgrifennwch at:',
  'check.privacy': 'Sut rydym yn defnyddio eich gwybodaeth',
  'check.ended': 'Mae eich sesiwn wedi dod i ben. Gofynnwch am ddolen newydd i wirio eich cwyn eto.',
  'check.signedOut': 'Rydych wedi allgofnodi. Gofynnwch am ddolen newydd i wirio eich cwyn eto.',
  'check.notSent':
    'Nid ydym wedi anfon dolen: roedd y dudalen ar agor yn rhy hir, neu ni ddaeth o’r gwasanaeth hwn. Gwiriwch eich atebion ac anfonwch y ffurflen eto.',
  // "o’r" comes before {from}: the Welsh of `limit.from.*` has no article and is mutated after it.
  'limit.feedback':
    'Rydym wedi cael llawer o adborth o’r {from} mewn amser byr, felly ni allwn dderbyn rhagor ar hyn o bryd. Gallwch ei anfon o {when} ymlaen. Os yw’n fater brys, ffoniwch ni.',
  'limit.check':
    'Rydym wedi cael llawer o geisiadau i wirio cwyn o’r {from}, felly ni allwn anfon dolen arall ar hyn o bryd. Gallwch ofyn eto o {when} ymlaen.',
  'limit.from.email': 'cyfeiriad e-bost hwn',
  'limit.from.client': 'ddyfais neu’r rhwydwaith hwn',
  'check.sent.title': 'Gwiriwch eich e-bost',
  'check.sent.p1':
    'Os yw’r cyfeirnod a’r cyfeiriad e-bost a roesoch yn cyfateb i gŵyn neu adborth sydd gennym, rydym wedi anfon dolen i’r cyfeiriad hwnnw.',
  'check.sent.p2':
    'Mae’r ddolen yn gweithio unwaith, am {minutes} munud. Gall gymryd ychydig funudau i gyrraedd: edrychwch yn eich ffolder sbam neu sothach hefyd.',
  'check.sent.none': 'Os na fydd e-bost yn cyrraedd',
  'check.sent.again.before':
    'Gwiriwch eich bod wedi defnyddio’r cyfeirnod o’ch cadarnhad a’r cyfeiriad e-bost a roesoch i ni, yna',
  'check.sent.again.link': 'gofynnwch eto',
  'check.sent.contact': 'Neu cysylltwch â’r tîm cwynion a nodwch eich cyfeirnod:',
  'check.signIn.p1': 'Ewch ymlaen i weld eich cwyn. Mae’r ddolen hon yn gweithio unwaith.',
  'check.signIn.p2':
    'Er mwyn eich preifatrwydd, byddwch yn cael eich allgofnodi ar ôl {minutes} munud heb ddefnyddio’r dudalen. Allgofnodwch pan fyddwch wedi gorffen os ydych yn rhannu’r ddyfais hon.',
  'check.continue': 'Parhau',
  'check.problem.expired.heading': 'Mae’r ddolen hon wedi dod i ben',
  'check.problem.expired.p': 'Mae dolenni i wirio cwyn yn gweithio am {minutes} munud.',
  'check.problem.used.heading': 'Mae’r ddolen hon eisoes wedi’i defnyddio',
  'check.problem.used.p':
    'Mae pob dolen i wirio cwyn yn gweithio unwaith, fel na all neb arall ei defnyddio.',
  'check.problem.invalid.heading': 'Nid yw’r ddolen hon yn ddilys',
  'check.problem.invalid.p':
    'Efallai fod y ddolen wedi’i chopïo’n anghywir. Gwiriwch eich bod wedi defnyddio’r ddolen gyfan o’r e-bost.',
  'check.problem.ended.heading': 'Mae eich sesiwn wedi dod i ben',
  'check.problem.ended.p':
    'Er mwyn cadw eich cwyn yn breifat, mae sesiwn yn dod i ben ar ôl {idle} munud heb ei defnyddio, a bob amser ar ôl {absolute} munud.',
  'check.problem.form.heading': 'Mae’r ffurflen hon wedi dod i ben',
  'check.problem.form.p':
    'Roedd y dudalen ar agor yn rhy hir neu ni ddaeth o’r gwasanaeth hwn. Nid oes dim wedi newid.',
  'check.problem.link': 'Gofyn am ddolen newydd i wirio eich cwyn',
  'status.title': 'Eich {kind} {reference}',
  'status.caption': 'Eich {kind}',
  'status.row.reference': 'Cyfeirnod',
  'status.row.about': 'Am',
  'status.row.status': 'Statws',
  'status.row.stage': 'Cam',
  'status.row.received': 'Wedi dod i law',
  'status.row.acknowledged': 'Wedi’i chydnabod',
  'status.row.due': 'Disgwylir ymateb erbyn',
  'status.row.responded': 'Wedi ymateb',
  'status.row.reviewAcknowledged': 'Adolygiad wedi’i gydnabod',
  'status.row.reviewResponded': 'Wedi ymateb i’r adolygiad',
  'status.notYet': 'Ddim eto',
  'status.noDate': 'Dim dyddiad wedi’i bennu',
  'status.stageOf': 'Cam {stage} o {stages}',
  'status.received': 'Wedi dod i law',
  'status.awaiting-acknowledgement': 'Wedi dod i law, heb ei chydnabod eto',
  'status.investigating': 'Yn cael ei hystyried',
  'status.paused': 'Wedi’i gohirio',
  'status.responded': 'Rydym wedi ymateb',
  'status.stage-2-requested': 'Rydych wedi gofyn am adolygiad',
  'status.awaiting-decision': 'Yn aros am benderfyniad',
  'status.redirected': 'Wedi’i hanfon i’r lle cywir',
  'status.referred': 'Wedi’i chyfeirio at dîm arall',
  'status.closed': 'Wedi’i chau',
  'status.letters.heading': 'Llythyrau a negeseuon e-bost rydym wedi’u hanfon atoch',
  'status.letters.caption': 'Wedi’u hanfon atoch, yr hynaf yn gyntaf',
  'status.letters.sent': 'Anfonwyd',
  'status.letters.what': 'Beth',
  'status.letters.how': 'Sut',
  'status.letters.none': 'Nid ydym wedi anfon dim atoch eto.',
  'status.letters.email': 'E-bost',
  'status.letters.letter': 'Llythyr',
  'status.evidence.heading': 'Tystiolaeth',
  'status.evidence.received': '{name}, wedi dod i law {date}',
  'status.evidence.none':
    'Nid ydych wedi anfon unrhyw dystiolaeth atom, fel lluniau neu lythyrau, gyda’r {kind} hon.',
  'status.review.heading': 'Gofyn i ni edrych ar eich cwyn eto',
  'status.review.intro': 'Os nad ydych yn fodlon â’n hymateb, bydd uwch swyddog yn ei adolygu.',
  'status.review.until': 'Gallwch ofyn tan',
  'status.review.grounds': 'Pam rydych yn gofyn am adolygiad?',
  'status.review.response.label': 'Pam nad ydych yn fodlon â’n hymateb (dewisol)',
  'status.review.response.hint':
    'Dywedwch wrthym beth rydych yn credu a gawsom yn anghywir, neu beth a fethwyd gennym',
  'status.review.button': 'Gofyn am adolygiad',
  'status.review.asked.title': 'Llwyddiant',
  'status.review.asked.heading': 'Rydych wedi gofyn i ni edrych ar eich cwyn eto',
  'status.review.asked.text':
    'Bydd uwch swyddog yn ei hadolygu. Byddwn yn anfon e-bost atoch i gydnabod eich cais.',
  'status.review.requested':
    'Rydych wedi gofyn i ni edrych ar eich cwyn eto. Mae uwch swyddog yn ei hadolygu.',
  // DRAFT WELSH, as the rest, for the translation service's review.
  'status.review.before.title': 'Pwysig',
  'status.review.before.heading': 'Roedd adolygiad wedi’i ofyn amdano eisoes',
  'status.review.before.text':
    'Roedd eich cwyn eisoes yn aros am adolygiad pan anfonoch hwn: roedd wedi’i ofyn amdano ychydig cyn hynny, o’r ddolen yn ein e-bost neu o’r dudalen hon. Mae’r hyn a ddywedodd y cais hwnnw wedi’i gadw, a bydd uwch swyddog yn ei adolygu. Nid yw’r hyn rydych newydd ei ysgrifennu wedi’i ychwanegu ato.',
  'status.review.before.add':
    'I’w ychwanegu, cysylltwch â ni (isod), gan nodi {reference}, ac anfonwch yr hyn a ysgrifennoch atom:',
  'status.contact.heading': 'Cysylltu â ni',
  'status.contact.phone': 'Nodwch {reference} a ffoniwch {phone}, neu anfonwch e-bost at',
  'status.contact.email': 'Nodwch {reference} ac anfonwch e-bost at',
  'status.signOut': 'Allgofnodi',
  'letter.receipt': 'Cadarnhad ei bod wedi dod i law',
  'letter.acknowledgement': 'Cydnabyddiaeth',
  'letter.stage-2-acknowledgement': 'Cydnabod eich cais am adolygiad',
  'letter.response': 'Ein hymateb',
  'letter.final-response': 'Ein hymateb terfynol',
  'letter.extension': 'Mae angen rhagor o amser arnom',
  'letter.holding-letter': 'Diweddariad: bydd ein hymateb yn hwyr',
  'letter.pause': 'Mae eich cwyn wedi’i gohirio',
  'letter.resume': 'Nid yw eich cwyn wedi’i gohirio mwyach',
  'letter.redirect': 'Ble i fynd yn lle hynny',
  'letter.not-a-complaint': 'Sut rydym yn delio â hyn',
  'letter.out-of-time': 'Wedi’i gwneud yn rhy hwyr i’w hystyried',
  'letter.stage-2-refused': 'Eich cais am adolygiad',
  'letter.stage-2-too-late': 'Roedd eich cais am adolygiad yn rhy hwyr',
  'letter.stage-2-resolved': 'Eich cais am adolygiad',
  'review.title': 'Gofyn i ni edrych ar eich cwyn eto',
  'review.intro':
    'Os nad ydych yn fodlon â’n hymateb, bydd uwch swyddog yn ei adolygu. Gallwch ofyn tan y dyddiad yn ein e-bost ymateb.',
  'review.doBy': 'Gwnewch hyn erbyn {date}.',
  'review.warning': 'Rhybudd',
  'review.case': 'Eich cwyn',
  'review.row.reference': 'Cyfeirnod',
  'review.row.type': 'Math',
  'review.row.service': 'Gwasanaeth',
  'review.row.received': 'Wedi dod i law',
  'review.row.from': 'Gan',
  'review.serviceNotGiven': 'Heb ei nodi',
  'review.typeStage': 'Cwyn, cam {stage}',
  'review.yourWords': 'Yr hyn a ddywedoch wrthym',
  'review.yourOutcome': 'Beth hoffech chi i ni ei wneud',
  'review.ourResponse': 'Ein hymateb cam 1',
  'review.question': 'Adolygiad',
  'review.grounds': 'Pam rydych yn gofyn am adolygiad?',
  'review.grounds.required': 'Dewiswch pam rydych yn gofyn am adolygiad',
  'review.response.label': 'Pam nad ydych yn fodlon â’n hymateb (dewisol)',
  'review.response.hint':
    'Dywedwch wrthym beth rydych yn credu a gawsom yn anghywir, neu beth a fethwyd gennym',
  'review.submit': 'Gofyn am adolygiad',
  'review.done.heading': 'Cais wedi dod i law',
  'review.done.p1':
    'Mae eich cais am adolygiad wedi dod i law. Bydd uwch swyddog yn edrych arno a byddwn yn ysgrifennu atoch.',
  'review.done.p2': 'Eich cyfeirnod yw {reference}.',
  'review.done.p3': 'Gallwch gau’r dudalen hon.',
  'equality.title': 'Helpwch ni i wirio bod ein gwasanaeth yn deg i bawb',
  'equality.p1':
    'Mae {council} am i bawb allu rhoi adborth a gwneud cwyn. Mae eich atebion yn ein helpu i weld pwy sy’n defnyddio’r gwasanaeth hwn a phwy sydd ddim.',
  'equality.p2': 'Mae’r cwestiynau hyn yn ddewisol. Atebwch gynifer ag y dymunwch, neu ddim un.',
  'equality.p3':
    'Rydym yn cadw eich atebion ar wahân i’ch {kind}: ni all y bobl sy’n delio â’r achos eu gweld, a dim ond cyfansymiau a gyhoeddwn, byth niferoedd sy’n ddigon bach i adnabod unrhyw un.',
  'equality.privacy.before': 'Darllenwch ein',
  'equality.privacy.link': 'hysbysiad preifatrwydd',
  'equality.send': 'Anfon yr atebion',
  'equality.skip': 'Hepgor y cwestiynau hyn',
  'equality.thanks.heading': 'Diolch am eich atebion',
  'equality.thanks.p1':
    'Rydym wedi eu cadw ar wahân i’ch adborth. Dim ond gydag atebion pawb arall y byddant yn cael eu cyfrif.',
  'equality.thanks.p2': 'Gallwch gau’r dudalen hon.',
  'evidence.title': 'Anfon tystiolaeth ar gyfer {reference}',
  'evidence.caption': 'Cyfeirnod {reference}',
  'evidence.heading': 'Anfon tystiolaeth',
  'evidence.intro':
    'Gallwch anfon lluniau, llythyrau neu ddogfennau sy’n cefnogi’r hyn a ddywedoch wrthym: hyd at {max} ffeil. Anfonwch un ffeil ar y tro.',
  'evidence.table.caption': 'Ffeiliau rydych wedi’u hanfon',
  'evidence.table.file': 'Ffeil',
  'evidence.table.what': 'Beth ydyw',
  'evidence.table.sent': 'Anfonwyd',
  'evidence.table.status': 'Statws',
  'evidence.file': 'Ffeil {number}',
  'evidence.upload.label': 'Llwytho ffeil',
  'evidence.upload.hint': '{accepted}, hyd at 10 MB. Gallwch anfon {left} {files} arall.',
  'evidence.upload.file': 'ffeil',
  'evidence.upload.files': 'ffeil',
  'evidence.upload.button': 'Llwytho’r ffeil',
  'evidence.upload.missing': 'Dewiswch ffeil i’w llwytho',
  'evidence.upload.sending': 'Wrthi’n llwytho eich ffeil…',
  'evidence.upload.notReceived':
    'Ni chafwyd eich ffeil. Mae eich cwyn yn ddiogel, ac felly hefyd unrhyw ffeiliau a anfonoch o’r blaen. Dewiswch y ffeil a rhowch gynnig arall arni. Os nad yw hynny’n gweithio, arhoswch ychydig funudau a rhowch gynnig arall arni.',
  'evidence.upload.unreachable':
    'Ni chafwyd eich ffeil am nad yw ein system ar gyfer ffeiliau yn gweithio ar hyn o bryd. Mae eich cwyn yn ddiogel, ac felly hefyd unrhyw ffeiliau a anfonoch o’r blaen. Rhowch gynnig arall arni ymhen ychydig funudau.',
  'evidence.upload.timedOut':
    'Ni anfonwyd eich ffeil: roedd yn cymryd gormod o amser i’n cyrraedd, felly fe wnaethom roi’r gorau i’w hanfon. Mae eich cwyn yn ddiogel, ac felly hefyd unrhyw ffeiliau a anfonoch o’r blaen. Rhowch gynnig arall arni. Os bydd yn stopio eto, arhoswch ychydig funudau a rhowch gynnig arall arni.',
  'evidence.upload.down':
    'Ni allwch anfon ffeiliau ar hyn o bryd am nad yw ein system ar gyfer ffeiliau yn gweithio. Mae eich cwyn yn ddiogel, ac felly hefyd unrhyw ffeiliau a anfonoch o’r blaen. Rhowch gynnig arall arni ymhen ychydig funudau: mae’r ddolen a ddefnyddioch i agor y dudalen hon yn dal i weithio.',
  'evidence.upload.tryAgain': 'Rhoi cynnig arall arni',
  'evidence.full':
    'Rydych wedi anfon {max} ffeil, y nifer mwyaf y gallwn ei gymryd gydag un gŵyn. Os oes gennych ragor, dywedwch wrth y swyddog sy’n delio â’ch cwyn.',
  'evidence.kept': 'Rydym yn cadw eich ffeiliau gyda’ch cwyn cyhyd ag y byddwn yn cadw’r gŵyn.',
  'evidence.finished': 'Wedi gorffen – yn ôl i’r dechrau',
  'evidence.received.title': 'Llwyddiant',
  'evidence.received': 'Mae ffeil {number} ({description}) wedi’i llwytho.',
  'evidence.checking': 'Rydym yn ei gwirio am feirysau cyn i neb ei hagor.',
  'evidence.status.checking': 'Yn gwirio am feirysau',
  'evidence.status.clean': 'Wedi dod i law',
  'evidence.status.rejected': 'Heb ei derbyn',
  'evidence.rejected.type': 'Ni dderbyniwyd y ffeil: nid yw’n ffeil {accepted}',
  'evidence.rejected.size': 'Ni dderbyniwyd y ffeil: mae’n fwy na 10 MB',
  'evidence.rejected.empty': 'Ni dderbyniwyd y ffeil: mae’n wag',
  'evidence.rejected.limit': 'Ni dderbyniwyd y ffeil: gall cwyn gael {max} ffeil ar y mwyaf',
  'evidence.rejected.virus': 'Ni dderbyniwyd y ffeil: daeth ein gwiriad feirysau o hyd i fygythiad ynddi',
  'evidence.rejected.scan-failed': 'Ni dderbyniwyd y ffeil: ni allai ein gwiriad feirysau ei darllen',
  'evidence.rejected.replaced':
    'Ni dderbyniwyd y ffeil: cafodd ei llwytho i fyny eto ar ôl iddi gael ei gwirio. Anfonwch y fersiwn newydd fel ffeil newydd',
};

/** Every page string, by language. */
export const CATALOGUE: { readonly en: Record<MessageKey, string>; readonly cy: Record<MessageKey, string> } =
  {
    en: EN,
    cy: CY,
  };

/** Looks a key up in one language and fills its `{placeholders}`. */
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(language: Language): Translate {
  const table = CATALOGUE[language];
  return (key, vars = {}) =>
    table[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      vars[name] === undefined ? whole : String(vars[name]),
    );
}

/**
 * The language a page is shown in: the one asked for (`?lang=cy`, the hidden field of a posted
 * form, the case's own) when the policy offers it, else the policy's first language.
 */
export function pageLanguage(policy: Pick<Policy, 'languages'> | undefined, requested?: unknown): Language {
  const offered = policy?.languages ?? ['en'];
  if (isLanguage(requested) && offered.includes(requested)) return requested;
  return offered[0] ?? 'en';
}

/**
 * What the layout needs for a page in `language`: `lang` on `<html>`, `t` for the views, and the
 * GOV.UK language toggle ("English" / "Cymraeg", each in its own language) when the policy offers
 * more than one language. `path` is the page's own address, without the base path.
 */
export function pageLanguageModel(
  policy: Pick<Policy, 'languages'> | undefined,
  language: Language,
  path?: string,
): {
  language: Language;
  htmlLang: string;
  t: Translate;
  serviceName: string;
  /** The character count's words for the page's views (`characterCountText`). */
  characterCount: ReturnType<typeof characterCountText>;
  languageToggle?: { language: Language; text: string; href: string; current: boolean }[];
} {
  const t = translator(language);
  const offered = policy?.languages ?? ['en'];
  return {
    language,
    htmlLang: languageTag(language),
    t,
    serviceName: t('service.name'),
    characterCount: characterCountText(language),
    ...(offered.length > 1 && path !== undefined
      ? {
          languageToggle: offered.map((l) => ({
            language: l,
            text: CATALOGUE[l][`language.${l}`],
            href: `${path}?lang=${l}`,
            current: l === language,
          })),
        }
      : {}),
  };
}

/** Plural forms of a message, by the categories of `Intl.PluralRules` (as GOV.UK Frontend's `i18n` takes them). */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>>;

/**
 * GOV.UK Frontend's character count words in `language`, as its macro's options: the hint the
 * server writes ("You can enter up to 5000 characters") and the messages its script writes as the
 * person types. English gets none (the component's own are English, with its plurals). A Welsh
 * noun after a numeral stays singular, so every Welsh plural form is the same.
 */
export function characterCountText(language: Language):
  | {
      textareaDescriptionText: string;
      charactersUnderLimitText: PluralForms;
      charactersAtLimitText: string;
      charactersOverLimitText: PluralForms;
    }
  | undefined {
  if (language === 'en') return undefined;
  const t = translator(language);
  const forms = (text: string): PluralForms =>
    Object.fromEntries(
      new Intl.PluralRules(language).resolvedOptions().pluralCategories.map((c) => [c, text]),
    );
  return {
    textareaDescriptionText: t('charcount.description'),
    charactersUnderLimitText: forms(t('charcount.under')),
    charactersAtLimitText: t('charcount.at'),
    charactersOverLimitText: forms(t('charcount.over')),
  };
}

/** `2026-06-05T13:30:00Z` → `5 Mehefin 2026 am 14:30` (Europe/London): a Welsh date and time for the pages. */
export function formatDateTimeCy(iso: string): string {
  const w = wallClock(iso);
  if (!w) return iso;
  const time = `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
  return `${writtenDate(w, 'cy', { weekday: false })} am ${time}`;
}

/** `2026-06-05T22:59:59Z` → `dydd Gwener 5 Mehefin 2026` (Europe/London), for the pages' dates in Welsh. */
export function formatDateCy(iso: string, options: { weekday?: boolean } = {}): string {
  const w = wallClock(iso);
  return w ? writtenDate(w, 'cy', options) : iso;
}

/** {@link formatReceived} in Welsh: the date alone when staff gave no time. */
export function formatReceivedCy(c: { receivedAt: string; receivedDateOnly?: boolean }): string {
  return c.receivedDateOnly ? formatDateCy(c.receivedAt, { weekday: false }) : formatDateTimeCy(c.receivedAt);
}

/**
 * The resident form's validation messages in Welsh, keyed by the English message the intake
 * validation gives (`intake-schema.ts`, `intake.ts`): the form shows the Welsh when there is one
 * and the English otherwise (messages with a length or a field name in them are not here yet).
 * DRAFT WELSH, for review with the rest.
 */
export const WELSH_FIELD_ERRORS: Readonly<Record<string, string>> = {
  'Enter your feedback': 'Rhowch eich adborth',
  'Enter your name, or choose to stay anonymous': 'Rhowch eich enw, neu dewiswch aros yn ddienw',
  'Enter an email address, phone number or postal address so we can reply to you':
    'Rhowch gyfeiriad e-bost, rhif ffôn neu gyfeiriad post er mwyn i ni allu eich ateb',
  'Enter an email address in the correct format, like name@example.com':
    'Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.com',
  'Enter a telephone number, like 01632 960 001 or +44 808 157 0192':
    'Rhowch rif ffôn, fel 01632 960 001 neu +44 808 157 0192',
  'Enter your postal address so we can post letters to you':
    'Rhowch eich cyfeiriad post er mwyn i ni allu anfon llythyrau atoch drwy’r post',
  'Enter your email address, or choose to get letters by post':
    'Rhowch eich cyfeiriad e-bost, neu dewiswch gael llythyrau drwy’r post',
  'Enter the name of the person you are complaining for': 'Rhowch enw’r person rydych yn cwyno ar ei ran',
  'Say whether you are making this for someone else': 'Dewiswch a ydych yn gwneud hyn ar ran rhywun arall',
  'Enter the date it happened as a day, month and year, like 27 3 2026':
    'Rhowch y dyddiad y digwyddodd fel diwrnod, mis a blwyddyn, fel 27 3 2026',
  'The date it happened must be a real date, like 27 3 2026':
    'Rhaid i’r dyddiad y digwyddodd fod yn ddyddiad go iawn, fel 27 3 2026',
  'The date it happened must be today or in the past':
    'Rhaid i’r dyddiad y digwyddodd fod heddiw neu yn y gorffennol',
  'Choose a service from the list': 'Dewiswch wasanaeth o’r rhestr',
  'Choose email or post': 'Dewiswch e-bost neu’r post',
  // "Check your complaint" (`resident-access.ts`) and the request for a review (`task-forms.ts`).
  'Enter your reference number': 'Rhowch eich cyfeirnod',
  'Enter your reference number as it is on your confirmation, like CMP-2026-000123':
    'Rhowch eich cyfeirnod fel y mae ar eich cadarnhad, fel CMP-2026-000123',
  'Enter the email address you gave us': 'Rhowch y cyfeiriad e-bost a roesoch i ni',
  'Select why you are asking for a review': 'Dewiswch pam rydych yn gofyn am adolygiad',
};

/**
 * The resident's text fields as the messages name them ("Your feedback must be 5000 characters
 * or fewer", `intake-schema.ts`, `task-form-schema.ts`), in Welsh: `after` follows "Rhaid" with
 * its "i" (mutated: "i’ch adborth"), `alone` stands by itself ("eich adborth"). DRAFT WELSH.
 */
const WELSH_FIELD_NAMES: Readonly<Record<string, { after: string; alone: string }>> = {
  Service: { after: 'i’r gwasanaeth', alone: 'y gwasanaeth' },
  'Your feedback': { after: 'i’ch adborth', alone: 'eich adborth' },
  'What you would like us to do': {
    after: 'i’r hyn yr hoffech i ni ei wneud',
    alone: 'yr hyn yr hoffech i ni ei wneud',
  },
  'Your name': { after: 'i’ch enw', alone: 'eich enw' },
  Address: { after: 'i’r cyfeiriad', alone: 'y cyfeiriad' },
  'Their name': { after: 'i enw’r person', alone: 'enw’r person' },
  'Your relationship to them': { after: 'i’ch perthynas â nhw', alone: 'eich perthynas â nhw' },
  'Why they cannot agree': {
    after: 'i’r rheswm pam na allant gytuno',
    alone: 'y rheswm pam na allant gytuno',
  },
  'Accessibility needs': { after: 'i’ch anghenion hygyrchedd', alone: 'eich anghenion hygyrchedd' },
  // The resident's request for a review (`task-forms.ts`), checked as the form's fields are.
  'Why you are unhappy with our response': {
    after: 'i’r rheswm pam nad ydych yn fodlon â’n hymateb',
    alone: 'y rheswm pam nad ydych yn fodlon â’n hymateb',
  },
};

/**
 * The intake's messages with a field's name (and a number) in them, as `intake-schema.ts` words
 * them for every text field, and their Welsh from the field's Welsh name. DRAFT WELSH.
 */
const WELSH_FIELD_ERROR_FORMS: readonly [
  RegExp,
  (field: { after: string; alone: string }, n: string) => string,
][] = [
  [/^(.+) must be (\d+) characters or fewer$/, (f, n) => `Rhaid ${f.after} fod yn ${n} o nodau neu lai`],
  [/^(.+) must be text$/, (f) => `Rhaid ${f.after} fod yn destun`],
  [
    /^(.+) must not include hidden control or text-direction characters: type it again rather than pasting it$/,
    (f) =>
      `Rhaid ${f.after} beidio â chynnwys nodau rheoli cudd na nodau cyfeiriad testun: teipiwch ef eto yn hytrach na’i gludo`,
  ],
  [
    /^(.+) looks empty: it has only invisible characters$/,
    (f) => `Mae’n ymddangos bod ${f.alone} yn wag: dim ond nodau anweledig sydd ynddo`,
  ],
];

/** A field's message in Welsh: from `WELSH_FIELD_ERRORS`, or a form with the field's name in it. */
function welshFieldError(message: string): string | undefined {
  const exact = WELSH_FIELD_ERRORS[message];
  if (exact) return exact;
  for (const [form, welsh] of WELSH_FIELD_ERROR_FORMS) {
    const m = form.exec(message);
    const field = m ? WELSH_FIELD_NAMES[m[1] as string] : undefined;
    if (m && field) return welsh(field, m[2] ?? '');
  }
  return undefined;
}

/** One message per field, in the page's language where the catalogue has it. */
export function translateFieldErrors(
  errors: Record<string, string> | undefined,
  language: Language,
): Record<string, string> | undefined {
  if (!errors || language !== 'cy') return errors;
  return Object.fromEntries(Object.entries(errors).map(([k, m]) => [k, welshFieldError(m) ?? m]));
}

/**
 * The messages of the service's errors that people see on an error page (`http/errors.ts`, the
 * form's anti-forgery check), in Welsh, keyed by their English: a Welsh page shows the Welsh, or
 * a Welsh message of its own kind when the table has none (`errorMessageIn`). DRAFT WELSH.
 */
export const WELSH_ERROR_MESSAGES: Readonly<Record<string, string>> = {
  'The form has expired. Go back to the form, refresh the page and send it again.':
    'Mae’r ffurflen wedi dod i ben. Ewch yn ôl i’r ffurflen, adnewyddwch y dudalen a’i hanfon eto.',
  'Your decision is saved, but the case could not move on just now. Use the same link again in a minute to finish: nothing will be done twice.':
    'Mae eich penderfyniad wedi’i gadw, ond nid oedd modd i’r achos symud ymlaen ar hyn o bryd. Defnyddiwch yr un ddolen eto ymhen munud i orffen: ni fydd dim yn cael ei wneud ddwywaith.',
  'We could not finish saving your complaint or feedback just now because one of our systems is not answering. It may have been saved. Try again in a minute: if it was saved, you will get its reference, and it will not be saved twice.':
    'Nid oeddem yn gallu gorffen cadw eich cwyn neu’ch adborth ar hyn o bryd oherwydd nad yw un o’n systemau yn ateb. Efallai ei bod wedi’i chadw. Rhowch gynnig arall arni ymhen munud: os cafodd ei chadw, byddwch yn cael ei chyfeirnod, ac ni fydd yn cael ei chadw ddwywaith.',
  'We could not finish saving your complaint or feedback just now because one of our systems is not answering. It may have been saved. It gave no email address for our replies, so no receipt will come by email to tell you: if you send it again, say in it that it may be a copy of one sent before, as it may then be saved twice. Next time, send each complaint with an Idempotency-Key header: sent again with the same key, it is never saved twice.':
    'Nid oeddem yn gallu gorffen cadw eich cwyn neu’ch adborth ar hyn o bryd oherwydd nad yw un o’n systemau yn ateb. Efallai ei bod wedi’i chadw. Nid oedd yn rhoi cyfeiriad e-bost ar gyfer ein hatebion, felly ni ddaw derbynneb drwy e-bost i ddweud wrthych: os byddwch yn ei hanfon eto, dywedwch ynddi y gallai fod yn gopi o un a anfonwyd o’r blaen, oherwydd efallai y caiff ei chadw ddwywaith wedyn. Y tro nesaf, anfonwch bob cwyn gyda phennawd Idempotency-Key: os caiff ei hanfon eto gyda’r un allwedd, ni chaiff byth ei chadw ddwywaith.',
  'We could not finish saving your complaint or feedback just now because one of our systems is not answering. It may have been saved. If it gave an email address and did not ask for letters by post, a receipt with its reference will be emailed to that address if it was saved: look for that receipt before you send it again, or it may be saved twice, and if none has come within an hour, send it again. Otherwise no receipt will be emailed: if you send it again, say in it that it may be a copy of one sent before, as it may then be saved twice. Next time, send each complaint with an Idempotency-Key header: sent again with the same key, it is never saved twice.':
    'Nid oeddem yn gallu gorffen cadw eich cwyn neu’ch adborth ar hyn o bryd oherwydd nad yw un o’n systemau yn ateb. Efallai ei bod wedi’i chadw. Os oedd yn rhoi cyfeiriad e-bost heb ofyn am lythyrau drwy’r post, bydd derbynneb gyda’i chyfeirnod yn cael ei hanfon drwy e-bost i’r cyfeiriad hwnnw os cafodd ei chadw: chwiliwch am y dderbynneb honno cyn ei hanfon eto, neu efallai y caiff ei chadw ddwywaith, ac os nad oes un wedi dod o fewn awr, anfonwch hi eto. Fel arall, ni fydd derbynneb yn cael ei hanfon drwy e-bost: os byddwch yn ei hanfon eto, dywedwch ynddi y gallai fod yn gopi o un a anfonwyd o’r blaen, oherwydd efallai y caiff ei chadw ddwywaith wedyn. Y tro nesaf, anfonwch bob cwyn gyda phennawd Idempotency-Key: os caiff ei hanfon eto gyda’r un allwedd, ni chaiff byth ei chadw ddwywaith.',
  'We could not finish saving your complaint or feedback just now because one of our systems is not answering. It may have been saved: if it was, a receipt with its reference will be emailed to the address given in it. Look for that receipt before you send it again, or it may be saved twice. If none has come within an hour, send it again. Next time, send each complaint with an Idempotency-Key header: sent again with the same key, it is never saved twice.':
    'Nid oeddem yn gallu gorffen cadw eich cwyn neu’ch adborth ar hyn o bryd oherwydd nad yw un o’n systemau yn ateb. Efallai ei bod wedi’i chadw: os felly, bydd derbynneb gyda’i chyfeirnod yn cael ei hanfon drwy e-bost i’r cyfeiriad a roddwyd ynddi. Chwiliwch am y dderbynneb honno cyn ei hanfon eto, neu efallai y caiff ei chadw ddwywaith. Os nad oes un wedi dod o fewn awr, anfonwch hi eto. Y tro nesaf, anfonwch bob cwyn gyda phennawd Idempotency-Key: os caiff ei hanfon eto gyda’r un allwedd, ni chaiff byth ei chadw ddwywaith.',
  'We could not finish recording your decision just now because one of our systems is not answering. It may have been recorded. Try again in a minute: if it was recorded, you will be told so, and nothing will be done twice.':
    'Nid oeddem yn gallu gorffen cofnodi eich penderfyniad ar hyn o bryd oherwydd nad yw un o’n systemau yn ateb. Efallai ei fod wedi’i gofnodi. Rhowch gynnig arall arni ymhen munud: os cafodd ei gofnodi, byddwch yn cael gwybod hynny, ac ni fydd dim yn cael ei wneud ddwywaith.',
  'We could not finish this just now because one of our systems is not answering. It may have been done: in a minute, check whether it was before you try again.':
    'Nid oeddem yn gallu gorffen hyn ar hyn o bryd oherwydd nad yw un o’n systemau yn ateb. Efallai ei fod wedi’i wneud: ymhen munud, gwiriwch a gafodd ei wneud cyn rhoi cynnig arall arni.',
  'We cannot show this page just now because one of our systems is not answering. Try again in a minute.':
    'Ni allwn ddangos y dudalen hon ar hyn o bryd oherwydd nad yw un o’n systemau yn ateb. Rhowch gynnig arall arni ymhen munud.',
};

/**
 * An error's message in the page's language: itself in English; in Welsh its Welsh from
 * `WELSH_ERROR_MESSAGES`, else `fallback` (a general Welsh message), never the English.
 */
export function errorMessageIn(message: string, language: Language, fallback: MessageKey): string {
  if (language === 'en') return message;
  return WELSH_ERROR_MESSAGES[message] ?? translator(language)(fallback);
}

/**
 * An error's message in `language` where `WELSH_ERROR_MESSAGES` has it, else as it is: for a
 * problem shown above answers a person can still send. A message with details in it (a reference,
 * a time) is not looked up here: the page words it from the catalogue with its details, as
 * `limitMessage` does.
 */
export function knownErrorIn(message: string, language: Language): string {
  return language === 'en' ? message : (WELSH_ERROR_MESSAGES[message] ?? message);
}

/**
 * What a sender who has used up a limit is told, in `language`: what they cannot send, who the
 * limit counts and from when they can send again (a London date and time in the language's way).
 * The English is the error's own message; a Welsh page words it from the same details.
 */
export function limitMessage(limit: ReachedLimit, language: Language): string {
  const t = translator(language);
  return t(limit.what === 'feedback' ? 'limit.feedback' : 'limit.check', {
    from: t(limit.sender === 'email' ? 'limit.from.email' : 'limit.from.client'),
    when: language === 'cy' ? formatDateTimeCy(limit.until) : formatDateTime(limit.until),
  });
}
