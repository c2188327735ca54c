import type { PurposeResolver } from '../access/index.ts';
import { findPermitOwner, findRegistrationOwner } from './residence.queries.ts';

/** `application:<id>` of a residence registration or a permit application: the person it concerns. */
export const residencePurposeResolver: PurposeResolver = {
  kind: 'residence registration or permit',
  async personsConcerned(db, id) {
    const personId = (await findRegistrationOwner(db, id)) ?? (await findPermitOwner(db, id));
    return personId === undefined ? null : [personId];
  },
};
