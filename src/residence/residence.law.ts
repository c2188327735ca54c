import { Type } from 'typebox';
import { loadLawFile, versionOn, type VersionMeta } from '../platform/law-data.ts';
import type { PermitBasis } from './residence.tables.ts';

/** The residence-permit rules in force on a date (data/law/residence-permit.json). */
const PermitRulesSchema = Type.Object({
  minimumResidenceMonths: Type.Integer({ minimum: 0 }),
  bases: Type.Array(Type.Union([Type.Literal('employment'), Type.Literal('residence_lease'), Type.Literal('residence_owned'), Type.Literal('study')])),
  issueWithinDays: Type.Integer({ minimum: 1 }),
  remoteIssueWithinDays: Type.Integer({ minimum: 1 }),
  endorsementWindowMonths: Type.Integer({ minimum: 1 }),
  endorsementGraceDays: Type.Integer({ minimum: 0 }),
  endorsementPractice: Type.String(),
});

export interface PermitRules extends VersionMeta {
  minimumResidenceMonths: number;
  bases: PermitBasis[];
  issueWithinDays: number;
  remoteIssueWithinDays: number;
  endorsementWindowMonths: number;
  endorsementGraceDays: number;
  endorsementPractice: string;
}

const PERMIT_RULES = loadLawFile('residence-permit.json', PermitRulesSchema);

export function permitRulesOn(date: string): PermitRules {
  return versionOn(PERMIT_RULES, date);
}

/** Legal bases recorded on residence events (居住证暂行条例, State Council Order 663). */
export const RESIDENCE_LEGAL_BASIS = {
  /** Art. 2 (living in another city) and local residence-registration rules: registration on arrival. */
  registration: '居住证暂行条例 第二条；居住地居住登记（各地实施办法）',
  /** Art. 2: ≥ half a year of residence plus one of employment, residence, study; Art. 9: application and issue. */
  permitApplication: '居住证暂行条例 第二条、第九条',
  /** Art. 9: made and issued within 15 days (≤ 30 in remote areas) of acceptance. */
  permitIssue: '居住证暂行条例 第九条',
  /** Art. 10: endorsed once a year, in the month before each full year; late endorsement restarts the count. */
  endorsement: '居住证暂行条例 第十条',
  /** Leaving the city (or settling there) ends the residence registration and the permit. */
  registrationEnded: '居住证暂行条例 第二条（居住地变更）',
} as const;
