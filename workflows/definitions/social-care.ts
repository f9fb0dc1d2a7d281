import { referralStates, serviceRequestStates } from './referral.js';
import {
  awaitTask,
  chasedWait,
  clock,
  closing,
  decide,
  due,
  equals,
  escalate,
  notify,
  record,
  route,
  workflow,
} from './states.js';

/**
 * A statutory adult social care complaint (The Local Authority Social Services and National
 * Health Service Complaints (England) Regulations 2009, SI 2009/309, and a statutory adult
 * social care complaints procedure): one stage; acknowledge, understand, agree a resolution
 * plan and timeframe, the feedback loop until the complainant is satisfied, and closing as "an
 * appropriate and proportional response" only with the director's sign-off.
 */
export const socialCare = workflow({
  comment:
    "A statutory adult social care complaint (SI 2009/309 and a statutory adult social care complaints procedure): acknowledge, understand, agree a resolution plan and timeframe, the feedback loop until satisfied, closure as an appropriate and proportional response only with the director's sign-off.",
  startAt: 'Route the case',
  states: {
    'Route the case': route('How is it handled?'),
    'How is it handled?': equals(
      '$.route.route',
      { redirect: 'Pass the request to the service', refer: 'Refer the case where it belongs' },
      'Send the receipt',
    ),
    ...serviceRequestStates(),
    ...referralStates('Route the case'),
    'Send the receipt': notify('receipt', 'resident', 'Check the acknowledgement clock'),

    // Acknowledgement.
    // A passed deadline leaves the wait through the clock's step, which closes the task first.
    'Check the acknowledgement clock': clock('acknowledge', 'Await acknowledgement'),
    'Await acknowledgement': awaitTask('acknowledge', 'Send the acknowledgement', {
      timeout: 'Check the acknowledgement clock',
      deadline: 'Escalate the late acknowledgement',
    }),
    'Escalate the late acknowledgement': escalate('acknowledge', 'Acknowledge automatically'),
    'Acknowledge automatically': record('acknowledged-automatically', 'Send the acknowledgement'),
    'Send the acknowledgement': notify('acknowledgement', 'resident', 'Check the clock for the plan'),

    // The resolution plan, agreed with the complainant.
    // The clock step escalates (see `clock`); the six-month letter has states of its own.
    'Check the clock for the plan': clock('plan', 'Plan overdue?', { acts: ['deadline', 'overdue'] }),
    'Plan overdue?': due(
      { 'six-months': 'Tell the complainant it has passed six months' },
      'Await the resolution plan',
    ),
    'Await the resolution plan': awaitTask('social-care-plan', 'Send the agreed plan', {
      timeout: 'Check the clock for the plan',
    }),
    'Send the agreed plan': notify('social-care-plan', 'resident', 'Check the plan clock'),

    // The feedback loop, within the agreed timeframe.
    'Check the plan clock': clock('plan', 'Plan due?', { acts: ['deadline', 'overdue'] }),
    'Plan due?': due(
      { 'six-months': 'Tell the complainant it has passed six months' },
      'Await the feedback review',
    ),
    'Tell the complainant it has passed six months': notify(
      'social-care-six-months',
      'resident',
      'Record the six-month letter',
    ),
    'Record the six-month letter': record('told-six-months', 'Check the plan clock'),
    'Await the feedback review': awaitTask('social-care-review', 'Is the complainant satisfied?', {
      timeout: 'Check the plan clock',
    }),
    'Is the complainant satisfied?': decide('social-care-review', {
      resolved: 'Send the written response',
      'new-plan': 'Send the agreed plan',
      'propose-closing': 'Check the clock for the sign-off',
    }),

    // Closing without the complainant's agreement needs the director.
    ...chasedWait(
      'sign-off',
      {
        check: 'Check the clock for the sign-off',
        await: "Await the director's sign-off",
      },
      'Did the director sign off?',
    ),
    'Did the director sign off?': decide('sign-off', {
      approve: 'Tell the complainant the complaint is closed',
      decline: 'Await the feedback review',
    }),
    'Tell the complainant the complaint is closed': notify(
      'social-care-closed',
      'resident',
      'Record the resolution and close the case',
    ),
    // SI 2009/309 reg. 14: a written response, with the right to go to the Ombudsman, however it ends.
    'Send the written response': notify(
      'social-care-response',
      'resident',
      'Record the resolution and close the case',
    ),
    // Recording the resolution, closing and archiving are one state: the last (see `closing`).
    'Record the resolution and close the case': closing(['responded', 'closed']),
  },
});
