import { CLOSE, chasedWait, decide, notify, whenTrue } from './states.js';

/**
 * A service request (a first report of a problem, a request for a service: the Code §1.7): passed
 * at once to the service it is for (the complaints team, who pass it on, when no service of the
 * council is named for it), then the resident is told who has it and how to reach them, and the
 * case closes. Nobody checks it: it is not a complaint unless the service's answer fails them.
 */
export function serviceRequestStates() {
  return {
    'Pass the request to the service': notify(
      'referral',
      'destination',
      'Tell the resident where to go instead',
    ),
    'Tell the resident where to go instead': notify('redirect', 'resident', CLOSE),
  };
}

/**
 * A matter the complaints procedure does not take (an exclusion other than a service request,
 * or a service with its own procedure): referred to where the policy says, the resident told
 * where it has gone, and the complaints team asked to confirm — a keyword match is a suggestion.
 * Confirmed, a case passed to another team of the council (`$.route.checkBack`) waits for the
 * complaints team to check that the team picked it up, and closes then: nothing else would
 * notice a referral nobody took, above all one that gives the resident no date to chase. One the
 * resident was only told where to take closes at once. Brought back (by the complaints team, or
 * because the team it went to says it is not theirs), it is routed again as the kind it is.
 */
export function referralStates<const B extends string>(backTo: B) {
  return {
    'Refer the case where it belongs': notify(
      'referral',
      'destination',
      'Tell the resident where it has gone',
    ),
    'Tell the resident where it has gone': notify(
      'redirect',
      'resident',
      'Check the clock for the exclusion check',
    ),
    ...chasedWait(
      'confirm-exclusion',
      {
        check: 'Check the clock for the exclusion check',
        await: 'Await the exclusion check',
      },
      'Is it a complaint after all?',
    ),
    'Is it a complaint after all?': decide('confirm-exclusion', {
      confirm: 'Was it passed to a team?',
      'handle-as-complaint': backTo,
    }),
    'Was it passed to a team?': whenTrue(
      '$.route.checkBack',
      'Check the clock for the referral check',
      CLOSE,
    ),
    ...chasedWait(
      'referral-check',
      {
        check: 'Check the clock for the referral check',
        await: 'Await the check that the referral was picked up',
      },
      'Did the team pick it up?',
    ),
    'Did the team pick it up?': decide('referral-check', {
      'picked-up': CLOSE,
      'handle-as-complaint': backTo,
    }),
  };
}
