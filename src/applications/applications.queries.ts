import { sql, type Expression, type SqlBool } from 'kysely';
import { authorityInJurisdictionSql, jurisdictionOf, type Actor } from '../access/index.ts';
import type { Db } from '../platform/db/database.ts';
import type { ApplicationState } from './applications.tables.ts';

const APPLICATION_COLUMNS = [
  'application.id',
  'application.tracking_number',
  'application.service_code',
  'application.catalog_version',
  'application.flow',
  'application.flow_ref',
  'application.applicant_actor_id',
  'application.applicant_person_id',
  'application.subject_person_id',
  'application.subject_id_number',
  'application.channel',
  'application.accepting_authority_id',
  'application.competent_authority_id',
  'application.scope',
  'application.state',
  'application.facts',
  'application.missing_materials',
  'application.deadline_working_days',
  'application.deadline',
  'application.deadline_provisional',
  'application.decision_reason',
  'application.outcome',
  'application.version',
  'application.client_key',
  'application.submitted_at',
  'application.decided_at',
  'application.created_at',
] as const;

export type ApplicationRow = Awaited<ReturnType<typeof findByTrackingNumber>> & {};
export type NewApplication = Parameters<typeof insertApplication>[1];

export function findByTrackingNumber(db: Db, trackingNumber: string) {
  return db.selectFrom('application').select(APPLICATION_COLUMNS).where('tracking_number', '=', trackingNumber).executeTakeFirst();
}

/** The row, locked for the rest of the transaction: two decisions on one application queue here, and the second sees the first's state. */
export function lockByTrackingNumber(db: Db, trackingNumber: string) {
  return db.selectFrom('application').select(APPLICATION_COLUMNS).where('tracking_number', '=', trackingNumber).forUpdate().executeTakeFirst();
}

export async function insertApplication(
  db: Db,
  row: {
    tracking_number: string;
    service_code: string;
    catalog_version: string;
    flow: 'generic' | 'idcard' | 'residence_registration' | 'residence_permit' | 'transfer';
    flow_ref: string | null;
    applicant_actor_id: string;
    applicant_person_id: number | null;
    subject_person_id: number;
    subject_id_number: string;
    channel: 'online' | 'counter';
    accepting_authority_id: string | null;
    competent_authority_id: string;
    scope: 'local' | 'intraprovincial_cross_prefecture' | 'interprovincial';
    state: ApplicationState;
    facts: string;
    deadline_working_days: number;
    deadline?: string | null;
    deadline_provisional?: boolean;
    client_key: string | null;
    submitted_at?: Date | null;
  },
) {
  return db.insertInto('application').values(row).returning(APPLICATION_COLUMNS).executeTakeFirstOrThrow();
}

/** Moves the application from `from` (checked again here: the row is locked, so this only guards against a caller's mistake). */
export async function updateApplication(
  db: Db,
  id: string,
  from: ApplicationState,
  changes: {
    state: ApplicationState;
    missing_materials?: string | null;
    deadline?: string | null;
    deadline_provisional?: boolean;
    decision_reason?: string | null;
    outcome?: string | null;
    submitted_at?: Date;
    decided_at?: Date;
  },
) {
  return db
    .updateTable('application')
    .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('state', '=', from)
    .returning(APPLICATION_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function setOutcome(db: Db, id: string, outcome: string) {
  return db.updateTable('application').set({ outcome, updated_at: sql`now()` }).where('id', '=', id).returning(APPLICATION_COLUMNS).executeTakeFirstOrThrow();
}

export async function insertEvent(
  db: Db,
  e: { application_id: string; subject_person_id: number; from_state: ApplicationState | null; to_state: ApplicationState; actor_id: string; authority_id: string | null; reason: string | null; data: string },
): Promise<void> {
  await db.insertInto('application_event').values(e).execute();
}

export function listEvents(db: Db, applicationId: string) {
  return db
    .selectFrom('application_event')
    .select(['id', 'from_state', 'to_state', 'actor_id', 'authority_id', 'reason', 'data', 'occurred_at'])
    .where('application_id', '=', applicationId)
    .orderBy('id')
    .execute();
}

/** The applications of a citizen: those they applied for and those about them. */
export function listForPerson(db: Db, personId: number) {
  return db
    .selectFrom('application')
    .select(APPLICATION_COLUMNS)
    .where((eb) => eb.or([eb('subject_person_id', '=', personId), eb('applicant_person_id', '=', personId)]))
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
}

export type QueueSide = 'competent' | 'accepting';

/**
 * An authority's queue: work whose competent (or accepting) authority lies in the actor's area, from
 * anywhere in the country; open applications, overdue first, then by deadline.
 */
export function listQueue(db: Db, actor: Actor, side: QueueSide, today: string, opts: { open: boolean; limit: number }) {
  const column = side === 'competent' ? sql.ref<string>('application.competent_authority_id') : sql.ref<string>('application.accepting_authority_id');
  let q = db
    .selectFrom('application')
    .select(APPLICATION_COLUMNS)
    .where(authorityInJurisdictionSql(actor, column as Expression<string>) as Expression<SqlBool>)
    .where('state', '!=', 'draft');
  if (opts.open) q = q.where('state', 'not in', ['completed', 'rejected', 'withdrawn']);
  return q
    .orderBy(sql`(application.deadline is not null and application.deadline < ${today}::date and application.state not in ('approved', 'completed', 'rejected', 'withdrawn', 'delegated'))`, 'desc')
    .orderBy('application.deadline', (ob) => ob.asc().nullsLast())
    .orderBy('application.created_at')
    .limit(opts.limit)
    .execute();
}

/** Counts for the statistics, over the applications whose competent authority lies in the actor's area. */
export function countByServiceAndScope(db: Db, actor: Actor, today: string) {
  const j = jurisdictionOf(actor);
  return db
    .selectFrom('application')
    .select([
      'service_code',
      'scope',
      'state',
      sql<number>`count(*)::int`.as('count'),
      sql<number>`count(*) filter (where deadline is not null and deadline < ${today}::date and state in ('submitted', 'accepted', 'in_review'))::int`.as('overdue'),
    ])
    .where(j.kind === 'area' ? (authorityInJurisdictionSql(actor, sql.ref<string>('application.competent_authority_id')) as Expression<SqlBool>) : sql<SqlBool>`false`)
    .where('state', '!=', 'draft')
    .groupBy(['service_code', 'scope', 'state'])
    .orderBy('service_code')
    .orderBy('scope')
    .orderBy('state')
    .execute();
}

export function insertMaterial(db: Db, m: { application_id: string; material_code: string; media_type: 'application/pdf' | 'image/jpeg' | 'image/png'; size_bytes: number; sha256: string; content: Buffer; uploaded_by: string }) {
  return db.insertInto('application_material').values(m).returning(['id', 'material_code', 'media_type', 'size_bytes', 'sha256', 'uploaded_at']).executeTakeFirstOrThrow();
}

export function listMaterials(db: Db, applicationId: string) {
  return db
    .selectFrom('application_material')
    .select(['id', 'material_code', 'media_type', 'size_bytes', 'sha256', 'uploaded_at'])
    .where('application_id', '=', applicationId)
    .orderBy('uploaded_at')
    .execute();
}

export function findMaterialContent(db: Db, applicationId: string, materialId: string) {
  return db
    .selectFrom('application_material')
    .select(['id', 'material_code', 'media_type', 'size_bytes', 'sha256', 'content'])
    .where('application_id', '=', applicationId)
    .where('id', '=', materialId)
    .executeTakeFirst();
}
