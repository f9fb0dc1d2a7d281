import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keptInCaseTable } from '../../functions/adapters/case-table-store.js';
import { ConfigurationError } from '../../functions/adapters/config.js';
import { TABLE_ADAPTERS } from '../../functions/app/api-wiring.js';
import { CASE_STORE_ADAPTERS } from '../../functions/app/case-store-wiring.js';
import {
  adapter,
  monthlyReportDeps,
  provideAdapters,
  resetAdapters,
  stepDeps,
  taskDeps,
  wire,
} from '../../functions/app/container.js';
import { POLICY_LOADER } from '../../functions/app/policy-loader.js';
import { REPORT_COUNTER_ADAPTERS } from '../../functions/app/report-counter-wiring.js';
import { S3_ADAPTERS } from '../../functions/app/s3-wiring.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { PolicyFileMismatchError, policyDigest } from '../../functions/domain/policy-file.js';
import { MemoryArchive } from '../support/memory-archive.js';
import { MemoryCaseStore } from '../support/memory-store.js';

/** The composition root: adapters built lazily from the environment, or provided. */

beforeEach(() => {
  resetAdapters();
  vi.stubEnv('AWS_REGION', 'eu-west-2');
  vi.stubEnv('CASE_TABLE', 'redress-cases');
  vi.stubEnv('ARCHIVE_BUCKET', '');
  vi.stubEnv('PUBLIC_BASE_URL', '');
  vi.stubEnv('REDRESS_POLICY', '');
});

afterEach(() => {
  resetAdapters();
  vi.unstubAllEnvs();
});

describe('the composition root', () => {
  beforeEach(() => wire(CASE_STORE_ADAPTERS, S3_ADAPTERS, POLICY_LOADER));

  it('builds no adapter until a handler reads it, so a missing setting fails only what needs it', () => {
    const deps = stepDeps();

    expect(deps.store).toBeDefined();
    expect(() => deps.archive).toThrow(ConfigurationError);
    expect(() => deps.archive).toThrow(/ARCHIVE_BUCKET/);
    expect(() => deps.baseUrl).toThrow(/PUBLIC_BASE_URL/);
  });

  it('takes the complaints team mailbox the deployment names over the policy’s', () => {
    vi.stubEnv('REDRESS_POLICY', 'dudley');
    vi.stubEnv('COMPLAINTS_TEAM', 'complaints@dudley.example.gov.uk');

    expect(adapter('policy').routing.complaintsTeam).toBe('complaints@dudley.example.gov.uk');
    expect(adapter('policy').routing.services).toEqual(loadPolicy('dudley').routing.services);
  });

  it('keeps the policy’s complaints team when the deployment names none', () => {
    vi.stubEnv('REDRESS_POLICY', 'dudley');

    expect(adapter('policy').routing.complaintsTeam).toBe(loadPolicy('dudley').routing.complaintsTeam);
  });

  it('builds each adapter once and shares it between handlers’ dependencies', () => {
    expect(adapter('store')).toBe(adapter('store'));
    expect(stepDeps().store).toBe(taskDeps().store);
    expect(stepDeps().policy).toBe(adapter('policy'));
  });

  it('hands provided adapters to dependencies made before they were provided', async () => {
    const deps = stepDeps();
    const store = new MemoryCaseStore();
    const archive = new MemoryArchive();

    provideAdapters({ store, archive, baseUrl: 'http://redress.test', clock: () => new Date(0) });

    expect(deps.store).toBe(store);
    expect(deps.archive).toBe(archive);
    expect(deps.baseUrl).toBe('http://redress.test');
    expect(deps.now()).toEqual(new Date(0));
  });

  it('builds from the environment again after a reset', () => {
    const store = new MemoryCaseStore();
    provideAdapters({ store });

    resetAdapters();

    expect(adapter('store')).not.toBe(store);
  });

  it('reads the policy from REDRESS_POLICY, as a preset id or as the policy JSON CDK passes', () => {
    vi.stubEnv('REDRESS_POLICY', 'dudley');
    expect(adapter('policy').id).toBe('dudley');

    resetAdapters();
    vi.stubEnv('REDRESS_POLICY', JSON.stringify(loadPolicy('south-norfolk')));
    expect(adapter('policy').id).toBe('south-norfolk');
  });

  it('trims the trailing slash of PUBLIC_BASE_URL, which the monthly report may go without', () => {
    expect(monthlyReportDeps().baseUrl).toBeUndefined();

    resetAdapters();
    vi.stubEnv('PUBLIC_BASE_URL', 'https://complaints.example.gov.uk/');
    expect(monthlyReportDeps().baseUrl).toBe('https://complaints.example.gov.uk');
  });
});

describe("the API's case table, loaded on its first use", () => {
  beforeEach(() => wire(TABLE_ADAPTERS, POLICY_LOADER, REPORT_COUNTER_ADAPTERS));

  it('is a case store kept in the case table, with the staff queries, erasure and the report counters beside it', () => {
    const store = adapter('store');

    expect(keptInCaseTable(store)).toBe(true);
    expect(adapter('caseQueries')).toBe(store);
    expect('erase' in store).toBe(true);
    expect(adapter('reportCounters')).toBeDefined();
  });

  it('keeps no report counters beside a store that is not the case table', () => {
    provideAdapters({ store: new MemoryCaseStore() });

    expect(keptInCaseTable(adapter('store'))).toBe(false);
    expect(adapter('reportCounters')).toBeUndefined();
  });

  it('fails when it is built without CASE_TABLE, as the store loaded at start does', () => {
    vi.stubEnv('CASE_TABLE', '');

    expect(() => adapter('store')).toThrow(/CASE_TABLE/);
    expect(() => adapter('limiter')).toThrow(/CASE_TABLE/);
  });
});

describe('the policy a deployed function reads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-policy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file validated at deploy as it is when its digest matches REDRESS_POLICY_SHA256', () => {
    // Prepare: the file as infra/stack.ts writes it (the validated policy, extends resolved)
    const text = `${JSON.stringify(loadPolicy('dudley'), null, 2)}\n`;
    const path = join(dir, 'redress-policy.json');
    writeFileSync(path, text);
    vi.stubEnv('REDRESS_POLICY', path);
    vi.stubEnv('REDRESS_POLICY_SHA256', policyDigest(text));

    // Act
    const policy = adapter('policy');

    // Assess
    expect(policy).toEqual(loadPolicy('dudley'));
  });

  it('refuses a shipped file that is not the one validated at deploy', () => {
    const path = join(dir, 'changed.json');
    writeFileSync(path, JSON.stringify(loadPolicy('dudley')));
    vi.stubEnv('REDRESS_POLICY', path);
    vi.stubEnv('REDRESS_POLICY_SHA256', policyDigest('{"id":"something else"}'));

    expect(() => adapter('policy')).toThrow(PolicyFileMismatchError);
  });
});

describe('wiring', () => {
  it('refuses, naming it, an adapter that no entry file of the function wired', async () => {
    // Prepare: a fresh composition root, as a function that wires nothing beyond the core has
    vi.resetModules();
    const fresh = await import('../../functions/app/container.js');
    vi.stubEnv('ARCHIVE_BUCKET', 'redress-archive');

    // Act, Assess
    expect(() => fresh.adapter('archive')).toThrow(fresh.AdapterNotWiredError);
    expect(() => fresh.adapter('archive')).toThrow(/archive adapter is not wired/);
    expect(() => fresh.adapter('policy')).toThrow(/policyLoader adapter is not wired/);
    expect(fresh.adapter('clock')).toBeDefined();
  });

  it.each([
    // Routing answers its callback state, and on the usual route sends the receipt (by post too).
    ['route', ['workflows', 'archive', 'mailer', 'correspondence', 'linkSecrets'], ['identity']],
    ['record', [], ['archive', 'mailer', 'workflows', 'linkSecrets']],
    // The clock also sends reminders, escalations and holding letters itself (the workflow's acts).
    ['clock', ['workflows', 'archive', 'mailer', 'correspondence', 'linkSecrets'], ['identity']],
    ['notify', ['archive', 'mailer', 'correspondence', 'linkSecrets'], ['workflows']],
    ['request-task', ['mailer', 'correspondence', 'linkSecrets', 'workflows'], ['archive']],
    ['escalate', ['mailer', 'correspondence', 'linkSecrets'], ['archive', 'workflows']],
    ['archive', ['archive', 'evidence', 'control'], ['mailer', 'workflows', 'linkSecrets']],
    ['start-workflows', ['workflows'], ['archive', 'mailer', 'linkSecrets']],
    ['reconcile', ['mailer', 'workflows', 'linkSecrets'], ['archive']],
    ['ses-events', ['mailer', 'correspondence'], ['archive', 'workflows', 'linkSecrets']],
    ['monthly-report', ['mailer', 'linkSecrets'], ['archive', 'workflows']],
    ['evidence-scan', ['evidence'], ['mailer', 'workflows', 'linkSecrets']],
    [
      'api',
      ['archive', 'evidence', 'control', 'downloads', 'mailer', 'workflows', 'linkSecrets', 'identity'],
      [],
    ],
  ] as const)('the %s function wires what it calls, and nothing more', async (name, wired, notWired) => {
    // Prepare: the function's entry file alone in a fresh module graph, with its settings
    vi.resetModules();
    for (const [key, value] of Object.entries({
      ARCHIVE_BUCKET: 'redress-archive',
      MAIL_FROM: 'complaints@example.gov.uk',
      LINK_SECRET: 'a-link-secret-long-enough-to-be-accepted-here',
      STATE_MACHINE_ARNS: JSON.stringify({
        complaint: 'arn:aws:states:eu-west-2:000000000000:stateMachine:complaint',
      }),
      STAFF_OIDC_ISSUER: 'https://sign-in.example.gov.uk',
      STAFF_OIDC_CLIENT_ID: 'workspace',
    })) {
      vi.stubEnv(key, value);
    }

    // Act
    await import(`../../functions/handlers/${name}.ts`);
    const fresh = await import('../../functions/app/container.js');

    // Assess
    for (const adapterName of wired)
      expect([adapterName, fresh.adapter(adapterName)]).toEqual([adapterName, expect.anything()]);
    for (const adapterName of notWired) {
      expect(() => fresh.adapter(adapterName)).toThrow(fresh.AdapterNotWiredError);
    }
  });
});
