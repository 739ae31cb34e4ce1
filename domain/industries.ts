/**
 * One industry taxonomy for the whole app: the national classification of economic activities
 * (GB/T 4754-2017 国民经济行业分类, its 20 sections and 97 divisions) and the province's key industry chains
 * (重点产业链, the chains 链长制 is organised by), with the words people use for them. The catalogue's industry
 * filter, zones' leading industries, parcels' intended uses and investment leads all use it, so that
 * "新能源" finds the 光伏 and 储能 parcels and "锂电" finds the battery chain.
 */

export interface IndustrySection {
  code: string;
  zh: string;
  en: string;
  divisions: { code: string; zh: string }[];
}

/** GB/T 4754-2017: sections A–T and their two-digit divisions 01–97. */
export const GB4754_SECTIONS: readonly IndustrySection[] = [
  {
    code: 'A',
    zh: '农、林、牧、渔业',
    en: 'Agriculture, forestry, animal husbandry and fishery',
    divisions: [
      ['01', '农业'],
      ['02', '林业'],
      ['03', '畜牧业'],
      ['04', '渔业'],
      ['05', '农、林、牧、渔专业及辅助性活动'],
    ],
  },
  {
    code: 'B',
    zh: '采矿业',
    en: 'Mining',
    divisions: [
      ['06', '煤炭开采和洗选业'],
      ['07', '石油和天然气开采业'],
      ['08', '黑色金属矿采选业'],
      ['09', '有色金属矿采选业'],
      ['10', '非金属矿采选业'],
      ['11', '开采专业及辅助性活动'],
      ['12', '其他采矿业'],
    ],
  },
  {
    code: 'C',
    zh: '制造业',
    en: 'Manufacturing',
    divisions: [
      ['13', '农副食品加工业'],
      ['14', '食品制造业'],
      ['15', '酒、饮料和精制茶制造业'],
      ['16', '烟草制品业'],
      ['17', '纺织业'],
      ['18', '纺织服装、服饰业'],
      ['19', '皮革、毛皮、羽毛及其制品和制鞋业'],
      ['20', '木材加工和木、竹、藤、棕、草制品业'],
      ['21', '家具制造业'],
      ['22', '造纸和纸制品业'],
      ['23', '印刷和记录媒介复制业'],
      ['24', '文教、工美、体育和娱乐用品制造业'],
      ['25', '石油、煤炭及其他燃料加工业'],
      ['26', '化学原料和化学制品制造业'],
      ['27', '医药制造业'],
      ['28', '化学纤维制造业'],
      ['29', '橡胶和塑料制品业'],
      ['30', '非金属矿物制品业'],
      ['31', '黑色金属冶炼和压延加工业'],
      ['32', '有色金属冶炼和压延加工业'],
      ['33', '金属制品业'],
      ['34', '通用设备制造业'],
      ['35', '专用设备制造业'],
      ['36', '汽车制造业'],
      ['37', '铁路、船舶、航空航天和其他运输设备制造业'],
      ['38', '电气机械和器材制造业'],
      ['39', '计算机、通信和其他电子设备制造业'],
      ['40', '仪器仪表制造业'],
      ['41', '其他制造业'],
      ['42', '废弃资源综合利用业'],
      ['43', '金属制品、机械和设备修理业'],
    ],
  },
  {
    code: 'D',
    zh: '电力、热力、燃气及水生产和供应业',
    en: 'Electricity, heat, gas and water production and supply',
    divisions: [
      ['44', '电力、热力生产和供应业'],
      ['45', '燃气生产和供应业'],
      ['46', '水的生产和供应业'],
    ],
  },
  {
    code: 'E',
    zh: '建筑业',
    en: 'Construction',
    divisions: [
      ['47', '房屋建筑业'],
      ['48', '土木工程建筑业'],
      ['49', '建筑安装业'],
      ['50', '建筑装饰、装修和其他建筑业'],
    ],
  },
  {
    code: 'F',
    zh: '批发和零售业',
    en: 'Wholesale and retail trade',
    divisions: [
      ['51', '批发业'],
      ['52', '零售业'],
    ],
  },
  {
    code: 'G',
    zh: '交通运输、仓储和邮政业',
    en: 'Transport, storage and post',
    divisions: [
      ['53', '铁路运输业'],
      ['54', '道路运输业'],
      ['55', '水上运输业'],
      ['56', '航空运输业'],
      ['57', '管道运输业'],
      ['58', '多式联运和运输代理业'],
      ['59', '装卸搬运和仓储业'],
      ['60', '邮政业'],
    ],
  },
  {
    code: 'H',
    zh: '住宿和餐饮业',
    en: 'Accommodation and catering',
    divisions: [
      ['61', '住宿业'],
      ['62', '餐饮业'],
    ],
  },
  {
    code: 'I',
    zh: '信息传输、软件和信息技术服务业',
    en: 'Information transmission, software and IT services',
    divisions: [
      ['63', '电信、广播电视和卫星传输服务'],
      ['64', '互联网和相关服务'],
      ['65', '软件和信息技术服务业'],
    ],
  },
  {
    code: 'J',
    zh: '金融业',
    en: 'Finance',
    divisions: [
      ['66', '货币金融服务'],
      ['67', '资本市场服务'],
      ['68', '保险业'],
      ['69', '其他金融业'],
    ],
  },
  { code: 'K', zh: '房地产业', en: 'Real estate', divisions: [['70', '房地产业']] },
  {
    code: 'L',
    zh: '租赁和商务服务业',
    en: 'Leasing and business services',
    divisions: [
      ['71', '租赁业'],
      ['72', '商务服务业'],
    ],
  },
  {
    code: 'M',
    zh: '科学研究和技术服务业',
    en: 'Scientific research and technical services',
    divisions: [
      ['73', '研究和试验发展'],
      ['74', '专业技术服务业'],
      ['75', '科技推广和应用服务业'],
    ],
  },
  {
    code: 'N',
    zh: '水利、环境和公共设施管理业',
    en: 'Water conservancy, environment and public facilities management',
    divisions: [
      ['76', '水利管理业'],
      ['77', '生态保护和环境治理业'],
      ['78', '公共设施管理业'],
      ['79', '土地管理业'],
    ],
  },
  {
    code: 'O',
    zh: '居民服务、修理和其他服务业',
    en: 'Resident services, repair and other services',
    divisions: [
      ['80', '居民服务业'],
      ['81', '机动车、电子产品和日用产品修理业'],
      ['82', '其他服务业'],
    ],
  },
  { code: 'P', zh: '教育', en: 'Education', divisions: [['83', '教育']] },
  {
    code: 'Q',
    zh: '卫生和社会工作',
    en: 'Health and social work',
    divisions: [
      ['84', '卫生'],
      ['85', '社会工作'],
    ],
  },
  {
    code: 'R',
    zh: '文化、体育和娱乐业',
    en: 'Culture, sports and entertainment',
    divisions: [
      ['86', '新闻和出版业'],
      ['87', '广播、电视、电影和录音制作业'],
      ['88', '文化艺术业'],
      ['89', '体育'],
      ['90', '娱乐业'],
    ],
  },
  {
    code: 'S',
    zh: '公共管理、社会保障和社会组织',
    en: 'Public administration, social security and social organisations',
    divisions: [
      ['91', '中国共产党机关'],
      ['92', '国家机构'],
      ['93', '人民政协、民主党派'],
      ['94', '社会保障'],
      ['95', '群众团体、社会团体和其他成员组织'],
      ['96', '基层群众自治组织及其他组织'],
    ],
  },
  { code: 'T', zh: '国际组织', en: 'International organisations', divisions: [['97', '国际组织']] },
].map((s) => ({ ...s, divisions: s.divisions.map(([code, zh]) => ({ code, zh })) }));

export interface IndustryChain {
  key: string;
  zh: string;
  en: string;
  /** A broader group the chain belongs to (新能源, 新材料 …): searching the group finds the chain. */
  groups: string[];
  /** Other words for the chain, as people write them in plans, catalogues and 台账. */
  synonyms: string[];
  /** The GB/T 4754 divisions its firms are mostly classified in. */
  divisions: string[];
}

/**
 * The key chains, after the province's 重点产业链 lists (山西: 新能源电池/储能, 光伏, 氢能, 风电装备, 新能源汽车,
 * 特钢材料, 铝镁精深加工, 碳基新材料, 现代煤化工, 半导体, 信创, 大数据, 生物医药, 合成生物, 装备制造 (煤机、轨道交通),
 * 通用航空, 节能环保, 特色食品). Operators change it with their province's list; keys are stable ids.
 */
export const INDUSTRY_CHAINS: readonly IndustryChain[] = [
  {
    key: 'battery',
    zh: '新能源电池',
    en: 'New-energy batteries',
    groups: ['新能源'],
    synonyms: ['锂电', '锂电池', '动力电池', '钠离子电池', '电池材料', '正极材料', '负极材料', '电解液', '隔膜'],
    divisions: ['38', '26'],
  },
  {
    key: 'storage',
    zh: '储能',
    en: 'Energy storage',
    groups: ['新能源'],
    synonyms: ['新型储能', '储能电站', '电化学储能', '液流电池', '压缩空气储能'],
    divisions: ['38', '44'],
  },
  {
    key: 'photovoltaic',
    zh: '光伏',
    en: 'Photovoltaics',
    groups: ['新能源'],
    synonyms: ['太阳能', '光伏组件', '单晶硅', '多晶硅', '硅片', '电池片', '光伏玻璃'],
    divisions: ['38', '39', '30'],
  },
  {
    key: 'hydrogen',
    zh: '氢能',
    en: 'Hydrogen',
    groups: ['新能源'],
    synonyms: ['氢燃料电池', '燃料电池', '制氢', '储氢', '加氢站'],
    divisions: ['26', '38', '45'],
  },
  {
    key: 'wind',
    zh: '风电装备',
    en: 'Wind-power equipment',
    groups: ['新能源', '装备制造'],
    synonyms: ['风电', '风机', '风力发电', '叶片', '塔筒'],
    divisions: ['34', '38'],
  },
  {
    key: 'nev',
    zh: '新能源汽车',
    en: 'New-energy vehicles',
    groups: ['新能源', '装备制造'],
    synonyms: ['电动汽车', '汽车', '整车', '汽车零部件', '充电桩', '重卡'],
    divisions: ['36', '38'],
  },
  { key: 'special_steel', zh: '特钢材料', en: 'Special steel', groups: ['新材料'], synonyms: ['特钢', '不锈钢', '钢铁', '高端钢材'], divisions: ['31'] },
  {
    key: 'aluminium_magnesium',
    zh: '铝镁精深加工',
    en: 'Aluminium and magnesium processing',
    groups: ['新材料'],
    synonyms: ['铝', '镁', '铝合金', '镁合金', '铝材'],
    divisions: ['32', '33'],
  },
  {
    key: 'carbon_materials',
    zh: '碳基新材料',
    en: 'Carbon-based materials',
    groups: ['新材料'],
    synonyms: ['碳纤维', '石墨烯', '碳材料', '针状焦', '活性炭'],
    divisions: ['26', '30', '28'],
  },
  {
    key: 'coal_chemicals',
    zh: '现代煤化工',
    en: 'Modern coal chemicals',
    groups: ['新材料'],
    synonyms: ['煤化工', '化工', '新型化工材料', '煤制油', '煤制烯烃'],
    divisions: ['25', '26'],
  },
  {
    key: 'semiconductor',
    zh: '半导体',
    en: 'Semiconductors',
    groups: ['数字经济', '电子信息'],
    synonyms: ['第三代半导体', '芯片', '集成电路', '碳化硅', '氮化镓', '光电'],
    divisions: ['39'],
  },
  {
    key: 'xinchuang',
    zh: '信创',
    en: 'Domestic IT innovation',
    groups: ['数字经济', '电子信息'],
    synonyms: ['信息技术应用创新', '服务器', '整机', '软件'],
    divisions: ['39', '65'],
  },
  {
    key: 'big_data',
    zh: '大数据',
    en: 'Big data and computing',
    groups: ['数字经济'],
    synonyms: ['数据中心', '算力', '云计算', '人工智能', '信息存储', '数字'],
    divisions: ['64', '65'],
  },
  {
    key: 'biomedicine',
    zh: '生物医药',
    en: 'Biomedicine',
    groups: ['大健康'],
    synonyms: ['医药', '现代医药', '中医药', '制药', '医疗器械', '原料药'],
    divisions: ['27', '35'],
  },
  {
    key: 'synthetic_biology',
    zh: '合成生物',
    en: 'Synthetic biology',
    groups: ['大健康', '新材料'],
    synonyms: ['生物制造', '生物基材料', '生物发酵'],
    divisions: ['26', '27', '28'],
  },
  {
    key: 'coal_machinery',
    zh: '煤机智能制造',
    en: 'Intelligent coal machinery',
    groups: ['装备制造'],
    synonyms: ['煤机', '矿山装备', '智能矿山'],
    divisions: ['35'],
  },
  { key: 'rail_equipment', zh: '轨道交通装备', en: 'Rail-transit equipment', groups: ['装备制造'], synonyms: ['轨道交通', '机车', '车辆'], divisions: ['37'] },
  { key: 'general_aviation', zh: '通用航空', en: 'General aviation', groups: ['装备制造'], synonyms: ['航空', '无人机', '低空经济'], divisions: ['37', '56'] },
  {
    key: 'environmental',
    zh: '节能环保',
    en: 'Energy saving and environmental protection',
    groups: [],
    synonyms: ['环保', '固废', '资源综合利用', '再生资源', '污水处理'],
    divisions: ['42', '77'],
  },
  { key: 'food', zh: '特色食品', en: 'Specialty food', groups: [], synonyms: ['食品', '农产品加工', '酒', '杂粮', '醋'], divisions: ['13', '14', '15'] },
];

const normalise = (s: string) => s.trim().toLowerCase();

/**
 * The words a search for `query` should find: the query itself, and when it names a chain, a group of chains
 * (新能源), a synonym or a GB/T 4754 division (by code or name), every word of the chains it stands for and the
 * division's name. Case-insensitive for Latin letters.
 */
export function industrySearchTerms(query: string): string[] {
  const q = normalise(query);
  if (!q) return [];
  const terms = new Set<string>([q]);
  const chains = INDUSTRY_CHAINS.filter(
    (c) =>
      normalise(c.zh) === q || c.key === q || normalise(c.en) === q || c.groups.some((g) => normalise(g) === q) || c.synonyms.some((s) => normalise(s) === q),
  );
  for (const c of chains) {
    terms.add(normalise(c.zh));
    for (const s of c.synonyms) terms.add(normalise(s));
  }
  for (const section of GB4754_SECTIONS) {
    for (const d of section.divisions) {
      if (d.code === q || normalise(d.zh) === q) terms.add(normalise(d.zh));
    }
  }
  return [...terms];
}

/** Whether a text (a zone's leading industries, a parcel's intended use, a lead's project) is about `query`. */
export function matchesIndustry(text: string | null | undefined, query: string): boolean {
  if (!text) return false;
  const t = normalise(text);
  return industrySearchTerms(query).some((term) => t.includes(term));
}

/** The chains a text mentions (by name or synonym), for placing a firm, project or lead on its chain. */
export function chainsMentionedIn(text: string | null | undefined): IndustryChain[] {
  if (!text) return [];
  const t = normalise(text);
  return INDUSTRY_CHAINS.filter((c) => t.includes(normalise(c.zh)) || c.synonyms.some((s) => s.length >= 2 && t.includes(normalise(s))));
}
