/**
 * 前期手续: the service-item catalogue, each project's items (state, dates, agent, 承诺制) with their lights and
 * 具备开工条件, the people who answer for a project (包联), the figures, the to-do list, the Excel import and
 * export. Every write is one transaction with its audit entry; zone limits apply to writes; an agent
 * (service.editAssigned) changes only the items of projects they are assigned to.
 */
import type ExcelJS from 'exceljs';
import {
  ITEM_STATES,
  checkItemDates,
  isItemDueSoon,
  isItemOverdue,
  isReadyToStart,
  itemDueOn,
  itemLight,
  serviceFigures,
  workingDaysUsed,
  type ItemFacts,
  type ItemState,
  type ProblemFacts,
} from '../../domain/serviceItems.ts';
import { can, roleHas, type Actor } from '../../domain/permissions.ts';
import { conflictError, recordAudit, snapshot } from '../audit.ts';
import { forbidden } from '../auth/middleware.ts';
import type { Db, Queryable } from '../db/types.ts';
import { HttpError, badRequest, notFound } from '../lib/http.ts';
import { loadWorkbook } from '../lib/spreadsheet.ts';
import { PROBLEM_SELECT, problemRow, type ProblemRow } from './problems.ts';

const D = (expr: string, as: string) => `to_char(${expr}, 'YYYY-MM-DD') AS ${as}`;

// --- catalogue -------------------------------------------------------------------------------------

const CATALOGUE_SELECT = `SELECT s.id, s.name, s.department, s.limit_working_days, s.may_commit, s.required_before_start, s.sort_order, s.active, s.version,
  (SELECT count(*) FROM project_service_items pi WHERE pi.item_id = s.id)::int AS used_by FROM service_items s`;

export async function listCatalogue(db: Queryable) {
  return { items: await db.query(`${CATALOGUE_SELECT} ORDER BY s.sort_order, s.id`) };
}

export interface CatalogueInput {
  name?: string;
  department?: string;
  limit_working_days?: number;
  may_commit?: boolean;
  required_before_start?: boolean;
  sort_order?: number;
  active?: boolean;
}
const CATALOGUE_COLUMNS = ['name', 'department', 'limit_working_days', 'may_commit', 'required_before_start', 'sort_order', 'active'] as const;

/** The catalogue is shared by every zone: only accounts without a zone limit keep it. */
function requireCatalogueEditor(actor: Actor): void {
  if (!can(actor, 'service.edit') || actor.zone_ids !== null)
    throw forbidden('事项目录由不限园区的规划或管理员账号维护。 The catalogue is kept by planners or administrators without a zone limit.');
}

async function nameTaken(tx: Queryable, name: string, exceptId: number | null): Promise<void> {
  const [row] = await tx.query('SELECT id FROM service_items WHERE name = $1 AND id <> $2', [name.trim(), exceptId ?? 0]);
  if (row) throw new HttpError(409, 'duplicate', `目录中已有事项“${name.trim()}”。 The catalogue already has an item named "${name.trim()}".`);
}

export async function createCatalogueItem(db: Db, actor: Actor, input: CatalogueInput & { name: string; department: string; limit_working_days: number }) {
  requireCatalogueEditor(actor);
  return db.transaction(async (tx) => {
    await nameTaken(tx, input.name, null);
    const record = { ...input, name: input.name.trim(), department: input.department.trim() };
    const columns = CATALOGUE_COLUMNS.filter((c) => record[c] !== undefined);
    if (record.sort_order === undefined) {
      const [{ next }] = await tx.query<{ next: number }>('SELECT coalesce(max(sort_order), 0) + 10 AS next FROM service_items');
      columns.push('sort_order');
      record.sort_order = next;
    }
    const [{ id }] = await tx.query<{ id: number }>(
      `INSERT INTO service_items (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
      columns.map((c) => record[c]),
    );
    await recordAudit(tx, actor, { action: 'create', entity: 'service_item', entityId: id, before: null, after: await snapshot(tx, 'service_item', id) });
    return (await tx.query(`${CATALOGUE_SELECT} WHERE s.id = $1`, [id]))[0];
  });
}

export async function updateCatalogueItem(db: Db, actor: Actor, id: number, version: number, changes: CatalogueInput) {
  requireCatalogueEditor(actor);
  if (Object.keys(changes).length === 0) throw badRequest('Nothing to change.', { message_zh: '没有要修改的内容。' });
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ version: number }>('SELECT version FROM service_items WHERE id = $1 FOR UPDATE', [id]);
    if (!row) throw notFound(`没有编号为 ${id} 的事项。 No catalogue item ${id}.`);
    if (row.version !== version) throw await conflictError(tx, 'service_item', id, version, (await snapshot(tx, 'service_item', id))!);
    if (changes.name !== undefined) await nameTaken(tx, changes.name, id);
    const before = await snapshot(tx, 'service_item', id);
    const columns = CATALOGUE_COLUMNS.filter((c) => changes[c] !== undefined);
    const value = (c: (typeof CATALOGUE_COLUMNS)[number]) => (typeof changes[c] === 'string' ? (changes[c] as string).trim() : changes[c]);
    await tx.query(
      `UPDATE service_items SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')}, version = version + 1, updated_at = now() WHERE id = $1`,
      [id, ...columns.map(value)],
    );
    if (changes.may_commit === false) {
      const [{ n }] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM project_service_items WHERE item_id = $1 AND committed', [id]);
      if (n > 0)
        throw badRequest(`${n} project item(s) are handled under 承诺制 with this item: change them first.`, {
          message_zh: `有 ${n} 个项目按承诺制办理该事项，请先修改这些项目。`,
        });
    }
    await recordAudit(tx, actor, { action: 'update', entity: 'service_item', entityId: id, before, after: await snapshot(tx, 'service_item', id) });
    return (await tx.query(`${CATALOGUE_SELECT} WHERE s.id = $1`, [id]))[0];
  });
}

export async function deleteCatalogueItem(db: Db, actor: Actor, id: number) {
  requireCatalogueEditor(actor);
  return db.transaction(async (tx) => {
    const before = await snapshot(tx, 'service_item', id);
    if (!before) throw notFound(`没有编号为 ${id} 的事项。 No catalogue item ${id}.`);
    const [{ n }] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM project_service_items WHERE item_id = $1', [id]);
    if (n > 0) throw new HttpError(409, 'in_use', `${n} 个项目列有该事项，不能删除，可设为停用。 ${n} project(s) list this item: set it inactive instead.`);
    await tx.query('DELETE FROM service_items WHERE id = $1', [id]);
    await recordAudit(tx, actor, { action: 'delete', entity: 'service_item', entityId: id, before, after: null });
    return { ok: true as const };
  });
}

// --- a project's items -----------------------------------------------------------------------------

const ITEM_SELECT = `SELECT pi.id, pi.project_id, pi.item_id, s.name, s.department, s.limit_working_days, s.may_commit, s.required_before_start, pi.state,
  ${D('pi.accepted_on', 'accepted_on')}, ${D('pi.started_on', 'started_on')}, ${D('pi.done_on', 'done_on')},
  pi.agent_user_id, coalesce(u.display_name, pi.agent_name) AS agent_name, pi.committed, pi.document_no, pi.note, pi.version, s.sort_order
FROM project_service_items pi JOIN service_items s ON s.id = pi.item_id LEFT JOIN users u ON u.id = pi.agent_user_id`;

export interface ItemRow {
  id: number;
  project_id: number;
  item_id: number;
  name: string;
  department: string;
  limit_working_days: number;
  may_commit: boolean;
  required_before_start: boolean;
  state: ItemState;
  accepted_on: string | null;
  started_on: string | null;
  done_on: string | null;
  agent_user_id: number | null;
  agent_name: string | null;
  committed: boolean;
  document_no: string | null;
  note: string | null;
  version: number;
  sort_order?: number;
}

/** The row with its due date, days used and light as of today. */
export function decorate(row: ItemRow, today: string) {
  const { sort_order: _s, ...rest } = row;
  return { ...rest, due_on: itemDueOn(row), working_days_used: workingDaysUsed(row, today), light: itemLight(row, today) };
}

async function projectOf(db: Queryable, id: number): Promise<{ id: number; name: string; zone_id: number; zone_name: string }> {
  const [p] = await db.query<{ id: number; name: string; zone_id: number; zone_name: string }>(
    'SELECT p.id, p.name, p.zone_id, z.name AS zone_name FROM projects p JOIN zones z ON z.id = p.zone_id WHERE p.id = $1',
    [id],
  );
  if (!p) throw notFound(`没有编号为 ${id} 的项目。 No project ${id}.`);
  return p;
}

/** Whether the account answers for the project (any role among its people) or handles one of its items. */
async function isAssigned(db: Queryable, actor: Actor, projectId: number): Promise<boolean> {
  const [row] = await db.query(
    `SELECT 1 FROM project_people WHERE project_id = $1 AND user_id = $2
     UNION ALL SELECT 1 FROM project_service_items WHERE project_id = $1 AND agent_user_id = $2 LIMIT 1`,
    [projectId, actor.id],
  );
  return !!row;
}

/** May the actor change this project's items? Planners in their zones; agents on their projects in their zones. */
async function mayEditItems(db: Queryable, actor: Actor, project: { id: number; zone_id: number }): Promise<boolean> {
  if (can(actor, 'service.edit', project.zone_id)) return true;
  return can(actor, 'service.editAssigned', project.zone_id) && (await isAssigned(db, actor, project.id));
}

export async function projectService(db: Queryable, actor: Actor, projectId: number, today: string) {
  const project = await projectOf(db, projectId);
  const items = (await db.query<ItemRow>(`${ITEM_SELECT} WHERE pi.project_id = $1 ORDER BY s.sort_order, s.id`, [projectId])).map((r) => decorate(r, today));
  const people = await db.query(
    `SELECT pp.id, pp.project_id, pp.role, pp.user_id, coalesce(u.display_name, pp.name) AS name, pp.title, pp.phone
     FROM project_people pp LEFT JOIN users u ON u.id = pp.user_id WHERE pp.project_id = $1
     ORDER BY CASE pp.role WHEN 'leader' THEN 1 WHEN 'head' THEN 2 WHEN 'agent' THEN 3 ELSE 4 END, pp.id`,
    [projectId],
  );
  const problems = (
    await db.query<ProblemRow>(`${PROBLEM_SELECT} WHERE pr.project_id = $1 AND pr.status <> 'closed' ORDER BY pr.due_on NULLS LAST, pr.id`, [projectId])
  ).map((r) => problemRow(r, today));
  const required = items.filter((i) => i.required_before_start);
  return {
    project_id: project.id,
    project_name: project.name,
    zone_id: project.zone_id,
    zone_name: project.zone_name,
    today,
    ready: isReadyToStart(items, today),
    required: required.length,
    required_done: required.filter((i) => i.state === 'done' || i.state === 'not_applicable').length,
    items,
    people,
    problems,
    can_edit: await mayEditItems(db, actor, project),
  };
}

function requireProjectEditor(actor: Actor, zoneId: number): void {
  if (!can(actor, 'service.edit', zoneId))
    throw forbidden('只能为本人负责的开发区的项目安排手续与人员。 You may arrange items and people only for projects in the zones you are assigned to.');
}

export async function addProjectItems(db: Db, actor: Actor, projectId: number, input: { item_ids?: number[]; all?: true }, today: string) {
  if (!input.all && !input.item_ids?.length)
    throw badRequest('Give item_ids or all: true.', { message_zh: '请指定事项（item_ids）或 all: true（全部目录事项）。' });
  const project = await projectOf(db, projectId);
  requireProjectEditor(actor, project.zone_id);
  await db.transaction(async (tx) => {
    const wanted = input.all
      ? (await tx.query<{ id: number }>('SELECT id FROM service_items WHERE active ORDER BY sort_order, id')).map((r) => r.id)
      : [...new Set(input.item_ids!)];
    const known = new Set((await tx.query<{ id: number }>('SELECT id FROM service_items WHERE id = ANY($1::int[])', [wanted])).map((r) => r.id));
    const unknown = wanted.filter((id) => !known.has(id));
    if (unknown.length)
      throw badRequest(`No catalogue item ${unknown.join(', ')}.`, {
        message_zh: `目录中没有编号为 ${unknown.join('、')} 的事项。`,
        fields: [{ field: 'item_ids' }],
      });
    const inserted = await tx.query<{ id: number }>(
      `INSERT INTO project_service_items (project_id, item_id) SELECT $1, x FROM unnest($2::int[]) AS x
       ON CONFLICT (project_id, item_id) DO NOTHING RETURNING id`,
      [projectId, wanted],
    );
    for (const { id } of inserted)
      await recordAudit(tx, actor, {
        action: 'create',
        entity: 'project_service_item',
        entityId: id,
        before: null,
        after: await snapshot(tx, 'project_service_item', id),
        note: `project ${projectId}`,
      });
  });
  return projectService(db, actor, projectId, today);
}

export interface ItemChanges {
  state?: ItemState;
  accepted_on?: string | null;
  started_on?: string | null;
  done_on?: string | null;
  agent_user_id?: number | null;
  agent_name?: string | null;
  committed?: boolean;
  document_no?: string | null;
  note?: string | null;
}
const ITEM_COLUMNS = ['state', 'accepted_on', 'started_on', 'done_on', 'agent_user_id', 'agent_name', 'committed', 'document_no', 'note'] as const;

function problemsError(problems: { field: string; en: string; zh: string }[]): HttpError {
  return badRequest(problems.map((p) => p.en).join(' '), {
    fields: problems.map((p) => ({ field: p.field, message: p.en, message_zh: p.zh })),
    message_zh: problems.map((p) => p.zh).join(' '),
  });
}

/** Checks a project item as it would be after the changes; throws the 400 naming every problem. */
async function checkItem(tx: Queryable, record: ItemRow, today: string): Promise<void> {
  const problems = checkItemDates(record, today);
  if (record.committed && !record.may_commit)
    problems.push({ field: 'committed', en: 'This item may not go under 承诺制 (see the catalogue).', zh: '该事项不适用承诺制（见事项目录）。' });
  if (record.agent_user_id !== null) {
    const [u] = await tx.query('SELECT id FROM users WHERE id = $1 AND active', [record.agent_user_id]);
    if (!u) problems.push({ field: 'agent_user_id', en: `No active account ${record.agent_user_id}.`, zh: `没有编号为 ${record.agent_user_id} 的有效账号。` });
  }
  if (problems.length) throw problemsError(problems);
}

export async function updateProjectItem(db: Db, actor: Actor, id: number, version: number, changes: ItemChanges, today: string) {
  if (Object.keys(changes).length === 0) throw badRequest('Nothing to change.', { message_zh: '没有要修改的内容。' });
  return db.transaction(async (tx) => {
    const [current] = await tx.query<ItemRow & { zone_id: number }>(
      `SELECT x.*, p.zone_id FROM (${ITEM_SELECT} WHERE pi.id = $1) x JOIN projects p ON p.id = x.project_id`,
      [id],
    );
    if (!current) throw notFound(`没有编号为 ${id} 的手续事项。 No project item ${id}.`);
    await tx.query('SELECT id FROM project_service_items WHERE id = $1 FOR UPDATE', [id]);
    if (!(await mayEditItems(tx, actor, { id: current.project_id, zone_id: current.zone_id })))
      throw forbidden(
        roleHas(actor.role, 'service.editAssigned')
          ? '代办员只能更新本人负责项目的事项。 An agent may update only the items of the projects they are assigned to.'
          : '只能更新本人负责的开发区的项目事项。 You may update items only in the zones you are assigned to.',
      );
    if (!can(actor, 'service.edit') && (changes.agent_user_id !== undefined || changes.agent_name !== undefined))
      throw forbidden('代办员的指派由规划或管理员调整。 Only planners and administrators assign agents.');
    if (current.version !== version) throw await conflictError(tx, 'project_service_item', id, version, (await snapshot(tx, 'project_service_item', id))!);
    const [stored] = await tx.query<{ agent_user_id: number | null; agent_name: string | null }>(
      'SELECT agent_user_id, agent_name FROM project_service_items WHERE id = $1',
      [id],
    );
    const record: ItemRow = { ...current, ...stored, ...changes } as ItemRow;
    // Moving back to 未启动 or 不适用 clears the dates not given.
    if (changes.state === 'not_started' || changes.state === 'not_applicable')
      for (const c of ['accepted_on', 'started_on', 'done_on'] as const)
        if (changes[c] === undefined) {
          record[c] = null;
          changes[c] = null;
        }
    if (changes.state !== undefined && changes.state !== 'done' && changes.done_on === undefined && record.done_on) {
      record.done_on = null;
      changes.done_on = null;
    }
    await checkItem(tx, record, today);
    const before = await snapshot(tx, 'project_service_item', id);
    const columns = ITEM_COLUMNS.filter((c) => changes[c] !== undefined);
    await tx.query(
      `UPDATE project_service_items SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')}, version = version + 1, updated_at = now() WHERE id = $1`,
      [id, ...columns.map((c) => changes[c])],
    );
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'project_service_item',
      entityId: id,
      before,
      after: await snapshot(tx, 'project_service_item', id),
      note: `project ${current.project_id}: ${current.name}`,
    });
    const [row] = await tx.query<ItemRow>(`${ITEM_SELECT} WHERE pi.id = $1`, [id]);
    return decorate(row, today);
  });
}

export async function removeProjectItem(db: Db, actor: Actor, id: number) {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ zone_id: number; project_id: number }>(
      'SELECT p.zone_id, pi.project_id FROM project_service_items pi JOIN projects p ON p.id = pi.project_id WHERE pi.id = $1 FOR UPDATE',
      [id],
    );
    if (!row) throw notFound(`没有编号为 ${id} 的手续事项。 No project item ${id}.`);
    requireProjectEditor(actor, row.zone_id);
    const before = await snapshot(tx, 'project_service_item', id);
    await tx.query('DELETE FROM project_service_items WHERE id = $1', [id]);
    await recordAudit(tx, actor, { action: 'delete', entity: 'project_service_item', entityId: id, before, after: null, note: `project ${row.project_id}` });
    return { ok: true as const };
  });
}

// --- people ----------------------------------------------------------------------------------------

export async function addPerson(
  db: Db,
  actor: Actor,
  projectId: number,
  input: { role: string; user_id?: number | null; name?: string | null; title?: string | null; phone?: string | null },
  today: string,
) {
  const project = await projectOf(db, projectId);
  requireProjectEditor(actor, project.zone_id);
  if (!input.user_id && !input.name?.trim())
    throw badRequest('Give an account (user_id) or a name.', { message_zh: '请选择账号或填写姓名。', fields: [{ field: 'name' }] });
  await db.transaction(async (tx) => {
    if (input.user_id) {
      const [u] = await tx.query('SELECT id FROM users WHERE id = $1 AND active', [input.user_id]);
      if (!u) throw badRequest(`No active account ${input.user_id}.`, { message_zh: `没有编号为 ${input.user_id} 的有效账号。` });
    }
    const before = await snapshot(tx, 'project_people', projectId);
    await tx.query('INSERT INTO project_people (project_id, role, user_id, name, title, phone) VALUES ($1, $2, $3, $4, $5, $6)', [
      projectId,
      input.role,
      input.user_id ?? null,
      input.name?.trim() || null,
      input.title?.trim() || null,
      input.phone?.trim() || null,
    ]);
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'project_people',
      entityId: projectId,
      before,
      after: await snapshot(tx, 'project_people', projectId),
    });
  });
  return projectService(db, actor, projectId, today);
}

export async function removePerson(db: Db, actor: Actor, id: number) {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ project_id: number; zone_id: number }>(
      'SELECT pp.project_id, p.zone_id FROM project_people pp JOIN projects p ON p.id = pp.project_id WHERE pp.id = $1',
      [id],
    );
    if (!row) throw notFound(`没有编号为 ${id} 的人员。 No person ${id}.`);
    requireProjectEditor(actor, row.zone_id);
    const before = await snapshot(tx, 'project_people', row.project_id);
    await tx.query('DELETE FROM project_people WHERE id = $1', [id]);
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'project_people',
      entityId: row.project_id,
      before,
      after: await snapshot(tx, 'project_people', row.project_id),
    });
    return { ok: true as const };
  });
}

export async function listAccounts(db: Queryable) {
  return { accounts: await db.query("SELECT id, display_name, role FROM users WHERE active AND role <> 'viewer' ORDER BY role, display_name, id") };
}

// --- figures ---------------------------------------------------------------------------------------

export interface Scope {
  zoneIds?: number[];
  city?: string;
}

function scopeSql(scope: Scope, values: unknown[], alias = 'z'): string {
  const parts: string[] = [];
  if (scope.zoneIds?.length) {
    values.push(scope.zoneIds);
    parts.push(`${alias}.id = ANY($${values.length}::int[])`);
  }
  if (scope.city) {
    values.push(scope.city);
    parts.push(`${alias}.city = $${values.length}`);
  }
  return parts.length ? parts.join(' AND ') : 'true';
}

async function factsOf(db: Queryable, scope: Scope): Promise<{ items: (ItemFacts & ItemRow)[]; problems: ProblemFacts[] }> {
  const values: unknown[] = [];
  const where = scopeSql(scope, values);
  const items = await db.query<ItemFacts & ItemRow>(
    `SELECT x.* FROM (${ITEM_SELECT}) x JOIN projects p ON p.id = x.project_id JOIN zones z ON z.id = p.zone_id WHERE ${where}`,
    values,
  );
  const problems = await db.query<ProblemFacts>(
    `SELECT pr.id, pr.project_id, pr.kind, pr.status, ${D('pr.raised_on', 'raised_on')}, ${D('pr.due_on', 'due_on')}, ${D('pr.closed_on', 'closed_on')}
     FROM project_problems pr JOIN projects p ON p.id = pr.project_id JOIN zones z ON z.id = p.zone_id WHERE ${where}`,
    values,
  );
  return { items, problems };
}

export async function figuresFor(db: Queryable, scope: Scope, from: string, to: string, today: string) {
  if (from > to) throw problemsError([{ field: 'from', en: 'The period starts after it ends.', zh: '统计期开始日期晚于结束日期。' }]);
  const { items, problems } = await factsOf(db, scope);
  return serviceFigures(items, problems, from, to, today);
}

/** The figures as a workbook: the figures with their units, the overdue items, the overdue problems. */
export async function figuresWorkbook(db: Queryable, scope: Scope, from: string, to: string, today: string, book: ExcelJS.Workbook) {
  const f = await figuresFor(db, scope, from, to, today);
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  const rows: [string, string, string | number][] = [
    ['统计期 Period', '', `${f.from} – ${f.to}`],
    ['截至 As of', '', f.asOf],
    ['有手续事项的项目 Projects with items', '个', f.projects],
    ['承诺制项目 Projects under 承诺制', '个', f.committed.projects],
    ['承诺制事项 Items under 承诺制', '项', f.committed.items],
    ['代办项目 Projects with agents', '个', f.agent.projects],
    ['代办事项 Items handled by agents', '项', f.agent.items],
    ['代办事项已办结 Agent items done', '项', f.agent.itemsDone],
    ['代办办结率 Agent items done share', '%', pct(f.agent.doneShare)],
    ['适用事项 Applicable items', '项', f.items.applicable],
    ['已办结 Items done', '项', f.items.done],
    ['办结率 Done share', '%', pct(f.items.doneShare)],
    ['本期办结 Done in the period', '项', f.items.doneInPeriod],
    ['具备开工条件项目 Projects ready to start', '个', f.ready.projects],
    ['具备开工条件占比 Ready share', '%', pct(f.ready.share)],
    ['平均办理用时 Average working days per done item', '工作日', f.averageWorkingDays === null ? '—' : Number(f.averageWorkingDays.toFixed(1))],
    ['平均法定时限 Average legal limit', '工作日', f.averageLimitWorkingDays === null ? '—' : Number(f.averageLimitWorkingDays.toFixed(1))],
    ['逾期事项 Overdue items', '项', f.overdue.items],
    ['逾期问题 Overdue problems', '个', f.overdue.problems],
    ['本期新增问题 Problems raised', '个', f.problems.raisedInPeriod],
    ['未办结问题 Open problems', '个', f.problems.open],
    ['本期办结问题 Problems closed', '个', f.problems.closedInPeriod],
  ];
  const sheet = book.addWorksheet('统计 Figures');
  sheet.columns = [
    { header: '指标 Figure', width: 44 },
    { header: '单位 Unit', width: 10 },
    { header: '数值 Value', width: 24 },
  ];
  for (const r of rows) sheet.addRow(r);
  sheet.getRow(1).font = { bold: true };
  const overdueItems = f.overdue.itemIds.length
    ? await db.query<{ id: number; project: string; zone: string; name: string; accepted_on: string; agent: string | null }>(
        `SELECT pi.id, p.name AS project, z.name AS zone, s.name, ${D('pi.accepted_on', 'accepted_on')}, coalesce(u.display_name, pi.agent_name) AS agent
         FROM project_service_items pi JOIN service_items s ON s.id = pi.item_id JOIN projects p ON p.id = pi.project_id JOIN zones z ON z.id = p.zone_id
         LEFT JOIN users u ON u.id = pi.agent_user_id WHERE pi.id = ANY($1::int[]) ORDER BY z.name, p.name, s.sort_order`,
        [f.overdue.itemIds],
      )
    : [];
  const items = book.addWorksheet('逾期事项 Overdue items');
  items.columns = [
    { header: '开发区', width: 24 },
    { header: '项目', width: 36 },
    { header: '事项', width: 24 },
    { header: '受理日期', width: 12 },
    { header: '代办员', width: 16 },
  ];
  for (const r of overdueItems) items.addRow([r.zone, r.project, r.name, r.accepted_on, r.agent ?? '']);
  items.getRow(1).font = { bold: true };
  const overdueProblems = f.overdue.problemIds.length
    ? await db.query<ProblemRow>(`${PROBLEM_SELECT} WHERE pr.id = ANY($1::int[]) ORDER BY pr.due_on, pr.id`, [f.overdue.problemIds])
    : [];
  const probs = book.addWorksheet('逾期问题 Overdue problems');
  probs.columns = [
    { header: '开发区', width: 24 },
    { header: '项目', width: 36 },
    { header: '问题', width: 40 },
    { header: '责任人', width: 16 },
    { header: '应解决日期', width: 12 },
    { header: '层级', width: 8 },
  ];
  for (const r of overdueProblems) probs.addRow([r.zone_name, r.project_name, r.title, r.assignee_name ?? '', r.due_on ?? '', r.level]);
  probs.getRow(1).font = { bold: true };
}

// --- the to-do list ------------------------------------------------------------------------------------

const MY_PROJECTS = `SELECT project_id FROM project_people WHERE user_id = $1 UNION SELECT project_id FROM project_service_items WHERE agent_user_id = $1`;

export async function todoFor(db: Queryable, actor: Actor, today: string) {
  const rows = await db.query<ItemRow & { project_name: string; zone_name: string }>(
    `SELECT x.*, p.name AS project_name, z.name AS zone_name FROM (${ITEM_SELECT}) x JOIN projects p ON p.id = x.project_id JOIN zones z ON z.id = p.zone_id
     WHERE x.state IN ('accepted', 'in_progress') AND (x.agent_user_id = $1 OR x.project_id IN (${MY_PROJECTS}))`,
    [actor.id],
  );
  const items = rows
    .map((r) => ({
      ...decorate(r, today),
      project_name: r.project_name,
      zone_name: r.zone_name,
      overdue: isItemOverdue(r, today),
      due_soon: isItemDueSoon(r, today),
    }))
    .filter((r) => r.overdue || r.due_soon)
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.due_on ?? '').localeCompare(b.due_on ?? '') || a.id - b.id);
  const problems = (
    await db.query<ProblemRow>(
      `${PROBLEM_SELECT} WHERE pr.status <> 'closed' AND (pr.assignee_user_id = $1 OR pr.project_id IN (${MY_PROJECTS})) ORDER BY pr.due_on NULLS LAST, pr.id`,
      [actor.id],
    )
  )
    .map((r) => problemRow(r, today))
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.due_on ?? '9').localeCompare(b.due_on ?? '9') || a.id - b.id);
  const projects = await db.query<{ project_id: number; project_name: string; zone_name: string; roles: string[] }>(
    `SELECT p.id AS project_id, p.name AS project_name, z.name AS zone_name,
       coalesce((SELECT array_agg(DISTINCT pp.role ORDER BY pp.role) FROM project_people pp WHERE pp.project_id = p.id AND pp.user_id = $1), ARRAY[]::text[]) AS roles
     FROM projects p JOIN zones z ON z.id = p.zone_id WHERE p.id IN (${MY_PROJECTS}) ORDER BY z.name, p.name`,
    [actor.id],
  );
  const ids = projects.map((p) => p.project_id);
  const allItems = ids.length ? await db.query<ItemRow>(`${ITEM_SELECT} WHERE pi.project_id = ANY($1::int[])`, [ids]) : [];
  const openProblems = ids.length
    ? await db.query<{ project_id: number; n: number }>(
        "SELECT project_id, count(*)::int AS n FROM project_problems WHERE status <> 'closed' AND project_id = ANY($1::int[]) GROUP BY project_id",
        [ids],
      )
    : [];
  return {
    today,
    items,
    problems,
    projects: projects.map((p) => {
      const its = allItems.filter((i) => i.project_id === p.project_id);
      return {
        ...p,
        roles: p.roles.length ? p.roles : ['agent'],
        ready: isReadyToStart(its, today),
        items: its.filter((i) => i.state !== 'not_applicable').length,
        items_done: its.filter((i) => i.state === 'done').length,
        overdue_items: its.filter((i) => isItemOverdue(i as ItemFacts & ItemRow, today)).length,
        open_problems: openProblems.find((o) => o.project_id === p.project_id)?.n ?? 0,
      };
    }),
  };
}

// --- Excel / CSV import --------------------------------------------------------------------------------

export interface TableRow {
  line: number;
  cells: string[];
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    return '';
  }
  return String(value);
}

/** The first sheet of an Excel upload, dates as YYYY-MM-DD. */
export async function workbookTable(body: Buffer): Promise<TableRow[]> {
  const book = await loadWorkbook('上传文件.xlsx', body, 400);
  const sheet = book.worksheets[0];
  if (!sheet) throw badRequest('The workbook has no sheet. 工作簿没有工作表。');
  const table: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= Math.max(row.cellCount, 8); c++) cells.push(cellText(row.getCell(c).value).trim());
    table.push({ line: row.number, cells });
  });
  return table;
}

interface RowError {
  line: number;
  message: string;
  message_zh: string;
}

function badRows(errors: RowError[]): HttpError {
  errors.sort((a, b) => a.line - b.line);
  return new HttpError(
    422,
    'bad_rows',
    `${errors.length} 行有误，未导入任何数据：${errors.map((e) => `第 ${e.line} 行：${e.message_zh}`).join('；')}。 ${errors.length} bad row(s), nothing imported: ${errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}.`,
    { rows: errors },
  );
}

/** Header columns found by pattern; the required ones missing answer 400 naming them. */
function columnsOf<K extends string>(header: string[], patterns: Record<K, RegExp>, required: NoInfer<K>[]): Record<K, number> {
  const cols = Object.fromEntries(Object.entries(patterns).map(([k, re]) => [k, header.findIndex((h) => (re as RegExp).test(h.trim()))])) as Record<K, number>;
  const missing = required.filter((k) => cols[k] < 0);
  if (missing.length)
    throw badRequest(`Line 1 (header) lacks columns: ${missing.join(', ')}. 第 1 行（表头）缺少列：${missing.join('、')}。`, {
      rows: [{ line: 1, message: `missing columns ${missing.join(', ')}`, message_zh: `表头缺少列 ${missing.join('、')}` }],
    });
  return cols;
}

function dataRows(table: TableRow[]): TableRow[] {
  if (table.length === 0) throw badRequest('The file is empty. 文件为空。');
  const rows = table.slice(1).filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (rows.length === 0) throw badRequest('The file has a header but no rows. 文件只有表头，没有数据。');
  if (rows.length > 2000) throw badRequest('At most 2,000 rows per upload. 每次最多导入 2000 行。');
  return rows;
}

const YES = /^(是|yes|y|true|1|√|✓)$/i;
const NO = /^(否|no|n|false|0|)$/i;
function yesNo(text: string | undefined, fallback: boolean): boolean | null {
  const t = (text ?? '').trim();
  if (t === '') return fallback;
  if (YES.test(t)) return true;
  if (NO.test(t)) return false;
  return null;
}

export async function importCatalogue(db: Db, actor: Actor, table: TableRow[]) {
  requireCatalogueEditor(actor);
  const cols = columnsOf(
    table[0]?.cells ?? [],
    { name: /事项|名称|^name/i, department: /部门|department/i, limit: /时限|limit/i, commit: /承诺|commit/i, required: /开工|required/i, sort: /排序|sort/i },
    ['name', 'department', 'limit'],
  );
  const rows = dataRows(table);
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  const parsed = rows.map((r, i) => {
    const cell = (k: keyof typeof cols) => (cols[k] >= 0 ? (r.cells[cols[k]] ?? '').trim() : '');
    const name = cell('name');
    const department = cell('department');
    const limit = Number(cell('limit'));
    const mayCommit = yesNo(cell('commit'), false);
    const required = yesNo(cell('required'), true);
    const sortText = cell('sort');
    const sort = sortText === '' ? (i + 1) * 10 : Number(sortText);
    const add = (en: string, zh: string) => errors.push({ line: r.line, message: en, message_zh: zh });
    if (!name || name.length > 80) add('the item name is missing or longer than 80 characters', '事项名称为空或超过 80 字');
    else if (seen.has(name)) add(`the item "${name}" is also on line ${seen.get(name)}`, `事项“${name}”与第 ${seen.get(name)} 行重复`);
    else seen.set(name, r.line);
    if (!department || department.length > 80) add('the department is missing or longer than 80 characters', '审批部门为空或超过 80 字');
    if (!Number.isInteger(limit) || limit < 1 || limit > 365)
      add(`the legal limit "${cell('limit')}" is not a whole number of working days from 1 to 365`, `法定时限“${cell('limit')}”应为 1–365 的整数（工作日）`);
    if (mayCommit === null) add(`"${cell('commit')}" is not 是 or 否 (承诺制)`, `可承诺制“${cell('commit')}”应为 是 或 否`);
    if (required === null) add(`"${cell('required')}" is not 是 or 否 (required before start)`, `开工前必备“${cell('required')}”应为 是 或 否`);
    if (!Number.isInteger(sort) || sort < 0 || sort > 100_000) add(`the order "${sortText}" is not a whole number`, `排序“${sortText}”应为整数`);
    return { name, department, limit, mayCommit: !!mayCommit, required: !!required, sort };
  });
  if (errors.length) throw badRows(errors);
  return db.transaction(async (tx) => {
    let created = 0;
    let updated = 0;
    for (const p of parsed) {
      const [existing] = await tx.query<{ id: number }>('SELECT id FROM service_items WHERE name = $1 FOR UPDATE', [p.name]);
      if (existing) {
        const before = await snapshot(tx, 'service_item', existing.id);
        await tx.query(
          `UPDATE service_items SET department = $2, limit_working_days = $3, may_commit = $4, required_before_start = $5, sort_order = $6,
             version = version + 1, updated_at = now() WHERE id = $1`,
          [existing.id, p.department, p.limit, p.mayCommit, p.required, p.sort],
        );
        await recordAudit(tx, actor, {
          action: 'import',
          entity: 'service_item',
          entityId: existing.id,
          before,
          after: await snapshot(tx, 'service_item', existing.id),
        });
        updated++;
      } else {
        const [{ id }] = await tx.query<{ id: number }>(
          'INSERT INTO service_items (name, department, limit_working_days, may_commit, required_before_start, sort_order) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
          [p.name, p.department, p.limit, p.mayCommit, p.required, p.sort],
        );
        await recordAudit(tx, actor, { action: 'import', entity: 'service_item', entityId: id, before: null, after: await snapshot(tx, 'service_item', id) });
        created++;
      }
    }
    return { imported: parsed.length, created, updated };
  });
}

const STATE_BY_TEXT = new Map<string, ItemState>(ITEM_STATES.flatMap((s) => [[s.zh, s.key] as [string, ItemState], [s.key, s.key] as [string, ItemState]]));

export async function importProjectItems(db: Db, actor: Actor, projectId: number, table: TableRow[], today: string) {
  const project = await projectOf(db, projectId);
  requireProjectEditor(actor, project.zone_id);
  const cols = columnsOf(
    table[0]?.cells ?? [],
    {
      name: /事项|名称|^name/i,
      state: /状态|state/i,
      accepted: /受理|accepted/i,
      started: /办理日期|开始|started/i,
      done: /办结|done/i,
      commit: /承诺|commit/i,
      doc: /文号|document/i,
      note: /备注|note/i,
    },
    ['name', 'state'],
  );
  const rows = dataRows(table);
  const catalogue = await db.query<{ id: number; name: string; may_commit: boolean }>('SELECT id, name, may_commit FROM service_items');
  const errors: RowError[] = [];
  const seen = new Map<number, number>();
  const parsed = rows.map((r) => {
    const cell = (k: keyof typeof cols) => (cols[k] >= 0 ? (r.cells[cols[k]] ?? '').trim() : '');
    const add = (en: string, zh: string) => errors.push({ line: r.line, message: en, message_zh: zh });
    const item = catalogue.find((c) => c.name === cell('name'));
    if (!item) add(`"${cell('name')}" is not in the catalogue`, `事项“${cell('name')}”不在事项目录中`);
    else if (seen.has(item.id)) add(`the item is also on line ${seen.get(item.id)}`, `与第 ${seen.get(item.id)} 行重复`);
    else seen.set(item.id, r.line);
    const state = STATE_BY_TEXT.get(cell('state'));
    if (!state)
      add(
        `the state "${cell('state')}" is not one of 未启动, 已受理, 办理中, 已办结, 不适用`,
        `状态“${cell('state')}”应为 未启动、已受理、办理中、已办结 或 不适用`,
      );
    const dateOf = (k: 'accepted' | 'started' | 'done', label: string) => {
      const t = cell(k);
      if (t === '') return null;
      const ok = /^\d{4}-\d{2}-\d{2}$/.test(t) && !Number.isNaN(Date.parse(`${t}T00:00:00Z`)) && new Date(`${t}T00:00:00Z`).toISOString().startsWith(t);
      if (!ok) add(`${k} date "${t}" is not a date YYYY-MM-DD`, `${label}“${t}”不是 YYYY-MM-DD 日期`);
      return ok ? t : null;
    };
    const accepted_on = dateOf('accepted', '受理日期');
    const started_on = dateOf('started', '办理日期');
    const done_on = dateOf('done', '办结日期');
    const committed = yesNo(cell('commit'), false);
    if (committed === null) add(`"${cell('commit')}" is not 是 or 否 (承诺制)`, `承诺制“${cell('commit')}”应为 是 或 否`);
    if (committed && item && !item.may_commit) add('the item may not go under 承诺制', '该事项不适用承诺制');
    if (state) for (const p of checkItemDates({ state, accepted_on, started_on, done_on }, today)) add(p.en, p.zh);
    const doc = cell('doc');
    const note = cell('note');
    if (doc.length > 80) add('the document number is longer than 80 characters', '文号超过 80 字');
    if (note.length > 500) add('the note is longer than 500 characters', '备注超过 500 字');
    return {
      itemId: item?.id ?? 0,
      state: state ?? 'not_started',
      accepted_on,
      started_on,
      done_on,
      committed: !!committed,
      doc: doc || null,
      note: note || null,
    };
  });
  if (errors.length) throw badRows(errors);
  return db.transaction(async (tx) => {
    let created = 0;
    let updated = 0;
    for (const p of parsed) {
      const [existing] = await tx.query<{ id: number }>('SELECT id FROM project_service_items WHERE project_id = $1 AND item_id = $2 FOR UPDATE', [
        projectId,
        p.itemId,
      ]);
      const values = [p.state, p.accepted_on, p.started_on, p.done_on, p.committed, p.doc, p.note];
      let id: number;
      let before = null;
      if (existing) {
        id = existing.id;
        before = await snapshot(tx, 'project_service_item', id);
        await tx.query(
          `UPDATE project_service_items SET state = $2, accepted_on = $3::date, started_on = $4::date, done_on = $5::date, committed = $6, document_no = $7, note = $8,
             version = version + 1, updated_at = now() WHERE id = $1`,
          [id, ...values],
        );
        updated++;
      } else {
        [{ id }] = await tx.query<{ id: number }>(
          `INSERT INTO project_service_items (project_id, item_id, state, accepted_on, started_on, done_on, committed, document_no, note)
           VALUES ($1, $2, $3, $4::date, $5::date, $6::date, $7, $8, $9) RETURNING id`,
          [projectId, p.itemId, ...values],
        );
        created++;
      }
      await recordAudit(tx, actor, {
        action: 'import',
        entity: 'project_service_item',
        entityId: id,
        before,
        after: await snapshot(tx, 'project_service_item', id),
        note: `project ${projectId}`,
      });
    }
    return { imported: parsed.length, created, updated };
  });
}
