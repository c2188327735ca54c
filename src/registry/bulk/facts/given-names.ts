/**
 * Given names by generation and sex. Chinese naming fashions changed sharply with the decades
 * (建国/秀英 in the 1950s, 伟/静 in the 1980s, 子轩/梓涵 in the 2010s — the MPS annual name reports
 * list the most given names per birth year) [M]. Each era has whole names (the most frequent, drawn
 * more often) and characters that combine into two-character names; single-character names peaked
 * for people born in the 1980s–1990s.
 */

export interface NamingEra {
  /** First birth year of the era. */
  from: number;
  /** Probability of a single-character given name. */
  singleShare: number;
  male: { whole: readonly string[]; first: string; second: string; single: string };
  female: { whole: readonly string[]; first: string; second: string; single: string };
}

const words = (s: string): readonly string[] => s.split(' ');

export const NAMING_ERAS: readonly NamingEra[] = [
  {
    from: 0,
    singleShare: 0.12,
    male: {
      whole: words('建国 国强 志强 建华 国华 德明 志明 文华 玉林 福生 长青 振华 国庆 建军 学文 金山 永福 德胜 树林 秀山 宝山 广才 富贵 长林 桂林 德华 春生 贵生 永昌 庆华'),
      first: '建国志德文玉福长振学金永树秀宝广富桂春贵庆树有凤荣家世兆',
      second: '国华明强林生山福胜昌才贵成民祥仁义发田荣忠和海清泉春',
      single: '海明军华林山忠胜强福',
    },
    female: {
      whole: words('秀英 桂英 秀兰 玉兰 桂兰 凤英 玉珍 淑珍 秀珍 玉梅 凤兰 桂芳 秀云 素英 淑华 兰英 桂珍 秀芳 玉英 美兰 素珍 玉华 秀华 桂香 翠兰 金凤 淑英 玉芝 秀荣 凤琴'),
      first: '秀桂玉凤淑素美翠金兰月春冬巧彩金爱宝',
      second: '英兰珍梅芳云华香芝荣琴凤莲花娥娟霞贞',
      single: '英兰珍梅芳华香荣琴莲',
    },
  },
  {
    from: 1960,
    singleShare: 0.3,
    male: {
      whole: words('建华 建平 卫东 红军 志刚 建军 国平 海涛 永刚 建伟 卫国 军 伟 勇 强 刚 斌 平 波 辉 华 明 杰 红兵 建新 向东 学军 立新 东升 跃进'),
      first: '建卫红志国海永向学立东跃新小晓文明宏伟金',
      second: '华平东军刚国涛伟新兵明生林峰斌民强辉杰荣',
      single: '军伟勇强刚斌平波辉华明杰峰涛亮',
    },
    female: {
      whole: words('红 丽 英 霞 敏 燕 萍 玲 芳 红梅 丽华 红霞 丽萍 秀梅 春梅 海燕 艳 静 晓红 小红 爱华 卫红 建英 红英 丽娟 秀丽 美玲 晓燕 红艳 亚琴'),
      first: '红丽秀春海晓小爱卫建美亚艳玉月雪彩',
      second: '梅华霞萍燕红英娟丽玲琴芳莉敏艳云',
      single: '红丽英霞敏燕萍玲芳艳静娟',
    },
  },
  {
    from: 1980,
    singleShare: 0.38,
    male: {
      whole: words('伟 磊 涛 鹏 超 浩 勇 杰 强 军 斌 亮 明 刚 平 辉 俊 帅 鑫 宇 晓东 志强 海涛 文博 家豪 子健 俊杰 天宇 浩然 晓明'),
      first: '晓志海文家子俊天浩建立明春嘉宏国振少永鹏',
      second: '东强涛博豪健杰宇然明伟峰辉亮龙飞华军鹏鑫',
      single: '伟磊涛鹏超浩勇杰强军斌亮明刚辉俊帅鑫宇凯',
    },
    female: {
      whole: words('静 丽 敏 燕 婷 雪 娟 艳 芳 颖 晶 倩 洁 琳 丹 佳 莉 晓燕 晓丽 婷婷 雪梅 丽娟 佳琪 欣然 梦婷 思思 晓雪 慧敏 丽丽 文静'),
      first: '晓雪丽佳欣梦思慧文婷春海美玉秀雅诗',
      second: '燕丽婷梅娟琪然雪敏静颖琳洁倩丹莉怡',
      single: '静丽敏燕婷雪娟艳芳颖晶倩洁琳丹佳莉',
    },
  },
  {
    from: 2000,
    singleShare: 0.1,
    male: {
      whole: words('浩宇 子轩 浩然 宇轩 梓豪 俊熙 宇航 一鸣 皓轩 博文 铭泽 睿 奕辰 宇泽 子墨 沐宸 梓睿 俊宇 逸飞 浩轩 明轩 子豪 天佑 承泽 宇辰 思远 俊豪 梓轩 锦程 嘉懿'),
      first: '浩子宇梓俊一皓博铭奕沐逸明天承思锦嘉晨睿泽亦',
      second: '宇轩然豪熙航鸣文泽辰墨宸睿飞佑远程懿阳瑞凯轩',
      single: '睿浩轩宇泽晨博瑞凯阳',
    },
    female: {
      whole: words('子涵 欣怡 梓涵 诗涵 雨涵 一诺 梓萱 可馨 欣妍 思琪 紫涵 佳怡 语桐 诗琪 若汐 雨桐 梦瑶 依诺 心怡 梓琪 艺涵 嘉怡 晨曦 雨欣 诗雨 欣然 子萱 思涵 佳琪 紫萱'),
      first: '子欣梓诗雨一可思紫佳语若梦依心艺嘉晨芷安沐',
      second: '涵怡萱馨妍琪桐汐瑶诺曦欣雨然彤悦琳晴',
      single: '涵怡萱馨妍琪桐瑶诺悦',
    },
  },
];

/** Given names of Uyghur, Kazakh and other Turkic-speaking groups, written as 本名·父名 [M]. */
export const TURKIC_NAMES = {
  male: words('买买提 艾合买提 阿不都 吐尔逊 艾力 热合曼 依明 努尔 阿里木 艾克拜尔 穆罕默德 亚森 塔依尔 卡德尔 吾斯曼 肉孜 阿布力孜 米吉提 艾尼瓦尔 阿迪力'),
  female: words('阿依古丽 古丽 热依拉 帕提古丽 迪丽 努尔古丽 阿依努尔 再努尔 米日古丽 阿米娜 祖丽皮亚 阿依夏木 热娜 古丽娜 海尼沙'),
} as const;

/** Tibetan names: two two-syllable elements, no surname [M]. */
export const TIBETAN_NAMES = {
  first: words('扎西 次仁 格桑 丹增 旺堆 平措 尼玛 达瓦 洛桑 索朗 强巴 边巴 普布 巴桑 多吉'),
  male: words('多吉 顿珠 平措 旺堆 次旦 罗布 加措 朗杰 群培 桑珠'),
  female: words('卓玛 央金 拉姆 德吉 措姆 曲珍 白玛 卓嘎 普赤 央宗'),
} as const;

/** Mongolian names (about half of Mongols in the register carry one; the rest Han-style names) [M]. */
export const MONGOLIAN_NAMES = {
  male: words('巴特尔 苏和 额尔敦 朝鲁 阿拉坦 巴图 孟和 宝音 其木格图 那顺 布和 毕力格 特木尔 巴雅尔 乌力吉'),
  female: words('其其格 乌云 斯琴 萨仁 高娃 娜仁 托娅 图雅 格日乐 塔娜 乌兰 琪琪格 阿茹娜 萨日娜 其木格'),
} as const;
