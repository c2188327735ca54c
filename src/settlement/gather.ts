import { createHash } from 'node:crypto';
import { hukouPlaceOf, residenceFactsOfPerson, type ServicePerson } from '../residence/index.ts';
import { ageOn } from '../platform/calendar.ts';
import type { Db } from '../platform/db/database.ts';
import { FACTS, type FactDefinition, type FactName, type FactSet, type FactValue } from './facts.vocabulary.ts';
import { storeFactsOfPerson } from './derive.sql.ts';
import * as q from './settlement.queries.ts';
import { factView, type FactView } from './facts.service.ts';

/** Where each fact of an answer came from: the register, residence, or the store rows (with their evidence). */
export interface Provenance {
  fact: string;
  value: FactValue;
  source: 'register' | 'residence' | 'store';
  detail: string;
  factIds: number[];
}

export interface GatheredFacts {
  facts: FactSet;
  provenance: Provenance[];
  factIds: number[];
  evidence: FactView[];
}

/** GB 11643: the 17th character is odd for men. */
function isMale(idNumber: string): boolean {
  return Number(idNumber[16]) % 2 === 1;
}

/**
 * Collects a person's facts for one city and date: age and hukou from the register (via residence's
 * public person lookups), permit and residence years from residence (`residenceFactsOfPerson`), the
 * rest from the facts store. Nothing is guessed: a fact no source knows is left out.
 */
export async function gatherFacts(db: Db, person: ServicePerson, cityCode: string, asOf: string): Promise<GatheredFacts> {
  const facts: FactSet = {};
  const provenance: Provenance[] = [];
  const put = (fact: FactName, value: FactValue, source: Provenance['source'], detail: string, factIds: number[] = []) => {
    facts[fact] = value;
    provenance.push({ fact, value, source, detail, factIds });
  };
  if (person.birthDate <= asOf) {
    const age = ageOn(person.birthDate, asOf);
    put('age', age, 'register', `born ${person.birthDate}`);
    put('birthYear', Number(person.birthDate.slice(0, 4)), 'register', `born ${person.birthDate}`);
    put('belowRetirementAge', age < (isMale(person.idNumber) ? 60 : 55), 'register', `born ${person.birthDate}, ${isMale(person.idNumber) ? 'male (60)' : 'female (55)'} [M]`);
  }
  if (person.hukouAuthorityId) {
    const place = await hukouPlaceOf(db, person);
    put('hukouInCity', place.cityCode === cityCode, 'register', `hukou at ${person.hukouAuthorityId} (city ${place.cityCode})`);
  }
  const residence = await residenceFactsOfPerson(db, person.id, asOf);
  if (!residence || residence.cityCode !== cityCode) {
    const detail = residence ? `residence registered in city ${residence.cityCode}, not ${cityCode}` : 'no open residence registration';
    put('residencePermitValid', false, 'residence', detail);
    put('residencePermitYears', 0, 'residence', detail);
    put('continuousResidence', false, 'residence', detail);
  } else {
    const permit = residence.permit;
    put('residencePermitValid', permit?.status === 'valid', 'residence', permit ? `permit ${permit.id} ${permit.status}, issued ${permit.issuedOn ?? '-'}` : `registered ${residence.registeredOn}, no permit`);
    put('residencePermitYears', permit ? residence.residenceYears : 0, 'residence', `counted from ${residence.residenceCountedFrom}`);
    put('continuousResidence', residence.continuousResidence, 'residence', `endorsement ${residence.endorsement.status}`);
  }
  const store = (await storeFactsOfPerson(person.id, cityCode, asOf).execute(db)).rows[0];
  const factIds = store?.fact_ids ?? [];
  const rows = await q.factsById(db, factIds);
  for (const [name, raw] of Object.entries(store?.facts ?? {})) {
    const def = FACTS[name as FactName] as FactDefinition;
    const value: FactValue = def.type === 'number' ? Number(raw) : (raw as FactValue);
    const kinds = name === 'lawfulResidence' ? ['lease', 'ownership'] : [def.kind];
    const used = rows.filter((r) => kinds.includes(r.kind as never) && (def.kind !== 'attribute' || r.value.fact === name)).map((r) => r.id);
    put(name as FactName, value, 'store', `${used.length} fact(s) of kind ${kinds.join('/')}`, used);
  }
  return { facts, provenance, factIds, evidence: rows.map(factView) };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
