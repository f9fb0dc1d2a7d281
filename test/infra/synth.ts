import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { onTestFinished } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { Policy } from '../../functions/domain/policy-schema.js';
import { createRedressApp } from '../../infra/app.js';

/** Context that skips esbuild bundling: synth in tests builds the template, not the code. */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

/**
 * Builds the Redress app as `cdk synth` does (cdk-nag included) with these context settings,
 * without bundling and without the slow built-in CloudFormation linter.
 */
export function buildRedress(context: Record<string, unknown> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'redress-cdk-'));
  const built = createRedressApp({
    context: { ...NO_BUNDLING, ...context },
    outdir,
    builtinCloudFormationValidation: false,
  });
  return { ...built, outdir };
}

/** The synthesized template of the Redress stack for these context settings. */
export function synthRedress(context: Record<string, unknown> = {}) {
  const built = buildRedress(context);
  return { ...built, template: Template.fromStack(built.stack) };
}

/** Writes a policy JSON file (a preset with changes) to a temporary folder; removed after the test file. */
export function writePolicyFile(change: (p: Policy) => Policy, base = 'lgsco-code-2024'): string {
  const dir = mkdtempSync(join(tmpdir(), 'redress-policy-'));
  const path = join(dir, 'policy.json');
  writeFileSync(path, JSON.stringify(change(loadPolicy(base))));
  return path;
}

/** Removes a temporary folder when the current test finishes. */
export function removeAfterTest(dir: string): void {
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
}

/** CloudFormation JSON, untyped by nature: tests read it by known paths. */
// biome-ignore lint/suspicious/noExplicitAny: template JSON has no static type
export type CfnJson = any;

/** A template resource. */
export type Resource = { Type?: string; Properties: Record<string, CfnJson> };
