import type { Updateable } from 'kysely';
import { COUNTER_ANYWHERE_HINT, notAmongVisible, type Actor, personNotFound } from '../access/index.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { normalizeIdNumber } from '../idnumber/index.ts';
import type { HouseholdTable, PersonTable } from './registry.tables.ts';
import * as hq from './household.queries.ts';
import * as pq from './person.queries.ts';
import { findOpenTransferOfPerson } from './transfer.queries.ts';

/**
 * Lookups and checks shared by the write services. Lock order, everywhere: transfer, then persons
 * (ascending id), then households (ascending id), then the ID allocation row — so no two operations
 * wait on each other in a cycle.
 */

export function householdNotFound(householdNumber: string): AppError {
  return new AppError('HOUSEHOLD_NOT_FOUND', `${notAmongVisible(`Household ${householdNumber}:`)} Check the household number (户号) on the 户口簿.`, {
    details: { householdNumber },
  });
}

/**
 * The person currently holding `idNumber`, locked. `registeredWith`: the actor whose area must hold
 * the person's current hukou (the hukou-place authority changes a registration, 户口登记条例 Art. 3),
 * or null where the person presents themselves elsewhere (a restored hukou, a transfer applied for
 * at the destination). A person outside the area is PERSON_NOT_FOUND, like a number nobody holds.
 */
export async function lockPerson(db: Db, rawIdNumber: string, registeredWith: Actor | null): Promise<pq.PersonRow> {
  const idNumber = normalizeIdNumber(rawIdNumber);
  const person = await pq.lockPersonByIdNumber(db, idNumber, registeredWith);
  if (!person) throw personNotFound(idNumber);
  return person;
}

/** The household with this number in the actor's jurisdiction, locked; HOUSEHOLD_NOT_FOUND otherwise. */
export async function lockHousehold(db: Db, householdNumber: string, actor: Actor): Promise<hq.HouseholdRow> {
  const household = await hq.lockHouseholdByNumber(db, householdNumber, actor);
  if (!household) throw householdNotFound(householdNumber);
  return household;
}

function versionConflict(what: string, key: string, expected: number, actual: number | null): AppError {
  return new AppError(
    'VERSION_CONFLICT',
    `${what} ${key} is at version ${actual ?? '(unknown)'}, not ${expected}: it changed since you read it. Re-read it and retry with expectedVersion ${actual ?? 'of the current record'}.`,
    { details: { expectedVersion: expected, currentVersion: actual } },
  );
}

/** Fails with VERSION_CONFLICT unless the (locked) person is at the version the client read. */
export function assertPersonVersion(person: pq.PersonRow, expectedVersion: number): void {
  if (person.version !== expectedVersion) throw versionConflict('Person', person.id_number, expectedVersion, person.version);
}

export function assertHouseholdVersion(household: hq.HouseholdRow, expectedVersion: number): void {
  if (household.version !== expectedVersion) throw versionConflict('Household', household.household_number, expectedVersion, household.version);
}

/** Applies changes to a person at `expectedVersion` (optimistic concurrency), bumping the version. */
export async function updatePerson(db: Db, person: pq.PersonRow, expectedVersion: number, changes: Updateable<PersonTable>): Promise<pq.PersonRow> {
  const updated = await pq.updatePersonAtVersion(db, person.id, expectedVersion, changes);
  if (!updated) throw versionConflict('Person', person.id_number, expectedVersion, person.version);
  return updated;
}

/** Applies changes to a household at `expectedVersion`, bumping the version. */
export async function updateHousehold(db: Db, household: hq.HouseholdRow, expectedVersion: number, changes: Updateable<HouseholdTable>): Promise<hq.HouseholdRow> {
  const updated = await hq.updateHouseholdAtVersion(db, household.id, expectedVersion, changes);
  if (!updated) throw versionConflict('Household', household.household_number, expectedVersion, household.version);
  return updated;
}

/**
 * The person must be alive and registered (not deceased, emigrated or cancelled). `foundAnywhere`:
 * the person was looked up outside the actor's area (a restored hukou, a transfer applied for at
 * the destination), so the refusal gives the reason but not their death date.
 */
export function assertActive(person: pq.PersonRow, opts: { foundAnywhere?: boolean } = {}): void {
  if (person.status === 'deceased') {
    const date = opts.foundAnywhere ? '' : ` (${person.death_date})`;
    throw new AppError('PERSON_DECEASED', `${person.id_number} is registered as deceased${date}; the registration of a deceased person is closed.`, {
      details: opts.foundAnywhere ? { idNumber: person.id_number } : { idNumber: person.id_number, deathDate: person.death_date },
    });
  }
  if (person.status !== 'active') {
    throw new AppError('PERSON_NOT_ACTIVE', `The hukou of ${person.id_number} is cancelled (${person.status}); restore it first by adding them to a household (POST /api/v1/households/{number}/members).`, {
      details: { idNumber: person.id_number, status: person.status },
    });
  }
}

export function assertHouseholdOpen(household: hq.HouseholdRow): void {
  if (household.status !== 'active') {
    throw new AppError('HOUSEHOLD_CLOSED', `Household ${household.household_number} is closed and takes no new members; choose an open household.`, {
      details: { householdNumber: household.household_number },
    });
  }
}

/** `foundAnywhere`: the person was looked up outside the actor's area (see assertActive), so the refusal does not name the transfer. */
export async function assertNoOpenTransfer(db: Db, person: pq.PersonRow, opts: { foundAnywhere?: boolean } = {}): Promise<void> {
  const open = await findOpenTransferOfPerson(db, person.id);
  if (open) {
    const which = opts.foundAnywhere ? '' : ` (${open.id}, ${open.state})`;
    throw new AppError('TRANSFER_IN_PROGRESS', `${person.id_number} has an open interprovincial transfer${which}; finish or compensate it before changing their registration.`, {
      details: opts.foundAnywhere ? {} : { transferId: open.id, state: open.state },
    });
  }
}

/** The person's current membership, which must be in `household`. */
export async function membershipIn(db: Db, person: pq.PersonRow, household: hq.HouseholdRow): Promise<hq.MembershipRow> {
  const m = await hq.findCurrentMembership(db, person.id);
  if (!m || m.household_id !== household.id) {
    throw new AppError('NOT_A_MEMBER', `${person.id_number} is not a current member of household ${household.household_number}. Check the household on their record (GET /api/v1/persons/{idNumber}).`, {
      details: { idNumber: person.id_number, householdNumber: household.household_number },
    });
  }
  return m;
}

export function provinceOf(divisionCode: string): string {
  return divisionCode.slice(0, 2);
}

export { personNotFound };
