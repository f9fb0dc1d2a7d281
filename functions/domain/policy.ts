import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type * as z from 'zod';
// Presets are imported statically so that esbuild bundles them into every Lambda: no preset is
// ever looked up on disk at run time.
import dorset from '../../workflows/policies/dorset.json' with { type: 'json' };
import dudley from '../../workflows/policies/dudley.json' with { type: 'json' };
import lgscoCode2024 from '../../workflows/policies/lgsco-code-2024.json' with { type: 'json' };
import socialCareStatutory from '../../workflows/policies/social-care-statutory.json' with { type: 'json' };
import southNorfolk from '../../workflows/policies/south-norfolk.json' with { type: 'json' };
import spsoModelChp from '../../workflows/policies/spso-model-chp.json' with { type: 'json' };
import unitaryFeedback from '../../workflows/policies/unitary-feedback.json' with { type: 'json' };
import { type Policy, policySchema, type ServiceArea } from './policy-schema.js';

/**
 * Loading a council's policy: a shipped preset by id, or a JSON file a council writes, which
 * may start from a preset with `"extends": "<preset id>"` and give only its differences.
 */

/** The policy used when none is named: the LGSCO / Housing Ombudsman Complaint Handling Code 2024. */
export const DEFAULT_POLICY_ID = 'lgsco-code-2024';

/** The raw preset files, by id (before `extends` is resolved and before validation). */
const PRESETS = {
  'lgsco-code-2024': lgscoCode2024,
  dorset,
  'south-norfolk': southNorfolk,
  'unitary-feedback': unitaryFeedback,
  dudley,
  'social-care-statutory': socialCareStatutory,
  'spso-model-chp': spsoModelChp,
} as const satisfies Record<string, unknown>;

/** Id of a shipped preset. */
export type PresetId = keyof typeof PRESETS;

/** The ids of the shipped presets, the Code first. */
export const PRESET_IDS = Object.keys(PRESETS) as readonly PresetId[];

/** One problem found in a policy: the dotted path of the field and what is wrong with it. */
export interface PolicyIssue {
  /** e.g. `complaint.stage1.respond.workingDays` or `routing.services[2].mailbox`; empty for the whole file. */
  path: string;
  message: string;
}

/** A policy could not be loaded: unknown preset, missing file, bad JSON or a field that fails the schema. */
export class PolicyError extends Error {
  constructor(
    message: string,
    /** The fields at fault, when the policy was read but is invalid. */
    readonly issues: readonly PolicyIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PolicyError';
  }
}

export function isPresetId(value: string): value is PresetId {
  return Object.hasOwn(PRESETS, value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * JSON Merge Patch (RFC 7396): objects merge key by key, arrays and values replace, and `null`
 * removes the key (how a council says "no stage 2" or "no social care section"). One rule of
 * our own: a council that writes its own English for a field (`told`) without the Welsh beside it
 * (`toldCy`) does not keep the preset's Welsh, which says what the preset's English said; its
 * Welsh pages show its English, and the policy check says the Welsh is missing.
 */
function mergePatch(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
    if (typeof value === 'string' && !(`${key}Cy` in patch)) delete out[`${key}Cy`];
  }
  return out;
}

/** Follows `extends` down to a preset and returns the merged, not yet validated, policy. */
function resolveExtends(raw: unknown, label: string, chain: readonly string[] = []): unknown {
  if (!isPlainObject(raw) || !('extends' in raw)) return raw;
  const { extends: parent, ...own } = raw;
  if (typeof parent !== 'string' || parent === '') {
    throw new PolicyError(
      `Policy "${label}" is invalid: extends: must be the id of a preset (${PRESET_IDS.join(', ')})`,
      [{ path: 'extends', message: 'must be the id of a preset' }],
    );
  }
  if (!isPresetId(parent)) {
    throw new PolicyError(
      `Policy "${label}" is invalid: extends: "${parent}" is not a preset; known presets: ${PRESET_IDS.join(', ')}`,
      [{ path: 'extends', message: `"${parent}" is not a preset` }],
    );
  }
  if (chain.includes(parent)) {
    throw new PolicyError(
      `Policy "${label}" is invalid: extends: loops back to "${parent}" (${[...chain, parent].join(' → ')})`,
      [{ path: 'extends', message: `loops back to "${parent}"` }],
    );
  }
  const base = resolveExtends(PRESETS[parent], parent, [...chain, parent]);
  return mergePatch(base, own);
}

/** `complaint.stage1.respond.workingDays`, `routing.services[2].mailbox`. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string')
    return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

/** Zod's default messages ("Invalid input: expected number…") say little to a council officer. */
function isDefaultMessage(message: string): boolean {
  return /^(Invalid|Too small|Too big|Unrecognized)/.test(message);
}

function plainMessage(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  if (!isDefaultMessage(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      if (input === undefined) return `is required (${expected})`;
      return `must be ${expected}, not ${describeValue(input)}`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}, not ${JSON.stringify(input)}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, not ${JSON.stringify(input)}`;
    case 'invalid_union': {
      // A union of literals (e.g. `stages: 1 | 2`): name the choices.
      const values = issue.errors.flat().flatMap((e) => (e.code === 'invalid_value' ? e.values : []));
      if (values.length > 0) {
        return `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}, not ${JSON.stringify(input)}`;
      }
      return 'is not valid';
    }
    case 'too_small':
      if (issue.origin === 'array') return `must list at least ${String(issue.minimum)}`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be at least ${String(issue.minimum)}, not ${String(input)}`;
    case 'too_big':
      if (issue.origin === 'array') return `must list at most ${String(issue.maximum)}`;
      return `must be at most ${String(issue.maximum)}, not ${String(input)}`;
    case 'invalid_format':
      return issue.format === 'url' ? 'must be a web address starting https://' : `must be ${issue.format}`;
    default:
      return issue.message;
  }
}

function formatIssues(label: string, issues: readonly PolicyIssue[]): string {
  const lines = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  if (lines.length === 1) return `Policy "${label}" is invalid: ${lines[0]}`;
  return `Policy "${label}" is invalid (${lines.length} problems): ${lines.join('; ')}`;
}

/**
 * Validates a policy read from JSON: resolves `extends` (deep-merged onto the named preset),
 * then checks it against the schema. `label` names the policy in the error message (a file
 * name or preset id). Throws {@link PolicyError} naming every bad field.
 */
export function parsePolicy(raw: unknown, label: string): Policy {
  if (!isPlainObject(raw)) {
    throw new PolicyError(`Policy "${label}" is invalid: must be a JSON object, not ${describeValue(raw)}`, [
      { path: '', message: 'must be a JSON object' },
    ]);
  }
  const merged = resolveExtends(raw, label);
  const result = policySchema.safeParse(merged, { reportInput: true });
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      path: formatPath(issue.path),
      message: plainMessage(issue),
    }));
    throw new PolicyError(formatIssues(label, issues), issues, { cause: result.error });
  }
  return result.data;
}

/** Line and column (1-based) of a character offset, for JSON syntax errors. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    // V8 reports "… at position N" (or nothing, for a file cut short: then it is the end).
    const match = /position (\d+)/.exec(reason);
    const offset = match ? Number(match[1]) : text.length;
    const { line, column } = lineAndColumn(text, offset);
    throw new PolicyError(
      `Policy "${label}" is not valid JSON at line ${line}, column ${column}: ${reason}`,
      [],
      {
        cause: error,
      },
    );
  }
}

function readPolicyFile(path: string, label: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error: unknown) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') {
      const where = path === label ? '' : ` (looked for ${path})`;
      throw new PolicyError(`Policy file "${label}" was not found${where}`, [], { cause: error });
    }
    if (code === 'EISDIR')
      throw new PolicyError(`Policy file "${label}" is a folder, not a JSON file`, [], { cause: error });
    const reason = error instanceof Error ? error.message : String(error);
    throw new PolicyError(`Policy file "${label}" could not be read: ${reason}`, [], { cause: error });
  }
  // A file saved by some Windows editors starts with a byte-order mark, which JSON.parse rejects.
  return parseJson(text.replace(/^\uFEFF/, ''), label);
}

/** A file path rather than a preset id: has a folder separator or a `.json` ending. */
function looksLikePath(value: string): boolean {
  return /[/\\]/.test(value) || value.toLowerCase().endsWith('.json');
}

/** Validated presets, each checked once per process (Lambdas load their policy on every cold start). */
const presetCache = new Map<PresetId, Policy>();

/** Options of {@link loadPolicy}. */
export interface LoadPolicyOptions {
  /** Folder a relative file path is read from; default the working directory. */
  cwd?: string;
}

/**
 * The policy named by `idOrPath`: a preset id (see {@link PRESET_IDS}; default
 * `lgsco-code-2024`) or the path of a JSON policy file, which may `extends` a preset. Presets are
 * validated once and cached; each call returns its own copy, so a caller cannot change another's
 * policy. Files are read on every call (a council editing its file sees the change at once).
 * Throws {@link PolicyError} for an unknown preset, a missing file, bad JSON (with line and
 * column) or an invalid field (named by its path).
 */
export function loadPolicy(idOrPath: string = DEFAULT_POLICY_ID, options: LoadPolicyOptions = {}): Policy {
  const name = idOrPath.trim();
  if (isPresetId(name)) {
    let policy = presetCache.get(name);
    if (!policy) {
      policy = parsePolicy(PRESETS[name], name);
      presetCache.set(name, policy);
    }
    return structuredClone(policy);
  }
  if (name === '') {
    throw new PolicyError(
      `No policy named: give a preset id (${PRESET_IDS.join(', ')}) or the path of a JSON policy file`,
    );
  }
  if (!looksLikePath(name)) {
    throw new PolicyError(
      `Unknown policy preset "${name}". Known presets: ${PRESET_IDS.join(', ')}. ` +
        'To use a policy file, give its path (ending .json).',
    );
  }
  const raw = readPolicyFile(resolve(options.cwd ?? process.cwd(), name), name);
  return parsePolicy(raw, name);
}

/** The service area with this id in the policy's routing table, if any. */
export function serviceById(policy: Policy, id: string): ServiceArea | undefined {
  return policy.routing.services.find((s) => s.id === id);
}
