import { SYSTEM_ACTOR } from '../access/index.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { correctParticulars, getPerson, registerBirth, registerDeath } from '../registry/index.ts';
import { applicationNotFound } from './access-rules.ts';
import * as q from './applications.queries.ts';
import { applicationView, type ApplicationView } from './applications.views.ts';
import { findService, type CatalogService, type ServiceCatalog } from './catalog.ts';
import type { CertificateIssuer, CertificateKind } from './certificate-issuer.ts';
import { recordTransition, requireTrackingNumber, runStep, type StepInput } from './lifecycle.service.ts';
import { materialsMissing } from './submit.service.ts';
import { missingUploads } from './materials.service.ts';
import { addWorkingDays, type WorkingCalendar } from './working-days.ts';

export interface StepDeps {
  catalog: ServiceCatalog;
  calendar: WorkingCalendar;
  /** Issues certificates on approval (src/certificates, injected by the composition root); null: none configured. */
  certificateIssuer: CertificateIssuer | null;
}

function serviceOf(deps: StepDeps, app: q.ApplicationRow): CatalogService {
  // the version the application was created under
  return findService(deps.catalog, app.catalog_version, app.service_code).service;
}

/** The applicant submits a draft, or resubmits a returned application; every required upload must be there. */
export function submitDraft(ctx: ServiceContext, deps: StepDeps, input: StepInput): Promise<ApplicationView> {
  return runStep(ctx, input, { step: 'submitted', from: ['draft', 'returned'], to: 'submitted', end: 'applicant' }, async (trx, app) => {
    const uploaded = (await q.listMaterials(trx, app.id)).map((m) => m.material_code);
    const missing = missingUploads(serviceOf(deps, app), uploaded);
    if (missing.length > 0) throw materialsMissing(missing);
    return { changes: { submitted_at: ctx.clock.now(), missing_materials: null } };
  });
}

/** Acceptance (受理) at the accepting counter or the competent authority: the deadline starts, counted in working days. */
export function acceptApplication(ctx: ServiceContext, deps: StepDeps, input: StepInput): Promise<ApplicationView> {
  return runStep(ctx, input, { step: 'accepted', from: ['submitted'], to: 'accepted', end: 'either' }, async (_trx, app) => {
    const due = addWorkingDays(deps.calendar, chinaDate(ctx.clock.now()), app.deadline_working_days);
    return { changes: { deadline: due.date, deadline_provisional: due.provisional }, data: { deadline: due.date, provisional: due.provisional } };
  });
}

/** Returned for missing materials (一次性告知): the list of what is missing is required. */
export function returnApplication(ctx: ServiceContext, deps: StepDeps, input: StepInput & { missing: string[] }): Promise<ApplicationView> {
  return runStep(ctx, input, { step: 'returned', from: ['submitted'], to: 'returned', end: 'either' }, async (_trx, app) => {
    const codes = new Set(serviceOf(deps, app).materials.map((m) => m.code));
    const unknown = input.missing.filter((c) => !codes.has(c));
    if (input.missing.length === 0 || unknown.length > 0) {
      throw new AppError('VALIDATION_FAILED', `List the missing materials by their codes in the catalog (${[...codes].join(', ')}).`, {
        details: [{ field: 'missing', code: 'UNKNOWN_MATERIAL', message: unknown.length ? `not materials of this service: ${unknown.join(', ')}` : 'at least one' }],
      });
    }
    return { changes: { missing_materials: JSON.stringify(input.missing) }, data: { missing: input.missing } };
  });
}

export function startReview(ctx: ServiceContext, input: StepInput): Promise<ApplicationView> {
  return runStep(ctx, input, { step: 'put in review', from: ['accepted'], to: 'in_review', end: 'competent' });
}

export function rejectApplication(ctx: ServiceContext, input: StepInput & { reason: string }): Promise<ApplicationView> {
  return runStep(ctx, input, { step: 'rejected', from: ['in_review'], to: 'rejected', end: 'competent', decision: true }, async () => ({
    changes: { decision_reason: input.reason, decided_at: ctx.clock.now() },
  }));
}

export function withdrawApplication(ctx: ServiceContext, input: StepInput): Promise<ApplicationView> {
  return runStep(ctx, input, { step: 'withdrawn', from: ['draft', 'submitted', 'returned', 'accepted', 'in_review'], to: 'withdrawn', end: 'applicant' });
}

/** The minimum facts a certificate of `kind` certifies, read from the register (as the system: the competent officer was checked). */
async function certifiedFacts(ctx: ServiceContext, kind: CertificateKind, idNumber: string): Promise<Record<string, unknown>> {
  const view = await getPerson({ ...ctx, actor: SYSTEM_ACTOR }, idNumber);
  const p = view.person as unknown as Record<string, unknown>;
  const person = { idNumber: p.idNumber, name: p.name, sex: p.sex, birthDate: p.birthDate, ethnicity: p.ethnicity };
  const h = view.household;
  if (kind === 'deregistration') return { person, status: p.status, deathDate: p.deathDate ?? null };
  if (!h) throw new AppError('SERVICE_NOT_AVAILABLE', `${idNumber} has no current household to certify.`, { details: { reason: 'no_current_household' } });
  const household = { householdNumber: h.householdNumber, address: h.address, registrationAuthority: h.authority };
  if (kind === 'hukou_registration') return { person, household, relationshipToHead: h.relationship, registeredSince: h.since };
  return { household, members: h.members.map((m) => ({ name: m.name, idNumber: m.idNumber, relationship: m.relationship, relationshipName: m.relationshipName })) };
}

/**
 * The decision to approve, at the competent authority. A certificate is issued inside this
 * transaction (the issuer writes with `ctx.db` = the transaction): both commit or neither. A
 * register change (birth, death, correction) belongs to the register, whose operations own their
 * transaction: it runs right after, as an idempotent saga step keyed by the application
 * (`application:<id>:effect`), its result recorded on the application; `complete` retries a failed step.
 */
export async function approveApplication(ctx: ServiceContext, deps: StepDeps, input: StepInput): Promise<ApplicationView> {
  const approved = await runStep(ctx, input, { step: 'approved', from: ['in_review'], to: 'approved', end: 'competent', decision: true }, async (trx, app) => {
    const service = serviceOf(deps, app);
    let outcome: Record<string, unknown> = { effect: service.effect ?? 'none', status: 'done', approvedBy: ctx.actor.id };
    if (service.effect === 'certificate') {
      if (!deps.certificateIssuer) {
        throw new AppError('CERTIFICATE_ISSUER_UNAVAILABLE', 'No certificate issuer is configured in this process; the application stays in review.', { details: { serviceCode: service.code } });
      }
      const kind = service.certificateKind!;
      const facts = await certifiedFacts({ ...ctx, db: trx }, kind, app.subject_id_number);
      const cert = await deps.certificateIssuer(
        { ...ctx, db: trx },
        { kind, subjectIdNumber: app.subject_id_number, applicationId: app.id, issuingAuthorityId: app.competent_authority_id, facts },
      );
      outcome = { ...outcome, certificateNumber: cert.certificateNumber, certificateKind: kind };
    } else if (service.effect === 'birth' || service.effect === 'death' || service.effect === 'correction') {
      outcome = { ...outcome, status: 'pending' };
    }
    return { changes: { decided_at: ctx.clock.now(), outcome: JSON.stringify(outcome) }, data: { outcome } };
  });
  if (approved.outcome?.status !== 'pending') return approved;
  return runRegisterEffect(ctx, approved.trackingNumber!);
}

/**
 * The saga step of an approved birth, death or correction: the register's operation, keyed by the
 * application so a retry replays it, then its outcome recorded on the application (with an event).
 */
export async function runRegisterEffect(ctx: ServiceContext, trackingNumber: string): Promise<ApplicationView> {
  const app = await q.findByTrackingNumber(ctx.db, trackingNumber);
  if (!app) throw applicationNotFound(trackingNumber);
  const outcome = app.outcome ?? {};
  const effect = outcome.effect as string;
  // the register records the approving officer, whoever retries the step
  const effectCtx: ServiceContext = { ...ctx, actor: { ...ctx.actor, id: String(outcome.approvedBy ?? ctx.actor.id) } };
  const key = `application:${app.id}:effect`;
  const facts = app.facts;
  let result: Record<string, unknown>;
  try {
    const current = await getPerson({ ...ctx, actor: SYSTEM_ACTOR }, app.subject_id_number);
    if (effect === 'death') {
      const r = await registerDeath(effectCtx, { idNumber: app.subject_id_number, expectedVersion: current.person.version, deathDate: String(facts.deathDate), idempotencyKey: key });
      result = { status: 'done', register: { deathRegistered: true, idNumber: r.person.idNumber } };
    } else if (effect === 'correction') {
      const r = await correctParticulars(effectCtx, {
        idNumber: app.subject_id_number,
        expectedVersion: current.person.version,
        changes: facts.changes as Record<string, string>,
        reason: String(facts.reason),
        idempotencyKey: key,
      });
      result = { status: 'done', register: { idNumber: r.person.idNumber } };
    } else {
      const household = current.household;
      if (!household) throw new AppError('SERVICE_NOT_AVAILABLE', `${app.subject_id_number} has no current household to register the birth in.`, { details: { reason: 'no_current_household' } });
      const r = await registerBirth(effectCtx, {
        householdNumber: household.householdNumber,
        expectedVersion: household.version,
        name: String(facts.name),
        sex: String(facts.sex),
        birthDate: String(facts.birthDate),
        ethnicity: String(facts.ethnicity),
        relationship: String(facts.relationship),
        idempotencyKey: key,
      });
      result = { status: 'done', register: { idNumber: r.person.idNumber, householdNumber: r.household.householdNumber } };
    }
  } catch (e) {
    const err = e instanceof AppError ? { code: e.code, message: e.userMessage } : { code: 'INTERNAL', message: 'the register step failed' };
    result = { status: 'failed', error: err };
  }
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await q.lockByTrackingNumber(trx, trackingNumber);
    const after = await q.setOutcome(trx, locked!.id, JSON.stringify({ ...outcome, ...result }));
    await recordEffect(trx, ctx, locked!, after, result);
    return applicationView(after, chinaDate(ctx.clock.now()));
  });
}

async function recordEffect(trx: Db, ctx: ServiceContext, before: q.ApplicationRow, after: q.ApplicationRow, result: Record<string, unknown>): Promise<void> {
  await q.insertEvent(trx, {
    application_id: after.id,
    subject_person_id: after.subject_person_id,
    from_state: before.state,
    to_state: after.state,
    actor_id: ctx.actor.id,
    authority_id: ctx.actor.role === 'citizen' ? null : ctx.actor.authorityId,
    reason: null,
    data: JSON.stringify({ effect: result }),
  });
}

/** Completion (办结): the approved effect is done (a pending or failed register step is retried first), or the rejection handed over. */
export async function completeApplication(ctx: ServiceContext, input: StepInput): Promise<ApplicationView> {
  const trackingNumber = requireTrackingNumber(input.trackingNumber);
  const app = await q.findByTrackingNumber(ctx.db, trackingNumber);
  if (app?.state === 'approved' && app.outcome && ['pending', 'failed'].includes(String(app.outcome.status))) {
    const retried = await runRegisterEffect(ctx, trackingNumber);
    if (retried.outcome?.status !== 'done') {
      throw new AppError('APPLICATION_TRANSITION', `The register step of application ${trackingNumber} failed: ${JSON.stringify(retried.outcome?.error)}; fix the cause and complete again.`, {
        details: { trackingNumber, state: 'approved', effect: retried.outcome },
      });
    }
  }
  return runStep(ctx, input, { step: 'completed', from: ['approved'], to: 'completed', end: 'either' });
}

export { recordTransition };
