import { addDays, addMonths, addYears, fullYearsBetween } from '../platform/calendar.ts';
import type { PermitStatus } from './residence.tables.ts';

/**
 * Annual endorsement (签注) of a residence permit, 居住证暂行条例 Art. 10:
 * "居住证持有人在居住地连续居住的，应当在居住每满1年之日前1个月内……办理签注手续。逾期未办理签注手续的，
 * 居住证使用功能中止；补办签注手续的，居住证的使用功能恢复，居住证持有人在居住地的居住年限自补办签注手续之日起连续计算。"
 *
 * Reading applied (and the worked example published for Chongqing): the years count from the issue
 * date (the anchor). The k-th anniversary is anchor + k years (Civil Code Art. 202 for 29 Feb).
 * The endorsement is due in the month before it: window [anniversary − 1 month, anniversary − 1 day]
 * (plus a local grace period, 0 nationally). From the anniversary on, an unendorsed permit is
 * suspended. A late endorsement restores it, and both the anniversaries and the residence years
 * then count from the day of the late endorsement.
 */

export interface PermitTimeline {
  status: PermitStatus;
  issuedOn: string | null;
  endorsementAnchor: string | null;
  endorsedYears: number;
  residenceCountedFrom: string;
}

export interface EndorsementRules {
  endorsementWindowMonths: number;
  endorsementGraceDays: number;
}

/** State of the permit on a date: applied, valid, suspended (endorsement overdue), rejected or cancelled. */
export type PermitEffectiveStatus = 'applied' | 'valid' | 'suspended' | 'rejected' | 'cancelled';
/** Endorsement: not yet due, window open, overdue, or not applicable (permit not issued / closed). */
export type EndorsementStatus = 'not_due' | 'due' | 'overdue' | 'not_applicable';

export interface PermitStateOn {
  status: PermitEffectiveStatus;
  endorsement: {
    status: EndorsementStatus;
    /** The anniversary the next endorsement is due before. */
    anniversary: string | null;
    windowOpensOn: string | null;
    /** Last day on which the endorsement is on time. */
    lastOnTimeDay: string | null;
  };
  /** First day of suspension, when suspended. */
  suspendedSince: string | null;
}

export function nextAnniversary(p: Pick<PermitTimeline, 'endorsementAnchor' | 'endorsedYears'>): string | null {
  return p.endorsementAnchor ? addYears(p.endorsementAnchor, p.endorsedYears + 1) : null;
}

export function endorsementWindow(anniversary: string, rules: EndorsementRules): { opensOn: string; lastOnTimeDay: string } {
  return { opensOn: addMonths(anniversary, -rules.endorsementWindowMonths), lastOnTimeDay: addDays(anniversary, rules.endorsementGraceDays - 1) };
}

export function permitStateOn(p: PermitTimeline, on: string, rules: EndorsementRules): PermitStateOn {
  const none = { status: 'not_applicable' as const, anniversary: null, windowOpensOn: null, lastOnTimeDay: null };
  if (p.status !== 'issued') return { status: p.status, endorsement: none, suspendedSince: null };
  const anniversary = nextAnniversary(p);
  if (!anniversary) return { status: 'valid', endorsement: none, suspendedSince: null };
  const w = endorsementWindow(anniversary, rules);
  const endorsement = { anniversary, windowOpensOn: w.opensOn, lastOnTimeDay: w.lastOnTimeDay };
  if (on > w.lastOnTimeDay) return { status: 'suspended', endorsement: { status: 'overdue', ...endorsement }, suspendedSince: addDays(w.lastOnTimeDay, 1) };
  return { status: 'valid', endorsement: { status: on >= w.opensOn ? 'due' : 'not_due', ...endorsement }, suspendedSince: null };
}

export type EndorsementDecision =
  | { ok: true; late: boolean; anniversary: string; anchor: string; endorsedYears: number; residenceCountedFrom: string; nextAnniversary: string }
  | { ok: false; reason: 'not_issued' | 'closed' | 'not_due'; windowOpensOn?: string };

/** What endorsing on `on` does to the permit (Art. 10), or why it is refused. */
export function decideEndorsement(p: PermitTimeline, on: string, rules: EndorsementRules): EndorsementDecision {
  if (p.status === 'rejected' || p.status === 'cancelled') return { ok: false, reason: 'closed' };
  if (p.status !== 'issued' || !p.endorsementAnchor) return { ok: false, reason: 'not_issued' };
  const anniversary = nextAnniversary(p) as string;
  const w = endorsementWindow(anniversary, rules);
  if (on < w.opensOn) return { ok: false, reason: 'not_due', windowOpensOn: w.opensOn };
  if (on <= w.lastOnTimeDay) {
    const endorsedYears = p.endorsedYears + 1;
    return {
      ok: true,
      late: false,
      anniversary,
      anchor: p.endorsementAnchor,
      endorsedYears,
      residenceCountedFrom: p.residenceCountedFrom,
      nextAnniversary: addYears(p.endorsementAnchor, endorsedYears + 1),
    };
  }
  // Late (补办签注): functions restored; the count of residence years restarts today (Art. 10 para. 3).
  return { ok: true, late: true, anniversary, anchor: on, endorsedYears: 0, residenceCountedFrom: on, nextAnniversary: addYears(on, 1) };
}

/**
 * Full years of continuous residence on `on`: from the registration (or the last late endorsement)
 * to `on`, or, while the permit is suspended, to the day before the suspension began.
 */
export function residenceYearsOn(p: PermitTimeline | null, registeredOn: string, on: string, rules: EndorsementRules): { years: number; continuous: boolean; countedFrom: string } {
  const countedFrom = p && p.status === 'issued' ? p.residenceCountedFrom : registeredOn;
  if (on < countedFrom) return { years: 0, continuous: true, countedFrom };
  const state = p ? permitStateOn(p, on, rules) : null;
  if (state?.status === 'suspended' && state.suspendedSince) {
    const until = addDays(state.suspendedSince, -1);
    return { years: until < countedFrom ? 0 : fullYearsBetween(countedFrom, until), continuous: false, countedFrom };
  }
  return { years: fullYearsBetween(countedFrom, on), continuous: true, countedFrom };
}
