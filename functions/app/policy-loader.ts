import { loadPolicy, parsePolicy } from '../domain/policy.js';
import type { AdapterBuilders } from './container.js';

/**
 * The policy loader with the schema and every preset: for a `REDRESS_POLICY` that is a preset id,
 * a council's file or the policy JSON itself, i.e. anything but the file validated at deploy
 * (`npm start`, the tests). A module of its own, so that a function that reads the validated
 * file neither loads it nor, wired with `import()` from its entry file, bundles it at start (the API
 * wires it only without `REDRESS_POLICY_SHA256`, i.e. under `npm start` and in the tests).
 */
export const POLICY_LOADER = {
  policyLoader: () => (setting: string) =>
    setting.startsWith('{') ? parsePolicy(JSON.parse(setting), 'REDRESS_POLICY') : loadPolicy(setting),
} satisfies Partial<AdapterBuilders>;
