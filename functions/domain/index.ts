/**
 * The pure domain of Redress: calendars, policies, deadlines, triage and officers' decisions. Synchronous, no AWS SDK.
 * The names exported here are a contract (other tools and checks rely on them): keep them and their signatures.
 */

export * from './calendar.js';
export * from './case.js';
export * from './case-stage.js';
export * from './code-comparison.js';
export * from './deadlines.js';
export * from './decisions.js';
export * from './errors.js';
export * from './language.js';
export * from './policy.js';
export * from './policy-schema.js';
export * from './policy-welsh.js';
export * from './ports.js';
export * from './triage.js';
export * from './types.js';
