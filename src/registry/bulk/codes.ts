/**
 * The national codes the synthetic population uses. Relationship to the head of household:
 * GB/T 4761-2008 (first digit = group; hukou-domain §7.3); marital status: GB/T 2261.2-2003.
 */
export const RELATIONSHIP = {
  husband: '11',
  wife: '12',
  /** 21 独生子 for an only child, else 22 长子, 23 次子 … 26 五子, then 29 其他儿子. */
  son: (order: number, onlyChild: boolean): string => (onlyChild ? '21' : order <= 5 ? String(21 + order) : '29'),
  /** 31 独生女 for an only child, else 32 长女, 33 次女 … 36 五女, then 39 其他女儿. */
  daughter: (order: number, onlyChild: boolean): string => (onlyChild ? '31' : order <= 5 ? String(31 + order) : '39'),
  sonInLaw: '28',
  daughterInLaw: '38',
  grandson: '41',
  granddaughter: '42',
  daughtersSon: '43',
  daughtersDaughter: '44',
  father: '51',
  mother: '52',
  husbandsFather: '53',
  husbandsMother: '54',
  wifesFather: '55',
  wifesMother: '56',
  elderBrother: '71',
  youngerBrother: '73',
  elderSister: '75',
  youngerSister: '77',
  nonRelative: '99',
} as const;

export const MARITAL = {
  unmarried: '10',
  married: '20',
  widowed: '30',
  divorced: '40',
} as const;

/** Every GB/T 2261.2-2003 marital status code (the person table accepts these). */
export const MARITAL_STATUS_CODES: ReadonlySet<string> = new Set(['10', '20', '21', '22', '23', '30', '40', '90']);

/**
 * Legal basis of a residence registration (居住登记): 居住证暂行条例 Art. 2 — the text the residence
 * module records on its `registered` events (src/residence/residence.law.ts).
 */
export const RESIDENCE_REGISTRATION_BASIS = '居住证暂行条例 第二条；居住地居住登记（各地实施办法）';
