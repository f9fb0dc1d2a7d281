import { londonDate } from '../domain/calendar.js';
import type { CaseRecord } from '../domain/case.js';
import { computeDeadlines } from '../domain/deadlines.js';
import type { Policy } from '../domain/policy-schema.js';
import type { CaseStore, WorkflowEngine } from '../domain/ports.js';
import { triage } from '../domain/triage.js';
import type { CaseKind } from '../domain/types.js';
import { ServiceUnavailableError, ValidationError } from '../http/errors.js';
import { logger } from '../observability.js';
import { fieldErrors, type IntakeInput, intakeSchema } from './intake-schema.js';

/** What intake needs from the outside world; built once per container by the entry file. */
export interface IntakeDeps {
  store: CaseStore;
  workflows: WorkflowEngine;
  policy: Policy;
  now: () => Date;
  newId: () => string;
  /** Attempts to start the workflow before the case is flagged (the SDK retries inside each). */
  startAttempts?: number;
  /** Tells the complaints team about a case whose workflow could not be started. */
  alert?: (record: CaseRecord, problem: string) => Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}

export interface IntakeResult {
  record: CaseRecord;
  /** False when an `Idempotency-Key` matched an earlier submission. */
  created: boolean;
}

/** The workflow that handles each kind of case (one ASL file each under `workflows/`). */
export function workflowFor(kind: CaseKind): string {
  return kind;
}

/**
 * Validates feedback, triages it, stores the case with its first event (atomically), then
 * starts its workflow. A complaint accepted is a complaint stored and its workflow started:
 * when the start fails after retries the case is kept, flagged, and the caller is told (503).
 */
export async function submitFeedback(
  deps: IntakeDeps,
  body: unknown,
  options: { idempotencyKey?: string } = {},
): Promise<IntakeResult> {
  const input = validate(deps, body);
  const now = deps.now();
  const receivedAt = input.receivedAt ? new Date(input.receivedAt).toISOString() : now.toISOString();
  if (Date.parse(receivedAt) > now.getTime() + 60_000) {
    throw new ValidationError({ receivedAt: 'Date received must be today or in the past' });
  }

  const vexatious = input.complainant.email
    ? (await deps.store.byComplainant(input.complainant.email)).some((c) => c.vexatious === true)
    : false;
  const verdict = triage(
    {
      kind: input.kind,
      service: input.service,
      summary: input.summary,
      desiredOutcome: input.desiredOutcome,
      anonymous: input.anonymous,
      onBehalfOf: input.onBehalfOf ? { consent: input.onBehalfOf.consent } : undefined,
      complainantVexatious: vexatious,
    },
    deps.policy,
  );

  const year = Number(londonDate(receivedAt).slice(0, 4));
  const reference = await deps.store.nextReference(verdict.kind, year);
  const service = input.service
    ? deps.policy.routing.services.find((s) => s.id === input.service)
    : undefined;
  const nowIso = now.toISOString();
  const record: CaseRecord = {
    caseId: deps.newId(),
    reference,
    kind: verdict.kind,
    submittedKind: input.kind,
    status: verdict.route === 'redirect' ? 'redirected' : 'received',
    stage: 1,
    policyId: deps.policy.id,
    ...(service ? { service: service.id, directorate: service.directorate } : {}),
    summary: input.summary,
    ...(input.desiredOutcome ? { desiredOutcome: input.desiredOutcome } : {}),
    complainant: input.anonymous ? {} : stripEmpty(input.complainant),
    ...(input.onBehalfOf ? { onBehalfOf: stripEmpty(input.onBehalfOf) } : {}),
    anonymous: input.anonymous,
    channel: input.channel,
    ...(input.accessibilityNeeds ? { accessibilityNeeds: input.accessibilityNeeds } : {}),
    receivedAt,
    createdAt: nowIso,
    updatedAt: nowIso,
    triage: {
      route: verdict.route,
      ...(verdict.exclusion ? { exclusion: verdict.exclusion } : {}),
      ...(verdict.redirect ? { redirect: verdict.redirect } : {}),
      reasons: verdict.reasons,
    },
    deadlines: verdict.route === 'redirect' ? {} : computeDeadlines(deps.policy, verdict.kind, receivedAt),
    ...(vexatious ? { vexatious: true } : {}),
    progress: { stage1: { startedAt: receivedAt } },
    version: 1,
  };

  const { record: stored, created } = await deps.store.create(
    record,
    {
      at: nowIso,
      type: 'received',
      actor: input.channel === 'online' ? 'resident' : 'staff',
      channel: input.channel,
      detail: { kind: record.kind, route: record.triage.route, exclusion: record.triage.exclusion ?? null },
    },
    options.idempotencyKey,
  );

  // A repeat of a submission whose workflow never started gets another try, so a resident's
  // retry (or the complaints team's) finishes what the first attempt could not.
  if (created || stored.workflow?.startError !== undefined) {
    await startWorkflow(deps, stored);
  }
  return { record: stored, created };
}

function validate(deps: IntakeDeps, body: unknown): IntakeInput {
  const parsed = intakeSchema.safeParse(body);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  const input = parsed.data;
  if (input.service && !deps.policy.routing.services.some((s) => s.id === input.service)) {
    throw new ValidationError({ service: 'Choose a service from the list' });
  }
  return input;
}

async function startWorkflow(deps: IntakeDeps, record: CaseRecord): Promise<void> {
  const attempts = deps.startAttempts ?? 3;
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      const { executionArn } = await deps.workflows.start(workflowFor(record.kind), record.caseId, {
        caseId: record.caseId,
      });
      if (record.workflow?.startError !== undefined) {
        await deps.store.update(record.caseId, record.version, {
          set: { workflow: { executionArn, startedAt: deps.now().toISOString() } },
          event: {
            at: deps.now().toISOString(),
            type: 'workflow-started',
            actor: 'system',
            detail: { attempt },
          },
        });
      } else {
        await deps.store.appendEvent(record.caseId, {
          at: deps.now().toISOString(),
          type: 'workflow-started',
          actor: 'system',
          detail: { attempt },
        });
      }
      return;
    } catch (error: unknown) {
      lastError = error;
      if (attempt < attempts) await sleep(200 * 2 ** (attempt - 1));
    }
  }
  const reason = lastError instanceof Error ? `${lastError.name}: ${lastError.message}` : 'unknown error';
  logger.error('workflow start failed', {
    caseId: record.caseId,
    attempts,
    error: lastError instanceof Error ? lastError.name : 'unknown',
  });
  await deps.store.update(record.caseId, record.version, {
    set: { workflow: { startError: reason } },
    event: {
      at: deps.now().toISOString(),
      type: 'workflow-start-failed',
      actor: 'system',
      detail: { attempts, reason },
    },
  });
  // The case is safe in the table; the team must know it is not moving on its own. An alert
  // that fails too must not turn the resident's answer into a 500.
  await deps
    .alert?.(
      record,
      `The workflow for ${record.reference} could not be started (${reason}). Retry it or handle it by hand.`,
    )
    .catch((error: unknown) =>
      logger.error('alert failed', {
        caseId: record.caseId,
        error: error instanceof Error ? error.name : 'unknown',
      }),
    );
  throw new ServiceUnavailableError(
    `Your ${record.submittedKind} has been saved with reference ${record.reference}, but we could not start handling it ` +
      'just now. Our complaints team has been told and will pick it up. You do not need to send it again.',
    { reference: record.reference, caseId: record.caseId, kind: record.kind },
  );
}

function stripEmpty<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
}
