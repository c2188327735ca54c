import type { Logger } from '../../platform/logger.ts';
import { seedPopulation, type BulkTarget, type SeedSummary } from './seed.service.ts';

/** The demo population `npm start` seeds on first run: big enough to search and page through, seeded in seconds. */
export const DEMO_POPULATION = { people: 50_000, seed: 2026 } as const;

/**
 * Seeds the demo population when the register holds nobody (first run of `npm start`); does
 * nothing otherwise, also when two servers start together (the check runs under the bulk-load lock).
 */
export async function seedDemoIfEmpty(target: BulkTarget, logger?: Logger): Promise<SeedSummary | null> {
  const summary = await seedPopulation(target, { ...DEMO_POPULATION, actorId: 'system:demo', onlyIfEmpty: true });
  if (summary.skipped) return null;
  logger?.info(
    { people: summary.people, households: summary.households, seed: summary.seed, seconds: Number(summary.seconds.toFixed(1)) },
    'demo population seeded',
  );
  return summary;
}
