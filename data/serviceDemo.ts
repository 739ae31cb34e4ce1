/**
 * Demo 前期手续 data: the default catalogue of service items with their legal limits, the items of the demo's
 * signed, landed and started projects in every state (some over their limit), the people who answer for them
 * (包联 leaders and 项目长 as titles, agents of the zones' service centres), and problems of every kind, some
 * overdue. Deterministic from its own random stream. Names of people are roles, not real persons; the agent
 * named DEMO_AGENT_NAME and the 大同 committee are linked to their demo accounts when those are created.
 */
import { addWorkingDays } from '../domain/workingDays.ts';
import { PROBLEM_KIND_KEYS, type ItemState, type ProblemKind } from '../domain/serviceItems.ts';
import type { ProjectRow, ZoneRow } from './generator.ts';

/** The display name of the demo agent account `daiban` (server/accounts.ts): its items and problems are linked to it. */
export const DEMO_AGENT_NAME = '代办服务中心代办员';
/** The zone whose projects the demo agent handles. */
export const DEMO_AGENT_ZONE = 'SX-DTJK';
/** The display name of the 大同 committee's account: 项目长 of its zone's projects. */
const DATONG_ACCOUNT_NAME = '大同经开区管委会';

export interface ServiceItemRow {
  id: number;
  name: string;
  department: string;
  limit_working_days: number;
  may_commit: boolean;
  required_before_start: boolean;
  sort_order: number;
}
export interface ProjectServiceItemRow {
  id: number;
  project_id: number;
  item_id: number;
  state: ItemState;
  accepted_on: string | null;
  started_on: string | null;
  done_on: string | null;
  agent_name: string | null;
  committed: boolean;
  document_no: string | null;
}
export interface ProjectPersonRow {
  id: number;
  project_id: number;
  role: 'leader' | 'head' | 'agent' | 'team';
  name: string;
  title: string | null;
  phone: string | null;
}
export interface ProjectProblemRow {
  id: number;
  project_id: number;
  kind: ProblemKind;
  title: string;
  detail: string | null;
  department: string;
  assignee_name: string;
  raised_by_name: string;
  raised_on: string;
  due_on: string;
  level: 'zone' | 'county' | 'city' | 'province';
  status: 'open' | 'answered' | 'closed';
  answer: string | null;
  answered_on: string | null;
  closed_on: string | null;
}
export interface ServiceDemo {
  serviceItems: ServiceItemRow[];
  projectServiceItems: ProjectServiceItemRow[];
  projectPeople: ProjectPersonRow[];
  projectProblems: ProjectProblemRow[];
}

/**
 * The default catalogue: the pre-start approvals of an industrial project, with limits in working days as the
 * provinces' lists of approval items commonly set them (a zone changes them on the 事项目录 tab).
 */
export const DEFAULT_CATALOGUE: Omit<ServiceItemRow, 'id' | 'sort_order'>[] = [
  { name: '企业投资项目备案（核准）', department: '发展和改革局', limit_working_days: 5, may_commit: false, required_before_start: true },
  { name: '用地预审与选址意见书', department: '自然资源局', limit_working_days: 20, may_commit: false, required_before_start: true },
  { name: '建设用地规划许可证', department: '自然资源局', limit_working_days: 20, may_commit: false, required_before_start: true },
  { name: '建设工程规划许可证', department: '自然资源局', limit_working_days: 20, may_commit: true, required_before_start: true },
  { name: '环境影响评价审批', department: '生态环境局', limit_working_days: 30, may_commit: true, required_before_start: true },
  { name: '节能审查（能评）', department: '发展和改革局', limit_working_days: 20, may_commit: true, required_before_start: true },
  { name: '水土保持方案审批', department: '水利局', limit_working_days: 20, may_commit: true, required_before_start: true },
  { name: '消防设计审查', department: '住房和城乡建设局', limit_working_days: 15, may_commit: true, required_before_start: true },
  { name: '建筑工程施工许可证', department: '住房和城乡建设局', limit_working_days: 7, may_commit: true, required_before_start: true },
  { name: '取水许可', department: '水利局', limit_working_days: 20, may_commit: true, required_before_start: false },
  { name: '电力报装接入', department: '供电公司', limit_working_days: 15, may_commit: false, required_before_start: false },
];

const LEADERS = ['县委常委、副县长', '区委副书记', '副区长', '县委常委、常务副县长', '市发展改革委副主任'];
const HEADS = ['管委会副主任', '招商服务局局长', '项目建设部部长', '经济发展局副局长'];
const AGENTS = ['政务服务中心代办员（一）', '政务服务中心代办员（二）', '政务服务中心代办员（三）', '园区帮办代办专员'];

const PROBLEM_TEMPLATES: Record<ProblemKind, { titles: string[]; department: string }> = {
  land: { titles: ['用地指标未落实', '征地拆迁未完成', '土地组卷报批滞后'], department: '自然资源局' },
  energy: { titles: ['能耗指标缺口', '用能权交易未落实'], department: '发展和改革局' },
  water: { titles: ['取水指标不足', '供水管网未接通'], department: '水利局' },
  power: { titles: ['110千伏专线未接入', '临时用电容量不足'], department: '供电公司' },
  funding: { titles: ['项目贷款审批未通过', '专项债资金未到位'], department: '财政局' },
  environment: { titles: ['排污总量指标不足', '环境容量需区域削减'], department: '生态环境局' },
  procedure: { titles: ['施工许可材料需补正', '规划方案审查意见未回复', '消防审查需专家论证'], department: '行政审批服务管理局' },
  other: { titles: ['周边道路未贯通', '施工用水用电协调'], department: '园区管委会' },
};

interface Rnd {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

function shiftDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
const minDate = (a: string, b: string) => (a < b ? a : b);
const maxDate = (a: string, b: string) => (a > b ? a : b);

export function generateServiceDemo(rnd: Rnd, zones: ZoneRow[], projects: ProjectRow[], asOf: string): ServiceDemo {
  const serviceItems: ServiceItemRow[] = DEFAULT_CATALOGUE.map((c, i) => ({ ...c, id: i + 1, sort_order: (i + 1) * 10 }));
  const projectServiceItems: ProjectServiceItemRow[] = [];
  const projectPeople: ProjectPersonRow[] = [];
  const projectProblems: ProjectProblemRow[] = [];
  const zoneCode = new Map(zones.map((z) => [z.id, z.code]));

  // Per zone: up to 3 signed, 2 landed and 2 started projects (the agent's zone gets more).
  const chosen: ProjectRow[] = [];
  for (const z of zones) {
    const own = projects.filter((p) => p.zone_id === z.id);
    const many = z.code === DEMO_AGENT_ZONE ? 2 : 1;
    for (const [stage, n] of [
      ['signed', 3 * many],
      ['landed', 2 * many],
      ['started', 2],
    ] as const)
      chosen.push(...own.filter((p) => p.stage === stage).slice(0, n));
  }

  let agentProjects = 0;
  for (const p of chosen) {
    const inAgentZone = zoneCode.get(p.zone_id) === DEMO_AGENT_ZONE;
    // The demo agent handles all but one of its zone's projects (that one shows an agent's limit).
    const agent = inAgentZone && agentProjects++ < 6 ? DEMO_AGENT_NAME : rnd.pick(AGENTS);
    const base = maxDate(p.signed_date ?? shiftDays(asOf, -240), shiftDays(asOf, -420));
    const progress = p.stage === 'started' ? 1 : p.stage === 'landed' ? 0.55 + rnd.next() * 0.4 : 0.15 + rnd.next() * 0.4;
    const required = serviceItems.filter((s) => s.required_before_start).length;
    const doneCount = Math.round(progress * required);
    let open = 0;
    serviceItems.forEach((s, k) => {
      const row: ProjectServiceItemRow = {
        id: projectServiceItems.length + 1,
        project_id: p.id,
        item_id: s.id,
        state: 'not_started',
        accepted_on: null,
        started_on: null,
        done_on: null,
        agent_name: null,
        committed: s.may_commit && rnd.next() < 0.7,
        document_no: null,
      };
      // 取水许可 does not apply to a third of the projects (they take water from the zone's network).
      if (s.name === '取水许可' && rnd.next() < 0.35) {
        projectServiceItems.push({ ...row, state: 'not_applicable', committed: false });
        return;
      }
      const rank = s.required_before_start ? serviceItems.filter((x) => x.required_before_start).indexOf(s) : required + k;
      if (rank < doneCount) {
        const accepted = minDate(shiftDays(base, 8 * k + rnd.int(0, 6)), shiftDays(asOf, -75));
        const done = addWorkingDays(accepted, Math.max(1, Math.round(s.limit_working_days * (0.3 + rnd.next() * 0.8))));
        if (done <= asOf) {
          projectServiceItems.push({
            ...row,
            state: 'done',
            accepted_on: accepted,
            started_on: shiftDays(accepted, 1) <= done ? shiftDays(accepted, 1) : null,
            done_on: done,
            agent_name: rnd.next() < 0.85 ? agent : null,
            document_no: `${s.department.slice(0, 2)}审〔${done.slice(0, 4)}〕${rnd.int(10, 299)}号`,
          });
          return;
        }
      }
      if (open < 2 && rank >= doneCount - 1 && p.stage !== 'started') {
        open++;
        // Accepted 3–45 days before the demo date: some are over their limit by the time anyone looks.
        const accepted = shiftDays(asOf, -rnd.int(3, 45));
        const inProgress = rnd.next() < 0.65;
        projectServiceItems.push({
          ...row,
          state: inProgress ? 'in_progress' : 'accepted',
          accepted_on: accepted,
          started_on: inProgress ? minDate(shiftDays(accepted, rnd.int(1, 5)), asOf) : null,
          agent_name: agent,
        });
        return;
      }
      projectServiceItems.push({ ...row, agent_name: rnd.next() < 0.5 ? agent : null });
    });

    const phone = () => `0352-${rnd.int(2000000, 8999999)}`;
    projectPeople.push(
      { id: projectPeople.length + 1, project_id: p.id, role: 'leader', name: '县级包联领导', title: rnd.pick(LEADERS), phone: null },
      {
        id: projectPeople.length + 2,
        project_id: p.id,
        role: 'head',
        name: inAgentZone ? DATONG_ACCOUNT_NAME : '项目长',
        title: rnd.pick(HEADS),
        phone: phone(),
      },
      { id: projectPeople.length + 3, project_id: p.id, role: 'agent', name: agent, title: '政务服务中心', phone: phone() },
    );
    if (rnd.next() < 0.4)
      projectPeople.push({ id: projectPeople.length + 1, project_id: p.id, role: 'team', name: '项目推进专班', title: '工作专班', phone: phone() });

    // Problems: about half the projects have one or two.
    const problemCount = rnd.next() < 0.5 ? rnd.int(1, 2) : 0;
    for (let i = 0; i < problemCount; i++) projectProblems.push(problem(rnd, projectProblems.length + 1, p.id, asOf, agent));
  }

  // Every kind at least once, and the demo agent has an overdue procedure problem of its own.
  for (const kind of PROBLEM_KIND_KEYS) {
    if (projectProblems.some((pr) => pr.kind === kind)) continue;
    const p = chosen[rnd.int(0, chosen.length - 1)];
    projectProblems.push({ ...problem(rnd, projectProblems.length + 1, p.id, asOf, rnd.pick(AGENTS)), kind, ...titleOf(rnd, kind) });
  }
  const agentProject = chosen.find((p) => zoneCode.get(p.zone_id) === DEMO_AGENT_ZONE);
  if (agentProject)
    projectProblems.push({
      id: projectProblems.length + 1,
      project_id: agentProject.id,
      kind: 'procedure',
      title: '施工许可材料需补正',
      detail: '施工图审查合格书与消防设计审查意见未同步，需企业补正后重新受理。',
      department: '行政审批服务管理局',
      assignee_name: DEMO_AGENT_NAME,
      raised_by_name: '项目长',
      raised_on: shiftDays(asOf, -20),
      due_on: shiftDays(asOf, -5),
      level: 'county',
      status: 'open',
      answer: null,
      answered_on: null,
      closed_on: null,
    });
  return { serviceItems, projectServiceItems, projectPeople, projectProblems };
}

function titleOf(rnd: Rnd, kind: ProblemKind): { title: string; department: string } {
  const t = PROBLEM_TEMPLATES[kind];
  return { title: rnd.pick(t.titles), department: t.department };
}

function problem(rnd: Rnd, id: number, projectId: number, asOf: string, agent: string): ProjectProblemRow {
  const kind = rnd.pick(PROBLEM_KIND_KEYS);
  const { title, department } = titleOf(rnd, kind);
  const raised = shiftDays(asOf, -rnd.int(5, 150));
  const due = shiftDays(raised, rnd.int(10, 60));
  const roll = rnd.next();
  const status: ProjectProblemRow['status'] = roll < 0.4 ? 'closed' : roll < 0.6 ? 'answered' : 'open';
  const answeredOn = status === 'open' ? null : minDate(shiftDays(raised, rnd.int(2, 20)), asOf);
  const closedOn = status === 'closed' ? minDate(shiftDays(answeredOn!, rnd.int(0, 15)), asOf) : null;
  const levelRoll = rnd.next();
  return {
    id,
    project_id: projectId,
    kind,
    title,
    detail: null,
    department,
    assignee_name: kind === 'procedure' ? agent : `${department}经办人`,
    raised_by_name: '项目长',
    raised_on: raised,
    due_on: due,
    level: levelRoll < 0.6 ? 'county' : levelRoll < 0.85 ? 'city' : levelRoll < 0.95 ? 'province' : 'zone',
    status,
    answer: answeredOn ? `${department}已研究，${status === 'closed' ? '问题已解决' : '正在协调，预计近期解决'}。` : null,
    answered_on: answeredOn,
    closed_on: closedOn,
  };
}
