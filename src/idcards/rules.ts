import { addDays, addMonths, ageOn, birthdayOf } from '../platform/calendar.ts';
import { deadlineRulesOn, feeRulesOn, IDCARD_LEGAL_BASIS, validityRulesOn, type FeeCategory } from './idcards.law.ts';
import type { ApplicationKind, ApplicationReason, CardKind, CardStatus, FeeWaiver, HandlingScope } from './idcards.tables.ts';

/**
 * The ID card rules as pure functions of dates and data. Ages are counted on the APPLICATION date
 * (居民身份证法 Art. 5) by src/platform/calendar.ts: a person turns N on their birthday, and a person
 * born on 29 February turns N on 28 February in a common year (Civil Code Art. 202).
 */

export interface Validity {
  age: number;
  /** Months of validity; null = long-term (长期). */
  months: number | null;
  source: string;
}

/** Art. 5: under 16 → 5 years; 16–25 → 10; 26–45 → 20; 46 and over → long-term. */
export function residentCardValidity(birthDate: string, appliedOn: string): Validity {
  const rules = validityRulesOn(appliedOn);
  const age = ageOn(birthDate, appliedOn);
  const band = rules.bands.find((b) => age >= b.minAge && (b.maxAge === null || age <= b.maxAge));
  if (!band) throw new Error(`idcard-validity ${rules.effectiveFrom}: no band for age ${age}`);
  return { age, months: band.years === null ? null : band.years * 12, source: rules.source };
}

/** Temporary card measures Art. 7: valid 3 months from issue. */
export function temporaryCardValidity(birthDate: string, appliedOn: string): Validity {
  const rules = validityRulesOn(appliedOn);
  return { age: ageOn(birthDate, appliedOn), months: rules.temporaryCardMonths, source: rules.temporaryCardSource };
}

/** Last valid day of a card issued on `validFrom` (the printed end date); null for long-term cards. */
export function cardValidUntil(validFrom: string, months: number | null): string | null {
  return months === null ? null : addMonths(validFrom, months);
}

/**
 * Art. 7: apply within 3 months of turning 16. The period ends on the corresponding day 3 months
 * after the 16th birthday (Civil Code Art. 202); an application after it is accepted and recorded as
 * late. Applications before 16 are voluntary and never late.
 */
export function firstApplicationDeadline(birthDate: string, appliedOn: string): { dueBy: string; late: boolean } {
  const rules = deadlineRulesOn(appliedOn);
  const dueBy = addMonths(birthdayOf(birthDate, rules.firstApplicationAge), rules.firstApplicationWithinMonths);
  return { dueBy, late: appliedOn > dueBy };
}

/** Renewal for expiry opens 3 months before the card's last valid day (1986 implementing rules Art. 15). Long-term cards: never. */
export function renewalOpensOn(validUntil: string | null, on: string): string | null {
  return validUntil === null ? null : addMonths(validUntil, -deadlineRulesOn(on).renewalWindowMonthsBeforeExpiry);
}

/** Art. 12: 60 days, plus up to 30 in remote areas; temporary cards within 3 days (Order 78 Art. 12). */
export function issueDueOn(kind: ApplicationKind, appliedOn: string, remote: boolean): string {
  const rules = deadlineRulesOn(appliedOn);
  if (kind === 'temporary') return addDays(appliedOn, rules.temporaryIssueWithinDays);
  return addDays(appliedOn, rules.issueWithinDays + (remote ? rules.remoteExtraDays : 0));
}

export function feeCategory(kind: ApplicationKind, reason: ApplicationReason | null): FeeCategory {
  if (kind === 'renewal') return reason === 'damage' ? 'renewal_damage' : 'renewal';
  return kind;
}

export type FeeDecision =
  | { ok: true; standardYuan: number; dueYuan: number; waiver: FeeWaiver | null; source: string }
  | { ok: false; category: FeeCategory; waivableCategories: FeeCategory[] };

/** 发改价格〔2003〕2322号: ¥20 first/renewal, ¥40 loss or damage, ¥10 temporary; waivers on first application and renewal. */
export function feeFor(kind: ApplicationKind, reason: ApplicationReason | null, waiver: FeeWaiver | null, appliedOn: string): FeeDecision {
  const rules = feeRulesOn(appliedOn);
  const category = feeCategory(kind, reason);
  const standardYuan = rules.feesYuan[category];
  const source = `${rules.source} (in force from ${rules.effectiveFrom})`;
  if (!waiver) return { ok: true, standardYuan, dueYuan: standardYuan, waiver: null, source };
  const rule = rules.waivers.find((w) => w.code === waiver);
  if (!rule || !rule.appliesTo.includes(category)) return { ok: false, category, waivableCategories: rule?.appliesTo ?? [] };
  return { ok: true, standardYuan, dueYuan: 0, waiver, source };
}

export interface PlaceLike {
  cityCode: string;
  provinceCode: string;
}

/**
 * The Ministry's statistics categories (hukou-domain §8): handled in the hukou city (local), in
 * another prefecture of the same province, or in another province.
 */
export function scopeOf(accepting: PlaceLike, hukou: PlaceLike): HandlingScope {
  if (accepting.provinceCode !== hukou.provinceCode) return 'interprovincial';
  return accepting.cityCode === hukou.cityCode ? 'local' : 'intraprovincial_cross_prefecture';
}

/** The legal basis of an application: the article, plus the rule that lets it be handled away from the hukou place. */
export function applicationLegalBasis(kind: ApplicationKind, scope: HandlingScope, viaResidencePermit: boolean): string {
  const own = kind === 'first' ? IDCARD_LEGAL_BASIS.first : kind === 'temporary' ? IDCARD_LEGAL_BASIS.temporary : IDCARD_LEGAL_BASIS.renewalOrReissue;
  if (scope === 'local') return own;
  const elsewhere = kind === 'first' ? IDCARD_LEGAL_BASIS.firstElsewhere : kind === 'temporary' ? IDCARD_LEGAL_BASIS.temporaryElsewhere : IDCARD_LEGAL_BASIS.handledElsewhere;
  return [own, elsewhere, ...(viaResidencePermit ? [IDCARD_LEGAL_BASIS.permitHolder] : [])].join('；');
}

export interface CardFacts {
  kind: CardKind;
  status: CardStatus;
  idNumber: string;
  validUntil: string | null;
}

/**
 * A card's status on a date. The stored status changes by events (loss report, supersession, the
 * expiry sweep); between sweeps a valid card past its last day is expired, and the card of a person
 * who died, emigrated, or whose ID number changed is cancelled.
 */
export function effectiveCardStatus(card: CardFacts, person: { status: string; idNumber: string }, on: string): CardStatus {
  if (card.status !== 'valid') return card.status;
  if (person.status !== 'active' || person.idNumber !== card.idNumber) return 'cancelled';
  if (card.validUntil !== null && on > card.validUntil) return 'expired';
  return 'valid';
}
