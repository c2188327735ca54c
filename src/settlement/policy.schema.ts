import { Type, type Static } from 'typebox';

/**
 * The shape of a settlement policy file (data/settlement/policies/<city>/<scheme>/<effectiveFrom>.json
 * and data/settlement/defaults/<class>/<effectiveFrom>.json). The rule model follows the brief §6:
 * Indicator { id, group, kind: perYear|tiered|flag|perUnit, points, cap?, exclusiveGroup?,
 * countAfterYears?, sign } plus eligibility[], vetoes[], threshold?, annualQuota? and an ordered
 * tieBreak[]. Every rule carries the article it comes from and how well it was verified
 * (V checked, V2 secondary reproduction, M from memory, ? unknown or conflicting).
 */
export const Verification = Type.Union([Type.Literal('V'), Type.Literal('V2'), Type.Literal('M'), Type.Literal('?')]);
const Text = Type.String({ minLength: 1, maxLength: 400 });
const Id = Type.String({ pattern: '^[a-z][a-zA-Z0-9_-]{0,40}$' });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Cited = { article: Text, verification: Verification, note: Type.Optional(Text) };

const Scalar = Type.Union([Type.Number(), Type.Boolean(), Type.String({ minLength: 1, maxLength: 40 })]);
const Op = Type.Union([Type.Literal('>='), Type.Literal('>'), Type.Literal('<='), Type.Literal('<'), Type.Literal('='), Type.Literal('!=')]);

export const Comparison = Type.Object({ id: Id, label: Text, fact: Type.String(), op: Op, value: Scalar, ...Cited }, { additionalProperties: false });
export type Comparison = Static<typeof Comparison>;
/** Any one of the alternatives suffices (e.g. lawful stable employment OR lawful stable residence). */
export const AnyOf = Type.Object({ id: Id, label: Text, anyOf: Type.Array(Comparison, { minItems: 1 }), ...Cited }, { additionalProperties: false });
export type AnyOf = Static<typeof AnyOf>;
export const Condition = Type.Union([Comparison, AnyOf]);
export type Condition = Static<typeof Condition>;

const Points = Type.Number({ minimum: 0, maximum: 10000 });
const Tier = Type.Object(
  {
    /** Applies when the fact is ≥ min and ≤ max (numbers), or equals `equals` (levels, flags). */
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
    equals: Type.Optional(Scalar),
    /** Points of the tier, or base + perUnit × (value − from) (e.g. age: −4 a year above 45). */
    points: Type.Number({ minimum: -10000, maximum: 10000 }),
    perUnit: Type.Optional(Type.Number({ minimum: -10000, maximum: 10000 })),
    from: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
);
export type Tier = Static<typeof Tier>;

export const Indicator = Type.Object(
  {
    id: Id,
    label: Text,
    kind: Type.Union([Type.Literal('perYear'), Type.Literal('perUnit'), Type.Literal('tiered'), Type.Literal('flag')]),
    fact: Type.String(),
    /** Points per year / unit, or of the flag (tiered: see tiers). */
    points: Type.Optional(Points),
    tiers: Type.Optional(Type.Array(Tier, { minItems: 1 })),
    /** `-` for deductions (points subtracted after the additions; the total never goes below zero when floorZero). */
    sign: Type.Union([Type.Literal('+'), Type.Literal('-')]),
    /** At most this many points from the indicator. */
    cap: Type.Optional(Type.Number()),
    /** A lower bound of the indicator's own points (e.g. age points floor 0). */
    floor: Type.Optional(Type.Number()),
    /** Only the best-scoring indicator of the same exclusive group counts (groups[].exclusive). */
    group: Type.Optional(Id),
    /** Counted only once the fact `countAfterFact` (default: its own fact) reaches this many years. */
    countAfterYears: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    countAfterFact: Type.Optional(Type.String()),
    /** Units counted are at most this fact's value (e.g. residence years capped at insurance years), shared in listed order by indicators with the same unitPool. */
    unitsCappedBy: Type.Optional(Type.String()),
    unitPool: Type.Optional(Id),
    /** Counts toward the ranking basis (Guangzhou ranks by base-indicator points). */
    base: Type.Optional(Type.Boolean()),
    ...Cited,
  },
  { additionalProperties: false },
);
export type Indicator = Static<typeof Indicator>;

export const Group = Type.Object({ id: Id, label: Text, exclusive: Type.Boolean(), cap: Type.Optional(Type.Number()), ...Cited }, { additionalProperties: false });
export type Group = Static<typeof Group>;

/** A tie-break: `fact:<name>`, `indicator:<id>`, `group:<id>`, `total` or `base`. */
export const TieBreak = Type.Object({ field: Type.String(), order: Type.Union([Type.Literal('desc'), Type.Literal('asc')]), label: Text, ...Cited }, { additionalProperties: false });
export type TieBreak = Static<typeof TieBreak>;

export const Policy = Type.Object(
  {
    city: Type.String({ pattern: '^\\d{6}$' }),
    /** One city may run several schemes side by side (Shanghai: residence-permit points and 居转户). */
    scheme: Id,
    name: Text,
    /** What meeting it grants: hukou, or services only (Shanghai's 120-point residence-permit standard). */
    grants: Type.Union([Type.Literal('hukou'), Type.Literal('services')]),
    /** How the city is admitted: open (no quota), points (scored, ranked under a quota) or conditions. */
    mode: Type.Union([Type.Literal('open'), Type.Literal('conditions'), Type.Literal('points')]),
    effectiveFrom: IsoDate,
    /** Optional last day; otherwise in force until the next version of the same city and scheme. Versions never overlap. */
    effectiveTo: Type.Optional(IsoDate),
    source: Text,
    verifiedAt: IsoDate,
    legalBasis: Type.Array(Type.Object({ id: Id, title: Text, document: Type.Optional(Text), verification: Verification }, { additionalProperties: false }), { minItems: 1 }),
    eligibility: Type.Array(Condition),
    vetoes: Type.Array(Comparison),
    points: Type.Optional(
      Type.Object(
        {
          indicators: Type.Array(Indicator, { minItems: 1 }),
          groups: Type.Array(Group),
          floorZero: Type.Boolean(),
          ...Cited,
        },
        { additionalProperties: false },
      ),
    ),
    threshold: Type.Optional(Type.Object({ points: Points, of: Type.Union([Type.Literal('total'), Type.Literal('base')]), ...Cited }, { additionalProperties: false })),
    annualQuota: Type.Optional(Type.Object({ places: Type.Integer({ minimum: 1 }), ...Cited }, { additionalProperties: false })),
    ranking: Type.Optional(
      Type.Object(
        {
          by: Type.Union([Type.Literal('total'), Type.Literal('base')]),
          tieBreaks: Type.Array(TieBreak),
          /** Applicants tied with the last admitted one on score and every tie-break: all admitted, or none of them. */
          tieAtCutoff: Type.Union([Type.Literal('admitAll'), Type.Literal('admitNone')]),
          ...Cited,
        },
        { additionalProperties: false },
      ),
    ),
    round: Type.Optional(Type.Object({ publicationDays: Type.Integer({ minimum: 1, maximum: 60 }), objectionDays: Type.Integer({ minimum: 1, maximum: 60 }), ...Cited }, { additionalProperties: false })),
    history: Type.Optional(Type.Array(Type.Object({ year: Type.Integer(), text: Text, verification: Verification }, { additionalProperties: false }))),
    notes: Type.Optional(Type.Array(Text)),
  },
  { additionalProperties: false },
);
export type Policy = Static<typeof Policy>;
