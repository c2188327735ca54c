import type { PurposeResolver } from '../access/index.ts';
import { personOfApplication } from './idcards.queries.ts';

/** `application:<id>` of an ID card application: the person it concerns. */
export const idCardPurposeResolver: PurposeResolver = {
  kind: 'ID card application',
  async personsConcerned(db, id) {
    const personId = await personOfApplication(db, id);
    return personId === undefined ? null : [personId];
  },
};
