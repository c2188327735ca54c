/** fast-check arbitraries of fact sets for the settlement property tests (test-only). */
import fc from 'fast-check';
import { EDUCATION_LEVELS, FACT_NAMES, FACTS, PROFESSIONAL_LEVELS, type FactDefinition, type FactName, type FactSet, type FactValue } from '../facts.vocabulary.ts';

export function factValue(name: FactName): fc.Arbitrary<FactValue> {
  const def = FACTS[name] as FactDefinition;
  if (def.type === 'boolean') return fc.boolean();
  if (def.type === 'education') return fc.constantFrom(...EDUCATION_LEVELS);
  if (def.type === 'professional') return fc.constantFrom(...PROFESSIONAL_LEVELS);
  if (name === 'birthYear') return fc.integer({ min: 1950, max: 2006 });
  if (name === 'averageAnnualIit') return fc.integer({ min: 0, max: 300_000 });
  if (name === 'insuranceBaseMultiple') return fc.constantFrom(0, 0.5, 0.8, 0.95, 1, 1.5, 2, 3);
  if (name.endsWith('Months')) return fc.integer({ min: 0, max: 300 });
  if (name === 'age') return fc.integer({ min: 16, max: 70 });
  return fc.integer({ min: 0, max: 25 });
}

/** Any subset of the vocabulary known, each with a plausible value (unknown facts are simply absent). */
export const factSet: fc.Arbitrary<FactSet> = fc.record(Object.fromEntries(FACT_NAMES.map((n) => [n, factValue(n)])) as Record<FactName, fc.Arbitrary<FactValue>>, {
  requiredKeys: [],
}) as fc.Arbitrary<FactSet>;

/** Every fact known. */
export const fullFactSet: fc.Arbitrary<FactSet> = fc.record(Object.fromEntries(FACT_NAMES.map((n) => [n, factValue(n)])) as Record<FactName, fc.Arbitrary<FactValue>>) as fc.Arbitrary<FactSet>;
