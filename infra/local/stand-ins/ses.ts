import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import * as sesLocal from 'aws-ses-v2-local';
import { type Email, getStoreReadonly } from 'aws-ses-v2-local/dist/store.js';
import {
  FAULTS_PREFIX,
  jsonObject,
  listen,
  PortOutage,
  portOf,
  postFault,
  replyToFault,
} from './port-outage.js';
import { type SesEventDelivery, SesEventLog, type SesEventNotification } from './ses-events.js';
import { type RunningStandIn, type StandInOptions, StandInStartError } from './types.js';

/**
 * SES stand-in: aws-ses-v2-local on 127.0.0.1, behind a small front of our own on the
 * stand-in's port. aws-ses-v2-local answers the SES v1 and v2 APIs, lists sent mail at
 * `GET /store` and shows an inbox page at `/`; the front adds what Redress's guarantees are
 * tested against and the package does not have:
 *
 * - **Send events.** Every message accepted through SES v2 `SendEmail` becomes a Send event
 *   with the message's tags (`ses-events.ts`), as the deployment's configuration set publishes
 *   them, for `publishEvents` to deliver.
 * - **Mail on disk.** With `dataDir`, each accepted message and its event are written there
 *   before SES answers, and read back at the next start: the inbox and the events survive a
 *   restart, and a crash, as SES's own record of what it accepted would.
 * - **Faults, on request** (`POST /_faults/<name>`, see `SesFaults`; `GET /_faults/` tells
 *   what is still to come): an outage (the port closes and opens again), throttling, and a
 *   crash of the whole process right after a message is accepted. They exist for the fault
 *   tests of `npm start` and live here, in the local stand-in, only: nothing in `functions/`
 *   knows about them.
 */

/** Options of the SES stand-in. */
export interface SesStandInOptions extends StandInOptions {
  /** Told about problems the stand-in works around (an event not taken yet, a port not back). */
  onError?: (error: unknown) => void;
}

/** A running SES stand-in. */
export interface RunningSes extends RunningStandIn {
  /** Delivers the Send events (those a previous run left undelivered first), retrying each until it is taken. */
  publishEvents(deliver: SesEventDelivery): void;
}

/** The faults `POST /_faults/<name>` sets up, with the JSON body each takes. */
export interface SesFaults {
  /** The port stops answering (connections refused, open ones cut) and answers again on it after `seconds`. */
  outage: { seconds: number };
  /** The next `requests` SendEmail calls are answered 429 `TooManyRequestsException`, as SES throttles. */
  throttle: { requests: number };
  /**
   * The next message accepted with this `template` tag is written down (inbox and Send event)
   * and then the whole process is killed (SIGKILL) before SES answers: the sender never learns
   * its email went out, as a function killed right after the call would not.
   */
  'crash-after-send': { template: string };
}

/** Where the v2 `SendEmail` operation is served. */
const SEND_EMAIL_PATH = '/v2/email/outbound-emails';
/** aws-ses-v2-local's own limit for a request body. */
const MAX_BODY_BYTES = 25 * 1024 * 1024;

/** Starts the SES stand-in on 127.0.0.1 (`options.port`, or a free port). */
export async function startSes(options: SesStandInOptions = {}): Promise<RunningSes> {
  const onError = options.onError ?? (() => undefined);
  const dir = options.dataDir;
  if (dir !== undefined) mkdirSync(dir, { recursive: true });
  const mailFile = dir === undefined ? undefined : join(dir, 'mail.jsonl');
  if (mailFile !== undefined) restoreMail(mailFile);
  const events = new SesEventLog(dir, onError);

  const inner = await startServer({ host: '127.0.0.1', port: 0 });
  const innerPort = portOf(inner);
  if (innerPort === undefined) {
    inner.close();
    throw new StandInStartError('the SES stand-in is not listening on a TCP port');
  }

  const faults = { throttle: 0, crashAfter: undefined as string | undefined };
  let stopped = false;

  const front = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end('{"message":"SES stand-in failure"}');
    });
  });
  const outage = new PortOutage(front, onError);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === FAULTS_PREFIX) {
      // What is still to come, so a test can tell its faults were all used.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        `${JSON.stringify({ throttle: faults.throttle, crashAfterSend: faults.crashAfter ?? null })}\n`,
      );
      return;
    }
    if (req.method === 'POST' && path.startsWith(FAULTS_PREFIX)) {
      return fault(path.slice(FAULTS_PREFIX.length), await readBody(req), res);
    }
    if (req.method === 'POST' && path === SEND_EMAIL_PATH) return sendEmail(req, res);
    if (req.method === 'POST' && path === '/clear-store' && mailFile !== undefined) {
      // The inbox page's "clear" empties the mail on disk too (Send events are kept).
      writeFileSync(mailFile, '');
    }
    return forward(req, res);
  }

  /** SES v2 `SendEmail` through aws-ses-v2-local, plus the faults, the mail file and the Send event. */
  async function sendEmail(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (faults.throttle > 0) {
      faults.throttle -= 1;
      res.writeHead(429, {
        'Content-Type': 'application/json',
        'x-amzn-ErrorType': 'TooManyRequestsException',
      });
      res.end('{"message":"Too many requests"}');
      return;
    }
    const answer = await send(req, body);
    if (answer.status === 200) {
      const messageId = (JSON.parse(answer.body.toString('utf8')) as { MessageId?: string }).MessageId;
      const email = messageId === undefined ? undefined : storedEmail(messageId);
      if (email !== undefined) {
        const tags = tagsOf(body);
        if (mailFile !== undefined) appendFileSync(mailFile, `${JSON.stringify({ ...email, tags })}\n`);
        events.append(sendEvent(email, tags, new Date()));
        if (faults.crashAfter !== undefined && tags.template?.includes(faults.crashAfter)) {
          // Accepted and written down; the sender must never hear of it. SIGKILL is what a
          // crashed host looks like: no exit handlers, no flushing, no answer.
          process.kill(process.pid, 'SIGKILL');
        }
      }
    }
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }

  /** Passes any other request to aws-ses-v2-local unchanged. */
  function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const upstream = request(
        { host: '127.0.0.1', port: innerPort, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', resolve);
          answer.on('error', resolve);
        },
      );
      upstream.on('error', () => {
        res.destroy();
        resolve();
      });
      req.pipe(upstream);
    });
  }

  /** Sends a buffered request to aws-ses-v2-local and reads its whole answer. */
  function send(
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const upstream = request(
        {
          host: '127.0.0.1',
          port: innerPort,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, 'content-length': String(body.length) },
        },
        (answer) => {
          readBody(answer).then((text) => {
            const headers: Record<string, string | string[]> = {};
            for (const [name, value] of Object.entries(answer.headers)) {
              if (value !== undefined && name !== 'transfer-encoding' && name !== 'content-length') {
                headers[name] = value;
              }
            }
            headers['content-length'] = String(text.length);
            resolve({ status: answer.statusCode ?? 502, headers, body: text });
          }, reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  function fault(name: string, body: Buffer, res: ServerResponse): void {
    const settings = jsonObject(body);
    const reply = (status: number, message: string) => replyToFault(res, status, message);
    if (name === 'throttle' && isCount(settings.requests)) {
      faults.throttle = settings.requests;
      reply(200, `the next ${settings.requests} SendEmail requests are throttled`);
      return;
    }
    if (name === 'crash-after-send' && typeof settings.template === 'string' && settings.template !== '') {
      faults.crashAfter = settings.template;
      reply(200, `the process is killed once SES accepts the next ${settings.template} email`);
      return;
    }
    const seconds = settings.seconds;
    if (name === 'outage' && typeof seconds === 'number' && seconds > 0) {
      outage.begin(seconds, res);
      return;
    }
    reply(400, `unknown fault or settings: ${name}`);
  }

  try {
    await listen(front, options.port ?? 0);
  } catch (error: unknown) {
    inner.close();
    throw error;
  }
  const port = portOf(front) as number;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    publishEvents: (deliver) => events.deliverTo(deliver),
    async stop() {
      if (stopped) return;
      stopped = true;
      outage.stop();
      events.stop();
      for (const server of [front, inner]) {
        // The inbox page may hold keep-alive connections open: close them, or close() waits for them.
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

/** Puts the mail of earlier runs back in aws-ses-v2-local's store (one per process). */
function restoreMail(file: string): void {
  if (!existsSync(file)) return;
  const store = getStoreReadonly();
  const known = new Set(store.emails.map((email) => email.messageId));
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const email = JSON.parse(line) as Email;
      if (!known.has(email.messageId)) store.emails.push(email);
    } catch (error: unknown) {
      // A line torn by a crash was never answered: that message was not accepted.
      if (!(error instanceof SyntaxError)) throw error;
    }
  }
}

/** The message aws-ses-v2-local just stored (the newest are at the end). */
function storedEmail(messageId: string): Email | undefined {
  const { emails } = getStoreReadonly();
  for (let i = emails.length - 1; i >= 0; i--) {
    if (emails[i]?.messageId === messageId) return emails[i];
  }
  return undefined;
}

/** The request's `EmailTags`, as SES events report them (name → values). */
function tagsOf(body: Buffer): Record<string, string[]> {
  const tags = jsonObject(body).EmailTags;
  const out: Record<string, string[]> = {};
  if (!Array.isArray(tags)) return out;
  for (const tag of tags as { Name?: unknown; Value?: unknown }[]) {
    if (typeof tag.Name === 'string' && typeof tag.Value === 'string') {
      out[tag.Name] = [...(out[tag.Name] ?? []), tag.Value];
    }
  }
  return out;
}

function sendEvent(email: Email, tags: Record<string, string[]>, acceptedAt: Date): SesEventNotification {
  return {
    eventType: 'Send',
    mail: {
      messageId: email.messageId,
      timestamp: acceptedAt.toISOString(),
      source: email.from,
      destination: [...email.destination.to, ...email.destination.cc, ...email.destination.bcc],
      tags,
    },
    send: {},
  };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

async function readBody(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RangeError('request body too large for the SES stand-in');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
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

/** The faults still to come at the SES stand-in at `endpoint` (`GET /_faults/`). */
export async function pendingSesFaults(
  endpoint: string,
): Promise<{ throttle: number; crashAfterSend: string | null }> {
  const response = await fetch(new URL(FAULTS_PREFIX, endpoint));
  if (!response.ok) throw new StandInStartError(`GET ${FAULTS_PREFIX} answered ${response.status}`);
  return (await response.json()) as { throttle: number; crashAfterSend: string | null };
}

/** Sets up one of the SES stand-in's faults (see `SesFaults`). */
export async function injectSesFault<K extends keyof SesFaults>(
  endpoint: string,
  name: K,
  settings: SesFaults[K],
): Promise<void> {
  await postFault(endpoint, name, settings);
}
