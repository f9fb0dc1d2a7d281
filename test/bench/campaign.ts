/**
 * What the partition benches share (`partitions.ts`, `partition-life.ts`): a campaign's residents,
 * named as commonly as real ones are (every name word is a search term with its own partition),
 * and how a partition key is named by its family.
 */

/**
 * Residents' names as common as they are in England and Wales, since every name word is a search
 * term with its own partition (`TERM#<digest>`): the commonest surnames per 1,000 people (Smith
 * about 13), the rest rare; 30 first names taken in turn (each 1 in 30, commoner than any real one).
 */
const COMMON_SURNAMES: [string, number][] = [
  ['Smith', 13],
  ['Jones', 10],
  ['Williams', 8],
  ['Taylor', 6],
  ['Brown', 6],
  ['Davies', 5],
  ['Evans', 4],
  ['Wilson', 4],
  ['Thomas', 4],
  ['Johnson', 4],
];
export const FIRST_NAMES = (
  'Oliver Amelia George Olivia Harry Isla Jack Ava Noah Emily Leo Sophia Arthur Grace Muhammad Mia ' +
  'Oscar Poppy Charlie Ella Jacob Lily Thomas Evie Henry Isabella William Charlotte James Freya'
).split(' ');
export function surname(n: number): string {
  let slot = n % 1000;
  for (const [name, perThousand] of COMMON_SURNAMES) {
    if (slot < perThousand) return name;
    slot -= perThousand;
  }
  // The rest: one of 8,000 made-up surnames, each about as rare as most real ones.
  const syllables = 'ash bel cor dun el fen gar hol ing jor kel lin mor nor ot pen quar ros sel tor'.split(
    ' ',
  );
  const pick = (i: number) => syllables[i % syllables.length] as string;
  const made = `${pick(n * 7)}${pick(Math.floor(n / 3))}${pick(Math.floor(n / 61))}`;
  return made.charAt(0).toUpperCase() + made.slice(1);
}

/** A campaign resident's name: a first name in turn, a surname as common as real ones are. */
export function residentName(person: number): string {
  return `${FIRST_NAMES[person % FIRST_NAMES.length]} ${surname(person)}`;
}

/** The person behind post `n` of a campaign: one post in ten from a few residents who send eight each. */
export function campaignPerson(n: number): { person: number; repeat: boolean } {
  const repeat = n % 10 === 3;
  return { person: repeat ? 60_000 + Math.floor(n / 80) : n, repeat };
}

/** A key's family: up to its first part that varies (`OPEN#3` → `OPEN#<n>`, `REPORT#<basis>#7` → `REPORT#…#<n>`). */
export function familyName(key: string): string {
  const [head, ...rest] = key.split('#');
  if (rest.length === 0) return key;
  const parts = rest.map((part) =>
    /^\d{4}-\d{2}(-\d{2})?$/.test(part)
      ? '<date>'
      : /^\d+$/.test(part)
        ? '<n>'
        : part.length > 24
          ? '…'
          : part,
  );
  // Search terms and other digests name a person or a thing each: one family for all.
  if (head === 'TERM') return 'TERM#<term>';
  // The report counters' shards: one family whatever the generation.
  if (head === 'REPORT' && parts.length === 2 && parts[1] === '<n>') return 'REPORT#<generation>#<n>';
  return `${head}#${parts.join('#')}`;
}

/** Partition keys of one case (its item, events, reference, idempotency, counted record) or one complainant. */
export const OWN_KEY = /^(CASE|REF|REPORTED|IDEMPOTENCY|SIGNIN|SESSION|WHO|DESIGNATED|RATE|COMPLAINANT)#/;
