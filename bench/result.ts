/** What every `bench/*.bench.ts` `run()` returns; `bench/run.ts` prints and records them. */
export interface BenchResult {
  name: string;
  median: number;
  unit: string;
  /** The raw baseline measured in the same run, in the same unit. */
  baseline?: number;
  note?: string;
}

/** The middle value (upper middle for an even count) of the measurements. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
