import { authorityInJurisdiction, jurisdictionOf, type Actor } from '../access/index.ts';
import { AppError } from '../platform/errors.ts';
import type { ApplicationRow } from './applications.queries.ts';

/**
 * Who sees an application: the applicant and the person it concerns (citizens), an officer of the
 * accepting or the competent authority or one above them, the local operator and system jobs.
 * Anyone else is told APPLICATION_NOT_FOUND, as for a number nobody holds.
 */
export function applicationVisibleTo(actor: Actor, app: Pick<ApplicationRow, 'subject_person_id' | 'applicant_person_id' | 'applicant_actor_id' | 'accepting_authority_id' | 'competent_authority_id'>): boolean {
  const j = jurisdictionOf(actor);
  if (j.kind === 'self') return app.applicant_actor_id === actor.id || (j.personId !== null && (j.personId === app.subject_person_id || j.personId === app.applicant_person_id));
  if (j.kind !== 'area') return false;
  return authorityInJurisdiction(actor, app.competent_authority_id) || (app.accepting_authority_id !== null && authorityInJurisdiction(actor, app.accepting_authority_id));
}

export function applicationNotFound(trackingNumber: string): AppError {
  return new AppError('APPLICATION_NOT_FOUND', `No application you may see has tracking number ${trackingNumber}.`, { details: { trackingNumber } });
}

/** Which end takes a step: the competent authority (review, decisions), either end (acceptance, completion), or the applicant (submission, withdrawal). */
export type StepEnd = 'competent' | 'either' | 'applicant';

export function assertActsForStep(actor: Actor, app: ApplicationRow, end: StepEnd, step: string): void {
  if (!applicationVisibleTo(actor, app)) throw applicationNotFound(app.tracking_number);
  const ok =
    end === 'applicant'
      ? app.applicant_actor_id === actor.id || actor.role === 'operator' || actor.role === 'system' || (actor.role === 'citizen' && actor.personId !== undefined && actor.personId === app.applicant_person_id)
      : end === 'competent'
        ? actor.role !== 'citizen' && authorityInJurisdiction(actor, app.competent_authority_id)
        : actor.role !== 'citizen' && (authorityInJurisdiction(actor, app.competent_authority_id) || (app.accepting_authority_id !== null && authorityInJurisdiction(actor, app.accepting_authority_id)));
  if (ok) return;
  const who = end === 'applicant' ? 'the applicant' : end === 'competent' ? `the competent authority (${app.competent_authority_id})` : `the accepting or the competent authority`;
  throw new AppError('FORBIDDEN', `Application ${app.tracking_number} is ${step} by ${who}.`, { details: { trackingNumber: app.tracking_number, step, by: end } });
}
