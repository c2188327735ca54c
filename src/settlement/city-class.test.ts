import { describe, expect, it } from 'vitest';
import { classifyPopulation, cityRecord, loadCities, nextClassUp, type CityClass } from './city-class.ts';

describe('city classes (国发〔2014〕51号: 以上 includes the bound, 以下 excludes it)', () => {
  it.each<[number, CityClass]>([
    [10_000_000, 'super_large'],
    [9_999_999, 'mega'],
    [5_000_000, 'mega'],
    [4_999_999, 'large_1'],
    [3_000_000, 'large_1'],
    [2_999_999, 'large_2'],
    [1_000_000, 'large_2'],
    [999_999, 'medium'],
    [500_000, 'medium'],
    [499_999, 'small_1'],
    [200_000, 'small_1'],
    [199_999, 'small_2'],
    [0, 'small_2'],
  ])('%i persons → %s', (pop, cls) => {
    expect(classifyPopulation(pop)).toBe(cls);
  });

  it('refuses a negative or non-finite figure', () => {
    expect(() => classifyPopulation(-1)).toThrow(RangeError);
    expect(() => classifyPopulation(Number.NaN)).toThrow(RangeError);
  });

  it('stores the 7th-census figures with their source, and the stored class', () => {
    const sh = cityRecord('310000')!;
    expect(sh).toMatchObject({ name: '上海', urbanPopulation: 19_873_100, class: 'super_large', populationYear: 2020, computedClass: 'super_large' });
    expect(sh.source).toContain('2020中国人口普查分县资料');
    expect(cityRecord('140100')).toMatchObject({ name: '太原', urbanPopulation: 4_049_700, class: 'large_1' });
    // A figure not retrieved: the stored class stands without one.
    expect(cityRecord('320400')).toMatchObject({ name: '常州', urbanPopulation: null, class: 'large_1', computedClass: null });
    expect(loadCities().size).toBe(35);
    // Figures from memory are marked.
    expect(cityRecord('440600')!.populationVerification).toBe('M');
  });

  it('the stored class agrees with the figure wherever there is one (else the data needs a look)', () => {
    for (const c of loadCities().values()) if (c.computedClass) expect([c.code, c.computedClass]).toEqual([c.code, c.class]);
  });

  it('moves up one class, super-large staying', () => {
    expect(nextClassUp('large_2')).toBe('large_1');
    expect(nextClassUp('super_large')).toBe('super_large');
  });
});
