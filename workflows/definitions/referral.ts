import { CLOSE, chasedWait, decide, notify } from './states.js';

/**
 * A matter the complaints procedure does not take (an exclusion other than a service request,
 * or a service with its own procedure): referred to where the policy says, the resident told
 * where it has gone, and the complaints team asked to confirm — a keyword match is a suggestion.
 * Confirmed, the case closes here; brought back, it is routed again as the kind it is.
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
      confirm: CLOSE,
      'handle-as-complaint': backTo,
    }),
  };
}
