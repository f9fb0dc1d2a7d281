import { z } from 'zod';
import {
  AUDIENCES,
  CLOCK_ACTS,
  CLOCK_NAMES,
  TASK_NAMES,
  type TaskName,
  TRANSITIONS,
} from '../domain/workflow-names.js';
import { EMAIL_TEMPLATES, type EmailTemplate } from '../templates/render-email.js';

/**
 * The payload each step function receives from the workflows: the contract between the
 * workflow definitions (`workflows/definitions/`), which build these payloads with typed
 * helpers, and the handler entry files, which parse them with these schemas. The execution
 * carries ids and names, never personal data.
 */
const caseId = z.string().min(1).max(100);

/** Where the step runs (`$$.Execution.Id`, `$$.State.Name`, `$$.State.EnteredTime`): names its effects. */
const step = z.object({
  execution: z.string().min(1).max(2048),
  state: z.string().min(1).max(80),
  enteredAt: z.string().min(1).max(40),
});

export const STEP_EVENTS = {
  route: z.object({ caseId, step }),
  notify: z.object({
    caseId,
    step,
    template: z.enum(EMAIL_TEMPLATES as [EmailTemplate, ...EmailTemplate[]]),
    to: z.enum(AUDIENCES),
    error: z.string().max(1000).optional(),
    /** A reminder about a chased wait: the clock whose reminder this is. */
    clock: z.enum(CLOCK_NAMES).optional(),
  }),
  'request-task': z.object({
    caseId,
    step,
    task: z.enum(TASK_NAMES as [TaskName, ...TaskName[]]),
    taskToken: z.string().min(1),
    /** The last task the workflow took a decision on ("none" before any). */
    lastTaskId: z.string().min(1).max(100),
    /** What the clock read before a timed wait said (`renewed`: the case went to a fresh execution). */
    due: z.string().min(1).max(40).optional(),
  }),
  clock: z.object({
    caseId,
    step,
    clock: z.enum(CLOCK_NAMES),
    /** `$$.Execution.StartTime`: how old this execution is. */
    executionStartedAt: z.string().min(1).max(40),
    /** How the case is handled (the route step's answer), carried to a fresh execution. */
    route: z.record(z.string(), z.unknown()),
    /** The last task the workflow took a decision on ("none" before any). */
    lastTaskId: z.string().min(1).max(100),
    /** The workflow has a state for a holding letter (`due: 'holding'`); older definitions do not. */
    holdingLetters: z.boolean().optional(),
    /**
     * What falls due that the clock step sees to itself before it answers (a reminder, a holding
     * letter, an escalation), each then recorded so the clock reads on; older definitions have a
     * state for each instead.
     */
    acts: z.array(z.enum(CLOCK_ACTS)).max(CLOCK_ACTS.length).optional(),
  }),
  escalate: z.object({ caseId, step, clock: z.enum(CLOCK_NAMES) }),
  record: z.object({ caseId, step, transition: z.enum(TRANSITIONS) }),
  archive: z.object({
    caseId,
    step,
    /** Recorded, in order, before the case file is written (the closing state: `closed` last). */
    record: z.array(z.enum(TRANSITIONS)).max(TRANSITIONS.length).optional(),
  }),
} as const;

/** A step function's name, as in `workflows/catalog.ts`. */
export type StepName = keyof typeof STEP_EVENTS;

/** The parsed payload of one step. */
export type StepEvent<S extends StepName> = z.infer<(typeof STEP_EVENTS)[S]>;
