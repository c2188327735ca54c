import { sql, type SqlBool } from 'kysely';
import { authorityInJurisdiction, authorityInJurisdictionSql, jurisdictionOf, type Actor, type PersonVisibilityRule } from '../access/index.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Issue #4 §2, "an application assigned to that authority concerns them (then only for that
 * application's purpose)", for ID cards handled anywhere (跨省通办): while an application is open
 * (accepted or confirmed), the person is visible to the authorities that accepted it or must confirm
 * it (the hukou place), when the officer states `application:<that application's id>` as purpose.
 */
export const idCardVisibilityRule: PersonVisibilityRule = {
  name: 'id_card_application',
  clause: ({ personId, actor, purpose }) => {
    if (purpose?.kind !== 'application' || !UUID.test(purpose.ref)) return sql<SqlBool>`false`;
    return sql<SqlBool>`exists (
      select 1 from id_card_application vis_ia
      where vis_ia.id = ${purpose.ref}::uuid and vis_ia.person_id = ${personId} and vis_ia.state in ('accepted', 'confirmed')
        and (${authorityInJurisdictionSql(actor, sql.ref('vis_ia.accepting_authority_id'))}
             or ${authorityInJurisdictionSql(actor, sql.ref('vis_ia.hukou_authority_id'))}))`;
  },
};


/** Which end acts: the accepting authority (delivery) or the hukou place (confirmation, refusal). */
export type ApplicationEnd = 'accepting' | 'hukou';

/**
 * Whether the actor sees an application: an officer of either end (accepting authority or hukou
 * place, or an authority above them), the person it concerns, the local operator and system jobs.
 */
export function applicationVisibleTo(actor: Actor, app: { person_id: number; accepting_authority_id: string; hukou_authority_id: string }): boolean {
  const j = jurisdictionOf(actor);
  if (j.kind === 'self') return j.personId === app.person_id;
  return authorityInJurisdiction(actor, app.accepting_authority_id) || authorityInJurisdiction(actor, app.hukou_authority_id);
}

/** Whether the actor acts for the given end of the application. */
export function actsForEnd(actor: Actor, app: { accepting_authority_id: string; hukou_authority_id: string }, end: ApplicationEnd): boolean {
  return authorityInJurisdiction(actor, end === 'accepting' ? app.accepting_authority_id : app.hukou_authority_id);
}
