import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StandInStartError } from './types.js';

/**
 * Where a stand-in that answers on a server of its own takes faults (`POST /_faults/<name>`): no
 * bucket is named so (bucket names start with a letter or digit), nor any SES path, so the
 * service's API never sees it.
 */
export const FAULTS_PREFIX = '/_faults/';

/** How long to keep trying to listen on the port again after an outage. */
const RELISTEN_MS = 10_000;

/**
 * An outage of a stand-in that answers on a server of its own (SES, S3): its port closes, open
 * connections with it, and after the outage's seconds the server listens on the same port again
 * (briefly retried: the old socket may linger), unless the stand-in was stopped meanwhile. So the
 * fault tests can take one service away from a running `npm start` without the rest of it.
 */
export class PortOutage {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly server: Server,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Answers the fault request, then takes the port away for `seconds`. */
  begin(seconds: number, res: ServerResponse): void {
    const port = portOf(this.server) as number;
    replyToFault(res, 200, `down for ${seconds} s`, () => {
      this.server.close();
      this.server.closeAllConnections();
      this.timer = setTimeout(() => void this.listenAgain(port), seconds * 1000);
    });
  }

  /** The stand-in stops: no listening again. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async listenAgain(port: number): Promise<void> {
    const deadline = Date.now() + RELISTEN_MS;
    while (!this.stopped) {
      try {
        await listen(this.server, port);
        return;
      } catch (error: unknown) {
        if (Date.now() > deadline) {
          this.onError(error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}

/** Answers a fault request with a JSON message and closes the connection; `then` once it is sent. */
export function replyToFault(res: ServerResponse, status: number, message: string, then?: () => void): void {
  res.writeHead(status, { 'Content-Type': 'application/json', Connection: 'close' });
  res.end(`${JSON.stringify({ message })}\n`, then);
}

/** A JSON object from a request body; `{}` for anything else. */
export function jsonObject(body: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body.toString('utf8') || '{}');
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    server.once('error', failed);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', failed);
      resolve();
    });
  });
}

export function portOf(server: Server): number | undefined {
  const address = server.address() as AddressInfo | string | null;
  return address === null || typeof address === 'string' ? undefined : address.port;
}

/** Sets up a fault of the stand-in at `endpoint` (`injectSesFault`, `injectS3Fault`). */
export async function postFault(endpoint: string, name: string, settings: unknown): Promise<void> {
  const response = await fetch(new URL(`${FAULTS_PREFIX}${name}`, endpoint), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(settings),
  });
  if (!response.ok) throw new StandInStartError(`${name}: ${await response.text()}`);
}
