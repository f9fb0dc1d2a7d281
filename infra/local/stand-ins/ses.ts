import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as sesLocal from 'aws-ses-v2-local';
import { type RunningStandIn, type StandInOptions, StandInStartError } from './types.js';

/**
 * SES stand-in: aws-ses-v2-local on 127.0.0.1. It answers the SES v1 and v2 APIs, lists sent
 * mail at `GET /store` and shows an inbox page at `/`. Mail is kept in memory only, in this
 * process (the package has one store per process): `dataDir` is accepted for symmetry and
 * ignored, because mail need not survive a restart.
 */
export async function startSes(options: StandInOptions = {}): Promise<RunningStandIn> {
  const server = await startServer({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = server.address() as AddressInfo | null;
  if (address === null || typeof address === 'string') {
    server.close();
    throw new StandInStartError('the SES stand-in is not listening on a TCP port');
  }
  let stopped = false;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      // The inbox page may hold keep-alive connections open: close them, or close() waits for them.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

type StartServer = (config: { host: string; port: number }) => Promise<Server>;

/**
 * The package is CommonJS with `exports.default`: loaded natively by Node's ESM loader its
 * default export is the whole `module.exports`, while bundlers unwrap it. Accept both.
 */
function startServer(config: { host: string; port: number }): Promise<Server> {
  const candidates: unknown[] = [
    (sesLocal as { default?: unknown }).default,
    (sesLocal as { default?: { default?: unknown } }).default?.default,
  ];
  const start = candidates.find((candidate): candidate is StartServer => typeof candidate === 'function');
  if (start === undefined) throw new StandInStartError('aws-ses-v2-local exports no server function');
  return start(config);
}

/** One email as the SES stand-in recorded it (the fields Redress's tests read). */
export interface StoredEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  /** Epoch seconds. */
  at: number;
}

/** The emails the SES stand-in at `endpoint` has accepted, oldest first. */
export async function fetchStore(endpoint: string): Promise<StoredEmail[]> {
  const response = await fetch(new URL('/store', endpoint));
  if (!response.ok) throw new StandInStartError(`GET /store answered ${response.status}`);
  const body = (await response.json()) as { emails?: StoredEmail[] };
  return body.emails ?? [];
}
