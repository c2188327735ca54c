import type { NotificationKind } from './notifications.tables.ts';

/** The text of a notification, from its payload: dates and what to do, no personal particulars. */
export function messageFor(kind: NotificationKind, payload: Record<string, unknown>): string {
  const v = (key: string) => String(payload[key] ?? '?');
  switch (kind) {
    case 'id_card_expiring':
      return `您的居民身份证有效期至${v('validUntil')}，自${v('renewableFrom')}起可在任一受理点申请换领（居民身份证法第十一条）。 ` +
        `Your resident ID card is valid until ${v('validUntil')}; you may renew it at any office from ${v('renewableFrom')}.`;
    case 'endorsement_due':
      return `您的居住证应于${v('windowOpensOn')}至${v('lastOnTimeDay')}期间办理签注，逾期居住证使用功能中止（居住证暂行条例第十条）。 ` +
        `Your residence permit must be endorsed between ${v('windowOpensOn')} and ${v('lastOnTimeDay')}; after that its functions are suspended.`;
    case 'application_transition':
      return `您的申请${v('trackingNumber')}（${v('serviceCode')}）状态已变更为：${v('state')}。 ` +
        `Your application ${v('trackingNumber')} (${v('serviceCode')}) is now ${v('state')}.`;
  }
}
