import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { escapeUnsafeText } from '../platform/text.ts';
import { chainEntries, type AccessEntry } from './chain.ts';
import * as q from './audit.queries.ts';
import { signCheckpoint, type CheckpointSigner } from './signing.ts';
import { anchorOf, appendAnchors, type Anchor } from './anchor.ts';

export interface WriterOptions {
  /** Chain this writer extends (one per writer node when the log is partitioned). */
  chain?: string;
  signer: CheckpointSigner | null;
  clock: Clock;
  /** Sign a checkpoint whenever the sequence crosses a multiple of this (default 1000) … */
  checkpointEvery?: number;
  /** … or when this long has passed since this writer's last checkpoint (default 5 minutes). */
  checkpointIntervalMs?: number;
  /** Largest batch committed at once (default 1000). */
  maxBatch?: number;
  /** Append-only file every signed checkpoint is also written to (anchor.ts); none when absent. */
  anchorFile?: string | null;
}

interface Pending {
  entry: AccessEntry;
  resolve: (seq: number) => void;
  reject: (e: unknown) => void;
}

/**
 * Appends access entries durably with group commit. `append` resolves only after the transaction
 * holding the entry has committed. While one batch commits, new entries queue; the next transaction
 * takes them all, so under load one commit (one fsync) serves many reads.
 *
 * The chain head row is locked `FOR UPDATE` inside each batch transaction, so writers in several
 * processes serialise on it: sequence numbers stay gapless and every entry links to exactly one
 * predecessor (no forks). Checkpoints are signed in the same transaction as the entries they cover.
 */
export class AccessLogWriter {
  private readonly chain: string;
  private readonly every: number;
  private readonly intervalMs: number;
  private readonly maxBatch: number;
  private queue: Pending[] = [];
  private draining: Promise<void> | null = null;
  private lastCheckpointAt: number;
  private lastCheckpointSeq = 0;
  /**
   * The head as this writer last committed it: the next append chains onto it in one round trip
   * (a stale one — another writer moved on — only sends that append down the locking path).
   */
  private head: { seq: number; hash: Buffer } | null = null;
  private closed = false;
  /** Signs a checkpoint when entries have waited `intervalMs` without one (no traffic to trigger it). */
  private readonly timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly db: Db,
    private readonly opts: WriterOptions,
  ) {
    this.chain = opts.chain ?? 'main';
    this.every = opts.checkpointEvery ?? 1000;
    this.intervalMs = opts.checkpointIntervalMs ?? 5 * 60_000;
    this.maxBatch = opts.maxBatch ?? 1000;
    this.lastCheckpointAt = opts.clock.now().getTime();
    if (opts.signer) {
      this.timer = setInterval(() => void this.checkpointIfDue().catch(() => undefined), this.intervalMs);
      this.timer.unref();
    }
  }

  /**
   * Signs a checkpoint at the head when this writer has written past its last one and `intervalMs`
   * has passed: at least every `checkpointEvery` entries or `checkpointIntervalMs`, traffic or not.
   */
  async checkpointIfDue(): Promise<number | null> {
    if (!this.opts.signer || this.closed || this.draining) return null;
    if ((this.head?.seq ?? 0) <= this.lastCheckpointSeq) return null;
    if (this.opts.clock.now().getTime() - this.lastCheckpointAt < this.intervalMs) return null;
    return this.signNow();
  }

  private async signNow(): Promise<number | null> {
    const now = this.opts.clock.now();
    const signed = await signHead(this.db, this.opts.signer!, this.chain, now, this.opts.anchorFile ?? null);
    this.lastCheckpointAt = now.getTime();
    if (signed) this.lastCheckpointSeq = Math.max(this.lastCheckpointSeq, signed.seq);
    return signed?.seq ?? null;
  }

  /** Resolves with the entry's sequence number once it is committed; rejects if the batch failed. */
  append(entry: AccessEntry): Promise<number> {
    if (this.closed) return Promise.reject(new Error('the access log writer is closed'));
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ entry: storable(entry), resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      // entries queued after the last loop check but before this callback ran
      if (this.queue.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const first = await this.commit(batch.map((p) => p.entry));
        batch.forEach((p, i) => p.resolve(first + i));
      } catch (e) {
        if (batch.length === 1) batch[0]!.reject(e);
        // One entry the database refuses must not fail the reads of everyone else in its batch:
        // commit them one by one, so only the entry at fault (if any) is rejected.
        else for (const p of batch) await this.commitAlone(p);
      }
    }
  }

  private async commitAlone(p: Pending): Promise<void> {
    try {
      p.resolve(await this.commit([p.entry]));
    } catch (e) {
      p.reject(e);
    }
  }

  private async commit(entries: AccessEntry[]): Promise<number> {
    const seen = this.head;
    if (seen && !this.checkpointDue(seen.seq, seen.seq + entries.length)) {
      const chained = chainEntries(entries, this.chain, seen.seq, seen.hash);
      if (await q.appendAtHead(this.db, this.chain, seen, chained)) {
        const last = chained[chained.length - 1]!;
        this.head = { seq: last.seq, hash: last.hash };
        return seen.seq + 1;
      }
      // another writer moved the head since: take the lock and chain onto where it is now
    }
    let anchor: Anchor | null = null;
    const first = await this.db.transaction().execute(async (trx) => {
      const head = await q.lockHead(trx, this.chain);
      const chained = chainEntries(entries, this.chain, head.seq, head.hash);
      await q.appendEntries(trx, this.chain, chained);
      const last = chained[chained.length - 1]!;
      const now = this.opts.clock.now();
      if (this.opts.signer && this.checkpointDue(head.seq, last.seq)) {
        const checkpoint = { chain: this.chain, seq: last.seq, hash: last.hash, signedAt: now, keyId: this.opts.signer.keyId, signature: signCheckpoint(this.opts.signer, this.chain, last.seq, last.hash, now) };
        await q.insertCheckpoint(trx, checkpoint);
        anchor = anchorOf(checkpoint);
        this.lastCheckpointAt = now.getTime();
        this.lastCheckpointSeq = last.seq;
      }
      // set before the commit: should the commit fail, the next fast-path append finds the head
      // elsewhere and takes this path again, so a head that never committed is never built on
      this.head = { seq: last.seq, hash: last.hash };
      return head.seq + 1;
    });
    // after the commit: an anchor never names a checkpoint the database does not have
    if (anchor && this.opts.anchorFile) appendAnchors(this.opts.anchorFile, [anchor]);
    return first;
  }

  /** A checkpoint is signed when the sequence crosses a multiple of `every`, or `intervalMs` has passed. */
  private checkpointDue(fromSeq: number, toSeq: number): boolean {
    if (!this.opts.signer) return false;
    const crossed = Math.floor(fromSeq / this.every) !== Math.floor(toSeq / this.every);
    return crossed || this.opts.clock.now().getTime() - this.lastCheckpointAt >= this.intervalMs;
  }

  /** Waits for queued entries, then signs a checkpoint at the head if this writer wrote past the last one. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    while (this.draining) await this.draining;
    if (this.opts.signer && (this.head?.seq ?? 0) > this.lastCheckpointSeq) await this.signNow();
  }
}

/**
 * The entry as it can be stored: NUL and unpaired surrogates (a probe's `GET /persons/%00`) are
 * written as `\\uXXXX` escapes, so the refused probe is logged like any other request instead of
 * failing the insert (PostgreSQL 22P05/22021). Escaped before chaining: the hash covers what is stored.
 */
function storable(e: AccessEntry): AccessEntry {
  return {
    ...e,
    actorId: escapeUnsafeText(e.actorId),
    role: escapeUnsafeText(e.role),
    authorityId: escapeUnsafeText(e.authorityId),
    purpose: e.purpose === null ? null : escapeUnsafeText(e.purpose),
    action: escapeUnsafeText(e.action),
    subjectRef: escapeUnsafeText(e.subjectRef),
    fields: e.fields.map(escapeUnsafeText),
    outcome: escapeUnsafeText(e.outcome),
    requestId: e.requestId === null ? null : escapeUnsafeText(e.requestId),
  };
}

/** Signs a checkpoint at the current head of a chain (`hukou audit checkpoint`, writer shutdown). */
export async function signHead(db: Db, signer: CheckpointSigner, chain: string, at: Date, anchorFile: string | null = null): Promise<{ seq: number } | null> {
  const checkpoint = await db.transaction().execute(async (trx) => {
    const head = await q.lockHead(trx, chain);
    if (head.seq === 0) return null;
    const c = { chain, seq: head.seq, hash: head.hash, signedAt: at, keyId: signer.keyId, signature: signCheckpoint(signer, chain, head.seq, head.hash, at) };
    await q.insertCheckpoint(trx, c);
    return c;
  });
  if (checkpoint && anchorFile) appendAnchors(anchorFile, [anchorOf(checkpoint)]);
  return checkpoint ? { seq: checkpoint.seq } : null;
}
