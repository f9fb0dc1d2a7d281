/**
 * How SES's email events reach the `ses-events` function: through a queue that keeps each event
 * until the function has recorded it on the case. The Send event is what settles whether an
 * email went when its step could not record it (`functions/app/effects.ts`), and recording it
 * needs the case table: an event must outlast an outage of the table, and arrive soon after the
 * table is back, within the step's window for SES's word (`CONFIRM_WINDOW_MS`), or the step sends
 * the email again. Lambda's own retries of an asynchronous invocation (two, a few minutes in all)
 * lost it in the first minutes of an outage.
 *
 * Kept apart from the construct so the workflow tests model the delivery the stack builds.
 */
export const EMAIL_EVENTS_DELIVERY = {
  /** An event a failed invocation took is delivered again after this long (the queue's visibility timeout). */
  redeliverAfterSeconds: 180,
  /** Deliveries of one event before it goes to the dead-letter queue: with the wait, about two days. */
  deliveries: 1000,
  /** Events the function takes at once. */
  batchSize: 10,
} as const;
