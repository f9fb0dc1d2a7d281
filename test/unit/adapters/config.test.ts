import { describe, expect, it } from 'vitest';
import { ConfigurationError, requireEnv } from '../../../functions/adapters/config.js';
import { stateMachineArnsFromEnv, stateMachineArnVariable } from '../../../functions/adapters/index.js';

describe('requireEnv', () => {
  it('returns the value of a set variable', () => {
    expect(requireEnv('CASE_TABLE', { CASE_TABLE: 'cases' })).toBe('cases');
  });

  it('throws ConfigurationError naming a missing or blank variable', () => {
    expect(() => requireEnv('CASE_TABLE', {})).toThrow(ConfigurationError);
    expect(() => requireEnv('CASE_TABLE', { CASE_TABLE: '  ' })).toThrow(/CASE_TABLE/);
  });
});

describe('stateMachineArnsFromEnv', () => {
  it('reads the JSON map and lets a per-workflow variable win', () => {
    const arns = stateMachineArnsFromEnv({
      STATE_MACHINE_ARNS: JSON.stringify({ complaint: 'arn:complaint', compliment: 'arn:compliment' }),
      STATE_MACHINE_ARN_SOCIAL_CARE: 'arn:social-care',
      STATE_MACHINE_ARN_COMPLAINT: 'arn:complaint-override',
    });

    expect(arns).toEqual({
      complaint: 'arn:complaint-override',
      compliment: 'arn:compliment',
      'social-care': 'arn:social-care',
    });
  });

  it('names the per-workflow variable in upper snake case', () => {
    expect(stateMachineArnVariable('social-care')).toBe('STATE_MACHINE_ARN_SOCIAL_CARE');
  });

  it('throws ConfigurationError for malformed JSON, a non-object or nothing configured', () => {
    expect(() => stateMachineArnsFromEnv({ STATE_MACHINE_ARNS: '{oops' })).toThrow(ConfigurationError);
    expect(() => stateMachineArnsFromEnv({ STATE_MACHINE_ARNS: '["arn"]' })).toThrow(ConfigurationError);
    expect(() => stateMachineArnsFromEnv({ STATE_MACHINE_ARNS: '{"complaint":1}' })).toThrow(
      ConfigurationError,
    );
    expect(() => stateMachineArnsFromEnv({})).toThrow(ConfigurationError);
  });
});
