/**
 * What can go wrong when someone acts on a case through an emailed link, as plain errors with
 * no HTTP in them. The use case throws these; the HTTP layer maps each to its status code and
 * page in one place (`httpErrorOf` in `functions/http/errors.ts`), so the rules and the use
 * case never decide what a browser sees.
 *
 * Each message is the sentence a person is shown, in plain English.
 */

/** The link was tampered with, is malformed, or is not a link to a task. */
export class LinkInvalidError extends Error {
  override name = 'LinkInvalidError';
  constructor(message = 'This link is not valid') {
    super(message);
  }
}

/** The link was genuine but its expiry has passed. */
export class LinkExpiredError extends Error {
  override name = 'LinkExpiredError';
  constructor() {
    super('This link has expired');
  }
}

/** A form post without the form token bound to its link (a cross-site post, or a stale page). */
export class FormTokenInvalidError extends Error {
  override name = 'FormTokenInvalidError';
  constructor() {
    super('This form is not valid');
  }
}

/** The case a link names no longer exists. */
export class LinkedCaseNotFoundError extends Error {
  override name = 'LinkedCaseNotFoundError';
  constructor() {
    super('This case could not be found');
  }
}

/**
 * The task behind the link is finished (the link was used already, or the workflow moved on).
 * Who finished it and when are given when the case history says, so the person can ask them.
 */
export class TaskAlreadyDoneError extends Error {
  override name = 'TaskAlreadyDoneError';
  constructor(readonly done: { doneBy?: string; doneAt?: string } = {}) {
    super('This task has already been done');
  }
}

/**
 * The link's task has not opened yet: the email carrying it went a moment before the workflow
 * opened the task (the stage-2 link in the response), and the link was followed in between.
 */
export class TaskNotOpenYetError extends Error {
  override name = 'TaskNotOpenYetError';
  constructor() {
    super('This link is not ready yet');
  }
}

/**
 * A link whose task the workflow opens again after its last decision under a new link (an
 * extension: the resident is told the new date first, which waits for SES, then the officer is
 * emailed the task's new link). `sent`: a decision was sent through it, and not recorded.
 */
export class TaskOpeningAgainError extends Error {
  override name = 'TaskOpeningAgainError';
  constructor(readonly detail: { sent: boolean } = { sent: true }) {
    super(
      detail.sent
        ? 'What you sent has not been recorded: use the link in the newest email about this case'
        : 'This task has a new link: use the link in the newest email about this case',
    );
  }
}

/** The task was reassigned after the link was sent: only the new officer's link acts now. */
export class TaskPassedOnError extends Error {
  override name = 'TaskPassedOnError';
  constructor() {
    super('This task has been passed to someone else');
  }
}

/**
 * A change to an erased case: nothing more is done on it (a note, a reassignment or a new
 * stage could bring personal data back to the anonymised record the reports count).
 */
export class CaseErasedError extends Error {
  override name = 'CaseErasedError';
  constructor() {
    super('This case was erased: nothing more can be done on it.');
  }
}

/** Another person changed the case between this one opening the task and acting on it. */
export class ConcurrentActionError extends Error {
  override name = 'ConcurrentActionError';
  constructor(options?: { cause?: unknown }) {
    super('Someone else acted on this case at the same moment', options);
  }
}

/**
 * What was sent cannot be acted on, with one message per form field (GOV.UK style: each says
 * what to do). The page is shown again with the messages next to the fields.
 */
export class InputRejectedError extends Error {
  override name = 'InputRejectedError';
  constructor(
    readonly fields: Readonly<Record<string, string>>,
    message = 'There is a problem with what was sent',
  ) {
    super(message);
  }
}

/** The task form is incomplete or malformed (a required field empty, a number out of range…). */
export class TaskFormInvalidError extends InputRejectedError {
  override name = 'TaskFormInvalidError';
}

/**
 * The form was complete but the rule for the decision refuses it for this case (reassigning to
 * oneself, an extension beyond the policy's cap).
 */
export class DecisionRefusedError extends InputRejectedError {
  override name = 'DecisionRefusedError';
}

/**
 * A rule needs a value its form makes required, and it is missing or of the wrong kind: the
 * form definitions and the rules disagree. A bug, so it is not shown to the person as a field
 * error they could fix.
 */
export class DecisionValueMissingError extends Error {
  override name = 'DecisionValueMissingError';
  constructor(readonly field: string) {
    super(`The decision needs "${field}", which was not sent`);
  }
}

/**
 * A decision that no rule handles reached the rules. Validation offers only the decisions of
 * the task's form, so this is a bug, never something a person did: it must fail loudly rather
 * than tell the officer their decision was recorded.
 */
export class UnknownDecisionError extends Error {
  override name = 'UnknownDecisionError';
  constructor(
    readonly task: string,
    readonly decision: string,
  ) {
    super(`No rule for decision "${decision}" on task "${task}"`);
  }
}

/**
 * The decision is saved on the case but the workflow could not be told just now: the officer is
 * asked to use the same link again shortly (or the workflow picks it up on its own).
 */
export class DecisionNotYetDeliveredError extends Error {
  override name = 'DecisionNotYetDeliveredError';
  constructor(
    readonly reference: string,
    options?: { cause?: unknown },
  ) {
    super('Your decision is saved but has not reached the case yet', options);
  }
}

/**
 * A limit a sender has used up: what they were sending (feedback, or asking for a link to check
 * a complaint), who the limit counts (one email address, or one device or network) and from when
 * they can send again. The details, not only the sentence, so that a page can say it in its own
 * language.
 */
export interface ReachedLimit {
  what: 'feedback' | 'check';
  sender: 'email' | 'client';
  /** When the sender can send again (ISO 8601). */
  until: string;
}

/** One sender sent more public feedback than the limits allow; they may try again later. */
export class IntakeLimitReachedError extends Error {
  override name = 'IntakeLimitReachedError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    readonly limit: ReachedLimit,
  ) {
    super(message);
  }
}
