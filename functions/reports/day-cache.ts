import { type Calendar, londonDate } from '../domain/calendar.js';
import type { IsoDate, IsoTimestamp } from '../domain/types.js';

/**
 * Caches that let a report read 100,000 cases in seconds. The domain's calendar converts every
 * instant with `Intl` (tens of microseconds each) and walks day by day; a report asks the same
 * questions about the same few hundred days over and over, so it remembers the answers.
 */

/** `…T…Z` as `Date.toISOString()` writes it (what the case store holds). */
const UTC_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z$/;

/**
 * London calendar dates of instants, remembered per UTC hour: London is UTC or UTC+1 and its
 * clocks change on the hour (01:00 UTC), so the UTC hour decides the London date. Other
 * spellings (offsets, bare dates) go to the domain's `londonDate` each time.
 */
export class LondonDates {
  private readonly byHour = new Map<string, IsoDate>();

  of(iso: IsoTimestamp): IsoDate {
    if (!UTC_ISO.test(iso)) return londonDate(iso);
    const hour = iso.slice(0, 13);
    let date = this.byHour.get(hour);
    if (date === undefined) {
      date = londonDate(`${hour}:00:00.000Z`);
      this.byHour.set(hour, date);
    }
    return date;
  }
}

/**
 * Working days between dates as a difference of ranks: `rank(d)` is the number of working days
 * after a fixed first date up to and including `d` (negative before it), so
 * `between(a, b) = rank(b) − rank(a)` equals `calendar.workingDaysBetween(a, b)` for any order.
 * Each distinct date is ranked once with the council's calendar.
 */
export class WorkingDayRanks {
  private readonly ranks = new Map<IsoDate, number>();
  private epoch: IsoDate | undefined;

  constructor(private readonly calendar: Calendar) {}

  private rank(date: IsoDate): number {
    let r = this.ranks.get(date);
    if (r !== undefined) return r;
    this.epoch ??= date;
    // Working days in (epoch, date] when after it; minus those in (date, epoch] when before.
    r =
      date >= this.epoch
        ? this.calendar.workingDaysBetween(this.epoch, date)
        : -this.calendar.workingDaysBetween(date, this.epoch);
    this.ranks.set(date, r);
    return r;
  }

  between(from: IsoDate, to: IsoDate): number {
    return this.rank(to) - this.rank(from);
  }
}

/**
 * A map that forgets everything when it grows past `limit` entries: memory stays bounded
 * whatever the input, and a report's working set (recent days) refills it quickly.
 */
export class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  set(key: string, value: V): void {
    if (this.map.size >= this.limit) this.map.clear();
    this.map.set(key, value);
  }
}
