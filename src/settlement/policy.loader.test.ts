import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../platform/paths.ts';
import { checkPolicyText, loadPolicySet, versionInForce } from './policy.loader.ts';

const BEIJING = repoPath('data', 'settlement', 'policies', '110000', 'points', '2020-07-01.json');
const beijingText = () => readFileSync(BEIJING, 'utf8');

/** A copy of data/settlement in a temp directory, for files an operator might get wrong. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hk-policies-'));
  cpSync(repoPath('data', 'settlement'), dir, { recursive: true });
  return dir;
}

function lineContaining(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('policy files', () => {
  it('every shipped file loads without an issue', () => {
    const set = loadPolicySet();
    expect(set.issues).toEqual([]);
    expect([...set.byCity.keys()].sort()).toEqual(['110000', '310000', '440100']);
    expect([...set.byCity.get('310000')!.keys()].sort()).toEqual(['juzhuanhu', 'permit-points']);
    // Shenzhen is left unmodelled rather than guessed (brief §6.4).
    expect(set.byCity.has('440300')).toBe(false);
  });

  it('versions run until the next one: Beijing 2016 text until 2020-06-30, then the 2020 revision', () => {
    const bj = loadPolicySet().byCity.get('110000')!.get('points')!;
    expect(bj.map((v) => [v.versionId, v.endsOn])).toEqual([
      ['110000/points@2017-01-01', '2020-06-30'],
      ['110000/points@2020-07-01', null],
    ]);
    expect(versionInForce(bj, '2016-12-31')).toBeNull();
    expect(versionInForce(bj, '2020-06-30')!.versionId).toBe('110000/points@2017-01-01');
    expect(versionInForce(bj, '2020-07-01')!.versionId).toBe('110000/points@2020-07-01');
  });

  it.each([
    ['an unknown indicator kind', (t: string) => t.replace('"kind": "perYear"', '"kind": "perMonth"'), '"kind": "perMonth"', /kind/],
    ['an indicator on an unknown fact', (t: string) => t.replace('"fact": "honour"', '"fact": "honours"'), '"fact": "honours"', /unknown fact "honours"/],
    ['a negative cap', (t: string) => t.replace('"cap": 12', '"cap": -12'), '"cap": -12', /cap cannot be negative/],
    ['a tie-break on an unknown field', (t: string) => t.replace('"tieBreaks": []', '"tieBreaks": [\n      {"field": "fact:shoeSize", "order": "desc", "label": "x", "article": "x", "verification": "M"}\n    ]'), 'fact:shoeSize', /tie-break on unknown field "fact:shoeSize"/],
    ['an unknown property', (t: string) => t.replace('"threshold"', '"thresold"').replace('"annualQuota": {', '"annualQuotaa": {'), '"annualQuotaa"', /unknown property|must not have|additional/i],
    ['a JSON syntax error', (t: string) => t.replace('"scheme": "points",', '"scheme": "points"'), '"name":', /expected/],
  ])('refuses %s with the file and line', (_what, edit, needle, message) => {
    const text = edit(beijingText());
    expect(text).not.toBe(beijingText());
    const r = checkPolicyText(text, 'policies/110000/points/2020-07-01.json', { city: '110000', scheme: 'points', effectiveFrom: '2020-07-01' });
    expect(r.policy).toBeNull();
    expect(r.issues.length).toBeGreaterThan(0);
    const issue = r.issues.find((i) => message.test(i.message));
    expect(issue, JSON.stringify(r.issues)).toBeDefined();
    expect(issue!.file).toBe('policies/110000/points/2020-07-01.json');
    expect(issue!.line).toBe(lineContaining(text, needle));
  });

  it('refuses a new version that overlaps, and the previous version stays in force', () => {
    const dir = scratch();
    const bjDir = join(dir, 'policies', '110000', 'points');
    // 2020 version now claims to run to 2030, overlapping a new 2025 file.
    writeFileSync(join(bjDir, '2020-07-01.json'), beijingText().replace('"effectiveFrom": "2020-07-01",', '"effectiveFrom": "2020-07-01",\n  "effectiveTo": "2030-12-31",'));
    const next = beijingText().replaceAll('2020-07-01', '2025-01-01').replace('"places": 6000', '"places": 9000');
    writeFileSync(join(bjDir, '2025-01-01.json'), next);
    const set = loadPolicySet(dir);
    expect(set.issues).toHaveLength(1);
    expect(set.issues[0]!.file).toMatch(/2025-01-01\.json$/);
    expect(set.issues[0]!.message).toMatch(/overlap/);
    expect(set.issues[0]!.line).toBe(lineContaining(next, '"effectiveFrom"'));
    const inForce = versionInForce(set.byCity.get('110000')!.get('points')!, '2026-01-01')!;
    expect(inForce.versionId).toBe('110000/points@2020-07-01');
    expect(inForce.policy.annualQuota!.places).toBe(6000);
  });

  it('an operator adds a city as a data file, no code', () => {
    const dir = scratch();
    const wuhan = join(dir, 'policies', '420100', 'points');
    cpSync(join(dir, 'policies', '440100', 'points'), wuhan, { recursive: true });
    writeFileSync(join(wuhan, '2024-10-08.json'), readFileSync(join(wuhan, '2024-10-08.json'), 'utf8').replace('"city": "440100"', '"city": "420100"').replace('"places": 16000', '"places": 5000'));
    const set = loadPolicySet(dir);
    expect(set.issues).toEqual([]);
    expect(versionInForce(set.byCity.get('420100')!.get('points')!, '2025-01-01')!.policy.annualQuota!.places).toBe(5000);
  });

  it('refuses a file whose path and content disagree', () => {
    const r = checkPolicyText(beijingText(), 'policies/310000/points/2020-07-01.json', { city: '310000', scheme: 'points', effectiveFrom: '2020-07-01' });
    expect(r.issues.map((i) => i.message)).toEqual([expect.stringMatching(/under 310000 but names city 110000/)]);
  });
});
