import { createHash } from 'node:crypto';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  PutItemCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { mailboxKey } from '../domain/intake-limits.js';
import type { CaseKind } from '../domain/types.js';

/**
 * The design of the one DynamoDB table that holds cases, their events and the few helper items
 * the case store needs. Read by the CDK stack (to deploy it) and by `createCaseTable` (local
 * stand-in and tests), so the two cannot drift.
 *
 * Items (PK / SK):
 * - `CASE#<caseId>` / `CASE` — the case record, plus the index keys below and `lastEventSeq`, the
 *   number of its last event as of the case's own last write. Most of the record's fields are in
 *   one compressed attribute, `packed` (`case-item-packing.ts`), once the table's case item layout
 *   says so (`CASE_ITEM_LAYOUT_KEY`); items written before have each field as its own attribute,
 *   and read as they are.
 * - `CASE#<caseId>` / `SEQ` — `lastEventSeq`, the number of the last event appended, and the case's
 *   `expiresAt`: appending an event (a step's email, a view, a note) writes this small item and the
 *   event, never the case item and its four index copies. A change of the case writes the case item
 *   and its events, and this item only when the expiry moves (or at erasure): the history ends at
 *   the greater of the two counts, and an event's own `attribute_not_exists` condition keeps two
 *   writers from one number. Absent until the first append. `expiryPendingFrom`, while a change of
 *   the case's expiry has still to move it onto the events beyond its own transaction (a long
 *   history): the case's next write finishes the move. A closure (an expiry that comes sooner) moves every
 *   event's expiry after its transaction, with no mark (each UpdateItem then costs one unit, not
 *   two): until they all have it they can only outlive the case, and what a stopped move left is
 *   deleted when the case item expires (`DynamoDbCaseStore.sweepExpiredHistory`, from the
 *   stream's record of the TTL's deletion).
 * - `CASE#<caseId>` / `EVENT#<seq, 8 digits>` — one per event, append-only (the audit trail).
 *   Case and events share a partition, so `events()` is one Query and a case with its history
 *   can be read together.
 * - `REF#<reference>` / `REF` — `caseId` for a human reference: `getByReference` is two GetItems.
 * - `IDEMPOTENCY#<sha256 of key>` / `IDEMPOTENCY` — `caseId` for an Idempotency-Key, expiring after a day.
 *   `CASE#<caseId>` / `IDEMPOTENCY` — `key`, the PK of that item, written with it and expiring with
 *   it: the key is kept only as a hash, so this is how an erasure of the case finds and deletes it.
 *   A workspace form's one-off id (`CaseChange.once`) is such a key too (`form:<caseId>:<id>`),
 *   written in the transaction of the change it made, expiring after a day; it names only the case
 *   id, which the case's tombstone keeps, so it has no item beside the case.
 * - `DESIGNATED#<sha256 of lower-cased email>` / `CASE#<caseId>` — one per case whose complainant
 *   stands designated vexatious or unreasonably persistent (`complainantDesignated`): intake's
 *   check is one Query of this small partition (usually empty), not a read of every earlier case.
 *   Written, moved (a corrected email) and deleted (lifted, erased) in the case's own
 *   transactions, expiring with the case. `DESIGNATED` / `INDEXED` marks that designations made
 *   before these items existed have been indexed (`DynamoDbCaseStore.indexDesignations`); until
 *   it exists intake reads the complainant's cases as before.
 * - `COUNTER#<prefix>#<year>` / `COUNTER` — `value`, the last reference number taken: each store
 *   takes a block of numbers with one atomic ADD and hands them out itself (`REFERENCE_BLOCK`),
 *   so the item is written once per block, not once per intake.
 * - `TERM#<sha256 of a search term>` / `CASE#<caseId>` — one per name word, email, phone and
 *   postcode of a case (`caseSearchTerms`), so staff search is a Query per term and no key names
 *   a resident; written and deleted in the case's own transactions, expiring with it.
 * - `WORKLIST#post` / `<written at>#<caseId>#<letter>`, `WORKLIST#review` / `<review date>#<caseId>`
 *   and `WORKLIST#hold` / `<review date>#<caseId>` — the workspace's letters to print and post,
 *   designations due for review and cases under a legal hold (`workListEntries`), oldest first by a Query of one partition; written and deleted in the
 *   case's own transactions. One partition per list is enough: a council posts tens of letters
 *   a day, not thousands a second. No key names a resident. Each entry carries its case's expiry
 *   (put again whenever the expiry moves), so the table's TTL never leaves one naming a case gone.
 * - `HOLDREVIEWS` / `PENDING` — the hold review reminder being sent (`dynamodb-hold-reminders.ts`):
 *   which holds it lists, when its sending began and, once SES took it, when it was sent; deleted
 *   once every case listed records that it was reminded. At most one at a time.
 * - `LAYOUT` / `OpenByDeadline` — how many shards the open index is on, and since when writers use
 *   them (`OPEN_LAYOUT_KEY`).
 * - `SESSION#<sha256 of the session id>` / `SESSION` — a staff session, expiring at its absolute end.
 * - `SIGNIN#<sha256 of a resident's sign-in link>` / `SIGNIN` — `caseId`, `usedAt` once used;
 *   expiring a day after the link (`dynamodb-sign-in-links.ts`).
 * - `SIGNEDOUT#<sha256 of a resident session's id>` / `SIGNEDOUT` — a resident session signed out
 *   of (`dynamodb-sign-in-links.ts`): its cookie is self-contained, so a copy of it would work
 *   until the session's end; each resident page reads this item (one GetItem) and refuses the
 *   session while it exists. Nothing else in it; expiring a few minutes after the session's
 *   absolute end, when the cookie no longer works anyway.
 * - `STAFF` / `<email>` — the staff directory: everyone who has signed in to the workspace.
 * - `RATE#<kind>#<sha256 of key>#<window start>` / `RATE` — `hits` and `seen`, one limit's count in
 *   one window (`dynamodb-rate-limiter.ts`), expiring an hour after the window. `<kind>` is the
 *   limit key's part before its first `:` (`email`, `client`, `check-email`, `check-client`), in
 *   clear: it names no one, and tells the counts kept on real time (check your complaint's) from
 *   those on the service's clock (intake's) where the two differ (`npm start --time-scale`;
 *   `rateKey` in `dynamodb-rate-limiter.ts`, which alone writes them, so that only the API ships it).
 * - `EQUALITY#<YYYY-MM>` / `<sha256 of a form's one-time id>` — one resident's optional equality
 *   monitoring answers (`dynamodb-equality-store.ts`): the kind of feedback and the answers, nothing
 *   that leads to a case; expiring after four years.
 * - `AUDIT#<YYYY-MM>` / `<at>#<entry id>` — the audit log of data protection work
 *   (`dynamodb-audit-log.ts`): who searched, exported, corrected, erased or held what, naming
 *   cases by id only; expiring after six years.
 * - `DSAR` / `<request id>` — one subject access request on the register (who asked, their
 *   contact details to find them by, received and due dates, status, the cases confirmed as
 *   theirs): the register is one Query of this partition (a council answers tens a year).
 *   `DSAR#<request id>` / `EVENT#<seq, 8 digits>` — its history, append-only. Both expire two
 *   years after the request was answered (`dynamodb-subject-access-register.ts`).
 * - `REPORT#<generation>#<shard>` / `<D|M><date>#<family>`, `REPORT#<generation>` / `BUILT`,
 *   `REPORT#ACTIVE` / `ACTIVE`, `REPORTED#<caseId>` / `REPORTED`, `WHO#<digest>` / `WHO` and
 *   `REPEAT#<shard>` / `<digest>` — the public report's counters, kept from the table's stream
 *   (`dynamodb-report-counters.ts`): per day, month and shard, the sum of the cases'
 *   contributions, the generation the stream counts into, and what was counted for each case.
 *
 * Sparse global secondary indexes (only case items carry their keys). Each projects only what
 * its query reads in the index itself; the records are then read from the table by key
 * (BatchGetItem, `DynamoDbCaseStore.recordsFor`). A projection of the whole case made every case
 * write cost one write unit per KB of case in each index the case is in (four copies of a 2–4 KB
 * item: most of the table's write units); a keys-only entry is written only when its keys
 * change, at one unit. Reads do not get dearer in kind: index reads and BatchGetItem are both
 * priced per 4 KB of the item read, a case is under 4 KB, and a read unit costs a fifth of a
 * write unit.
 * - `OpenByDeadline`: `GSI1PK = OPEN#<shard>` while the case is open (among the shards the table's
 *   layout names, `OPEN_LAYOUT_KEY`), removed when it closes;
 *   `GSI1SK = <next deadline, UTC ISO>#<caseId>` — the sweeper's "what is due" query and the
 *   staff queue. Includes `service` and `stage`, the queue's filters, so a filtered page reads
 *   only the matching cases from the table (both change rarely: a stage-2 request, a move).
 * - `ByComplainant` (keys only): `GSI2PK = COMPLAINANT#<sha256 of lower-cased email>`;
 *   `GSI2SK = receivedAt#caseId` — subject access requests.
 * - `ByService` (keys only): `GSI3PK = SERVICE#<service>#<shard>`; `GSI3SK = receivedAt#caseId`.
 * - `ByReceived` (keys only): `GSI4PK = RECEIVED#<YYYY-MM>#<shard>` (UTC month bucket);
 *   `GSI4SK = receivedAt#caseId`, so reports read whole months without a scan and without one
 *   hot partition for all time.
 * Shards: every intake writes to the open index, to its month and to its service. One partition
 * (of the table or an index) takes at most 1,000 write units a second, and DynamoDB cannot split
 * one key whose sort keys grow with time, so one `OPEN`, one month and one service partition (a
 * campaign about one decision is thousands of intakes about one service) capped intake at a few
 * hundred a second, less once cases change. `CASE_SHARDS` partitions each (the case id's hash picks one)
 * keep every partition well under that at 1,000 intakes a second, and `OPEN_SHARDS` the open index,
 * whose entry also moves with every change of a case's next deadline; queries read every shard and
 * merge them in sort-key order. Items written before shards (`OPEN`, `RECEIVED#<YYYY-MM>`, `SERVICE#<service>`) are
 * read with them, and move to a shard the next time their case changes.
 * Deployed tables: DynamoDB cannot change an index's projection in place; a stack deployed
 * before this design needs each index deleted and created again (CloudFormation takes one index
 * creation or deletion per update), or the indexes renamed one deploy at a time.
 *
 * TTL attribute `expiresAt` (epoch seconds): on closed cases, their events, reference item, search
 * terms, work-list entries and designation items (end of retention), and on idempotency items (a day).
 */
export const CASE_TABLE_DESIGN = {
  partitionKey: { name: 'PK', type: 'S' },
  sortKey: { name: 'SK', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
  billingMode: 'PAY_PER_REQUEST',
  globalSecondaryIndexes: [
    {
      indexName: 'OpenByDeadline',
      partitionKey: { name: 'GSI1PK', type: 'S' },
      sortKey: { name: 'GSI1SK', type: 'S' },
      projection: 'INCLUDE',
      nonKeyAttributes: ['service', 'stage'],
    },
    {
      indexName: 'ByComplainant',
      partitionKey: { name: 'GSI2PK', type: 'S' },
      sortKey: { name: 'GSI2SK', type: 'S' },
      projection: 'KEYS_ONLY',
    },
    {
      indexName: 'ByService',
      partitionKey: { name: 'GSI3PK', type: 'S' },
      sortKey: { name: 'GSI3SK', type: 'S' },
      projection: 'KEYS_ONLY',
    },
    {
      indexName: 'ByReceived',
      partitionKey: { name: 'GSI4PK', type: 'S' },
      sortKey: { name: 'GSI4SK', type: 'S' },
      projection: 'KEYS_ONLY',
    },
  ],
} as const;

/** Index names, for queries. */
export const CASE_INDEX = {
  openByDeadline: 'OpenByDeadline',
  byComplainant: 'ByComplainant',
  byService: 'ByService',
  byReceived: 'ByReceived',
} as const;

/** Partition key value of the OpenByDeadline index before shards (still read, never written). */
export const OPEN_PARTITION = 'OPEN';

/**
 * Shards of each month of the received index and of each service of the service index, and of
 * the open index on a table whose layout names none (`OPEN_LAYOUT_KEY`). 16 spread 1,000 intakes a
 * second to well under a partition's 1,000 write units a second each; a query of all of them is 17
 * small requests (the shards and the partition from before shards), which a month of a report can
 * afford.
 */
export const CASE_SHARDS = 16;

/**
 * Shards of the open index on a new table, and what `raiseOpenShards` raises an older one to. The
 * open entry moves with every change of a case's next deadline (a delete and a put, in the case's
 * transaction: four write units at the acknowledgement and four at the response, two to go in and
 * two to leave), so over a stage-1 life it takes the open index about twice what the received and
 * service indexes take: at a steady 1,000 intakes a second, 1.00–1.01 of a partition's limit on
 * 16 shards, 0.52–0.57 on 32 (`npm run bench:partitions`, its whole-life part). The moves are the
 * deadlines really changing, hours or weeks apart, so none can be folded into another; more shards
 * it is, for this index alone. A queue page reads 33 partitions, not 17.
 */
export const OPEN_SHARDS = 32;

/**
 * The most shards `raiseOpenShards` spreads the open index over. Every listing queries each of
 * them (a queue page, each sweep of the reconciler), and the count never goes down, so a slip
 * (320 for 32) would be paid for on every page for good. 64 is the most the service has planned
 * for: about 0.3 of a partition's limit on the busiest shard at 1,000 intakes a second, halving
 * the 0.52–0.57 measured on 32 (`npm run bench:partitions`), for a 65-query page.
 */
export const MAX_OPEN_SHARDS = 64;

/**
 * The open index's layout: `shards`, how many `OPEN#<n>` partitions readers read, and from
 * `writeFrom` (an ISO timestamp) writers put cases among them; before it, among `previous`. Absent
 * on a table from before the layout: `CASE_SHARDS`, all that the version before reads (`OPEN` and
 * `OPEN#0..15`), so a deploy that mixes the two versions, or rolls back to it, misses no open case.
 * `raiseOpenShards` (an ops step, infra/DEPLOY.md) writes it once the version before runs nowhere;
 * a new table starts with it (`createCaseTable`). Readers read it at the start of each listing;
 * writers wait `OPEN_LAYOUT_GRACE_MS` after a raise before writing to the new shards, so a listing
 * that began before the raise (reading the old count) is over before any case moves past it. It
 * only grows: a stale writer puts cases among fewer shards, which every reader still reads.
 */
export const OPEN_LAYOUT_KEY = { PK: 'LAYOUT', SK: 'OpenByDeadline' } as const;
/**
 * The case item's layout: while this item is in the table, writers store each case packed
 * (`case-item-packing.ts`); on a table without it (from before packing), every field as its own
 * attribute, the one shape a version before packing reads. Every version since reads both, so a
 * deploy that mixes the two, or rolls back, never has a step read a packed case it cannot (an
 * outbox it could not see would send its email again). `packCaseItems` (an ops step,
 * infra/DEPLOY.md) writes it once the version before runs nowhere; a new table starts with it
 * (`createCaseTable`).
 */
export const CASE_ITEM_LAYOUT_KEY = { PK: 'LAYOUT', SK: 'CaseItem' } as const;
/** After a raise, how long writers keep to the shards before it (longer than any listing takes). */
export const OPEN_LAYOUT_GRACE_MS = 15 * 60_000;

/** The open index's layout as stored (`OPEN_LAYOUT_KEY`). */
export interface OpenLayout {
  shards: number;
  previous: number;
  writeFrom: string;
}

/** How many open shards to read under `layout` (absent: the table is from before the layout). */
export function openShardsToRead(layout: OpenLayout | undefined): number {
  return layout?.shards ?? CASE_SHARDS;
}

/** How many open shards to write among under `layout` at `now`. */
export function openShardsToWrite(layout: OpenLayout | undefined, now: Date): number {
  if (layout === undefined) return CASE_SHARDS;
  return now.getTime() >= Date.parse(layout.writeFrom) ? layout.shards : layout.previous;
}

/** FNV-1a of a case id, so a case stays in one shard for life. */
function caseHash(caseId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < caseId.length; i++) {
    hash ^= caseId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The shard of a case among `CASE_SHARDS`: a hash of its id (FNV-1a), so a case stays in one shard for life. */
export function caseShard(caseId: string): number {
  return caseHash(caseId) % CASE_SHARDS;
}

const shardSuffixes = (shards: number): string[] => Array.from({ length: shards }, (_, i) => `#${i}`);

/**
 * OpenByDeadline partition of an open case among `shards`. The shards of a smaller count are the
 * first of a larger's, so a reader of the larger count reads every entry a writer of the smaller
 * one put.
 */
export const openPartition = (caseId: string, shards: number) =>
  `${OPEN_PARTITION}#${caseHash(caseId) % shards}`;
/** Every OpenByDeadline partition to read among `shards`: the shards and the one from before them. */
export const openPartitions = (shards: number): string[] => [
  OPEN_PARTITION,
  ...shardSuffixes(shards).map((s) => `${OPEN_PARTITION}${s}`),
];
/** ByReceived partition of a case received in `month` (`YYYY-MM`). */
export const receivedPartition = (month: string, caseId: string) => `RECEIVED#${month}#${caseShard(caseId)}`;
/** Every ByReceived partition of a month: the shards and the one from before them. */
export const receivedPartitions = (month: string): string[] => [
  `RECEIVED#${month}`,
  ...shardSuffixes(CASE_SHARDS).map((s) => `RECEIVED#${month}${s}`),
];

/** ByService partition of a case about `service`. */
export const servicePartition = (service: string, caseId: string) =>
  `SERVICE#${service}#${caseShard(caseId)}`;
/** Every ByService partition of a service: the shards and the one from before them. */
export const servicePartitions = (service: string): string[] => [
  `SERVICE#${service}`,
  ...shardSuffixes(CASE_SHARDS).map((s) => `SERVICE#${service}${s}`),
];

/** Reference prefix per kind of case: `CMP-2026-000123`. */
export const REFERENCE_PREFIXES: Record<CaseKind, string> = {
  complaint: 'CMP',
  compliment: 'CPL',
  comment: 'CMT',
  representation: 'REP',
  'social-care': 'ASC',
};

export const caseKey = (caseId: string) => ({ PK: `CASE#${caseId}`, SK: 'CASE' });
/**
 * Set (true) on a case item by a change of the steps' outbox alone (`effects`: no event, no other
 * field), and on no other: what the stream's readers that follow the case, not its bookkeeping,
 * filter out (half of a case's writes are outbox marks).
 */
export const OUTBOX_ONLY_ATTRIBUTE = 'outboxOnly';
export const eventKey = (caseId: string, seq: number) => ({
  PK: `CASE#${caseId}`,
  SK: `EVENT#${String(seq).padStart(8, '0')}`,
});
export const EVENT_SK_PREFIX = 'EVENT#';
export const sequenceKey = (caseId: string) => ({ PK: `CASE#${caseId}`, SK: 'SEQ' });
export const referenceKey = (reference: string) => ({ PK: `REF#${reference}`, SK: 'REF' });
export const idempotencyKey = (key: string) => ({ PK: `IDEMPOTENCY#${sha256(key)}`, SK: 'IDEMPOTENCY' });
/** Beside a case stored under an Idempotency-Key: the key item's own key, for an erasure to delete it. */
export const caseIdempotencyKey = (caseId: string) => ({ PK: `CASE#${caseId}`, SK: 'IDEMPOTENCY' });
export const termKey = (term: string, caseId: string) => ({
  PK: `TERM#${sha256(term)}`,
  SK: `CASE#${caseId}`,
});
/** Partition of the subject access register: one item per request. */
export const SUBJECT_ACCESS_PARTITION = 'DSAR';
export const subjectAccessKey = (id: string) => ({ PK: SUBJECT_ACCESS_PARTITION, SK: id });
export const subjectAccessEventKey = (id: string, seq: number) => ({
  PK: `DSAR#${id}`,
  SK: `EVENT#${String(seq).padStart(8, '0')}`,
});
export const workListKey = (list: string, sort: string) => ({ PK: `WORKLIST#${list}`, SK: sort });
export const holdReminderKey = { PK: 'HOLDREVIEWS', SK: 'PENDING' } as const;
export const sessionKey = (id: string) => ({ PK: `SESSION#${sha256(id)}`, SK: 'SESSION' });
export const signInKey = (hash: string) => ({ PK: `SIGNIN#${hash}`, SK: 'SIGNIN' });
/** A resident session signed out of, by a hash of its id (the id is what its cookie carries). */
export const residentSignOutKey = (sessionId: string) => ({
  PK: `SIGNEDOUT#${sha256(sessionId)}`,
  SK: 'SIGNEDOUT',
});
export const staffKey = (email: string) => ({ PK: 'STAFF', SK: email.trim().toLowerCase() });
/**
 * A designation item, keyed by the mailbox the address reaches (`mailboxKey`: `ada+x@…` is
 * `ada@…`), so a designation made under any `+tag` is found from the plain address and from
 * every other tag, with one Query whichever is given.
 */
export const designationKey = (email: string, caseId: string) => ({
  PK: `DESIGNATED#${sha256(mailboxKey(email))}`,
  SK: `CASE#${caseId}`,
});
/**
 * Where stores before mailboxes kept a designation: under the address exactly as given. The
 * same as `designationKey` for an address without a `+tag`; `indexDesignations` moves the others.
 */
export const addressDesignationKey = (email: string, caseId: string) => ({
  PK: `DESIGNATED#${sha256(email.trim().toLowerCase())}`,
  SK: `CASE#${caseId}`,
});
/**
 * Present once every designation has its item under its mailbox (`designationKey`): written on
 * a new table, and by `indexDesignations` on an older one.
 */
export const DESIGNATIONS_INDEXED_KEY = { PK: 'DESIGNATED', SK: 'INDEXED#MAILBOX' } as const;
/**
 * Present on a table whose designations all have an item, some perhaps under a tagged address
 * (`addressDesignationKey`): indexed before mailboxes, not yet since.
 */
export const DESIGNATIONS_INDEXED_BY_ADDRESS_KEY = { PK: 'DESIGNATED', SK: 'INDEXED' } as const;
export const counterKey = (prefix: string, year: number) => ({
  PK: `COUNTER#${prefix}#${year}`,
  SK: 'COUNTER',
});

/**
 * Partition key of the ByComplainant index. The email is trimmed and lower-cased (so lookups
 * are case-insensitive) and hashed: key values show up where attribute values do not (error
 * messages, CloudWatch Contributor Insights, exports of index keys), and the index must not
 * become a list of residents' addresses. A plain SHA-256 of an email is pseudonymous, not
 * anonymous (anyone with the table can test a guessed address), which is enough for keys of a
 * table that already holds the address itself.
 */
export function complainantPartition(email: string): string {
  return `COMPLAINANT#${sha256(email.trim().toLowerCase())}`;
}

function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * Creates the case table as `CASE_TABLE_DESIGN` describes, if it does not exist, and turns TTL
 * on. For the local stand-in and tests; deployed tables come from the CDK stack.
 */
export async function createCaseTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const design = CASE_TABLE_DESIGN;
  const keyNames = new Set<string>([design.partitionKey.name, design.sortKey.name]);
  for (const index of design.globalSecondaryIndexes) {
    keyNames.add(index.partitionKey.name);
    keyNames.add(index.sortKey.name);
  }
  const input: CreateTableCommandInput = {
    TableName: tableName,
    BillingMode: design.billingMode,
    AttributeDefinitions: [...keyNames].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: design.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: design.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: design.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: {
        ProjectionType: index.projection,
        ...('nonKeyAttributes' in index ? { NonKeyAttributes: [...index.nonKeyAttributes] } : {}),
      },
    })),
  };
  let created = false;
  try {
    await client.send(new CreateTableCommand(input));
    created = true;
  } catch (error: unknown) {
    // Already there (a restart of `npm start` with data on disk): keep it.
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
  if (created) {
    // A new table holds no designation from before designation items: nothing to index.
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          PK: { S: DESIGNATIONS_INDEXED_KEY.PK },
          SK: { S: DESIGNATIONS_INDEXED_KEY.SK },
          entity: { S: 'marker' },
        },
      }),
    );
    // Nor any case a version before packing could read: its cases are packed from the first.
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          PK: { S: CASE_ITEM_LAYOUT_KEY.PK },
          SK: { S: CASE_ITEM_LAYOUT_KEY.SK },
          entity: { S: 'layout' },
          packedSince: { S: new Date(0).toISOString() },
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    // Nor any open case, and no version before the layout has ever read it: all its shards at once.
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          PK: { S: OPEN_LAYOUT_KEY.PK },
          SK: { S: OPEN_LAYOUT_KEY.SK },
          entity: { S: 'layout' },
          shards: { N: String(OPEN_SHARDS) },
          previous: { N: String(OPEN_SHARDS) },
          writeFrom: { S: new Date(0).toISOString() },
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: design.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
}
