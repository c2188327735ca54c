import type { KeyObject } from 'node:crypto';
import type { Db } from '../platform/db/database.ts';
import { entryHash, GENESIS_HASH } from './chain.ts';
import * as q from './audit.queries.ts';
import { verifyCheckpoint } from './signing.ts';
import { anchorSignatureValid, newestAnchors, type Anchor } from './anchor.ts';

export type ProblemKind =
  | 'altered' // the entry's content no longer matches its hash
  | 'broken_link' // the entry does not carry its predecessor's hash (reordered, inserted, or a predecessor changed)
  | 'missing' // sequence numbers jump: entries were deleted
  | 'head_mismatch' // the chain head does not match the last entry (tail deleted or appended outside the writer), or is gone
  | 'checkpoint_mismatch' // a signed checkpoint names a hash the chain no longer has at that position
  | 'checkpoint_signature' // a checkpoint's signature does not verify
  | 'checkpoint_unknown_key' // a checkpoint is signed by a key the verifier does not know
  | 'anchor_truncated' // the log (or its head) ends before the newest anchor: entries were cut off
  | 'anchor_mismatch' // the entry at the anchored position no longer has the anchored hash
  | 'anchor_checkpoint_missing' // the signed checkpoint the anchor copies was deleted from the database
  | 'anchor_signature'; // an anchor given to verify does not verify with a trusted key

export interface Problem {
  chain: string;
  seq: number;
  kind: ProblemKind;
  message: string;
}

export interface ChainReport {
  chain: string;
  entries: number;
  /** Null when the chain has entries or checkpoints but its head row is gone. */
  headSeq: number | null;
  checkpoints: number;
  checkpointsVerified: number;
  lastCheckpointSeq: number | null;
  /** Sequence number of the newest anchor compared against, or null when none was given. */
  anchorSeq: number | null;
}

export interface VerifyReport {
  ok: boolean;
  chains: ChainReport[];
  problems: Problem[];
  /** The first sequence number at which something is wrong (lowest over all chains), or null. */
  firstBadSeq: number | null;
  /** Problems found in all; `problems` lists at most `maxProblems` entry-level ones plus every chain-level one. */
  problemCount: number;
}

const PAGE = 5000;

/**
 * Walks every chain from the start: recomputes each hash, checks each link and that sequence numbers
 * have no gaps, compares the head, and checks every signed checkpoint against the chain and the
 * trusted public keys. Finds any altered, inserted, deleted or reordered entry; an attacker who can
 * rewrite the database can only hide changes made after the last checkpoint (see docs/access.md).
 */
export async function verifyAccessLog(db: Db, opts: { publicKeys: Map<string, KeyObject>; maxProblems?: number; anchors?: Anchor[] }): Promise<VerifyReport> {
  const maxProblems = opts.maxProblems ?? 100;
  const problems: Problem[] = [];
  let problemCount = 0;
  let firstBadSeq: number | null = null;
  const chains: ChainReport[] = [];
  const heads = new Map((await q.listHeads(db)).map((h) => [h.chain, h]));
  // Anchors (anchor.ts) are kept outside the database: the newest one per chain says how long the
  // chain was at least, so a cut-off tail with its checkpoints deleted and the head moved back shows.
  const anchors = newestAnchors(opts.anchors ?? [], opts.publicKeys);
  for (const a of opts.anchors ?? []) {
    if (!anchorSignatureValid(a, opts.publicKeys)) {
      problemCount += 1;
      firstBadSeq = firstBadSeq === null ? a.seq : Math.min(firstBadSeq, a.seq);
      problems.push({ chain: a.chain, seq: a.seq, kind: 'anchor_signature', message: `the anchor at ${a.chain}:${a.seq} does not verify with a trusted key (key ${a.keyId})` });
    }
  }
  const chainNames = await q.listChains(db);
  // Chains are found from entries and checkpoints too: deleting a head row (no trigger can forbid
  // it, the writer updates it) must not take its chain out of the verification.
  for (const chain of [...new Set([...chainNames, ...anchors.keys()])].sort()) {
    const head = heads.get(chain) ?? null;
    const checkpoints = await q.listCheckpoints(db, chain);
    const anchor = anchors.get(chain) ?? null;
    const wanted = new Set([...checkpoints.map((c) => c.seq), ...(anchor ? [anchor.seq] : [])]);
    const hashAt = new Map<number, Buffer>();
    // Entry-level problems are capped (one edit early in a long chain would otherwise list every
    // later entry); chain-level ones (head, checkpoints) are always reported.
    let entryProblems = 0;
    const note = (p: Omit<Problem, 'chain'>, entryLevel: boolean) => {
      problemCount += 1;
      firstBadSeq = firstBadSeq === null ? p.seq : Math.min(firstBadSeq, p.seq);
      if (entryLevel && ++entryProblems > maxProblems) return;
      problems.push({ chain, ...p });
    };
    const add = (p: Omit<Problem, 'chain'>) => note(p, true);
    const addChainLevel = (p: Omit<Problem, 'chain'>) => note(p, false);
    let expected = 1;
    let prev: Buffer = GENESIS_HASH;
    let count = 0;
    let after = 0;
    for (;;) {
      const page = await q.pageOfChain(db, chain, after, PAGE);
      for (const e of page) {
        if (e.seq !== expected) add({ seq: expected, kind: 'missing', message: `entries ${expected}…${e.seq - 1} are missing` });
        if (!e.prevHash.equals(prev)) add({ seq: e.seq, kind: 'broken_link', message: `entry ${e.seq} does not carry the hash of entry ${e.seq - 1}` });
        if (!entryHash(e, chain, e.seq, e.prevHash).equals(e.hash)) add({ seq: e.seq, kind: 'altered', message: `entry ${e.seq} does not match its hash: its content was changed` });
        if (wanted.has(e.seq)) hashAt.set(e.seq, e.hash);
        prev = e.hash;
        expected = e.seq + 1;
        count += 1;
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.seq;
    }
    const lastSeq = expected - 1;
    if (!head) {
      addChainLevel({ seq: lastSeq + 1, kind: 'head_mismatch', message: `the chain has ${lastSeq} entries but no head row: it was deleted` });
    } else if (head.seq !== lastSeq || !head.hash.equals(prev)) {
      const seq = Math.min(head.seq, lastSeq) + 1;
      addChainLevel({ seq, kind: 'head_mismatch', message: `the chain head says ${head.seq} entries but the log ends at ${lastSeq}` });
    }
    let verified = 0;
    for (const c of checkpoints) {
      const key = opts.publicKeys.get(c.key_id);
      if (!key) addChainLevel({ seq: c.seq, kind: 'checkpoint_unknown_key', message: `checkpoint ${c.seq} is signed by key ${c.key_id}, which is not trusted here` });
      else if (!verifyCheckpoint(key, chain, c.seq, c.hash, c.signed_at, c.signature)) addChainLevel({ seq: c.seq, kind: 'checkpoint_signature', message: `checkpoint ${c.seq} has an invalid signature` });
      else verified += 1;
      const actual = hashAt.get(c.seq);
      if (!actual || !actual.equals(c.hash)) addChainLevel({ seq: c.seq, kind: 'checkpoint_mismatch', message: `the chain at ${c.seq} no longer has the hash signed in its checkpoint` });
    }
    if (anchor) {
      const actual = hashAt.get(anchor.seq);
      if (lastSeq < anchor.seq || (head?.seq ?? 0) < anchor.seq) {
        addChainLevel({ seq: Math.min(lastSeq, head?.seq ?? lastSeq) + 1, kind: 'anchor_truncated', message: `the anchor of ${anchor.signedAt} says the chain reached ${anchor.seq}, but the log ends at ${lastSeq} (head ${head?.seq ?? 'missing'}): entries were cut off` });
      } else if (!actual || actual.toString('hex') !== anchor.hash) {
        addChainLevel({ seq: anchor.seq, kind: 'anchor_mismatch', message: `entry ${anchor.seq} no longer has the hash anchored on ${anchor.signedAt}: the log was rewritten` });
      }
      if (!checkpoints.some((c) => c.seq === anchor.seq)) {
        addChainLevel({ seq: anchor.seq, kind: 'anchor_checkpoint_missing', message: `the checkpoint at ${anchor.seq} that the anchor copies is gone from the database` });
      }
    }
    chains.push({ chain, entries: count, headSeq: head?.seq ?? null, checkpoints: checkpoints.length, checkpointsVerified: verified, lastCheckpointSeq: checkpoints.at(-1)?.seq ?? null, anchorSeq: anchor?.seq ?? null });
  }
  return { ok: problemCount === 0, chains, problems: problems.sort((a, b) => a.seq - b.seq), firstBadSeq, problemCount };
}
