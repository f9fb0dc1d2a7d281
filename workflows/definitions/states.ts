/**
 * A small typed builder for the workflows' Amazon States Language. Each helper is one kind of
 * step the workflows take (`notify('receipt', 'resident', …)`, `awaitTask('respond', …)`,
 * `clock('respond', …)`), typed by the names the step code and the task forms share
 * (`functions/domain/workflow-names.ts`), so a misspelt template, task, decision or state is a
 * compile error. Every Task state gets the one retry policy and the one catch.
 *
 * Why not CDK's `aws-stepfunctions` constructs: they render a definition inside a stack, with
 * function ARNs as CloudFormation tokens, while the ASL files must stay plain JSON with
 * `${…}` substitutions that CDK, the local engine and the tests all load. What the workflows
 * need is a dozen state shapes, which this file spells out.
 */

import {
  CaseContinuedError,
  CaseResumedError,
  ClockNotDueError,
  DeadlinePassedError,
  WAIT_EXIT_ERRORS,
  WaitAgainError,
} from '../../functions/app/steps.js';
import type { ClockReading } from '../../functions/domain/case-clock.js';
import {
  type Audience,
  type ClockAct,
  type ClockName,
  type DecisionOf,
  decisionErrorName,
  routeErrorName,
  type TaskName,
  type Transition,
  type WaitExit,
  type WaitTask,
} from '../../functions/domain/workflow-names.js';
import type { EmailTemplate } from '../../functions/templates/render-email.js';
import type { StepFunctionKey } from '../catalog.js';
import { errorNameOf, RETRY_POLICY, SERVICE_OUTAGE_ERRORS, WRITE_RACE_ERROR } from './retry-policy.js';

/** A state as Amazon States Language spells it. */
export type AslState = { Type: 'Task' | 'Choice' | 'Pass' | 'Succeed' | 'Fail' } & Record<string, unknown>;

/** A whole workflow definition. */
export interface AslDefinition {
  Comment: string;
  StartAt: string;
  States: Record<string, AslState>;
}

/**
 * States every workflow ends with: closing and archiving, and the one way to fail.
 *
 * Step Functions bills every state entered, Choice and Pass states included, so the definitions
 * keep the states a case passes through to those that do something or branch: closing and
 * archiving are one Task (the archive step records the close first) that ends the execution
 * itself (`End`) rather than through a Succeed state, and the check for a case handed over to a
 * fresh execution rides on the Choice that follows routing (see `workflow()`).
 */
export const CLOSE = 'Close the case';
export const FAILURE = 'Tell the complaints team something went wrong';
/**
 * Step Functions ends an execution after a year. A case that lives longer (a long pause, a long
 * social care plan) is handed by its clock step to a fresh execution of the same workflow, which
 * is routed again and then resumes at the same clock state (`$.resumeAt`), and this one ends here.
 */
const RENEWED = 'Continued in a fresh execution';
/** Where a fresh execution of a case handed over goes after routing: the clock state it names. */
const RESUME = 'Where does the case resume?';
const CANNOT_RESUME = 'Cannot resume there';
/** A decision no branch knows (the types rule it out; this is the net): the team is told. */
const UNKNOWN_DECISION = 'A decision the workflow does not know';
/** The archive step records these transitions, in order, before it writes the case file. */
type ClosingTransitions = readonly [...Transition[], 'closed'];
const FAILED = 'Workflow failed';

/** Names of the states `workflow()` adds to every definition, which any state may go to. */
export type StandardState = typeof CLOSE | typeof FAILURE | typeof RENEWED | typeof UNKNOWN_DECISION;

/** One state of a workflow being defined; `N` is the union of the states it can go to. */
export interface Step<N extends string> {
  readonly targets: readonly N[];
  readonly state: AslState;
  /** A timed wait: where the clock readings that end it before it starts lead (see `awaitTask`). */
  readonly exits?: Partial<Record<WaitExit, string>>;
  /** A Choice on a decision: the state each decision goes to, the expected one first (see `decide`). */
  readonly decisions?: Readonly<Record<string, string>>;
}

/** Any step, whatever it goes to (kept apart from `Step<N>` so TypeScript infers each `N` from the step's arguments). */
interface AnyStep {
  readonly state: AslState;
  readonly exits?: Partial<Record<WaitExit, string>>;
  readonly decisions?: Readonly<Record<string, string>>;
}

const step = <N extends string>(state: AslState, targets: N[]): Step<N> => ({ state, targets });

/**
 * JSONata, for the states that need it: routing, the clock reads and the waits. A caught error carries
 * its data as a string (`Cause`), which only JSONata can read back (`$parse`), so only in a
 * JSONata state can a decision or a clock reading that leads elsewhere be handed over as a named
 * task failure, caught straight to its state, rather than go through a Choice state (or a wait
 * entered only to be left at once), each billed as a transition. The other states keep JSONPath:
 * Step Functions allows the two side by side, state by state, and both keep the same state data.
 */
const JSONATA = 'JSONata';
const expr = (expression: string) => `{% ${expression} %}`;
/** The state's input, unchanged: JSONPath's `ResultPath: null`. */
const KEEP_INPUT = expr('$states.input');
/** The state's input with `value` at `field`: JSONPath's `ResultPath: '$.<field>'`. */
const inputWith = (field: string, value: string) => expr(`$merge([$states.input, {"${field}": ${value}}])`);
/** A caught task failure's cause, which the steps write as JSON (a decision, a clock reading). */
const PARSED_CAUSE = '$parse($states.errorOutput.Cause)';

const isJsonata = (state: AslState) => state.QueryLanguage === JSONATA;
/** A catch that passes the input on unchanged, in the state's own query language. */
const keepingInput = (state: AslState) => (isJsonata(state) ? { Output: KEEP_INPUT } : { ResultPath: null });
/** A catch that adds the error at `$.error`, in the state's own query language. */
const keepingError = (state: AslState) =>
  isJsonata(state) ? { Output: inputWith('error', '$states.errorOutput') } : { ResultPath: '$.error' };

/**
 * A JSONata callback Task state invoking one step function with the case id, the task token and
 * the given payload: the step answers the state itself (see `route`, `clock` and `awaitTask`).
 */
function invokeCallback(fn: StepFunctionKey, payload: Record<string, unknown>): AslState {
  return {
    Type: 'Task',
    QueryLanguage: JSONATA,
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Arguments: {
      FunctionName: `\${${fn}}`,
      Payload: {
        caseId: expr('$states.input.caseId'),
        step: {
          execution: expr('$states.context.Execution.Id'),
          state: expr('$states.context.State.Name'),
          enteredAt: expr('$states.context.State.EnteredTime'),
        },
        ...payload,
        taskToken: expr('$states.context.Task.Token'),
      },
    },
  };
}

/** A JSONPath Task state invoking one step function with the case id and the given payload. */
function invoke(fn: StepFunctionKey, payload: Record<string, unknown>): AslState {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: {
      FunctionName: `\${${fn}}`,
      Payload: { 'caseId.$': '$.caseId', step: STEP_CONTEXT, ...payload },
    },
  };
}

/**
 * Where a step runs, in every payload: the execution, the state and when the state was entered
 * (the same for every retry of one entry), which name the step's effects so that each happens
 * once however often the step runs (`functions/app/effects.ts`).
 */
const STEP_CONTEXT = {
  'execution.$': '$$.Execution.Id',
  'state.$': '$$.State.Name',
  'enteredAt.$': '$$.State.EnteredTime',
};

/** Every Task state: the retry policy, then the catches given, then everything else to `FAILURE`. */
function guarded(state: AslState, catches: Record<string, unknown>[] = []): AslState {
  return {
    ...state,
    Retry: RETRY_POLICY.map((r) => ({ ...r, ErrorEquals: [...r.ErrorEquals] })),
    Catch: [...catches, { ErrorEquals: ['States.ALL'], ...keepingError(state), Next: FAILURE }],
  };
}

/**
 * Route the case by the policy's routing table; the result lands in `$.route`. The step is given
 * the execution's state and answers it whole, with the last task decided set to "none" when no
 * wait has run. `next` names the Choice on `$.route.route` that says where each route goes:
 * `workflow()` folds it into this state (see `routeWithoutChoice`), so the step answers the
 * usual route as the task's success and every other as a failure named for it, caught straight
 * to the route's first state. The state is a callback for that: its step answers it.
 */
export function route<const N extends string>(next: N): Step<N> {
  return step(
    guarded({
      ...invokeCallback('RouteFunctionArn', { state: expr('$states.input') }),
      Output: expr('$states.result'),
      Next: next,
    }),
    [next],
  );
}

/** Send one templated email (or record the letter needed) to one audience. */
export function notify<const N extends string>(template: EmailTemplate, to: Audience, next: N): Step<N> {
  return step(guarded({ ...invoke('NotifyFunctionArn', { template, to }), ResultPath: null, Next: next }), [
    next,
  ]);
}

/**
 * The states of a chased wait for `task`: read its clock, which reminds before it falls due and
 * escalates when it does (and again while it stays undone), then wait for the decision, which
 * goes to `next`, until the clock next has something due. `names` are the states' names.
 */
export function chasedWait<
  const T extends WaitTask,
  const C extends string,
  const A extends string,
  const N extends string,
>(
  task: T,
  names: { check: C; await: A },
  next: N,
): { [K in C]: Step<A> } & { [K in A]: Step<N | C | typeof RENEWED> } {
  const states: Record<string, AnyStep> = {
    [names.check]: clock(task, names.await, { acts: ['remind', 'deadline', 'overdue'] }),
    [names.await]: awaitTask(task, next, { timeout: names.check }),
  };
  return states as never;
}

/**
 * Read one clock of the case into `$.clock` (what is due, how long to wait, the deadline). What
 * falls due in `acts` (a reminder, a holding letter, an escalation) the clock step sees to itself
 * and reads on, so the Choice after it has no branch for it: a reminder or an escalation costs no
 * states of its own, and no second entry into the clock state (see `seeTo` in the steps).
 *
 * The state is a callback, answered by its step: the reading goes on to the wait after it, and a
 * reading that ends that wait before it starts (a deadline passed, the window closed, no stage 2:
 * the wait's `exits`, which `workflow()` gives every clock state before the wait; or a case handed
 * to a fresh execution) is a task failure named for it, caught straight to where it leads with the
 * reading as `$.clock`. Before, the wait was entered for its step to end it at once: one more state.
 *
 * Like routing, the state has no timeout of its own: its step answers (or throws) on every path
 * before it returns, and a step that hangs is ended by Lambda's own timeout, which fails the task
 * into the retry policy. A timeout here would run on the engine's clock, which `npm start --
 * --time-scale` speeds up, and fire while a slow step was still working.
 */
export function clock<const N extends string>(name: ClockName, next: N, options: ClockOptions = {}): Step<N> {
  return step(clockState(name, next, options), [next]);
}

interface ClockOptions {
  holdingLetters?: boolean;
  acts?: readonly ClockAct[];
  /**
   * The stage-2 window's clock: once the window has passed, the clock step sends this letter
   * (once a case) and reads on the late-request clock, answering `late` while the complaints team
   * may still accept a late request and `deadline` once that has passed too. The letter and the
   * late wait cost no state of their own between the two waits.
   */
  closing?: { template: EmailTemplate; to: Audience; readsOn: ClockName };
}

function clockState(
  name: ClockName,
  next: string,
  options: ClockOptions,
  first?: { template?: EmailTemplate; to?: Audience; record?: Transition; resumeAt: string },
): AslState {
  return guarded({
    ...invokeCallback('ClockFunctionArn', {
      clock: name,
      // The workflow sees to a holding letter (the clock answers `holding` only then).
      ...(options.holdingLetters ? { holdingLetters: true } : {}),
      ...(options.acts?.length ? { acts: [...options.acts] } : {}),
      ...(options.closing ? { closing: options.closing } : {}),
      ...(first ? { first } : {}),
      // What a fresh execution needs if this one is old enough to hand over (see RENEWED).
      executionStartedAt: expr('$states.context.Execution.StartTime'),
      route: expr('$states.input.route'),
      lastTaskId: expr('$states.input.task.taskId'),
    }),
    Output: inputWith('clock', '$states.result'),
    Next: next,
  });
}

/**
 * Send one letter (and, with `record`, make one change to the case), then read a clock, in one
 * Task state: what `notify`, `record` and `clock` did in a state each, every case entering two or
 * three states fewer (Step Functions bills each). The clock step does the letter and the change
 * as effects of their own, each once per entry into this state (see `clock` in the steps), so a
 * retry after the clock read failed sends nothing twice. The wait's wake-ups read the clock in
 * `resumeAt`, the state that reads the same clock alone, and a fresh execution resumes there:
 * entering this one again would send the letter again. With `record: 'responded'`, the clock
 * reads the stage-2 window only when the resident may ask for stage 2, and otherwise says
 * `no-stage-2`, which the wait after it leaves at once (`awaitTask`'s `noStage2`).
 */
export function sendThenClock<const N extends string, const R extends string>(
  letter: { template: EmailTemplate; to: Audience; record?: Transition },
  name: ClockName,
  next: N,
  options: ClockOptions & { resumeAt: R },
): Step<N | R> {
  const { resumeAt, ...clockOptions } = options;
  return step<N | R>(clockState(name, next, clockOptions, { ...letter, resumeAt }), [next, resumeAt]);
}

/**
 * Make one change to the case, then read a clock, in one Task state: `sendThenClock` without a
 * letter (stage 2 starting, then its acknowledgement clock read). The change is once per decision
 * taken before the state, as the letter is there; wake-ups read the clock in `resumeAt`.
 */
export function recordThenClock<const N extends string, const R extends string>(
  transition: Transition,
  name: ClockName,
  next: N,
  options: ClockOptions & { resumeAt: R },
): Step<N | R> {
  const { resumeAt, ...clockOptions } = options;
  return step<N | R>(clockState(name, next, clockOptions, { record: transition, resumeAt }), [
    next,
    resumeAt,
  ]);
}

/** Tell the manager a deadline of this clock was missed. */
export function escalate<const N extends string>(name: ClockName, next: N): Step<N> {
  return step(guarded({ ...invoke('EscalateFunctionArn', { clock: name }), ResultPath: null, Next: next }), [
    next,
  ]);
}

/** A change the workflow makes to the case without an officer. */
export function record<const N extends string>(
  transition: Transition,
  next: N,
  options: { stage2AvailableTo?: string } = {},
): Step<N> {
  const result = options.stage2AvailableTo
    ? {
        ResultSelector: { 'stage2Available.$': '$.Payload.stage2Available' },
        ResultPath: options.stage2AvailableTo,
      }
    : { ResultPath: null };
  return step(guarded({ ...invoke('RecordFunctionArn', { transition }), ...result, Next: next }), [next]);
}

/**
 * The last state of a workflow: record `transitions` (ending with `closed`) and archive the case
 * file, in one Task that ends the execution. Each transition is recorded once per execution
 * however often the state is entered (the archive step, `functions/app/steps.ts`).
 */
export function closing(transitions: ClosingTransitions = ['closed']): Step<never> {
  return step(
    guarded({ ...invoke('ArchiveFunctionArn', { record: [...transitions] }), ResultPath: null, End: true }),
    [],
  );
}

/**
 * The close a wait's timeout goes to straight, when the clock that timed the wait leads nowhere
 * else once its deadline has passed (the time to accept a late stage-2 request): the archive step
 * reads that clock first, and when it is not due after all (the calendar moved the deadline, or a
 * decision came as the wait timed out) fails with `ClockNotDueError`, caught to `notYet`, the
 * clock's own state, which waits again. Before, every such case entered the clock state only to
 * be sent on to the close: one state more (Step Functions bills each).
 */
export function closeWhenDue<const N extends string>(name: ClockName, notYet: N): Step<N> {
  return step(
    guarded(
      {
        ...invoke('ArchiveFunctionArn', {
          record: ['closed'] satisfies ClosingTransitions,
          whenDue: { clock: name, 'lastTaskId.$': '$.task.taskId' },
        }),
        ResultPath: null,
        End: true,
      },
      [{ ErrorEquals: [errorNameOf(ClockNotDueError)], ResultPath: null, Next: notYet }],
    ),
    [notYet],
  );
}

/**
 * Wait for a person to finish a task: the step stores the callback token on the case and emails
 * a signed link; the decision lands in `$.task`. With `timeout`, the wait ends when the clock
 * read just before says something next falls due (`$.clock.waitSeconds`), and goes there.
 *
 * `deadline`, `late` and `noStage2` say where a clock reading that ends the wait before it starts
 * leads: its deadline has passed (`DeadlinePassedError`), the stage-2 window has closed and a late
 * request may follow (`Stage2WindowClosedError`), or the resident cannot ask for stage 2
 * (`NoStage2Error`). `workflow()` gives these catches to every clock state that goes to this wait,
 * whose step answers with the error (see `clock`), so the wait is not entered only to be left.
 *
 * A wait followed by a `decide` takes the decision that Choice lists first as the task's success,
 * and every other as a task failure named for it (`Decision.<decision>`), caught straight to its
 * state with the decision parsed back into `$.task`: `workflow()` folds the Choice into the wait
 * (see `foldDecisions`), one state fewer for every decision taken.
 */
export function awaitTask<
  const N extends string,
  const T extends string = never,
  const D extends string = never,
  const S extends string = never,
  const L extends string = never,
  const O extends string = never,
>(
  task: TaskName,
  next: N,
  options: {
    timeout?: T;
    deadline?: D;
    noStage2?: S;
    late?: L;
    /**
     * The timeout goes to `timeout` with what the clock read before this wait foresaw it would
     * read then (`$.clock.onTimeout`, see `foreseenOnTimeout` in the steps), not through a clock
     * state: the state it goes to checks the foresight (`foreseenBy`).
     */
    foreseen?: true;
    /**
     * This wait may be entered straight from another wait's timeout (`foreseen`): its step reads
     * `clock` and sees to the `closing` letter as that clock's state would, and when the reading
     * is not as foreseen goes to `otherwise`, that clock's state (`ClockNotDueError`), or, woken
     * early with nothing else changed, back to `waitAgain` with the fresh reading; a deadline
     * already passed goes to `deadline`.
     */
    foreseenBy?: {
      clock: ClockName;
      closing: NonNullable<ClockOptions['closing']>;
      otherwise: O;
      /** The wait that timed out, entered again when it woke before its deadline (`WaitAgainError`). */
      waitAgain: O;
    };
  } = {},
): Step<N | T | D | S | L | O | typeof RENEWED> {
  const exits: Partial<Record<WaitExit, string>> = {
    ...(options.deadline ? { deadline: options.deadline } : {}),
    ...(options.noStage2 ? { 'no-stage-2': options.noStage2 } : {}),
    ...(options.late ? { late: options.late } : {}),
  };
  const foreseenBy = options.foreseenBy
    ? {
        foreseenBy: { clock: options.foreseenBy.clock, closing: options.foreseenBy.closing },
        reading: expr('$states.input.clock'),
        executionStartedAt: expr('$states.context.Execution.StartTime'),
      }
    : {};
  const base: AslState = {
    ...invokeCallback(
      'RequestTaskFunctionArn',
      // The last task the workflow took a decision on (routing sets "none"): a pending decision
      // for it is already taken and is only settled, never handed over twice.
      { task, lastTaskId: expr('$states.input.task.taskId'), ...foreseenBy },
    ),
    ...(options.timeout ? { TimeoutSeconds: expr('$states.input.clock.waitSeconds') } : {}),
    Output: inputWith('task', '$states.result'),
    Next: next,
  };
  const catches: Record<string, unknown>[] = options.timeout
    ? [
        {
          ErrorEquals: ['States.Timeout'],
          Output: options.foreseen ? inputWith('clock', FORESEEN_ON_TIMEOUT) : KEEP_INPUT,
          Next: options.timeout,
        },
      ]
    : [];
  if (options.foreseenBy) {
    catches.push(
      {
        ErrorEquals: [errorNameOf(WaitAgainError)],
        Output: inputWith('clock', PARSED_CAUSE),
        Next: options.foreseenBy.waitAgain,
      },
      {
        ErrorEquals: [errorNameOf(ClockNotDueError)],
        Output: KEEP_INPUT,
        Next: options.foreseenBy.otherwise,
      },
    );
    if (options.deadline)
      catches.push({
        ErrorEquals: [errorNameOf(DeadlinePassedError)],
        Output: KEEP_INPUT,
        Next: options.deadline,
      });
  }
  const targets = [
    next,
    ...(options.timeout ? [options.timeout] : []),
    ...(options.foreseenBy ? [options.foreseenBy.otherwise, options.foreseenBy.waitAgain] : []),
    ...Object.values(exits),
  ] as (N | T | D | S | L | O)[];
  return { state: guarded(base, catches), targets, exits };
}

/**
 * What a wait's timeout hands on when its clock foresaw the reading (`awaitTask`'s `foreseen`):
 * the foresight, or, from a clock that gave none, a reading marked foreseen that the next step
 * cannot match, so that it goes to the clock's state.
 */
const FORESEEN_ON_TIMEOUT =
  '$exists($states.input.clock.onTimeout) ? $states.input.clock.onTimeout : {"due": "none", "waitSeconds": 1, "deadline": null, "foreseen": true}';

/**
 * Branch on the decision that finished `task`: one branch for every decision, and no other, the
 * decision the wait expects (the usual one) first. After a wait, `workflow()` folds it into the
 * wait (see `awaitTask`); the Choice state is written only where something else goes to it too.
 */
export function decide<T extends TaskName, const B extends { readonly [D in DecisionOf<T>]: string }>(
  _task: T,
  branches: B & { readonly [X in Exclude<keyof B, DecisionOf<T>>]: never },
): Step<B[keyof B] | typeof UNKNOWN_DECISION> {
  return { ...equals('$.task.decision', branches as B, UNKNOWN_DECISION), decisions: branches as B };
}

/** What a clock can say is due, as the `clock` step reports it. */
type Due = Exclude<ClockReading['due'], 'none'>;

/**
 * Branch on what the clock says is due (`$.clock.due`); anything else goes to `otherwise`. A
 * clock that has handed the case to a fresh execution (`renewed`) ends this one, whatever the
 * branches: every clock read is followed by one of these, or straight by a timed wait, which
 * ends it too (see `awaitTask`).
 */
export function due<const B extends { readonly [D in Due]?: string }, const O extends string>(
  branches: B & { readonly [X in Exclude<keyof B, Due>]: never },
  otherwise: O,
): Step<Extract<B[keyof B], string> | O> {
  return equals('$.clock.due', { renewed: RENEWED, ...branches } as B, otherwise) as Step<
    Extract<B[keyof B], string> | O
  >;
}

/** Branch on a string at `variable`. */
export function equals<const B extends Readonly<Record<string, string | undefined>>, const O extends string>(
  variable: string,
  branches: B,
  otherwise: O,
): Step<Extract<B[keyof B], string> | O> {
  const entries = Object.entries(branches).filter((e): e is [string, string] => e[1] !== undefined);
  const choices = entries.map(([value, next]) => ({ Variable: variable, StringEquals: value, Next: next }));
  return step<Extract<B[keyof B], string> | O>({ Type: 'Choice', Choices: choices, Default: otherwise }, [
    ...entries.map(([, next]) => next as Extract<B[keyof B], string>),
    otherwise,
  ]);
}

/** Branch on a boolean at `variable`. */
export function whenTrue<const N extends string>(variable: string, then: N, otherwise: N): Step<N> {
  return step(
    {
      Type: 'Choice',
      Choices: [{ Variable: variable, BooleanEquals: true, Next: then }],
      Default: otherwise,
    },
    [then, otherwise],
  );
}

/** Every state name a step goes to must be a state of the workflow: a typo is a compile error. */
type Checked<S> = {
  [K in keyof S]: S[K] extends Step<infer N>
    ? [Exclude<N, keyof S | StandardState>] extends [never]
      ? unknown
      : { unknownState: Exclude<N, keyof S | StandardState> }
    : never;
};

/**
 * A workflow: its states in reading order, then the standard ending (close, archive, succeed)
 * and the standard failure (tell the complaints team, fail). Checks that every state it names
 * exists and every state is reachable, so a definition that type-checks is also whole.
 */
export function workflow<const S extends Record<string, AnyStep>>(definition: {
  comment: string;
  startAt: keyof S & string;
  states: S & Checked<S>;
  /**
   * The state a reopened case's fresh execution resumes at (`$.resumeAt`), though it sends a
   * letter before its clock read: unlike a case handed over after a year, a reopened case is new
   * news to the resident, and the letter is once per execution (see `sendThenClock`).
   */
  reopenAt?: keyof S & string;
}): AslDefinition {
  const steps = definition.states as Record<string, AnyStep>;
  const states: Record<string, AslState> = {};
  for (const [name, s] of Object.entries(steps)) states[name] = s.state;
  foldDecisions(steps, states);
  giveClocksTheirExits(steps, states);
  Object.assign(states, {
    [CLOSE]: closing().state,
    [FAILURE]: {
      ...invoke('NotifyFunctionArn', {
        template: 'complaints-team-alert' satisfies EmailTemplate,
        to: 'complaints-team' satisfies Audience,
        'error.$': '$.error.Error',
      }),
      ResultPath: null,
      Next: FAILED,
      Retry: RETRY_POLICY.map((r) => ({ ...r, ErrorEquals: [...r.ErrorEquals] })),
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: FAILED }],
    },
    [FAILED]: {
      Type: 'Fail',
      Error: 'WorkflowFailed',
      Cause: 'A step failed after its retries; the complaints team has been told and the case stays open.',
    },
  } satisfies Record<string, AslState>);
  states[RENEWED] = { Type: 'Succeed' };
  const branchesOnDecisions = Object.values(states).some((state) =>
    targetsOf(state).includes(UNKNOWN_DECISION),
  );
  if (branchesOnDecisions)
    states[UNKNOWN_DECISION] = {
      Type: 'Pass',
      Result: {
        Error: 'UnknownDecision',
        Cause: 'A task answered with a decision no branch of the workflow handles.',
      },
      ResultPath: '$.error',
      Next: FAILURE,
    };
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task') states[name] = outlastingOutages(name, state);
  }
  // A state that sends a letter before its clock read is no place to resume (see `sendThenClock`).
  const clocks = Object.keys(states).filter(
    (name) => isClock(states[name] as AslState) && !sendsFirst(states[name] as AslState),
  );
  if (definition.reopenAt) clocks.push(definition.reopenAt);
  routeWithoutChoice(definition.startAt, states, clocks);
  const all: Record<string, AslState> = {
    ...states,
    [CANNOT_RESUME]: {
      Type: 'Fail',
      Error: 'CannotResume',
      Cause: 'The execution was asked to resume at a state that reads no clock.',
    },
  };
  assertWhole(definition.startAt, all);
  return { Comment: definition.comment, StartAt: definition.startAt, States: all };
}

/**
 * Every wait followed by a `decide` Choice takes the decision listed first as its task's success
 * and goes where it leads; every other decision is caught by name (`decisionErrorName`) straight
 * to its state, with the decision (the failure's cause) back in `$.task`, as the Choice would have
 * had it. The step that opens the wait is told which decision it expects (`expected`), and so is
 * whoever hands the decision over (`functions/app/decision-delivery.ts`). A Choice nothing else
 * goes to is then dropped: one state fewer for every decision a case takes.
 */
function foldDecisions(steps: Record<string, AnyStep>, states: Record<string, AslState>): void {
  for (const [name, state] of Object.entries(states)) {
    const choiceName = typeof state.Next === 'string' ? state.Next : undefined;
    const decisions = choiceName ? steps[choiceName]?.decisions : undefined;
    if (!isWait(state) || !decisions || !choiceName) continue;
    const [expected, ...others] = Object.keys(decisions);
    if (expected === undefined) continue;
    const args = state.Arguments as { Payload: Record<string, unknown> };
    states[name] = {
      ...state,
      Arguments: { ...args, Payload: { ...args.Payload, expected } },
      Next: decisions[expected],
      Catch: [
        ...others.map((decision) => ({
          ErrorEquals: [decisionErrorName(decision)],
          Output: inputWith('task', PARSED_CAUSE),
          Next: decisions[decision],
        })),
        ...((state.Catch as unknown[] | undefined) ?? []),
      ],
    };
  }
  for (const name of Object.keys(steps)) {
    if (!steps[name]?.decisions) continue;
    const stillEntered = Object.values(states).some((state) => targetsOf(state).includes(name));
    if (!stillEntered) delete states[name];
  }
}

/**
 * Every clock state learns the exits of the wait it goes to (see `awaitTask`): its step answers a
 * reading that ends the wait with the error named for it, caught here straight to where it leads
 * with the reading in `$.clock`; and a case handed to a fresh execution ends this one from the
 * clock state (`CaseContinuedError`), whatever the wait.
 */
function giveClocksTheirExits(steps: Record<string, AnyStep>, states: Record<string, AslState>): void {
  for (const [name, state] of Object.entries(states)) {
    if (!isClock(state)) continue;
    const exits = Object.entries((typeof state.Next === 'string' && steps[state.Next]?.exits) || {}) as [
      WaitExit,
      string,
    ][];
    const args = state.Arguments as { Payload: Record<string, unknown> };
    states[name] = {
      ...state,
      Arguments: exits.length
        ? { ...args, Payload: { ...args.Payload, exits: exits.map(([exit]) => exit) } }
        : args,
      Catch: [
        { ErrorEquals: [errorNameOf(CaseContinuedError)], Output: KEEP_INPUT, Next: RENEWED },
        ...exits.map(([exit, next]) => ({
          ErrorEquals: [errorNameOf(WAIT_EXIT_ERRORS[exit])],
          Output: inputWith('clock', PARSED_CAUSE),
          Next: next,
        })),
        ...((state.Catch as unknown[] | undefined) ?? []),
      ],
    };
  }
}

/**
 * An outage longer than the retry policy's cover does not fail the case: the Task state catches
 * the errors of a service not answering and enters itself again, with its retries counted
 * afresh. The case waits out the outage however long it lasts and goes on by itself once the
 * service is back. A step that keeps crashing or timing out is not an outage (it would loop for
 * ever): once its retries are spent it reaches the catch-all, and the complaints team is told.
 */
function outlastingOutages(name: string, state: AslState): AslState {
  const catches = (state.Catch as Record<string, unknown>[] | undefined) ?? [];
  const catchAll = catches.length - 1;
  return {
    ...state,
    Catch: [
      ...catches.slice(0, catchAll),
      { ErrorEquals: [...SERVICE_OUTAGE_ERRORS, WRITE_RACE_ERROR], ...keepingInput(state), Next: name },
      ...catches.slice(catchAll),
    ],
  };
}

/**
 * The Choice after routing goes into the routing state: each route it branches on becomes a catch
 * of the error the step fails its task with for that route (`Route.<route>`), and its default the
 * state's `Next`, the usual route and the step's success; the Choice is no longer entered.
 *
 * A fresh execution of a case handed over (`$.resumeAt`, see `RENEWED`) is routed like any other
 * (the routing step only reads the case: a case routed before finds itself assigned and changes
 * nothing), and the step fails its task with `CaseResumedError` instead, caught to a Choice that
 * goes to the clock state named: only the few cases that outlive a year or are reopened enter it.
 * Only before any task is decided in this execution (the step's rule): a case sent back to routing
 * by a decision ("handle it as a complaint") is routed, not resumed again.
 */
function routeWithoutChoice(startAt: string, states: Record<string, AslState>, clocks: string[]): void {
  const routing = states[startAt] as AslState;
  const choiceName = typeof routing.Next === 'string' ? routing.Next : '';
  const choice = states[choiceName];
  const branches = (choice?.Choices ?? []) as { Variable?: string; StringEquals?: unknown; Next: string }[];
  if (
    !isRoute(routing) ||
    choice?.Type !== 'Choice' ||
    typeof choice.Default !== 'string' ||
    !branches.every((b) => b.Variable === '$.route.route' && typeof b.StringEquals === 'string')
  ) {
    throw new Error(
      `workflow starts at "${startAt}", which is not a routing step followed by a Choice on $.route.route`,
    );
  }
  const args = routing.Arguments as { Payload: Record<string, unknown> };
  const routes = branches.map((b) => String(b.StringEquals));
  const usual = absorbable(choice.Default, states);
  states[startAt] = {
    ...routing,
    Arguments: { ...args, Payload: { ...args.Payload, branches: routes, ...usual?.payload } },
    Next: usual?.next ?? choice.Default,
    Catch: [
      { ErrorEquals: [errorNameOf(CaseResumedError)], Output: expr(PARSED_CAUSE), Next: RESUME },
      ...branches.map((b) => ({
        ErrorEquals: [routeErrorName(String(b.StringEquals))],
        Output: expr(PARSED_CAUSE),
        Next: b.Next,
      })),
      ...(usual?.catches ?? []),
      ...((routing.Catch as unknown[] | undefined) ?? []),
    ],
  };
  delete states[choiceName];
  const usualName = choice.Default;
  const enteredOtherwise = Object.entries(states).some(
    ([name, state]) => name !== usualName && targetsOf(state).includes(usualName),
  );
  if (usual && !enteredOtherwise) delete states[usualName];
  states[RESUME] = {
    Type: 'Choice',
    Choices: clocks.map((name) => ({ Variable: '$.resumeAt', StringEquals: name, Next: name })),
    Default: CANNOT_RESUME,
  };
}

/**
 * The usual route's first state, when it sends a letter and reads a clock (the receipt and the
 * acknowledgement clock, `sendThenClock`): the routing step does that too (`usual` in its
 * payload, the state's own payload without what the step has already), answering with the
 * reading, so the case goes from routing straight to the wait. The state's named catches become
 * the routing state's, each parsing back the whole execution state (the routing step's cause).
 * The state stays for the other ways into it (consent given, a nominated officer's decision).
 */
function absorbable(
  name: string,
  states: Record<string, AslState>,
): { payload: Record<string, unknown>; next: string; catches: Record<string, unknown>[] } | undefined {
  const state = states[name];
  if (!state || !isClock(state) || !sendsFirst(state) || typeof state.Next !== 'string') return undefined;
  const {
    caseId: _caseId,
    step: _step,
    executionStartedAt: _started,
    route: _route,
    lastTaskId: _lastTaskId,
    taskToken: _taskToken,
    ...read
  } = invocationOf(state).Payload ?? {};
  const catches = ((state.Catch as { ErrorEquals: string[]; Next: string }[] | undefined) ?? [])
    .filter((c) => c.ErrorEquals.length === 1 && !c.ErrorEquals[0]?.startsWith('States.') && c.Next !== name)
    .map((c) => ({ ...c, Output: expr(PARSED_CAUSE) }));
  return {
    payload: {
      usual: { state: name, ...read },
      executionStartedAt: expr('$states.context.Execution.StartTime'),
    },
    next: state.Next,
    catches,
  };
}

/** What a Task state gives its step function, in either query language. */
function invocationOf(state: AslState): { FunctionName?: string; Payload?: Record<string, unknown> } {
  return ((state.Arguments ?? state.Parameters) as ReturnType<typeof invocationOf> | undefined) ?? {};
}

/** Whether a state is a Task invoking the step function `fn`. */
function invokes(state: AslState, fn: StepFunctionKey): boolean {
  return state.Type === 'Task' && invocationOf(state).FunctionName === `\${${fn}}`;
}

/** Whether a state is the routing step. */
const isRoute = (state: AslState) => invokes(state, 'RouteFunctionArn');

/** Whether a state reads a clock (a place a fresh execution can resume at). */
const isClock = (state: AslState) => invokes(state, 'ClockFunctionArn');

/** Whether a state waits for a person's decision (`awaitTask`). */
const isWait = (state: AslState) => invokes(state, 'RequestTaskFunctionArn');

/** Whether a clock state sends a letter before it reads the clock (`sendThenClock`). */
const sendsFirst = (state: AslState) => invocationOf(state).Payload?.first !== undefined;

/** Every state it names exists, and every state is reachable from the start. */
function assertWhole(startAt: string, states: Record<string, AslState>): void {
  const seen = new Set<string>();
  const visit = (name: string, from: string) => {
    const state = states[name];
    if (!state) throw new Error(`workflow state "${from}" goes to "${name}", which is not defined`);
    if (seen.has(name)) return;
    seen.add(name);
    for (const next of targetsOf(state)) visit(next, name);
  };
  visit(startAt, 'StartAt');
  const unreachable = Object.keys(states).filter((n) => !seen.has(n));
  if (unreachable.length > 0) throw new Error(`workflow states never reached: ${unreachable.join(', ')}`);
}

/** The states one state can go to: Next, Default, each choice and each catch. */
export function targetsOf(state: AslState): string[] {
  const choices = (state.Choices as { Next: string }[] | undefined) ?? [];
  const catches = (state.Catch as { Next: string }[] | undefined) ?? [];
  return [state.Next, state.Default, ...choices.map((c) => c.Next), ...catches.map((c) => c.Next)].filter(
    (n): n is string => typeof n === 'string',
  );
}
