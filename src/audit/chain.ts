import { createHash } from 'node:crypto';

/** One access to personal data, as the caller describes it (before it is placed in the chain). */
export interface AccessEntry {
  at: Date;
  actorId: string;
  accountId: number | null;
  role: string;
  authorityId: string;
  purpose: string | null;
  /** The operation, e.g. `person.read`, `household.read`, `person.search`. */
  action: string;
  subjectKind: 'person' | 'household' | 'search';
  /** What was asked for: an ID number, a household number, a search query. */
  subjectRef: string;
  /** Persons and households whose data was returned (empty for refusals). */
  personIds: number[];
  householdIds: number[];
  /** Field names returned (`name`, `members[].idNumber` …). */
  fields: string[];
  /** `returned`, or the error code of the refusal (NOT_FOUND, FORBIDDEN, PURPOSE_REQUIRED …). */
  outcome: string;
  requestId: string | null;
}

export interface ChainedEntry extends AccessEntry {
  chain: string;
  seq: number;
  prevHash: Buffer;
  hash: Buffer;
}

export const GENESIS_HASH = Buffer.alloc(32);
const DOMAIN = 'hukou-access-log/1\n';

/**
 * SHA-256 over a canonical JSON array of every field in a fixed order, the chain position and the
 * previous hash: changing any field, the sequence number or the predecessor changes the hash.
 */
export function entryHash(e: AccessEntry, chain: string, seq: number, prevHash: Buffer): Buffer {
  const canonical = JSON.stringify([
    chain,
    seq,
    e.at.toISOString(),
    e.actorId,
    e.accountId,
    e.role,
    e.authorityId,
    e.purpose,
    e.action,
    e.subjectKind,
    e.subjectRef,
    e.personIds,
    e.householdIds,
    e.fields,
    e.outcome,
    e.requestId,
    prevHash.toString('hex'),
  ]);
  return createHash('sha256').update(DOMAIN).update(canonical).digest();
}

/** Places entries after (headSeq, headHash): consecutive sequence numbers, each linked to the previous. */
export function chainEntries(entries: AccessEntry[], chain: string, headSeq: number, headHash: Buffer): ChainedEntry[] {
  const out: ChainedEntry[] = [];
  let prev = headHash;
  let seq = headSeq;
  for (const e of entries) {
    seq += 1;
    const hash = entryHash(e, chain, seq, prev);
    out.push({ ...e, chain, seq, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}
