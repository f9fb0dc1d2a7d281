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
  acknowledge: ['acknowledge', 'resolve', 'reassign', 'not-a-complaint', 'refer-vexatious'],
  respond: ['respond', 'extend', 'pause', 'reassign', 'refer-vexatious'],
  'stage-2-decision': ['accept', 'refuse'],
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
 * The clocks a case keeps; the `clock` step reads one of them. `hold` is a wait with no deadline
 * of its own (a pause, a decision only a nominated officer or a director can take): it wakes
 * now and then all the same, so no execution waits long enough to reach Step Functions' limit.
 */
export const CLOCK_NAMES = ['acknowledge', 'respond', 'stage-2-request', 'reply', 'plan', 'hold'] as const;
export type ClockName = (typeof CLOCK_NAMES)[number];

/** The workflows, by name; each is `workflows/<name>.asl.json`. */
export const WORKFLOW_NAMES = [
  'complaint',
  'compliment',
  'comment',
  'representation',
  'social-care',
] as const;
export type WorkflowName = (typeof WORKFLOW_NAMES)[number];
