/**
 * What an officer sends to acknowledge a complaint, for the many tests that acknowledge one on
 * the way to something else: the decision, and the council's understanding of the complaint and
 * the outcome the resident wants, which the acknowledgement states to the resident. Policies that
 * follow the Code require it (`complaint.understandingAtAcknowledgement`).
 */
/** Written for the complaint the workflow tests send (`complaintFrom`), so rendered letters read true. */
export const UNDERSTANDING =
  'You told us we lost your application twice and nobody called you back for six weeks. You would like us to process your application and explain what went wrong.';

/** The acknowledge form's fields: `{ ...ACKNOWLEDGE, csrf }` where a token goes with them. */
export const ACKNOWLEDGE: Readonly<Record<string, string>> = {
  decision: 'acknowledge',
  understanding: UNDERSTANDING,
};

/** The respond form's fields for an upheld complaint, for tests that respond on the way to something else. */
export const RESPOND: Readonly<Record<string, string>> = {
  decision: 'respond',
  outcome: 'upheld',
  response: 'We looked into what happened and here is what we found.',
};
