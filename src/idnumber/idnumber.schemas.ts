import { Type } from 'typebox';

const Issue = Type.Object({ code: Type.String(), message: Type.String() });

/** Result of checking a resident ID number; an invalid number is an answer, not an error. */
export const IdCheckResultSchema = Type.Object(
  {
    valid: Type.Boolean(),
    normalized: Type.String({ description: 'Trimmed, with a lowercase x made X' }),
    birthDate: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
    sex: Type.Union([Type.Literal('1'), Type.Literal('2'), Type.Null()], { description: 'GB/T 2261.1 code, as everywhere in the API: 1 male, 2 female (odd / even sequence code)' }),
    sexName: Type.Union([Type.Literal('男'), Type.Literal('女'), Type.Null()], { description: 'Its name in the code table (GET /api/v1/codes/sex)' }),
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
