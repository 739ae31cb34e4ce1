/**
 * 前期手续 under 承诺制 and 全代办: a project's service items (事项) from 未启动 to 已办结, each judged against
 * its legal time limit in working days; the readiness rule 具备开工条件; the problems (问题清单 / 要素保障) raised on
 * projects; and the figures the zones report. Pure functions: the server gives them rows, the tests compute
 * them by hand.
 *
 * Definitions (shown on the page):
 * - An item's clock starts on its acceptance date (受理), or its start date when it has none; the days used are
 *   working days after that date up to its finish date (已办结) or today. Light: red when more days were used than
 *   the limit, yellow at 80 % of the limit or more, green below; no light for items not started or 不适用.
 * - 具备开工条件 (ready to start): the project has at least one item required before start, and each of them is
 *   已办结 or 不适用.
 * - A problem is overdue when it is not closed and its due date has passed.
 */
import { addWorkingDays, workingDaysBetween } from './workingDays.ts';

export const ITEM_STATES = [
  { key: 'not_started', zh: '未启动', en: 'Not started' },
  { key: 'accepted', zh: '已受理', en: 'Accepted' },
  { key: 'in_progress', zh: '办理中', en: 'In progress' },
  { key: 'done', zh: '已办结', en: 'Done' },
  { key: 'not_applicable', zh: '不适用', en: 'Not applicable' },
] as const;
export type ItemState = (typeof ITEM_STATES)[number]['key'];
export const ITEM_STATE_KEYS: readonly ItemState[] = ITEM_STATES.map((s) => s.key);

export const PROBLEM_KINDS = [
  { key: 'land', zh: '用地', en: 'Land' },
  { key: 'energy', zh: '用能', en: 'Energy' },
  { key: 'water', zh: '用水', en: 'Water' },
  { key: 'power', zh: '用电', en: 'Power' },
  { key: 'funding', zh: '资金', en: 'Funding' },
  { key: 'environment', zh: '环境容量', en: 'Environmental capacity' },
  { key: 'procedure', zh: '手续', en: 'Procedures' },
  { key: 'other', zh: '其他', en: 'Other' },
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number]['key'];
export const PROBLEM_KIND_KEYS: readonly ProblemKind[] = PROBLEM_KINDS.map((k) => k.key);

export const PROBLEM_STATUSES = [
  { key: 'open', zh: '待解决', en: 'Open' },
  { key: 'answered', zh: '已答复', en: 'Answered' },
  { key: 'closed', zh: '已办结', en: 'Closed' },
] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number]['key'];
export const PROBLEM_STATUS_KEYS: readonly ProblemStatus[] = PROBLEM_STATUSES.map((s) => s.key);

/** Where a problem is being solved; escalation goes one step up. */
export const PROBLEM_LEVELS = [
  { key: 'zone', zh: '园区', en: 'Zone' },
  { key: 'county', zh: '县级', en: 'County' },
  { key: 'city', zh: '市级', en: 'City' },
  { key: 'province', zh: '省级', en: 'Province' },
] as const;
export type ProblemLevel = (typeof PROBLEM_LEVELS)[number]['key'];
export const PROBLEM_LEVEL_KEYS: readonly ProblemLevel[] = PROBLEM_LEVELS.map((l) => l.key);

export const PERSON_ROLES = [
  { key: 'leader', zh: '包联领导', en: 'Liaison leader' },
  { key: 'head', zh: '项目长', en: 'Project head' },
  { key: 'agent', zh: '代办员', en: 'Agent' },
  { key: 'team', zh: '专班成员', en: 'Task force member' },
] as const;
export type PersonRole = (typeof PERSON_ROLES)[number]['key'];
export const PERSON_ROLE_KEYS: readonly PersonRole[] = PERSON_ROLES.map((r) => r.key);

/** The level above, or null at the top. */
export function nextLevel(level: ProblemLevel): ProblemLevel | null {
  const i = PROBLEM_LEVEL_KEYS.indexOf(level);
  return i >= 0 && i < PROBLEM_LEVEL_KEYS.length - 1 ? PROBLEM_LEVEL_KEYS[i + 1] : null;
}

/** Share of the limit at which a light turns yellow. */
export const YELLOW_SHARE = 0.8;
/** Items and problems due within this many working days are "due soon" in the to-do list. */
export const DUE_SOON_WORKING_DAYS = 5;

export interface ItemFacts {
  id: number;
  project_id: number;
  state: ItemState;
  limit_working_days: number;
  required_before_start: boolean;
  committed: boolean;
  /** The agent's account; or none and a name from the contact list (agent_name). */
  agent_user_id: number | null;
  agent_name?: string | null;
  accepted_on: string | null;
  started_on: string | null;
  done_on: string | null;
}

/** Handled by an agent: an account or a named agent. */
export function hasAgent(item: Pick<ItemFacts, 'agent_user_id' | 'agent_name'>): boolean {
  return item.agent_user_id !== null || !!item.agent_name;
}

export type Light = 'green' | 'yellow' | 'red' | 'none';

/** The date the item's clock starts: acceptance, or the start when there is no acceptance date. */
export function clockStart(item: Pick<ItemFacts, 'accepted_on' | 'started_on'>): string | null {
  return item.accepted_on ?? item.started_on ?? null;
}

/** The due date: the limit's last working day counted from the clock's start. */
export function itemDueOn(item: Pick<ItemFacts, 'accepted_on' | 'started_on' | 'limit_working_days'>): string | null {
  const start = clockStart(item);
  return start ? addWorkingDays(start, item.limit_working_days) : null;
}

/** Working days used: to the finish date for done items, to today for the others. */
export function workingDaysUsed(item: Pick<ItemFacts, 'state' | 'accepted_on' | 'started_on' | 'done_on'>, today: string): number | null {
  const start = clockStart(item);
  if (!start || item.state === 'not_applicable' || item.state === 'not_started') return null;
  return workingDaysBetween(start, item.state === 'done' && item.done_on ? item.done_on : today);
}

export function itemLight(item: Pick<ItemFacts, 'state' | 'accepted_on' | 'started_on' | 'done_on' | 'limit_working_days'>, today: string): Light {
  const used = workingDaysUsed(item, today);
  if (used === null) return 'none';
  if (used > item.limit_working_days) return 'red';
  if (used >= YELLOW_SHARE * item.limit_working_days) return 'yellow';
  return 'green';
}

/** An open item past its due date on `today`. */
export function isItemOverdue(item: ItemFacts, today: string): boolean {
  return (item.state === 'accepted' || item.state === 'in_progress') && itemLight(item, today) === 'red';
}

/** An open item whose due date is today or within the next DUE_SOON_WORKING_DAYS working days (not yet overdue). */
export function isItemDueSoon(item: ItemFacts, today: string): boolean {
  if (item.state !== 'accepted' && item.state !== 'in_progress') return false;
  const due = itemDueOn(item);
  if (!due || due < today) return false;
  return workingDaysBetween(today, due) <= DUE_SOON_WORKING_DAYS;
}

export interface DateProblem {
  field: string;
  en: string;
  zh: string;
}

/** The dates a state needs, in order, none after today. */
export function checkItemDates(
  item: { state: ItemState; accepted_on: string | null; started_on: string | null; done_on: string | null },
  today: string,
): DateProblem[] {
  const problems: DateProblem[] = [];
  const { state, accepted_on, started_on, done_on } = item;
  if (state === 'not_started' && (accepted_on || started_on || done_on))
    problems.push({ field: 'state', en: 'An item not started has no dates.', zh: '未启动的事项不能有受理、办理或办结日期。' });
  if ((state === 'accepted' || state === 'in_progress' || state === 'done') && !accepted_on)
    problems.push({ field: 'accepted_on', en: 'An accepted item needs its acceptance date.', zh: '已受理的事项需要受理日期。' });
  if ((state === 'accepted' || state === 'in_progress') && done_on)
    problems.push({ field: 'done_on', en: 'Only a done item has a finish date.', zh: '只有已办结的事项才有办结日期。' });
  if (state === 'accepted' && started_on)
    problems.push({ field: 'started_on', en: 'An item only accepted has no start date.', zh: '仅受理的事项不能有办理日期。' });
  if (state === 'done' && !done_on) problems.push({ field: 'done_on', en: 'A done item needs its finish date.', zh: '已办结的事项需要办结日期。' });
  if (accepted_on && started_on && started_on < accepted_on)
    problems.push({ field: 'started_on', en: 'The start date is before the acceptance date.', zh: '办理日期早于受理日期。' });
  if (accepted_on && done_on && done_on < accepted_on)
    problems.push({ field: 'done_on', en: 'The finish date is before the acceptance date.', zh: '办结日期早于受理日期。' });
  if (started_on && done_on && done_on < started_on)
    problems.push({ field: 'done_on', en: 'The finish date is before the start date.', zh: '办结日期早于办理日期。' });
  for (const [field, value] of [
    ['accepted_on', accepted_on],
    ['started_on', started_on],
    ['done_on', done_on],
  ] as const)
    if (value && value > today) problems.push({ field, en: 'The date is after today.', zh: '日期不能晚于今天。' });
  return problems;
}

/** Done by a date: state done with a finish date on or before it. */
function doneBy(item: Pick<ItemFacts, 'state' | 'done_on'>, asOf: string): boolean {
  return item.state === 'done' && !!item.done_on && item.done_on <= asOf;
}

/** 具备开工条件 on `asOf`: at least one required item, and each required item done by then or 不适用. */
export function isReadyToStart(items: Pick<ItemFacts, 'state' | 'done_on' | 'required_before_start'>[], asOf: string): boolean {
  const required = items.filter((i) => i.required_before_start);
  return required.length > 0 && required.every((i) => i.state === 'not_applicable' || doneBy(i, asOf));
}

export interface ProblemFacts {
  id: number;
  project_id: number;
  kind: ProblemKind;
  status: ProblemStatus;
  raised_on: string;
  due_on: string | null;
  closed_on: string | null;
}

export function isProblemOverdue(p: Pick<ProblemFacts, 'status' | 'due_on'>, today: string): boolean {
  return p.status !== 'closed' && !!p.due_on && p.due_on < today;
}

export interface ServiceFigures {
  from: string;
  to: string;
  asOf: string;
  projects: number;
  committed: { projects: number; items: number };
  agent: { projects: number; items: number; itemsDone: number; doneShare: number | null };
  items: { applicable: number; done: number; doneShare: number | null; doneInPeriod: number };
  ready: { projects: number; share: number | null; ids: number[] };
  /** Mean working days of the items finished in the period, and the mean of their limits. */
  averageWorkingDays: number | null;
  averageLimitWorkingDays: number | null;
  overdue: { items: number; itemIds: number[]; problems: number; problemIds: number[] };
  problems: { raisedInPeriod: number; open: number; closedInPeriod: number };
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const mean = (values: number[]) => (values.length ? values.reduce((s, v) => s + v, 0) / values.length : null);

/**
 * The figures of a scope over [from, to], judged as of `asOf` = the earlier of `to` and today:
 * - projects: those with at least one item; 承诺制 projects have at least one committed item, counted with
 *   their committed items; agent projects have at least one item with an agent.
 * - items: the applicable ones (not 不适用); done: finished by asOf; share of the applicable; done in the period.
 * - ready: 具备开工条件 as of asOf, as a share of the projects with a required item.
 * - overdue items: open on asOf (not finished by then) and over their limit; overdue problems: not closed by asOf
 *   with their due date before it.
 */
export function serviceFigures(items: ItemFacts[], problems: ProblemFacts[], from: string, to: string, today: string): ServiceFigures {
  const asOf = to < today ? to : today;
  const byProject = new Map<number, ItemFacts[]>();
  for (const i of items) byProject.set(i.project_id, [...(byProject.get(i.project_id) ?? []), i]);
  const projectIds = [...byProject.keys()];
  const applicable = items.filter((i) => i.state !== 'not_applicable');
  const committed = applicable.filter((i) => i.committed);
  const agentItems = applicable.filter(hasAgent);
  const done = applicable.filter((i) => doneBy(i, asOf));
  const doneInPeriod = done.filter((i) => i.done_on! >= from);
  const withRequired = projectIds.filter((id) => byProject.get(id)!.some((i) => i.required_before_start));
  const ready = withRequired.filter((id) => isReadyToStart(byProject.get(id)!, asOf)).sort((a, b) => a - b);
  // On asOf an item finished later was still open: judge it as open then.
  const openOn = (i: ItemFacts): ItemFacts | null => {
    if (i.state === 'not_applicable' || i.state === 'not_started') return null;
    const start = clockStart(i);
    if (!start || start > asOf) return null;
    if (doneBy(i, asOf)) return null;
    return { ...i, state: 'in_progress', done_on: null };
  };
  const overdueItems = items
    .map(openOn)
    .filter((i): i is ItemFacts => i !== null && isItemOverdue(i, asOf))
    .map((i) => i.id)
    .sort((a, b) => a - b);
  const overdueProblems = problems
    .filter((p) => p.raised_on <= asOf && !(p.closed_on && p.closed_on <= asOf) && !!p.due_on && p.due_on < asOf)
    .map((p) => p.id)
    .sort((a, b) => a - b);
  return {
    from,
    to,
    asOf,
    projects: projectIds.length,
    committed: { projects: new Set(committed.map((i) => i.project_id)).size, items: committed.length },
    agent: {
      projects: new Set(agentItems.map((i) => i.project_id)).size,
      items: agentItems.length,
      itemsDone: agentItems.filter((i) => doneBy(i, asOf)).length,
      doneShare: share(agentItems.filter((i) => doneBy(i, asOf)).length, agentItems.length),
    },
    items: { applicable: applicable.length, done: done.length, doneShare: share(done.length, applicable.length), doneInPeriod: doneInPeriod.length },
    ready: { projects: ready.length, share: share(ready.length, withRequired.length), ids: ready },
    averageWorkingDays: mean(doneInPeriod.map((i) => workingDaysBetween(clockStart(i) ?? i.done_on!, i.done_on!))),
    averageLimitWorkingDays: mean(doneInPeriod.map((i) => i.limit_working_days)),
    overdue: { items: overdueItems.length, itemIds: overdueItems, problems: overdueProblems.length, problemIds: overdueProblems },
    problems: {
      raisedInPeriod: problems.filter((p) => p.raised_on >= from && p.raised_on <= to).length,
      open: problems.filter((p) => p.raised_on <= asOf && !(p.closed_on && p.closed_on <= asOf)).length,
      closedInPeriod: problems.filter((p) => p.closed_on && p.closed_on >= from && p.closed_on <= to).length,
    },
  };
}

/** The reminder text for one person: their overdue items and problems, one line each. */
export function reminderText(
  person: string,
  items: { project: string; item: string; due_on: string }[],
  problems: { project: string; title: string; due_on: string }[],
): string {
  const lines = [`【园区一张图 逾期提醒】${person}：逾期事项 ${items.length} 项，逾期问题 ${problems.length} 个。`];
  for (const i of items) lines.push(`· 事项 ${i.project}｜${i.item}｜应办结 ${i.due_on}`);
  for (const p of problems) lines.push(`· 问题 ${p.project}｜${p.title}｜应解决 ${p.due_on}`);
  return lines.join('\n');
}
