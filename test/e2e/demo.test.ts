/**
 * `npm start -- --demo` seeds example cases in different states through the front door, so a
 * newcomer opening the inbox sees the product at work: an overdue case with its holding letter,
 * one just received, one acknowledged, one responded with a stage-2 link, a compliment and a
 * redirected pothole report.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RuntimeProcess, startRuntimeProcess } from '../support/runtime.js';

let dataDir: string;
let runtime: RuntimeProcess | undefined;

describe('npm start -- --demo', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-demo-'));
    runtime = await startRuntimeProcess({ dataDir, demo: true });
  }, 300_000);

  afterAll(async () => {
    await runtime?.kill().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('seeds six cases in different states and says what each shows', () => {
    const lines = (runtime?.output() ?? '').split('\n').filter((l) => l.includes('demo: '));

    expect(lines.join('\n')).not.toMatch(/could not seed/);
    expect(lines).toHaveLength(6);
    for (const state of [
      'overdue',
      'just received',
      'acknowledged',
      'responded',
      'compliment',
      'redirected',
    ]) {
      expect(
        lines.some((l) => l.includes(state)),
        state,
      ).toBe(true);
    }
  });

  it('leaves the emails a newcomer reads in the inbox: receipts, tasks, a holding letter and a stage-2 link', async () => {
    const emails = (await runtime?.emails()) ?? [];
    const to = (address: string) => emails.filter((e) => e.destination.to.includes(address));

    expect(
      to('mary.somerville@example.com').some((e) =>
        /holding|taking longer|delay/i.test(`${e.subject} ${e.body.text}`),
      ),
    ).toBe(true);
    expect(to('rosalind.franklin@example.com').some((e) => /\/tasks\//.test(e.body.text ?? ''))).toBe(true);
    expect(to('charles.babbage@example.com')).toHaveLength(1);
    expect(emails.filter((e) => /\/tasks\//.test(e.body.text ?? '')).length).toBeGreaterThanOrEqual(5);
  });

  it('serves the pages while the demo cases wait', async () => {
    const health = await fetch(`${runtime?.baseUrl}/health`);

    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: 'ok',
      checks: { table: 'ok', archive: 'ok', email: 'ok', workflows: 'ok' },
    });
  });
});
