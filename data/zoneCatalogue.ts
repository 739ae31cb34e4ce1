/**
 * The Shanxi development zones of the demo set: names from the source reports (see shared docs/domain.md),
 * placed near their real towns. Boundaries generated from these are illustrative (示意), not the real ones.
 * lon/lat: the town the zone is named after; level, industry: plausible, not official.
 */
export interface ZoneSeed {
  code: string;
  name: string;
  nameEn: string;
  level: 'national' | 'provincial';
  city: string;
  county: string;
  lon: number;
  lat: number;
  leadingIndustry: string;
  /** City code used in the first digits of enterprises' credit codes (行政区划代码, city level). */
  regionCode: string;
  phoneAreaCode: string;
  /** Relative size: national zones are larger. */
  weight: number;
  /** 产城融合 zones carry more housing and services. */
  mixedUse?: boolean;
}

export const ZONE_SEEDS: readonly ZoneSeed[] = [
  { code: 'SX-ZGQ', name: '山西转型综合改革示范区', nameEn: 'Shanxi Comprehensive Reform Demonstration Zone', level: 'national', city: '太原市', county: '小店区', lon: 112.58, lat: 37.74, leadingIndustry: '光伏、半导体与高端装备', regionCode: '140100', phoneAreaCode: '0351', weight: 2.2, mixedUse: true },
  { code: 'SX-JZKF', name: '晋中经济技术开发区', nameEn: 'Jinzhong Economic and Technological Development Zone', level: 'national', city: '晋中市', county: '榆次区', lon: 112.80, lat: 37.70, leadingIndustry: '光伏、信息存储与装备制造', regionCode: '140700', phoneAreaCode: '0354', weight: 1.6 },
  { code: 'SX-JZNG', name: '晋中国家农业高新技术产业示范区', nameEn: 'Jinzhong National Agricultural Hi-tech Zone', level: 'national', city: '晋中市', county: '太谷区', lon: 112.56, lat: 37.43, leadingIndustry: '功能食品与农业科技', regionCode: '140700', phoneAreaCode: '0354', weight: 1.0 },
  { code: 'SX-YSJK', name: '榆社经济技术开发区', nameEn: 'Yushe Economic Development Zone', level: 'provincial', city: '晋中市', county: '榆社县', lon: 112.98, lat: 37.06, leadingIndustry: '新型储能与化工新材料', regionCode: '140700', phoneAreaCode: '0354', weight: 0.7 },
  { code: 'SX-QXJK', name: '祁县经济技术开发区', nameEn: 'Qixian Economic Development Zone', level: 'provincial', city: '晋中市', county: '祁县', lon: 112.35, lat: 37.37, leadingIndustry: '玻璃器皿与电商物流', regionCode: '140700', phoneAreaCode: '0354', weight: 0.8 },
  { code: 'SX-SYJK', name: '寿阳经济技术开发区', nameEn: 'Shouyang Economic Development Zone', level: 'provincial', city: '晋中市', county: '寿阳县', lon: 113.20, lat: 37.87, leadingIndustry: '新材料（城南新材料产业园）', regionCode: '140700', phoneAreaCode: '0354', weight: 0.8 },
  { code: 'SX-ZQST', name: '左权生态文化旅游示范区', nameEn: 'Zuoquan Eco-culture Tourism Demonstration Zone', level: 'provincial', city: '晋中市', county: '左权县', lon: 113.38, lat: 37.09, leadingIndustry: '文化旅游与绿色食品', regionCode: '140700', phoneAreaCode: '0354', weight: 0.5, mixedUse: true },
  { code: 'SX-YQGX', name: '阳泉高新技术产业开发区', nameEn: 'Yangquan Hi-tech Industrial Development Zone', level: 'provincial', city: '阳泉市', county: '郊区', lon: 113.55, lat: 37.88, leadingIndustry: '新型储能、新材料与数字经济', regionCode: '140300', phoneAreaCode: '0353', weight: 1.2 },
  { code: 'SX-PDJK', name: '平定经济技术开发区', nameEn: 'Pingding Economic Development Zone', level: 'provincial', city: '阳泉市', county: '平定县', lon: 113.64, lat: 37.78, leadingIndustry: '化工新材料与锂电装备', regionCode: '140300', phoneAreaCode: '0353', weight: 0.8 },
  { code: 'SX-YXJK', name: '盂县经济技术开发区', nameEn: 'Yuxian Economic Development Zone', level: 'provincial', city: '阳泉市', county: '盂县', lon: 113.42, lat: 38.07, leadingIndustry: '智能装备与铝镁合金', regionCode: '140300', phoneAreaCode: '0353', weight: 0.7 },
  { code: 'SX-DTJK', name: '大同经济技术开发区', nameEn: 'Datong Economic and Technological Development Zone', level: 'national', city: '大同市', county: '平城区', lon: 113.36, lat: 40.04, leadingIndustry: '算力与数据中心、生物医药、高端装备', regionCode: '140200', phoneAreaCode: '0352', weight: 1.8 },
  { code: 'SX-ZYKF', name: '左云经济技术开发区', nameEn: 'Zuoyun Economic Development Zone', level: 'provincial', city: '大同市', county: '左云县', lon: 112.71, lat: 40.01, leadingIndustry: '新能源与固废综合利用', regionCode: '140200', phoneAreaCode: '0352', weight: 0.5 },
  { code: 'SX-XRKF', name: '新荣经济技术开发区', nameEn: 'Xinrong Economic Development Zone', level: 'provincial', city: '大同市', county: '新荣区', lon: 113.15, lat: 40.25, leadingIndustry: '清洁能源与农产品加工', regionCode: '140200', phoneAreaCode: '0352', weight: 0.5 },
  { code: 'SX-YGKF', name: '云冈经济技术开发区', nameEn: 'Yungang Economic Development Zone', level: 'provincial', city: '大同市', county: '云冈区', lon: 113.12, lat: 40.09, leadingIndustry: '煤基新材料与装备', regionCode: '140200', phoneAreaCode: '0352', weight: 0.6 },
  { code: 'SX-GLKF', name: '广灵经济技术开发区', nameEn: 'Guangling Economic Development Zone', level: 'provincial', city: '大同市', county: '广灵县', lon: 114.28, lat: 39.76, leadingIndustry: '食品加工与新能源', regionCode: '140200', phoneAreaCode: '0352', weight: 0.5 },
  { code: 'SX-SZJK', name: '朔州经济技术开发区', nameEn: 'Shuozhou Economic Development Zone', level: 'provincial', city: '朔州市', county: '朔城区', lon: 112.45, lat: 39.32, leadingIndustry: '陶瓷、固废综合利用与装备制造', regionCode: '140600', phoneAreaCode: '0349', weight: 1.0 },
  { code: 'SX-PLJK', name: '平鲁经济技术开发区', nameEn: 'Pinglu Economic Development Zone', level: 'provincial', city: '朔州市', county: '平鲁区', lon: 112.29, lat: 39.52, leadingIndustry: '新能源与煤电材', regionCode: '140600', phoneAreaCode: '0349', weight: 0.6 },
  { code: 'SX-HRJK', name: '怀仁经济技术开发区', nameEn: 'Huairen Economic Development Zone', level: 'provincial', city: '朔州市', county: '怀仁市', lon: 113.10, lat: 39.82, leadingIndustry: '陶瓷与羊产业', regionCode: '140600', phoneAreaCode: '0349', weight: 0.8 },
  { code: 'SX-SYIN', name: '山阴经济技术开发区', nameEn: 'Shanyin Economic Development Zone', level: 'provincial', city: '朔州市', county: '山阴县', lon: 112.82, lat: 39.52, leadingIndustry: '乳业与新材料', regionCode: '140600', phoneAreaCode: '0349', weight: 0.6 },
  { code: 'SX-YXIA', name: '应县经济技术开发区', nameEn: 'Yingxian Economic Development Zone', level: 'provincial', city: '朔州市', county: '应县', lon: 113.19, lat: 39.56, leadingIndustry: '陶瓷与新型建材', regionCode: '140600', phoneAreaCode: '0349', weight: 0.4 },
  { code: 'SX-YYSF', name: '右玉生态示范区', nameEn: 'Youyu Ecological Demonstration Zone', level: 'provincial', city: '朔州市', county: '右玉县', lon: 112.47, lat: 39.99, leadingIndustry: '生态旅游与绿色农牧', regionCode: '140600', phoneAreaCode: '0349', weight: 0.4, mixedUse: true },
  { code: 'SX-JCJK', name: '交城经济技术开发区', nameEn: 'Jiaocheng Economic Development Zone', level: 'provincial', city: '吕梁市', county: '交城县', lon: 112.16, lat: 37.54, leadingIndustry: '精细化工与新材料', regionCode: '141100', phoneAreaCode: '0358', weight: 0.7 },
  { code: 'SX-LFJK', name: '临汾经济技术开发区', nameEn: 'Linfen Economic Development Zone', level: 'provincial', city: '临汾市', county: '尧都区', lon: 111.55, lat: 36.06, leadingIndustry: '装备制造与现代物流', regionCode: '141000', phoneAreaCode: '0357', weight: 1.0, mixedUse: true },
  { code: 'SX-YCJK', name: '运城经济技术开发区', nameEn: 'Yuncheng Economic Development Zone', level: 'provincial', city: '运城市', county: '盐湖区', lon: 111.02, lat: 35.04, leadingIndustry: '汽车零部件与铝深加工', regionCode: '140800', phoneAreaCode: '0359', weight: 1.0 },
  { code: 'SX-LCJK', name: '陵川经济技术开发区', nameEn: 'Lingchuan Economic Development Zone', level: 'provincial', city: '晋城市', county: '陵川县', lon: 113.28, lat: 35.77, leadingIndustry: '文旅康养与新材料', regionCode: '140500', phoneAreaCode: '0356', weight: 0.4 },
];

/** Named projects from the source reports, with the figures the reports give (others are left to the generator). */
export interface NamedProject {
  zoneCode: string;
  name: string;
  industryChain: string;
  stage: 'signed' | 'landed' | 'started' | 'producing' | 'at_capacity';
  totalInvestmentWan?: number;
  landAreaMu?: number;
  note?: string;
}

export const NAMED_PROJECTS: readonly NamedProject[] = [
  { zoneCode: 'SX-ZGQ', name: '晶科能源年产56GW垂直一体化大基地', industryChain: '光伏', stage: 'started' },
  { zoneCode: 'SX-JZKF', name: '大恒100GW光伏垂直一体化项目', industryChain: '光伏', stage: 'landed' },
  { zoneCode: 'SX-JZKF', name: '光存信息存储产业园', industryChain: '信息存储', stage: 'started' },
  { zoneCode: 'SX-YSJK', name: '榆社经开区独立储能电站', industryChain: '新型储能', stage: 'producing', },
  { zoneCode: 'SX-QXJK', name: '中通电商产业园', industryChain: '电商物流', stage: 'producing' },
  { zoneCode: 'SX-YQGX', name: '太行世纪年产10GWh固态锂(钠)离子电池项目', industryChain: '新型储能', stage: 'started' },
  { zoneCode: 'SX-YQGX', name: '源网荷储一体化示范项目', industryChain: '新型储能', stage: 'landed' },
  { zoneCode: 'SX-YQGX', name: '弘盛通500MW/1000MWh独立储能电站', industryChain: '新型储能', stage: 'started' },
  { zoneCode: 'SX-YQGX', name: '中坤集团500万标米纳米管道项目', industryChain: '新材料', stage: 'producing' },
  { zoneCode: 'SX-YQGX', name: '欧冶链金再生资源项目', industryChain: '再生资源', stage: 'producing' },
  { zoneCode: 'SX-YQGX', name: '华储光电项目', industryChain: '光电', stage: 'started' },
  { zoneCode: 'SX-YXJK', name: '兆丰铝业项目', industryChain: '铝镁合金', stage: 'at_capacity' },
  { zoneCode: 'SX-YXJK', name: '康博特铝镁合金项目', industryChain: '铝镁合金', stage: 'producing' },
  { zoneCode: 'SX-PDJK', name: '中炬负极材料项目', industryChain: '锂电材料', stage: 'started' },
  { zoneCode: 'SX-PDJK', name: '湖大特塑年产10000吨聚酰胺项目', industryChain: '化工新材料', stage: 'started' },
  { zoneCode: 'SX-PDJK', name: '兴鑫年产4万套锂离子负极材料专用设备项目', industryChain: '锂电装备', stage: 'landed' },
  { zoneCode: 'SX-YXJK', name: '油田作业机器人项目', industryChain: '智能装备', stage: 'started' },
  { zoneCode: 'SX-YCJK', name: '亚新科汽车零部件制造基地一期', industryChain: '汽车零部件', stage: 'started', totalInvestmentWan: 68000, landAreaMu: 272.79, note: '年产6万吨缸体缸盖' },
  { zoneCode: 'SX-DTJK', name: '双雁生物医药产业园', industryChain: '生物医药', stage: 'started', totalInvestmentWan: 400000 },
  { zoneCode: 'SX-DTJK', name: '捷美再生资源循环利用产业园', industryChain: '再生资源', stage: 'started', totalInvestmentWan: 158000 },
  { zoneCode: 'SX-DTJK', name: '京东北算力中心', industryChain: '算力与数据中心', stage: 'producing' },
  { zoneCode: 'SX-DTJK', name: '秦淮数据中心', industryChain: '算力与数据中心', stage: 'at_capacity' },
  { zoneCode: 'SX-DTJK', name: '太重高端起重机制造基地', industryChain: '高端装备', stage: 'landed' },
];

/**
 * Reported H1 figures (亿元, growth %) for the 朔州 zones (domain.md): the generator makes the demo's
 * 2025 January–June months add up to them.
 */
export const REPORTED_H1_2025: Readonly<Record<string, { valueAddedYi: number; valueAddedGrowthPct: number; investmentYi: number; investmentGrowthPct: number }>> = {
  'SX-SZJK': { valueAddedYi: 19.27, valueAddedGrowthPct: -9.8, investmentYi: 10.06, investmentGrowthPct: -14.5 },
  'SX-PLJK': { valueAddedYi: 9.8, valueAddedGrowthPct: 8.3, investmentYi: 10.54, investmentGrowthPct: -42.8 },
  'SX-HRJK': { valueAddedYi: 32.86, valueAddedGrowthPct: -12.1, investmentYi: 11.8, investmentGrowthPct: -17.2 },
  'SX-SYIN': { valueAddedYi: 23.75, valueAddedGrowthPct: -18.1, investmentYi: 4.09, investmentGrowthPct: -12.1 },
  'SX-YXIA': { valueAddedYi: 2.29, valueAddedGrowthPct: 57.3, investmentYi: 3.6, investmentGrowthPct: -41.4 },
};

/** 大同: standard factory floor area in use, 46.3893 万m² (domain.md). */
export const DATONG_FACTORY_LEASED_M2 = 463893;
