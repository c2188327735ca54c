/**
 * Throughput of the bulk ID-number check (isValidIdNumber), next to a raw MOD 11-2 loop over the
 * same strings as the baseline: the ratio shows what the date and address checks cost on top.
 *
 * Run alone: node bin/run-ts.js bench/idnumber.bench.ts
 */
import { pathToFileURL } from 'node:url';
import { chinaTodayYmd, composeIdNumber, isValidIdNumber } from '../src/idnumber/index.ts';
import { loadDivisionIndex, type DivisionIndex } from '../src/reference/index.ts';
import type { BenchResult } from './result.ts';

const VALID_COUNT = 1_000_000;
const INVALID_COUNT = 50_000;
const ROUNDS = 7;

/** Small deterministic PRNG (mulberry32), so every run measures the same numbers. */
function randomSource(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n);
  };
}

function sampleNumbers(divisions: DivisionIndex): string[] {
  const random = randomSource(11643);
  const codes = [...divisions.addressCodes()];
  const lastYear = Math.floor(chinaTodayYmd() / 10_000) - 1;
  const valid = (): string => {
    const { code, validUntil } = codes[random(codes.length)]!;
    const latestYear = Math.min(lastYear, Math.floor(validUntil / 10_000) - 1);
    const ymd = (1930 + random(latestYear - 1930 + 1)) * 10_000 + (1 + random(12)) * 100 + 1 + random(28);
    return composeIdNumber(code, ymd, random(1000));
  };
  const numbers = Array.from({ length: VALID_COUNT }, valid);
  for (let i = 0; i < INVALID_COUNT; i++) {
    const id = valid();
    const position = random(17);
    const digit = String((Number(id.charAt(position)) + 1 + random(9)) % 10);
    numbers.push(id.slice(0, position) + digit + id.slice(position + 1));
  }
  for (let i = numbers.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [numbers[i], numbers[j]] = [numbers[j]!, numbers[i]!];
  }
  return numbers;
}

/** The bare MOD 11-2 check over 17 digits, without format, date or address checks. */
function checksumOnly(s: string): boolean {
  let acc = 0;
  for (let i = 0; i < 17; i++) acc = acc * 2 + (s.charCodeAt(i) - 48);
  const value = (12 - ((acc * 2) % 11)) % 11;
  const last = s.charCodeAt(17);
  return value === 10 ? last === 88 : last === 48 + value;
}

function medianRate(numbers: readonly string[], accept: (s: string) => boolean): { rate: number; accepted: number } {
  const rates: number[] = [];
  let accepted = 0;
  for (let round = 0; round <= ROUNDS; round++) {
    const start = process.hrtime.bigint();
    accepted = 0;
    for (let i = 0; i < numbers.length; i++) if (accept(numbers[i]!)) accepted++;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (round > 0) rates.push(numbers.length / seconds); // round 0 warms up the JIT
  }
  rates.sort((a, b) => a - b);
  return { rate: rates[Math.floor(rates.length / 2)]!, accepted };
}

export async function run(): Promise<BenchResult[]> {
  const divisions = loadDivisionIndex();
  const numbers = sampleNumbers(divisions);
  const today = chinaTodayYmd();
  const baseline = medianRate(numbers, checksumOnly);
  const measured = medianRate(numbers, (s) => isValidIdNumber(s, divisions, today));
  if (measured.accepted !== VALID_COUNT) throw new Error(`expected ${VALID_COUNT} valid numbers, isValidIdNumber accepted ${measured.accepted}`);
  console.log(
    `idnumber.isValid: ${(measured.rate / 1e6).toFixed(2)} M/s (ratio ${(measured.rate / baseline.rate).toFixed(2)} of raw checksum baseline, ` +
      `${(baseline.rate / 1e6).toFixed(2)} M/s; ${numbers.length.toLocaleString('en')} numbers, median of ${ROUNDS} rounds)`,
  );
  return [{ name: 'idnumber.isValid', median: measured.rate, unit: 'numbers/s', baseline: baseline.rate }];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
