/**
 * Who may do what: the one place the rules live. The server enforces them; the client reads them to show
 * only what a user can do, and the admin page and README list them.
 */

export const ROLES = [
  { key: 'admin', zh: '管理员', en: 'Administrator' },
  { key: 'planner', zh: '规划', en: 'Planner' },
  { key: 'promoter', zh: '招商', en: 'Investment promoter' },
  { key: 'land_bureau', zh: '自然资源', en: 'Land bureau' },
  { key: 'viewer', zh: '只读', en: 'Viewer' },
  { key: 'agent', zh: '代办员', en: 'Agent' },
] as const;
export type Role = (typeof ROLES)[number]['key'];
export const ROLE_KEYS: readonly Role[] = ROLES.map((r) => r.key);

export const PERMISSIONS = {
  'map.read': {
    zh: '查看地图与记录（含历史）',
    en: 'See the map and records (with history)',
    roles: ['admin', 'planner', 'promoter', 'land_bureau', 'viewer', 'agent'],
  },
  'zone.edit': { zh: '编辑开发区属性与边界', en: 'Edit zones and their boundaries', roles: ['admin', 'planner'] },
  'parcel.editAttributes': {
    zh: '编辑地块属性（编号、用地性质、标准地指标、基础设施）',
    en: 'Edit parcel attributes (code, land use, indicators, infrastructure)',
    roles: ['admin', 'planner'],
  },
  'parcel.editLandRecord': {
    zh: '编辑供地记录（状态、日期、价格、开发进度）',
    en: 'Edit land records (status, dates, price, progress)',
    roles: ['admin', 'planner', 'land_bureau'],
  },
  'parcel.editGeometry': { zh: '绘制、修改、分割、合并地块', en: 'Draw, reshape, split and merge parcels', roles: ['admin', 'planner'] },
  'parcel.import': {
    zh: '导入地块、项目、企业数据文件（Shapefile、GeoJSON、KML、CSV、Excel）并撤销导入；导入园区边界另需“编辑开发区”权限且不限定园区',
    en: 'Import parcel, project and enterprise files (Shapefile, GeoJSON, KML, CSV, Excel) and undo imports; zone boundaries also need zone editing and no zone limit',
    roles: ['admin', 'planner'],
  },
  'project.edit': { zh: '编辑项目（阶段、日期、投资）', en: 'Edit projects (stage, dates, investment)', roles: ['admin', 'planner', 'promoter'] },
  'indicator.edit': {
    zh: '填报与导入开发区月度指标，设定年度增速目标',
    en: 'Enter and import zone monthly figures, set yearly growth targets',
    roles: ['admin', 'planner'],
  },
  'round.edit': {
    zh: '管理“三个一批”轮次（新建、改名、删除空轮次）及其批次中的项目',
    en: 'Manage three-batch rounds (create, rename, delete empty ones) and the projects in their batches',
    roles: ['admin', 'planner'],
  },
  'catalogue.edit': { zh: '编辑招商目录文字与推介清单', en: 'Edit the investor catalogue texts and shortlists', roles: ['admin', 'promoter'] },
  'shortlist.manageAll': { zh: '查看与撤回他人的推介清单', en: "See and withdraw other promoters' shortlists", roles: ['admin'] },
  'lead.read': {
    zh: '查看招商线索、在谈项目与招商活动',
    en: 'See investment leads, negotiations and promotion events',
    roles: ['admin', 'planner', 'promoter'],
  },
  'lead.edit': {
    zh: '登记与跟进招商线索、招商活动，签约转为项目',
    en: 'Record and follow leads and promotion events, turn a signed lead into a project',
    roles: ['admin', 'promoter'],
  },
  'lead.readContacts': { zh: '查看投资方联系人与电话', en: "See investors' contact people and phone numbers", roles: ['admin', 'promoter'] },
  // 观摩 tours are internal meetings: every signed-in role may read them (judges come from any department);
  // the public catalogue never shows them. Scoring is for the tour's judges only (checked per tour by the service).
  'tour.read': {
    zh: '查看观摩活动（行程、路线、评分结果）',
    en: 'See inspection tours (itinerary, route, results)',
    roles: ['admin', 'planner', 'promoter', 'land_bureau', 'viewer', 'agent'],
  },
  'tour.manage': {
    zh: '组织观摩活动：点位与顺序、评分细则、评委、状态',
    en: 'Organise inspection tours: stops and their order, criteria, judges, status',
    roles: ['admin', 'planner'],
  },
  'evaluation.read': {
    zh: '查看开发区考核结果、排名与通报',
    en: 'See the zone evaluation, its rankings and bulletins',
    roles: ['admin', 'planner', 'promoter', 'land_bureau', 'viewer'],
  },
  'evaluation.edit': {
    zh: '修改考核方案，填报与导入考核目标和手工指标',
    en: 'Change the evaluation scheme, enter and import targets and manual values',
    roles: ['admin', 'planner'],
  },
  'service.read': {
    zh: '查看项目前期手续、包联人员、问题清单与统计',
    en: "See projects' procedures, the people who answer for them, the problem list and the figures",
    roles: ['admin', 'planner', 'promoter', 'land_bureau', 'viewer', 'agent'],
  },
  'service.edit': {
    zh: '维护事项目录，编辑任一项目的手续事项与包联人员',
    en: 'Keep the service-item catalogue, edit any project’s items and people',
    roles: ['admin', 'planner'],
  },
  'service.editAssigned': {
    zh: '代办：更新本人负责项目的手续事项（受理、办理、办结）',
    en: 'Agent: update the items of the projects one is assigned to (accepted, in progress, done)',
    roles: ['agent'],
  },
  'problem.raise': {
    zh: '提出项目问题（要素保障），答复指派给本人的问题',
    en: 'Raise problems on projects (factor needs), answer those assigned to oneself',
    roles: ['admin', 'planner', 'promoter', 'land_bureau', 'agent'],
  },
  'problem.manage': {
    zh: '答复、办结、上报（县→市→省）任一问题',
    en: 'Answer, close and escalate (county → city → province) any problem',
    roles: ['admin', 'planner'],
  },
  'transfer.edit': {
    zh: '登记标准地出让、竣工验收与达产复核，跟进整改处罚，设定供地目标',
    en: 'Record standard-land transfers, acceptance checks and their follow-up; set supply targets',
    roles: ['admin', 'land_bureau'],
  },
  'factory.edit': { zh: '登记标准化厂房租赁与竣工年份', en: 'Record standard-factory leases and completion years', roles: ['admin', 'planner', 'promoter'] },
  'stats.edit': {
    zh: '登记企业规上入统与项目入库',
    en: 'Record firms reaching designated size and projects entering the statistics',
    roles: ['admin', 'planner'],
  },
  'audit.read': { zh: '查看与导出全部操作日志', en: 'Read and export the whole audit log', roles: ['admin'] },
  'user.manage': { zh: '管理用户与设置', en: 'Manage users and settings', roles: ['admin'] },
} as const satisfies Record<string, { zh: string; en: string; roles: readonly Role[] }>;
export type Permission = keyof typeof PERMISSIONS;

export interface Actor {
  id: number;
  username: string;
  role: Role;
  /** null: every zone. */
  zone_ids: number[] | null;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLE_KEYS as readonly string[]).includes(value);
}

/** Whether the role grants the permission (anywhere). */
export function roleHas(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission].roles as readonly Role[]).includes(role);
}

/** Whether the user may use the permission in this zone (users limited to some zones edit only those). */
export function can(actor: Actor | null, permission: Permission, zoneId?: number): boolean {
  if (!actor || !roleHas(actor.role, permission)) return false;
  if (zoneId === undefined || actor.zone_ids === null || permission === 'map.read') return true;
  return actor.zone_ids.includes(zoneId);
}

export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => roleHas(role, p));
}

/** The meta tag by which the public investor page knows a signed-in promoter (set by the server, read by the page). */
export const PROMOTER_META = 'park-atlas-promoter';
