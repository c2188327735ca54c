/**
 * Turns sightings (first and last list a (code, name) pair appears in) into validity periods.
 *
 * Before 2015 the lists are yearly, so a change happened somewhere between two lists. The periods
 * are lenient, so that nobody born in between is refused:
 * - a code's first period starts on the first day of the month after the list before it
 *   (1980-12-01 for codes already in the first list: the data says nothing earlier);
 * - a period ends (exclusive) on the first day of the month of the next list after its last one;
 * - a period seen in the NBS 2023 list is open (no end);
 * - a renamed code's next name starts where the previous name ends, so names do not overlap.
 *   Names only overlap where the lists themselves disagree (two names for one code in one list).
 */
import { NBS_2023_LIST, type Month, type Sighting, type Source } from './sightings.ts';

export type Level = 'province' | 'prefecture' | 'county';

export interface PeriodRow {
  code: string;
  level: Level;
  parentCode: string | null;
  name: string;
  validFrom: string;
  validTo: string | null;
  source: Source;
}

export function levelOf(code: string): Level {
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'prefecture';
  return 'county';
}

function firstDayOf(month: Month): string {
  const s = String(month);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-01`;
}

function firstDayAfter(month: Month): string {
  const year = Math.floor(month / 100);
  const m = month % 100;
  return m === 12 ? firstDayOf((year + 1) * 100 + 1) : firstDayOf(month + 1);
}

class ListCalendar {
  private readonly months: Month[];

  constructor(sightings: readonly Sighting[]) {
    const all = new Set<Month>([NBS_2023_LIST]);
    for (const s of sightings) all.add(s.first).add(s.last);
    this.months = [...all].sort((a, b) => a - b);
  }

  /** Earliest day the pair may have been in force: the month after the list before its first. */
  earliestStart(first: Month): string {
    const before = this.months.filter((m) => m < first).at(-1);
    return before === undefined ? firstDayOf(first) : firstDayAfter(before);
  }

  /** Exclusive end: the first day of the next list without the pair; null if in the latest list. */
  latestEnd(last: Month): string | null {
    const next = this.months.find((m) => m > last);
    return next === undefined ? null : firstDayOf(next);
  }
}

/**
 * Parent: the prefecture XXYY00 when that code exists in the data, otherwise the province.
 * Municipal districts (1101xx), provincially administered counties (4290xx…) and the like have
 * no prefecture-level parent in GB/T 2260.
 */
function parentOf(code: string, level: Level, prefectures: ReadonlySet<string>): string | null {
  if (level === 'province') return null;
  const prefecture = `${code.slice(0, 4)}00`;
  if (level === 'county' && prefectures.has(prefecture)) return prefecture;
  return `${code.slice(0, 2)}0000`;
}

export function toPeriodRows(sightings: readonly Sighting[]): PeriodRow[] {
  const calendar = new ListCalendar(sightings);
  const byCode = new Map<string, Sighting[]>();
  for (const s of sightings) byCode.set(s.code, [...(byCode.get(s.code) ?? []), s]);
  const prefectures = new Set([...byCode.keys()].filter((c) => levelOf(c) === 'prefecture'));

  const rows: PeriodRow[] = [];
  for (const [code, list] of byCode) {
    const level = levelOf(code);
    const parentCode = parentOf(code, level, prefectures);
    if (parentCode !== null && !byCode.has(parentCode)) throw new Error(`${code}: parent ${parentCode} is not in the data`);
    list.sort((a, b) => a.first - b.first || b.last - a.last || a.name.localeCompare(b.name));
    let lastSeenSoFar = -1;
    let endSoFar = '';
    for (const s of list) {
      const validTo = s.last === NBS_2023_LIST ? null : calendar.latestEnd(s.last);
      const earliest = calendar.earliestStart(s.first);
      const successor = lastSeenSoFar >= 0 && s.first > lastSeenSoFar;
      const validFrom = successor && endSoFar > earliest ? endSoFar : earliest;
      rows.push({ code, level, parentCode, name: s.name, validFrom, validTo, source: s.source });
      lastSeenSoFar = Math.max(lastSeenSoFar, s.last);
      if (validTo !== null && validTo > endSoFar) endSoFar = validTo;
    }
  }
  return rows.sort((a, b) => a.code.localeCompare(b.code) || a.validFrom.localeCompare(b.validFrom) || a.name.localeCompare(b.name));
}
