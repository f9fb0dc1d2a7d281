import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import type { CaseRecord } from '../domain/case.js';

/**
 * How a case record is laid out on its item. DynamoDB bills every write of the item by its size in
 * whole kilobytes (twice in a transaction), and a case is written some 25 times in a stage-1 life:
 * its free text, its clocks, its outbox of step effects and its open task made a 2–3 KB item. So the
 * record's fields are kept in one attribute, `packed`: their JSON, compressed with Brotli (Node's
 * own zlib). Out of it stay the fields something reads on the item itself rather than through
 * `unpackCaseItem`: a condition (`version`), an index's projection or a filter on it (`service`,
 * `stage`, `designation`, `vexatious`) and the stream's starter (`caseId`, `kind`). The task tokens
 * are kept out too, as they are: Step Functions' are random, which no compression shrinks, and
 * left in they would make the item's size depend on what a token says.
 *
 * Items written before this have every field as its own attribute and no `packed`: they read as
 * they are, and the case's next write stores it packed.
 */

/** The attribute holding the compressed fields. */
export const PACKED_ATTRIBUTE = 'packed';
/** The open task's token, and the pending decision's, kept out of `packed` (see above). */
export const OPEN_TASK_TOKEN_ATTRIBUTE = 'openTaskToken';
export const PENDING_TASK_TOKEN_ATTRIBUTE = 'pendingTaskToken';

/** Record fields kept as attributes of their own (see above). */
export const OPEN_FIELDS: ReadonlySet<string> = new Set([
  'caseId',
  'version',
  'kind',
  'stage',
  'service',
  'designation',
  'vexatious',
] satisfies (keyof CaseRecord)[]);

/**
 * Brotli's quality. A case's JSON is one to three kilobytes: at 10 it compresses about 15% smaller
 * than at 9 or below (measured on the items of a stage-1 life: 611 bytes against 710 on average),
 * which keeps more of a case's writes in the kilobyte below (`bench:cost`, stage 1: 221 write
 * units against 233 at 5), for about a millisecond of CPU a write where 5 takes a tenth of one;
 * 11 gains 2% more for twice the time.
 */
const QUALITY = 10;

type Item = Record<string, unknown>;

/** The attributes of a record on its item: the open fields, `packed` and the tokens. */
export function packCaseRecord(record: CaseRecord): Item {
  const open: Item = {};
  const fields: Item = {};
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined) continue;
    if (OPEN_FIELDS.has(name)) open[name] = value;
    else fields[name] = value;
  }
  const openTask = record.openTask;
  if (openTask !== undefined) {
    const { taskToken, ...rest } = openTask;
    fields.openTask = rest;
    open[OPEN_TASK_TOKEN_ATTRIBUTE] = taskToken;
  }
  const pending = record.pendingDecision;
  if (pending !== undefined) {
    const { taskToken, ...rest } = pending;
    fields.pendingDecision = rest;
    open[PENDING_TASK_TOKEN_ATTRIBUTE] = taskToken;
  }
  open[PACKED_ATTRIBUTE] = brotliCompressSync(JSON.stringify(fields), {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: QUALITY,
    },
  });
  return open;
}

/**
 * The item with the record's fields as attributes again, as items were stored before `packed`:
 * an item of that shape is answered as it is (a copy). `packed` may come as bytes (the SDK) or as base64 (a
 * stream record in a Lambda event).
 */
export function unpackCaseItem(item: Item): Item {
  const {
    [PACKED_ATTRIBUTE]: packed,
    [OPEN_TASK_TOKEN_ATTRIBUTE]: openToken,
    [PENDING_TASK_TOKEN_ATTRIBUTE]: pendingToken,
    ...rest
  } = item;
  if (packed === undefined) return { ...item };
  const bytes = typeof packed === 'string' ? Buffer.from(packed, 'base64') : (packed as Uint8Array);
  const fields = JSON.parse(brotliDecompressSync(bytes).toString('utf8')) as Item;
  const unpacked: Item = { ...rest, ...fields };
  if (fields.openTask !== undefined) {
    unpacked.openTask = { ...(fields.openTask as Item), taskToken: openToken };
  }
  if (fields.pendingDecision !== undefined) {
    unpacked.pendingDecision = { ...(fields.pendingDecision as Item), taskToken: pendingToken };
  }
  return unpacked;
}
