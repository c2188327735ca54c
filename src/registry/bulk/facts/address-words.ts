/**
 * Building blocks of synthetic street addresses: common Chinese road names for urban sub-districts
 * (街道), village names for towns and townships (镇/乡), and the units that hold collective households.
 */
const words = (s: string): readonly string[] => s.split(' ');

export const ROAD_NAMES = words(
  '人民路 解放路 建设路 中山路 和平路 新华路 幸福路 胜利路 文化路 光明路 友谊路 团结路 东风路 长江路 黄河路 复兴路 朝阳路 建国路 青年路 花园路 ' +
    '南京路 北京路 工业路 学府路 滨河路 健康路 跃进路 红旗路 振兴路 育才路 富强路 民主路 新民街 府前街 东大街 西大街 南大街 北大街 迎宾大道 世纪大道',
);

export const VILLAGE_STEMS = words(
  '新华 东风 红星 胜利 向阳 和平 团结 光明 幸福 新民 永安 太平 长兴 富民 新农 前进 民主 兴隆 保安 朝阳 ' +
    '双河 三合 石桥 大树 柳林 杨庄 王庄 李家 张家 刘家 陈家 大营 小营 河东 河西 东湾 西湾 南岗 北岗 中心',
);

export const COLLECTIVE_UNITS = words(
  '第一中学 职业技术学院 师范学院 理工大学 人民医院 机械厂 纺织厂 电子有限公司 建筑工程有限公司 物流有限公司 供电公司 食品有限公司',
);
