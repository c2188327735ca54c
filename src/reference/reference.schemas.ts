import { Type } from 'typebox';

export const DivisionCodeParam = Type.String({
  pattern: '^[0-9]{2}([0-9]{2}([0-9]{2})?)?$',
  description: 'GB/T 2260 code: 6 digits, or the 2/4-digit short form of a province/prefecture',
  examples: ['110105', '4403', '44'],
});

const Level = Type.Union([Type.Literal('province'), Type.Literal('prefecture'), Type.Literal('county')]);

export const DivisionSchema = Type.Object(
  {
    code: Type.String(),
    level: Level,
    parentCode: Type.Union([Type.String(), Type.Null()]),
    name: Type.String({ description: 'Latest name' }),
    validFrom: Type.String({ format: 'date' }),
    validTo: Type.Union([Type.String({ format: 'date' }), Type.Null()], { description: 'Exclusive end; null while in force' }),
    inForce: Type.Boolean(),
    addressable: Type.Boolean({ description: 'May appear as the address code of an ID number' }),
  },
  { $id: 'Division', title: 'Division' },
);

export const DivisionDetailSchema = Type.Object({
  code: Type.String(),
  level: Level,
  parentCode: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  validFrom: Type.String({ format: 'date' }),
  validTo: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  inForce: Type.Boolean(),
  addressable: Type.Boolean(),
  parent: Type.Union([Type.Object({ code: Type.String(), name: Type.String(), level: Level }), Type.Null()]),
  history: Type.Array(
    Type.Object({
      name: Type.String(),
      validFrom: Type.String({ format: 'date' }),
      validTo: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
      source: Type.String(),
    }),
  ),
});

export const CodeTableInfoSchema = Type.Object({
  name: Type.String(),
  standard: Type.String(),
  source: Type.String(),
  effectiveFrom: Type.String({ format: 'date' }),
  verifiedAt: Type.String({ format: 'date' }),
});

export const CodeTableSchema = Type.Object({
  name: Type.String(),
  standard: Type.String(),
  source: Type.String(),
  effectiveFrom: Type.String({ format: 'date' }),
  verifiedAt: Type.String({ format: 'date' }),
  entries: Type.Array(
    Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]), abbr: Type.Union([Type.String(), Type.Null()]) }),
  ),
});
