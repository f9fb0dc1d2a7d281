import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicy, PRESET_IDS } from '../../functions/domain/policy.js';
import {
  PolicyFileMismatchError,
  policyDigest,
  readValidatedPolicy,
} from '../../functions/domain/policy-file.js';

const dir = mkdtempSync(join(tmpdir(), 'redress-policy-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readValidatedPolicy', () => {
  it.each(PRESET_IDS)('reads the %s preset, as the deploy writes it, equal to the validated policy', (id) => {
    // Prepare: what infra/stack.ts ships
    const text = `${JSON.stringify(loadPolicy(id), null, 2)}\n`;
    const path = join(dir, `${id}.json`);
    writeFileSync(path, text);

    // Act
    const policy = readValidatedPolicy(path, policyDigest(text));

    // Assess: what the schema would have given, read again without it
    expect(policy).toEqual(loadPolicy(path));
  });

  it('refuses a file changed since the deploy validated it', () => {
    const text = JSON.stringify(loadPolicy('dorset'));
    const path = join(dir, 'changed.json');
    writeFileSync(path, text.replace('"Dorset Council"', '"Somewhere Else"'));

    expect(() => readValidatedPolicy(path, policyDigest(text))).toThrow(PolicyFileMismatchError);
  });

  it('refuses a file that is not there, naming it', () => {
    expect(() => readValidatedPolicy(join(dir, 'missing.json'), policyDigest(''))).toThrow(/missing\.json/);
  });
});
