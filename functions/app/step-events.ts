import * as z from 'zod/mini';
import {
  AUDIENCES,
  CLOCK_ACTS,
  CLOCK_NAMES,
  TASK_NAMES,
  type TaskName,
  TRANSITIONS,
  WAIT_EXITS,
} from '../domain/workflow-names.js';
import { EMAIL_TEMPLATE_NAMES } from '../templates/email-names.js';

/**
 * The payload each step function receives from the workflows: the contract between the
 * workflow definitions (`workflows/definitions/`), which build these payloads with typed
 * helpers, and the handler entry files, which parse them with these schemas. The execution
 * carries ids and names, never personal data. Zod's tree-shakable build (`zod/mini`): a step
 * function's bundle keeps only the checks used here, not the whole library.
 */
const caseId = z.string().check(z.minLength(1), z.maxLength(100));

/** Text of `min` to `max` characters. */
const text = (min: number, max?: number) =>
  max === undefined
    ? z.string().check(z.minLength(min))
    : z.string().check(z.minLength(min), z.maxLength(max));

/** Where the step runs (`$$.Execution.Id`, `$$.State.Name`, `$$.State.EnteredTime`): names its effects. */
const step = z.object({
  execution: text(1, 2048),
  state: text(1, 80),
  enteredAt: text(1, 40),
});

/**
 * What a clock read is asked to read and see to: the clock, what it sees to itself, the letter and
 * change before it (`first`), and the exits of the wait after it. Shared by the clock step and the
 * routing step that reads the acknowledgement clock after the receipt (`usual`).
 */
const clockRead = () => ({
  clock: z.enum(CLOCK_NAMES),
  /** The workflow has a state for a holding letter (`due: 'holding'`); older definitions do not. */
  holdingLetters: z.optional(z.boolean()),
  /**
   * What falls due that the clock step sees to itself before it answers (a reminder, a holding
   * letter, an escalation), each then recorded so the clock reads on; older definitions have a
   * state for each instead.
   */
  acts: z.optional(z.array(z.enum(CLOCK_ACTS)).check(z.maxLength(CLOCK_ACTS.length))),
  /**
   * The stage-2 window's clock, once the window has passed: the letter saying so (once a case)
   * and the clock read on (`readsOn`, the late-request clock); older definitions send none and
   * have a state for each.
   */
  closing: z.optional(
    z.object({
      template: z.enum(EMAIL_TEMPLATE_NAMES),
      to: z.enum(AUDIENCES),
      readsOn: z.enum(CLOCK_NAMES),
    }),
  ),
  /**
   * What the state does before it reads the clock, so that sending a letter and starting the
   * wait after it are one state: one email to one audience, then (optionally) a transition,
   * each once per entry into the state. `resumeAt` is the state that reads the same clock on
   * its own (a wait's wake-up), where a fresh execution resumes: this one would send again.
   */
  first: z.optional(
    z.object({
      template: z.optional(z.enum(EMAIL_TEMPLATE_NAMES)),
      to: z.optional(z.enum(AUDIENCES)),
      record: z.optional(z.enum(TRANSITIONS)),
      resumeAt: text(1, 80),
    }),
  ),
  /** What the reading may say that ends the wait after it before it starts (see `taskToken`). */
  exits: z.optional(z.array(z.enum(WAIT_EXITS)).check(z.maxLength(WAIT_EXITS.length))),
});

/**
 * An object whose every property is built by its function when first read, and then kept: each
 * step function reads its own payload's schema, and its start builds that one alone.
 */
function builtWhenRead<T extends Record<string, () => unknown>>(
  builders: T,
): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const built = {} as { [K in keyof T]: ReturnType<T[K]> };
  for (const [key, build] of Object.entries(builders)) {
    Object.defineProperty(built, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = build();
        Object.defineProperty(built, key, { enumerable: true, value });
        return value;
      },
    });
  }
  return built;
}

/** Each step's payload schema, built when its step function first reads it (`builtWhenRead`). */
export const STEP_EVENTS = builtWhenRead({
  route: () =>
    z.object({
      caseId,
      step,
      /**
       * The execution's whole state (ids and names): the step answers it back with the route and,
       * before any wait has run, the last task as "none", so no Pass state has to set it. Older
       * definitions send none and take the route alone.
       */
      state: z.optional(z.record(z.string(), z.unknown())),
      /**
       * The routing state is a callback: the step answers where the case goes itself (see
       * `answerRouting`), failing the task for each route in `branches`, so no Choice follows it.
       * Older definitions invoke it plainly and branch after it.
       */
      taskToken: z.optional(text(1)),
      branches: z.optional(z.array(text(1, 60)).check(z.maxLength(20))),
      /**
       * The state the usual route goes to, when it sends a letter and reads a clock (the receipt,
       * then the acknowledgement clock): the routing step does that too, as that state's clock step
       * would, and answers with the reading, so the case enters one state fewer.
       */
      usual: z.optional(z.object({ state: text(1, 80), ...clockRead() })),
      /** `$$.Execution.StartTime`, with `usual`: how old the execution is, for its clock read. */
      executionStartedAt: z.optional(text(1, 40)),
    }),
  notify: () =>
    z.object({
      caseId,
      step,
      template: z.enum(EMAIL_TEMPLATE_NAMES),
      to: z.enum(AUDIENCES),
      error: z.optional(z.string().check(z.maxLength(1000))),
      /** A reminder about a chased wait: the clock whose reminder this is. */
      clock: z.optional(z.enum(CLOCK_NAMES)),
    }),
  'request-task': () =>
    z.object({
      caseId,
      step,
      task: z.enum(TASK_NAMES as [TaskName, ...TaskName[]]),
      taskToken: text(1),
      /** The last task the workflow took a decision on ("none" before any). */
      lastTaskId: text(1, 100),
      /** What the clock read before a timed wait said (`renewed`: the case went to a fresh execution). */
      due: z.optional(text(1, 40)),
      /**
       * What the clock may say that ends the wait before it starts (`deadline`; `no-stage-2`, the
       * response's clock when the resident cannot ask for stage 2): the step fails the wait at once
       * with `DeadlinePassedError` or `NoStage2Error`, which the workflow catches, instead of a
       * Choice after the clock read; older definitions have the Choice and send none.
       */
      exits: z.optional(z.array(z.enum(WAIT_EXITS)).check(z.maxLength(WAIT_EXITS.length))),
      /**
       * The decision the wait takes as the task's success; any other is handed over as a task
       * failure named for it, which the workflow catches to its state (no Choice after the wait).
       * Older definitions branch after the wait and send none: every decision is a success.
       */
      expected: z.optional(text(1, 60)),
      /**
       * The wait is entered straight from another wait's timeout, with what that wait's clock
       * foresaw it would read then (`reading`, `foreseen: true`), rather than through the clock's
       * own state: the step first does what that state would have (`foreseenBy`: read `clock`, see
       * to the `closing` letter, read on), and when anything differs from the foresight fails with
       * `ClockNotDueError`, which the workflow catches to the clock's state. Entered otherwise,
       * `reading` is the clock state's answer and nothing is checked.
       */
      foreseenBy: z.optional(
        z.object({
          clock: z.enum(CLOCK_NAMES),
          closing: z.object({
            template: z.enum(EMAIL_TEMPLATE_NAMES),
            to: z.enum(AUDIENCES),
            readsOn: z.enum(CLOCK_NAMES),
          }),
        }),
      ),
      reading: z.optional(
        z.object({
          due: text(1, 40),
          waitSeconds: z.number(),
          deadline: z.nullable(text(1, 40)),
          foreseen: z.optional(z.boolean()),
        }),
      ),
      /** `$$.Execution.StartTime`, with `foreseenBy`: an execution this old goes to the clock state. */
      executionStartedAt: z.optional(text(1, 40)),
    }),
  clock: () =>
    z.object({
      caseId,
      step,
      ...clockRead(),
      /** `$$.Execution.StartTime`: how old this execution is. */
      executionStartedAt: text(1, 40),
      /** How the case is handled (the route step's answer), carried to a fresh execution. */
      route: z.record(z.string(), z.unknown()),
      /** The last task the workflow took a decision on ("none" before any). */
      lastTaskId: text(1, 100),
      /**
       * The clock state is a callback (`.waitForTaskToken`): the step answers the workflow itself,
       * with the reading as the task's success, or, when the reading ends the wait that follows
       * before it starts (`exits`; a case handed to a fresh execution), as a task failure named for
       * it whose cause is the reading, which the workflow catches straight to where that leads.
       * Older definitions invoke the step plainly, and the wait's step ends the wait instead.
       */
      taskToken: z.optional(text(1)),
    }),
  escalate: () => z.object({ caseId, step, clock: z.enum(CLOCK_NAMES) }),
  record: () => z.object({ caseId, step, transition: z.enum(TRANSITIONS) }),
  archive: () =>
    z.object({
      caseId,
      step,
      /** Recorded, in order, before the case file is written (the closing state: `closed` last). */
      record: z.optional(z.array(z.enum(TRANSITIONS)).check(z.maxLength(TRANSITIONS.length))),
      /**
       * The close follows a wait's timeout with no clock state between: the clock that timed the
       * wait is read first, and unless its deadline has passed (and no decision was taken as it
       * timed out, `lastTaskId` being the last one the workflow took) the step fails with
       * `ClockNotDueError`, which the workflow catches to the clock's own state.
       */
      whenDue: z.optional(z.object({ clock: z.enum(CLOCK_NAMES), lastTaskId: text(1, 100) })),
    }),
});

/** A step function's name, as in `workflows/catalog.ts`. */
export type StepName = keyof typeof STEP_EVENTS;

/** The parsed payload of one step. */
export type StepEvent<S extends StepName> = z.infer<(typeof STEP_EVENTS)[S]>;
