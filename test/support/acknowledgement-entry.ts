/**
 * The acknowledgement wait of case-1's execution, entered again after an earlier entry opened the
 * task and emailed it (a retry after an outage, a restart): a new entry with a new token. Shared by
 * the unit tests of `requestTask` meeting what the earlier entry left.
 */

export const EXECUTION = 'arn:aws:states:eu-west-2:000000000000:execution:complaint:case-1';
export const STATE = 'Await acknowledgement';

/** The entry after the earlier one: its step event. */
export const again = {
  caseId: 'case-1',
  task: 'acknowledge' as const,
  taskToken: 'token-of-the-second-entry',
  lastTaskId: 'none',
  step: { execution: EXECUTION, state: STATE, enteredAt: '2026-03-02T09:45:00.000Z' },
};
