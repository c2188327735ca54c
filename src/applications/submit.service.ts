import { assertActsFor, SYSTEM_ACTOR } from '../access/index.ts';
import { applyForCard, getIdentity } from '../idcards/index.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { withIdempotency } from '../platform/db/idempotency.ts';
import { AppError } from '../platform/errors.ts';
import { applyTransfer } from '../registry/index.ts';
import {
  applyForPermit,
  authorityPlace,
  findServicePerson,
  hukouPlaceOf,
  registerResidence,
  residenceRecordOfPerson,
  type AuthorityPlace,
  type ServicePerson,
} from '../residence/index.ts';
import * as q from './applications.queries.ts';
import type { ApplicationFlow, ApplicationScope } from './applications.tables.ts';
import { applicationView, type ApplicationView } from './applications.views.ts';
import { findService, type CatalogService, type ServiceCatalog } from './catalog.ts';
import { checkFacts, factString } from './facts.ts';
import { recordTransition } from './lifecycle.service.ts';
import { missingUploads } from './materials.service.ts';
import { newTrackingNumber } from './tracking-number.ts';

export interface SubmitApplicationInput {
  serviceCode: string;
  /** The person the application is about (for a citizen: their own number, or a deceased or deregistered relative's). */
  subjectIdNumber?: string | undefined;
  /** Counter submissions: the officer's own authority (or one under it). Online submissions name none. */
  acceptingAuthorityId?: string | undefined;
  /** The competent authority where the catalog says `destination`, or for a deregistered subject (no current hukou). */
  competentAuthorityId?: string | undefined;
  /** What the applicant states beyond what the register holds (a death date, the changes asked for…). */
  facts?: Record<string, unknown> | undefined;
  /** false: keep it as a draft (to upload materials first); default true. */
  submit?: boolean | undefined;
  idempotencyKey?: string | undefined;
}

/** Same-city, same-province or interprovincial, from where the application was made to where it is decided (hukou-domain §8). */
export function scopeBetween(from: AuthorityPlace, to: AuthorityPlace): ApplicationScope {
  if (from.provinceCode !== to.provinceCode) return 'interprovincial';
  return from.cityCode === to.cityCode ? 'local' : 'intraprovincial_cross_prefecture';
}

function notAvailable(service: CatalogService, reason: string, message: string): AppError {
  return new AppError('SERVICE_NOT_AVAILABLE', message, { details: { serviceCode: service.code, reason } });
}

/** Services a citizen applies for about someone else: reporting a death, a certificate of someone's deregistration. */
function aboutAnother(service: CatalogService): boolean {
  return service.effect === 'death' || service.certificateKind === 'deregistration';
}

/**
 * Whether the service fits the person (asked of the modules that know): a first ID card only for
 * someone who never had one (居民身份证法 Art. 7; asked of the ID card module), a deregistration
 * certificate only for someone deregistered, the other services for living registered persons.
 */
export async function assertServiceAvailable(ctx: ServiceContext, service: CatalogService, subject: ServicePerson & { status: string }): Promise<void> {
  if (service.certificateKind === 'deregistration') {
    if (subject.status === 'active') throw notAvailable(service, 'not_deregistered', `${subject.idNumber} is registered and active: a deregistration certificate is only for a cancelled hukou.`);
    return;
  }
  if (subject.status !== 'active') throw notAvailable(service, 'not_active', `${subject.idNumber} is not an active registered person (${subject.status}); this service is for living residents.`);
  if (service.flow === 'idcard' && service.flowOptions?.kind === 'first') {
    // yes/no about the card register only; the answer discloses no card's particulars
    const identity = await getIdentity({ ...ctx, actor: SYSTEM_ACTOR }, subject.idNumber);
    if (identity.idCard.cards.some((c) => c.kind === 'resident')) {
      throw notAvailable(service, 'first_card_already_issued', `${subject.idNumber} already has (or had) a resident ID card: apply for renewal (id_card_renewal) or reissue (id_card_reissue) instead.`);
    }
  }
}

async function competentPlace(trx: Db, service: CatalogService, subject: ServicePerson, input: SubmitApplicationInput, accepting: AuthorityPlace | null): Promise<AuthorityPlace> {
  if (service.competentAuthority === 'destination' || (service.competentAuthority === 'hukou_place' && subject.hukouAuthorityId === null && input.competentAuthorityId)) {
    if (!input.competentAuthorityId) {
      throw new AppError('VALIDATION_FAILED', `Service ${service.code} is decided at the destination: name it in competentAuthorityId.`, {
        details: [{ field: 'competentAuthorityId', code: 'REQUIRED', message: 'the destination authority (e.g. station-330106001)' }],
      });
    }
    return authorityPlace(trx, input.competentAuthorityId, 'competentAuthorityId');
  }
  if (service.competentAuthority === 'residence_place') {
    if (accepting) return accepting;
    throw new AppError('VALIDATION_FAILED', `Service ${service.code} is decided at the residence place: apply there at a counter (acceptingAuthorityId).`, {
      details: [{ field: 'acceptingAuthorityId', code: 'REQUIRED', message: 'the residence-place authority' }],
    });
  }
  return hukouPlaceOf(trx, subject);
}

/** Where an online application comes from, for its scope: the applicant's registered residence place, else the place that decides it. */
async function onlineOrigin(trx: Db, personId: number, today: string, competent: AuthorityPlace): Promise<AuthorityPlace> {
  const record = await residenceRecordOfPerson(trx, personId, today);
  const open = record.registrations.find((r) => r.endedOn === null);
  return open ? authorityPlace(trx, open.authorityId, 'residence') : competent;
}

/**
 * Creates an application for a catalog service (and submits it, unless `submit: false`). Online by
 * a citizen (for themselves, or for a deregistered or deceased relative), or at any counter by an
 * officer of that counter. Generic services start their lifecycle here; services with their own flow
 * (ID cards, residence, transfers) are passed to that flow and linked under a tracking number.
 * Idempotent by client key; a refusal writes nothing.
 */
export async function submitApplication(ctx: ServiceContext, catalog: ServiceCatalog, input: SubmitApplicationInput): Promise<ApplicationView> {
  const today = chinaDate(ctx.clock.now());
  const { service, version } = findService(catalog, today, input.serviceCode);
  if (service.applyVia) throw notAvailable(service, 'apply_via_flow', `${service.code} is done directly: ${service.applyVia}.`);
  const citizen = ctx.actor.role === 'citizen';
  if (citizen) {
    if (input.acceptingAuthorityId !== undefined) {
      throw new AppError('VALIDATION_FAILED', 'A citizen applies online: leave acceptingAuthorityId out (it is for counters).', {
        details: [{ field: 'acceptingAuthorityId', code: 'NOT_ALLOWED', message: 'online applications have no accepting counter' }],
      });
    }
    if (!service.fullyOnline) throw notAvailable(service, 'not_online', `${service.code} cannot be completed online (it needs a photo, fingerprints or a check at the counter); apply at any counter.`);
    if (ctx.actor.personId === undefined) throw notAvailable(service, 'account_not_linked', 'Your account is not linked to your record in the register; ask a police station to link it.');
  } else if (input.acceptingAuthorityId === undefined) {
    throw new AppError('VALIDATION_FAILED', 'An officer applies at their counter: name it in acceptingAuthorityId.', {
      details: [{ field: 'acceptingAuthorityId', code: 'REQUIRED', message: 'your authority (or one under it)' }],
    });
  } else {
    assertActsFor(ctx.actor, input.acceptingAuthorityId, 'acceptingAuthorityId');
  }
  const facts = input.facts ?? {};
  if (service.flow === 'generic') checkFacts(service, facts);

  return ctx.db.transaction().execute((trx) =>
    withIdempotency(trx, { actorId: ctx.actor.id, operation: 'submitApplication', key: input.idempotencyKey, request: input }, async () => {
      const subjectNumber = input.subjectIdNumber;
      if (!subjectNumber) {
        throw new AppError('VALIDATION_FAILED', 'Name the person the application is about in subjectIdNumber.', {
          details: [{ field: 'subjectIdNumber', code: 'REQUIRED', message: 'an 18-character ID number' }],
        });
      }
      const subject = await findServicePerson(trx, subjectNumber);
      if (citizen && subject.id !== ctx.actor.personId && !aboutAnother(service)) {
        throw notAvailable(service, 'not_own_record', `You apply online for yourself; ${service.code} for another person is applied for by them or at a counter.`);
      }
      await assertServiceAvailable(ctx, service, subject);
      const accepting = input.acceptingAuthorityId ? await authorityPlace(trx, input.acceptingAuthorityId, 'acceptingAuthorityId') : null;

      if (service.flow !== 'generic') {
        return delegate(ctx, trx, { service, version: version.effectiveFrom, subject, accepting: accepting!, facts, input, today });
      }
      const competent = await competentPlace(trx, service, subject, input, accepting);
      const origin = accepting ?? (await onlineOrigin(trx, citizen ? ctx.actor.personId! : subject.id, today, competent));
      const submit = input.submit ?? true;
      if (submit) {
        const missing = missingUploads(service, []);
        if (missing.length > 0) throw materialsMissing(missing);
      }
      const draft = await q.insertApplication(trx, {
        tracking_number: newTrackingNumber(),
        service_code: service.code,
        catalog_version: version.effectiveFrom,
        flow: 'generic',
        flow_ref: null,
        applicant_actor_id: ctx.actor.id,
        applicant_person_id: citizen ? ctx.actor.personId! : null,
        subject_person_id: subject.id,
        subject_id_number: subject.idNumber,
        channel: accepting ? 'counter' : 'online',
        accepting_authority_id: accepting?.id ?? null,
        competent_authority_id: competent.id,
        scope: scopeBetween(origin, competent),
        state: 'draft',
        facts: JSON.stringify(facts),
        deadline_working_days: service.deadlineWorkingDays,
        client_key: input.idempotencyKey ?? null,
      });
      await recordTransition(trx, ctx.actor, { from: null }, draft, null, { catalogVersion: version.effectiveFrom, legalBasis: service.legalBasis });
      if (!submit) return applicationView(draft, today);
      const submitted = await q.updateApplication(trx, draft.id, 'draft', { state: 'submitted', submitted_at: ctx.clock.now() });
      await recordTransition(trx, ctx.actor, { from: 'draft' }, submitted, null);
      return applicationView(submitted, today);
    }),
  );
}

export function materialsMissing(missing: string[]): AppError {
  return new AppError('MATERIALS_MISSING', `Upload the required materials first: ${missing.join(', ')} (materials the register or a department holds are fetched by reference).`, {
    details: { missing },
  });
}

interface DelegateArgs {
  service: CatalogService;
  version: string;
  subject: ServicePerson;
  accepting: AuthorityPlace;
  facts: Record<string, unknown>;
  input: SubmitApplicationInput;
  today: string;
}

/**
 * A service with its own flow: the owning module's operation does the work in its own transaction
 * (keyed by the client key, so a retry replays there too); the link row with the tracking number
 * is written after it. Lost between the two (a crash), a retry with the same key replays the flow's
 * answer and writes the link.
 */
async function delegate(ctx: ServiceContext, trx: Db, a: DelegateArgs): Promise<ApplicationView> {
  const key = a.input.idempotencyKey ? `${a.input.idempotencyKey}:flow` : undefined;
  let flowRef: string;
  let competentId: string;
  let deadline: string | null;
  let flowState: string;
  /** Where the case comes from, for the scope: the accepting counter, or for a transfer its origin (迁出地). */
  let origin = a.accepting;
  const flow = a.service.flow as Exclude<ApplicationFlow, 'generic'>;
  if (flow === 'idcard') {
    const reason = factString(a.facts, 'reason', false) as 'expiry' | 'name_change' | 'damage' | undefined;
    const card = await applyForCard(ctx, { idNumber: a.subject.idNumber, kind: a.service.flowOptions!.kind, reason, authorityId: a.accepting.id, idempotencyKey: key });
    flowRef = card.id;
    competentId = card.hukouAuthorityId;
    deadline = card.dueOn;
    flowState = card.state;
  } else if (flow === 'transfer') {
    const transfer = await applyTransfer(ctx, {
      idNumber: a.subject.idNumber,
      destinationHouseholdNumber: factString(a.facts, 'destinationHouseholdNumber', true)!,
      relationship: factString(a.facts, 'relationship', true)!,
      category: factString(a.facts, 'category', true) as 'job_transfer',
      reason: factString(a.facts, 'reason', false),
      idempotencyKey: key,
    });
    flowRef = transfer.id;
    competentId = transfer.destination.authorityId;
    deadline = transfer.dueOn;
    flowState = transfer.state;
    origin = await authorityPlace(trx, transfer.origin.authorityId, 'origin');
  } else if (flow === 'residence_registration') {
    const reg = await registerResidence(ctx, { idNumber: a.subject.idNumber, authorityId: a.accepting.id, address: factString(a.facts, 'address', true)!, idempotencyKey: key });
    flowRef = reg.id;
    competentId = reg.authorityId;
    deadline = reg.registeredOn;
    flowState = 'registered';
  } else {
    const permit = await applyForPermit(ctx, {
      idNumber: a.subject.idNumber,
      authorityId: a.accepting.id,
      basis: factString(a.facts, 'basis', true) as 'employment',
      basisEvidence: factString(a.facts, 'basisEvidence', true),
      idempotencyKey: key,
    });
    flowRef = permit.id;
    competentId = permit.issuingAuthorityId;
    deadline = permit.dueOn;
    flowState = permit.status;
  }
  const existing = await trx.selectFrom('application').select('tracking_number').where('flow', '=', flow).where('flow_ref', '=', flowRef).executeTakeFirst();
  if (existing) {
    const row = await q.findByTrackingNumber(trx, existing.tracking_number);
    return applicationView(row!, a.today, flowState);
  }
  const competent = await authorityPlace(trx, competentId, 'competent');
  const row = await q.insertApplication(trx, {
    tracking_number: newTrackingNumber(),
    service_code: a.service.code,
    catalog_version: a.version,
    flow,
    flow_ref: flowRef,
    applicant_actor_id: ctx.actor.id,
    applicant_person_id: null,
    subject_person_id: a.subject.id,
    subject_id_number: a.subject.idNumber,
    channel: 'counter',
    accepting_authority_id: a.accepting.id,
    competent_authority_id: competent.id,
    scope: scopeBetween(origin, competent),
    state: 'delegated',
    facts: JSON.stringify(a.facts),
    deadline_working_days: a.service.deadlineWorkingDays,
    deadline,
    client_key: a.input.idempotencyKey ?? null,
    submitted_at: ctx.clock.now(),
  });
  await recordTransition(trx, ctx.actor, { from: null }, row, null, { flow, flowRef });
  return applicationView(row, a.today, flowState);
}
