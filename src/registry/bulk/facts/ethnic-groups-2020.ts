/**
 * The 55 minority nationalities with their census 2020 population (10,000 persons) and the provinces
 * where most of them live, keyed by GB/T 3304-1991 code. The nine largest figures are those of
 * ../shared/data/population-2020.md; the rest and all provincial shares are from memory of the census
 * tables [M] — good enough to weight a synthetic population.
 *
 * `home` gives the share of the group living in each listed province; the remainder spreads over the
 * country by resident population.
 */
export interface EthnicGroup {
  code: string;
  name: string;
  population: number;
  home: Readonly<Record<string, number>>;
  /** Naming custom: Han-style surname + given name (default), Turkic "given·father", Tibetan two-part. */
  naming?: 'turkic' | 'tibetan' | 'mongolian';
}

export const MINORITY_GROUPS_2020: readonly EthnicGroup[] = [
  { code: '08', name: '壮族', population: 1956.85, home: { '45': 0.89, '53': 0.06, '44': 0.02 } },
  { code: '05', name: '维吾尔族', population: 1177.45, home: { '65': 0.99 }, naming: 'turkic' },
  { code: '03', name: '回族', population: 1137.79, home: { '64': 0.22, '62': 0.12, '41': 0.09, '65': 0.09, '63': 0.08, '53': 0.06, '13': 0.05, '37': 0.05 } },
  { code: '06', name: '苗族', population: 1106.79, home: { '52': 0.45, '43': 0.21, '53': 0.12, '50': 0.05, '45': 0.05 } },
  { code: '11', name: '满族', population: 1042.33, home: { '21': 0.5, '13': 0.2, '23': 0.08, '22': 0.08, '15': 0.05 } },
  { code: '07', name: '彝族', population: 983.03, home: { '53': 0.55, '51': 0.3, '52': 0.1 } },
  { code: '15', name: '土家族', population: 958.77, home: { '43': 0.33, '42': 0.25, '52': 0.15, '50': 0.15 } },
  { code: '04', name: '藏族', population: 706.07, home: { '54': 0.44, '51': 0.22, '63': 0.2, '62': 0.07, '53': 0.02 }, naming: 'tibetan' },
  { code: '02', name: '蒙古族', population: 629.02, home: { '15': 0.75, '21': 0.1, '65': 0.03, '22': 0.03, '13': 0.03 }, naming: 'mongolian' },
  { code: '09', name: '布依族', population: 357.68, home: { '52': 0.97 } },
  { code: '12', name: '侗族', population: 349.58, home: { '52': 0.5, '43': 0.3, '45': 0.1 } },
  { code: '13', name: '瑶族', population: 330.93, home: { '45': 0.6, '43': 0.3, '44': 0.05 } },
  { code: '14', name: '白族', population: 209.15, home: { '53': 0.8, '52': 0.1, '43': 0.05 } },
  { code: '16', name: '哈尼族', population: 173.3, home: { '53': 0.99 } },
  { code: '10', name: '朝鲜族', population: 170.25, home: { '22': 0.6, '23': 0.15, '21': 0.12 } },
  { code: '19', name: '黎族', population: 160.21, home: { '46': 0.95 } },
  { code: '17', name: '哈萨克族', population: 156.25, home: { '65': 0.98 }, naming: 'turkic' },
  { code: '18', name: '傣族', population: 132.99, home: { '53': 0.99 } },
  { code: '26', name: '东乡族', population: 77.44, home: { '62': 0.85, '65': 0.1 } },
  { code: '20', name: '傈僳族', population: 76.29, home: { '53': 0.96, '51': 0.03 } },
  { code: '22', name: '畲族', population: 74.63, home: { '35': 0.5, '33': 0.25, '36': 0.1 } },
  { code: '37', name: '仡佬族', population: 67.72, home: { '52': 0.98 } },
  { code: '24', name: '拉祜族', population: 49.92, home: { '53': 0.99 } },
  { code: '25', name: '水族', population: 49.59, home: { '52': 0.93, '45': 0.05 } },
  { code: '21', name: '佤族', population: 43.09, home: { '53': 0.99 } },
  { code: '27', name: '纳西族', population: 32.31, home: { '53': 0.9, '51': 0.08 } },
  { code: '33', name: '羌族', population: 31.26, home: { '51': 0.98 } },
  { code: '30', name: '土族', population: 28.16, home: { '63': 0.8, '62': 0.15 } },
  { code: '32', name: '仫佬族', population: 27.76, home: { '45': 0.95 } },
  { code: '29', name: '柯尔克孜族', population: 20.44, home: { '65': 0.98 }, naming: 'turkic' },
  { code: '38', name: '锡伯族', population: 19.14, home: { '21': 0.7, '65': 0.2 } },
  { code: '35', name: '撒拉族', population: 16.5, home: { '63': 0.85, '62': 0.1 } },
  { code: '28', name: '景颇族', population: 16.06, home: { '53': 0.99 } },
  { code: '31', name: '达斡尔族', population: 13.21, home: { '15': 0.6, '23': 0.3, '65': 0.05 } },
  { code: '34', name: '布朗族', population: 12.75, home: { '53': 0.99 } },
  { code: '36', name: '毛南族', population: 12.42, home: { '45': 0.95 } },
  { code: '41', name: '塔吉克族', population: 5.09, home: { '65': 0.99 }, naming: 'turkic' },
  { code: '40', name: '普米族', population: 4.54, home: { '53': 0.95 } },
  { code: '39', name: '阿昌族', population: 4.39, home: { '53': 0.99 } },
  { code: '42', name: '怒族', population: 3.65, home: { '53': 0.99 } },
  { code: '45', name: '鄂温克族', population: 3.49, home: { '15': 0.85, '23': 0.1 } },
  { code: '49', name: '京族', population: 3.34, home: { '45': 0.95 } },
  { code: '56', name: '基诺族', population: 2.64, home: { '53': 0.99 } },
  { code: '47', name: '保安族', population: 2.46, home: { '62': 0.95 } },
  { code: '46', name: '德昂族', population: 2.21, home: { '53': 0.99 } },
  { code: '44', name: '俄罗斯族', population: 1.66, home: { '65': 0.7, '15': 0.15, '23': 0.1 } },
  { code: '48', name: '裕固族', population: 1.47, home: { '62': 0.95 } },
  { code: '43', name: '乌孜别克族', population: 1.27, home: { '65': 0.95 }, naming: 'turkic' },
  { code: '54', name: '门巴族', population: 1.16, home: { '54': 0.95 }, naming: 'tibetan' },
  { code: '52', name: '鄂伦春族', population: 0.93, home: { '15': 0.5, '23': 0.45 } },
  { code: '51', name: '独龙族', population: 0.72, home: { '53': 0.95 } },
  { code: '53', name: '赫哲族', population: 0.56, home: { '23': 0.9 } },
  { code: '55', name: '珞巴族', population: 0.42, home: { '54': 0.9 }, naming: 'tibetan' },
  { code: '23', name: '高山族', population: 0.39, home: { '35': 0.6 } },
  { code: '50', name: '塔塔尔族', population: 0.35, home: { '65': 0.95 }, naming: 'turkic' },
  // GB/T 3304 97 其他 (groups not yet identified, mostly 穿青人 in Guizhou) and 98 (naturalised citizens of foreign origin)
  { code: '97', name: '其他', population: 83.62, home: { '52': 0.9 } },
  { code: '98', name: '外国血统中国籍人士', population: 1.64, home: { '44': 0.3, '11': 0.2, '31': 0.2 } },
];

export const HAN_CODE = '01';
