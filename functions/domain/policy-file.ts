import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Policy } from './policy-schema.js';

/**
 * The policy file a deployment ships with every function: validated against the schema, with its
 * `extends` resolved, when the stack was synthesized (`infra/stack.ts`), and named by its SHA-256
 * digest. Reading it needs neither the schema (zod) nor the presets, which is most of what a
 * function's cold start would otherwise load.
 */

/** The shipped file is not the one the deploy validated (changed or replaced since). */
export class PolicyFileMismatchError extends Error {
  override name = 'PolicyFileMismatchError';
}

/** The SHA-256 digest (hex) of a policy file's text, as the deploy records it. */
export function policyDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The policy in the file at `path`, which the deploy validated and whose digest it recorded as
 * `digest`. Throws {@link PolicyFileMismatchError} when the file's digest differs: a file that was
 * never validated is never used.
 */
export function readValidatedPolicy(path: string, digest: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error: unknown) {
    throw new PolicyFileMismatchError(`The validated policy file ${path} cannot be read`, { cause: error });
  }
  if (policyDigest(text) !== digest.toLowerCase()) {
    throw new PolicyFileMismatchError(
      `The policy file ${path} is not the one validated at deploy (REDRESS_POLICY_SHA256 differs)`,
    );
  }
  return JSON.parse(text) as Policy;
}
