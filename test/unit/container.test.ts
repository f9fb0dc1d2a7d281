import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '../../functions/adapters/config.js';
import {
  adapter,
  monthlyReportDeps,
  provideAdapters,
  resetAdapters,
  stepDeps,
  taskDeps,
} from '../../functions/app/container.js';
import { loadPolicy } from '../../functions/domain/policy.js';
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
