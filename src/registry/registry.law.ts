/**
 * The legal bases and deadlines the register applies, as data. Each event records the `legalBasis`
 * of the operation that wrote it. Article texts: 中华人民共和国户口登记条例 (1958), checked in a
 * secondary reproduction (hukou-domain §7.1, §7.4 [V2]); transfer policy per MPS 2021/2024 [V].
 */
export const LEGAL_BASIS = {
  /** Art. 5: registration by household; the person in charge is head; collective households for units. */
  household: '户口登记条例 第五条',
  /** Public collective households (公共集体户) for people who rent: NDRC 2019 key tasks of new urbanisation. */
  publicCollectiveHousehold: '户口登记条例 第五条；国家发展改革委《2019年新型城镇化建设重点任务》（发改规划〔2019〕617号）',
  /** Art. 6: one place of permanent registration, at the habitual residence. */
  oneHukou: '户口登记条例 第六条',
  /** Art. 7: birth registered within one month, at the infant's place of permanent residence. */
  birth: '户口登记条例 第七条',
  /** Art. 8: death registered (before burial in cities, within one month in the countryside); hukou cancelled. */
  death: '户口登记条例 第八条',
  /** Art. 10: move-out registered before leaving, hukou cancelled; para. 3: leaving the country to settle abroad. */
  moveOut: '户口登记条例 第十条',
  /** Art. 11: enlistment — hukou cancelled before joining, no migration certificate. */
  enlistment: '户口登记条例 第十一条',
  /** Art. 13: move-in registered within 3 days (city) / 10 days (countryside) of arrival. */
  moveIn: '户口登记条例 第十三条',
  /** Art. 17: changes and corrections, on application by the head or the person, after verification. */
  correction: '户口登记条例 第十七条',
  /** Art. 18: change of name (minors through parents or adopters). */
  nameChange: '户口登记条例 第十八条',
  /** GB 11643-1999 §5: the ID number encodes birth date and sex, so correcting either issues a new number. */
  idNumberChange: '户口登记条例 第十七条；GB 11643-1999 第5章',
  /** Interprovincial transfer decided and handled at the destination (迁入地"一站式"办理). */
  transfer: '公安部 户口迁移迁入地"一站式"办理（2021年起试行，2024年5月起全国推行）',
} as const;

/**
 * The 出生医学证明 (birth medical certificate, 母婴保健法 Art. 23; national form since 1996-01-01) is
 * what the birth registration of Art. 7 is made on. Its number is one letter and nine digits on the
 * editions since 1999 (the 7th edition of 2023-04-01 keeps "1位字母9位数字" and adds a barcode; NHC
 * notice as reported by hospitals issuing it, e.g. taixing.gov.cn 2023). Checked as that shape.
 */
export const BIRTH_CERTIFICATE_NUMBER = /^[A-Z][0-9]{9}$/;

/** Art. 7: a birth is due for registration within one month; later registrations are flagged. */
export const BIRTH_REGISTRATION_MONTHS = 1;

/**
 * How long an approved transfer may take to complete before it is compensated as expired. No
 * national figure is published for the electronic procedure; 30 days mirrors the validity of the
 * paper migration certificate (准予迁入证明) in local practice [M] — a policy value, not law.
 */
export const TRANSFER_DEADLINE_DAYS = 30;

/** GB/T 4761-2008: 02 is the head of household (户主); 01 本人 ("self") is not a relationship to a head. */
export const HEAD_RELATIONSHIP = '02';
export const SELF_RELATIONSHIP = '01';
/** GB/T 4761-2008 80 其他: a relationship the register cannot know, until the household states it. */
export const OTHER_RELATIONSHIP = '80';
