import { Type } from 'typebox';
import { loadLawFile, versionOn, type VersionMeta } from '../platform/law-data.ts';
import type { FeeWaiver } from './idcards.tables.ts';

/** ID card law as data (data/law/idcard-*.json), each value in the version in force on the date that matters. */

const ValiditySchema = Type.Object({
  bands: Type.Array(
    Type.Object({
      minAge: Type.Integer({ minimum: 0 }),
      maxAge: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
      years: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    }),
    { minItems: 1 },
  ),
  temporaryCardMonths: Type.Integer({ minimum: 1 }),
  temporaryCardSource: Type.String(),
});

export type FeeCategory = 'first' | 'renewal' | 'renewal_damage' | 'reissue' | 'temporary';
const FeeCategorySchema = Type.Union(['first', 'renewal', 'renewal_damage', 'reissue', 'temporary'].map((c) => Type.Literal(c)));

const FeesSchema = Type.Object({
  feesYuan: Type.Object({
    first: Type.Integer({ minimum: 0 }),
    renewal: Type.Integer({ minimum: 0 }),
    renewal_damage: Type.Integer({ minimum: 0 }),
    reissue: Type.Integer({ minimum: 0 }),
    temporary: Type.Integer({ minimum: 0 }),
  }),
  waivers: Type.Array(
    Type.Object({
      code: Type.Union([Type.Literal('dibao'), Type.Literal('rural_hardship')]),
      description: Type.String(),
      appliesTo: Type.Array(FeeCategorySchema),
    }),
  ),
});

const DeadlinesSchema = Type.Object({
  firstApplicationAge: Type.Integer({ minimum: 1 }),
  firstApplicationWithinMonths: Type.Integer({ minimum: 1 }),
  renewalWindowMonthsBeforeExpiry: Type.Integer({ minimum: 0 }),
  issueWithinDays: Type.Integer({ minimum: 1 }),
  remoteExtraDays: Type.Integer({ minimum: 0 }),
  temporaryIssueWithinDays: Type.Integer({ minimum: 1 }),
});

export interface ValidityRules extends VersionMeta {
  bands: { minAge: number; maxAge: number | null; years: number | null }[];
  temporaryCardMonths: number;
  temporaryCardSource: string;
}

export interface FeeRules extends VersionMeta {
  feesYuan: Record<FeeCategory, number>;
  waivers: { code: FeeWaiver; description: string; appliesTo: FeeCategory[] }[];
}

export interface DeadlineRules extends VersionMeta {
  firstApplicationAge: number;
  firstApplicationWithinMonths: number;
  renewalWindowMonthsBeforeExpiry: number;
  issueWithinDays: number;
  remoteExtraDays: number;
  temporaryIssueWithinDays: number;
}

const VALIDITY = loadLawFile('idcard-validity.json', ValiditySchema);
const FEES = loadLawFile('idcard-fees.json', FeesSchema);
const DEADLINES = loadLawFile('idcard-deadlines.json', DeadlinesSchema);

export const validityRulesOn = (date: string): ValidityRules => versionOn(VALIDITY, date) as ValidityRules;
export const feeRulesOn = (date: string): FeeRules => versionOn(FEES, date) as FeeRules;
export const deadlineRulesOn = (date: string): DeadlineRules => versionOn(DEADLINES, date) as DeadlineRules;

/** Legal bases recorded on card applications and events. */
export const IDCARD_LEGAL_BASIS = {
  /** Art. 7: apply within 3 months of turning 16 (under 16 voluntarily, through a guardian); Art. 8: issued by the hukou-place county public security. */
  first: '居民身份证法 第七条、第八条',
  /** Art. 11: renewal on expiry, change of name or serious damage; reissue on loss. */
  renewalOrReissue: '居民身份证法 第十一条',
  /** Art. 12 para. 2; temporary card measures Arts. 2, 7, 12 (valid 3 months, issued within 3 days). */
  temporary: '居民身份证法 第十二条第二款；临时居民身份证管理办法（公安部令第78号）第二条、第七条、第十二条',
  /** Art. 12 para. 1: issued within 60 days, up to 30 more in remote areas. */
  issue: '居民身份证法 第十二条',
  /** Renewal, reissue and loss reports accepted at a non-hukou place (pilots 2015, nationwide 2017-07). */
  handledElsewhere: '公安部《关于建立居民身份证异地受理挂失申报和丢失招领制度的意见》（2015年）',
  /** First application at a non-hukou place: batches from 2022-10-01, nationwide by 2024-05. */
  firstElsewhere: '公安部 首次申领居民身份证"跨省通办"（2022年10月1日起分批推行，2024年5月全国）',
  /** Temporary cards handled nationwide (2024). */
  temporaryElsewhere: '公安部 临时居民身份证"跨省通办"（2024年全国）',
  /** Permit holders may renew or reissue their ID card at the residence place. */
  permitHolder: '居住证暂行条例 第十三条',
  /** A loss report invalidates the card at once, nationally. */
  lossReport: '居民身份证法 第十一条；公安部《关于建立居民身份证异地受理挂失申报和丢失招领制度的意见》（2015年）',
  /** Expiry at the end of the validity period (Art. 5). */
  expiry: '居民身份证法 第五条',
} as const;
