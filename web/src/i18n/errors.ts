/**
 * API error codes (docs/errors.md) in words a citizen or an officer understands, with what to do
 * next. Codes not listed fall back to UNKNOWN (4xx) or INTERNAL (5xx); the server's own sentence is
 * always shown underneath.
 */
type Entry = { zh: [title: string, next: string]; en: [title: string, next: string] };

const E: Record<string, Entry> = {
  UNKNOWN: { zh: ['请求未能完成', '请检查填写的内容后重试；如仍不行，请带上下方的参考编号联系窗口或客服。'], en: ['The request could not be completed', 'Check what you entered and try again; if it still fails, contact the counter or help desk with the reference below.'] },
  INTERNAL: { zh: ['系统暂时出错', '这不是您的问题。请稍后重试；如仍不行，请带上参考编号联系客服。'], en: ['Something went wrong on our side', 'It is not your fault. Try again in a moment; if it keeps failing, contact the help desk with the reference.'] },
  NETWORK: { zh: ['无法连接到服务器', '请检查网络连接后重试。您填写的内容仍保留在页面上。'], en: ['The server could not be reached', 'Check your connection and try again. What you entered is still on the page.'] },
  VALIDATION_FAILED: { zh: ['填写的内容有误', '请按下方列出的项目修改后再提交。'], en: ['Some entries are not valid', 'Correct the fields listed below and submit again.'] },
  UNAUTHENTICATED: { zh: ['需要登录', '请重新登录后继续。'], en: ['You need to sign in', 'Sign in again to continue.'] },
  SESSION_EXPIRED: { zh: ['登录已过期', '请重新登录；您填写的内容不会丢失。'], en: ['Your session has expired', 'Sign in again; what you entered is kept.'] },
  INVALID_CREDENTIALS: { zh: ['用户名或密码不正确', '请检查后重试。多次输错会暂时锁定账户。'], en: ['Wrong username or password', 'Check them and try again. Repeated failures lock the account for a while.'] },
  SECOND_FACTOR_REQUIRED: { zh: ['需要动态验证码', '请输入验证器应用中的6位数字。'], en: ['Your 6-digit code is needed', 'Enter the 6-digit code from your authenticator app.'] },
  SECOND_FACTOR_INVALID: { zh: ['验证码不正确或已过期', '请输入验证器当前显示的6位数字（每30秒更新）。'], en: ['The code is wrong or has expired', 'Enter the 6 digits your authenticator shows now (they change every 30 seconds).'] },
  ACCOUNT_LOCKED: { zh: ['账户已锁定', '请稍后再试，或联系管理员解锁。'], en: ['The account is locked', 'Try again later, or ask an administrator to unlock it.'] },
  PASSWORD_CHANGE_REQUIRED: { zh: ['需要先修改密码', '管理员重置了您的密码，请设置新密码后继续。'], en: ['Change your password first', 'An administrator reset your password; set a new one to continue.'] },
  WEAK_PASSWORD: { zh: ['新密码太弱', '请使用至少12位、不易猜到的密码。'], en: ['The new password is too weak', 'Use at least 12 characters that are hard to guess.'] },
  CSRF_FAILED: { zh: ['页面已过期', '请刷新页面后重试。'], en: ['The page is out of date', 'Reload the page and try again.'] },
  FORBIDDEN: { zh: ['您无权办理此事项', '此事项需由有权限的民警或机关办理；如有疑问请联系上级。'], en: ['You may not do this', 'This needs an officer or authority with that power; ask your supervisor if in doubt.'] },
  PURPOSE_REQUIRED: { zh: ['需要填写查询事由', '请先填写案件编号或申请编号（如 CASE-2026-0001），再查看完整记录。'], en: ['State the purpose first', 'Enter the case or application reference (e.g. CASE-2026-0001) before a full record is shown.'] },
  RATE_LIMITED: { zh: ['操作过于频繁', '请稍等片刻再试。'], en: ['Too many requests', 'Wait a moment and try again.'] },
  NOT_FOUND: { zh: ['未找到', '请检查地址或编号。'], en: ['Not found', 'Check the address or the number.'] },
  PERSON_NOT_FOUND: { zh: ['未找到此人', '请核对身份号码；不在您辖区的人员同样显示为未找到。'], en: ['No such person', 'Check the ID number; a person outside your area also shows as not found.'] },
  HOUSEHOLD_NOT_FOUND: { zh: ['未找到户', '请核对户号；不在您辖区的户同样显示为未找到。居民若看到此提示，请联系户籍所在派出所。'], en: ['No such household', 'Check the household number; one outside your area also shows as not found. Citizens: contact your hukou police station.'] },
  TRANSFER_NOT_FOUND: { zh: ['未找到迁移申请', '请核对申请编号。'], en: ['No such transfer', 'Check the transfer reference.'] },
  ACCOUNT_NOT_LINKED: { zh: ['账户尚未关联户籍记录', '请携带身份证到派出所办理账户关联。'], en: ['Your account is not linked to your record', 'Bring your ID card to a police station to have it linked.'] },
  INVALID_CODE: { zh: ['代码无效', '请从列表中选择（如民族、与户主关系、乡镇代码）。'], en: ['Invalid code', 'Choose from the list (ethnicity, relationship, township code).'] },
  VERSION_CONFLICT: { zh: ['记录已被他人修改', '在您打开之后，这条记录已被修改。请重新载入，核对最新内容后再提交；您填写的内容仍在表单中。'], en: ['Someone changed this record meanwhile', 'It changed after you opened it. Reload it, check the latest state, then submit again; your entries are still in the form.'] },
  CONCURRENT_UPDATE: { zh: ['记录正在被同时修改', '请稍后重试。'], en: ['The record is being changed right now', 'Try again in a moment.'] },
  IDEMPOTENCY_KEY_REUSED: { zh: ['重复提交的内容不一致', '请刷新页面后重新填写提交。'], en: ['A repeated submission differed', 'Reload the page and submit again.'] },
  DUPLICATE_ID_NUMBER: { zh: ['身份号码已存在', '此号码已登记给他人，请核对。'], en: ['The ID number already exists', 'It is registered to someone else; check it.'] },
  SECOND_HUKOU: { zh: ['已有常住户口', '一人只能有一个常住户口；请先办理迁出。'], en: ['Already has a hukou', 'A person has one hukou only; move them out first.'] },
  ALREADY_REGISTERED: { zh: ['已经登记', '此人已在户籍中，无需重复登记。'], en: ['Already registered', 'The person is already in the register.'] },
  NOT_A_MEMBER: { zh: ['不是本户成员', '请选择本户的成员。'], en: ['Not a member of this household', 'Choose a member of this household.'] },
  PERSON_DECEASED: { zh: ['此人已登记死亡', '已死亡人员不能办理此事项。'], en: ['The person is registered as deceased', 'This service is not available for them.'] },
  PERSON_NOT_ACTIVE: { zh: ['户口已注销', '请先恢复户口登记。'], en: ['The hukou is cancelled', 'Restore the registration first.'] },
  HOUSEHOLD_CLOSED: { zh: ['此户已销户', '请选择现存的户。'], en: ['The household is closed', 'Choose an open household.'] },
  HEAD_CONFLICT: { zh: ['户主设置冲突', '每户只能有一名户主，请检查关系。'], en: ['Head of household conflict', 'A household has exactly one head; check the relationships.'] },
  INTERPROVINCIAL_MOVE: { zh: ['这是跨省迁移', '请改用"跨省迁移"（迁入地一站式办理）。'], en: ['This is an interprovincial move', 'Use "Interprovincial transfer" (handled at the destination) instead.'] },
  SAME_HOUSEHOLD: { zh: ['迁入户与原户相同', '请填写另一个户号。'], en: ['Same household', 'Enter another household number.'] },
  TRANSFER_IN_PROGRESS: { zh: ['已有迁移在办理中', '请等待当前迁移办结。'], en: ['A transfer is already in progress', 'Wait for it to finish.'] },
  TRANSFER_NOT_INTERPROVINCIAL: { zh: ['不是跨省迁移', '省内迁移请用"迁移"。'], en: ['Not interprovincial', 'Use "Move" within the province.'] },
  TRANSFER_STATE: { zh: ['迁移当前状态不允许此操作', '请刷新查看迁移的最新状态。'], en: ['Not possible in the transfer’s current state', 'Reload to see its latest state.'] },
  ID_CARD_APPLICATION_NOT_FOUND: { zh: ['未找到身份证申请', '请核对申请编号；不在您辖区的申请同样显示为未找到。'], en: ['No such ID card application', 'Check the reference; one outside your area also shows as not found.'] },
  APPLICATION_IN_PROGRESS: { zh: ['已有身份证申请在办理中', '请等待当前申请办结（可在"我的身份证"查看进度）。'], en: ['An ID card application is already in progress', 'Wait for it to finish (see "My ID card" for its progress).'] },
  APPLICATION_STATE: { zh: ['申请当前状态不允许此操作', '可能已被确认、发放或退回；请刷新查看。'], en: ['Not possible in the application’s current state', 'It may already be confirmed, delivered or refused; reload to see.'] },
  FIRST_CARD_ALREADY_ISSUED: { zh: ['已经领过身份证', '请改为申请换领或补领。'], en: ['A first card was already issued', 'Apply for a renewal or a reissue instead.'] },
  NO_CARD_TO_RENEW: { zh: ['没有可换领的身份证', '请申请首次领证或补领。'], en: ['No card to renew', 'Apply for a first card or a reissue.'] },
  CARD_NOT_NEAR_EXPIRY: { zh: ['尚未到换领时间', '有效期满前3个月内才能换领；到期前会提醒您。'], en: ['Too early to renew', 'Renewal opens 3 months before expiry; you will be reminded.'] },
  NAME_NOT_CHANGED: { zh: ['姓名未变更', '因姓名变更换领，需先办理姓名变更登记。'], en: ['The name has not changed', 'Register the name change first.'] },
  REISSUE_WITHOUT_LOSS_REPORT: { zh: ['补领前需先挂失', '请先挂失原身份证（可在"我的身份证"在线挂失），再申请补领。'], en: ['Report the card lost before a reissue', 'Report the old card lost first (online in "My ID card"), then apply for the reissue.'] },
  NO_PENDING_APPLICATION: { zh: ['没有待办的申请', '临时身份证需在身份证申请办理期间申领。'], en: ['No pending application', 'A temporary card needs an ID card application in progress.'] },
  SECOND_VALID_CARD: { zh: ['已有有效身份证', '一人只能持有一张有效身份证。'], en: ['A valid card exists', 'A person holds one valid card at a time.'] },
  ID_NUMBER_CHANGED: { zh: ['身份号码已变更', '请使用新的身份号码办理。'], en: ['The ID number has changed', 'Use the new ID number.'] },
  NO_VALID_CARD: { zh: ['没有可挂失的有效身份证', '您的身份证可能已挂失、过期或尚未领取。如需新证，请到任一派出所申请补领或换领。'], en: ['No valid card to report lost', 'Your card may already be reported lost, expired or not yet collected. For a new card, apply at any police station.'] },
  FEE_WAIVER_NOT_APPLICABLE: { zh: ['不适用减免', '此类申请不能减免费用。'], en: ['No fee waiver for this', 'This kind of application has no waiver.'] },
  RESIDENCE_REGISTRATION_NOT_FOUND: { zh: ['未找到居住登记', '请核对编号。'], en: ['No such residence registration', 'Check the reference.'] },
  RESIDENCE_PERMIT_NOT_FOUND: { zh: ['未找到居住证', '请核对编号。'], en: ['No such residence permit', 'Check the reference.'] },
  NO_CURRENT_HUKOU: { zh: ['暂无常住户口', '跨省迁移正在办理中，办结后再申请。'], en: ['No current hukou', 'An interprovincial transfer is in progress; apply when it is done.'] },
  RESIDENCE_IN_HUKOU_CITY: { zh: ['居住地与户籍地在同一城市', '在户籍所在城市无需办理居住登记。'], en: ['Residence is in the hukou city', 'No residence registration is needed there.'] },
  RESIDENCE_ALREADY_REGISTERED: { zh: ['已办理居住登记', '此人已在本市登记居住。'], en: ['Already registered here', 'The person is already registered as resident in this city.'] },
  RESIDENCE_REGISTRATION_ENDED: { zh: ['居住登记已结束', '请重新办理居住登记。'], en: ['The registration has ended', 'Register residence again.'] },
  NO_RESIDENCE_REGISTRATION: { zh: ['尚未办理居住登记', '请先办理居住登记，满半年后可申领居住证。'], en: ['No residence registration', 'Register residence first; a permit can follow after six months.'] },
  RESIDENCE_TOO_SHORT: { zh: ['居住时间不满半年', '居住登记满半年后才能申领居住证。'], en: ['Less than six months of residence', 'A permit needs six months of registered residence.'] },
  PERMIT_BASIS_REQUIRED: { zh: ['需要申领条件', '请选择合法稳定就业、合法稳定住所或连续就读，并填写证明材料。'], en: ['A basis is needed', 'Choose stable employment, a stable residence or study, and name the evidence.'] },
  PERMIT_EXISTS: { zh: ['已有居住证', '此人已持有或正在申领居住证。'], en: ['A permit exists', 'The person holds or is applying for one.'] },
  PERMIT_STATE: { zh: ['居住证当前状态不允许此操作', '请刷新查看最新状态。'], en: ['Not possible in the permit’s current state', 'Reload to see its latest state.'] },
  PERMIT_NOT_ISSUED: { zh: ['居住证尚未签发', '签发后才能签注。'], en: ['The permit is not issued yet', 'Endorsements follow issue.'] },
  PERMIT_CANCELLED: { zh: ['居住证已注销', '请重新申领。'], en: ['The permit is cancelled', 'Apply again.'] },
  ENDORSEMENT_NOT_DUE: { zh: ['尚未到签注时间', '每满一年前后一个月内办理签注。'], en: ['Endorsement is not due yet', 'Endorse within the month around each anniversary.'] },
  ID_FORMAT: { zh: ['身份号码格式不对', '应为18位，最后一位可以是X。'], en: ['ID number format', '18 characters; the last may be X.'] },
  ID_CHECKSUM: { zh: ['身份号码校验位不对', '请逐位核对，可能有一位输错。'], en: ['ID number check digit is wrong', 'Check each digit; one may be mistyped.'] },
  ID_BIRTH_DATE: { zh: ['身份号码中的出生日期无效', '请核对第7至14位。'], en: ['Invalid birth date in the ID number', 'Check digits 7 to 14.'] },
  ID_ADDRESS_CODE: { zh: ['身份号码中的地址码无效', '请核对前6位。'], en: ['Invalid address code in the ID number', 'Check the first 6 digits.'] },
  DATABASE_UNAVAILABLE: { zh: ['系统暂时无法使用', '请稍后重试。'], en: ['The system is temporarily unavailable', 'Try again shortly.'] },
  ACCESS_LOG_UNAVAILABLE: { zh: ['访问记录暂时无法写入', '为保护您的数据，查询已暂停，请稍后重试。'], en: ['The access log cannot be written now', 'To protect personal data the read was stopped; try again shortly.'] },
};

export function errorsFor(lang: 'zh' | 'en'): Record<string, unknown> {
  const out: Record<string, unknown> = {
    next: lang === 'zh' ? '下一步：' : 'What to do:',
    technical: lang === 'zh' ? '技术信息' : 'Technical details',
    reference: lang === 'zh' ? '参考编号：{{id}}' : 'Reference: {{id}}',
  };
  for (const [code, entry] of Object.entries(E)) out[code] = { title: entry[lang][0], next: entry[lang][1] };
  return out;
}

export const ERROR_CODES_WITH_MESSAGES = Object.keys(E);
