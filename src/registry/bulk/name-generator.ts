import { pinyin } from 'pinyin-pro';
import { namePinyin } from '../names.ts';
import { MONGOLIAN_NAMES, NAMING_ERAS, TIBETAN_NAMES, TURKIC_NAMES, type NamingEra } from './facts/given-names.ts';
import { surnameWeights } from './facts/surnames.ts';
import { Random, WeightedTable } from './random.ts';

export type NamingStyle = 'han' | 'turkic' | 'tibetan' | 'mongolian';

export interface GeneratedName {
  name: string;
  pinyin: string;
  /** The person's own name element, passed to their children as the father's name (Turkic custom). */
  own: string;
}

/**
 * Names with their search pinyin. Pinyin is computed once per surname (read as a surname: 单 shan,
 * 曾 zeng) and once per given name, then concatenated: a full-name conversion costs ~7 µs, which is
 * 7 s for a million people; the cache makes it a map lookup.
 */
export class NameGenerator {
  private readonly surnames = new WeightedTable(surnameWeights());
  private readonly pinyinCache = new Map<string, string>();
  private readonly surnamePinyinCache = new Map<string, string>();

  constructor(private readonly random: Random) {}

  surname(): string {
    return this.surnames.draw(this.random);
  }

  /** A name for someone of `style`, born in `birthYear`; `surname` for Han-style names, `fatherOwn` for Turkic ones. */
  name(style: NamingStyle, male: boolean, birthYear: number, surname: string, fatherOwn: string | null): GeneratedName {
    const r = this.random;
    switch (style) {
      case 'turkic': {
        const own = r.pick(male ? TURKIC_NAMES.male : TURKIC_NAMES.female);
        const father = fatherOwn ?? r.pick(TURKIC_NAMES.male);
        return { name: `${own}·${father}`, pinyin: this.givenPinyin(own) + this.givenPinyin(father), own };
      }
      case 'tibetan': {
        const own = r.pick(TIBETAN_NAMES.first) + r.pick(male ? TIBETAN_NAMES.male : TIBETAN_NAMES.female);
        return { name: own, pinyin: this.givenPinyin(own), own };
      }
      case 'mongolian':
        if (r.chance(0.5)) {
          const own = r.pick(male ? MONGOLIAN_NAMES.male : MONGOLIAN_NAMES.female);
          return { name: own, pinyin: this.givenPinyin(own), own };
        }
        return this.hanName(male, birthYear, surname);
      case 'han':
        return this.hanName(male, birthYear, surname);
    }
  }

  private hanName(male: boolean, birthYear: number, surname: string): GeneratedName {
    const given = this.givenName(eraOf(birthYear), male);
    return { name: surname + given, pinyin: this.surnamePinyin(surname) + this.givenPinyin(given), own: given };
  }

  private givenName(era: NamingEra, male: boolean): string {
    const r = this.random;
    const pool = male ? era.male : era.female;
    if (r.chance(0.45)) return r.pick(pool.whole);
    if (r.chance(era.singleShare)) return pool.single[r.int(pool.single.length)]!;
    return pool.first[r.int(pool.first.length)]! + pool.second[r.int(pool.second.length)]!;
  }

  private surnamePinyin(surname: string): string {
    let p = this.surnamePinyinCache.get(surname);
    if (p === undefined) {
      p = namePinyin(surname);
      this.surnamePinyinCache.set(surname, p);
    }
    return p;
  }

  private givenPinyin(given: string): string {
    let p = this.pinyinCache.get(given);
    if (p === undefined) {
      p = pinyin(given, { toneType: 'none', type: 'array', v: true })
        .join('')
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '');
      this.pinyinCache.set(given, p);
    }
    return p;
  }
}

function eraOf(birthYear: number): NamingEra {
  let era = NAMING_ERAS[0]!;
  for (const e of NAMING_ERAS) if (birthYear >= e.from) era = e;
  return era;
}

/**
 * namePinyin with a bounded memo: imported names repeat (common given names, family members), and a
 * conversion costs microseconds. Cleared when full, so memory stays bounded whatever the file size.
 */
export class PinyinCache {
  private readonly memo = new Map<string, string>();

  constructor(private readonly capacity = 200_000) {}

  of(name: string): string {
    let p = this.memo.get(name);
    if (p === undefined) {
      if (this.memo.size >= this.capacity) this.memo.clear();
      p = namePinyin(name);
      this.memo.set(name, p);
    }
    return p;
  }
}
