import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEADLINES_BREACHED_METRIC, METRICS_NAMESPACE } from '../../functions/observability.js';
import { synthRedress } from './synth.js';

/** The stack's side of the Powertools contract: what the functions are told, what the alarms watch. */

let template: Template;

beforeAll(() => {
  ({ template } = synthRedress());
});

describe('observability settings of the stack', () => {
  it('tells every function the metrics namespace the alarms watch, and to log at INFO', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME !== undefined,
    );

    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      expect(fn.Properties.Environment.Variables).toMatchObject({
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
      });
    }
  });

  it('alarms on the breached-deadline metric the escalate handler publishes, without dimensions', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
      (alarm) => alarm.Properties.MetricName === DEADLINES_BREACHED_METRIC,
    );

    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.Properties.Namespace).toBe(METRICS_NAMESPACE);
    expect(alarms[0]?.Properties.Dimensions).toBeUndefined();
  });
});
