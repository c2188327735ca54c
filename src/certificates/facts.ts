import { Type, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { AppError, type FieldIssue } from '../platform/errors.ts';
import type { CertificateKind } from './payload.ts';

/**
 * The facts each kind of certificate may certify, and no more (PIPL Art. 6: minimum necessary).
 * ID numbers may be given in full or masked (`110105********002X`, src/access/masking.ts); a masked
 * one must agree with the subject's number where it shows digits.
 */
const Name = Type.String({ minLength: 1, maxLength: 60 });
const IdShown = Type.String({ pattern: '^[0-9]{6}[0-9*]{8}[0-9]{3}[0-9X]$' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Short = Type.String({ minLength: 1, maxLength: 60 });
const Address = Type.String({ minLength: 1, maxLength: 200 });

const common = {
  name: Name,
  idNumber: IdShown,
  issuingAuthorityName: Type.Optional(Short),
};

export const FACT_SCHEMAS: Record<CertificateKind, TSchema> = {
  hukou_registration: Type.Object(
    {
      ...common,
      sex: Type.Optional(Short),
      birthDate: Type.Optional(Day),
      householdNumber: Short,
      hukouAddress: Address,
      relationshipToHead: Type.Optional(Short),
      registeredSince: Type.Optional(Day),
    },
    { additionalProperties: false },
  ),
  family_relationship: Type.Object(
    {
      ...common,
      householdNumber: Short,
      hukouAddress: Type.Optional(Address),
      members: Type.Array(Type.Object({ name: Name, idNumber: IdShown, relationship: Short }, { additionalProperties: false }), { minItems: 1, maxItems: 30 }),
    },
    { additionalProperties: false },
  ),
  deregistration: Type.Object(
    {
      ...common,
      deregisteredOn: Day,
      reason: Short,
      householdNumber: Type.Optional(Short),
      hukouAddress: Type.Optional(Address),
    },
    { additionalProperties: false },
  ),
};

function agrees(shown: string, full: string): boolean {
  return [...shown].every((c, i) => c === '*' || c === full[i]);
}

/** Checks `facts` against the kind's schema and the subject's ID number; throws CERTIFICATE_FACTS_INVALID listing each field. */
export function assertFacts(kind: CertificateKind, subjectIdNumber: string, facts: Record<string, unknown>): void {
  const schema = FACT_SCHEMAS[kind];
  const issues: FieldIssue[] = [...Value.Errors(schema, facts)].slice(0, 20).map((e) => ({ field: `facts${e.instancePath.replace(/\//g, '.')}`, code: 'INVALID', message: e.message }));
  if (issues.length === 0 && !agrees(String(facts.idNumber), subjectIdNumber)) {
    issues.push({ field: 'facts.idNumber', code: 'NOT_THE_SUBJECT', message: 'is not the ID number of the person certified' });
  }
  if (issues.length > 0) throw new AppError('CERTIFICATE_FACTS_INVALID', `The facts do not fit a ${kind} certificate: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}.`, { details: issues });
}
