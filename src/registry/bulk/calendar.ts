const DAY_MS = 86_400_000;

/**
 * Days as integers (days since 1970-01-01) with their ISO and yyyymmdd forms precomputed for every
 * day from `yearsBack` years before `asOf` to `asOf`: the generator handles millions of dates and
 * never builds a Date per person.
 */
export class Calendar {
  readonly asOfDay: number;
  readonly firstDay: number;
  private readonly isoByDay: string[] = [];
  private readonly ymdByDay: Int32Array;

  constructor(asOfIso: string, yearsBack = 112) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOfIso) || Number.isNaN(Date.parse(`${asOfIso}T00:00:00Z`))) {
      throw new RangeError(`as-of date must be YYYY-MM-DD, got ${JSON.stringify(asOfIso)}`);
    }
    this.asOfDay = Math.round(Date.parse(`${asOfIso}T00:00:00Z`) / DAY_MS);
    this.firstDay = this.asOfDay - Math.ceil(yearsBack * 365.25);
    const n = this.asOfDay - this.firstDay + 1;
    this.ymdByDay = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const iso = new Date((this.firstDay + i) * DAY_MS).toISOString().slice(0, 10);
      this.isoByDay.push(iso);
      this.ymdByDay[i] = Number(iso.slice(0, 4)) * 10_000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10));
    }
  }

  /** Clamps into the calendar's range. */
  clamp(day: number): number {
    return day < this.firstDay ? this.firstDay : day > this.asOfDay ? this.asOfDay : day;
  }

  iso(day: number): string {
    return this.isoByDay[this.clamp(day) - this.firstDay]!;
  }

  ymd(day: number): number {
    return this.ymdByDay[this.clamp(day) - this.firstDay]!;
  }

  year(day: number): number {
    return Math.floor(this.ymd(day) / 10_000);
  }

  dayOfIso(iso: string): number {
    return Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
  }

  /** Age in whole years on the as-of date of someone born on `day`. */
  ageOn(day: number): number {
    const birth = this.ymd(day);
    const asOf = this.ymd(this.asOfDay);
    return Math.floor((asOf - birth) / 10_000);
  }
}
