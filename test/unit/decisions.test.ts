import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../functions/domain/case.js';
import { deriveDeadlines, plusWorkingDays } from '../../functions/domain/case-clock.js';
import {
  applyDecision,
  applyRecording,
  DECISION_RULES,
  type DecisionRule,
  type DecisionValues,
  RECORDING_RULES,
} from '../../functions/domain/decisions.js';
import { DecisionRefusedError, UnknownDecisionError } from '../../functions/domain/errors.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import {
  type DecisionOf,
  TASK_DECISIONS,
  TASK_NAMES,
  type TaskName,
} from '../../functions/domain/workflow-names.js';

const policy = loadPolicy('lgsco-code-2024');
const OFFICER = 'waste.team@example.gov.uk';
const RECEIVED = '2026-03-02T09:00:00.000Z';
const ACKNOWLEDGED = '2026-03-03T10:00:00.000Z';
const NOW = '2026-03-10T10:00:00.000Z';

/** A stage-1 complaint being investigated, with its open task with `OFFICER`. */
function complaint(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    caseId: 'case-1',
    reference: 'CMP-2026-000001',
    kind: 'complaint',
    submittedKind: 'complaint',
    status: 'investigating',
    stage: 1,
    policyId: policy.id,
    service: 'waste-recycling',
    summary: 'My bin was missed three weeks running',
    complainant: { name: 'Ada Lovelace', email: 'ada@example.com' },
    anonymous: false,
    channel: 'online',
    receivedAt: RECEIVED,
    createdAt: RECEIVED,
    updatedAt: RECEIVED,
    triage: { route: 'handle', reasons: [] },
    deadlines: {},
    assignedTo: OFFICER,
    openTask: {
      taskId: 'task-1',
      name: 'respond',
      officer: OFFICER,
      taskToken: 'token',
      issuedAt: ACKNOWLEDGED,
    },
    progress: { stage1: { startedAt: RECEIVED, acknowledgedAt: ACKNOWLEDGED } },
    version: 3,
    ...overrides,
  };
}

/** A complaint nobody has acknowledged yet. */
const unacknowledged = (): CaseRecord =>
  complaint({ status: 'awaiting-acknowledgement', progress: { stage1: { startedAt: RECEIVED } } });

/** `record`'s notes after the officer adds `text` now. */
/** The case's notes after a decision: its reasons, and the letter that gives them to the resident. */
const noted = (text: string, forLetter?: string) => [
  { at: NOW, by: OFFICER, text, ...(forLetter ? { for: forLetter } : {}) },
];

interface Case {
  values: DecisionValues;
  record?: CaseRecord;
  set: Partial<CaseRecord>;
  message: string;
}

/**
 * One case per (task, decision) pair, typed like the table itself: a pair the workflows can take
 * with no case here, or a case for a pair they cannot, does not compile.
 */
const CASES: { [T in TaskName]: { [D in DecisionOf<T>]: Case } } = {
  acknowledge: {
    acknowledge: {
      values: {},
      record: unacknowledged(),
      set: { status: 'investigating', progress: { stage1: { startedAt: RECEIVED, acknowledgedAt: NOW } } },
      message: 'The resident has been sent an acknowledgement with the date they will hear from us.',
    },
    resolve: {
      values: { response: 'We collected the bin the same day and apologised.' },
      record: unacknowledged(),
      set: {
        status: 'responded',
        progress: {
          stage1: {
            startedAt: RECEIVED,
            acknowledgedAt: NOW,
            respondedAt: NOW,
            response: { reasons: 'We collected the bin the same day and apologised.' },
          },
        },
      },
      message: 'The complaint is recorded as resolved at first contact and the resident has been told.',
    },
    reassign: {
      values: { reassignTo: 'highways@example.gov.uk' },
      set: { assignedTo: 'highways@example.gov.uk' },
      message: 'The case has been sent to highways@example.gov.uk. They will get an email with a link.',
    },
    'not-a-complaint': {
      values: { redirect: 'Report a missed bin at www.example.gov.uk/bins' },
      record: unacknowledged(),
      set: {
        status: 'redirected',
        triage: {
          route: 'redirect',
          reasons: [],
          exclusion: 'service-request',
          redirect: 'Report a missed bin at www.example.gov.uk/bins',
        },
      },
      message: 'The case is recorded as not a complaint and the resident has been told where to go instead.',
    },
    'refer-vexatious': {
      values: { reason: 'The twelfth complaint about the same bin this month' },
      set: {
        status: 'awaiting-decision',
        notes: noted('The twelfth complaint about the same bin this month'),
      },
      message: 'The case has been referred to the nominated officer, who will decide.',
    },
    'refuse-out-of-time': {
      values: { timeLimitReason: 'It happened in 2019 and the records no longer exist.' },
      set: {
        status: 'responded',
        notes: noted(
          'Refused as out of time: It happened in 2019 and the records no longer exist.',
          'out-of-time',
        ),
      },
      message: 'The resident has been told why we will not investigate, with the Ombudsman’s details.',
    },
  },
  respond: {
    respond: {
      values: {
        outcome: 'partially-upheld',
        response: 'The crew missed the bin twice.',
        remedy: 'An apology',
        actions: 'Crew briefing by 1 April',
        lessons: 'Check the round sheet',
      },
      set: {
        status: 'responded',
        outcome: 'partially-upheld',
        progress: {
          stage1: {
            startedAt: RECEIVED,
            acknowledgedAt: ACKNOWLEDGED,
            respondedAt: NOW,
            response: {
              outcome: 'partially-upheld',
              reasons: 'The crew missed the bin twice.',
              remedy: 'An apology',
              actions: 'Crew briefing by 1 April',
              lessons: 'Check the round sheet',
            },
          },
        },
      },
      message: 'Your response has been sent to the resident.',
    },
    extend: {
      values: { extendDays: 5, reason: 'Waiting for the crew’s report' },
      set: {
        progress: {
          stage1: {
            startedAt: RECEIVED,
            acknowledgedAt: ACKNOWLEDGED,
            extensionDays: 5,
            extensions: [{ at: NOW, days: 5, reason: 'Waiting for the crew’s report' }],
          },
        },
      },
      message: 'The resident has been told the new date and the reason.',
    },
    pause: {
      values: {
        pauseKind: 'conciliation',
        residentAgreed: true,
        pauseNote: 'Mediation with the crew supervisor',
      },
      set: {
        status: 'paused',
        progress: {
          stage1: {
            startedAt: RECEIVED,
            acknowledgedAt: ACKNOWLEDGED,
            pausedAt: NOW,
            pauseKind: 'conciliation',
          },
        },
        notes: noted('Mediation with the crew supervisor', 'pause'),
      },
      message:
        'The clock is paused and the resident has been told. Use the link in your next email to restart it.',
    },
    reassign: {
      values: { reassignTo: 'highways@example.gov.uk' },
      set: { assignedTo: 'highways@example.gov.uk' },
      message: 'The case has been sent to highways@example.gov.uk. They will get an email with a link.',
    },
    'refer-vexatious': {
      values: { referralReason: 'Abusive calls to the crew' },
      set: { status: 'awaiting-decision', notes: noted('Abusive calls to the crew') },
      message: 'The case has been referred to the nominated officer, who will decide.',
    },
  },
  resume: {
    resume: {
      values: {},
      // Paused on Tuesday 3 March with 2 working days already paused; restarted on Tuesday 10 March.
      record: complaint({
        status: 'paused',
        progress: {
          stage1: {
            startedAt: RECEIVED,
            acknowledgedAt: ACKNOWLEDGED,
            pausedAt: '2026-03-03T10:00:00.000Z',
            pausedWorkingDays: 2,
          },
        },
      }),
      set: {
        status: 'investigating',
        progress: { stage1: { startedAt: RECEIVED, acknowledgedAt: ACKNOWLEDGED, pausedWorkingDays: 7 } },
      },
      message: 'The clock has restarted and the resident has been told the new date.',
    },
  },
  'stage-2-request': {
    request: {
      values: { response: 'You did not look at my photos' },
      record: complaint({ status: 'responded' }),
      set: {
        status: 'stage-2-requested',
        progress: {
          stage1: { startedAt: RECEIVED, acknowledgedAt: ACKNOWLEDGED },
          stage2: { startedAt: NOW, grounds: [], groundsText: 'You did not look at my photos' },
        },
      },
      message:
        'We have your request for a review. A senior officer will look at it and we will write to you.',
    },
  },
  'stage-2-decision': {
    accept: {
      values: {},
      set: {},
      message: 'Stage 2 has started. You will get the acknowledgement task next.',
    },
    refuse: {
      values: { reason: 'No new evidence' },
      set: { status: 'responded', notes: noted('Stage 2 refused: No new evidence', 'stage-2-refused') },
      message: 'The resident has been told why stage 2 was refused, with the ombudsman details.',
    },
    resolve: {
      values: { resolution: 'We will re-empty the bin and apologise in writing.' },
      record: complaint({ progress: { stage1: { startedAt: RECEIVED }, stage2: { startedAt: NOW } } }),
      set: {
        status: 'responded',
        progress: {
          stage1: { startedAt: RECEIVED },
          stage2: {
            startedAt: NOW,
            respondedAt: NOW,
            response: { reasons: 'We will re-empty the bin and apologise in writing.' },
          },
        },
      },
      message:
        'The resident has been sent what you agreed, with the ombudsman details. Stage 2 will not start.',
    },
  },
  'late-stage-2-request': {
    'accept-late': {
      values: { reason: 'In hospital until last week' },
      record: complaint({ progress: { stage1: { startedAt: RECEIVED } } }),
      set: {
        status: 'stage-2-requested',
        notes: noted('Late stage 2 request accepted: In hospital until last week'),
        progress: { stage1: { startedAt: RECEIVED }, stage2: { startedAt: NOW, grounds: [] } },
      },
      message: 'The late request is accepted and goes on as a request for stage 2.',
    },
  },
  'confirm-exclusion': {
    confirm: {
      values: {},
      set: { notes: undefined },
      message: 'Confirmed. The case stays where it was sent, and is closed here.',
    },
    'handle-as-complaint': {
      values: { complaintReason: 'It is about how our officer spoke to them' },
      record: complaint({
        triage: { route: 'refer', exclusion: 'hate-incident', reasons: ['Looks like a hate incident.'] },
      }),
      set: {
        status: 'received',
        triage: {
          route: 'handle',
          exclusion: 'hate-incident',
          reasons: [
            'Looks like a hate incident.',
            `Brought into the complaints procedure by ${OFFICER}: It is about how our officer spoke to them`,
          ],
        },
      },
      message:
        'The case is now handled as a complaint, timed from the day we first received it. The resident is sent a receipt and the service gets the acknowledgement task.',
    },
  },
  'referral-check': {
    'picked-up': {
      values: { reason: 'Confirmed by phone.' },
      record: complaint({
        triage: { route: 'refer', exclusion: 'hate-incident', reasons: ['Looks like a hate incident.'] },
      }),
      set: {
        notes: noted(
          'Picked up by our Customer Relations team, who deal with hate crime. Confirmed by phone.',
        ),
      },
      message:
        'Recorded. The case stays with our Customer Relations team, who deal with hate crime, and is closed here.',
    },
    'handle-as-complaint': {
      values: { complaintReason: 'Customer Relations say it is about our own officer' },
      record: complaint({
        triage: { route: 'refer', exclusion: 'hate-incident', reasons: ['Looks like a hate incident.'] },
      }),
      set: {
        status: 'received',
        triage: {
          route: 'handle',
          exclusion: 'hate-incident',
          reasons: [
            'Looks like a hate incident.',
            `Sent back as not theirs by the team it was passed to, and brought into the complaints procedure by ${OFFICER}: Customer Relations say it is about our own officer`,
          ],
        },
      },
      message:
        'The case is now handled as a complaint, timed from the day we first received it. The resident is sent a receipt and the service gets the acknowledgement task.',
    },
  },
  'vexatious-decision': {
    designate: {
      values: { reason: 'Persistent abusive contact' },
      // An emailed decision: the standing restriction, reviewed six months on (functions/domain/designation.ts).
      set: {
        vexatious: true,
        notes: noted('Persistent abusive contact', 'vexatious-decision'),
        designation: {
          at: '2026-03-10T10:00:00.000Z',
          by: 'waste.team@example.gov.uk',
          reason: 'Persistent abusive contact',
          restrictions: ['no-further-correspondence'],
          reviewBy: '2026-09-10',
        },
      },
      message: 'The complainant is designated and has been told. Their later contact will come to you.',
    },
    'do-not-designate': {
      values: { reason: 'Each complaint raised a new missed collection' },
      set: { status: 'investigating', notes: noted('Each complaint raised a new missed collection') },
      message: 'The complaint continues as normal.',
    },
  },
  'nominated-contact': {
    handle: {
      values: {},
      set: { status: 'awaiting-acknowledgement' },
      message: 'The contact will be handled as a complaint.',
    },
    'no-further-action': {
      values: { reason: 'Repeats the complaint already answered' },
      set: { notes: noted('Repeats the complaint already answered') },
      message: 'Recorded. The case will be closed.',
    },
  },
  'anonymous-review': {
    investigate: {
      values: {},
      set: { status: 'awaiting-acknowledgement' },
      message: 'The contact will be handled as a complaint.',
    },
    'no-action': {
      values: { reason: 'Not enough detail to look into' },
      set: { notes: noted('Not enough detail to look into') },
      message: 'Recorded. The case will be closed.',
    },
  },
  consent: {
    'consent-received': {
      values: {},
      record: complaint({ onBehalfOf: { name: 'Grace Hopper', relationship: 'Mother', consent: false } }),
      set: {
        onBehalfOf: { name: 'Grace Hopper', relationship: 'Mother', consent: true },
        progress: { stage1: { startedAt: NOW, acknowledgedAt: ACKNOWLEDGED } },
      },
      message: 'Consent is recorded and the complaint goes ahead. Its timescales start today.',
    },
    'no-consent': {
      values: { reason: 'She asked us not to go ahead' },
      set: { notes: noted('She asked us not to go ahead', 'consent-not-given') },
      message: 'Recorded. The case will be closed.',
    },
  },
  'compliment-pass-on': {
    'passed-on': {
      values: { staffNamed: 'Sam Jones, Priya Shah,', response: 'Thank you, we have told them.' },
      record: complaint({ kind: 'compliment', submittedKind: 'compliment' }),
      set: {
        staffNamed: ['Sam Jones', 'Priya Shah'],
        progress: {
          stage1: {
            startedAt: RECEIVED,
            acknowledgedAt: ACKNOWLEDGED,
            response: { reasons: 'Thank you, we have told them.' },
          },
        },
      },
      message: 'Thank you. The compliment is recorded against the service and the staff named.',
    },
  },
  'comment-reply': {
    reply: {
      values: { response: 'We will add a second collection in the summer.' },
      record: complaint({ kind: 'comment', submittedKind: 'comment' }),
      set: {
        progress: {
          stage1: {
            startedAt: RECEIVED,
            acknowledgedAt: ACKNOWLEDGED,
            respondedAt: NOW,
            response: { reasons: 'We will add a second collection in the summer.' },
          },
        },
      },
      message: 'Your reply has been sent to the resident.',
    },
  },
  'representation-feedback': {
    feedback: {
      values: { response: 'The policy will be reviewed in June.' },
      record: complaint({ kind: 'representation', submittedKind: 'representation' }),
      set: {
        progress: {
          stage1: {
            startedAt: RECEIVED,
            acknowledgedAt: ACKNOWLEDGED,
            respondedAt: NOW,
            response: { reasons: 'The policy will be reviewed in June.' },
          },
        },
      },
      message: 'Your reply has been sent to the resident.',
    },
  },
  'social-care-plan': {
    'agree-plan': {
      values: { plan: 'Review the care package with the family', agreedWorkingDays: 25 },
      record: complaint({
        kind: 'social-care',
        status: 'awaiting-acknowledgement',
        progress: { stage1: { startedAt: RECEIVED } },
      }),
      set: {
        status: 'investigating',
        plan: {
          text: 'Review the care package with the family',
          agreedWorkingDays: 25,
          agreedAt: NOW,
          round: 1,
        },
        progress: { stage1: { startedAt: RECEIVED, acknowledgedAt: NOW } },
      },
      message: 'The plan and timeframe are recorded and the complainant has been sent them.',
    },
  },
  'social-care-review': {
    resolved: {
      values: { response: 'The new package is in place.' },
      record: complaint({ kind: 'social-care' }),
      set: {
        progress: {
          stage1: {
            startedAt: RECEIVED,
            acknowledgedAt: ACKNOWLEDGED,
            respondedAt: NOW,
            response: { reasons: 'The new package is in place.' },
          },
        },
      },
      message: 'The complaint is recorded as resolved to the complainant’s satisfaction.',
    },
    'new-plan': {
      values: { plan: 'An independent review of the package', agreedWorkingDays: 30 },
      record: complaint({
        kind: 'social-care',
        plan: { text: 'Review the care package', agreedWorkingDays: 25, agreedAt: ACKNOWLEDGED, round: 1 },
      }),
      // Already acknowledged: the second round leaves the acknowledgement as it was.
      set: {
        status: 'investigating',
        plan: {
          text: 'An independent review of the package',
          agreedWorkingDays: 30,
          agreedAt: NOW,
          round: 2,
        },
      },
      message: 'The plan and timeframe are recorded and the complainant has been sent them.',
    },
    'propose-closing': {
      values: { reason: 'Three plans delivered; nothing more is proportionate' },
      record: complaint({ kind: 'social-care' }),
      set: {
        status: 'awaiting-decision',
        notes: noted('Three plans delivered; nothing more is proportionate', 'social-care-closed'),
      },
      message: 'The director has been asked to sign off closing the complaint.',
    },
  },
  'sign-off': {
    approve: {
      values: {},
      record: complaint({ kind: 'social-care' }),
      set: {
        progress: {
          stage1: {
            startedAt: RECEIVED,
            acknowledgedAt: ACKNOWLEDGED,
            respondedAt: NOW,
            response: { reasons: 'An appropriate and proportional response has been given.' },
          },
        },
      },
      message: 'Signed off. The complainant has been told, with the ombudsman details.',
    },
    decline: {
      values: { reason: 'The family has not seen the last plan' },
      record: complaint({ kind: 'social-care' }),
      set: { status: 'investigating', notes: noted('The family has not seen the last plan') },
      message: 'Declined. The complaints team will continue the feedback loop.',
    },
  },
};

/** The cases as a list, for `it.each`; the type of `CASES` guarantees every pair is in it. */
const PAIRS = TASK_NAMES.flatMap((task) =>
  Object.entries(CASES[task] as Record<string, Case>).map(([decision, c]) => ({ task, decision, ...c })),
);

describe('DECISION_RULES', () => {
  it.each(PAIRS)('makes the change of $task: $decision and says what happened', (pair) => {
    const rules: Readonly<Record<string, DecisionRule>> = DECISION_RULES[pair.task];

    const effect = rules[pair.decision]?.({
      policy,
      record: pair.record ?? complaint(),
      values: pair.values,
      now: NOW,
    });

    expect(effect).toEqual({ set: pair.set, message: pair.message });
  });

  it('has a rule, and a case here, for exactly the decisions of every task', () => {
    for (const task of TASK_NAMES) {
      expect(Object.keys(DECISION_RULES[task]).sort()).toEqual([...TASK_DECISIONS[task]].sort());
      expect(Object.keys(CASES[task]).sort()).toEqual([...TASK_DECISIONS[task]].sort());
    }
    expect(Object.keys(DECISION_RULES).sort()).toEqual([...TASK_NAMES].sort());
  });

  it('refuses to reassign a case to the officer who has it, whatever the case of the address', () => {
    const refuse = () =>
      DECISION_RULES.respond.reassign({
        policy,
        record: complaint(),
        values: { reassignTo: 'Waste.Team@Example.gov.uk' },
        now: NOW,
      });

    expect(refuse).toThrow(DecisionRefusedError);
    expect(refuse).toThrow(
      expect.objectContaining({
        fields: { reassignTo: 'Enter the email address of another team or officer' },
      }),
    );
  });

  it('refuses "do not designate" while a designation stands, and takes it once the designation is lifted', () => {
    const designation = {
      at: '2026-03-05T10:00:00.000Z',
      by: 'nominated@example.gov.uk',
      reason: 'Forty emails a day',
      restrictions: ['no-further-correspondence'],
      reviewBy: '2026-09-05',
    };
    const decide = (record: ReturnType<typeof complaint>) => () =>
      DECISION_RULES['vexatious-decision']['do-not-designate']({
        policy,
        record,
        values: { reason: 'Reasonable contact' },
        now: NOW,
      });

    expect(decide(complaint({ designation }))).toThrow(
      expect.objectContaining({ fields: { decision: expect.stringMatching(/“Lift the designation”/) } }),
    );
    expect(decide(complaint({ designation: { ...designation, liftedAt: NOW } }))().message).toBe(
      'The complaint continues as normal.',
    );
  });

  it('refuses an extension past the policy’s cap, counting the extensions already granted', () => {
    const record = complaint({
      progress: { stage1: { startedAt: RECEIVED, acknowledgedAt: ACKNOWLEDGED, extensionDays: 8 } },
    });

    let refused: unknown;
    try {
      DECISION_RULES.respond.extend({
        policy,
        record,
        values: { extendDays: 3, reason: 'More time' },
        now: NOW,
      });
    } catch (error: unknown) {
      refused = error;
    }

    expect(refused).toBeInstanceOf(DecisionRefusedError);
    expect((refused as DecisionRefusedError).fields.extendDays).toMatch(
      /past the policy's limit of 10 working days/,
    );
  });

  it('refuses an extension past the cap with what to do when even the cap cannot reach the date a holding letter gave', () => {
    // Prepare: a cap of 4 working days, and a holding letter that put the deadline off by 5.
    const capped = structuredClone(policy);
    capped.complaint.stage1.extension.maxWorkingDays = 4;
    const progress = { startedAt: RECEIVED, acknowledgedAt: ACKNOWLEDGED };
    const respondBy = deriveDeadlines(capped, complaint({ progress: { stage1: progress } }))
      .respondBy as string;
    const record = complaint({
      progress: {
        stage1: {
          ...progress,
          holdingLetterFor: respondBy,
          holdingLetterPromised: plusWorkingDays(capped, respondBy, 5),
        },
      },
    });

    // Act: past the cap, the first number an officer may try.
    let refused: unknown;
    try {
      DECISION_RULES.respond.extend({
        policy: capped,
        record,
        values: { extendDays: 6, reason: 'More time' },
        now: NOW,
      });
    } catch (error: unknown) {
      refused = error;
    }

    // Assess: one message that says what can be done, not the cap's and then this one in turn.
    expect(refused).toBeInstanceOf(DecisionRefusedError);
    expect((refused as DecisionRefusedError).fields.extendDays).toBe(
      'We have told the resident to expect the response by Tuesday 24 March 2026, later than the 4 working days of extension left would reach. Respond by then.',
    );
  });

  it('grants an extension that uses up exactly what the cap leaves', () => {
    const record = complaint({
      progress: { stage1: { startedAt: RECEIVED, acknowledgedAt: ACKNOWLEDGED, extensionDays: 8 } },
    });

    const effect = DECISION_RULES.respond.extend({
      policy,
      record,
      values: { extendDays: 2, reason: 'More time' },
      now: NOW,
    });

    expect(effect.set.progress?.stage1.extensionDays).toBe(10);
  });

  it('records stage 2 without free-text grounds when the resident gives none', () => {
    const effect = DECISION_RULES['stage-2-request'].request({
      policy,
      record: complaint({ status: 'responded' }),
      values: {},
      now: NOW,
    });

    expect(effect.set.progress?.stage2).toEqual({ startedAt: NOW, grounds: [] });
  });

  it('records consent as received without inventing a representative', () => {
    const effect = DECISION_RULES.consent['consent-received']({
      policy,
      record: complaint(),
      values: {},
      now: NOW,
    });

    expect(effect.set).toEqual({
      progress: { stage1: { startedAt: NOW, acknowledgedAt: ACKNOWLEDGED } },
    });
  });
});

describe('RECORDING_RULES', () => {
  it('keeps the conversation with the resident on the case as a note', () => {
    const effect = RECORDING_RULES.respond['record-contact']({
      policy,
      record: complaint(),
      values: { contactNote: 'Rang Ada; agreed a site visit on Friday.' },
      now: NOW,
    });

    expect(effect).toEqual({
      set: { notes: noted('Rang Ada; agreed a site visit on Friday.') },
      message:
        'The conversation is recorded on the case. The task is still open: use the same link when you are ready.',
      event: 'contact-with-resident',
    });
  });
});

describe('applyDecision', () => {
  it('derives the case’s clocks again from the changed facts', () => {
    const record = unacknowledged();

    const effect = applyDecision('acknowledge', 'acknowledge', { policy, record, values: {}, now: NOW });

    const acknowledged = { ...record, ...effect.set };
    expect(effect.set.deadlines).toEqual(deriveDeadlines(policy, acknowledged));
    expect(effect.set.deadlines?.respondBy).toBeDefined();
    expect(effect.message).toBe(CASES.acknowledge.acknowledge.message);
  });

  it('leaves the clocks of a case redirected away from the complaints process as they were', () => {
    const effect = applyDecision('acknowledge', 'not-a-complaint', {
      policy,
      record: unacknowledged(),
      values: { redirect: 'Report it online' },
      now: NOW,
    });

    expect(effect.set).not.toHaveProperty('deadlines');
  });

  it('fails loudly for a decision the task cannot take, instead of saying it was recorded', () => {
    const act = () =>
      applyDecision('respond' as TaskName, 'designate', {
        policy,
        record: complaint(),
        values: {},
        now: NOW,
      });

    expect(act).toThrow(UnknownDecisionError);
  });

  it('fails loudly for a non-completing decision a task does not have', () => {
    const act = () =>
      applyRecording('acknowledge', 'record-contact', { policy, record: complaint(), values: {}, now: NOW });

    expect(act).toThrow(UnknownDecisionError);
  });
});
