/**
 * The citizen's trail in words (issue #12 §7): roles, actions and returned fields named in Chinese
 * and English instead of codes and JSON paths. A field not listed here is shown by its own name.
 */
export interface Words {
  en: string;
  zh: string;
}

export const ROLE_WORDS: Record<string, Words> = {
  citizen: { en: 'citizen', zh: '公民' },
  counter_officer: { en: 'counter officer', zh: '窗口民警' },
  registration_officer: { en: 'registration officer', zh: '户籍民警' },
  supervisor: { en: 'supervisor', zh: '审核领导' },
  statistician: { en: 'statistician', zh: '统计人员' },
  administrator: { en: 'administrator', zh: '系统管理员' },
  department_client: { en: 'department system', zh: '部门接口' },
  operator: { en: 'system operator', zh: '系统运维人员' },
  system: { en: 'automatic step', zh: '系统自动处理' },
};

export const ACTION_WORDS: Record<string, Words> = {
  'person.read': { en: 'read your record', zh: '查阅了您的户籍信息' },
  'person.search': { en: 'found you in a search (masked)', zh: '在查询中检索到您（已脱敏）' },
  'household.read': { en: 'read your household booklet', zh: '查阅了您所在户的户口簿' },
  'identity.read': { en: 'read your ID card and residence data', zh: '查阅了您的身份证和居住信息' },
  'idcard.check': { en: 'checked whether your ID card is valid', zh: '核验了您的身份证是否有效' },
  'idcard.application.read': { en: 'read your ID card application', zh: '查阅了您的身份证申请' },
  'transfer.read': { en: 'read your transfer', zh: '查阅了您的迁移申请' },
  'transfer.approve': { en: 'approved your transfer', zh: '批准了您的迁移申请' },
  'transfer.reject': { en: 'rejected your transfer', zh: '驳回了您的迁移申请' },
  'transfer.origin_rejection': { en: 'refused your move-out', zh: '不予迁出' },
  'transfer.advance': { en: 'advanced your transfer', zh: '办理了您的迁移步骤' },
  'residence.registration.read': { en: 'read your residence registration', zh: '查阅了您的居住登记' },
  'residence.permit.read': { en: 'read your residence permit', zh: '查阅了您的居住证' },
  'queue.read': { en: 'saw your pending application in a work queue (masked)', zh: '在待办列表中看到您的申请（已脱敏）' },
  application_accepted: { en: 'accepted your ID card application', zh: '受理了您的身份证申请' },
  application_confirmed: { en: 'confirmed your ID card application', zh: '审核签发了您的身份证' },
  application_rejected: { en: 'rejected your ID card application', zh: '驳回了您的身份证申请' },
  card_issued: { en: 'issued your ID card', zh: '制发了您的身份证' },
  card_delivered: { en: 'handed over your ID card', zh: '发放了您的身份证' },
  loss_reported: { en: 'recorded your ID card as lost', zh: '办理了您的身份证挂失' },
  card_superseded: { en: 'replaced your previous ID card', zh: '您的旧身份证已作废' },
  card_expired: { en: 'your ID card expired', zh: '您的身份证已过期' },
  card_cancelled: { en: 'cancelled your ID card', zh: '注销了您的身份证' },
  registered: { en: 'registered your residence', zh: '办理了您的居住登记' },
  registration_ended: { en: 'ended your residence registration', zh: '注销了您的居住登记' },
  permit_applied: { en: 'accepted your residence permit application', zh: '受理了您的居住证申请' },
  permit_issued: { en: 'issued your residence permit', zh: '签发了您的居住证' },
  permit_rejected: { en: 'rejected your residence permit application', zh: '驳回了您的居住证申请' },
  permit_cancelled: { en: 'cancelled your residence permit', zh: '注销了您的居住证' },
  permit_endorsed: { en: 'endorsed your residence permit', zh: '为您的居住证签注' },
  birth: { en: 'registered your birth', zh: '办理了出生登记' },
  registration: { en: 'registered your hukou', zh: '办理了户口登记' },
  move_in: { en: 'registered your move in', zh: '办理了迁入登记' },
  move_out: { en: 'registered your move out', zh: '办理了迁出登记' },
  transfer_out: { en: 'handled your transfer at the origin', zh: '迁出地办理了您的迁移' },
  transfer_in: { en: 'handled your transfer at the destination', zh: '迁入地办理了您的迁移' },
  death: { en: 'registered a death', zh: '办理了死亡登记' },
  correction: { en: 'corrected your particulars', zh: '变更更正了您的登记事项' },
  id_number_change: { en: 'changed your ID number', zh: '变更了您的身份号码' },
  head_change: { en: 'changed the head of your household', zh: '变更了户主' },
  member_added: { en: 'added you to a household', zh: '将您登记入户' },
  member_removed: { en: 'cancelled your hukou', zh: '注销了您的户口' },
  relationship_change: { en: 'changed your relationship to the head', zh: '变更了您与户主关系' },
  household_split: { en: 'split your household', zh: '办理了分户' },
};

export const FIELD_WORDS: Record<string, Words> = {
  idNumber: { en: 'ID number', zh: '公民身份号码' },
  maskedIdNumber: { en: 'ID number (masked)', zh: '公民身份号码（脱敏）' },
  name: { en: 'name', zh: '姓名' },
  maskedName: { en: 'name (masked)', zh: '姓名（脱敏）' },
  namePinyin: { en: 'name in pinyin', zh: '姓名拼音' },
  formerNames: { en: 'former names', zh: '曾用名' },
  sex: { en: 'sex', zh: '性别' },
  sexName: { en: 'sex', zh: '性别' },
  birthDate: { en: 'date of birth', zh: '出生日期' },
  ethnicity: { en: 'ethnicity', zh: '民族' },
  ethnicityName: { en: 'ethnicity', zh: '民族' },
  birthplaceCode: { en: 'place of birth', zh: '出生地' },
  nativePlaceCode: { en: 'native place', zh: '籍贯' },
  education: { en: 'education', zh: '文化程度' },
  maritalStatus: { en: 'marital status', zh: '婚姻状况' },
  occupation: { en: 'occupation', zh: '职业' },
  employer: { en: 'employer', zh: '服务处所' },
  status: { en: 'status', zh: '状态' },
  deathDate: { en: 'date of death', zh: '死亡日期' },
  address: { en: 'address', zh: '住址' },
  householdNumber: { en: 'household number', zh: '户号' },
  relationship: { en: 'relationship to the head', zh: '与户主关系' },
  relationshipName: { en: 'relationship to the head', zh: '与户主关系' },
  members: { en: 'household members', zh: '户内成员' },
  head: { en: 'head of household', zh: '户主' },
  since: { en: 'member since', zh: '入户日期' },
  idNumbers: { en: 'ID number history', zh: '身份号码变更记录' },
  timeline: { en: 'registration history', zh: '户籍登记记录' },
  transfers: { en: 'transfers', zh: '迁移记录' },
  validFrom: { en: 'card validity start', zh: '身份证有效期起始日期' },
  validUntil: { en: 'card validity end', zh: '身份证有效期截止日期' },
  valid: { en: 'whether your ID card is valid', zh: '身份证是否有效' },
  cards: { en: 'ID cards', zh: '身份证' },
  applications: { en: 'ID card applications', zh: '身份证申请' },
  registrations: { en: 'residence registrations', zh: '居住登记' },
  permits: { en: 'residence permits', zh: '居住证' },
  endorsements: { en: 'endorsements', zh: '签注' },
  facts: { en: 'residence years', zh: '居住年限' },
  basis: { en: 'basis of the permit', zh: '申领居住证依据' },
  basisEvidence: { en: 'evidence of the basis', zh: '依据证明材料' },
  cityCode: { en: 'city of residence', zh: '居住城市' },
  fee: { en: 'fee', zh: '收费' },
};

/** `person.name`, `household.members[].name` → the words of the last part; unknown parts by their own name. */
export function fieldWords(paths: string[]): (Words & { field: string })[] {
  const seen = new Map<string, Words & { field: string }>();
  for (const path of paths) {
    const leaf = path.replace(/\[\]/g, '').split('.').filter(Boolean).at(-1) ?? path;
    const words = FIELD_WORDS[leaf] ?? { en: leaf.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase(), zh: leaf };
    if (!seen.has(words.en)) seen.set(words.en, { field: leaf, ...words });
  }
  return [...seen.values()];
}

export function roleWords(role: string | null): Words | null {
  return role === null ? null : (ROLE_WORDS[role] ?? { en: role, zh: role });
}

export function actionWords(action: string): Words {
  return ACTION_WORDS[action] ?? { en: action.replace(/[._]/g, ' '), zh: action };
}

/** An instant as China local time: `2026-12-02T18:03:12+08:00`, and its date and time. */
export function chinaLocal(at: Date): { at: string; date: string; time: string } {
  const local = new Date(at.getTime() + 8 * 3600_000).toISOString();
  return { at: `${local.slice(0, 19)}+08:00`, date: local.slice(0, 10), time: local.slice(11, 19) };
}
