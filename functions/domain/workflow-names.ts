/**
 * The names the workflows, the task forms and the step code share. Each is a union type built
 * from one `as const` list, so a name used by a workflow definition that no step, form or rule
 * knows is a compile error, not a case stuck in "Workflow failed".
 */

/**
 * Every officer (or resident) task a workflow waits on, with the decisions that finish it.
 * The workflow definitions branch on exactly these decisions; the task forms offer exactly
 * these (plus the non-completing ones below); the decision rules cover every pair.
 */
export const TASK_DECISIONS = {
  acknowledge: [
    'acknowledge',
    'resolve',
    'reassign',
    'not-a-complaint',
    'refer-vexatious',
    'refuse-out-of-time',
  ],
  respond: ['respond', 'extend', 'pause', 'reassign', 'refer-vexatious'],
  'stage-2-decision': ['accept', 'refuse', 'resolve'],
  'social-care-plan': ['agree-plan'],
  'social-care-review': ['resolved', 'new-plan', 'propose-closing'],
  'sign-off': ['approve', 'decline'],
  'vexatious-decision': ['designate', 'do-not-designate'],
  'compliment-pass-on': ['passed-on'],
  'comment-reply': ['reply'],
  'representation-feedback': ['feedback'],
  resume: ['resume'],
  'stage-2-request': ['request'],
  'nominated-contact': ['handle', 'no-further-action'],
  'anonymous-review': ['investigate', 'no-action'],
  consent: ['consent-received', 'no-consent'],
  'confirm-exclusion': ['confirm', 'handle-as-complaint'],
  'referral-check': ['picked-up', 'handle-as-complaint'],
  'late-stage-2-request': ['accept-late'],
} as const satisfies Record<string, readonly string[]>;

/** A task a workflow waits on. */
export type TaskName = keyof typeof TASK_DECISIONS;

/** The decisions that finish one task (what the workflow's Choice branches on). */
export type DecisionOf<T extends TaskName> = (typeof TASK_DECISIONS)[T][number];

/** Any decision that finishes a task. */
export type Decision = DecisionOf<TaskName>;

/** Every task name, in a stable order. */
export const TASK_NAMES = Object.keys(TASK_DECISIONS) as TaskName[];

/** Whether a string names a task. */
export function isTaskName(name: string): name is TaskName {
  return Object.hasOwn(TASK_DECISIONS, name);
}

/**
 * The error a wait's task fails with to hand over `decision` when the wait expects another: the
 * workflow catches it by this name and goes straight to the decision's state, with no Choice
 * state after the wait (Step Functions bills every state entered). The decision the wait expects
 * (the usual one: acknowledge, respond) is handed over as the task's success.
 */
export function decisionErrorName(decision: string): string {
  return `Decision.${decision}`;
}

/**
 * The error the routing step fails its task with to send the case down a route the workflow
 * branches on (a redirect, a referral…), caught straight to the route's first state; the usual
 * route is the task's success.
 */
export function routeErrorName(route: string): string {
  return `Route.${route}`;
}

/** Whether `decision` finishes `task`. */
export function isDecisionOf<T extends TaskName>(task: T, decision: string): decision is DecisionOf<T> {
  return (TASK_DECISIONS[task] as readonly string[]).includes(decision);
}

/**
 * Decisions that record something on the case without finishing the task: the workflow is not
 * told, and the link keeps working (South Norfolk Council Complaints Policy: "contact the
 * complainant to discuss the complaint and agree what we are going to do").
 */
export const NON_COMPLETING_DECISIONS = {
  respond: ['record-contact'],
} as const satisfies Partial<Record<TaskName, readonly string[]>>;

/** A decision that is recorded without finishing its task. */
export type NonCompletingDecision =
  (typeof NON_COMPLETING_DECISIONS)[keyof typeof NON_COMPLETING_DECISIONS][number];

/** Every decision a task's form may offer: the finishing ones and the non-completing ones. */
export function formDecisionsOf(task: TaskName): readonly string[] {
  const extra = (NON_COMPLETING_DECISIONS as Partial<Record<TaskName, readonly string[]>>)[task] ?? [];
  return [...TASK_DECISIONS[task], ...extra];
}

/** Changes the workflow makes to a case without an officer (the `record` step). */
export const TRANSITIONS = [
  'acknowledged-automatically',
  'responded',
  'stage-2-started',
  'told-six-months',
  'closed',
] as const;
export type Transition = (typeof TRANSITIONS)[number];

/** Who a workflow email goes to; `people.ts` resolves each to addresses from the policy. */
export const AUDIENCES = [
  'resident',
  'officer',
  'manager',
  'complaints-team',
  'nominated-officer',
  'policy-owner',
  'service',
  'stage-2-reviewer',
  'director',
  'destination',
] as const;
export type Audience = (typeof AUDIENCES)[number];

/** Who is asked to do each task (a resident task is answered through the resident's own link). */
export const TASK_AUDIENCE: Readonly<Record<TaskName, Audience>> = {
  acknowledge: 'officer',
  respond: 'officer',
  resume: 'officer',
  'nominated-contact': 'nominated-officer',
  'vexatious-decision': 'nominated-officer',
  'anonymous-review': 'manager',
  consent: 'complaints-team',
  'confirm-exclusion': 'complaints-team',
  'referral-check': 'complaints-team',
  'late-stage-2-request': 'complaints-team',
  'stage-2-request': 'resident',
  'stage-2-decision': 'stage-2-reviewer',
  'compliment-pass-on': 'service',
  'comment-reply': 'officer',
  'representation-feedback': 'policy-owner',
  'social-care-plan': 'officer',
  'social-care-review': 'officer',
  'sign-off': 'director',
};

/**
 * The waits for a decision that no deadline of the procedure covers (consent, a manager's or a
 * nominated officer's decision, a pause, a director's sign-off…). Each is chased on its own
 * clock, named after the task it waits for, with the policy's timescale (`policy.waits`): a
 * reminder before it falls due, an escalation when it does, and again while it stays undone.
 */
export const WAIT_TASKS = [
  'confirm-exclusion',
  'referral-check',
  'consent',
  'anonymous-review',
  'nominated-contact',
  'vexatious-decision',
  'stage-2-decision',
  'resume',
  'sign-off',
] as const satisfies readonly TaskName[];
export type WaitTask = (typeof WAIT_TASKS)[number];

/** Whether a task (or a clock) is a chased wait. */
export function isWaitTask(name: string): name is WaitTask {
  return (WAIT_TASKS as readonly string[]).includes(name);
}

/**
 * The clocks a case keeps; the `clock` step reads one of them: the procedure's own clocks, and
 * one per chased wait. Every clock wakes at least monthly, so no execution waits long enough
 * to reach Step Functions' limit.
 */
export const CLOCK_NAMES = [
  'acknowledge',
  'respond',
  'stage-2-request',
  'stage-2-late-request',
  'reply',
  'plan',
  ...WAIT_TASKS,
  // Read by executions started before waits were chased (their definitions name it): a monthly
  // wake-up with nothing due. No current definition uses it.
  'hold',
] as const;
export type ClockName = (typeof CLOCK_NAMES)[number];

/**
 * What a clock can say is due that its clock step may see to itself (when the workflow asks, in
 * `acts`): the officer's reminder, the resident's holding letter, an escalation of a missed
 * deadline. Each is recorded on the case as done, so the clock, read again, says what is next.
 */
export const CLOCK_ACTS = ['remind', 'holding', 'deadline', 'overdue'] as const;
export type ClockAct = (typeof CLOCK_ACTS)[number];

/**
 * What a clock read before a timed wait may say that ends the wait before it starts: its
 * deadline has passed, (the response's clock) the resident cannot ask for stage 2, or (the stage-2
 * window's clock) the window has closed and a late request may still be accepted. The wait's
 * step fails the wait with an error the workflow catches, so no Choice sits between the two.
 */
export const WAIT_EXITS = ['deadline', 'no-stage-2', 'late'] as const;
export type WaitExit = (typeof WAIT_EXITS)[number];

/** The workflows, by name; each is `workflows/<name>.asl.json`. */
export const WORKFLOW_NAMES = [
  'complaint',
  'compliment',
  'comment',
  'representation',
  'social-care',
] as const;
export type WorkflowName = (typeof WORKFLOW_NAMES)[number];
