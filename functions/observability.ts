/**
 * Logs, metrics and traces for every handler, from Powertools for AWS Lambda: one instance of
 * each per container, attached to the handlers through middy (`functions/handlers/`). Log
 * lines carry ids and names, never personal data: no names, emails, addresses or the
 * resident's words.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'redress';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Redress',
  serviceName,
});
export const tracer = new Tracer({ serviceName });
