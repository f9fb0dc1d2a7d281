/** Options every local stand-in accepts. */
export interface StandInOptions {
  /** Port to listen on; 0 or omitted picks a free one. */
  port?: number;
  /** Directory to keep data in across restarts; omitted keeps it in memory or a temporary directory. */
  dataDir?: string;
}

/** A running stand-in for one AWS service, listening on 127.0.0.1 only. */
export interface RunningStandIn {
  /** Base URL to give the AWS SDK, e.g. `http://127.0.0.1:8000`. */
  endpoint: string;
  /** Stops the server and releases what it holds. Safe to call twice. */
  stop(): Promise<void>;
}

/** Region and dummy credentials that every stand-in accepts (s3rver only knows the access key `S3RVER`). */
export const LOCAL_AWS_ENV = {
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
} as const;

/** Raised when a stand-in cannot be started. */
export class StandInStartError extends Error {
  override name = 'StandInStartError';
}
