import type { Audience, TaskName } from '../../functions/domain/workflow-names.js';
import type { EmailTemplate } from '../../functions/templates/render-email.js';
import { referralStates, serviceRequestStates } from './referral.js';
import {
  type AslDefinition,
  awaitTask,
  clock,
  closing,
  equals,
  notify,
  route,
  sendThenClock,
  whenTrue,
  workflow,
} from './states.js';

/** One email a feedback workflow sends before it waits for the reply. */
interface Letter {
  state: string;
  template: EmailTemplate;
  to: Audience;
}

/**
 * Compliments, comments and representations share one shape: route (or redirect), tell the
 * resident (and whoever else), wait for the person who replies on the policy's reply clock —
 * telling the resident why and when if the reply is late, and escalating — then record the
 * reply and close. They differ only in their letters, the task and who replies.
 */
function replyWorkflow(options: {
  comment: string;
  /** Sent in order after routing. */
  letters: [Letter, ...Letter[]];
  /** The task of the person who replies, and the name of the state that waits for it. */
  task: TaskName;
  awaitState: string;
  /** The reply sent to the resident once the task is done, if any. */
  reply?: Letter;
  /** A route variable: when false, only the first letter goes and the case is recorded at once. */
  passOnIf?: string;
  /**
   * Whether the resident waits for a reply, and so is told why and when before it is late (a
   * unitary council's Customer Feedback Procedure, §6.2). A compliment's author waits for nothing.
   */
  tellResidentOfDelay: boolean;
}): AslDefinition {
  const { letters, reply, passOnIf } = options;
  const afterLetters = 'Check the reply clock';
  // With `passOnIf`, the letters after the first (and the wait) happen only when the route says so.
  const gate = 'Pass it on?';
  // The reply clock's options: the clock step tells the resident why and when, and escalates.
  const replyClock = {
    holdingLetters: options.tellResidentOfDelay,
    acts: [...(options.tellResidentOfDelay ? (['holding'] as const) : []), 'deadline', 'overdue'] as const,
  };
  // The last letter goes in the state that starts the wait (see `sendThenClock`); the wait's
  // wake-ups read the reply clock alone.
  const chain = letters.map((letter, i) => [
    letter.state,
    i === letters.length - 1
      ? sendThenClock({ template: letter.template, to: letter.to }, 'reply', options.awaitState, {
          resumeAt: afterLetters,
          ...replyClock,
        })
      : notify(
          letter.template,
          letter.to,
          i === 0 && passOnIf && letters[1] ? gate : (letters[i + 1]?.state ?? afterLetters),
        ),
  ]);
  // Recording the reply, closing and archiving are one state: the last (see `closing`).
  const recorded = 'Record the reply and close the case';
  if (passOnIf && letters[1]) chain.push([gate, whenTrue(passOnIf, letters[1].state, recorded)]);
  return workflow({
    comment: options.comment,
    startAt: 'Route the case',
    states: {
      'Route the case': route('How is it handled?'),
      'How is it handled?': equals(
        '$.route.route',
        { redirect: 'Pass the request to the service', refer: 'Refer the case where it belongs' },
        letters[0].state,
      ),
      ...serviceRequestStates(),
      ...referralStates('Route the case'),
      ...Object.fromEntries(chain),
      'Check the reply clock': clock('reply', options.awaitState, replyClock),
      [options.awaitState]: awaitTask(options.task, reply?.state ?? recorded, {
        timeout: 'Check the reply clock',
      }),
      ...(reply ? { [reply.state]: notify(reply.template, reply.to, recorded) } : {}),
      [recorded]: closing(['responded', 'closed']),
    },
  });
}

/**
 * A compliment: acknowledged, passed to the service and the staff named, recorded (Dudley MBC
 * Corporate Customer Feedback Procedure, June 2019, §9).
 */
export const compliment = replyWorkflow({
  comment:
    'A compliment: acknowledged, passed to the service and the staff named (Dudley MBC Corporate Customer Feedback Procedure, June 2019, section 9), recorded.',
  letters: [
    { state: 'Acknowledge the compliment', template: 'compliment-acknowledgement', to: 'resident' },
    { state: 'Pass it to the service', template: 'compliment-to-staff', to: 'service' },
  ],
  task: 'compliment-pass-on',
  awaitState: 'Await the service passing it on',
  // The policy's `compliment.passToStaff`: a council that does not pass compliments on records them.
  passOnIf: '$.route.passToStaff',
  tellResidentOfDelay: false,
});

/**
 * A comment: replied to in full within the policy's time, or the resident is told why and when
 * (a unitary council's Customer Feedback Procedure, §6.2).
 */
export const comment = replyWorkflow({
  comment:
    "A comment: recorded and replied to in full within the policy's time, or the resident is told why and when (a unitary council's Customer Feedback Procedure, section 6.2).",
  letters: [{ state: 'Send the receipt', template: 'receipt', to: 'resident' }],
  task: 'comment-reply',
  awaitState: 'Await the reply',
  reply: { state: 'Send the reply', template: 'comment-reply', to: 'resident' },
  tellResidentOfDelay: true,
});

/**
 * A representation about a policy: sent to the policy makers, and the resident hears back
 * (a unitary council's Customer Feedback Procedure, §5.1).
 */
export const representation = replyWorkflow({
  comment:
    "A representation about a policy: recorded, sent to the policy makers, and the customer receives feedback (a unitary council's Customer Feedback Procedure, section 5.1).",
  letters: [{ state: 'Send the receipt', template: 'receipt', to: 'resident' }],
  task: 'representation-feedback',
  awaitState: "Await the policy owner's feedback",
  reply: { state: 'Send the feedback', template: 'representation-feedback', to: 'resident' },
  tellResidentOfDelay: true,
});
