/**
 * Import field mapping: which column of a land file feeds which parcel field, proposed from the column
 * names (Chinese or English), adjusted by the user, and the conversion of each cell (numbers with
 * thousands separators, dates in the forms Chinese offices write them, status names, land-use codes of the
 * older classifications through the crosswalk). Shared by the server (which converts) and the import page
 * (which shows the proposal and lets the user change it).
 */
import table from './land-use-codes.json' with { type: 'json' };
import { LAND_USE_CLASSES, isKnownLandUseCode, landUseClass } from './landUse.ts';
import { PARCEL_STATUSES, ZONE_LEVELS, type ZoneLevel } from './lifecycle.ts';
import { isValidDate, msg, type Message } from './parcelFields.ts';

export type ImportTargetKind =
  | 'code'
  | 'zone'
  | 'landUse'
  | 'status'
  | 'date'
  | 'number'
  | 'area'
  | 'boolean'
  | 'text'
  | 'creditCode'
  | 'year'
  | 'integer'
  | 'level'
  | 'stage'
  | 'money'
  | 'parcelCode';

export interface ImportTarget {
  key: string;
  /** The parcel column it fills; the zone target chooses the zone instead, area fills registered_area_m2. */
  column: string | null;
  kind: ImportTargetKind;
  zh: string;
  en: string;
  /** Its shapefile field name (≤ 10 ASCII letters, pinyin initials as Chinese GIS files use): written on export, recognised on import. */
  short: string;
  /** Column names that propose this target, compared without case, spaces, brackets or units. */
  names: string[];
  /** Names that propose it only when no column has one of `names` (a class name column when there is no code column). */
  fallbackNames?: string[];
}

export const IMPORT_TARGETS: readonly ImportTarget[] = [
  {
    key: 'code',
    column: 'code',
    kind: 'code',
    short: 'DKBH',
    zh: '地块编号',
    en: 'Parcel code',
    names: ['地块编号', '宗地编号', '宗地号', '地块号', '地块代码', '编号', 'dkbh', 'zdbh', 'zddm', 'code', 'parcelcode', 'parcel_code', 'parcelid'],
  },
  {
    key: 'zone',
    column: null,
    kind: 'zone',
    short: 'YQDM',
    zh: '园区代码',
    en: 'Zone (code or name)',
    names: ['园区', '园区代码', '开发区', '开发区代码', '园区名称', 'zone', 'zonecode', 'zone_code'],
  },
  {
    key: 'land_use_code',
    column: 'land_use_code',
    kind: 'landUse',
    short: 'YDXZ',
    zh: '用地性质',
    en: 'Land use',
    names: [
      '用地用海分类代码',
      '用地用海分类编码',
      '用地用海代码',
      '用地用海分类',
      'ydyhfldm',
      '用地性质',
      '用地性质代码',
      '用地类型',
      '用地分类',
      '用地分类代码',
      '用途',
      '土地用途',
      '地类',
      '地类编码',
      '地类代码',
      '用地代码',
      '规划用途',
      '规划地类',
      'dlbm',
      'dldm',
      'ydxz',
      'ydxzdm',
      'landuse',
      'land_use',
      'land_use_code',
    ],
    fallbackNames: ['用地用海分类名称', 'ydyhflmc', '地类名称', 'dlmc', '用地性质名称'],
  },
  { key: 'status', column: 'status', kind: 'status', short: 'ZT', zh: '供地状态', en: 'Status', names: ['状态', '供地状态', '土地状态', 'status'] },
  {
    key: 'registered_area',
    column: 'registered_area_m2',
    kind: 'area',
    short: 'DJMJ',
    zh: '登记面积',
    en: 'Registered area',
    names: ['面积', '登记面积', '宗地面积', '用地面积', '出让面积', '地块面积', 'mj', 'area', 'registered_area', 'registered_area_m2', 'registeredarea'],
  },
  {
    key: 'reserve_date',
    column: 'reserve_date',
    kind: 'date',
    short: 'SCSJ',
    zh: '收储时间',
    en: 'Reserve date',
    names: ['收储时间', '收储日期', '储备时间', 'reserve_date'],
  },
  {
    key: 'available_date',
    column: 'available_date',
    kind: 'date',
    short: 'KGYSJ',
    zh: '可供应时间',
    en: 'Available date',
    names: ['可供应时间', '挂牌时间', '公告时间', 'available_date'],
  },
  {
    key: 'supplied_date',
    column: 'supplied_date',
    kind: 'date',
    short: 'CRSJ',
    zh: '出让时间',
    en: 'Supplied date',
    names: [
      '出让时间',
      '出让日期',
      '供地时间',
      '供地日期',
      '签订日期',
      '合同签订日期',
      '合同签订时间',
      '出让合同签订日期',
      '出让合同签订时间',
      '签约时间',
      '划拨时间',
      '划拨日期',
      '供应时间',
      '供应日期',
      '成交时间',
      'htqdrq',
      'htqdsj',
      'supplied_date',
    ],
  },
  {
    key: 'started_date',
    column: 'started_date',
    kind: 'date',
    short: 'KGSJ',
    zh: '开工时间',
    en: 'Started date',
    names: [
      '开工时间',
      '开工日期',
      '实际开工',
      '实际开工时间',
      '实际开工日期',
      '动工时间',
      '动工日期',
      '实际动工',
      '实际动工时间',
      '实际动工日期',
      'dgsj',
      'sjkgsj',
      'sjdgsj',
      'started_date',
    ],
  },
  {
    key: 'completed_date',
    column: 'completed_date',
    kind: 'date',
    short: 'JGSJ',
    zh: '竣工时间',
    en: 'Completed date',
    names: ['竣工时间', '竣工日期', '实际竣工', '实际竣工时间', '实际竣工日期', '竣工验收时间', '竣工验收日期', 'sjjgsj', 'completed_date'],
  },
  {
    key: 'producing_date',
    column: 'producing_date',
    kind: 'date',
    short: 'TCSJ',
    zh: '投产时间',
    en: 'Producing date',
    names: ['投产时间', '投产日期', 'producing_date'],
  },
  {
    key: 'at_capacity_date',
    column: 'at_capacity_date',
    kind: 'date',
    short: 'DCSJ',
    zh: '达产时间',
    en: 'At capacity date',
    names: ['达产时间', '达产日期', 'at_capacity_date'],
  },
  {
    key: 'agreed_start_date',
    column: 'agreed_start_date',
    kind: 'date',
    short: 'YDKGSJ',
    zh: '约定开工时间',
    en: 'Agreed start',
    names: [
      '约定开工时间',
      '约定开工日期',
      '约定开工',
      '约定动工',
      '约定动工时间',
      '约定动工日期',
      '合同开工时间',
      '合同约定开工时间',
      '合同约定动工时间',
      '约定开工期限',
      'yddgsj',
      'ydkgrq',
      'agreed_start_date',
    ],
  },
  {
    key: 'agreed_completion_date',
    column: 'agreed_completion_date',
    kind: 'date',
    short: 'YDJGSJ',
    zh: '约定竣工时间',
    en: 'Agreed completion',
    names: ['约定竣工时间', '约定竣工日期', '约定竣工', '合同竣工时间', '合同约定竣工时间', '约定竣工期限', 'ydjgrq', 'agreed_completion_date'],
  },
  {
    key: 'land_price_wan',
    column: 'land_price_wan',
    kind: 'number',
    short: 'CRJK',
    zh: '出让价款（万元）',
    en: 'Land price (10k CNY)',
    names: ['出让价款', '成交价款', '成交价', '土地价款', '出让金', 'land_price_wan', 'landprice'],
  },
  {
    key: 'agreed_investment_wan',
    column: 'agreed_investment_wan',
    kind: 'number',
    short: 'YDTZ',
    zh: '约定投资（万元）',
    en: 'Agreed investment (10k CNY)',
    names: ['约定投资', '约定投资额', '投资总额', '计划投资', 'agreed_investment_wan'],
  },
  {
    key: 'invested_wan',
    column: 'invested_wan',
    kind: 'number',
    short: 'WCTZ',
    zh: '已完成投资（万元）',
    en: 'Invested (10k CNY)',
    names: ['已完成投资', '完成投资', 'invested_wan'],
  },
  {
    key: 'planned_building_area_m2',
    column: 'planned_building_area_m2',
    kind: 'number',
    short: 'GHJZMJ',
    zh: '规划建筑面积（m²）',
    en: 'Planned floor area (m²)',
    names: ['规划建筑面积', '建筑面积', '总建筑面积', 'planned_building_area_m2'],
  },
  {
    key: 'developed_area_m2',
    column: 'developed_area_m2',
    kind: 'number',
    short: 'YKFMJ',
    zh: '已开发面积（m²）',
    en: 'Developed area (m²)',
    names: ['已开发面积', '已建面积', 'developed_area_m2'],
  },
  {
    key: 'min_floor_area_ratio',
    column: 'min_floor_area_ratio',
    kind: 'number',
    short: 'RJLXX',
    zh: '容积率下限',
    en: 'Min. floor-area ratio',
    names: ['容积率下限', '最小容积率', '容积率', 'min_floor_area_ratio'],
  },
  {
    key: 'max_floor_area_ratio',
    column: 'max_floor_area_ratio',
    kind: 'number',
    short: 'RJLSX',
    zh: '容积率上限',
    en: 'Max. floor-area ratio',
    names: ['容积率上限', '最大容积率', 'max_floor_area_ratio'],
  },
  {
    key: 'min_investment_intensity_wan_per_mu',
    column: 'min_investment_intensity_wan_per_mu',
    kind: 'number',
    short: 'TZQD',
    zh: '投资强度（万元/亩）',
    en: 'Investment intensity (10k CNY/mu)',
    names: ['投资强度', '固定资产投资强度', 'min_investment_intensity_wan_per_mu'],
  },
  {
    key: 'min_tax_per_mu_wan',
    column: 'min_tax_per_mu_wan',
    kind: 'number',
    short: 'MJSS',
    zh: '亩均税收（万元/亩）',
    en: 'Tax per mu (10k CNY/mu)',
    names: ['亩均税收', '地均税收', 'min_tax_per_mu_wan'],
  },
  {
    key: 'is_standard_land',
    column: 'is_standard_land',
    kind: 'boolean',
    short: 'BZD',
    zh: '标准地',
    en: 'Standard land',
    names: ['标准地', '是否标准地', 'is_standard_land', 'standard'],
  },
  {
    key: 'environment_standard',
    column: 'environment_standard',
    kind: 'text',
    short: 'HJBZ',
    zh: '环境标准',
    en: 'Environment standard',
    names: ['环境标准', '环保要求', 'environment_standard'],
  },
];

/**
 * Enterprise tables (CSV, Excel): one row per enterprise and year, joined by the 统一社会信用代码. The
 * enterprise's own fields update the enterprise (created when new); the year's figures go to its yearly row.
 */
export const ENTERPRISE_TARGETS: readonly ImportTarget[] = [
  {
    key: 'credit_code',
    column: 'credit_code',
    kind: 'creditCode',
    short: 'TYXYDM',
    zh: '统一社会信用代码',
    en: 'Unified social credit code',
    names: ['统一社会信用代码', '社会信用代码', '信用代码', 'tyshxydm', 'tyxydm', 'credit_code', 'creditcode', 'uscc'],
  },
  {
    key: 'name',
    column: 'name',
    kind: 'text',
    short: 'QYMC',
    zh: '企业名称',
    en: 'Enterprise name',
    names: ['企业名称', '单位名称', '名称', 'qymc', 'name', 'enterprise', 'company'],
  },
  { key: 'industry', column: 'industry', kind: 'text', short: 'HY', zh: '所属行业', en: 'Industry', names: ['所属行业', '行业', '行业门类', 'industry'] },
  {
    key: 'above_scale',
    column: 'above_scale',
    kind: 'boolean',
    short: 'GS',
    zh: '规模以上',
    en: 'Above designated size',
    names: ['规模以上', '是否规上', '规上', '规上企业', 'above_scale'],
  },
  {
    key: 'founded_date',
    column: 'founded_date',
    kind: 'date',
    short: 'CLRQ',
    zh: '成立日期',
    en: 'Founded',
    names: ['成立日期', '成立时间', '注册日期', 'founded_date'],
  },
  { key: 'year', column: 'year', kind: 'year', short: 'ND', zh: '年份', en: 'Year', names: ['年份', '年度', '统计年度', 'year'] },
  {
    key: 'output_wan',
    column: 'output_wan',
    kind: 'number',
    short: 'CZ',
    zh: '工业总产值（万元）',
    en: 'Output (10k CNY)',
    names: ['工业总产值', '总产值', '产值', 'output_wan', 'output'],
  },
  {
    key: 'value_added_wan',
    column: 'value_added_wan',
    kind: 'number',
    short: 'ZJZ',
    zh: '工业增加值（万元）',
    en: 'Value added (10k CNY)',
    names: ['工业增加值', '增加值', 'value_added_wan'],
  },
  {
    key: 'tax_wan',
    column: 'tax_wan',
    kind: 'number',
    short: 'SS',
    zh: '实缴税金（万元）',
    en: 'Tax paid (10k CNY)',
    names: ['实缴税金', '税收', '纳税', '税收总额', 'tax_wan', 'tax'],
  },
  {
    key: 'energy_tce',
    column: 'energy_tce',
    kind: 'number',
    short: 'NH',
    zh: '综合能耗（吨标煤）',
    en: 'Energy use (tce)',
    names: ['综合能耗', '能耗', 'energy_tce'],
  },
  {
    key: 'emissions_t',
    column: 'emissions_t',
    kind: 'number',
    short: 'PF',
    zh: '主要污染物排放（吨）',
    en: 'Emissions (t)',
    names: ['主要污染物排放', '污染物排放', '排放量', 'emissions_t'],
  },
  {
    key: 'rd_wan',
    column: 'rd_wan',
    kind: 'number',
    short: 'YF',
    zh: '研发经费（万元）',
    en: 'R&D spending (10k CNY)',
    names: ['研发经费', '研发投入', 'r&d', 'rd_wan'],
  },
  {
    key: 'revenue_wan',
    column: 'revenue_wan',
    kind: 'number',
    short: 'YYSR',
    zh: '营业收入（万元）',
    en: 'Revenue (10k CNY)',
    names: ['营业收入', '销售收入', '主营业务收入', 'revenue_wan', 'revenue'],
  },
  {
    key: 'employees',
    column: 'employees',
    kind: 'integer',
    short: 'CYRY',
    zh: '从业人员（人）',
    en: 'Employees',
    names: ['从业人员', '年平均从业人员', '职工人数', '员工人数', 'employees'],
  },
];

/**
 * Zone boundaries (polygons, or a table updating zones by code): a zone is matched by its 园区代码. Column
 * names are those of the zones export, so an export imports back unchanged.
 */
export const ZONE_TARGETS: readonly ImportTarget[] = [
  {
    key: 'code',
    column: 'code',
    kind: 'code',
    short: 'YQDM',
    zh: '园区代码',
    en: 'Zone code',
    names: ['园区代码', '开发区代码', '园区编号', '开发区编号', '代码', 'yqdm', 'kfqdm', 'code', 'zone_code', 'zonecode'],
  },
  {
    key: 'name',
    column: 'name',
    kind: 'text',
    short: 'YQMC',
    zh: '园区名称',
    en: 'Zone name',
    names: ['园区名称', '开发区名称', '名称', 'yqmc', 'kfqmc', 'name', 'zone_name'],
  },
  {
    key: 'name_en',
    column: 'name_en',
    kind: 'text',
    short: 'YWMC',
    zh: '英文名称',
    en: 'English name',
    names: ['英文名称', '英文名', 'name_en', 'english_name'],
  },
  { key: 'level', column: 'level', kind: 'level', short: 'JB', zh: '级别', en: 'Level', names: ['级别', '园区级别', '开发区级别', '等级', 'jb', 'level'] },
  { key: 'city', column: 'city', kind: 'text', short: 'SZS', zh: '所在市', en: 'City', names: ['所在市', '所在城市', '城市', '市', '地市', 'szs', 'city'] },
  {
    key: 'county',
    column: 'county',
    kind: 'text',
    short: 'SZX',
    zh: '所在县',
    en: 'County',
    names: ['所在县', '所在县区', '县区', '区县', '县', 'szx', 'county'],
  },
  {
    key: 'leading_industry',
    column: 'leading_industry',
    kind: 'text',
    short: 'ZDCY',
    zh: '主导产业',
    en: 'Leading industry',
    names: ['主导产业', '主导行业', 'zdcy', 'leading_industry'],
  },
  {
    key: 'approved_area_ha',
    column: 'approved_area_ha',
    kind: 'number',
    short: 'PZMJ',
    zh: '批准面积（公顷）',
    en: 'Approved area (ha)',
    names: ['批准面积', '核准面积', '审批面积', 'pzmj', 'approved_area_ha', 'approved_area'],
  },
  {
    key: 'contact_phone',
    column: 'contact_phone',
    kind: 'text',
    short: 'LXDH',
    zh: '联系电话',
    en: 'Contact phone',
    names: ['联系电话', '电话', 'lxdh', 'contact_phone', 'phone'],
  },
];

/**
 * Project lists (points, or a table naming the zone and perhaps the parcel): a project is matched by its
 * name within its zone (projects have no code of their own). Investment in 万元, or 亿元 when the column
 * says so or the mapping's money unit is set.
 */
export const PROJECT_TARGETS: readonly ImportTarget[] = [
  {
    key: 'name',
    column: 'name',
    kind: 'code',
    short: 'XMMC',
    zh: '项目名称',
    en: 'Project name',
    names: ['项目名称', '名称', 'xmmc', 'name', 'project', 'project_name'],
  },
  {
    key: 'zone',
    column: null,
    kind: 'zone',
    short: 'YQDM',
    zh: '园区代码',
    en: 'Zone (code or name)',
    names: ['园区', '园区代码', '开发区', '开发区代码', '园区名称', '所在园区', 'yqdm', 'zone', 'zonecode', 'zone_code'],
  },
  {
    key: 'parcel_code',
    column: 'parcel_id',
    kind: 'parcelCode',
    short: 'DKBH',
    zh: '地块编号',
    en: 'Parcel code',
    names: ['地块编号', '宗地编号', '宗地号', '地块号', 'dkbh', 'zdbh', 'parcel_code', 'parcelcode', 'parcel'],
  },
  {
    key: 'stage',
    column: 'stage',
    kind: 'stage',
    short: 'XMJD',
    zh: '项目阶段',
    en: 'Stage',
    names: ['项目阶段', '阶段', '项目进度', '进展阶段', 'xmjd', 'stage'],
  },
  {
    key: 'enterprise_credit_code',
    column: 'enterprise_id',
    kind: 'creditCode',
    short: 'TYXYDM',
    zh: '企业统一社会信用代码',
    en: 'Enterprise credit code',
    names: ['统一社会信用代码', '企业统一社会信用代码', '社会信用代码', '信用代码', 'tyxydm', 'credit_code', 'enterprise_credit_code'],
  },
  {
    key: 'industry_chain',
    column: 'industry_chain',
    kind: 'text',
    short: 'CYL',
    zh: '产业链',
    en: 'Industry chain',
    names: ['产业链', '所属产业链', '产业', 'cyl', 'industry_chain'],
  },
  {
    key: 'is_industrial',
    column: 'is_industrial',
    kind: 'boolean',
    short: 'GYXM',
    zh: '工业项目',
    en: 'Industrial project',
    names: ['工业项目', '是否工业项目', 'gyxm', 'is_industrial'],
  },
  {
    key: 'total_investment_wan',
    column: 'total_investment_wan',
    kind: 'money',
    short: 'ZTZ',
    zh: '总投资（万元）',
    en: 'Total investment (10k CNY)',
    names: ['总投资', '计划总投资', '投资总额', '项目总投资', 'ztz', 'total_investment_wan', 'total_investment'],
  },
  {
    key: 'completed_investment_wan',
    column: 'completed_investment_wan',
    kind: 'money',
    short: 'WCTZ',
    zh: '已完成投资（万元）',
    en: 'Completed investment (10k CNY)',
    names: ['已完成投资', '完成投资', '累计完成投资', '累计投资', 'wctz', 'completed_investment_wan', 'completed_investment'],
  },
  {
    key: 'expected_annual_output_wan',
    column: 'expected_annual_output_wan',
    kind: 'money',
    short: 'YJCZ',
    zh: '预计年产值（万元）',
    en: 'Expected annual output (10k CNY)',
    names: ['预计年产值', '达产年产值', '预计产值', 'yjcz', 'expected_annual_output_wan'],
  },
  {
    key: 'land_area_mu',
    column: 'land_area_mu',
    kind: 'number',
    short: 'YDMJ',
    zh: '用地面积（亩）',
    en: 'Land area (mu)',
    names: ['用地面积', '占地面积', 'ydmj', 'land_area_mu'],
  },
  {
    key: 'planned_date',
    column: 'planned_date',
    kind: 'date',
    short: 'MHSJ',
    zh: '谋划时间',
    en: 'Planned date',
    names: ['谋划时间', '谋划日期', 'planned_date'],
  },
  { key: 'signed_date', column: 'signed_date', kind: 'date', short: 'QYSJ', zh: '签约时间', en: 'Signed date', names: ['签约时间', '签约日期', 'signed_date'] },
  { key: 'landed_date', column: 'landed_date', kind: 'date', short: 'LDSJ', zh: '落地时间', en: 'Landed date', names: ['落地时间', '落地日期', 'landed_date'] },
  {
    key: 'started_date',
    column: 'started_date',
    kind: 'date',
    short: 'KGSJ',
    zh: '开工时间',
    en: 'Started date',
    names: ['开工时间', '开工日期', 'started_date'],
  },
  {
    key: 'producing_date',
    column: 'producing_date',
    kind: 'date',
    short: 'TCSJ',
    zh: '投产时间',
    en: 'Producing date',
    names: ['投产时间', '投产日期', 'producing_date'],
  },
  {
    key: 'at_capacity_date',
    column: 'at_capacity_date',
    kind: 'date',
    short: 'DCSJ',
    zh: '达产时间',
    en: 'At capacity date',
    names: ['达产时间', '达产日期', 'at_capacity_date'],
  },
  {
    key: 'plan_landed_date',
    column: 'plan_landed_date',
    kind: 'date',
    short: 'JHLDSJ',
    zh: '计划落地时间',
    en: 'Planned landing',
    names: ['计划落地时间', '计划落地日期', 'plan_landed_date'],
  },
  {
    key: 'plan_started_date',
    column: 'plan_started_date',
    kind: 'date',
    short: 'JHKGSJ',
    zh: '计划开工时间',
    en: 'Planned start',
    names: ['计划开工时间', '计划开工日期', 'plan_started_date'],
  },
  {
    key: 'plan_producing_date',
    column: 'plan_producing_date',
    kind: 'date',
    short: 'JHTCSJ',
    zh: '计划投产时间',
    en: 'Planned production',
    names: ['计划投产时间', '计划投产日期', 'plan_producing_date'],
  },
  {
    key: 'plan_at_capacity_date',
    column: 'plan_at_capacity_date',
    kind: 'date',
    short: 'JHDCSJ',
    zh: '计划达产时间',
    en: 'Planned full capacity',
    names: ['计划达产时间', '计划达产日期', 'plan_at_capacity_date'],
  },
  {
    key: 'actual_annual_output_wan',
    column: 'actual_annual_output_wan',
    kind: 'money',
    short: 'SJCZ',
    zh: '实际年产值（万元）',
    en: 'Actual annual output (10k CNY)',
    names: ['实际年产值', '实际产值', 'actual_annual_output_wan'],
  },
  {
    key: 'agreed_annual_tax_wan',
    column: 'agreed_annual_tax_wan',
    kind: 'money',
    short: 'YDSS',
    zh: '约定年税收（万元）',
    en: 'Agreed annual tax (10k CNY)',
    names: ['约定年税收', '承诺税收', '约定税收', 'agreed_annual_tax_wan'],
  },
  {
    key: 'actual_annual_tax_wan',
    column: 'actual_annual_tax_wan',
    kind: 'money',
    short: 'SJSS',
    zh: '实际年税收（万元）',
    en: 'Actual annual tax (10k CNY)',
    names: ['实际年税收', '实际税收', 'actual_annual_tax_wan'],
  },
  {
    key: 'description',
    column: 'description',
    kind: 'text',
    short: 'XMJJ',
    zh: '项目简介',
    en: 'Description',
    names: ['项目简介', '建设内容', '简介', '说明', 'description'],
  },
];

export type ImportKind = 'parcels' | 'enterprises' | 'zones' | 'projects';
export const IMPORT_KINDS: readonly ImportKind[] = ['parcels', 'zones', 'projects', 'enterprises'];
export const targetsOf = (kind: ImportKind): readonly ImportTarget[] =>
  kind === 'enterprises' ? ENTERPRISE_TARGETS : kind === 'zones' ? ZONE_TARGETS : kind === 'projects' ? PROJECT_TARGETS : IMPORT_TARGETS;

const hasColumn = (columns: readonly string[], targets: readonly ImportTarget[], key: string) => {
  const names = targets.find((t) => t.key === key)!.names.map(normaliseColumnName);
  return columns.some((c) => names.includes(normaliseColumnName(c)));
};

/**
 * What a file holds, proposed for the user to confirm: points are projects; polygons with a zone level
 * column and no parcel code are zones, other polygons parcels; a table with a credit code and no project
 * stage is enterprises, one with a project name or stage is projects, one with a zone level is zones, else
 * parcel attributes.
 */
export function kindOf(columns: readonly string[], geometry: 'polygon' | 'point' | null | boolean): ImportKind {
  if (geometry === 'point') return 'projects';
  const parcelCode = hasColumn(columns, IMPORT_TARGETS, 'code');
  const zoneLevel = hasColumn(columns, ZONE_TARGETS, 'level');
  if (geometry === 'polygon' || geometry === true) return zoneLevel && !parcelCode ? 'zones' : 'parcels';
  const project = hasColumn(columns, PROJECT_TARGETS, 'stage') || columns.some((c) => ['项目名称', 'xmmc', 'projectname'].includes(normaliseColumnName(c)));
  if (project) return 'projects';
  if (hasColumn(columns, ENTERPRISE_TARGETS, 'credit_code')) return 'enterprises';
  if (zoneLevel && !parcelCode) return 'zones';
  return 'parcels';
}

export type ImportTargetKey = (typeof IMPORT_TARGETS)[number]['key'];
export const IMPORT_TARGET_KEYS = IMPORT_TARGETS.map((t) => t.key);
const TARGETS_BY_KEY = new Map(IMPORT_TARGETS.map((t) => [t.key, t]));
export const importTarget = (key: string): ImportTarget | undefined => TARGETS_BY_KEY.get(key);

export type AreaUnit = 'm2' | 'mu' | 'ha';
export type MoneyUnit = 'wan' | 'yi';
export type LandUseStandard = 'auto' | '2023' | 'GB/T 21010-2017' | 'GB 50137-2011';
export const LAND_USE_STANDARDS: readonly LandUseStandard[] = ['auto', '2023', 'GB/T 21010-2017', 'GB 50137-2011'];

export interface FieldMapping {
  /** What the rows become (default parcels). */
  kind?: ImportKind;
  /** Projects: the unit of the money columns (万元 unless the column names or the user say 亿元). */
  moneyUnit?: MoneyUnit;
  /** target key → source column (absent or null: not imported). */
  fields: Record<string, string | null>;
  areaUnit: AreaUnit;
  landUseStandard: LandUseStandard;
  /**
   * Parcels: a value for every row of the file, for a target no column feeds ("整个文件的值"): a land
   * bureau's file of transferred parcels has no 状态 column, so the user says 已供应 for all of them.
   */
  values?: Record<string, string>;
}

/** The kinds of parcel target that may take one value for the whole file (not the code, nor the area; the zone has its own chooser). */
const WHOLE_FILE_KINDS: readonly ImportTargetKind[] = ['status', 'landUse', 'date', 'boolean', 'text', 'number'];
export const acceptsWholeFileValue = (target: ImportTarget): boolean => WHOLE_FILE_KINDS.includes(target.kind);

/** Whether a value for the whole file converts as a cell of its target would; the problem in words if not. */
export function checkWholeFileValue(target: ImportTarget, value: string, standard: LandUseStandard): Message | null {
  const label = (m: Message) => msg(`${target.en}, value for the whole file: ${m.en}`, `${target.zh}（整个文件的值）：${m.zh}`);
  if (!acceptsWholeFileValue(target)) return label(msg('this field takes no value for the whole file.', '此字段不能设置整个文件的值。'));
  if (value.trim() === '') return label(msg('the value is empty.', '值为空。'));
  const converted =
    target.kind === 'status'
      ? convertStatus(value)
      : target.kind === 'landUse'
        ? convertLandUse(value, standard)
        : target.kind === 'date'
          ? convertDate(value)
          : target.kind === 'boolean'
            ? convertBoolean(value)
            : target.kind === 'number'
              ? convertNumber(value)
              : { value };
  return 'error' in converted ? label(converted.error) : null;
}

/** A column name compared loosely: lower case, no spaces, brackets, units or punctuation. */
export function normaliseColumnName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[（(［[【].*?[）)］\]】]/g, '')
    .replace(/(万元|亿元|平方米|m²|m2|亩|公顷|ha)$/g, '')
    .replace(/[\s_\-:：.。/]/g, '');
}

/** The unit an area column's name gives: "面积(亩)" → mu, "MJ_HA" → ha, otherwise m². */
export function areaUnitFromName(name: string): AreaUnit {
  if (/亩|mu\b|_mu$/i.test(name)) return 'mu';
  if (/公顷|hectare|\bha\b|_ha$/i.test(name)) return 'ha';
  return 'm2';
}

/**
 * Proposes a mapping from column names. A saved mapping for the same columns wins; then an exact name;
 * then a name that starts with a known name ("出让时间（合同）"). Each column feeds one target at most.
 */
export function proposeMapping(columns: readonly string[], saved?: FieldMapping | null, kind: ImportKind = 'parcels'): FieldMapping {
  if (saved && (saved.kind ?? 'parcels') === kind && Object.values(saved.fields).every((c) => c === null || columns.includes(c))) return saved;
  const fields: Record<string, string | null> = {};
  const used = new Set<string>();
  const norm = columns.map((c) => ({ c, n: normaliseColumnName(c) }));
  // A shapefile's field names are cut at 10 bytes: in UTF-8 "园区代码" (12 bytes) arrives as "园区代" (9).
  // eslint-disable-next-line no-control-regex -- \x00-\x7f is "ASCII": the test is for any other character
  const cut = (c: string) => new TextEncoder().encode(c).length >= 9 && /[^\x00-\x7f]/.test(c);
  for (const pass of ['exact', 'prefix', 'cut', 'fallback'] as const) {
    for (const target of targetsOf(kind)) {
      if (fields[target.key]) continue;
      if (pass === 'fallback' && !target.fallbackNames) continue;
      const names = (pass === 'fallback' ? target.fallbackNames! : [...target.names, target.short]).map(normaliseColumnName);
      const hit = norm.find(
        ({ c, n }) =>
          !used.has(c) &&
          (pass === 'exact' || pass === 'fallback'
            ? names.includes(n)
            : pass === 'prefix'
              ? names.some((x) => x.length >= 2 && n.startsWith(x))
              : cut(c) && names.some((x) => x.length > n.length && x.startsWith(n))),
      );
      if (hit) {
        fields[target.key] = hit.c;
        used.add(hit.c);
      }
    }
  }
  const areaColumn = fields.registered_area;
  const moneyColumn = fields.total_investment_wan ?? fields.completed_investment_wan;
  return {
    ...(kind !== 'parcels' ? { kind } : {}),
    ...(kind === 'projects' ? { moneyUnit: moneyColumn && /亿/.test(moneyColumn) ? ('yi' as const) : ('wan' as const) } : {}),
    fields,
    areaUnit: areaColumn ? areaUnitFromName(areaColumn) : 'm2',
    landUseStandard: 'auto',
  };
}

/** The key under which a mapping is saved: the sorted column names, so the same kind of file finds it again. */
export function mappingSignature(columns: readonly string[]): string {
  return [...columns]
    .map((c) => c.trim())
    .sort()
    .join('|');
}

export type Converted<T> = { value: T } | { error: Message };

/** A number from a cell: 1234.5, "1,234.5", "1 234.5", "1234,5"; empty is null. */
export function convertNumber(value: unknown): Converted<number | null> {
  if (value === null || value === undefined || value === '') return { value: null };
  if (typeof value === 'number') return Number.isFinite(value) ? { value } : { error: msg(`"${value}" is not a number.`, `“${value}”不是数字。`) };
  let s = String(value)
    .trim()
    .replace(/[\s\u00a0\u202f]/g, '');
  if (s === '') return { value: null };
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  else if (/^-?\d+,\d+$/.test(s)) s = s.replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s))
    return { error: msg(`"${String(value).slice(0, 30)}" is not a number.`, `“${String(value).slice(0, 30)}”不是数字。`) };
  return { value: Number(s) };
}

/** Square metres from an area in the given unit (1 亩 = 10000/15 m², 1 ha = 10000 m²). */
export function areaToSquareMetres(value: number, unit: AreaUnit): number {
  return unit === 'mu' ? (value * 10000) / 15 : unit === 'ha' ? value * 10000 : value;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A date from a cell: 2023-05-01, 2023/5/1, 2023.5.1, 2023年5月1日, 20230501, an ISO timestamp, or an Excel serial day. */
export function convertDate(value: unknown): Converted<string | null> {
  if (value === null || value === undefined || value === '') return { value: null };
  const bad = {
    error: msg(
      `"${String(value).slice(0, 30)}" is not a date (write YYYY-MM-DD, between 1990 and 2100).`,
      `“${String(value).slice(0, 30)}”不是有效日期（应为 YYYY-MM-DD，1990–2100 年）。`,
    ),
  };
  let iso: string | null = null;
  if (typeof value === 'number') {
    // Excel's serial day (1900 system): 1 = 1900-01-01, with its phantom 29 Feb 1900.
    if (value > 20000 && value < 80000 && Number.isInteger(value)) iso = new Date(Date.UTC(1899, 11, 30) + value * 86400000).toISOString().slice(0, 10);
    else if (value >= 19900101 && value <= 21001231) iso = `${String(value).slice(0, 4)}-${String(value).slice(4, 6)}-${String(value).slice(6, 8)}`;
  } else {
    const s = String(value).trim();
    let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T\s].*)?$/.exec(s);
    if (m) iso = `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}`;
    else if ((m = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) iso = `${m[1]}-${m[2]}-${m[3]}`;
  }
  return iso && isValidDate(iso) ? { value: iso } : bad;
}

const STATUS_NAMES: Record<string, string> = Object.fromEntries(
  PARCEL_STATUSES.flatMap((s) => [
    [s.key, s.key],
    [s.zh, s.key],
    [s.en.toLowerCase(), s.key],
  ]),
);
Object.assign(STATUS_NAMES, {
  储备用地: 'reserve',
  待供: 'available',
  可供: 'available',
  待供应: 'available',
  已供: 'supplied',
  已出让: 'supplied',
  已供地: 'supplied',
  已开工: 'started',
  在建: 'started',
  已投产: 'producing',
  已达产: 'at_capacity',
  达产: 'at_capacity',
  投产: 'producing',
  竣工: 'completed',
});

export function convertStatus(value: unknown): Converted<string | null> {
  if (value === null || value === undefined || value === '') return { value: null };
  const key = STATUS_NAMES[String(value).trim().toLowerCase()] ?? STATUS_NAMES[String(value).trim()];
  return key
    ? { value: key }
    : {
        error: msg(
          `Unknown status "${String(value).slice(0, 20)}" (use 储备, 可供应, 已供应, 已动工, 已竣工, 已投产, 已达产).`,
          `未知的供地状态“${String(value).slice(0, 20)}”（可用：储备、可供应、已供应、已动工、已竣工、已投产、已达产）。`,
        ),
      };
}

export function convertBoolean(value: unknown): Converted<boolean | null> {
  if (value === null || value === undefined || value === '') return { value: null };
  if (typeof value === 'boolean') return { value };
  const s = String(value).trim().toLowerCase();
  if (['是', 'y', 'yes', 'true', '1', 't'].includes(s)) return { value: true };
  if (['否', 'n', 'no', 'false', '0', 'f'].includes(s)) return { value: false };
  return { error: msg(`"${String(value).slice(0, 20)}" is not yes/no (是/否).`, `“${String(value).slice(0, 20)}”不是“是/否”。`) };
}

// ------------------------------------------------------------------ land use: 2023 codes and the crosswalks

export type OldLandUseStandard = 'GB/T 21010-2017' | 'GB 50137-2011';
interface CrosswalkEntry {
  /** The class's name in its own standard. */
  zh: string;
  /** The 2023 code it becomes; null when no 2023 class is sound (the import refuses it, saying why). */
  to: string | null;
  note?: Message;
  why?: Message;
}
const CROSSWALK = table.crosswalk as unknown as Record<OldLandUseStandard, Record<string, CrosswalkEntry>>;

/** The old standard's class of a code (GB/T 21010-2017 0601 → 工业用地, to 1001), if it has one. */
export function oldLandUseClass(standard: OldLandUseStandard, code: string): CrosswalkEntry | undefined {
  return CROSSWALK[standard][code];
}

const nameKey = (s: string) => s.replace(/[\s（(）)［\][\]【】·,，;；:：]/g, '');
const CLASS_BY_NAME = new Map(LAND_USE_CLASSES.map((c) => [nameKey(c.zh), c]));
/** "工业" and "工业用地" name the same class. */
const sameName = (a: string, b: string) => {
  const x = nameKey(a);
  const y = nameKey(b);
  return x === y || `${x}用地` === y || x === `${y}用地`;
};
const className = (code: string) => landUseClass(code)?.zh ?? '';

export interface LandUseResult {
  /** The 2023 code. */
  code: string;
  /** How the cell became a 2023 code when it did not hold one: shown to the user as a warning. */
  mapped: { standard: OldLandUseStandard | 'name'; from: string; fromName: string; note: Message | null } | null;
  /**
   * Set when a code was read as the 2023 class though GB/T 21010-2017 uses the same code for another class
   * (auto only, and only in a column that holds no code that is 2023's alone): the user is told once.
   */
  alsoOld: { standard: OldLandUseStandard; name: string } | null;
}

/** What a whole land-use column shows about its standard, for "auto": read before its cells are converted. */
export interface LandUseColumnFacts {
  /** A code of the 2023 classification that GB/T 21010-2017 does not have (100101, 1301 …): the column is 2023. */
  has2023Only: boolean;
}

/** The code and the name of a cell: "100102", "M2二类工业用地", "0601 工业用地", "二类工业用地". */
function splitLandUseCell(raw: string): { code: string | null; name: string } {
  // 05H1, 08H1, 08H2: the 三调 working classification's merged classes (GB/T 21010-2017 table).
  const m = /^([A-Za-z]\d{0,2}|\d{2}H\d|\d{2,6})(?![0-9A-Za-z])\s*[-–—:：]?\s*(.*)$/.exec(raw);
  return m ? { code: m[1].toUpperCase(), name: m[2].trim() } : { code: null, name: raw };
}

export function landUseColumnFacts(cells: readonly unknown[]): LandUseColumnFacts {
  const has2023Only = cells.some((v) => {
    if (v === null || v === undefined) return false;
    const { code } = splitLandUseCell(String(v).trim());
    return code !== null && /^\d+$/.test(code) && isKnownLandUseCode(code) && !oldLandUseClass('GB/T 21010-2017', code);
  });
  return { has2023Only };
}

const STANDARD_NAMES = {
  auto: msg('automatic', '自动识别'),
  '2023': msg('the 2023 classification', '2023 用地用海分类'),
  'GB/T 21010-2017': msg('GB/T 21010-2017', 'GB/T 21010-2017'),
  'GB 50137-2011': msg('GB 50137-2011', 'GB 50137-2011'),
} as const;

/**
 * A 2023-classification code from a cell. The standard is the user's choice for the column, or "auto":
 * a code valid in 2023 is read as 2023 and never as an older code (when GB/T 21010-2017 uses it for another
 * class, `alsoOld` says so); a GB 50137-2011 letter code (M2, W1 …) goes through its crosswalk; a code that
 * only GB/T 21010-2017 has (0604, 0810 …) is refused, asking the user to choose that standard, because the
 * same column's other codes (0601, 1001 …) would mean something else in it. With an older standard chosen,
 * every code is read in it and mapped. A mapping is never silent (`mapped` is shown as a warning); a code
 * with no sound 2023 class is refused, saying why. A name in the cell must not contradict its code.
 */
export function convertLandUse(value: unknown, standard: LandUseStandard, column?: LandUseColumnFacts): Converted<LandUseResult | null> {
  if (value === null || value === undefined || String(value).trim() === '') return { value: null };
  // A code kept as a number (Excel, a DBF numeric field) loses its leading zero: 101 is 0101, 7 is 07.
  const raw = typeof value === 'number' && Number.isInteger(value) && value > 0 && String(value).length % 2 === 1 ? `0${value}` : String(value).trim();
  const shown = raw.slice(0, 30);
  const std = STANDARD_NAMES[standard];
  const fail = (en: string, zh: string): Converted<LandUseResult | null> => ({ error: msg(en, zh) });
  const { code, name } = splitLandUseCell(raw);

  if (code === null) {
    // A name alone: a 2023 class's name ("二类工业用地").
    const cls = CLASS_BY_NAME.get(nameKey(raw)) ?? CLASS_BY_NAME.get(nameKey(`${raw}用地`));
    return cls
      ? { value: { code: cls.code, mapped: { standard: 'name', from: raw, fromName: cls.zh, note: null }, alsoOld: null } }
      : fail(
          `"${shown}" is neither a land-use code nor the name of a class of the 2023 classification.`,
          `“${shown}”既不是用地分类代码，也不是 2023 用地用海分类的类名。`,
        );
  }

  const fromOld = (old: OldLandUseStandard): Converted<LandUseResult | null> => {
    const entry = oldLandUseClass(old, code);
    if (!entry) return fail(`Unknown land-use code "${code}": not a code of ${old}.`, `未知的用地分类代码“${code}”：不是 ${old} 的代码。`);
    if (!entry.to)
      return fail(
        `${old} ${code} ${entry.zh} has no sound 2023 class: ${entry.why!.en}`,
        `${old} 的 ${code} ${entry.zh} 没有可靠对应的 2023 分类：${entry.why!.zh}`,
      );
    if (name && !sameName(name, entry.zh) && isKnownLandUseCode(code) && sameName(name, className(code))) {
      return fail(
        `The cell says "${shown}": ${code} is ${entry.zh} in ${old} but ${className(code)} in the 2023 classification. Choose the standard of this column.`,
        `单元格为“${shown}”：${code} 在 ${old} 中是 ${entry.zh}，在 2023 分类中是 ${className(code)}。请选择这一列所用的分类标准。`,
      );
    }
    return { value: { code: entry.to, mapped: { standard: old, from: code, fromName: entry.zh, note: entry.note ?? null }, alsoOld: null } };
  };

  if (/^[A-Z]/.test(code)) {
    if (standard === 'auto' || standard === 'GB 50137-2011') return fromOld('GB 50137-2011');
    return fail(
      `"${code}" is a GB 50137-2011 code, not one of ${std.en}: choose GB 50137-2011 or automatic.`,
      `“${code}”是 GB 50137-2011 的代码，不属于${std.zh}：请选择 GB 50137-2011 或自动识别。`,
    );
  }
  if (standard === 'GB/T 21010-2017') return fromOld('GB/T 21010-2017');
  if (standard === 'GB 50137-2011')
    return fail(
      `Unknown land-use code "${code}": not a code of GB 50137-2011 (those are letters: R2, M1, W1 …).`,
      `未知的用地分类代码“${code}”：不是 GB 50137-2011 的代码（其代码为字母：R2、M1、W1 等）。`,
    );

  const gbt = oldLandUseClass('GB/T 21010-2017', code);
  if (!isKnownLandUseCode(code)) {
    if (gbt && standard === 'auto') {
      return fail(
        `"${code}" is not a 2023 code; in GB/T 21010-2017 it is ${gbt.zh}. If this column uses GB/T 21010-2017, choose that standard (its other codes are then read in it too: 0601 is 工业用地 there, 农村道路 in 2023).`,
        `“${code}”不是 2023 分类代码，在 GB/T 21010-2017 中是 ${gbt.zh}。如这一列用的是 GB/T 21010-2017，请选择该标准（其余代码也将按它读取：0601 在其中为工业用地，在 2023 分类中为农村道路）。`,
      );
    }
    return fail(`Unknown land-use code "${code}": not a code of ${std.en}.`, `未知的用地分类代码“${code}”：不是${std.zh}的代码。`);
  }
  if (name && !sameName(name, className(code))) {
    if (gbt && sameName(name, gbt.zh)) {
      return fail(
        `The cell says "${shown}": ${code} is ${className(code)} in the 2023 classification but ${gbt.zh} in GB/T 21010-2017. Choose GB/T 21010-2017 if this column uses it.`,
        `单元格为“${shown}”：${code} 在 2023 分类中是 ${className(code)}，在 GB/T 21010-2017 中是 ${gbt.zh}。如这一列用的是 GB/T 21010-2017，请选择该标准。`,
      );
    }
  }
  const alsoOld = standard === 'auto' && gbt && gbt.to !== code && !column?.has2023Only ? { standard: 'GB/T 21010-2017' as const, name: gbt.zh } : null;
  return { value: { code, mapped: null, alsoOld } };
}

/** The warning for a mapped cell: "GB/T 21010-2017 0601 工业用地 → 1001 工业用地". */
export function landUseMappedMessage(r: LandUseResult): Message | null {
  if (!r.mapped) return null;
  const to = `${r.code} ${className(r.code)}`;
  const note = r.mapped.note ? msg(` ${r.mapped.note.en}`, ` ${r.mapped.note.zh}`) : msg('', '');
  return r.mapped.standard === 'name'
    ? msg(`Land use: the name "${r.mapped.from}" is read as 2023 class ${to}.`, `用地分类：名称“${r.mapped.from}”按 2023 分类读作 ${to}。`)
    : msg(
        `Land use mapped: ${r.mapped.standard} ${r.mapped.from} ${r.mapped.fromName} → 2023 ${to}.${note.en}`,
        `用地分类已转换：${r.mapped.standard} 的 ${r.mapped.from} ${r.mapped.fromName} → 2023 分类 ${to}。${note.zh}`,
      );
}

/** The warning for a 2023 code that an older standard uses for another class (told once per code). */
export function landUseAlsoOldMessage(r: LandUseResult): Message | null {
  if (!r.alsoOld) return null;
  return msg(
    `Land use ${r.code} is read as 2023 class ${className(r.code)}; in ${r.alsoOld.standard} ${r.code} is ${r.alsoOld.name}. If this column uses ${r.alsoOld.standard}, choose that standard.`,
    `用地分类 ${r.code} 按 2023 分类读作 ${className(r.code)}；在 ${r.alsoOld.standard} 中 ${r.code} 是 ${r.alsoOld.name}。如这一列用的是 ${r.alsoOld.standard}，请选择该标准。`,
  );
}

/** 万元 from an amount in the given unit (1 亿元 = 10 000 万元). */
export function moneyToWan(value: number, unit: MoneyUnit): number {
  return unit === 'yi' ? value * 10000 : value;
}

/** A zone level from a cell: its key, its Chinese or English name (national, 国家级, National), or a common variant (国家, 省). */
export function convertLevel(value: unknown): Converted<ZoneLevel | null> {
  if (value === null || value === undefined || String(value).trim() === '') return { value: null };
  const s = String(value).trim().toLowerCase();
  const named = ZONE_LEVELS.find((l) => l.key === s || l.zh === s || l.en.toLowerCase() === s);
  if (named) return { value: named.key };
  if (['国家', '国家级开发区', '国家级经济技术开发区', '国家级高新区'].includes(s)) return { value: 'national' };
  if (['省', '省级开发区'].includes(s)) return { value: 'provincial' };
  return {
    error: msg(
      `Unknown level "${String(value).slice(0, 20)}" (national/国家级 or provincial/省级).`,
      `未知的级别“${String(value).slice(0, 20)}”（国家级或省级）。`,
    ),
  };
}

/** A project stage from a cell: a stage key (signed) or its Chinese or English name (签约, Signed), of the configured list. */
export function convertStage(value: unknown, stages: readonly { key: string; zh: string; en: string }[]): Converted<string | null> {
  if (value === null || value === undefined || String(value).trim() === '') return { value: null };
  const s = String(value).trim();
  const hit = stages.find((x) => x.key === s.toLowerCase() || x.zh === s || x.en.toLowerCase() === s.toLowerCase() || `${x.zh}阶段` === s);
  return hit
    ? { value: hit.key }
    : {
        error: msg(
          `Unknown stage "${s.slice(0, 20)}" (use ${stages.map((x) => `${x.zh}/${x.key}`).join(', ')}).`,
          `未知的项目阶段“${s.slice(0, 20)}”（可用：${stages.map((x) => x.zh).join('、')}）。`,
        ),
      };
}
