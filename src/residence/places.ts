import { COUNTER_ANYWHERE_HINT, notAmongVisible, personVisibleTo, type Actor, type Purpose, personNotFound } from '../access/index.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { normalizeIdNumber } from '../idnumber/index.ts';
import { findAuthorityChain } from './places.queries.ts';
import { findPersonWithHukou, findPersonWithHukouById, type PersonWithHukouRow } from '../registry/index.ts';

/**
 * The four municipalities directly under the central government (直辖市: Beijing, Tianjin, Shanghai,
 * Chongqing) are one city each: their districts and counties sit directly under the province code in
 * GB/T 2260, with no prefecture level between.
 */
const MUNICIPALITIES = new Set(['110000', '120000', '310000', '500000']);

/** Where an authority is: its city (prefecture level), province, and whether it lies in a remote area. */
export interface AuthorityPlace {
  id: string;
  kind: string;
  name: string;
  /**
   * Prefecture-level city; a municipality (直辖市) is one city; any other county-level unit directly
   * under its province (省直辖县级市 like 仙桃) is its own city.
   */
  cityCode: string;
  /** Province code (`440000`). */
  provinceCode: string;
  /** County-level public security of the place (签发机关 of ID cards and residence permits). */
  countyAuthorityId: string;
  /**
   * Remote or poorly connected area (`authority.remote`, set per authority as data): the authority
   * or one above it is flagged, which extends statutory time limits.
   */
  remote: boolean;
}

/**
 * The place of an authority that serves the public at a counter (police station, county or
 * prefecture bureau). The Ministry and provincial departments have no city: refused as INVALID_CODE.
 */
export async function authorityPlace(db: Db, authorityId: string, field: string): Promise<AuthorityPlace> {
  const chain = await findAuthorityChain(db, authorityId);
  const self = chain[0];
  const county = chain.find((a) => a.kind === 'county_bureau' || a.kind === 'police_station');
  const countyBureau = chain.find((a) => a.kind === 'county_bureau');
  const prefecture = chain.find((a) => a.kind === 'prefecture_bureau');
  const province = chain.find((a) => a.kind === 'provincial_department');
  const cityCode = MUNICIPALITIES.has(province?.division_code ?? '') ? province?.division_code : (prefecture?.division_code ?? county?.division_code);
  if (!self || !cityCode || self.kind === 'ministry' || self.kind === 'provincial_department') {
    throw new AppError('INVALID_CODE', `Authority ${authorityId} is not a public-security authority that serves a city (police station, county or prefecture bureau). Use an id like station-440305001 or county-440305.`, {
      details: [{ field, code: self ? 'NOT_A_LOCAL_AUTHORITY' : 'UNKNOWN_AUTHORITY', message: `${authorityId} cannot accept applications` }],
    });
  }
  return {
    id: self.id,
    kind: self.kind,
    name: self.name,
    cityCode,
    provinceCode: `${cityCode.slice(0, 2)}0000`,
    countyAuthorityId: countyBureau?.id ?? prefecture?.id ?? self.id,
    remote: chain.some((a) => a.remote),
  };
}

export interface ServicePerson {
  id: number;
  idNumber: string;
  name: string;
  birthDate: string;
  /** Police station of the current hukou; null while an interprovincial transfer is in transit. */
  hukouAuthorityId: string | null;
}

function personView(p: PersonWithHukouRow): ServicePerson {
  return { id: p.id, idNumber: p.id_number, name: p.name, birthDate: p.birth_date, hukouAuthorityId: p.hukou_authority_id };
}

/** The person holding (or having held) `idNumber`, whatever their status. */
export async function findServicePerson(db: Db, rawIdNumber: string): Promise<ServicePerson & { status: string; deathDate: string | null }> {
  const idNumber = normalizeIdNumber(rawIdNumber);
  const p = await findPersonWithHukou(db, idNumber);
  if (!p) throw personNotFound(idNumber);
  return { ...personView(p), status: p.status, deathDate: p.death_date };
}

/** The person with internal id `personId` (a citizen's own record: `actor.personId`), whatever their status; null if none. */
export async function findServicePersonById(db: Db, personId: number): Promise<(ServicePerson & { status: string; deathDate: string | null }) | null> {
  const p = await findPersonWithHukouById(db, personId);
  return p ? { ...personView(p), status: p.status, deathDate: p.death_date } : null;
}

/**
 * The person holding (or having held) `idNumber` when the actor may see them for `purpose`
 * (`personVisibleTo`: hukou or residence in the area, an application they handle, or a citizen's
 * own record); anyone else is PERSON_NOT_FOUND, exactly like a number nobody holds.
 */
export async function findVisiblePerson(db: Db, rawIdNumber: string, actor: Actor, purpose: Purpose | null): Promise<ServicePerson & { status: string; deathDate: string | null }> {
  const idNumber = normalizeIdNumber(rawIdNumber);
  const p = await findPersonWithHukou(db, idNumber, (personId) => personVisibleTo(actor, personId, purpose));
  if (!p) throw personNotFound(idNumber);
  return { ...personView(p), status: p.status, deathDate: p.death_date };
}

/**
 * A citizen's own person record (the account's linked person); PERSON_NOT_FOUND for anyone else or
 * an account not linked yet. The portal's "my ID card / my permit" and the online loss report start here.
 */
export async function findOwnPerson(db: Db, actor: Actor): Promise<ServicePerson & { status: string; deathDate: string | null }> {
  const personId = actor.role === 'citizen' ? actor.personId : undefined;
  const p = personId === undefined ? undefined : await findPersonWithHukouById(db, personId);
  if (!p) {
    throw new AppError('PERSON_NOT_FOUND', 'Your account is not linked to a person record yet; ask your police station to link it.', { details: { own: true } });
  }
  return { ...personView(p), status: p.status, deathDate: p.death_date };
}

/**
 * The person holding `idNumber`, who must be alive and registered: services are for living residents.
 * Found anywhere (whoever presents themselves at the counter), so a refusal says why, not when they died.
 */
export async function findActivePerson(db: Db, idNumber: string): Promise<ServicePerson> {
  const p = await findServicePerson(db, idNumber);
  if (p.status === 'deceased') {
    throw new AppError('PERSON_DECEASED', `${p.idNumber} is registered as deceased; no card or permit is issued to them.`, {
      details: { idNumber: p.idNumber },
    });
  }
  if (p.status !== 'active') {
    throw new AppError('PERSON_NOT_ACTIVE', `The hukou of ${p.idNumber} is cancelled (${p.status}); restore the registration before applying.`, {
      details: { idNumber: p.idNumber, status: p.status },
    });
  }
  return p;
}

/** The hukou place of a person, who must have a current hukou (not in transit between provinces). */
export async function hukouPlaceOf(db: Db, person: ServicePerson): Promise<AuthorityPlace> {
  if (!person.hukouAuthorityId) {
    throw new AppError('NO_CURRENT_HUKOU', `${person.idNumber} has no current hukou (an interprovincial transfer is in transit); finish the transfer first, then apply.`, {
      details: { idNumber: person.idNumber },
    });
  }
  return authorityPlace(db, person.hukouAuthorityId, 'hukou');
}

export { personNotFound };
