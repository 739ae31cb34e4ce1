/**
 * People's names for record fields, kinds of record and audit actions, in Chinese and English: the edit
 * forms, the history panel, the audit log and its CSV use the same words. A column name that means different
 * things in different records (`name`, `status`, `kind`) is named per kind of record first.
 */
import type { AuditEntity } from './auditEntities.ts';
import { dateTimeInZone } from './dates.ts';

export type Lang = 'zh' | 'en';
type Label = { zh: string; en: string };

const FIELDS: Record<string, Label> = {
  id: { zh: '编号', en: 'ID' },
  // Parcels
  code: { zh: '地块编号', en: 'Code' },
  zone_id: { zh: '开发区', en: 'Zone' },
  land_use_code: { zh: '用地性质', en: 'Land use' },
  is_standard_land: { zh: '标准地', en: 'Standard land' },
  min_investment_intensity_wan_per_mu: { zh: '投资强度下限（万元/亩）', en: 'Min. investment intensity (10k CNY/mu)' },
  min_floor_area_ratio: { zh: '容积率下限', en: 'Min. floor-area ratio' },
  max_floor_area_ratio: { zh: '容积率上限', en: 'Max. floor-area ratio' },
  min_tax_per_mu_wan: { zh: '亩均税收下限（万元/亩/年）', en: 'Min. tax per mu (10k CNY/mu/yr)' },
  max_energy_tce_per_wan: { zh: '单位能耗上限（吨标煤/万元）', en: 'Max. energy (tce per 10k CNY)' },
  environment_standard: { zh: '环境标准', en: 'Environmental standard' },
  min_building_coverage_pct: { zh: '建筑系数下限（%）', en: 'Min. building coverage (%)' },
  max_admin_facility_pct: { zh: '行政办公及生活服务设施用地比例上限（%）', en: 'Max. office & living facilities (%)' },
  max_green_pct: { zh: '绿地率上限（%）', en: 'Max. green ratio (%)' },
  infrastructure: { zh: '基础设施', en: 'Infrastructure' },
  status: { zh: '状态', en: 'Status' },
  reserve_date: { zh: '储备日期', en: 'Reserved on' },
  available_date: { zh: '可供应日期', en: 'Available on' },
  supplied_date: { zh: '供应（出让）日期', en: 'Supplied on' },
  started_date: { zh: '动工日期', en: 'Started on' },
  completed_date: { zh: '竣工日期', en: 'Completed on' },
  producing_date: { zh: '投产日期', en: 'Producing since' },
  at_capacity_date: { zh: '达产日期', en: 'At capacity since' },
  agreed_start_date: { zh: '约定动工日期', en: 'Agreed start' },
  agreed_completion_date: { zh: '约定竣工日期', en: 'Agreed completion' },
  planned_building_area_m2: { zh: '计划建筑面积（m²）', en: 'Planned floor area (m²)' },
  developed_area_m2: { zh: '已开发建筑面积（m²）', en: 'Floor area built (m²)' },
  agreed_investment_wan: { zh: '约定投资总额（万元）', en: 'Agreed investment (10k CNY)' },
  invested_wan: { zh: '已完成投资（万元）', en: 'Invested (10k CNY)' },
  work_stopped_since: { zh: '停工日期', en: 'Work stopped since' },
  registered_area_m2: { zh: '登记面积（m²）', en: 'Registered area (m²)' },
  land_price_wan: { zh: '土地价格（万元）', en: 'Land price (10k CNY)' },
  land_price_internal: { zh: '价格仅内部可见', en: 'Price internal only' },
  internal_note: { zh: '内部备注', en: 'Internal note' },
  geometry: { zh: '图形', en: 'Shape' },
  geometry_note: { zh: '几何说明', en: 'Geometry note' },
  // Zones
  name: { zh: '名称', en: 'Name' },
  name_en: { zh: '英文名称', en: 'English name' },
  level: { zh: '级别', en: 'Level' },
  city: { zh: '所在市', en: 'City' },
  county: { zh: '所在县（区）', en: 'County' },
  leading_industry: { zh: '主导产业', en: 'Leading industry' },
  approved_area_ha: { zh: '批准面积（公顷）', en: 'Approved area (ha)' },
  contact_phone: { zh: '联系电话', en: 'Contact phone' },
  // Projects
  stage: { zh: '阶段', en: 'Stage' },
  industry_chain: { zh: '产业链', en: 'Industry chain' },
  description: { zh: '说明', en: 'Description' },
  total_investment_wan: { zh: '总投资（万元）', en: 'Total investment (10k CNY)' },
  completed_investment_wan: { zh: '已完成投资（万元）', en: 'Completed investment (10k CNY)' },
  expected_annual_output_wan: { zh: '预计年产值（万元）', en: 'Expected annual output (10k CNY)' },
  land_area_mu: { zh: '用地面积（亩）', en: 'Land area (mu)' },
  planned_date: { zh: '谋划日期', en: 'Planned on' },
  signed_date: { zh: '签约日期', en: 'Signed on' },
  landed_date: { zh: '落地日期', en: 'Landed on' },
  parcel_id: { zh: '地块', en: 'Parcel' },
  parcel_code: { zh: '关联地块编号', en: 'Linked parcel code' },
  plan_landed_date: { zh: '计划落地日期', en: 'Planned landing' },
  plan_started_date: { zh: '计划开工日期', en: 'Planned start' },
  plan_producing_date: { zh: '计划投产日期', en: 'Planned production' },
  plan_at_capacity_date: { zh: '计划达产日期', en: 'Planned capacity' },
  actual_annual_output_wan: { zh: '实际年产值（万元）', en: 'Actual annual output (10k CNY)' },
  agreed_annual_tax_wan: { zh: '约定年税收（万元）', en: 'Agreed annual tax (10k CNY)' },
  actual_annual_tax_wan: { zh: '实际年税收（万元）', en: 'Actual annual tax (10k CNY)' },
  enterprise_id: { zh: '企业', en: 'Enterprise' },
  is_industrial: { zh: '工业项目', en: 'Industrial project' },
  extra_stage_dates: { zh: '其他阶段日期', en: 'Dates of other stages' },
  chain_link_id: { zh: '产业链环节', en: 'Chain link' },
  stats_registered: { zh: '已入统', en: 'Registered in statistics' },
  stats_registered_on: { zh: '入统日期', en: 'Registered on' },
  // Enterprises
  credit_code: { zh: '统一社会信用代码', en: 'Credit code' },
  industry: { zh: '产业', en: 'Industry' },
  above_scale: { zh: '规上企业', en: 'Above designated size' },
  above_scale_since: { zh: '规上起始日期', en: 'Above size since' },
  founded_date: { zh: '成立日期', en: 'Founded on' },
  failed_checks: { zh: '未通过核验', en: 'Failed checks' },
  // Accounts, shortlists, settings, rounds, imports
  username: { zh: '用户名', en: 'User name' },
  display_name: { zh: '姓名', en: 'Display name' },
  role: { zh: '角色', en: 'Role' },
  zone_ids: { zh: '管辖开发区', en: 'Zones' },
  active: { zh: '启用', en: 'Active' },
  created_at: { zh: '创建时间', en: 'Created at' },
  created_by: { zh: '创建人', en: 'Created by' },
  title: { zh: '标题', en: 'Title' },
  note: { zh: '备注', en: 'Note' },
  parcel_ids: { zh: '地块', en: 'Parcels' },
  withdrawn_at: { zh: '撤回时间', en: 'Withdrawn at' },
  withdrawn_by: { zh: '撤回人', en: 'Withdrawn by' },
  key: { zh: '键', en: 'Key' },
  value: { zh: '数值', en: 'Value' },
  updated_by: { zh: '修改人', en: 'Changed by' },
  held_on: { zh: '日期', en: 'Held on' },
  entries: { zh: '入选项目', en: 'Projects' },
  file_name: { zh: '文件名', en: 'File name' },
  format: { zh: '格式', en: 'Format' },
  settings: { zh: '设置', en: 'Settings' },
  counts: { zh: '数量', en: 'Counts' },
  committed_at: { zh: '提交时间', en: 'Committed at' },
  undone_at: { zh: '撤销时间', en: 'Undone at' },
  undone_by: { zh: '撤销人', en: 'Undone by' },
  // Zone figures and targets
  month: { zh: '月份', en: 'Month' },
  year: { zh: '年度', en: 'Year' },
  industrial_value_added_wan: { zh: '规上工业增加值（万元）', en: 'Industrial value added (10k CNY)' },
  industrial_investment_wan: { zh: '工业投资（万元）', en: 'Industrial investment (10k CNY)' },
  value_added_growth_target_pct: { zh: '增加值增速目标（%）', en: 'Value-added growth target (%)' },
  investment_growth_target_pct: { zh: '投资增速目标（%）', en: 'Investment growth target (%)' },
  // Start-date extensions
  extensions: { zh: '延期记录', en: 'Extensions' },
  previous_start_date: { zh: '原约定动工日期', en: 'Previous start date' },
  start_date: { zh: '开始日期', en: 'Start date' },
  end_date: { zh: '结束日期', en: 'End date' },
  signed_on: { zh: '签订日期', en: 'Signed on' },
  reason: { zh: '原因', en: 'Reason' },
  document_no: { zh: '文号', en: 'Document no.' },
  recorded_by: { zh: '记录人', en: 'Recorded by' },
  recorded_by_name: { zh: '记录人', en: 'Recorded by' },
  recorded_at: { zh: '记录时间', en: 'Recorded at' },
  // Leads and promotion events
  investor_name: { zh: '投资方', en: 'Investor' },
  investor_credit_code: { zh: '投资方信用代码', en: "Investor's credit code" },
  investor_origin: { zh: '投资方所在地', en: "Investor's origin" },
  project_name: { zh: '项目名称', en: 'Project name' },
  planned_investment_wan: { zh: '计划投资（万元）', en: 'Planned investment (10k CNY)' },
  land_need_min_mu: { zh: '用地下限（亩）', en: 'Min. land (mu)' },
  land_need_max_mu: { zh: '用地上限（亩）', en: 'Max. land (mu)' },
  floor_need_m2: { zh: '厂房需求（m²）', en: 'Floor space needed (m²)' },
  source: { zh: '来源', en: 'Source' },
  event_id: { zh: '招商活动', en: 'Promotion event' },
  promoter_id: { zh: '招商人员', en: 'Promoter' },
  leader: { zh: '包联领导', en: 'Leader in charge' },
  contact_name: { zh: '联系人', en: 'Contact' },
  lead_date: { zh: '线索日期', en: 'Lead date' },
  contact_date: { zh: '接洽日期', en: 'Contacted on' },
  visit_date: { zh: '考察日期', en: 'Visited on' },
  negotiation_date: { zh: '洽谈日期', en: 'Negotiating since' },
  intent_date: { zh: '意向日期', en: 'Intent on' },
  next_follow_up: { zh: '下次跟进', en: 'Next follow-up' },
  dropped_on: { zh: '终止日期', en: 'Dropped on' },
  drop_reason: { zh: '终止原因', en: 'Reason dropped' },
  drop_note: { zh: '终止说明', en: 'Note on dropping' },
  project_id: { zh: '项目', en: 'Project' },
  contacts: { zh: '接洽记录', en: 'Contacts' },
  kind: { zh: '类型', en: 'Kind' },
  place: { zh: '地点', en: 'Place' },
  organiser: { zh: '主办单位', en: 'Organiser' },
  agreements_signed: { zh: '签约项目数', en: 'Agreements signed' },
  // Chains
  links: { zh: '环节', en: 'Links' },
  // 观摩 tours
  scope: { zh: '范围', en: 'Scope' },
  min_judges_for_trim: { zh: '去掉最高最低分的最少评委数', en: 'Judges needed to drop highest and lowest' },
  stops: { zh: '观摩点', en: 'Stops' },
  criteria: { zh: '评分项', en: 'Criteria' },
  judges: { zh: '评委', en: 'Judges' },
  scores: { zh: '评分', en: 'Scores' },
  judge_id: { zh: '评委', en: 'Judge' },
  criterion_id: { zh: '评分项', en: 'Criterion' },
  user_id: { zh: '用户', en: 'User' },
  // 考核
  version: { zh: '版本', en: 'Version' },
  basis: { zh: '依据', en: 'Basis' },
  indicators: { zh: '指标', en: 'Indicators' },
  thresholds: { zh: '等次分数线', en: 'Class thresholds' },
  indicator_key: { zh: '指标', en: 'Indicator' },
  target: { zh: '目标值', en: 'Target' },
  // 前期手续 (service)
  department: { zh: '责任部门', en: 'Department' },
  limit_working_days: { zh: '法定时限（工作日）', en: 'Time limit (working days)' },
  may_commit: { zh: '可告知承诺', en: 'May go under commitment' },
  required_before_start: { zh: '开工前必需', en: 'Required before start' },
  sort_order: { zh: '排序', en: 'Order' },
  item_id: { zh: '事项', en: 'Item' },
  state: { zh: '办理状态', en: 'State' },
  accepted_on: { zh: '受理日期', en: 'Accepted on' },
  started_on: { zh: '开始日期', en: 'Started on' },
  done_on: { zh: '办结日期', en: 'Done on' },
  agent_user_id: { zh: '代办员', en: 'Agent' },
  agent_name: { zh: '代办员', en: 'Agent' },
  committed: { zh: '告知承诺', en: 'Under commitment' },
  people: { zh: '人员', en: 'People' },
  detail: { zh: '详情', en: 'Detail' },
  assignee_user_id: { zh: '责任人', en: 'Assignee' },
  assignee_name: { zh: '责任人', en: 'Assignee' },
  raised_by: { zh: '提出人', en: 'Raised by' },
  raised_by_name: { zh: '提出人', en: 'Raised by' },
  raised_on: { zh: '提出日期', en: 'Raised on' },
  due_on: { zh: '办结时限', en: 'Due on' },
  answer: { zh: '答复', en: 'Answer' },
  answered_on: { zh: '答复日期', en: 'Answered on' },
  closed_on: { zh: '关闭日期', en: 'Closed on' },
  // Supply: transfers, acceptance, targets, leases
  transferred_on: { zh: '出让日期', en: 'Transferred on' },
  contract_no: { zh: '合同编号', en: 'Contract no.' },
  enterprise_name: { zh: '受让企业', en: 'Enterprise' },
  price_wan: { zh: '成交价（万元）', en: 'Price (10k CNY)' },
  area_mu: { zh: '面积（亩）', en: 'Area (mu)' },
  agreed: { zh: '约定指标', en: 'Agreed indicators' },
  transfer_id: { zh: '出让合同', en: 'Transfer' },
  actual: { zh: '实际指标', en: 'Actual indicators' },
  results: { zh: '复核结果', en: 'Results' },
  overall_met: { zh: '总体达标', en: 'Met overall' },
  consequence: { zh: '处理措施', en: 'Consequence' },
  penalty_wan: { zh: '违约金（万元）', en: 'Penalty (10k CNY)' },
  correction_deadline: { zh: '整改期限', en: 'Correction deadline' },
  follow_up_status: { zh: '跟踪状态', en: 'Follow-up status' },
  follow_up_note: { zh: '跟踪说明', en: 'Follow-up note' },
  reserve_target_mu: { zh: '储备目标（亩）', en: 'Reserve target (mu)' },
  supply_target_mu: { zh: '供应目标（亩）', en: 'Supply target (mu)' },
  new_factory_target_m2: { zh: '新建厂房目标（m²）', en: 'New factory target (m²)' },
  factory_use_target_pct: { zh: '厂房使用率目标（%）', en: 'Factory use target (%)' },
  building_id: { zh: '厂房', en: 'Building' },
  tenant_name: { zh: '承租企业', en: 'Tenant' },
  leased_area_m2: { zh: '租用面积（m²）', en: 'Leased area (m²)' },
  building_leased_area_m2: { zh: '厂房已出租面积（m²）', en: "Building's leased area (m²)" },
  // Chains and evaluation zone types
  leader_post: { zh: '职务', en: 'Post' },
  zone_type: { zh: '开发区类型', en: 'Zone type' },
};

/** Where a column means something else in one kind of record. */
const BY_ENTITY: Partial<Record<AuditEntity, Record<string, Label>>> = {
  zone: { name: { zh: '开发区名称', en: 'Zone name' }, code: { zh: '开发区代码', en: 'Zone code' } },
  project: { name: { zh: '项目名称', en: 'Project name' }, industry: { zh: '产业', en: 'Industry' } },
  lead: { stage: { zh: '线索阶段', en: 'Lead stage' } },
  promotion_event: { name: { zh: '活动名称', en: 'Event name' }, held_on: { zh: '举办日期', en: 'Held on' }, kind: { zh: '活动类型', en: 'Kind of event' } },
  tour: { name: { zh: '观摩名称', en: 'Tour name' }, held_on: { zh: '观摩日期', en: 'Held on' } },
  round: { name: { zh: '批次名称', en: 'Round name' } },
  shortlist: { note: { zh: '说明', en: 'Note' } },
  setting: { value: { zh: '设置值', en: 'Setting' } },
  service_item: { name: { zh: '事项名称', en: 'Item name' } },
  project_problem: { kind: { zh: '问题类型', en: 'Kind of problem' }, title: { zh: '问题', en: 'Problem' }, level: { zh: '协调层级', en: 'Level' } },
  industry_chain: {
    name: { zh: '产业链名称', en: 'Chain name' },
    key: { zh: '标识', en: 'Key' },
    leader: { zh: '链长', en: 'Chain leader' },
    leader_post: { zh: '链长职务', en: "Chain leader's post" },
  },
  evaluation_scheme: { name: { zh: '方案名称', en: 'Scheme name' }, version: { zh: '方案版本', en: 'Scheme version' } },
  evaluation_value: { value: { zh: '填报值', en: 'Value entered' } },
  enterprise: { name: { zh: '企业名称', en: 'Enterprise name' } },
  transfer_acceptance: { kind: { zh: '复核类型', en: 'Kind of check' } },
  supply_target: { year: { zh: '年度', en: 'Year' } },
};

/**
 * A field's name for people: fieldLabel('land_use_code', 'zh') = '用地性质'; with the kind of record where the
 * column name is ambiguous: fieldLabel('name', 'en', 'tour') = 'Tour name'. An unknown field is shown as is.
 */
export function fieldLabel(field: string, lang: Lang, entity?: string): string {
  const own = entity ? BY_ENTITY[entity as AuditEntity]?.[field] : undefined;
  return (own ?? FIELDS[field])?.[lang] ?? field;
}

/** True when the field has a name for people (for the test that every audited column has one). */
export function hasFieldLabel(field: string): boolean {
  return field in FIELDS;
}

const ENTITIES: Record<AuditEntity, Label> = {
  zone: { zh: '开发区', en: 'Zone' },
  parcel: { zh: '地块', en: 'Parcel' },
  project: { zh: '项目', en: 'Project' },
  user: { zh: '账号', en: 'Account' },
  shortlist: { zh: '推介清单', en: 'Shortlist' },
  setting: { zh: '设置', en: 'Setting' },
  zone_indicator: { zh: '开发区月度指标', en: 'Zone monthly figures' },
  zone_target: { zh: '开发区年度目标', en: 'Zone yearly targets' },
  round: { zh: '三个一批批次', en: 'Round' },
  import: { zh: '导入', en: 'Import' },
  parcel_extension: { zh: '动工延期', en: 'Start extension' },
  lead: { zh: '招商线索', en: 'Lead' },
  promotion_event: { zh: '招商活动', en: 'Promotion event' },
  tour: { zh: '观摩', en: 'Tour' },
  tour_score: { zh: '观摩评分', en: 'Tour scores' },
  evaluation_scheme: { zh: '考核方案', en: 'Evaluation scheme' },
  evaluation_target: { zh: '考核目标', en: 'Evaluation target' },
  evaluation_value: { zh: '考核填报值', en: 'Evaluation value' },
  service_item: { zh: '审批事项', en: 'Approval item' },
  project_service_item: { zh: '项目审批事项', en: "Project's approval item" },
  project_people: { zh: '项目人员', en: 'Project people' },
  project_problem: { zh: '项目问题', en: 'Project problem' },
  industry_chain: { zh: '产业链', en: 'Industry chain' },
  land_transfer: { zh: '标准地出让', en: 'Land transfer' },
  transfer_acceptance: { zh: '达产复核', en: 'Acceptance check' },
  supply_target: { zh: '供地目标', en: 'Supply target' },
  factory_lease: { zh: '厂房租赁', en: 'Factory lease' },
  enterprise: { zh: '企业', en: 'Enterprise' },
  evaluation_zone_type: { zh: '考核开发区类型', en: 'Zone type for evaluation' },
};

/** A kind of record's name: entityLabel('parcel', 'zh') = '地块'. */
export function entityLabel(entity: string, lang: Lang): string {
  return ENTITIES[entity as AuditEntity]?.[lang] ?? entity;
}

const ACTIONS: Record<string, Label> = {
  create: { zh: '新建', en: 'created' },
  update: { zh: '修改', en: 'changed' },
  delete: { zh: '删除', en: 'deleted' },
  split: { zh: '分割', en: 'split' },
  merge: { zh: '合并', en: 'merged' },
  import: { zh: '导入', en: 'imported' },
  import_list: { zh: '导入台账', en: 'imported a list' },
  login: { zh: '登录', en: 'signed in' },
  logout: { zh: '退出', en: 'signed out' },
  register: { zh: '登记', en: 'registered' },
  sign: { zh: '签约', en: 'signed' },
  drop: { zh: '终止', en: 'dropped' },
  contact: { zh: '记录接洽', en: 'contact recorded' },
  score: { zh: '评分', en: 'scored' },
  stops: { zh: '调整观摩点', en: 'stops changed' },
  optimise_stops: { zh: '优化路线', en: 'route optimised' },
  judges: { zh: '调整评委', en: 'judges changed' },
  criteria: { zh: '调整评分项', en: 'criteria changed' },
  add_project: { zh: '加入项目', en: 'project added' },
  remove_project: { zh: '移出项目', en: 'project removed' },
  extend_start: { zh: '延期动工', en: 'start extended' },
  follow_up: { zh: '跟踪', en: 'followed up' },
  remind: { zh: '提醒', en: 'reminded' },
  escalate: { zh: '提级协调', en: 'escalated' },
  answer: { zh: '答复', en: 'answered' },
  close: { zh: '关闭', en: 'closed' },
  deny: { zh: '拒绝', en: 'denied' },
  undo: { zh: '撤销', en: 'undone' },
  place: { zh: '列入环节', en: 'placed on a link' },
  remove: { zh: '移出环节', en: 'removed from a link' },
  status_planning: { zh: '转为筹备', en: 'back to planning' },
  status_scoring: { zh: '开始评分', en: 'scoring opened' },
  status_closed: { zh: '结束观摩', en: 'closed' },
};

/** An audit action in words: actionLabel('update', 'zh') = '修改'. */
export function actionLabel(action: string, lang: Lang): string {
  return ACTIONS[action]?.[lang] ?? action;
}

/**
 * A value before or after a change, for people: auditValue(true, 'zh') = '是', an instant
 * '2026-11-28T18:39:40.291+00:00' = '2026-11-29 02:39' (the app's time zone), null = '—'; lists and objects as JSON.
 */
export function auditValue(value: unknown, lang: Lang): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? (lang === 'zh' ? '是' : 'yes') : lang === 'zh' ? '否' : 'no';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return dateTimeInZone(value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
