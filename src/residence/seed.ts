import { addDays, addMonths, addYears } from '../platform/calendar.ts';
import { permitRulesOn } from './residence.law.ts';
import type { PermitBasis } from './residence.tables.ts';

/**
 * Residence permits (居住证) of a synthetic population (`hukou seed`): the bulk seed of the register
 * hands over the residence registrations it wrote, and this module writes its own permit tables.
 * Most people registered for at least the minimum residence (居住证暂行条例 Art. 2: half a year) hold a
 * permit applied for soon after it and issued within the deadline (Art. 9), endorsed on time in the
 * month before each anniversary since (Art. 10). Rows are COPY text lines.
 */

export interface PermitSeedRegistration {
  personId: number;
  registrationId: string;
  cityCode: string;
  /** The residence-place police station (or county bureau) of the registration. */
  authorityId: string;
  /** County of the residence: its bureau issues the permit (Art. 10). */
  countyCode: string;
  registeredOn: string;
}

export interface PermitSeedOptions {
  asOf: string;
  actorId: string;
  uuid: () => string;
  random: () => number;
}

/** What the bulk session offers: COPY of text lines into a table (src/registry/bulk). */
export interface PermitBulkCopier {
  copy(table: string, columns: readonly string[], lines: string[]): Promise<void>;
}

export const PERMIT_SEED_COLUMNS = {
  residence_permit: [
    'id', 'person_id', 'registration_id', 'city_code', 'authority_id', 'issuing_authority_id', 'basis', 'basis_evidence', 'applied_on', 'due_on', 'status',
    'issued_on', 'residence_counted_from', 'endorsement_anchor', 'endorsed_years', 'endorsement_due_on',
  ],
  residence_permit_endorsement: ['permit_id', 'person_id', 'endorsed_on', 'anniversary', 'late', 'authority_id', 'actor_id'],
} as const;

export const PERMIT_SEED_TABLES = Object.keys(PERMIT_SEED_COLUMNS) as (keyof typeof PERMIT_SEED_COLUMNS)[];

/** Share of those registered long enough who applied for a permit. */
const PERMIT_SHARE = 0.7;
const EVIDENCE: Record<PermitBasis, string> = { employment: '劳动合同', residence_lease: '房屋租赁合同', residence_owned: '不动产权证书', study: '在读证明' };
const BASES: PermitBasis[] = ['employment', 'employment', 'employment', 'residence_lease', 'residence_owned', 'study'];

export function permitSeedLines(registrations: readonly PermitSeedRegistration[], o: PermitSeedOptions): Record<keyof typeof PERMIT_SEED_COLUMNS, string[]> & { permits: number } {
  const out = { residence_permit: [] as string[], residence_permit_endorsement: [] as string[], permits: 0 };
  for (const r of registrations) {
    const rules = permitRulesOn(r.registeredOn < '2016-01-01' ? '2016-01-01' : r.registeredOn);
    // the permit exists since 2016-01-01 (State Council Order 663)
    const eligible = addMonths(r.registeredOn < '2016-01-01' ? '2015-07-01' : r.registeredOn, rules.minimumResidenceMonths);
    if (o.random() >= PERMIT_SHARE) continue;
    const applied = addDays(eligible, Math.floor(o.random() * 60));
    const issued = addDays(applied, 1 + Math.floor(o.random() * (rules.issueWithinDays - 1)));
    if (issued > o.asOf) continue;
    const id = o.uuid();
    const basis = BASES[Math.floor(o.random() * BASES.length)]!;
    let years = 0;
    for (let anniversary = addYears(issued, 1); anniversary <= o.asOf; anniversary = addYears(issued, years + 1)) {
      const endorsed = addDays(anniversary, -1 - Math.floor(o.random() * 25));
      out.residence_permit_endorsement.push([id, r.personId, endorsed, anniversary, 'f', r.authorityId, o.actorId].join('\t') + '\n');
      years++;
    }
    out.residence_permit.push(
      [
        id, r.personId, r.registrationId, r.cityCode, r.authorityId, `county-${r.countyCode}`, basis, EVIDENCE[basis], applied, addDays(applied, rules.issueWithinDays), 'issued',
        issued, r.registeredOn, issued, years, addYears(issued, years + 1),
      ].join('\t') + '\n',
    );
    out.permits++;
  }
  return out;
}

/** Writes the permits and endorsements of `registrations` through the bulk session's COPY. */
export async function copySeededPermits(copier: PermitBulkCopier, registrations: readonly PermitSeedRegistration[], o: PermitSeedOptions): Promise<{ permits: number }> {
  const lines = permitSeedLines(registrations, o);
  for (const table of PERMIT_SEED_TABLES) if (lines[table].length) await copier.copy(table, PERMIT_SEED_COLUMNS[table], lines[table]);
  return { permits: lines.permits };
}
