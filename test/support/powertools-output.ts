import { vi } from 'vitest';

/**
 * What Powertools writes while a test runs: log lines and metrics (CloudWatch's embedded metric
 * format), each one JSON object per line on standard output or standard error, as on Lambda.
 * Both are off in tests (`vitest.config.ts`); a test file that reads them turns them on with
 * `vi.hoisted`, before the handlers' modules create their Logger and Metrics.
 */

/** One EMF blob: the metric directive under `_aws`, the values and dimensions at the top level. */
export interface MetricBlob {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

/** One structured log line. */
export interface LogLine {
  level: string;
  message: string;
  [key: string]: unknown;
}

export interface PowertoolsOutput {
  /** Metric blobs written so far. */
  metrics(): MetricBlob[];
  /** Metric blobs that publish `name`. */
  metricsNamed(name: string): MetricBlob[];
  /** Log lines written so far. */
  logs(): LogLine[];
  /** Everything written so far, as written. */
  text(): string;
  /** Lets output through again. */
  restore(): void;
}

/** Swallows standard output and standard error from now on, keeping what Powertools writes. */
export function capturePowertoolsOutput(): PowertoolsOutput {
  const chunks: string[] = [];
  const keep = (chunk: unknown): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(keep),
    vi.spyOn(process.stderr, 'write').mockImplementation(keep),
  ];
  const objects = (): Record<string, unknown>[] =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const metrics = () => objects().filter((o): o is MetricBlob => '_aws' in o);
  return {
    metrics,
    metricsNamed: (name) =>
      metrics().filter((blob) =>
        blob._aws.CloudWatchMetrics.some((directive) => directive.Metrics.some((m) => m.Name === name)),
      ),
    logs: () => objects().filter((o): o is LogLine => !('_aws' in o) && 'level' in o && 'message' in o),
    text: () => chunks.join(''),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
