import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { verifyCheckpoint } from './signing.ts';

/**
 * Anchors of the access-log chain outside the database it protects (issue #11). Every signed
 * checkpoint is also appended, as one JSON line, to `<dataDir>/audit-anchor.jsonl` (opened append-only,
 * fsynced before the writer moves on), and `hukou audit checkpoint export` copies the newest one to a
 * witness file kept elsewhere. Someone who can rewrite the database — delete entries and the
 * checkpoints above them, move the head back — cannot reach that file or the witness, so
 * `hukou audit verify --anchor <file>` finds the log shorter than (or different from) the anchor.
 */
export const ANCHOR_FILE = 'audit-anchor.jsonl';

export interface Anchor {
  chain: string;
  seq: number;
  /** Hex SHA-256 of the entry at `seq`. */
  hash: string;
  signedAt: string;
  keyId: string;
  /** Base64 Ed25519 signature over the checkpoint message (signing.ts). */
  signature: string;
}

export function anchorOf(c: { chain: string; seq: number; hash: Buffer; signedAt: Date; keyId: string; signature: Buffer }): Anchor {
  return { chain: c.chain, seq: c.seq, hash: c.hash.toString('hex'), signedAt: c.signedAt.toISOString(), keyId: c.keyId, signature: c.signature.toString('base64') };
}

/** Appends anchors as JSON lines and fsyncs the file (and, when it was new, its directory). */
export function appendAnchors(file: string, anchors: Anchor[]): void {
  if (anchors.length === 0) return;
  const created = !existsSync(file);
  const fd = openSync(file, 'a', 0o600);
  try {
    writeSync(fd, anchors.map((a) => `${JSON.stringify(a)}\n`).join(''));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (created) {
    const dir = openSync(dirname(file), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}

function isAnchor(v: unknown): v is Anchor {
  const a = v as Anchor;
  return (
    !!a && typeof a.chain === 'string' && Number.isSafeInteger(a.seq) && a.seq > 0 && /^[0-9a-f]{64}$/.test(a.hash) &&
    typeof a.signedAt === 'string' && typeof a.keyId === 'string' && typeof a.signature === 'string'
  );
}

/**
 * The anchors of a file (an anchor file or a witness). A line cut short by a crash mid-append is
 * skipped; any other unreadable line is reported, not silently dropped.
 */
export function readAnchors(file: string): { anchors: Anchor[]; unreadableLines: number[] } {
  const lines = readFileSync(file, 'utf8').split('\n');
  const anchors: Anchor[] = [];
  const unreadableLines: number[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const parsed: unknown = JSON.parse(line);
      if (isAnchor(parsed)) anchors.push(parsed);
      else unreadableLines.push(i + 1);
    } catch {
      if (i !== lines.length - 1) unreadableLines.push(i + 1);
    }
  });
  return { anchors, unreadableLines };
}

/** The newest (highest sequence number) anchor of each chain whose signature verifies with a trusted key. */
export function newestAnchors(anchors: Anchor[], publicKeys: Map<string, KeyObject>): Map<string, Anchor> {
  const out = new Map<string, Anchor>();
  for (const a of anchors) {
    if (!anchorSignatureValid(a, publicKeys)) continue;
    const seen = out.get(a.chain);
    if (!seen || a.seq > seen.seq) out.set(a.chain, a);
  }
  return out;
}

export function anchorSignatureValid(a: Anchor, publicKeys: Map<string, KeyObject>): boolean {
  const key = publicKeys.get(a.keyId);
  if (!key) return false;
  try {
    return verifyCheckpoint(key, a.chain, a.seq, Buffer.from(a.hash, 'hex'), new Date(a.signedAt), Buffer.from(a.signature, 'base64'));
  } catch {
    return false;
  }
}
