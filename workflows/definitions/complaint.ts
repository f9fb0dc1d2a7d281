import {
  awaitTask,
  CLOSE,
  clock,
  decide,
  due,
  equals,
  escalate,
  notify,
  record,
  route,
  whenTrue,
  workflow,
} from './states.js';

/**
 * A complaint, at stage 1 and stage 2: both stages share these states, and the steps read the
 * stage from the case, so stage 2 has its own clocks from the policy and another officer.
 */
export const complaint = workflow({
  comment:
    "A complaint: route, acknowledge, respond (reminder, extension, pause, holding letter, escalation), stage 2, close and archive. Timescales come from the council's policy through the clock function.",
  startAt: 'Route the case',
  states: {
    'Route the case': route('How is it handled?'),
    'How is it handled?': equals(
      '$.route.route',
      {
        redirect: 'Tell the resident where to go instead',
        'nominated-officer': 'Acknowledge the contact',
        'refer-to-manager': "Check the clock for the manager's decision",
        'needs-consent': 'Check the clock for consent',
      },
      'Send the receipt',
    ),
    'Tell the resident where to go instead': notify('redirect', 'resident', CLOSE),

    // Contact from a complainant designated unreasonably persistent goes to the nominated officer.
    'Acknowledge the contact': notify(
      'contact-recorded',
      'resident',
      'Check the clock for the nominated officer',
    ),
    'Check the clock for the nominated officer': clock('acknowledge', 'Still with the nominated officer?'),
    'Still with the nominated officer?': due({}, 'Await the nominated officer'),
    'Await the nominated officer': awaitTask('nominated-contact', 'What did the nominated officer decide?', {
      timeout: 'Check the clock for the nominated officer',
    }),
    'What did the nominated officer decide?': decide('nominated-contact', {
      handle: 'Send the receipt',
      'no-further-action': CLOSE,
    }),

    // An anonymous complaint goes to a manager to decide whether to investigate.
    "Check the clock for the manager's decision": clock('acknowledge', 'Still with the manager?'),
    'Still with the manager?': due({}, "Await the manager's decision"),
    "Await the manager's decision": awaitTask('anonymous-review', 'What did the manager decide?', {
      timeout: "Check the clock for the manager's decision",
    }),
    'What did the manager decide?': decide('anonymous-review', {
      investigate: 'Check the response clock',
      'no-action': CLOSE,
    }),

    // A representative without the consent of the person affected.
    'Check the clock for consent': clock('acknowledge', 'Still waiting for consent?'),
    'Still waiting for consent?': due({}, 'Await consent'),
    'Await consent': awaitTask('consent', 'Was consent given?', { timeout: 'Check the clock for consent' }),
    'Was consent given?': decide('consent', { 'consent-received': 'Send the receipt', 'no-consent': CLOSE }),

    // Acknowledgement.
    'Send the receipt': notify('receipt', 'resident', 'Check the acknowledgement clock'),
    'Check the acknowledgement clock': clock('acknowledge', 'Acknowledgement overdue?'),
    'Acknowledgement overdue?': due(
      { deadline: 'Escalate the late acknowledgement' },
      'Await acknowledgement',
    ),
    'Await acknowledgement': awaitTask('acknowledge', 'What did the officer decide on acknowledgement?', {
      timeout: 'Check the acknowledgement clock',
    }),
    'What did the officer decide on acknowledgement?': decide('acknowledge', {
      acknowledge: 'Send the acknowledgement',
      resolve: 'Send the response',
      reassign: 'Check the acknowledgement clock',
      'not-a-complaint': 'Tell the resident it is a service request',
      'refer-vexatious': 'Check the clock for the vexatious decision',
    }),
    'Escalate the late acknowledgement': escalate('acknowledge', 'Acknowledge automatically'),
    'Acknowledge automatically': record('acknowledged-automatically', 'Send the acknowledgement'),
    'Send the acknowledgement': notify('acknowledgement', 'resident', 'Check the response clock'),
    'Tell the resident it is a service request': notify('not-a-complaint', 'resident', CLOSE),

    // Unreasonably persistent complainants: the nominated officer decides.
    'Check the clock for the vexatious decision': clock(
      'hold',
      'Still with the nominated officer to decide?',
    ),
    'Still with the nominated officer to decide?': due({}, 'Await the vexatious decision'),
    'Await the vexatious decision': awaitTask('vexatious-decision', 'Is the complainant vexatious?', {
      timeout: 'Check the clock for the vexatious decision',
    }),
    'Is the complainant vexatious?': decide('vexatious-decision', {
      designate: 'Tell the resident about the decision',
      'do-not-designate': 'Send the acknowledgement',
    }),
    'Tell the resident about the decision': notify('vexatious-decision', 'resident', CLOSE),

    // Response: reminder, holding letter (on the last day, before the deadline), escalation, extension, pause.
    'Check the response clock': clock('respond', 'Response due?'),
    'Response due?': due(
      {
        remind: 'Remind the officer',
        holding: 'Send the holding letter',
        deadline: 'Escalate the missed response',
        overdue: 'Escalate the missed response',
      },
      'Await the response',
    ),
    'Remind the officer': notify('officer-reminder', 'officer', 'Check the response clock'),
    'Send the holding letter': notify('holding-letter', 'resident', 'Check the response clock'),
    'Escalate the missed response': escalate('respond', 'Check the response clock'),
    'Await the response': awaitTask('respond', 'What did the officer decide on the response?', {
      timeout: 'Check the response clock',
    }),
    'What did the officer decide on the response?': decide('respond', {
      respond: 'Send the response',
      extend: 'Tell the resident about the extension',
      pause: 'Tell the resident the clock is paused',
      reassign: 'Check the response clock',
      'refer-vexatious': 'Check the clock for the vexatious decision',
    }),
    'Tell the resident about the extension': notify('extension', 'resident', 'Check the response clock'),
    'Tell the resident the clock is paused': notify('pause', 'resident', 'Check the paused clock'),
    'Check the paused clock': clock('hold', 'Still paused?'),
    'Still paused?': due({}, 'Await the end of the pause'),
    'Await the end of the pause': awaitTask('resume', 'Tell the resident the clock has restarted', {
      timeout: 'Check the paused clock',
    }),
    'Tell the resident the clock has restarted': notify('resume', 'resident', 'Check the response clock'),
    'Send the response': notify('response', 'resident', 'Record the response'),
    'Record the response': record('responded', 'Can the resident ask for stage 2?', {
      stage2AvailableTo: '$.response',
    }),

    // Stage 2: the resident asks within the window; grounds checked where the policy says so.
    'Can the resident ask for stage 2?': whenTrue(
      '$.response.stage2Available',
      'Check the stage 2 window',
      CLOSE,
    ),
    'Check the stage 2 window': clock('stage-2-request', 'Stage 2 window closed?'),
    'Stage 2 window closed?': due({ deadline: CLOSE }, 'Await a stage 2 request'),
    'Await a stage 2 request': awaitTask('stage-2-request', 'Are grounds required?', {
      timeout: 'Check the stage 2 window',
    }),
    'Are grounds required?': whenTrue(
      '$.route.groundsRequired',
      'Check the clock for the stage 2 decision',
      'Start stage 2',
    ),
    'Check the clock for the stage 2 decision': clock('hold', 'Still with the reviewer?'),
    'Still with the reviewer?': due({}, 'Await the stage 2 decision'),
    'Await the stage 2 decision': awaitTask('stage-2-decision', 'Is stage 2 accepted?', {
      timeout: 'Check the clock for the stage 2 decision',
    }),
    'Is stage 2 accepted?': decide('stage-2-decision', {
      accept: 'Start stage 2',
      refuse: 'Tell the resident stage 2 was refused',
    }),
    'Tell the resident stage 2 was refused': notify('stage-2-refused', 'resident', CLOSE),
    'Start stage 2': record('stage-2-started', 'Check the acknowledgement clock'),
  },
});
