import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../platform/paths.ts';
import { catalogOn, loadServiceCatalog, parseCatalogFile } from './catalog.ts';

const FILE = 'catalog-2024-05.json';
const raw = () => JSON.parse(readFileSync(repoPath('data', 'services', FILE), 'utf8')) as { services: Record<string, unknown>[] };

describe('the service catalog', () => {
  it('loads, with every service of issue #14', () => {
    const codes = catalogOn(loadServiceCatalog(), '2026-12-02').services.map((s) => s.code);
    for (const c of [
      'household_certificate_registration',
      'household_certificate_family_relationship',
      'household_certificate_deregistration',
      'id_card_first',
      'id_card_renewal',
      'id_card_reissue',
      'id_card_temporary',
      'residence_registration',
      'residence_permit',
      'residence_permit_endorsement',
      'hukou_transfer_interprovincial',
      'hukou_move_within_province',
      'birth_registration',
      'death_registration',
      'register_correction',
      'settlement',
    ]) expect(codes).toContain(c);
  });

  it('names the file and the position of a bad entry', () => {
    const bad = raw();
    bad.services[3]!.deadlineWorkingDays = -1;
    expect(() => parseCatalogFile(FILE, bad)).toThrow(`${FILE} at /services/3/deadlineWorkingDays`);
    const dup = raw();
    dup.services.push({ ...dup.services[0]! });
    expect(() => parseCatalogFile(FILE, dup)).toThrow(/appears twice/);
    const noEffect = raw();
    delete noEffect.services[0]!.effect;
    expect(() => parseCatalogFile(FILE, noEffect)).toThrow(`${FILE} at /services/0`);
  });
});
