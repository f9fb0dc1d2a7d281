import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDefinition, validationCache } from '../../../infra/local/step-functions/asl.js';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'asl-cache-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const DEFINITION = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } });

describe('the local engine’s memory of definitions the validator passed', () => {
  it('remembers a pass for the same text and validator version, in another process’s cache too', () => {
    // Prepare
    const dir = freshDir();
    const first = validationCache(join(dir, 'cache'), '4.0.0');

    // Act
    first.add(DEFINITION);

    // Assess: a second reader of the same folder (as another process) finds it
    const second = validationCache(join(dir, 'cache'), '4.0.0');
    expect(second.has(DEFINITION)).toBe(true);
    expect(second.has(`${DEFINITION} `)).toBe(false);
    expect(validationCache(join(dir, 'cache'), '4.1.0').has(DEFINITION)).toBe(false);
    expect(readdirSync(join(dir, 'cache'))).toHaveLength(1);
  });

  it('keeps nothing, and fails nothing, where the folder cannot be made', () => {
    // Prepare: the cache's folder would be under a file (no user, root included, can make it).
    const dir = freshDir();
    writeFileSync(join(dir, 'a-file'), '');
    const cache = validationCache(join(dir, 'a-file', 'cache'), '4.0.0');

    // Act
    expect(() => cache.add(DEFINITION)).not.toThrow();

    // Assess
    expect(cache.has(DEFINITION)).toBe(false);
  });

  it('keeps nothing without a folder', () => {
    const cache = validationCache(undefined, '4.0.0');
    cache.add(DEFINITION);
    expect(cache.has(DEFINITION)).toBe(false);
  });

  it('still refuses an invalid definition every time (failures are never remembered)', () => {
    const invalid = JSON.stringify({ StartAt: 'Missing', States: { Done: { Type: 'Succeed' } } });

    expect(() => parseDefinition(invalid)).toThrow(/Invalid State Machine Definition/);
    expect(() => parseDefinition(invalid)).toThrow(/Invalid State Machine Definition/);
  });
});
