/**
 * 问题清单 / 要素保障: problems raised on projects (用地, 用能, 用水, 用电, 资金, 环境容量, 手续, 其他), assigned to a
 * department and a person with a due date, answered and closed, or escalated 园区 → 县 → 市 → 省. Each step is
 * one transaction with its audit entry and a line in the problem's history; zone limits apply to writes.
 */
import { addWorkingDays } from '../../domain/workingDays.ts';
import { DUE_SOON_WORKING_DAYS, PROBLEM_KIND_KEYS, isProblemOverdue, nextLevel, type ProblemLevel } from '../../domain/serviceItems.ts';
import { can, type Actor } from '../../domain/permissions.ts';
import { conflictError, recordAudit, snapshot } from '../audit.ts';
import { forbidden } from '../auth/middleware.ts';
import type { Db, Queryable } from '../db/types.ts';
import { HttpError, badRequest, notFound } from '../lib/http.ts';

const D = (expr: string, as: string) => `to_char(${expr}, 'YYYY-MM-DD') AS ${as}`;

export const PROBLEM_SELECT = `SELECT pr.id, pr.project_id, p.name AS project_name, p.zone_id, z.name AS zone_name, z.city, pr.kind, pr.title, pr.detail, pr.department,
  pr.assignee_user_id, coalesce(u.display_name, pr.assignee_name) AS assignee_name, pr.raised_by_name, ${D('pr.raised_on', 'raised_on')}, ${D('pr.due_on', 'due_on')},
  pr.level, pr.status, pr.answer, ${D('pr.answered_on', 'answered_on')}, ${D('pr.closed_on', 'closed_on')}, pr.version
FROM project_problems pr JOIN projects p ON p.id = pr.project_id JOIN zones z ON z.id = p.zone_id LEFT JOIN users u ON u.id = pr.assignee_user_id`;

export interface ProblemRow {
  id: number;
  project_id: number;
  project_name: string;
  zone_id: number;
  zone_name: string;
  city: string;
  kind: (typeof PROBLEM_KIND_KEYS)[number];
  title: string;
  assignee_user_id: number | null;
  assignee_name: string | null;
  due_on: string | null;
  level: ProblemLevel;
  status: 'open' | 'answered' | 'closed';
  version: number;
  [key: string]: unknown;
}

export function problemRow(row: ProblemRow, today: string) {
  return { ...row, overdue: isProblemOverdue(row, today) };
}

export interface ProblemFilter {
  zoneIds?: number[];
  city?: string;
  kind?: string[];
  status?: string[];
  level?: string[];
  overdue?: boolean;
  person?: number;
  project?: number;
}

function filterSql(f: ProblemFilter, today: string): { sql: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    values.push(value);
    parts.push(sql.replaceAll('$?', `$${values.length}`));
  };
  if (f.zoneIds?.length) add('p.zone_id = ANY($?::int[])', f.zoneIds);
  if (f.city) add('z.city = $?', f.city);
  if (f.kind?.length) add('pr.kind = ANY($?::text[])', f.kind);
  if (f.status?.length) add('pr.status = ANY($?::text[])', f.status);
  if (f.level?.length) add('pr.level = ANY($?::text[])', f.level);
  if (f.overdue) add("pr.status <> 'closed' AND pr.due_on < $?::date", today);
  if (f.person)
    add(
      '(pr.assignee_user_id = $? OR pr.project_id IN (SELECT project_id FROM project_people WHERE user_id = $?) OR pr.project_id IN (SELECT project_id FROM project_service_items WHERE agent_user_id = $?))',
      f.person,
    );
  if (f.project) add('pr.project_id = $?', f.project);
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', values };
}

export async function listProblems(db: Queryable, filter: ProblemFilter, limit: number, offset: number, today: string) {
  const where = filterSql(filter, today);
  const values = [...where.values, today];
  const rows = await db.query<ProblemRow & { total: number }>(
    `SELECT *, count(*) OVER () AS total FROM (${PROBLEM_SELECT} ${where.sql}) s
     ORDER BY CASE WHEN s.status <> 'closed' AND s.due_on < $${values.length}::text THEN 0 WHEN s.status <> 'closed' THEN 1 ELSE 2 END, s.due_on NULLS LAST, s.id
     LIMIT ${limit} OFFSET ${offset}`,
    values,
  );
  const all = await db.query<{ zone_id: number; zone_name: string; kind: string; status: ProblemRow['status']; due_on: string | null }>(
    `SELECT s.zone_id, s.zone_name, s.kind, s.status, s.due_on FROM (${PROBLEM_SELECT} ${where.sql}) s`,
    where.values,
  );
  const zones = new Map<number, { zone_id: number; zone_name: string; total: number; open: number; overdue: number; by_kind: Record<string, number> }>();
  const byKind: Record<string, number> = Object.fromEntries(PROBLEM_KIND_KEYS.map((k) => [k, 0]));
  for (const r of all) {
    const z = zones.get(r.zone_id) ?? { zone_id: r.zone_id, zone_name: r.zone_name, total: 0, open: 0, overdue: 0, by_kind: {} };
    z.total++;
    if (r.status !== 'closed') z.open++;
    if (isProblemOverdue(r, today)) z.overdue++;
    z.by_kind[r.kind] = (z.by_kind[r.kind] ?? 0) + 1;
    zones.set(r.zone_id, z);
    byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
  }
  return {
    total: rows[0]?.total ?? 0,
    problems: rows.map(({ total: _t, ...r }) => problemRow(r as ProblemRow, today)),
    counts: { zones: [...zones.values()].sort((a, b) => b.total - a.total || a.zone_name.localeCompare(b.zone_name)), by_kind: byKind },
  };
}

export async function problemDetail(db: Queryable, id: number, today: string) {
  const [row] = await db.query<ProblemRow>(`${PROBLEM_SELECT} WHERE pr.id = $1`, [id]);
  if (!row) throw notFound(`没有编号为 ${id} 的问题。 No problem ${id}.`);
  const events = await db.query(
    `SELECT id, action, from_level, to_level, note, by_name, ${D('happened_on', 'happened_on')} FROM project_problem_events WHERE problem_id = $1 ORDER BY id`,
    [id],
  );
  return { ...problemRow(row, today), events };
}

async function event(
  tx: Queryable,
  actor: Actor,
  problemId: number,
  action: string,
  happenedOn: string,
  extra: { from?: string; to?: string; note?: string | null } = {},
) {
  await tx.query(
    'INSERT INTO project_problem_events (problem_id, action, from_level, to_level, note, by_user_id, by_name, happened_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date)',
    [problemId, action, extra.from ?? null, extra.to ?? null, extra.note ?? null, actor.id > 0 ? actor.id : null, await nameOf(tx, actor), happenedOn],
  );
}

async function nameOf(tx: Queryable, actor: Actor): Promise<string> {
  const [u] = await tx.query<{ display_name: string }>('SELECT display_name FROM users WHERE id = $1', [actor.id]);
  return u?.display_name ?? actor.username;
}

function dateProblem(field: string, en: string, zh: string): HttpError {
  return badRequest(en, { fields: [{ field, message: en, message_zh: zh }], message_zh: zh });
}

export interface RaiseInput {
  project_id: number;
  kind: string;
  title: string;
  detail?: string | null;
  department?: string | null;
  assignee_user_id?: number | null;
  assignee_name?: string | null;
  due_on?: string | null;
  level?: string;
  raised_on?: string;
}

export async function raiseProblem(db: Db, actor: Actor, input: RaiseInput, today: string) {
  const raisedOn = input.raised_on ?? today;
  if (raisedOn > today) throw dateProblem('raised_on', 'The date raised cannot be after today.', '提出日期不能晚于今天。');
  if (input.due_on && input.due_on < raisedOn) throw dateProblem('due_on', 'The due date is before the date raised.', '应解决日期早于提出日期。');
  const id = await db.transaction(async (tx) => {
    const [project] = await tx.query<{ zone_id: number }>('SELECT zone_id FROM projects WHERE id = $1', [input.project_id]);
    if (!project) throw notFound(`没有编号为 ${input.project_id} 的项目。 No project ${input.project_id}.`);
    if (!can(actor, 'problem.raise', project.zone_id))
      throw forbidden('只能为本人负责的开发区的项目提出问题。 You may raise problems only on projects in the zones you are assigned to.');
    if (input.assignee_user_id) {
      const [u] = await tx.query('SELECT id FROM users WHERE id = $1 AND active', [input.assignee_user_id]);
      if (!u) throw dateProblem('assignee_user_id', `No active account ${input.assignee_user_id}.`, `没有编号为 ${input.assignee_user_id} 的有效账号。`);
    }
    const [{ id }] = await tx.query<{ id: number }>(
      `INSERT INTO project_problems (project_id, kind, title, detail, department, assignee_user_id, assignee_name, raised_by, raised_by_name, raised_on, due_on, level)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::date, $11::date, $12) RETURNING id`,
      [
        input.project_id,
        input.kind,
        input.title.trim(),
        input.detail?.trim() || null,
        input.department?.trim() || null,
        input.assignee_user_id ?? null,
        input.assignee_name?.trim() || null,
        actor.id > 0 ? actor.id : null,
        await nameOf(tx, actor),
        raisedOn,
        input.due_on ?? null,
        input.level ?? 'county',
      ],
    );
    await event(tx, actor, id, 'raise', raisedOn, { to: input.level ?? 'county' });
    await recordAudit(tx, actor, { action: 'create', entity: 'project_problem', entityId: id, before: null, after: await snapshot(tx, 'project_problem', id) });
    return id;
  });
  return problemDetail(db, id, today);
}

type Step = 'answer' | 'close' | 'escalate';

/** Locks the problem, checks the zone, the role (manage, or the assignee answering) and the version. */
async function lockProblem(tx: Queryable, actor: Actor, id: number, version: number, step: Step) {
  const [row] = await tx.query<{ zone_id: number; version: number; status: string; level: ProblemLevel; assignee_user_id: number | null; raised_on: string }>(
    `SELECT p.zone_id, pr.version, pr.status, pr.level, pr.assignee_user_id, ${D('pr.raised_on', 'raised_on')}
     FROM project_problems pr JOIN projects p ON p.id = pr.project_id WHERE pr.id = $1 FOR UPDATE OF pr`,
    [id],
  );
  if (!row) throw notFound(`没有编号为 ${id} 的问题。 No problem ${id}.`);
  const manages = can(actor, 'problem.manage', row.zone_id);
  const ownAnswer = step === 'answer' && row.assignee_user_id === actor.id && can(actor, 'problem.raise', row.zone_id);
  if (!manages && !ownAnswer)
    throw forbidden(
      step === 'answer'
        ? '只能答复指派给本人的问题，或由规划、管理员答复。 You may answer only problems assigned to you (planners and administrators answer any in their zones).'
        : '办结和上报问题需要“问题管理”权限，且限本人负责的开发区。 Closing and escalating need problem management in your zones.',
    );
  if (row.version !== version) throw await conflictError(tx, 'project_problem', id, version, (await snapshot(tx, 'project_problem', id))!);
  if (row.status === 'closed') throw new HttpError(409, 'closed', '问题已办结。 The problem is closed.');
  return row;
}

export async function answerProblem(db: Db, actor: Actor, id: number, input: { version: number; answer: string; answered_on?: string }, today: string) {
  const on = input.answered_on ?? today;
  if (on > today) throw dateProblem('answered_on', 'The date cannot be after today.', '日期不能晚于今天。');
  await db.transaction(async (tx) => {
    const row = await lockProblem(tx, actor, id, input.version, 'answer');
    if (on < row.raised_on) throw dateProblem('answered_on', 'The answer is dated before the problem was raised.', '答复日期早于提出日期。');
    const before = await snapshot(tx, 'project_problem', id);
    await tx.query(
      "UPDATE project_problems SET status = 'answered', answer = $2, answered_on = $3::date, version = version + 1, updated_at = now() WHERE id = $1",
      [id, input.answer.trim(), on],
    );
    await event(tx, actor, id, 'answer', on, { note: input.answer.trim() });
    await recordAudit(tx, actor, { action: 'answer', entity: 'project_problem', entityId: id, before, after: await snapshot(tx, 'project_problem', id) });
  });
  return problemDetail(db, id, today);
}

export async function closeProblem(db: Db, actor: Actor, id: number, input: { version: number; note?: string | null; closed_on?: string }, today: string) {
  const on = input.closed_on ?? today;
  if (on > today) throw dateProblem('closed_on', 'The date cannot be after today.', '日期不能晚于今天。');
  await db.transaction(async (tx) => {
    const row = await lockProblem(tx, actor, id, input.version, 'close');
    if (on < row.raised_on) throw dateProblem('closed_on', 'The problem is closed before it was raised.', '办结日期早于提出日期。');
    const before = await snapshot(tx, 'project_problem', id);
    await tx.query("UPDATE project_problems SET status = 'closed', closed_on = $2::date, version = version + 1, updated_at = now() WHERE id = $1", [id, on]);
    await event(tx, actor, id, 'close', on, { note: input.note ?? null });
    await recordAudit(tx, actor, { action: 'close', entity: 'project_problem', entityId: id, before, after: await snapshot(tx, 'project_problem', id) });
  });
  return problemDetail(db, id, today);
}

export async function escalateProblem(db: Db, actor: Actor, id: number, input: { version: number; note: string; due_on?: string | null }, today: string) {
  await db.transaction(async (tx) => {
    const row = await lockProblem(tx, actor, id, input.version, 'escalate');
    const up = nextLevel(row.level);
    if (!up)
      throw badRequest('The problem is already at the province: it cannot go higher.', {
        message_zh: '问题已上报至省级，不能再上报。',
        fields: [{ field: 'level', message: 'already at the top', message_zh: '已是最高层级' }],
      });
    if (input.due_on && input.due_on < today) throw dateProblem('due_on', 'The new due date has passed.', '新的应解决日期已过。');
    const before = await snapshot(tx, 'project_problem', id);
    await tx.query(
      `UPDATE project_problems SET level = $2, status = 'open', due_on = coalesce($3::date, due_on), version = version + 1, updated_at = now() WHERE id = $1`,
      [id, up, input.due_on ?? null],
    );
    await event(tx, actor, id, 'escalate', today, { from: row.level, to: up, note: input.note.trim() });
    await recordAudit(tx, actor, {
      action: 'escalate',
      entity: 'project_problem',
      entityId: id,
      before,
      after: await snapshot(tx, 'project_problem', id),
      note: `${row.level} → ${up}`,
    });
  });
  return problemDetail(db, id, today);
}

/** The last day a problem counts as "due soon" from today. */
export function dueSoonLimit(today: string): string {
  return addWorkingDays(today, DUE_SOON_WORKING_DAYS);
}
