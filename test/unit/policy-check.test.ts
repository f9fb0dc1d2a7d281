import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runPolicyCheck } from '../../functions/cli/policy-check.js';
import { checkAgainstCode, compareWithCode, type Finding } from '../../functions/domain/code-comparison.js';
import { loadPolicy, PRESET_IDS } from '../../functions/domain/policy.js';
import { makePolicy } from '../support/policy-fixture.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/policies/', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../../functions/cli/policy-check.ts', import.meta.url));
const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');

function fields(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.field);
}

function weakerOf(...args: Parameters<typeof makePolicy>): Finding[] {
  return compareWithCode(makePolicy(...args));
}

describe('compareWithCode', () => {
  it('finds nothing weaker in the Code preset', () => {
    const findings = compareWithCode(loadPolicy('lgsco-code-2024'));

    expect(findings).toEqual([]);
  });

  it("names Dorset's 20-day response, alone and with its longest extension, as its only gaps", () => {
    const findings = compareWithCode(loadPolicy('dorset'));

    expect(findings).toHaveLength(2);
    expect(findings[1]?.message).toBe(
      'Stage 1 response with the longest extension: 30 working days from receipt — the Code asks for at most ' +
        '20 working days from acknowledgement (up to 25 from receipt). Weaker than the Code.',
    );
    expect(findings[0]).toMatchObject({
      field: 'complaint.stage1.respond',
      policyValue: '20 working days from receipt',
      codeValue: '10 working days from acknowledgement (up to 15 from receipt)',
      verdict: 'weaker',
      message:
        'Stage 1 response: 20 working days from receipt — the Code asks for 10 working days from acknowledgement ' +
        '(up to 15 from receipt). Weaker than the Code.',
    });
    expect(findings[0]?.source).toContain('Dorset Council complaints policy');
  });

  it("names Dudley's 20-day response, its stage-2 grounds, its acknowledgement without our understanding and late signposting", () => {
    const findings = compareWithCode(loadPolicy('dudley'));

    expect(fields(findings)).toEqual([
      'complaint.stage1.respond',
      'complaint.stage1.extension.maxWorkingDays',
      'complaint.stage2.groundsRequired',
      'complaint.understandingAtAcknowledgement',
      'ombudsman.signpostAtEveryStage',
    ]);
    expect(findings[3]?.message).toBe(
      'Our understanding at acknowledgement: asked of the officer, not required — the Code asks for the ' +
        'acknowledgement to set out our understanding of the complaint and the outcome the resident wants. ' +
        'Weaker than the Code.',
    );
    expect(findings[1]?.topic).toBe('Stage 1 response with the longest extension');
    expect(findings[2]?.message).toContain('factual error');
    expect(findings[2]?.message).toContain('the resident need not explain why they escalate');
  });

  it("accepts South Norfolk's 15 days from receipt as the Code's latest and names its late signposting", () => {
    const policy = loadPolicy('south-norfolk');

    const all = checkAgainstCode(policy);

    expect(all.find((f) => f.field === 'complaint.stage1.respond')?.verdict).toBe('meets');
    expect(all.find((f) => f.field === 'complaint.stage2.respond')?.verdict).toBe('stronger');
    expect(fields(compareWithCode(policy))).toEqual(['ombudsman.signpostAtEveryStage']);
  });

  it('finds nothing weaker in the unitary feedback procedure', () => {
    expect(compareWithCode(loadPolicy('unitary-feedback'))).toEqual([]);
  });

  it('names the single stage of the statutory social care procedure and explains why', () => {
    const findings = compareWithCode(loadPolicy('social-care-statutory'));

    expect(fields(findings)).toEqual([
      'complaint.stages',
      'complaint.stage1.respond',
      'complaint.stage1.extension',
    ]);
    expect(findings[0]?.message).toBe(
      'Stages: one stage — the Code asks for exactly two stages. Weaker than the Code. ' +
        'Statutory adult social care complaints follow SI 2009/309, a one-stage procedure, rather than the Code.',
    );
    expect(
      fields(checkAgainstCode(loadPolicy('social-care-statutory'))).some((f) =>
        f.startsWith('complaint.stage2'),
      ),
    ).toBe(false);
  });

  it.each(PRESET_IDS)('checks every point of the %s preset once', (id) => {
    const all = checkAgainstCode(loadPolicy(id));

    expect(new Set(fields(all)).size).toBe(all.length);
    expect(fields(all)).toEqual(
      expect.arrayContaining(['complaint.stages', 'complaint.stage1.respond', 'retention']),
    );
  });

  it('holds a response counted from acknowledgement to 10 working days', () => {
    const findings = weakerOf({
      complaint: { stage1: { respond: { workingDays: 12, from: 'acknowledgement' } } },
    });

    expect(findings.map((f) => f.message)).toEqual([
      'Stage 1 response: 12 working days from acknowledgement — the Code asks for 10 working days from acknowledgement ' +
        '(up to 15 from receipt). Weaker than the Code.',
      'Stage 1 response with the longest extension: 22 working days from acknowledgement — the Code asks for ' +
        'at most 20 working days from acknowledgement (up to 25 from receipt). Weaker than the Code.',
    ]);
  });

  it('names a response within the Code whose extension takes it past the Code’s total', () => {
    const findings = weakerOf({
      complaint: {
        stage1: {
          respond: { workingDays: 15, from: 'receipt' },
          extension: { maxWorkingDays: 12, reasonsRequired: true, includeOmbudsmanDetails: true },
        },
      },
    });

    // 15 from receipt meets the Code; 15 + 12 = 27 is past its 25 from receipt.
    expect(fields(findings)).toEqual([
      'complaint.stage1.extension',
      'complaint.stage1.extension.maxWorkingDays',
    ]);
    expect(findings[1]?.message).toBe(
      'Stage 1 response with the longest extension: 27 working days from receipt — the Code asks for at most ' +
        '20 working days from acknowledgement (up to 25 from receipt). Weaker than the Code.',
    );
  });

  it('counts a faster response and no extensions as stronger, never as a gap', () => {
    const policy = makePolicy({
      complaint: {
        stage1: {
          respond: { workingDays: 8, from: 'receipt' },
          extension: { maxWorkingDays: 0, reasonsRequired: false, includeOmbudsmanDetails: false },
        },
      },
    });

    const all = checkAgainstCode(policy);

    expect(all.find((f) => f.field === 'complaint.stage1.respond')?.verdict).toBe('stronger');
    expect(all.find((f) => f.field === 'complaint.stage1.extension')?.verdict).toBe('stronger');
    expect(compareWithCode(policy)).toEqual([]);
  });

  it('names a long extension, one without reasons and one without the ombudsman', () => {
    const findings = weakerOf({
      complaint: {
        stage2: { extension: { maxWorkingDays: 20, reasonsRequired: false, includeOmbudsmanDetails: false } },
      },
    });

    expect(fields(findings)).toEqual([
      'complaint.stage2.extension',
      'complaint.stage2.extension.reasonsRequired',
      'complaint.stage2.extension.includeOmbudsmanDetails',
      // 20 working days to respond plus 20 more: 40, where the Code allows at most 30.
      'complaint.stage2.extension.maxWorkingDays',
    ]);
    expect(findings[0]?.message).toBe(
      'Stage 2 extension: up to 20 working days more — the Code asks for at most 10 working days more without good reason. ' +
        'Weaker than the Code.',
    );
  });

  it('names slow acknowledgements and a stage-2 reviewer who may be the stage-1 officer', () => {
    const findings = weakerOf({
      complaint: {
        stage1: { acknowledge: { workingDays: 10, from: 'receipt' } },
        stage2: {
          acknowledge: { workingDays: 7, from: 'request' },
          respond: { workingDays: 26, from: 'request' },
          differentOfficer: false,
        },
      },
    });

    expect(fields(findings)).toEqual([
      'complaint.stage1.acknowledge',
      'complaint.stage2.acknowledge',
      'complaint.stage2.respond',
      'complaint.stage2.extension.maxWorkingDays',
      'complaint.stage2.differentOfficer',
    ]);
  });

  it('names a short time limit, a wrong ombudsman number and slow feedback replies', () => {
    const findings = weakerOf({
      complaint: { timeLimitMonths: 6 },
      ombudsman: { lgsco: { name: 'LGSCO', phone: '0300 061 0000', url: 'https://www.lgo.org.uk' } },
      compliment: { acknowledge: { workingDays: 10, from: 'receipt' } },
      comment: { reply: { workingDays: 20, from: 'receipt' } },
    });

    expect(fields(findings)).toEqual([
      'complaint.timeLimitMonths',
      'ombudsman.lgsco.phone',
      'compliment.acknowledge',
      'comment.reply',
    ]);
  });

  it('checks the Housing Ombudsman number only when the council is a landlord', () => {
    const housing = {
      name: 'Housing Ombudsman Service',
      phone: '0300 000 0000',
      url: 'https://www.housing-ombudsman.org.uk',
    };
    const landlord = {
      services: [{ id: 'housing', name: 'Council housing', directorate: 'Housing', housingLandlord: true }],
    };

    expect(fields(weakerOf({ ombudsman: { housing } }))).toEqual([]);
    expect(fields(weakerOf({ ombudsman: { housing }, routing: landlord }))).toEqual([
      'ombudsman.housing.phone',
    ]);
  });

  it('holds the social care section to SI 2009/309', () => {
    const findings = weakerOf({
      socialCare: { acknowledge: { workingDays: 5, from: 'receipt' }, tellIfBeyondMonths: 9 },
    });

    expect(findings.map((f) => [f.field, f.reference])).toEqual([
      ['socialCare.acknowledge', 'SI 2009/309'],
      ['socialCare.tellIfBeyondMonths', 'SI 2009/309'],
    ]);
    expect(findings[0]?.message).toBe(
      'Social care acknowledgement: 5 working days from receipt — SI 2009/309 asks for 3 working days from receipt (reg. 13). ' +
        'Weaker than SI 2009/309.',
    );
  });
});

describe('runPolicyCheck', () => {
  it('prints the weaker points with their sources and a summary, and exits 0', () => {
    const result = runPolicyCheck(['dorset']);

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(
      'Dorset Council (dorset) compared with the LGSCO / Housing Ombudsman Complaint Handling Code 2024',
    );
    expect(result.stdout).toContain('Weaker than the Code (2):');
    expect(result.stdout).toContain('- Stage 1 response: 20 working days from receipt');
    expect(result.stdout).toContain('Policy source: Dorset Council complaints policy');
    const all = checkAgainstCode(loadPolicy('dorset'));
    expect(result.stdout).toMatch(
      new RegExp(`\\n${all.length - 2} of ${all.length} points meet or go beyond the Code\\.\\n$`),
    );
  });

  it('says that the Code is a reference only for a council outside England', () => {
    const result = runPolicyCheck(['spso-model-chp']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'The Code applies to councils in England. Example Scottish Council is in Scotland and answers to the Scottish Public Services Ombudsman',
    );
    expect(runPolicyCheck(['dorset']).stdout).not.toContain('The Code applies to councils in England');
  });

  it('warns when printed letters would give a resident without email nothing to reply to but an email address', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-letters-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const preset = loadPolicy('lgsco-code-2024');
    const withPhoneOnly = {
      ...preset,
      id: 'phone-only',
      letters: { returnAddress: [], phone: '01632 960000' },
    };
    const complete = {
      ...preset,
      id: 'complete',
      letters: { returnAddress: ['Council Offices', 'Exampletown EX1 1AA'], phone: '01632 960000' },
    };
    writeFileSync(join(dir, 'phone-only.json'), JSON.stringify(withPhoneOnly));
    writeFileSync(join(dir, 'complete.json'), JSON.stringify(complete));

    expect(runPolicyCheck(['lgsco-code-2024']).stdout).toContain(
      "Warning: printed letters (to a resident without email, or who asked for post) give no postal address or phone number to reply to, only the complaints team's email address: set letters.returnAddress and letters.phone.",
    );
    expect(runPolicyCheck(['phone-only.json'], dir).stdout).toContain('give no postal address to reply to');
    expect(runPolicyCheck(['complete.json'], dir).stdout).not.toContain('printed letters');
    expect(JSON.parse(runPolicyCheck(['--json', 'lgsco-code-2024']).stdout).lettersGap).toMatch(
      /^printed letters/,
    );
  });

  // A council file written before children's social care had a route of its own runs the adult
  // procedure and lists no childrens-social-care: its children's complaints would be handled
  // under the corporate procedure, not the Children Act 1989's. Say so.
  it("warns when a policy running the adult social care procedure gives children's social care no route", () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-childrens-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const preset = loadPolicy('lgsco-code-2024');
    const older = {
      ...preset,
      id: 'older',
      exclusions: preset.exclusions.filter((e) => e !== 'childrens-social-care'),
    };
    writeFileSync(join(dir, 'older.json'), JSON.stringify(older));

    expect(runPolicyCheck(['older.json'], dir).stdout).toContain(
      "Warning: children's social care has no route of its own (add childrens-social-care to exclusions, with a destination):",
    );
    for (const id of [
      'lgsco-code-2024',
      'dorset',
      'unitary-feedback',
      'south-norfolk',
      'dudley',
      'spso-model-chp',
    ]) {
      expect(runPolicyCheck([id]).stdout).not.toContain("children's social care has no route");
    }
  });

  // A destination with a mailbox and no contactWithinWorkingDays is referred with no date: the
  // resident is told a team has it and never when they will hear. Only children's social care,
  // whose procedure set by law has its own timescales, is meant to be referred so.
  it("warns of each referral that gives the resident no date, other than children's social care", () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-dateless-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const preset = loadPolicy('lgsco-code-2024');
    const { contactWithinWorkingDays: _, ...insurance } = preset.destinations['insurance-claim'] ?? {};
    const dateless = {
      ...preset,
      id: 'dateless',
      destinations: { ...preset.destinations, 'insurance-claim': insurance },
    };
    writeFileSync(join(dir, 'dateless.json'), JSON.stringify(dateless));

    const result = runPolicyCheck(['dateless.json'], dir);

    expect(result.stdout).toContain(
      'Warning: our insurance team (insurance-claim) is sent the case at insurance@example.gov.uk, but the resident is given no date by which they will hear: set destinations.insurance-claim.contactWithinWorkingDays.',
    );
    expect(result.stdout).not.toMatch(
      /children's social care complaints team \(childrens-social-care\) is sent/,
    );
    expect(JSON.parse(runPolicyCheck(['--json', 'dateless.json'], dir).stdout).datelessReferrals).toEqual([
      'insurance-claim',
    ]);
    for (const id of PRESET_IDS) {
      expect(runPolicyCheck([id]).stdout, id).not.toContain('given no date');
    }
  });

  // A destination the case is not emailed to leaves the resident to go there themselves: the
  // policy must say how (a phone number or a web page), or the letter can only say "contact them".
  it('warns of each destination that gives the resident no way to reach it, and of none in the presets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-unreachable-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const preset = loadPolicy('lgsco-code-2024');
    const { url: _, ...schools } = preset.destinations.schools ?? {
      team: 'the school',
      told: 'Ask the school.',
    };
    const unreachable = {
      ...preset,
      id: 'unreachable',
      destinations: { ...preset.destinations, schools },
    };
    writeFileSync(join(dir, 'unreachable.json'), JSON.stringify(unreachable));

    const result = runPolicyCheck(['unreachable.json'], dir);

    expect(result.stdout).toContain(
      'Warning: the school (schools) is not sent the case, and the resident is given no way to reach it: set destinations.schools.phone or destinations.schools.url (or a mailbox, to send it the case).',
    );
    expect(JSON.parse(runPolicyCheck(['--json', 'unreachable.json'], dir).stdout).unreachable).toEqual([
      'schools',
    ]);
    for (const id of PRESET_IDS) {
      expect(runPolicyCheck([id]).stdout, id).not.toContain('no way to reach');
    }
  });

  it('says so when nothing is weaker', () => {
    const result = runPolicyCheck(['lgsco-code-2024']);

    expect(result.stdout).toContain('No point is weaker than the Code.');
  });

  it('lists every point with --all and prints JSON with --json', () => {
    const all = runPolicyCheck(['dudley', '--all']);
    const json = runPolicyCheck(['--json', 'dudley']);

    expect(all.stdout).toContain('Meets or goes beyond it (');
    expect(all.stdout).toContain('Stage 2 reviewer: someone other than the stage-1 officer');
    const parsed = JSON.parse(json.stdout) as { policy: string; findings: Finding[] };
    expect(parsed.policy).toBe('dudley');
    expect(parsed.findings).toEqual(checkAgainstCode(loadPolicy('dudley')));
  });

  it('reads a relative policy file from the given folder', () => {
    const result = runPolicyCheck(['my-council.json'], FIXTURES);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('My Council (my-council)');
  });

  it('prints usage and exits 2 without a policy, with two, or with an unknown option', () => {
    for (const args of [[], ['dorset', 'dudley'], ['dorset', '--verbose']]) {
      const result = runPolicyCheck(args);

      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Usage: npm run policy:check -- <preset-id | path/to/policy.json>');
    }
  });
});

describe('policy:check command', () => {
  const run = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [TSX_CLI, SCRIPT, ...args], {
        cwd: ROOT,
      });
      return { code: 0, stdout, stderr };
    } catch (error: unknown) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      if (typeof e.code !== 'number') throw error;
      return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };

  it("names Dorset's response-time gap and exits 0", async () => {
    const result = await run('dorset');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Stage 1 response: 20 working days from receipt — the Code asks for 10 working days from acknowledgement (up to 15 from receipt). Weaker than the Code.',
    );
  });

  it('prints usage and exits 2 without an argument', async () => {
    const result = await run();

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage:');
  });

  it('exits 1 with the known presets and no stack trace for an unknown id', async () => {
    const result = await run('dorsett');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'policy:check: Unknown policy preset "dorsett". Known presets: lgsco-code-2024, dorset',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 naming the bad field of an invalid file', async () => {
    const result = await run('test/fixtures/policies/bad-fraction.json');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Policy "test/fixtures/policies/bad-fraction.json" is invalid: complaint.stage1.respond.workingDays: must be a whole number of working days',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 for a missing file and for a file that is not JSON', async () => {
    const missing = await run('test/fixtures/policies/nowhere.json');
    // Written at run time: a broken JSON file in the repository would fail the linter.
    const dir = mkdtempSync(join(tmpdir(), 'redress-policy-check-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'broken.json'), '{\n  "extends": "lgsco-code-2024",\n  "id": "broken",\n}\n');

    const broken = await run(join(dir, 'broken.json'));

    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Policy file "test/fixtures/policies/nowhere.json" was not found');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('is not valid JSON at line 4, column 1');
  });
});
