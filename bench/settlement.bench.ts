/**
 * Settlement at scale (issue #15 targets): score and rank 1,000,000 round applications from the
 * database (the Beijing 2020 policy compiled to SQL, tie-breaks, the quota cut, written to
 * round_result) in ≤ 5 s, beside a raw SQL scan and sort of the same facts in the same run; and a
 * policy simulation over a 1,000,000-person register (the seeded population, its residence
 * registrations and department facts) in ≤ 10 s, beside a raw scan of the same join.
 *
 * Sizes: BENCH_SETTLE_PEOPLE (default 1,000,000; e.g. 100000 for development), BENCH_SETTLE_RUNS (3).
 * Database: DATABASE_URL's server if set, else a throwaway embedded PostgreSQL.
 * Run alone: node bin/run-ts.js bench/settlement.bench.ts
 */
import { sql } from 'kysely';
import { pathToFileURL } from 'node:url';
import { SYSTEM_ACTOR } from '../src/access/index.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { seedPopulation } from '../src/registry/bulk/index.ts';
import { findVersion } from '../src/settlement/policy.loader.ts';
import { scoreRoundSql } from '../src/settlement/round.service.ts';
import { simulatePolicy } from '../src/settlement/simulation.service.ts';
import { envInt, openBenchCluster } from './bulk-db.ts';
import { median, type BenchResult } from './result.ts';

const AS_OF = '2026-01-01';

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

export async function run(): Promise<BenchResult[]> {
  const people = envInt('BENCH_SETTLE_PEOPLE', 1_000_000);
  const runs = envInt('BENCH_SETTLE_RUNS', 3);
  const cluster = await openBenchCluster('bench_settle');
  const target = await cluster.fresh('pop');
  try {
    const seeded = await timed(() => seedPopulation(target, { people, seed: 2026, asOf: AS_OF }));
    process.stderr.write(`   seeded ${people.toLocaleString('en')} people in ${seeded.toFixed(1)} s\n`);
    const db = target.db;
    const version = findVersion('110000/points@2020-07-01')!;

    // One application per person, with synthetic facts (deterministic from the id), set-wise.
    const round = await db
      .insertInto('settlement_round')
      .values({ city_code: '110000', scheme: 'points', year: 2025, policy_version: version.versionId, quota: 6000, opens_on: '2025-01-01', closes_on: '2025-02-01', published_on: null, objections_until: null, collective_household_number: '110105001000001', created_by: 'bench' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const firstPerson = (await sql<{ id: number }>`select min(id) as id from person`.execute(db)).rows[0]!.id;
    const decision = await db
      .insertInto('settlement_decision')
      .values({ person_id: firstPerson, city_code: '110000', scheme: 'points', policy_version: version.versionId, policy_sha256: 'bench', as_of: AS_OF, outcome: 'eligible', facts: '{}', evaluation: '{}', requested_by: 'bench', purpose: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const loaded = await timed(() =>
      sql`insert into round_application (round_id, person_id, id_number, name, applied_on, decision_id, facts)
          select ${round.id}, p.id, p.id_number, p.name, ${AS_OF}, ${decision.id},
                 jsonb_build_object('socialInsuranceYears', 7 + h % 13, 'socialInsuranceMonths', 84 + h % 150, 'ownedHomeYears', h % 5, 'rentedHomeYears', h % 11,
                   'education', (array['none','college','bachelor','bachelor_degree','master','doctorate'])[1 + h % 6], 'outerDistrictResidenceYears', h % 4,
                   'outerDistrictJobAndResidenceYears', h % 3, 'nationalAward', h % 97 = 0, 'innovationYears', h % 4, 'averageAnnualIit', (h % 200) * 1000,
                   'investorTaxQualifies', h % 51 = 0, 'age', 25 + h % 30, 'honour', h % 89 = 0, 'taxViolations', (h % 40 = 0)::int, 'detentions', (h % 70 = 0)::int,
                   'residencePermitValid', true, 'belowRetirementAge', true, 'socialInsuranceBackPayMonths', h % 6, 'criminalRecord', false)
            from (select id, id_number, name, abs(hashtextextended(id_number, 7)) % 1000003 as h from person) p`.execute(db),
    );
    await sql`analyze round_application`.execute(db);
    process.stderr.write(`   ${people.toLocaleString('en')} applications loaded in ${loaded.toFixed(1)} s\n`);

    // Raw: scan the same facts, compute the two main indicators, sort, number (no policy, no write).
    const raw: number[] = [];
    const score: number[] = [];
    let stats = { applicants: 0, admitted: 0, cutoff: null as number | null };
    for (let r = 0; r < runs; r++) {
      raw.push(
        await timed(() =>
          sql`select max(position) from (select row_number() over (order by s desc, id_number) as position
                from (select id_number, (facts->>'socialInsuranceYears')::numeric * 3 + (facts->>'ownedHomeYears')::numeric as s
                        from round_application where round_id = ${round.id}) x) y`.execute(db),
        ),
      );
      score.push(await timed(async () => (stats = await db.transaction().execute((trx) => scoreRoundSql(trx, round.id, version, 6000)))));
    }
    process.stderr.write(`   raw scan+sort ${raw.map((s) => s.toFixed(2)).join(', ')} s; score+rank ${score.map((s) => s.toFixed(2)).join(', ')} s; ${stats.admitted} admitted, cut-off ${stats.cutoff}\n`);

    // Simulation: department facts for every resident of the busiest residence city, then "what if 3 months".
    const city = (await sql<{ city_code: string; n: string }>`select city_code, count(*) as n from residence_registration where ended_on is null group by 1 order by 2 desc limit 1`.execute(db)).rows[0]!;
    await sql`insert into settlement_fact (person_id, kind, city_code, period_from, value, source, received_on, evidence, recorded_by)
              select r.person_id, k.kind, r.city_code, r.registered_on, k.value::jsonb, 'bench', ${AS_OF}, 'bench', 'bench'
                from residence_registration r
               cross join (values ('social_insurance', '{"insurance":"pension"}'), ('lease', '{"registered":true,"address":"x"}'), ('employment', '{"employer":"x"}')) k(kind, value)
               where r.ended_on is null and r.city_code = ${city.city_code}`.execute(db);
    await sql`analyze settlement_fact`.execute(db);
    const ctx = { db, clock: fixedClock(`${AS_OF}T04:00:00Z`), actor: SYSTEM_ACTOR };
    const sim: number[] = [];
    const simRaw: number[] = [];
    let newly = 0;
    for (let r = 0; r < runs; r++) {
      simRaw.push(
        await timed(() =>
          sql`select count(*) from residence_registration r join membership m on m.person_id = r.person_id and m.until is null join household h on h.id = m.household_id
               join person p on p.id = r.person_id left join (select person_id, count(*) from settlement_fact group by 1) f on f.person_id = r.person_id
              where r.ended_on is null and r.city_code = ${city.city_code}`.execute(db),
        ),
      );
      sim.push(await timed(async () => (newly = (await simulatePolicy(ctx, { cityCode: city.city_code, cityClass: 'large_1', socialInsuranceMonths: 3, on: AS_OF })).newly)));
    }
    process.stderr.write(`   simulation over ${city.n} residents of ${city.city_code} (register of ${people.toLocaleString('en')}): ${sim.map((s) => s.toFixed(2)).join(', ')} s; raw join ${simRaw.map((s) => s.toFixed(2)).join(', ')} s; ${newly} newly eligible\n`);
    return [
      { name: `settlement: score and rank ${people.toLocaleString('en')} applicants (Beijing 2020, quota 6,000)`, median: median(score), unit: 's', baseline: median(raw), note: `target ≤ 5 s; raw = scan + sort of the same facts; ${stats.admitted} admitted at ${stats.cutoff}` },
      { name: `settlement: simulation over a ${people.toLocaleString('en')}-person register`, median: median(sim), unit: 's', baseline: median(simRaw), note: `target ≤ 10 s; ${city.n} residents of ${city.city_code}; raw = the same join, counted` },
    ];
  } finally {
    await target.drop();
    await cluster.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await run()) process.stdout.write(`${r.name}: ${r.median.toFixed(2)} ${r.unit} (raw ${r.baseline?.toFixed(2)})\n`);
}
