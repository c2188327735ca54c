import type { Identity } from '../../api/types';

export interface NextStep {
  key: string;
  values?: Record<string, string>;
  tone: 'success' | 'info' | 'warning' | 'error';
}

/** What the citizen should do next about their card and permit, from the identity view the server computed. */
export function nextSteps(identity: Identity): NextStep[] {
  const steps: NextStep[] = [];
  const card = identity.idCard;
  const open = card.applications.find((a) => a.state === 'accepted' || a.state === 'confirmed');
  if (open) steps.push({ key: open.state === 'accepted' ? 'next.applicationAccepted' : 'next.cardReady', values: { dueOn: open.dueOn }, tone: 'info' });
  else if (card.status === 'none') steps.push({ key: 'next.noCard', tone: 'warning' });
  else if (card.status === 'reported_lost') steps.push({ key: 'next.lost', tone: 'error' });
  else if (card.status === 'expired') steps.push({ key: 'next.expired', tone: 'error' });
  else if (card.status === 'valid' && card.renewalOpensOn) {
    steps.push(card.renewalOpensOn <= identity.asOf ? { key: 'next.renewNow', values: { until: card.current?.validUntil ?? '' }, tone: 'warning' } : { key: 'next.renewLater', values: { from: card.renewalOpensOn }, tone: 'success' });
  } else if (card.status === 'valid') steps.push({ key: 'next.cardValid', tone: 'success' });
  const permit = identity.residence.permits.find((p) => p.status === 'valid' || p.status === 'suspended' || p.status === 'applied');
  if (permit?.status === 'applied') steps.push({ key: 'next.permitApplied', values: { dueOn: permit.dueOn }, tone: 'info' });
  else if (permit) {
    const e = permit.endorsement;
    if (e.status === 'due') steps.push({ key: 'next.endorseDue', values: { until: e.lastOnTimeDay ?? '' }, tone: 'warning' });
    else if (e.status === 'overdue' || permit.status === 'suspended') steps.push({ key: 'next.endorseOverdue', tone: 'error' });
    else if (e.windowOpensOn) steps.push({ key: 'next.endorseLater', values: { from: e.windowOpensOn }, tone: 'success' });
  }
  return steps;
}
