import { describe, expect, it } from 'vitest';
import { chainEntries, entryHash, GENESIS_HASH, type AccessEntry } from './chain.ts';
import { generateSigner, parseSigningKey, signCheckpoint, verifyCheckpoint } from './signing.ts';
import { returnedFields } from './returned-fields.ts';

const entry = (n: number): AccessEntry => ({
  at: new Date(Date.UTC(2025, 0, 1, 0, 0, n)),
  actorId: 'user:1',
  accountId: 1,
  role: 'registration_officer',
  authorityId: 'county-110105',
  purpose: 'case:2025-001',
  action: 'person.read',
  subjectKind: 'person',
  subjectRef: '11010519491231002X',
  personIds: [n],
  householdIds: [],
  fields: ['idNumber', 'name'],
  outcome: 'returned',
  requestId: `r${n}`,
});

describe('hash chain', () => {
  it('numbers entries consecutively after the head and links each to the previous hash', () => {
    const chained = chainEntries([entry(1), entry(2), entry(3)], 'main', 0, GENESIS_HASH);
    expect(chained.map((c) => c.seq)).toEqual([1, 2, 3]);
    expect(chained[0]!.prevHash).toEqual(GENESIS_HASH);
    expect(chained[1]!.prevHash).toEqual(chained[0]!.hash);
    expect(chained[2]!.prevHash).toEqual(chained[1]!.hash);
    const continued = chainEntries([entry(4)], 'main', 3, chained[2]!.hash);
    expect(continued[0]!.seq).toBe(4);
  });

  it('changes the hash when any field, the position, the chain or the predecessor changes', () => {
    const base = entryHash(entry(1), 'main', 1, GENESIS_HASH);
    const variants: AccessEntry[] = [
      { ...entry(1), at: new Date(entry(1).at.getTime() + 1) },
      { ...entry(1), actorId: 'user:2' },
      { ...entry(1), accountId: null },
      { ...entry(1), purpose: null },
      { ...entry(1), outcome: 'NOT_FOUND' },
      { ...entry(1), fields: ['idNumber'] },
      { ...entry(1), personIds: [2] },
      { ...entry(1), householdIds: [1] },
      { ...entry(1), subjectRef: '110105194912310038' },
    ];
    for (const v of variants) expect(entryHash(v, 'main', 1, GENESIS_HASH).equals(base)).toBe(false);
    expect(entryHash(entry(1), 'main', 2, GENESIS_HASH).equals(base)).toBe(false);
    expect(entryHash(entry(1), 'other', 1, GENESIS_HASH).equals(base)).toBe(false);
    expect(entryHash(entry(1), 'main', 1, Buffer.alloc(32, 1)).equals(base)).toBe(false);
    expect(entryHash(entry(1), 'main', 1, GENESIS_HASH).equals(base)).toBe(true);
  });
});

describe('checkpoint signatures (Ed25519)', () => {
  it('verify with the signing key, fail for another key or another hash', () => {
    const signer = generateSigner();
    const other = generateSigner();
    const hash = Buffer.alloc(32, 7);
    const at = new Date('2025-01-01T00:00:00Z');
    const sig = signCheckpoint(signer, 'main', 10, hash, at);
    expect(verifyCheckpoint(signer.publicKey, 'main', 10, hash, at, sig)).toBe(true);
    expect(verifyCheckpoint(other.publicKey, 'main', 10, hash, at, sig)).toBe(false);
    expect(verifyCheckpoint(signer.publicKey, 'main', 11, hash, at, sig)).toBe(false);
    expect(verifyCheckpoint(signer.publicKey, 'main', 10, Buffer.alloc(32, 8), at, sig)).toBe(false);
  });

  it('loads keys from PEM and base64 PKCS#8, and refuses other keys', () => {
    const signer = generateSigner();
    const pem = signer.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const der = (signer.privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64');
    expect(parseSigningKey(pem).keyId).toBe(signer.keyId);
    expect(parseSigningKey(der).keyId).toBe(signer.keyId);
    expect(() => parseSigningKey('not a key')).toThrow(/Ed25519/);
  });
});

describe('returnedFields', () => {
  const Person = {
    type: 'object',
    properties: {
      idNumber: { type: 'string' },
      name: { type: 'string' },
      household: { anyOf: [{ type: 'null' }, { $ref: 'Household' }] },
      formerNames: { type: 'array', items: { type: 'string' } },
    },
  };
  const Household = { type: 'object', properties: { number: { type: 'string' }, members: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, idNumber: { type: 'string' } } } } } };
  const resolve = (id: string) => (id === 'Household' ? Household : undefined);

  it('lists the fields the schema lets through, with nested paths and [] for arrays', () => {
    const payload = {
      idNumber: '1',
      name: 'n',
      secret: 'dropped by the serializer',
      formerNames: ['a'],
      household: { number: '9', members: [{ name: 'm', idNumber: '2', extra: 1 }], extra: 2 },
    };
    expect(returnedFields(payload, Person, resolve)).toEqual(['formerNames[]', 'household.members[].idNumber', 'household.members[].name', 'household.number', 'idNumber', 'name']);
  });

  it('counts a null as returned but not an absent field', () => {
    expect(returnedFields({ idNumber: '1', household: null }, Person, resolve)).toEqual(['household', 'idNumber']);
  });
});
