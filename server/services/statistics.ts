/**
 * 入统: 规上 firms, the 培育库 (小升规) — firms not yet 规上 whose latest revenue is at or above the lower bound (a
 * setting) and below the 2000 万元 threshold — and projects started but not registered in the investment statistics.
 * A firm's zone is the zone of the parcel it uses (as owner first). Revenue is internal.
 */
import type { Actor } from '../../domain/permissions.ts';
import { ABOVE_SCALE_REVENUE_WAN, DEFAULT_CULTIVATION_LOWER_WAN, scaleClass, thresholdGap } from '../../domain/standardLand.ts';
import { conflictError, recordAudit, snapshot } from '../audit.ts';
import type { Db } from '../db/types.ts';
import { badRequest, notFound } from '../lib/http.ts';
import { loadSetting, saveSetting } from './settings.ts';
import { checkScope, scopeSql, type Scope } from './transfers.ts';

export const CULTIVATION_SETTING = 'cultivation_lower_wan';

type FirmRow = {
  id: number;
  zone_id: number | null;
  revenue_wan: number | null;
  above_scale: boolean;
} & Record<string, unknown>;

const FIRM_SELECT = `SELECT e.id, e.name, e.credit_code, e.industry, e.above_scale, e.above_scale_since, e.version, u.zone_id, z.name AS zone_name,
  f.year, f.revenue_wan
FROM enterprises e
LEFT JOIN LATERAL (SELECT p.zone_id FROM parcel_uses pu JOIN parcels p ON p.id = pu.parcel_id WHERE pu.enterprise_id = e.id
  ORDER BY (pu.role = 'owner') DESC, pu.area_m2 DESC LIMIT 1) u ON true
LEFT JOIN zones z ON z.id = u.zone_id
LEFT JOIN LATERAL (SELECT year, revenue_wan FROM enterprise_figures g WHERE g.enterprise_id = e.id AND g.revenue_wan IS NOT NULL ORDER BY year DESC LIMIT 1) f ON true`;

function shapeFirm(r: FirmRow, lower: number) {
  const gap = r.revenue_wan === null ? null : thresholdGap(r.revenue_wan);
  return { ...r, gap_wan: gap?.gapWan ?? null, share_pct: gap?.sharePercent ?? null, class: scaleClass(r.revenue_wan, lower) };
}

export async function cultivationLower(db: Db): Promise<{ value: { lower_wan: number }; version: number }> {
  return loadSetting(db, CULTIVATION_SETTING, { lower_wan: DEFAULT_CULTIVATION_LOWER_WAN });
}

export async function aboveScaleFirms(db: Db, scope: Scope) {
  await checkScope(db, scope);
  const values: unknown[] = [];
  const where = scopeSql(scope, 'u.zone_id', 'z.city', values);
  const { value } = await cultivationLower(db);
  const rows = await db.query<FirmRow>(`${FIRM_SELECT} WHERE e.above_scale AND ${where} ORDER BY f.revenue_wan DESC NULLS LAST, e.id`, values);
  return { threshold_wan: ABOVE_SCALE_REVENUE_WAN, firms: rows.map((r) => shapeFirm(r, value.lower_wan)) };
}

export async function cultivationFirms(db: Db, scope: Scope, lowerOverride?: number) {
  await checkScope(db, scope);
  const setting = await cultivationLower(db);
  const lower = lowerOverride ?? setting.value.lower_wan;
  const values: unknown[] = [lower, ABOVE_SCALE_REVENUE_WAN];
  const where = scopeSql(scope, 'u.zone_id', 'z.city', values);
  const rows = await db.query<FirmRow>(
    `${FIRM_SELECT} WHERE NOT e.above_scale AND f.revenue_wan >= $1 AND f.revenue_wan < $2 AND ${where} ORDER BY f.revenue_wan DESC, e.id`,
    values,
  );
  return { threshold_wan: ABOVE_SCALE_REVENUE_WAN, lower_wan: lower, setting_version: setting.version, firms: rows.map((r) => shapeFirm(r, lower)) };
}

export async function saveCultivationLower(db: Db, actor: Actor, lower: number, version: number) {
  const saved = await saveSetting(
    db,
    actor,
    CULTIVATION_SETTING,
    { lower_wan: lower },
    version,
    { lower_wan: DEFAULT_CULTIVATION_LOWER_WAN },
    'The 培育库 lower bound',
  );
  return { lower_wan: lower, version: saved };
}

export async function registerEnterprise(db: Db, actor: Actor, id: number, input: { version: number; above_scale: boolean; above_scale_since: number | null }) {
  if (!input.above_scale && input.above_scale_since !== null)
    throw badRequest('A year since 规上 needs above_scale true.', { message_zh: '未入规企业不能填写入规年份。' });
  await db.transaction(async (tx) => {
    const [e] = await tx.query<{ version: number }>('SELECT version FROM enterprises WHERE id = $1 FOR UPDATE', [id]);
    if (!e) throw notFound(`没有编号为 ${id} 的企业。 No enterprise ${id}.`);
    if (e.version !== input.version) throw await conflictError(tx, 'enterprise', id, input.version, (await snapshot(tx, 'enterprise', id))!);
    const before = await snapshot(tx, 'enterprise', id);
    await tx.query('UPDATE enterprises SET above_scale = $2, above_scale_since = $3, version = version + 1 WHERE id = $1', [
      id,
      input.above_scale,
      input.above_scale_since,
    ]);
    await recordAudit(tx, actor, {
      action: 'register',
      entity: 'enterprise',
      entityId: id,
      before,
      after: await snapshot(tx, 'enterprise', id),
      note: '规上入统',
    });
  });
  const { value } = await cultivationLower(db);
  const [row] = await db.query<FirmRow>(`${FIRM_SELECT} WHERE e.id = $1`, [id]);
  return shapeFirm(row, value.lower_wan);
}

export async function unregisteredProjects(db: Db, scope: Scope, today: string, limit: number) {
  await checkScope(db, scope);
  const values: unknown[] = [today];
  const where = scopeSql(scope, 'p.zone_id', 'z.city', values);
  const projects = await db.query(
    `SELECT p.id, p.name, p.zone_id, z.name AS zone_name, z.city, p.stage, p.started_date, ($1::date - p.started_date) AS days_since_start,
       p.total_investment_wan, p.completed_investment_wan, p.version
     FROM projects p JOIN zones z ON z.id = p.zone_id
     WHERE p.started_date IS NOT NULL AND p.started_date <= $1::date AND NOT p.stats_registered AND ${where}
     ORDER BY p.started_date, p.id LIMIT ${limit}`,
    values,
  );
  const [counts] = await db.query<{ started: number; registered: number }>(
    `SELECT count(*)::int AS started, count(*) FILTER (WHERE p.stats_registered)::int AS registered FROM projects p JOIN zones z ON z.id = p.zone_id
     WHERE p.started_date IS NOT NULL AND p.started_date <= $1::date AND ${where}`,
    values,
  );
  return { today, ...counts, projects };
}

export async function registerProject(
  db: Db,
  actor: Actor,
  id: number,
  input: { version: number; stats_registered: boolean; stats_registered_on: string | null },
  today: string,
) {
  if (input.stats_registered && !input.stats_registered_on)
    throw badRequest('A registered project needs the date it was registered.', { message_zh: '入库项目需填写入库日期。' });
  if (!input.stats_registered && input.stats_registered_on)
    throw badRequest('Only a registered project has a date.', { message_zh: '未入库项目不能填写入库日期。' });
  if (input.stats_registered_on && input.stats_registered_on > today)
    throw badRequest('The date cannot be after today.', { message_zh: '入库日期不能晚于今天。' });
  return db.transaction(async (tx) => {
    const [p] = await tx.query<{ version: number; zone_id: number }>('SELECT version, zone_id FROM projects WHERE id = $1 FOR UPDATE', [id]);
    if (!p) throw notFound(`没有编号为 ${id} 的项目。 No project ${id}.`);
    if (actor.zone_ids !== null && !actor.zone_ids.includes(p.zone_id)) throw notFound(`没有编号为 ${id} 的项目。 No project ${id}.`);
    if (p.version !== input.version) throw await conflictError(tx, 'project', id, input.version, (await snapshot(tx, 'project', id))!);
    const before = await snapshot(tx, 'project', id);
    await tx.query('UPDATE projects SET stats_registered = $2, stats_registered_on = $3::date, version = version + 1, updated_at = now() WHERE id = $1', [
      id,
      input.stats_registered,
      input.stats_registered_on,
    ]);
    await recordAudit(tx, actor, {
      action: 'register',
      entity: 'project',
      entityId: id,
      before,
      after: await snapshot(tx, 'project', id),
      note: '投资统计入库',
    });
    const [row] = await tx.query<{ id: number; stats_registered: boolean; stats_registered_on: string | null; version: number }>(
      'SELECT id, stats_registered, stats_registered_on, version FROM projects WHERE id = $1',
      [id],
    );
    return row;
  });
}
