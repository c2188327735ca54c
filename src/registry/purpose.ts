import type { PurposeResolver } from '../access/index.ts';
import { personOfTransfer } from './transfer.queries.ts';

/** `application:<id>` of an interprovincial transfer: the person it concerns. */
export const transferPurposeResolver: PurposeResolver = {
  kind: 'transfer',
  async personsConcerned(db, id) {
    const personId = await personOfTransfer(db, id);
    return personId === undefined ? null : [personId];
  },
};
