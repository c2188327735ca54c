/**
 * The facts a settlement policy may name: each one's type and where it comes from. A policy file
 * naming anything else is refused at load (POLICY_INVALID). Facts are derived per person, city and
 * date by `derive.ts` (JS, for checks) and `derive.sql.ts` (SQL, for rounds and simulation); the two
 * are tested to agree.
 *
 * Sources: `register` (the population register, src/registry), `residence` (src/residence facts:
 * permit, residence years, continuity — 居住证暂行条例 Art. 10), `store` (department facts recorded
 * in settlement_fact with their source, period, received date and evidence).
 */
export const EDUCATION_LEVELS = ['none', 'secondary', 'college', 'bachelor', 'bachelor_degree', 'master', 'doctorate'] as const;
export const PROFESSIONAL_LEVELS = ['none', 'skill5', 'skill4', 'skill3', 'skill2_intermediate', 'skill1_senior'] as const;

export type FactType = 'number' | 'boolean' | 'education' | 'professional';
export type FactSource = 'register' | 'residence' | 'store';

export interface FactDefinition {
  type: FactType;
  source: FactSource;
  /** The settlement_fact kind it is derived from (source `store`). */
  kind?: FactKind;
  describe: string;
}

/** Kinds of department facts in the store (the sharing issue will feed them from departments). */
export const FACT_KINDS = ['social_insurance', 'employment', 'education', 'tax', 'lease', 'ownership', 'criminal_record', 'detention', 'tax_violation', 'title', 'attribute'] as const;
export type FactKind = (typeof FACT_KINDS)[number];

export const FACTS = {
  age: { type: 'number', source: 'register', describe: 'full years of age on the date (register birth date; Civil Code Art. 202)' },
  birthYear: { type: 'number', source: 'register', describe: 'year of birth (register birth date)' },
  hukouInCity: { type: 'boolean', source: 'register', describe: 'the current hukou is in this city already' },
  belowRetirementAge: {
    type: 'boolean',
    source: 'register',
    describe: 'under the statutory retirement age — computed as men < 60, women < 55 [M: the 2025 gradual raise is not modelled]',
  },
  residencePermitValid: { type: 'boolean', source: 'residence', describe: 'holds a residence permit of this city, issued and not suspended (居住证暂行条例 Art. 10)' },
  residencePermitYears: { type: 'number', source: 'residence', describe: 'full years of residence counted under the permit of this city (restart after a late endorsement, Art. 10)' },
  continuousResidence: { type: 'boolean', source: 'residence', describe: 'no endorsement overdue' },
  socialInsuranceMonths: { type: 'number', source: 'store', kind: 'social_insurance', describe: 'months of employee (pension) insurance paid in the city, back-payments excluded' },
  socialInsuranceYears: { type: 'number', source: 'store', kind: 'social_insurance', describe: 'full years of the above (months ÷ 12, rounded down)' },
  socialInsuranceBackPayMonths: { type: 'number', source: 'store', kind: 'social_insurance', describe: 'months of back-payment (补缴) in the city' },
  medicalInsuranceMonths: { type: 'number', source: 'store', kind: 'social_insurance', describe: 'months of medical insurance paid in the city' },
  lawfulEmployment: { type: 'boolean', source: 'store', kind: 'employment', describe: 'a lawful stable job or business in the city on the date (a labour contract or business licence)' },
  lawfulResidence: { type: 'boolean', source: 'store', describe: 'a registered lease or an owned home in the city on the date (MPS 2024: leasing included)' },
  ownedHomeYears: { type: 'number', source: 'store', kind: 'ownership', describe: 'full years living in an owned home in the city' },
  rentedHomeYears: { type: 'number', source: 'store', kind: 'lease', describe: 'full years living in a registered rented home or employer dormitory in the city' },
  education: { type: 'education', source: 'store', kind: 'education', describe: `highest education: ${EDUCATION_LEVELS.join(' < ')}` },
  professionalLevel: { type: 'professional', source: 'store', kind: 'title', describe: `professional title or skill level: ${PROFESSIONAL_LEVELS.join(' < ')}` },
  iitPaidInCity: { type: 'boolean', source: 'store', kind: 'tax', describe: 'individual income tax paid in the city in the 12 months before the date' },
  averageAnnualIit: { type: 'number', source: 'store', kind: 'tax', describe: 'average yearly individual income tax paid in the city over the last 3 tax years (CNY)' },
  criminalRecord: { type: 'boolean', source: 'store', kind: 'criminal_record', describe: 'any criminal record (a clearance certificate reports none)' },
  criminalRecordsLast5Years: { type: 'number', source: 'store', kind: 'criminal_record', describe: 'criminal punishments in the 5 years before the date' },
  detentionsLast5Years: { type: 'number', source: 'store', kind: 'detention', describe: 'administrative detentions in the 5 years before the date' },
  detentions: { type: 'number', source: 'store', kind: 'detention', describe: 'administrative detentions on record' },
  taxViolations: { type: 'number', source: 'store', kind: 'tax_violation', describe: 'recorded tax violations' },
  // Attributes recorded by an officer with evidence (kind `attribute`, value {fact, value}).
  familyPlanningViolation: { type: 'boolean', source: 'store', kind: 'attribute', describe: 'a recorded family-planning violation' },
  outerDistrictResidenceYears: { type: 'number', source: 'store', kind: 'attribute', describe: 'years living outside the six core districts (Beijing 职住区域)' },
  outerDistrictJobAndResidenceYears: { type: 'number', source: 'store', kind: 'attribute', describe: 'years working and living outside the six core districts (Beijing 职住区域)' },
  innovationYears: { type: 'number', source: 'store', kind: 'attribute', describe: 'years as core staff of a national high-tech enterprise, or in a certified incubator (Beijing 创新创业)' },
  nationalAward: { type: 'boolean', source: 'store', kind: 'attribute', describe: 'a national science, technology or culture award' },
  honour: { type: 'boolean', source: 'store', kind: 'attribute', describe: 'model worker, moral model, hero of courageous acts (Beijing 荣誉表彰)' },
  investorTaxQualifies: { type: 'boolean', source: 'store', kind: 'attribute', describe: 'a business investor attributable tax ≥ ¥200k a year for 3 years (Beijing 纳税)' },
  shortageMajor: { type: 'boolean', source: 'store', kind: 'attribute', describe: 'a shortage major matching the job (Shanghai)' },
  insuranceBaseMultiple: { type: 'number', source: 'store', kind: 'attribute', describe: 'social-insurance contribution base over the last 3 years as a multiple of the average wage' },
  publicServiceYears: { type: 'number', source: 'store', kind: 'attribute', describe: 'years in designated public-service sectors (Shanghai)' },
  outerSuburbYears: { type: 'number', source: 'store', kind: 'attribute', describe: 'years working and living in key outer-suburb areas (Shanghai)' },
  freshGraduate: { type: 'boolean', source: 'store', kind: 'attribute', describe: 'a full-time fresh graduate' },
  localSpouseMarriageYears: { type: 'number', source: 'store', kind: 'attribute', describe: 'years married to a spouse holding the city hukou' },
  falseMaterials: { type: 'number', source: 'store', kind: 'attribute', describe: 'findings of false materials' },
  cityAssessedBasePoints: { type: 'number', source: 'store', kind: 'attribute', describe: "base-indicator points assessed by the city's HRSS on its own indicator table (Guangzhou: table not encoded)" },
  cityAssessedBonusPoints: { type: 'number', source: 'store', kind: 'attribute', describe: "other indicator points assessed by the city's HRSS (Guangzhou)" },
  seriousCriminalRecord: { type: 'boolean', source: 'store', kind: 'attribute', describe: 'a serious criminal record' },
} as const satisfies Record<string, FactDefinition>;

export type FactName = keyof typeof FACTS;
export type FactValue = number | boolean | string;
/** Derived facts of one person for one city and date: a missing key is an unknown fact, never a guess. */
export type FactSet = Partial<Record<FactName, FactValue>>;

export const FACT_NAMES = Object.keys(FACTS) as FactName[];

export function isFactName(s: string): s is FactName {
  return Object.hasOwn(FACTS, s);
}

/** Ordinal of an enum fact value (education, professional level) for comparisons; -1 when not a level. */
export function ordinalOf(type: FactType, value: FactValue): number {
  if (type === 'education') return (EDUCATION_LEVELS as readonly string[]).indexOf(String(value));
  if (type === 'professional') return (PROFESSIONAL_LEVELS as readonly string[]).indexOf(String(value));
  return -1;
}

/** Facts whose attribute rows set them directly (kind `attribute`). */
export const ATTRIBUTE_FACTS = FACT_NAMES.filter((n) => (FACTS[n] as FactDefinition).kind === 'attribute');
