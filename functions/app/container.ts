import { randomUUID } from 'node:crypto';
import { requireEnv } from '../adapters/config.js';
import { DynamoDbCaseStore } from '../adapters/dynamodb-case-store.js';
import { archive, mailer, workflowEngine } from '../adapters/index.js';
import { linkSecrets } from '../adapters/link-secrets.js';
import { loadPolicy, parsePolicy } from '../domain/policy.js';
import type { Policy } from '../domain/policy-schema.js';
import type { CaseStore } from '../domain/ports.js';
import type { ApiDeps } from './api.js';
import type { CaseViewDeps } from './case-routes.js';
import { correspondence } from './correspondence.js';
import type { StepDeps } from './steps.js';
import type { TaskDeps } from './tasks.js';

/**
 * Wires the application to the default adapters from the environment, once per container.
 * `REDRESS_POLICY` is a preset id, a path to a policy file, or the policy JSON itself (as CDK
 * passes it to Lambda). `REDRESS_NOW_OFFSET_MS` lets the local runtime accelerate time.
 */
let policy: Policy | undefined;

export function currentPolicy(env: NodeJS.ProcessEnv = process.env): Policy {
  if (!policy) {
    const setting = env.REDRESS_POLICY?.trim() || 'lgsco-code-2024';
    policy = setting.startsWith('{')
      ? parsePolicy(JSON.parse(setting), 'REDRESS_POLICY')
      : loadPolicy(setting);
  }
  return policy;
}

let store: CaseStore | undefined;

/** The case store, keeping closed cases as long as the council's policy says (TTL). */
export function caseStore(): CaseStore {
  const p = currentPolicy();
  store ??= new DynamoDbCaseStore({
    tableName: requireEnv('CASE_TABLE'),
    retentionYears: { closed: p.retention.closedYears, ombudsman: p.retention.ombudsmanYears },
  });
  return store;
}

/** The service's clock: real time, or the local runtime's accelerated time. */
export function now(): Date {
  const clock = (globalThis as { __redressClock?: () => Date }).__redressClock;
  return clock ? clock() : new Date();
}

export function stepDeps(): StepDeps {
  const p = currentPolicy();
  return {
    store: caseStore(),
    archive: archive(),
    policy: p,
    send: correspondence(p, mailer()),
    now,
    linkSecret: async () => (await linkSecrets())[0] as string,
    baseUrl: requireEnv('PUBLIC_BASE_URL').replace(/\/$/, ''),
  };
}

export function taskDeps(): TaskDeps {
  return {
    store: caseStore(),
    workflows: workflowEngine(),
    policy: currentPolicy(),
    now,
    linkSecrets: () => linkSecrets(),
  };
}

export function caseViewDeps(): CaseViewDeps {
  return {
    store: caseStore(),
    archive: archive(),
    policy: currentPolicy(),
    now,
    linkSecrets: () => linkSecrets(),
  };
}

export function reportDeps() {
  return { store: caseStore(), policy: currentPolicy(), now, linkSecrets: () => linkSecrets() };
}

export function apiDeps(): ApiDeps {
  const policy = currentPolicy();
  return {
    store: caseStore(),
    workflows: workflowEngine(),
    policy,
    now,
    newId: randomUUID,
    alert: (record, problem) =>
      correspondence(policy, mailer())(record, 'complaints-team-alert', [policy.routing.complaintsTeam], {
        problem: 'workflow-start-failed',
        error: problem,
      }),
  };
}
