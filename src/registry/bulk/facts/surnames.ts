/**
 * Surname frequencies. The order of the top 30 is that of ../shared/data/population-2020.md
 * (王 李 张 刘 陈 …); shares are approximations of the Ministry of Public Security's annual name
 * report (2020) [M]: the first five 4.5–7.2% each, the top 100 about 85% of people.
 */

/** Top 100 surnames with their share of the population in percent [M]. */
export const TOP_SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 7.12], ['李', 7.0], ['张', 6.74], ['刘', 5.38], ['陈', 4.53], ['杨', 3.08], ['黄', 2.5], ['赵', 2.29], ['吴', 2.05], ['周', 1.9],
  ['徐', 1.67], ['孙', 1.54], ['马', 1.44], ['朱', 1.35], ['胡', 1.33], ['郭', 1.2], ['何', 1.16], ['林', 1.13], ['高', 1.11], ['罗', 1.05],
  ['郑', 0.99], ['梁', 0.96], ['谢', 0.85], ['宋', 0.81], ['唐', 0.79], ['许', 0.78], ['韩', 0.75], ['冯', 0.72], ['邓', 0.7], ['曹', 0.67],
  ['彭', 0.66], ['曾', 0.64], ['肖', 0.63], ['田', 0.61], ['董', 0.6], ['袁', 0.57], ['潘', 0.56], ['于', 0.55], ['蒋', 0.54], ['蔡', 0.53],
  ['余', 0.52], ['杜', 0.51], ['叶', 0.5], ['程', 0.49], ['苏', 0.48], ['魏', 0.47], ['吕', 0.46], ['丁', 0.45], ['任', 0.44], ['沈', 0.43],
  ['姚', 0.42], ['卢', 0.41], ['姜', 0.4], ['崔', 0.39], ['钟', 0.38], ['谭', 0.37], ['陆', 0.36], ['汪', 0.35], ['范', 0.34], ['金', 0.33],
  ['石', 0.33], ['廖', 0.32], ['贾', 0.32], ['夏', 0.31], ['韦', 0.31], ['付', 0.3], ['方', 0.3], ['白', 0.29], ['邹', 0.29], ['孟', 0.28],
  ['熊', 0.28], ['秦', 0.27], ['邱', 0.27], ['江', 0.26], ['尹', 0.26], ['薛', 0.25], ['闫', 0.25], ['段', 0.24], ['雷', 0.24], ['侯', 0.23],
  ['龙', 0.23], ['史', 0.22], ['陶', 0.22], ['黎', 0.21], ['贺', 0.21], ['顾', 0.2], ['毛', 0.2], ['郝', 0.19], ['龚', 0.19], ['邵', 0.18],
  ['万', 0.18], ['钱', 0.17], ['严', 0.17], ['覃', 0.16], ['武', 0.16], ['戴', 0.16], ['莫', 0.15], ['孔', 0.15], ['向', 0.15], ['汤', 0.14],
];

/**
 * Less common surnames, in rough order of frequency; they share what the top 100 leave (about 15%)
 * with weights falling off as 1/rank (continuing the ranks of the top 100). Compound surnames are listed last.
 */
export const OTHER_SURNAMES: readonly string[] = [
  ...'常乔赖文牛樊葛邢安齐易伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由',
  '欧阳', '司马', '上官', '诸葛', '司徒', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '夏侯', '端木', '长孙', '宇文',
];

/** Weighted surname table: the top 100 by share, the rest by 1/rank over the remaining share. */
export function surnameWeights(): (readonly [string, number])[] {
  const topShare = TOP_SURNAMES.reduce((s, [, w]) => s + w, 0);
  const rest = Math.max(100 - topShare, 0);
  const first = TOP_SURNAMES.length + 1;
  let harmonic = 0;
  for (let i = 0; i < OTHER_SURNAMES.length; i++) harmonic += 1 / (first + i);
  return [...TOP_SURNAMES, ...OTHER_SURNAMES.map((s, i) => [s, rest / (first + i) / harmonic] as const)];
}
