/**
 * What an officer sends to acknowledge a complaint, for the many tests that acknowledge one on
 * the way to something else: the decision, and the council's understanding of the complaint and
 * the outcome the resident wants, which the acknowledgement states to the resident. Policies that
 * follow the Code require it (`complaint.understandingAtAcknowledgement`).
 */
export const UNDERSTANDING =
  'Your bin has been missed four weeks running and nobody answered your calls. You would like it collected, and to know why it was missed.';

/** The acknowledge form's fields: `{ ...ACKNOWLEDGE, csrf }` where a token goes with them. */
export const ACKNOWLEDGE: Readonly<Record<string, string>> = {
  decision: 'acknowledge',
  understanding: UNDERSTANDING,
};
