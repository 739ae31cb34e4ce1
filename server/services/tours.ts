/**
 * 观摩 tours: planning (stops in order, criteria, judges), scoring by the judges on their phones, and the
 * results. Every write is one transaction with its audit entry; tours carry an optimistic version that every
 * change to the tour, its stops, criteria or judges moves on. Reading is for every internal role (tour.read);
 * organising needs tour.manage and, for a zone-limited account, a zone tour of its own zones; scoring needs
 * a judge's seat on the tour, whatever the role.
 */
import {
  DEFAULT_TOUR_CRITERIA,
  competitionRanks,
  groupRanking,
  judgeTotalPoints,
  nearestNeighbourOrder,
  projectScores,
  routeLengthKm,
  weightsSumTo100,
  type LngLat,
  type TourStatus,
} from '../../domain/tour.ts';
import { can, type Actor } from '../../domain/permissions.ts';
import { conflictError, recordAudit, snapshot } from '../audit.ts';
import { forbidden } from '../auth/middleware.ts';
import type { Db, Queryable } from '../db/types.ts';
import { HttpError, badRequest, notFound } from '../lib/http.ts';

const TOUR_SELECT = `SELECT t.id, t.name, to_char(t.held_on, 'YYYY-MM-DD') AS held_on, t.scope, t.city, t.zone_id, z.name AS zone_name, t.status,
  t.min_judges_for_trim, t.note, t.version, to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated_at,
  (SELECT count(*) FROM tour_stops s WHERE s.tour_id = t.id)::int AS stops,
  (SELECT count(*) FROM tour_judges j WHERE j.tour_id = t.id)::int AS judges
FROM tours t LEFT JOIN zones z ON z.id = t.zone_id`;

export interface TourRow {
  id: number;
  name: string;
  held_on: string;
  scope: 'city' | 'zone';
  city: string | null;
  zone_id: number | null;
  zone_name: string | null;
  status: TourStatus;
  min_judges_for_trim: number;
  note: string | null;
  version: number;
  updated_at: string;
  stops: number;
  judges: number;
}

const noTour = (id: number) => notFound(`没有编号为 ${id} 的观摩活动。 No tour ${id}.`);

function problemsError(problems: { field: string; en: string; zh: string }[]): HttpError {
  return badRequest(problems.map((p) => p.en).join(' '), {
    fields: problems.map((p) => ({ field: p.field, message: p.en, message_zh: p.zh })),
    message_zh: problems.map((p) => p.zh).join(' '),
  });
}

/** Whether the actor may organise this tour: tour.manage and, for a zone-limited account, a tour of its zones. */
export function mayManage(actor: Actor, tour: { scope: string; zone_id: number | null }): boolean {
  if (!can(actor, 'tour.manage')) return false;
  if (actor.zone_ids === null) return true;
  return tour.scope === 'zone' && tour.zone_id !== null && actor.zone_ids.includes(tour.zone_id);
}

function requireManage(actor: Actor, tour: { scope: string; zone_id: number | null }): void {
  if (!mayManage(actor, tour))
    throw forbidden(
      '只能组织本人负责的开发区的观摩活动；全市观摩需不限园区的账号。 You may organise tours of your own zones only; a city tour needs an account without zone limits.',
    );
}

export async function listTours(db: Queryable): Promise<{ tours: TourRow[] }> {
  return { tours: await db.query<TourRow>(`${TOUR_SELECT} ORDER BY t.held_on DESC, t.id DESC`) };
}

async function tourRow(db: Queryable, id: number): Promise<TourRow> {
  const [row] = await db.query<TourRow>(`${TOUR_SELECT} WHERE t.id = $1`, [id]);
  if (!row) throw noTour(id);
  return row;
}

export async function tourDetail(db: Queryable, actor: Actor, id: number) {
  const tour = await tourRow(db, id);
  const [stops, criteria, judges] = await Promise.all([
    db.query(
      `SELECT s.id, s.project_id, p.name AS project_name, p.zone_id, z.name AS zone_name, s.stop_order, to_char(s.planned_time, 'HH24:MI') AS planned_time,
         s.report_by, ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
       FROM tour_stops s JOIN projects p ON p.id = s.project_id JOIN zones z ON z.id = p.zone_id WHERE s.tour_id = $1 ORDER BY s.stop_order`,
      [id],
    ),
    db.query('SELECT id, name, weight, max_score, sort_order FROM tour_criteria WHERE tour_id = $1 ORDER BY sort_order, id', [id]),
    db.query<{ id: number; user_id: number | null }>(
      `SELECT j.id, j.user_id, j.name, u.username,
         (SELECT count(DISTINCT sc.project_id) FROM tour_scores sc WHERE sc.judge_id = j.id)::int AS projects_scored
       FROM tour_judges j LEFT JOIN users u ON u.id = j.user_id WHERE j.tour_id = $1 ORDER BY j.sort_order, j.id`,
      [id],
    ),
  ]);
  const mine = judges.find((j) => j.user_id !== null && j.user_id === actor.id);
  const me = mine
    ? {
        judge_id: mine.id,
        scores: await db.query<{ project_id: number; criterion_id: number; score: number }>(
          'SELECT project_id, criterion_id, score FROM tour_scores WHERE judge_id = $1 ORDER BY project_id, criterion_id',
          [mine.id],
        ),
      }
    : null;
  return { ...tour, stops, criteria, judges, me, can_manage: mayManage(actor, tour) };
}

interface TourFields {
  name?: string;
  held_on?: string;
  scope?: 'city' | 'zone';
  city?: string | null;
  zone_id?: number | null;
  min_judges_for_trim?: number;
  note?: string | null;
  status?: string;
}

/** The scope's own fields: a city tour has a city that some zone is in; a zone tour an existing zone. */
async function checkScope(tx: Queryable, record: { scope: string; city: string | null; zone_id: number | null }): Promise<void> {
  if (record.scope === 'city') {
    if (!record.city?.trim()) throw problemsError([{ field: 'city', en: 'A city tour needs its city.', zh: '全市观摩须填写城市。' }]);
    const [z] = await tx.query('SELECT 1 FROM zones WHERE city = $1 LIMIT 1', [record.city]);
    if (!z) throw problemsError([{ field: 'city', en: `No zone lies in the city "${record.city}".`, zh: `没有位于“${record.city}”的开发区。` }]);
  } else {
    if (record.zone_id == null) throw problemsError([{ field: 'zone_id', en: 'A zone tour needs its zone.', zh: '园区观摩须选择开发区。' }]);
    const [z] = await tx.query('SELECT 1 FROM zones WHERE id = $1', [record.zone_id]);
    if (!z) throw problemsError([{ field: 'zone_id', en: `Zone ${record.zone_id} does not exist.`, zh: `开发区 ${record.zone_id} 不存在。` }]);
  }
}

export async function createTour(db: Db, actor: Actor, input: TourFields & { name: string; held_on: string; scope: 'city' | 'zone' }) {
  const record = {
    name: input.name.trim(),
    held_on: input.held_on,
    scope: input.scope,
    city: input.scope === 'city' ? (input.city ?? null) : null,
    zone_id: input.scope === 'zone' ? (input.zone_id ?? null) : null,
    min_judges_for_trim: input.min_judges_for_trim ?? 5,
    note: input.note ?? null,
  };
  requireManage(actor, record);
  const id = await db.transaction(async (tx) => {
    await checkScope(tx, record);
    const [{ id }] = await tx.query<{ id: number }>(
      `INSERT INTO tours (name, held_on, scope, city, zone_id, min_judges_for_trim, note, created_by) VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [record.name, record.held_on, record.scope, record.city, record.zone_id, record.min_judges_for_trim, record.note, actor.id > 0 ? actor.id : null],
    );
    for (const [i, c] of DEFAULT_TOUR_CRITERIA.entries()) {
      await tx.query('INSERT INTO tour_criteria (tour_id, name, weight, max_score, sort_order) VALUES ($1, $2, $3, $4, $5)', [
        id,
        c.name,
        c.weight,
        c.max_score,
        i + 1,
      ]);
    }
    await recordAudit(tx, actor, { action: 'create', entity: 'tour', entityId: id, before: null, after: await snapshot(tx, 'tour', id) });
    return id;
  });
  return tourDetail(db, actor, id);
}

/** Locks the tour for a write by an organiser: exists, the actor may manage it, the version is current. */
async function lockTour(tx: Queryable, actor: Actor, id: number, version: number | null): Promise<TourRow> {
  const [row] = await tx.query<TourRow>(
    `SELECT id, name, to_char(held_on, 'YYYY-MM-DD') AS held_on, scope, city, zone_id, status, min_judges_for_trim, note, version FROM tours WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!row) throw noTour(id);
  requireManage(actor, row);
  if (version !== null && row.version !== version) throw await conflictError(tx, 'tour', id, version, (await snapshot(tx, 'tour', id))!);
  return row;
}

async function bump(tx: Queryable, id: number): Promise<void> {
  await tx.query('UPDATE tours SET version = version + 1, updated_at = now() WHERE id = $1', [id]);
}

const scoreCount = async (tx: Queryable, id: number) =>
  (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM tour_scores WHERE tour_id = $1', [id]))[0].n;

/** The stop projects outside the tour's city or zone. */
async function outOfScope(tx: Queryable, tour: { scope: string; city: string | null; zone_id: number | null }, projectIds: number[]) {
  const rows = await tx.query<{ id: number; name: string; zone_id: number; city: string }>(
    'SELECT p.id, p.name, p.zone_id, z.city FROM projects p JOIN zones z ON z.id = p.zone_id WHERE p.id = ANY($1::int[])',
    [projectIds],
  );
  return {
    missing: projectIds.filter((id) => !rows.some((r) => r.id === id)),
    outside: rows.filter((r) => (tour.scope === 'city' ? r.city !== tour.city : r.zone_id !== tour.zone_id)),
  };
}

const TRANSITIONS: Record<TourStatus, TourStatus[]> = { planning: ['scoring'], scoring: ['planning', 'closed'], closed: ['scoring'] };

export async function updateTour(db: Db, actor: Actor, id: number, version: number, changes: TourFields) {
  if (Object.keys(changes).length === 0) throw badRequest('Nothing to change.', { message_zh: '没有要修改的内容。' });
  await db.transaction(async (tx) => {
    const current = await lockTour(tx, actor, id, version);
    const before = await snapshot(tx, 'tour', id);
    const record = { ...current, ...changes };
    if (changes.scope === 'city' && changes.zone_id === undefined) record.zone_id = null;
    if (changes.scope === 'zone' && changes.city === undefined) record.city = null;
    requireManage(actor, record);
    if (changes.scope !== undefined || changes.city !== undefined || changes.zone_id !== undefined) {
      await checkScope(tx, record);
      const stops = await tx.query<{ project_id: number }>('SELECT project_id FROM tour_stops WHERE tour_id = $1', [id]);
      const { outside } = await outOfScope(
        tx,
        record,
        stops.map((s) => s.project_id),
      );
      if (outside.length)
        throw problemsError([
          {
            field: 'scope',
            en: `Stops outside the new scope: ${outside.map((p) => p.name).join(', ')}.`,
            zh: `以下点位不在新的范围内：${outside.map((p) => p.name).join('、')}。`,
          },
        ]);
    }
    if (changes.status !== undefined && changes.status !== current.status) {
      const to = changes.status as TourStatus;
      if (!TRANSITIONS[current.status].includes(to))
        throw new HttpError(409, 'status', `A tour cannot go from ${current.status} to ${to}. 观摩活动不能从该状态直接转为目标状态。`);
      if (to === 'scoring') {
        const [counts] = await tx.query<{ stops: number; judges: number }>(
          'SELECT (SELECT count(*) FROM tour_stops WHERE tour_id = $1)::int AS stops, (SELECT count(*) FROM tour_judges WHERE tour_id = $1)::int AS judges',
          [id],
        );
        const criteria = await tx.query<{ weight: number }>('SELECT weight FROM tour_criteria WHERE tour_id = $1', [id]);
        const problems: { field: string; en: string; zh: string }[] = [];
        if (counts.stops === 0) problems.push({ field: 'status', en: 'Add at least one stop before scoring.', zh: '评分前至少添加一个观摩点位。' });
        if (counts.judges === 0) problems.push({ field: 'status', en: 'Add at least one judge before scoring.', zh: '评分前至少添加一名评委。' });
        if (!criteria.length || !weightsSumTo100(criteria))
          problems.push({ field: 'status', en: 'The criteria’s weights must make 100.', zh: '评分细则的权重合计须为 100。' });
        if (problems.length) throw problemsError(problems);
      }
      if (to === 'planning' && (await scoreCount(tx, id)) > 0)
        throw new HttpError(409, 'scored', '已有评委评分，不能退回筹备。 Judges have scored: the tour cannot go back to planning.');
    }
    const columns = (['name', 'held_on', 'scope', 'city', 'zone_id', 'min_judges_for_trim', 'note', 'status'] as const).filter(
      (c) => changes[c] !== undefined || ((c === 'city' || c === 'zone_id') && changes.scope !== undefined),
    );
    await tx.query(`UPDATE tours SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')}, version = version + 1, updated_at = now() WHERE id = $1`, [
      id,
      ...columns.map((c) => (c === 'name' ? String(record.name).trim() : record[c])),
    ]);
    await recordAudit(tx, actor, {
      action: changes.status !== undefined && changes.status !== current.status ? `status_${changes.status}` : 'update',
      entity: 'tour',
      entityId: id,
      before,
      after: await snapshot(tx, 'tour', id),
    });
  });
  return tourDetail(db, actor, id);
}

export async function deleteTour(db: Db, actor: Actor, id: number): Promise<{ ok: true }> {
  await db.transaction(async (tx) => {
    await lockTour(tx, actor, id, null);
    if ((await scoreCount(tx, id)) > 0) throw new HttpError(409, 'scored', '已有评委评分的观摩活动不能删除。 A tour with scores cannot be deleted.');
    const before = await snapshot(tx, 'tour', id);
    await tx.query('DELETE FROM tours WHERE id = $1', [id]);
    await recordAudit(tx, actor, { action: 'delete', entity: 'tour', entityId: id, before, after: null });
  });
  return { ok: true };
}

function notClosed(tour: TourRow): void {
  if (tour.status === 'closed') throw new HttpError(409, 'closed', '观摩活动已结束，不能再修改。 The tour is closed: reopen it for scoring first.');
}

export async function setStops(
  db: Db,
  actor: Actor,
  id: number,
  input: { version: number; stops: { project_id: number; planned_time?: string | null; report_by?: string | null }[] },
) {
  await db.transaction(async (tx) => {
    const tour = await lockTour(tx, actor, id, input.version);
    notClosed(tour);
    const ids = input.stops.map((s) => s.project_id);
    const dupes = ids.filter((p, i) => ids.indexOf(p) !== i);
    if (dupes.length) throw problemsError([{ field: 'stops', en: `Project ${dupes[0]} is listed twice.`, zh: `项目 ${dupes[0]} 重复。` }]);
    const { missing, outside } = await outOfScope(tx, tour, ids);
    if (missing.length) throw problemsError([{ field: 'stops', en: `No project ${missing.join(', ')}.`, zh: `项目 ${missing.join('、')} 不存在。` }]);
    if (outside.length)
      throw problemsError([
        {
          field: 'stops',
          en: `Not in the tour’s ${tour.scope === 'city' ? 'city' : 'zone'}: ${outside.map((p) => p.name).join(', ')}.`,
          zh: `不在本次观摩的${tour.scope === 'city' ? '城市' : '园区'}范围内：${outside.map((p) => p.name).join('、')}。`,
        },
      ]);
    const before = await snapshot(tx, 'tour', id);
    const existing = await tx.query<{ project_id: number }>('SELECT project_id FROM tour_stops WHERE tour_id = $1', [id]);
    await tx.query('DELETE FROM tour_stops WHERE tour_id = $1 AND NOT (project_id = ANY($2::int[]))', [id, ids]);
    for (const [i, s] of input.stops.entries()) {
      if (existing.some((e) => e.project_id === s.project_id)) {
        await tx.query(
          `UPDATE tour_stops SET stop_order = $3${s.planned_time !== undefined ? ', planned_time = $4::time' : ''}${s.report_by !== undefined ? `, report_by = $${s.planned_time !== undefined ? 5 : 4}` : ''}
           WHERE tour_id = $1 AND project_id = $2`,
          [
            id,
            s.project_id,
            i + 1,
            ...(s.planned_time !== undefined ? [s.planned_time] : []),
            ...(s.report_by !== undefined ? [s.report_by?.trim() || null] : []),
          ],
        );
      } else {
        await tx.query('INSERT INTO tour_stops (tour_id, project_id, stop_order, planned_time, report_by) VALUES ($1, $2, $3, $4::time, $5)', [
          id,
          s.project_id,
          i + 1,
          s.planned_time ?? null,
          s.report_by?.trim() || null,
        ]);
      }
    }
    await bump(tx, id);
    await recordAudit(tx, actor, { action: 'stops', entity: 'tour', entityId: id, before, after: await snapshot(tx, 'tour', id) });
  });
  return tourDetail(db, actor, id);
}

export async function optimiseStops(db: Db, actor: Actor, id: number, version: number) {
  await db.transaction(async (tx) => {
    const tour = await lockTour(tx, actor, id, version);
    notClosed(tour);
    const stops = await tx.query<{ project_id: number; lon: number; lat: number }>(
      'SELECT s.project_id, ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat FROM tour_stops s JOIN projects p ON p.id = s.project_id WHERE s.tour_id = $1 ORDER BY s.stop_order',
      [id],
    );
    const order = nearestNeighbourOrder(stops.map((s) => [s.lon, s.lat] as LngLat));
    const before = await snapshot(tx, 'tour', id);
    for (const [i, index] of order.entries()) {
      await tx.query('UPDATE tour_stops SET stop_order = $3 WHERE tour_id = $1 AND project_id = $2', [id, stops[index].project_id, i + 1]);
    }
    await bump(tx, id);
    await recordAudit(tx, actor, { action: 'optimise_stops', entity: 'tour', entityId: id, before, after: await snapshot(tx, 'tour', id) });
  });
  return tourDetail(db, actor, id);
}

export async function setCriteria(
  db: Db,
  actor: Actor,
  id: number,
  input: { version: number; criteria: { name: string; weight: number; max_score: number }[] },
) {
  await db.transaction(async (tx) => {
    const tour = await lockTour(tx, actor, id, input.version);
    if (tour.status !== 'planning')
      throw new HttpError(409, 'not_planning', '评分开始后不能修改评分细则。 The criteria can be changed only while the tour is being planned.');
    const names = input.criteria.map((c) => c.name.trim());
    const problems: { field: string; en: string; zh: string }[] = [];
    if (names.some((n, i) => names.indexOf(n) !== i)) problems.push({ field: 'criteria', en: 'Two criteria have the same name.', zh: '评分项名称重复。' });
    if (!weightsSumTo100(input.criteria)) {
      const sum = input.criteria.reduce((s, c) => s + c.weight, 0);
      problems.push({ field: 'criteria', en: `The weights make ${sum}, not 100.`, zh: `权重合计为 ${sum}，应为 100。` });
    }
    if (problems.length) throw problemsError(problems);
    const before = await snapshot(tx, 'tour', id);
    await tx.query('DELETE FROM tour_criteria WHERE tour_id = $1', [id]);
    for (const [i, c] of input.criteria.entries()) {
      await tx.query('INSERT INTO tour_criteria (tour_id, name, weight, max_score, sort_order) VALUES ($1, $2, $3, $4, $5)', [
        id,
        c.name.trim(),
        c.weight,
        c.max_score,
        i + 1,
      ]);
    }
    await bump(tx, id);
    await recordAudit(tx, actor, { action: 'criteria', entity: 'tour', entityId: id, before, after: await snapshot(tx, 'tour', id) });
  });
  return tourDetail(db, actor, id);
}

export async function setJudges(db: Db, actor: Actor, id: number, input: { version: number; judges: { user_id: number; name?: string }[] }) {
  await db.transaction(async (tx) => {
    const tour = await lockTour(tx, actor, id, input.version);
    notClosed(tour);
    const ids = input.judges.map((j) => j.user_id);
    if (ids.some((u, i) => ids.indexOf(u) !== i)) throw problemsError([{ field: 'judges', en: 'An account is listed twice.', zh: '评委账号重复。' }]);
    const users = await tx.query<{ id: number; display_name: string }>('SELECT id, display_name FROM users WHERE id = ANY($1::int[]) AND active', [ids]);
    const missing = ids.filter((u) => !users.some((x) => x.id === u));
    if (missing.length)
      throw problemsError([{ field: 'judges', en: `No active account ${missing.join(', ')}.`, zh: `账号 ${missing.join('、')} 不存在或已停用。` }]);
    const before = await snapshot(tx, 'tour', id);
    await tx.query('DELETE FROM tour_judges WHERE tour_id = $1 AND (user_id IS NULL OR NOT (user_id = ANY($2::int[])))', [id, ids]);
    for (const [i, j] of input.judges.entries()) {
      const name = j.name?.trim() || users.find((u) => u.id === j.user_id)!.display_name;
      const [updated] = await tx.query('UPDATE tour_judges SET name = $3, sort_order = $4 WHERE tour_id = $1 AND user_id = $2 RETURNING id', [
        id,
        j.user_id,
        name,
        i + 1,
      ]);
      if (!updated) await tx.query('INSERT INTO tour_judges (tour_id, user_id, name, sort_order) VALUES ($1, $2, $3, $4)', [id, j.user_id, name, i + 1]);
    }
    await bump(tx, id);
    await recordAudit(tx, actor, { action: 'judges', entity: 'tour', entityId: id, before, after: await snapshot(tx, 'tour', id) });
  });
  return tourDetail(db, actor, id);
}

export async function judgeCandidates(db: Queryable) {
  return {
    accounts: await db.query<{ id: number; username: string; display_name: string; role: string }>(
      'SELECT id, username, display_name, role FROM users WHERE active ORDER BY username',
    ),
  };
}

/** A judge's scores for one project, all criteria at once; only the tour's judges, only while it is open for scoring. */
export async function putScores(db: Db, actor: Actor, id: number, input: { project_id: number; scores: { criterion_id: number; score: number }[] }) {
  return db.transaction(async (tx) => {
    const [tour] = await tx.query<{ status: TourStatus }>('SELECT status FROM tours WHERE id = $1 FOR SHARE', [id]);
    if (!tour) throw noTour(id);
    const [judge] = await tx.query<{ id: number; name: string }>('SELECT id, name FROM tour_judges WHERE tour_id = $1 AND user_id = $2', [id, actor.id]);
    if (!judge) throw forbidden('您不是本次观摩的评委，不能评分。 Only the judges of this tour may score it.');
    if (tour.status !== 'scoring')
      throw new HttpError(409, 'not_scoring', '观摩活动当前不在评分阶段。 The tour is not open for scoring.', {
        message_zh: '观摩活动当前不在评分阶段。',
      });
    const [stop] = await tx.query('SELECT 1 FROM tour_stops WHERE tour_id = $1 AND project_id = $2', [id, input.project_id]);
    if (!stop)
      throw problemsError([
        { field: 'project_id', en: `Project ${input.project_id} is not a stop of this tour.`, zh: `项目 ${input.project_id} 不是本次观摩的点位。` },
      ]);
    const criteria = await tx.query<{ id: number; name: string; weight: number; max_score: number }>(
      'SELECT id, name, weight, max_score FROM tour_criteria WHERE tour_id = $1 ORDER BY sort_order, id',
      [id],
    );
    const given = new Map(input.scores.map((s) => [s.criterion_id, s.score]));
    const problems: { field: string; en: string; zh: string }[] = [];
    if (given.size !== input.scores.length) problems.push({ field: 'scores', en: 'A criterion is scored twice.', zh: '同一评分项重复打分。' });
    for (const s of input.scores) {
      if (!criteria.some((c) => c.id === s.criterion_id))
        problems.push({ field: 'scores', en: `Criterion ${s.criterion_id} is not one of this tour’s.`, zh: `评分项 ${s.criterion_id} 不属于本次观摩。` });
    }
    input.scores.forEach((s, i) => {
      const c = criteria.find((x) => x.id === s.criterion_id);
      if (c && s.score > c.max_score)
        problems.push({
          field: `scores.${i}.score`,
          en: `${c.name}: ${s.score} is above its maximum ${c.max_score}.`,
          zh: `${c.name}：${s.score} 分超过满分 ${c.max_score} 分。`,
        });
    });
    for (const c of criteria) {
      if (!given.has(c.id))
        problems.push({ field: 'scores', en: `${c.name} is not scored: score every criterion at once.`, zh: `${c.name} 未打分：须一次为全部评分项打分。` });
    }
    if (problems.length) throw problemsError(problems);
    const sheet = async () =>
      Object.fromEntries(
        (
          await tx.query<{ name: string; score: number }>(
            'SELECT c.name, s.score FROM tour_scores s JOIN tour_criteria c ON c.id = s.criterion_id WHERE s.judge_id = $1 AND s.project_id = $2 ORDER BY c.sort_order',
            [judge.id, input.project_id],
          )
        ).map((r) => [r.name, r.score]),
      );
    const before = await sheet();
    await tx.query('DELETE FROM tour_scores WHERE judge_id = $1 AND project_id = $2', [judge.id, input.project_id]);
    for (const s of input.scores) {
      await tx.query('INSERT INTO tour_scores (tour_id, judge_id, project_id, criterion_id, score, entered_by) VALUES ($1, $2, $3, $4, $5, $6)', [
        id,
        judge.id,
        input.project_id,
        s.criterion_id,
        s.score,
        actor.id > 0 ? actor.id : null,
      ]);
    }
    const base = { tour_id: id, judge_id: judge.id, judge: judge.name, project_id: input.project_id };
    await recordAudit(tx, actor, {
      action: 'score',
      entity: 'tour_score',
      entityId: id,
      before: Object.keys(before).length ? { ...base, scores: before } : null,
      after: { ...base, scores: await sheet() },
      note: `project ${input.project_id}`,
    });
    return { project_id: input.project_id, total: judgeTotalPoints(criteria, given)! };
  });
}

interface StopFacts {
  stop_order: number;
  planned_time: string | null;
  report_by: string | null;
  project_id: number;
  project_name: string;
  zone_id: number;
  zone_name: string;
  county: string | null;
  city: string;
  enterprise_name: string | null;
  total_investment_wan: number | null;
  completed_investment_wan: number | null;
  stage: string;
  lon: number;
  lat: number;
}

async function stopFacts(db: Queryable, id: number): Promise<StopFacts[]> {
  return db.query<StopFacts>(
    `SELECT s.stop_order, to_char(s.planned_time, 'HH24:MI') AS planned_time, s.report_by, p.id AS project_id, p.name AS project_name, p.zone_id,
       z.name AS zone_name, z.county, z.city, e.name AS enterprise_name, p.total_investment_wan, p.completed_investment_wan, p.stage,
       ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
     FROM tour_stops s JOIN projects p ON p.id = s.project_id JOIN zones z ON z.id = p.zone_id LEFT JOIN enterprises e ON e.id = p.enterprise_id
     WHERE s.tour_id = $1 ORDER BY s.stop_order`,
    [id],
  );
}

export async function itineraryData(db: Queryable, id: number) {
  const tour = await tourRow(db, id);
  const stops = await stopFacts(db, id);
  const problems = await db.query<{ id: number; project_id: number; kind: string; title: string; due_on: string | null; level: string }>(
    `SELECT id, project_id, kind, title, to_char(due_on, 'YYYY-MM-DD') AS due_on, level FROM project_problems
     WHERE status <> 'closed' AND project_id = ANY($1::int[]) ORDER BY due_on NULLS LAST, id`,
    [stops.map((s) => s.project_id)],
  );
  const points = stops.map((s) => [s.lon, s.lat] as LngLat);
  const { legsKm, totalKm } = routeLengthKm(points);
  return {
    tour,
    total_km: totalKm,
    stops: stops.map((s, i) => ({
      ...s,
      progress_pct:
        s.total_investment_wan && s.completed_investment_wan !== null ? Math.min(100, (s.completed_investment_wan / s.total_investment_wan) * 100) : null,
      km_from_previous: legsKm[i],
      open_problems: problems.filter((p) => p.project_id === s.project_id).map(({ project_id: _p, ...p }) => p),
    })),
    route: {
      type: 'Feature' as const,
      geometry: points.length >= 2 ? { type: 'LineString' as const, coordinates: points } : null,
      properties: { total_km: totalKm },
    },
  };
}

export const RESULT_RULE = {
  zh: '每位评委的得分 = Σ（评分 ÷ 满分 × 权重），满分 100 分；未评完全部评分项的评委不计入该项目。评委人数达到设定值时去掉一个最高分和一个最低分后取平均，否则取全部平均。并列名次按竞赛排名（1、2、2、4），按两位小数比较。开发区、县（区）和城市的得分为其已评分项目得分的算术平均（不按投资加权）。',
  en: "Each judge's total = Σ (score ÷ maximum × weight), out of 100; a judge who did not score every criterion of a project is not counted for it. With at least the set number of judges the highest and the lowest totals are dropped before the mean; otherwise all are averaged. Ties share a rank (1, 2, 2, 4), compared to two decimals. A zone's, county's or city's score is the plain mean of its scored projects' scores (not weighted by investment).",
};

export async function resultsData(db: Queryable, id: number) {
  const tour = await tourRow(db, id);
  const [stops, criteria, judges, scores] = await Promise.all([
    stopFacts(db, id),
    db.query<{ id: number; name: string; weight: number; max_score: number; sort_order: number }>(
      'SELECT id, name, weight, max_score, sort_order FROM tour_criteria WHERE tour_id = $1 ORDER BY sort_order, id',
      [id],
    ),
    db.query<{ id: number; name: string }>('SELECT id, name FROM tour_judges WHERE tour_id = $1 ORDER BY sort_order, id', [id]),
    db.query<{ judge_id: number; project_id: number; criterion_id: number; score: number }>(
      'SELECT judge_id, project_id, criterion_id, score FROM tour_scores WHERE tour_id = $1',
      [id],
    ),
  ]);
  const perProject = projectScores(
    stops.map((s) => s.project_id),
    criteria,
    scores,
    tour.min_judges_for_trim,
  );
  const projects = competitionRanks(
    stops.map((s, i) => ({
      project_id: s.project_id,
      project_name: s.project_name,
      zone_id: s.zone_id,
      zone_name: s.zone_name,
      county: s.county,
      city: s.city,
      score: perProject[i].score,
      judges: perProject[i].judges,
      trimmed: perProject[i].trimmed,
      dropped: perProject[i].dropped,
      totals: perProject[i].totals,
    })),
  );
  const zoneNames = new Map(stops.map((s) => [String(s.zone_id), s.zone_name]));
  return {
    tour,
    criteria,
    judges,
    rule: RESULT_RULE,
    projects,
    // Zones are grouped by id (two zones may share a name) and shown by name.
    zones: groupRanking(projects.map((p) => ({ group: String(p.zone_id), score: p.score }))).map((g) => ({
      ...g,
      key: zoneNames.get(g.key)!,
      zone_id: Number(g.key),
    })),
    counties: groupRanking(projects.map((p) => ({ group: p.county ?? p.city, score: p.score }))),
    cities: groupRanking(projects.map((p) => ({ group: p.city, score: p.score }))),
  };
}

export type Itinerary = Awaited<ReturnType<typeof itineraryData>>;
export type TourResults = Awaited<ReturnType<typeof resultsData>>;
