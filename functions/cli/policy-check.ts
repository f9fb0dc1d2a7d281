import { pathToFileURL } from 'node:url';
import { CODE, checkAgainstCode, type Finding } from '../domain/code-comparison.js';
import { nationalOmbudsman, nationName, OMBUDSMEN } from '../domain/ombudsmen.js';
import { loadPolicy, PolicyError, PRESET_IDS } from '../domain/policy.js';
import type { ExclusionId } from '../domain/policy-schema.js';
import { welshGaps } from '../domain/policy-welsh.js';
import { exclusionReferral, unreachableDestinations } from '../domain/referrals.js';

/**
 * `npm run policy:check -- <preset-id | policy.json> [--all] [--json]`
 *
 * Says, line by line, where a council's policy is weaker than the LGSCO / Housing Ombudsman
 * Complaint Handling Code 2024. Exit codes: 0 the check ran (weaker points are findings, not
 * failures); 1 the policy could not be loaded (unknown preset, missing file, bad JSON, invalid
 * field); 2 the command was used wrongly.
 */

const USAGE = [
  'Usage: npm run policy:check -- <preset-id | path/to/policy.json> [--all] [--json]',
  '',
  'Says where a council complaints policy is weaker than the Complaint Handling Code 2024.',
  `Presets: ${PRESET_IDS.join(', ')}`,
  '  --all   list every point checked, not only the weaker ones',
  '  --json  print the findings as JSON',
].join('\n');

/** What a run prints and its exit code (kept apart from `process` so tests can call it). */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function indent(finding: Finding): string[] {
  const lines = [`- ${finding.message}`];
  if (finding.source) lines.push(`    Policy source: ${finding.source}`);
  return lines;
}

/** Runs the policy check for command-line `args` (without `node` and the script). */
export function runPolicyCheck(args: readonly string[], cwd: string = process.cwd()): CliResult {
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const targets = args.filter((a) => !a.startsWith('--'));
  if (flags.has('--help')) return { code: 0, stdout: `${USAGE}\n`, stderr: '' };
  const unknown = [...flags].filter((f) => f !== '--all' && f !== '--json');
  if (unknown.length > 0)
    return { code: 2, stdout: '', stderr: `Unknown option ${unknown.join(', ')}.\n\n${USAGE}\n` };
  if (targets.length !== 1) {
    const why = targets.length === 0 ? 'Name the policy to check.' : 'Name one policy at a time.';
    return { code: 2, stdout: '', stderr: `${why}\n\n${USAGE}\n` };
  }
  const target = targets[0] as string;

  let policy: ReturnType<typeof loadPolicy>;
  try {
    policy = loadPolicy(target, { cwd });
  } catch (error: unknown) {
    if (error instanceof PolicyError)
      return { code: 1, stdout: '', stderr: `policy:check: ${error.message}\n` };
    throw error;
  }

  const findings = checkAgainstCode(policy);
  // A warning, not a finding: the Code says nothing of Welsh, but a Welsh page naming a service in English is a gap.
  const welsh = welshGaps(policy);
  const letters = lettersGap(policy);
  const childrens = childrensGap(policy);
  const dateless = datelessReferrals(policy);
  const unreachable = unreachableDestinations(policy);
  if (flags.has('--json')) {
    return {
      code: 0,
      stdout: `${JSON.stringify({ policy: policy.id, council: policy.council, findings, ...(welsh.length ? { welshGaps: welsh } : {}), ...(letters ? { lettersGap: letters } : {}), ...(childrens ? { childrensGap: childrens } : {}), ...(dateless.length ? { datelessReferrals: dateless } : {}), ...(unreachable.length ? { unreachable } : {}) }, null, 2)}\n`,
      stderr: '',
    };
  }

  const weaker = findings.filter((f) => f.verdict === 'weaker');
  const out: string[] = [`${policy.council} (${policy.id}) compared with ${CODE.name}`, ''];
  if (policy.ombudsman.nation !== 'england') {
    const office = OMBUDSMEN[nationalOmbudsman(policy.ombudsman.nation)].name;
    out.push(
      `The Code applies to councils in England. ${policy.council} is in ${nationName(policy.ombudsman.nation)} and answers to the ${office}: read this comparison as a reference, not as the standard it must meet.`,
      '',
    );
  }
  if (welsh.length > 0) {
    out.push(
      `Warning: ${policy.council} offers Welsh, but ${welsh.length === 1 ? 'this is' : `these ${welsh.length} are`} shown in English on Welsh pages and letters (add the Welsh):`,
      ...welsh.map((g) => `- ${g}`),
      '',
    );
  }
  if (letters) out.push(`Warning: ${letters}`, '');
  if (childrens) out.push(`Warning: ${childrens}`, '');
  for (const exclusion of dateless) out.push(`Warning: ${datelessWarning(policy, exclusion)}`, '');
  for (const exclusion of unreachable) out.push(`Warning: ${unreachableWarning(policy, exclusion)}`, '');
  if (weaker.length === 0) {
    out.push('No point is weaker than the Code.');
  } else {
    out.push(`Weaker than the Code (${weaker.length}):`);
    for (const f of weaker) out.push(...indent(f));
  }
  if (flags.has('--all')) {
    const rest = findings.filter((f) => f.verdict !== 'weaker');
    out.push('', `Meets or goes beyond it (${rest.length}):`);
    for (const f of rest) out.push(...indent(f));
  }
  out.push('', `${findings.length - weaker.length} of ${findings.length} points meet or go beyond the Code.`);
  return { code: 0, stdout: `${out.join('\n')}\n`, stderr: '' };
}

/**
 * What printed letters lack to be answered (a warning, not a finding): a letter is how a resident
 * without email, or who asked for post, hears from the council, and it tells them to reply using
 * the details at its top, which without `letters` are the complaints team's email address only.
 */
function lettersGap(policy: ReturnType<typeof loadPolicy>): string | undefined {
  const missing = [
    ...(policy.letters?.returnAddress.length ? [] : ['postal address']),
    ...(policy.letters?.phone ? [] : ['phone number']),
  ];
  if (missing.length === 0) return undefined;
  return `printed letters (to a resident without email, or who asked for post) give no ${missing.join(' or ')} to reply to, only the complaints team's email address: set letters.returnAddress and letters.phone.`;
}

/**
 * A policy that runs the adult statutory social care procedure (`socialCare`) but gives children's
 * social care no route (a warning, not a finding): its children's complaints, which follow the
 * Children Act 1989's procedure, would be handled under the corporate one. A council file written
 * before `childrens-social-care` existed is the usual case.
 */
function childrensGap(policy: ReturnType<typeof loadPolicy>): string | undefined {
  if (!policy.socialCare || policy.exclusions.includes('childrens-social-care')) return undefined;
  return "children's social care has no route of its own (add childrens-social-care to exclusions, with a destination): its complaints follow the Children Act 1989's procedure, but this policy would handle them under its corporate complaints procedure.";
}

/**
 * The exclusions whose matters are referred with no date (a warning, not a finding): the team is
 * sent the case, and the resident is told it has it but not when they will hear. Only children's
 * social care is meant to be referred so: its procedure, set by law, has timescales of its own.
 * Service requests are sent back to the service, and adult social care is handled here when the
 * policy runs the statutory procedure, so neither is a referral.
 */
function datelessReferrals(policy: ReturnType<typeof loadPolicy>): ExclusionId[] {
  return policy.exclusions.filter((exclusion) => {
    if (exclusion === 'childrens-social-care' || exclusion === 'service-request') return false;
    if (exclusion === 'social-care' && policy.socialCare) return false;
    const referral = exclusionReferral(policy, exclusion);
    return referral?.mailbox !== undefined && referral.contactWithinWorkingDays === undefined;
  });
}

function datelessWarning(policy: ReturnType<typeof loadPolicy>, exclusion: ExclusionId): string {
  const referral = exclusionReferral(policy, exclusion);
  return `${referral?.team} (${exclusion}) is sent the case at ${referral?.mailbox}, but the resident is given no date by which they will hear: set destinations.${exclusion}.contactWithinWorkingDays.`;
}

/**
 * A destination the resident must reach by themselves with nothing to reach it by (a warning, not
 * a finding): the letter can only tell them to ask the complaints team how.
 */
function unreachableWarning(policy: ReturnType<typeof loadPolicy>, exclusion: ExclusionId): string {
  const team = exclusionReferral(policy, exclusion)?.team ?? 'its destination';
  return `${team} (${exclusion}) is not sent the case, and the resident is given no way to reach it: set destinations.${exclusion}.phone or destinations.${exclusion}.url (or a mailbox, to send it the case).`;
}

// Run only when executed (tsx functions/cli/policy-check.ts), not when a test imports it.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // `npm run` starts scripts in the package folder; a relative file path means the caller's folder.
  const result = runPolicyCheck(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd());
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}
