/**
 * The history of an execution kept in memory, for an engine without a state directory (the
 * workflow tests, `BENCH_STATE_DIR=none`): JSON text per event, compressed in chunks.
 *
 * A complaint's history is about 60 KB of JSON (each state's input and output carried in its
 * events), and a finished execution's history must still answer `GetExecutionHistory`. Held as
 * text, 20,000 complaints kept 1.2 GB; deflated (`node:zlib`, raw deflate at its fastest level)
 * each chunk shrinks several times over, because one state's input repeats the last one's
 * output. A chunk is made whenever the execution waits (a Wait state, a callback) or ends, so
 * only executions running a state right now hold uncompressed events, and whenever that tail
 * passes 64 KiB.
 */
import { deflateRawSync, inflateRawSync, constants as zlib } from 'node:zlib';

/** Uncompressed text an execution may hold before it is compressed anyway. */
const MAX_TAIL_CHARS = 64 * 1024;

/** History events (JSON text, one per event), oldest first; most of them compressed. */
export class MemoryHistory {
  private readonly chunks: Buffer[] = [];
  private tail: string[] = [];
  private tailChars = 0;

  /** Adds an event's JSON text (which holds no raw newline: JSON escapes it). */
  add(eventJson: string): void {
    this.tail.push(eventJson);
    this.tailChars += eventJson.length;
    if (this.tailChars > MAX_TAIL_CHARS) this.pack();
  }

  /** Compresses the events added since the last call. */
  pack(): void {
    if (this.tail.length === 0) return;
    this.chunks.push(deflateRawSync(this.tail.join('\n'), { level: zlib.Z_BEST_SPEED }));
    this.tail = [];
    this.tailChars = 0;
  }

  /** Every event's JSON text, oldest first. */
  lines(): string[] {
    const lines: string[] = [];
    for (const chunk of this.chunks) {
      for (const line of inflateRawSync(chunk).toString('utf8').split('\n')) lines.push(line);
    }
    for (const line of this.tail) lines.push(line);
    return lines;
  }
}
