/**
 * Seeded randomness for the synthetic population: the same seed gives the same people, on any
 * machine (no Math.random). sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit
 * state, passes PractRand) seeded through splitmix32, plus Walker's alias method for O(1) draws
 * from a weighted table.
 */

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    const s = { s: (Math.imul(seed | 0, 0x27d4eb2d) ^ Math.imul(stream | 0, 0x165667b1)) | 0 };
    this.a = splitmix32(s);
    this.b = splitmix32(s);
    this.c = splitmix32(s);
    this.d = splitmix32(s);
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/**
 * Draws from a fixed weighted table in O(1) (Walker/Vose alias method). Weights need not sum to 1.
 */
export class WeightedTable<T> {
  readonly items: readonly T[];
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(entries: readonly (readonly [T, number])[]) {
    const usable = entries.filter(([, w]) => w > 0);
    if (usable.length === 0) throw new RangeError('a weighted table needs at least one positive weight');
    const n = usable.length;
    const total = usable.reduce((s, [, w]) => s + w, 0);
    this.items = usable.map(([item]) => item);
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = usable.map(([, w]) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of [...small, ...large]) this.prob[i] = 1;
  }

  draw(random: Random): T {
    const i = random.int(this.prob.length);
    return this.items[random.next() < this.prob[i]! ? i : this.alias[i]!]!;
  }
}

/** A version-4-shaped UUID drawn from `random` (deterministic for a seed, unlike crypto.randomUUID). */
export function uuidFrom(random: Random): string {
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  const a = hex(random.nextUint32());
  const b = hex(((random.nextUint32() & 0xffff0fff) | 0x00004000) >>> 0);
  const c = hex(((random.nextUint32() & 0x3fffffff) | 0x80000000) >>> 0);
  const d = hex(random.nextUint32());
  return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}`;
}
