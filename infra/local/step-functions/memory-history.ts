/**
 * The history of an execution kept in memory, for an engine without a state directory (the
 * workflow tests, `BENCH_STATE_DIR=none`): JSON text per event, compressed in chunks.
 *
 * A complaint's history is about 30 KB of JSON (each state's input and output carried in its
 * events), and a finished execution's history must still answer `GetExecutionHistory`. Held as
 * text, 20,000 complaints kept 1.2 GB; deflated (`node:zlib`, raw deflate at its fastest level)
 * it shrinks many times over, because one state's input repeats the last one's output. An
 * execution's new events are packed whenever it waits (a Wait state, a callback) or ends, so
 * only executions running a state right now hold uncompressed events, and whenever they pass
 * 64 KiB.
 *
 * What the executions pack in the same turn of the event loop is compressed together, up to
 * 64 KiB at a time, each execution keeping where its part of the chunk starts and ends. An
 * execution packs about 3 KB between two waits, and a zlib compressor of its own for each took
 * several times longer to set up (its window and hash tables, 256 KB, cleared every time) than
 * to compress them; one compressor a batch pays that once, and finds the repeats between the
 * executions too. Reading one execution's history inflates the chunks its events share with
 * others: reads are for tests and the endpoint, packing is on every wait.
 */
import { deflateRawSync, inflateRawSync, constants as zlib } from 'node:zlib';

/** Uncompressed text an execution may hold before it is compressed anyway. */
const MAX_TAIL_CHARS = 64 * 1024;

/** Text compressed in one chunk (more is compressed in another). */
const MAX_CHUNK_CHARS = 64 * 1024;

/** Events of several executions compressed together (once the turn they were packed in ends). */
interface SharedChunk {
  deflated?: Buffer;
}

/** One execution's events in a shared chunk: characters `start` to `end` of its text. */
interface Part {
  chunk: SharedChunk;
  start: number;
  end: number;
}

/** Parts packed in this turn of the event loop, not yet compressed. */
let waiting: { chunk: SharedChunk; texts: string[]; chars: number } | undefined;

/** Compresses the chunk being filled (on the next turn, or once it is full). */
function compressWaiting(): void {
  const batch = waiting;
  waiting = undefined;
  if (!batch) return;
  const text = batch.texts.join('');
  batch.chunk.deflated = deflateRawSync(text, { level: zlib.Z_BEST_SPEED });
}

/** Adds an execution's packed text to the chunk being filled; where it lies in that chunk. */
function share(text: string): Part {
  if (waiting && waiting.chars + text.length > MAX_CHUNK_CHARS && waiting.chars > 0) compressWaiting();
  if (!waiting) {
    waiting = { chunk: {}, texts: [], chars: 0 };
    setImmediate(compressWaiting);
  }
  const part = { chunk: waiting.chunk, start: waiting.chars, end: waiting.chars + text.length };
  waiting.texts.push(text);
  waiting.chars = part.end;
  return part;
}

/** The text of a part: from the texts still waiting to be compressed, else inflated (once per read). */
function partText(part: Part, inflated: Map<SharedChunk, string>): string {
  const { chunk } = part;
  let text = inflated.get(chunk);
  if (text === undefined) {
    text =
      chunk.deflated === undefined
        ? (waiting as { texts: string[] }).texts.join('')
        : inflateRawSync(chunk.deflated).toString('utf8');
    inflated.set(chunk, text);
  }
  return text.slice(part.start, part.end);
}

/** History events (JSON text, one per event), oldest first; most of them compressed. */
export class MemoryHistory {
  private readonly parts: Part[] = [];
  private tail: string[] = [];
  private tailChars = 0;

  /** Adds an event's JSON text (which holds no raw newline: JSON escapes it). */
  add(eventJson: string): void {
    this.tail.push(eventJson);
    this.tailChars += eventJson.length;
    if (this.tailChars > MAX_TAIL_CHARS) this.pack();
  }

  /** Compresses the events added since the last call (with those other executions pack now). */
  pack(): void {
    if (this.tail.length === 0) return;
    this.parts.push(share(this.tail.join('\n')));
    this.tail = [];
    this.tailChars = 0;
  }

  /** Every event's JSON text, oldest first. */
  lines(): string[] {
    const lines: string[] = [];
    const inflated = new Map<SharedChunk, string>();
    for (const part of this.parts) {
      for (const line of partText(part, inflated).split('\n')) lines.push(line);
    }
    for (const line of this.tail) lines.push(line);
    return lines;
  }
}
