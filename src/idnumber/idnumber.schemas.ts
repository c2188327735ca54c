import { Type } from 'typebox';

const Issue = Type.Object({ code: Type.String(), message: Type.String() });

/** Result of checking a resident ID number; an invalid number is an answer, not an error. */
export const IdCheckResultSchema = Type.Object(
  {
    valid: Type.Boolean(),
    normalized: Type.String({ description: 'Trimmed, with a lowercase x made X' }),
    birthDate: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
    sex: Type.Union([Type.Literal('male'), Type.Literal('female'), Type.Null()]),
    addressCode: Type.Union([Type.String(), Type.Null()]),
    birthPlace: Type.Union([
      Type.Object({ province: Type.String(), prefecture: Type.Union([Type.String(), Type.Null()]), county: Type.String() }),
      Type.Null(),
    ]),
    errors: Type.Array(Issue, { description: 'ID_FORMAT, ID_BIRTH_DATE, ID_CHECKSUM, ID_ADDRESS_CODE: every one that applies' }),
    warnings: Type.Array(Issue),
  },
  { $id: 'IdCheckResult', title: 'IdCheckResult' },
);

export const IdUpgradeResultSchema = Type.Object({
  ok: Type.Boolean(),
  input: Type.String(),
  id18: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Issue, Type.Null()]),
});
