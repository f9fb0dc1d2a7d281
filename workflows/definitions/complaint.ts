import { REOPEN_RESUMES_AT } from '../../functions/app/executions.js';
import { referralStates, serviceRequestStates } from './referral.js';
import {
  awaitTask,
  CLOSE,
  chasedWait,
  clock,
  closeWhenDue,
  decide,
  equals,
  escalate,
  notify,
  record,
  recordThenClock,
  route,
  sendThenClock,
  whenTrue,
  workflow,
} from './states.js';

/** The stage-2 window's clock: the resident is told when it closes, and a late request may follow. */
const STAGE_2_WINDOW_CLOSING = {
  template: 'stage-2-too-late',
  to: 'resident',
  readsOn: 'stage-2-late-request',
} as const;

/** The response clock: the clock step sends the reminder and the holding letter and escalates. */
const RESPONSE_CLOCK = { holdingLetters: true, acts: ['remind', 'holding', 'deadline', 'overdue'] } as const;

/**
 * A complaint, at stage 1 and stage 2: both stages share these states, and the steps read the
 * stage from the case, so stage 2 has its own clocks from the policy and another officer.
 */
export const complaint = workflow({
  comment:
    "A complaint: route, acknowledge, respond (reminder, extension, pause, holding letter, escalation), stage 2, close and archive. Timescales come from the council's policy through the clock function.",
  startAt: 'Route the case',
  reopenAt: REOPEN_RESUMES_AT,
  states: {
    'Route the case': route('How is it handled?'),
    'How is it handled?': equals(
      '$.route.route',
      {
        redirect: 'Pass the request to the service',
        refer: 'Refer the case where it belongs',
        'nominated-officer': 'Acknowledge the contact',
        'refer-to-manager': "Check the clock for the manager's decision",
        'needs-consent': 'Tell the representative consent is needed',
      },
      'Send the receipt',
    ),
    // A service request goes back to the service at once.
    ...serviceRequestStates(),
    ...referralStates('Route the case'),

    // Contact from a complainant designated unreasonably persistent goes to the nominated officer.
    'Acknowledge the contact': notify(
      'contact-recorded',
      'resident',
      'Check the clock for the nominated officer',
    ),
    ...chasedWait(
      'nominated-contact',
      {
        check: 'Check the clock for the nominated officer',
        await: 'Await the nominated officer',
      },
      'What did the nominated officer decide?',
    ),
    'What did the nominated officer decide?': decide('nominated-contact', {
      handle: 'Send the receipt',
      'no-further-action': CLOSE,
    }),

    // An anonymous complaint goes to a manager to decide whether to investigate.
    ...chasedWait(
      'anonymous-review',
      {
        check: "Check the clock for the manager's decision",
        await: "Await the manager's decision",
      },
      'What did the manager decide?',
    ),
    'What did the manager decide?': decide('anonymous-review', {
      investigate: 'Check the response clock',
      'no-action': CLOSE,
    }),

    // A representative without the consent of the person affected: they hear what is needed.
    'Tell the representative consent is needed': notify(
      'consent-needed',
      'resident',
      'Check the clock for consent',
    ),
    ...chasedWait(
      'consent',
      {
        check: 'Check the clock for consent',
        await: 'Await consent',
      },
      'Was consent given?',
    ),
    'Was consent given?': decide('consent', {
      'consent-received': 'Send the receipt',
      'no-consent': 'Tell the representative consent was not given',
    }),
    'Tell the representative consent was not given': notify('consent-not-given', 'resident', CLOSE),

    // Acknowledgement. The receipt goes in the state that starts the wait (see `sendThenClock`);
    // the wait's wake-ups read the clock alone, and a passed deadline leaves the wait at once.
    'Send the receipt': sendThenClock(
      { template: 'receipt', to: 'resident' },
      'acknowledge',
      'Await acknowledgement',
      { resumeAt: 'Check the acknowledgement clock' },
    ),
    'Check the acknowledgement clock': clock('acknowledge', 'Await acknowledgement'),
    'Await acknowledgement': awaitTask('acknowledge', 'What did the officer decide on acknowledgement?', {
      timeout: 'Check the acknowledgement clock',
      deadline: 'Escalate the late acknowledgement',
    }),
    'What did the officer decide on acknowledgement?': decide('acknowledge', {
      acknowledge: 'Send the acknowledgement',
      resolve: 'Send the response',
      reassign: 'Check the acknowledgement clock',
      'not-a-complaint': 'Tell the resident it is a service request',
      'refer-vexatious': 'Check the clock for the vexatious decision',
      'refuse-out-of-time': 'Tell the resident it is out of time',
    }),
    'Tell the resident it is out of time': notify('out-of-time', 'resident', CLOSE),
    'Escalate the late acknowledgement': escalate('acknowledge', 'Acknowledge automatically'),
    'Acknowledge automatically': record('acknowledged-automatically', 'Send the acknowledgement'),
    'Send the acknowledgement': sendThenClock(
      { template: 'acknowledgement', to: 'resident' },
      'respond',
      'Await the response',
      { resumeAt: 'Check the response clock', ...RESPONSE_CLOCK },
    ),
    'Tell the resident it is a service request': notify('not-a-complaint', 'resident', CLOSE),

    // Unreasonably persistent complainants: the nominated officer decides. A complaint referred on
    // acknowledgement that they do not designate is acknowledged next; one referred while its
    // response was awaited was acknowledged already, and goes back to waiting for the response.
    ...chasedWait(
      'vexatious-decision',
      {
        check: 'Check the clock for the vexatious decision',
        await: 'Await the vexatious decision',
      },
      'Is the complainant vexatious?',
    ),
    'Is the complainant vexatious?': decide('vexatious-decision', {
      designate: 'Tell the resident about the decision',
      'do-not-designate': 'Send the acknowledgement',
    }),
    ...chasedWait(
      'vexatious-decision',
      {
        check: 'Check the clock for the vexatious decision on the response',
        await: 'Await the vexatious decision on the response',
      },
      'Is the complainant vexatious, with the response awaited?',
    ),
    'Is the complainant vexatious, with the response awaited?': decide('vexatious-decision', {
      designate: 'Tell the resident about the decision',
      'do-not-designate': 'Check the response clock',
    }),
    'Tell the resident about the decision': notify('vexatious-decision', 'resident', CLOSE),

    // Response: reminder, holding letter (on the last day, before the deadline), escalation, extension, pause.
    // The clock step sends the reminder and the holding letter and escalates (see `clock`).
    'Check the response clock': clock('respond', 'Await the response', RESPONSE_CLOCK),
    // A closed complaint reopened in the workspace: a fresh execution starts here (see
    // `reopenCase`). The resident hears it is reopened, or, told before it was not a complaint,
    // that it now is one, with the date of the response; wake-ups read the response clock alone.
    [REOPEN_RESUMES_AT]: sendThenClock(
      { template: 'reopened', to: 'resident' },
      'respond',
      'Await the response',
      {
        resumeAt: 'Check the response clock',
        ...RESPONSE_CLOCK,
      },
    ),
    'Await the response': awaitTask('respond', 'What did the officer decide on the response?', {
      timeout: 'Check the response clock',
    }),
    'What did the officer decide on the response?': decide('respond', {
      respond: 'Send the response',
      extend: 'Tell the resident about the extension',
      pause: 'Tell the resident the clock is paused',
      reassign: 'Check the response clock',
      'refer-vexatious': 'Check the clock for the vexatious decision on the response',
    }),
    'Tell the resident about the extension': notify('extension', 'resident', 'Check the response clock'),
    'Tell the resident the clock is paused': notify('pause', 'resident', 'Check the paused clock'),
    ...chasedWait(
      'resume',
      {
        check: 'Check the paused clock',
        await: 'Await the end of the pause',
      },
      'Tell the resident the clock has restarted',
    ),
    'Tell the resident the clock has restarted': notify('resume', 'resident', 'Check the response clock'),
    // The response, its record and the stage-2 window's clock: one state. When the resident
    // cannot ask for stage 2 (a one-stage policy, the stage-2 response), the wait after it ends
    // at once and the case closes.
    'Send the response': sendThenClock(
      { template: 'response', to: 'resident', record: 'responded' },
      'stage-2-request',
      'Await a stage 2 request',
      { resumeAt: 'Check the stage 2 window', closing: STAGE_2_WINDOW_CLOSING },
    ),

    // Stage 2: the resident asks within the window; grounds checked where the policy says so.
    // When the window closes, the resident is told and the clock reads on the time the complaints
    // team may still accept a late request, and the wait leaves for the wait for one: by the wait
    // for a late request's own step when the window closes as foreseen, or by this clock state
    // (a deadline moved, a decision waiting, a fresh execution resuming).
    'Check the stage 2 window': clock('stage-2-request', 'Await a stage 2 request', {
      closing: STAGE_2_WINDOW_CLOSING,
    }),
    // When the window closes as its clock foresaw, the wait goes straight to the wait for a late
    // request, whose step tells the resident and checks the foresight (or sends the case back to
    // the window's clock): the usual case enters no clock state between the two waits.
    'Await a stage 2 request': awaitTask('stage-2-request', 'Does a reviewer decide first?', {
      timeout: 'Await a late request',
      foreseen: true,
      late: 'Await a late request',
      deadline: CLOSE,
      noStage2: CLOSE,
    }),
    'Check the clock for late requests': clock('stage-2-late-request', 'Await a late request'),
    // The time for a late request runs out: the wait goes straight to the close, which reads the
    // clock first and sends the rare case whose deadline moved back to the clock.
    'Await a late request': awaitTask('late-stage-2-request', 'Does a reviewer decide first?', {
      timeout: 'Close the case when no late request can come',
      deadline: CLOSE,
      foreseenBy: {
        clock: 'stage-2-request',
        closing: STAGE_2_WINDOW_CLOSING,
        otherwise: 'Check the stage 2 window',
        waitAgain: 'Await a stage 2 request',
      },
    }),
    'Close the case when no late request can come': closeWhenDue(
      'stage-2-late-request',
      'Check the clock for late requests',
    ),
    'Does a reviewer decide first?': whenTrue(
      '$.route.reviewFirst',
      'Check the clock for the stage 2 decision',
      'Start stage 2',
    ),
    ...chasedWait(
      'stage-2-decision',
      {
        check: 'Check the clock for the stage 2 decision',
        await: 'Await the stage 2 decision',
      },
      'Is stage 2 accepted?',
    ),
    'Is stage 2 accepted?': decide('stage-2-decision', {
      accept: 'Start stage 2',
      refuse: 'Tell the resident stage 2 was refused',
      resolve: 'Tell the resident what was agreed',
    }),
    'Tell the resident stage 2 was refused': notify('stage-2-refused', 'resident', CLOSE),
    'Tell the resident what was agreed': notify('stage-2-resolved', 'resident', CLOSE),
    // Stage 2 starts and its acknowledgement clock is read in one state.
    'Start stage 2': recordThenClock('stage-2-started', 'acknowledge', 'Await acknowledgement', {
      resumeAt: 'Check the acknowledgement clock',
    }),
  },
});
