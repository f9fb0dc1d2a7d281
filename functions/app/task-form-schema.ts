import * as z from 'zod';
import type { DecisionValues } from '../domain/decisions.js';
import { tabsAsSpaces, textProblem } from '../domain/typed-text.js';
import type { TaskName } from '../domain/workflow-names.js';
import { fieldErrors } from './intake-schema.js';
import {
  effectiveDecisions,
  type FormDecisionOf,
  TASK_FORMS,
  type TaskField,
  type TaskFormOptions,
} from './task-forms.js';

/**
 * What an officer (or a resident asking for stage 2) may send to `POST /tasks/{token}`, as a
 * zod schema built from the task's form definition (`task-forms.ts`): the fields the page
 * shows are exactly the fields checked, with the bounds and messages the definition gives.
 * Messages follow the GOV.UK Design System's error message style: they say what to do.
 *
 * The body is a form post (every value a string). Only the chosen decision's fields and the
 * form's shared fields are read; anything else (such as `csrf`, or the fields of a decision
 * not chosen, which the browser still sends from hidden reveals) is dropped.
 */

/** A valid task submission: the decision and the values of its fields. */
export interface TaskSubmission<T extends TaskName = TaskName> {
  decision: FormDecisionOf<T>;
  values: DecisionValues;
}

export type TaskValidation<T extends TaskName = TaskName> =
  | { ok: true; submission: TaskSubmission<T> }
  | { ok: false; errors: Record<string, string> };

/** What the officer typed in an email field; the same check as the resident's form. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The field's name inside error messages: its `errorName`, else its label without "(optional)". */
function plainLabel(field: TaskField): string {
  return field.errorName ?? field.label.replace(/\s*\(optional\)$/, '');
}

/** An empty or blank answer is no answer: required fields ask for it, optional ones leave it out. */
const blankAsMissing = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/**
 * Typed text checked as the resident's form checks it (`textProblem`): an officer's reply is
 * quoted in letters and emails, and a resident's request for a review is typed here too, so a
 * text-direction override or a control character would make them read other than what was
 * stored. Line breaks only where the field has several lines.
 */
function withoutHiddenCharacters(schema: z.ZodString, label: string, multiline: boolean): z.ZodType<string> {
  return schema.superRefine((value, ctx) => {
    const problem = textProblem(value, label, multiline);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** The schema of one field's answer, from its definition. */
function fieldSchema(field: TaskField): z.ZodType<string | number | boolean | undefined> {
  const label = plainLabel(field);
  const required = field.requiredMessage ?? `Enter ${field.label.toLowerCase()}`;
  const text = z
    .string({ error: (issue) => (issue.input === undefined ? required : `${label} must be text`) })
    // A one-line field's pasted tabs are spaces (`tabsAsSpaces`); a text area keeps them.
    .overwrite((value) => (field.type === 'textarea' ? value : tabsAsSpaces(value)))
    .trim();
  const tooLong = `${label} must be ${field.maxLength} characters or fewer`;
  let answer: z.ZodType<string | number | boolean>;
  switch (field.type) {
    case 'checkbox': {
      // A ticked box sends its one value; anything else was not ticked by this form.
      const ticked = field.options?.[0]?.value ?? 'yes';
      answer = text
        .pipe(z.literal(ticked, { error: field.requiredMessage ?? `Tick "${field.label}"` }))
        .transform(() => true);
      break;
    }
    case 'radios': {
      const values = (field.options ?? []).map((o) => o.value) as [string, ...string[]];
      answer = text.pipe(
        z.enum(values, { error: field.requiredMessage ?? `Select ${field.label.toLowerCase()}` }),
      );
      break;
    }
    case 'number': {
      const whole = `${label} must be a whole number, like 5`;
      const min = field.min ?? 0;
      const max = field.max ?? Number.MAX_SAFE_INTEGER;
      const range = `${label} must be between ${min} and ${max}`;
      // Digits only: "1e3", "2.5" and "-1" are not what a person means by a number of days.
      answer = text
        .regex(/^\d+$/, whole)
        .transform(Number)
        .pipe(z.number().int(whole).min(min, range).max(max, range));
      break;
    }
    case 'email': {
      const email = text.regex(EMAIL, 'Enter an email address in the correct format, like name@example.com');
      answer = withoutHiddenCharacters(
        field.maxLength === undefined ? email : email.max(field.maxLength, tooLong),
        label,
        false,
      );
      break;
    }
    default:
      answer = withoutHiddenCharacters(
        field.maxLength === undefined ? text : text.max(field.maxLength, tooLong),
        label,
        field.type === 'textarea',
      );
  }
  return z.preprocess(blankAsMissing, field.required ? answer : answer.optional());
}

/** The posted values without the fields left empty. */
function answered(values: Record<string, unknown>): DecisionValues {
  const out: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      out[name] = value;
  }
  return out;
}

/**
 * The schema of a task's form for one case: one branch per decision offered (after the
 * per-case `options`, such as the extension cap), each with that decision's fields and the
 * form's shared ones. A form with one decision sends no radios, so a missing decision is it.
 */
export function taskFormSchema<T extends TaskName>(
  task: T,
  options: TaskFormOptions = {},
): z.ZodType<TaskSubmission<T>> {
  const form = TASK_FORMS[task];
  const decisions = effectiveDecisions(task, options);
  const branches = decisions.map((d) =>
    z.object({
      decision: z.literal(d.value),
      ...Object.fromEntries([...d.fields, ...form.fields].map((f) => [f.name, fieldSchema(f)])),
    }),
  );
  const only = decisions.length === 1 ? decisions[0]?.value : undefined;
  const withDecision = (body: unknown): unknown => {
    if (only === undefined || typeof body !== 'object' || body === null) return body;
    const sent = (body as Record<string, unknown>).decision;
    return sent === undefined || sent === '' ? { ...body, decision: only } : body;
  };
  return z
    .preprocess(
      withDecision,
      z.discriminatedUnion('decision', branches as [(typeof branches)[number], ...typeof branches], {
        error: 'Select what you want to do',
      }),
    )
    .transform(({ decision, ...values }) => ({
      decision: decision as FormDecisionOf<T>,
      values: answered(values),
    }));
}

/** Schemas already built, by task and options; there are a few per policy. */
const schemas = new Map<string, z.ZodType<TaskSubmission>>();
const MAX_SCHEMAS = 500;

/**
 * The task's schema, built once per task and options: building one (and zod compiling its
 * parser on first use) cost more than checking a form with it, at every post.
 */
function memoisedSchema<T extends TaskName>(task: T, options: TaskFormOptions): z.ZodType<TaskSubmission<T>> {
  const key = `${task}\n${JSON.stringify(options)}`;
  let schema = schemas.get(key);
  if (!schema) {
    schema = taskFormSchema(task, options);
    if (schemas.size >= MAX_SCHEMAS) schemas.clear();
    schemas.set(key, schema);
  }
  return schema as z.ZodType<TaskSubmission<T>>;
}

/** Checks a posted task form; on failure, one GOV.UK-style message per field. */
export function validateTaskForm<T extends TaskName>(
  task: T,
  body: Record<string, unknown>,
  options: TaskFormOptions = {},
): TaskValidation<T> {
  const parsed = memoisedSchema(task, options).safeParse(body);
  return parsed.success
    ? { ok: true, submission: parsed.data }
    : { ok: false, errors: fieldErrors(parsed.error) };
}
