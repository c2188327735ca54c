import type { Purpose } from '../access/index.ts';
import { cardApplicationQueue, getApplication as getCardApplication, listCardApplicationsOf } from '../idcards/index.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { getPerson, getTransfer, readOwnHousehold } from '../registry/index.ts';
import { findServicePersonById, findVisiblePerson, residenceRecordOfPerson } from '../residence/index.ts';
import { applicationNotFound, applicationVisibleTo } from './access-rules.ts';
import * as q from './applications.queries.ts';
import { applicationView, type ApplicationEventView, type ApplicationView } from './applications.views.ts';
import { catalogOn, findService, type CatalogMaterial, type CatalogService, type ServiceCatalog } from './catalog.ts';
import { requireTrackingNumber } from './lifecycle.service.ts';
import { listMaterialsOf, type MaterialView } from './materials.service.ts';
import { assertServiceAvailable } from './submit.service.ts';

/**
 * The state of a delegated application, asked of the module that owns it (never copied here): the
 * ID card application, the transfer, the residence registration or permit. Null when that module
 * does not show it to this actor.
 */
async function flowStateOf(ctx: ServiceContext, row: q.ApplicationRow, today: string): Promise<string | null> {
  if (row.flow === 'generic' || row.flow_ref === null) return null;
  try {
    if (row.flow === 'idcard') return (await getCardApplication(ctx, row.flow_ref)).state;
    if (row.flow === 'transfer') return (await getTransfer(ctx, row.flow_ref)).state;
    const record = await residenceRecordOfPerson(ctx.db, row.subject_person_id, today);
    if (row.flow === 'residence_registration') {
      const reg = record.registrations.find((r) => r.id === row.flow_ref);
      return reg ? (reg.endedOn ? 'ended' : 'registered') : null;
    }
    return record.permits.find((p) => p.id === row.flow_ref)?.status ?? null;
  } catch (e) {
    if (e instanceof AppError && (e.code === 'NOT_FOUND' || e.code.endsWith('_NOT_FOUND'))) return null;
    throw e;
  }
}

async function views(ctx: ServiceContext, rows: q.ApplicationRow[]): Promise<ApplicationView[]> {
  const today = chinaDate(ctx.clock.now());
  return Promise.all(rows.map(async (r) => applicationView(r, today, await flowStateOf(ctx, r, today))));
}

export interface ApplicationDetail {
  application: ApplicationView;
  events: ApplicationEventView[];
  materials: MaterialView[];
}

/** One application by tracking number, to whoever may see it; with whose it is, for the access log. */
export async function readApplication(ctx: ServiceContext, rawTrackingNumber: string): Promise<{ detail: ApplicationDetail; subjectPersonId: number }> {
  const trackingNumber = requireTrackingNumber(rawTrackingNumber);
  const row = await q.findByTrackingNumber(ctx.db, trackingNumber);
  if (!row || !applicationVisibleTo(ctx.actor, row)) throw applicationNotFound(trackingNumber);
  const [[application], events, materials] = await Promise.all([views(ctx, [row]), q.listEvents(ctx.db, row.id), listMaterialsOf(ctx, row.id)]);
  return {
    detail: {
      application: application!,
      events: events.map((e) => ({
        fromState: e.from_state,
        toState: e.to_state,
        actorId: e.actor_id,
        authorityId: e.authority_id,
        reason: e.reason,
        data: e.data,
        occurredAt: new Date(e.occurred_at).toISOString(),
      })),
      materials,
    },
    subjectPersonId: row.subject_person_id,
  };
}

/** A row of the union for an application made directly in its own flow (no tracking number: it did not come through the catalog). */
function unlinkedView(x: {
  serviceCode: string;
  flow: string;
  flowRef: string;
  flowState: string;
  subjectIdNumber: string;
  acceptingAuthorityId: string | null;
  competentAuthorityId: string;
  scope: ApplicationView['scope'];
  deadline: string | null;
  overdue: boolean;
  createdAt: string;
}): ApplicationView {
  return {
    trackingNumber: null,
    serviceCode: x.serviceCode,
    catalogVersion: '',
    flow: x.flow,
    flowRef: x.flowRef,
    state: 'delegated',
    flowState: x.flowState,
    subjectIdNumber: x.subjectIdNumber,
    channel: 'counter',
    acceptingAuthorityId: x.acceptingAuthorityId,
    competentAuthorityId: x.competentAuthorityId,
    scope: x.scope,
    deadlineWorkingDays: 0,
    deadline: x.deadline,
    deadlineProvisional: false,
    overdue: x.overdue,
    missingMaterials: null,
    decisionReason: null,
    outcome: null,
    facts: {},
    version: 0,
    submittedAt: x.createdAt,
    decidedAt: null,
    createdAt: x.createdAt,
  };
}

type CardApplication = Awaited<ReturnType<typeof listCardApplicationsOf>>[number];
function cardView(a: CardApplication): ApplicationView {
  return unlinkedView({
    serviceCode: `id_card_${a.kind}`,
    flow: 'idcard',
    flowRef: a.id,
    flowState: a.state,
    subjectIdNumber: a.idNumber,
    acceptingAuthorityId: a.acceptingAuthorityId,
    competentAuthorityId: a.hukouAuthorityId,
    scope: a.scope,
    deadline: a.dueOn,
    overdue: a.overdue,
    createdAt: `${a.appliedOn}T00:00:00.000Z`,
  });
}

/**
 * A citizen's applications, every flow: those in this module (made or about them, linked ones with
 * their flow's state), and — read-side union, through the owning modules' public functions — the ID
 * card applications, residence permits and transfers made directly in those flows.
 */
export async function listMyApplications(ctx: ServiceContext): Promise<ApplicationView[]> {
  const personId = ctx.actor.role === 'citizen' ? ctx.actor.personId : undefined;
  if (personId === undefined) return [];
  const today = chinaDate(ctx.clock.now());
  const own = await views(ctx, await q.listForPerson(ctx.db, personId));
  const linked = new Set(own.map((a) => `${a.flow}:${a.flowRef}`));
  const me = await findServicePersonById(ctx.db, personId);
  if (!me) return own;
  const cards = (await listCardApplicationsOf(ctx, personId)).filter((a) => !linked.has(`idcard:${a.id}`)).map(cardView);
  const record = await residenceRecordOfPerson(ctx.db, personId, today);
  const permits = record.permits
    .filter((p) => !linked.has(`residence_permit:${p.id}`))
    .map((p) =>
      unlinkedView({
        serviceCode: 'residence_permit',
        flow: 'residence_permit',
        flowRef: p.id,
        flowState: p.status,
        subjectIdNumber: me.idNumber,
        acceptingAuthorityId: p.authorityId,
        competentAuthorityId: p.issuingAuthorityId,
        scope: 'local',
        deadline: p.dueOn,
        overdue: p.status === 'applied' && p.dueOn < today,
        createdAt: `${p.appliedOn}T00:00:00.000Z`,
      }),
    );
  const view = await getPerson(ctx, me.idNumber).catch(() => null);
  const transfers: ApplicationView[] = [];
  for (const t of view?.transfers ?? []) {
    if (linked.has(`transfer:${t.id}`)) continue;
    const full = await getTransfer(ctx, t.id).catch(() => null);
    if (!full) continue;
    transfers.push(
      unlinkedView({
        serviceCode: 'hukou_transfer_interprovincial',
        flow: 'transfer',
        flowRef: t.id,
        flowState: t.state,
        subjectIdNumber: me.idNumber,
        acceptingAuthorityId: full.destination.authorityId,
        competentAuthorityId: full.destination.authorityId,
        scope: 'interprovincial',
        deadline: t.dueOn,
        overdue: t.closedAt === null && t.dueOn < today,
        createdAt: `${t.appliedOn}T00:00:00.000Z`,
      }),
    );
  }
  return [...own, ...cards, ...permits, ...transfers].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * An authority's queue (competent: decided here, from the whole country; accepting: accepted here,
 * to follow), overdue first, then by deadline; with the open ID card applications made directly in
 * that flow (read-side union through the ID card module's public queue).
 */
export async function listQueue(ctx: ServiceContext, input: { side: q.QueueSide; open: boolean; limit: number }): Promise<ApplicationView[]> {
  const own = await views(ctx, await q.listQueue(ctx.db, ctx.actor, input.side, chinaDate(ctx.clock.now()), input));
  const linked = new Set(own.map((a) => `${a.flow}:${a.flowRef}`));
  const cards = (await cardApplicationQueue(ctx, { side: input.side === 'competent' ? 'hukou' : 'accepting', limit: input.limit }))
    .filter((a) => !linked.has(`idcard:${a.id}`))
    .map(cardView);
  const rank = (a: ApplicationView) => (a.overdue ? 0 : 1);
  return [...own, ...cards].sort((a, b) => rank(a) - rank(b) || (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999')).slice(0, input.limit);
}

/** Counts per service, scope and state, with the overdue among them, over the applications decided in the actor's area. */
export async function applicationStatistics(ctx: ServiceContext) {
  const rows = await q.countByServiceAndScope(ctx.db, ctx.actor, chinaDate(ctx.clock.now()));
  return {
    asOf: chinaDate(ctx.clock.now()),
    rows: rows.map((r) => ({ serviceCode: r.service_code, scope: r.scope, state: r.state, count: r.count, overdue: r.overdue })),
    overdue: rows.reduce((n, r) => n + r.overdue, 0),
  };
}

export function listServices(catalog: ServiceCatalog, today: string): { version: { effectiveFrom: string; source: string; verifiedAt: string }; services: CatalogService[] } {
  const v = catalogOn(catalog, today);
  return { version: { effectiveFrom: v.effectiveFrom, source: v.source, verifiedAt: v.verifiedAt }, services: v.services };
}

export interface FormMaterial extends CatalogMaterial {
  /** Held by the register, residence or a department: fetched by reference, never uploaded. */
  fetchedByReference: boolean;
}

/**
 * The form of a service for a person, prefilled from the register and residence (once-only: the
 * form never asks for what they hold): the citizen's own, or a person an officer may see for the
 * stated purpose. Materials held elsewhere are listed with their source, not asked for.
 */
export async function serviceForm(ctx: ServiceContext, catalog: ServiceCatalog, input: { code: string; idNumber: string; purpose: Purpose | null }) {
  const today = chinaDate(ctx.clock.now());
  const { service } = findService(catalog, today, input.code);
  const found = await findVisiblePerson(ctx.db, input.idNumber, ctx.actor, input.purpose);
  const view = await getPerson(ctx, found.idNumber, input.purpose);
  const residence = await residenceRecordOfPerson(ctx.db, found.id, today);
  const open = residence.registrations.find((r) => r.endedOn === null) ?? null;
  let available: { ok: boolean; reason: string | null; message: string | null } = { ok: true, reason: null, message: null };
  try {
    await assertServiceAvailable(ctx, service, found);
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'SERVICE_NOT_AVAILABLE') throw e;
    available = { ok: false, reason: (e.details as { reason: string }).reason, message: e.userMessage };
  }
  const p = view.person;
  // a citizen's own read of their record leaves the household out; their booklet is theirs to read
  const household = view.household ?? (ctx.actor.role === 'citizen' && ctx.actor.personId === found.id ? await readOwnHousehold(ctx).then((h) => h.value, () => null) : null);
  return {
    personId: found.id,
    form: {
      serviceCode: service.code,
      available,
      prefilled: {
        idNumber: p.idNumber,
        name: p.name,
        sex: p.sex,
        birthDate: p.birthDate,
        ethnicity: p.ethnicity,
        householdNumber: household?.householdNumber ?? null,
        hukouAddress: household?.address ?? null,
        hukouAuthorityId: found.hukouAuthorityId,
        residenceAddress: open?.address ?? null,
        residenceAuthorityId: open?.authorityId ?? null,
      },
      materials: service.materials.map((m): FormMaterial => ({ ...m, fetchedByReference: m.source !== 'upload' })),
      toUpload: service.materials.filter((m) => m.source === 'upload').map((m) => m.code),
    },
  };
}
