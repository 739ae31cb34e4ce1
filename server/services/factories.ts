/**
 * 标准化厂房 leases. A building's leased_area_m2 is the sum of its leases active today, rewritten in the same
 * transaction as every lease write, so that the public catalogue's vacant floor area and the evaluation's use rate
 * follow the leases. Leases overlapping in time may not add up to more than the floor area (400, nothing written).
 */
import { can, type Actor } from '../../domain/permissions.ts';
import { checkLeases, isLeaseActive, leasedAreaOn, useRatePercent, type LeaseFacts } from '../../domain/standardLand.ts';
import { conflictError, recordAudit, snapshot } from '../audit.ts';
import { forbidden } from '../auth/middleware.ts';
import type { Db, Queryable } from '../db/types.ts';
import { HttpError, badRequest, notFound } from '../lib/http.ts';
import { checkScope, scopeSql, type Scope } from './transfers.ts';

type Row = Record<string, unknown>;
type BuildingRow = Row & { id: number; zone_id: number; floor_area_m2: number; leased_area_m2: number; version: number };
type LeaseRow = LeaseFacts & { id: number; building_id: number; enterprise_id: number | null; tenant_name: string; version: number };

const BUILDING_SELECT = `SELECT b.id, b.zone_id, z.name AS zone_name, z.city, b.parcel_id, b.name, b.floors, b.floor_area_m2, b.leased_area_m2,
  b.completed_year, b.version, (SELECT count(*)::int FROM factory_leases l WHERE l.building_id = b.id AND l.start_date <= $1::date
    AND (l.end_date IS NULL OR l.end_date >= $1::date)) AS tenants
FROM factory_buildings b JOIN zones z ON z.id = b.zone_id`;

function shape(b: BuildingRow): Row {
  return {
    ...b,
    vacant_area_m2: Math.round((b.floor_area_m2 - b.leased_area_m2) * 100) / 100,
    use_rate_pct: useRatePercent(b.leased_area_m2, b.floor_area_m2),
  };
}

export async function listBuildings(db: Db, scope: Scope, today: string): Promise<Row[]> {
  await checkScope(db, scope);
  const values: unknown[] = [today];
  const where = scopeSql(scope, 'b.zone_id', 'z.city', values);
  return (await db.query<BuildingRow>(`${BUILDING_SELECT} WHERE ${where} ORDER BY z.city, z.name, b.name`, values)).map(shape);
}

async function buildingRow(db: Queryable, id: number, today: string): Promise<Row> {
  const [b] = await db.query<BuildingRow>(`${BUILDING_SELECT} WHERE b.id = $2`, [today, id]);
  if (!b) throw notFound(`没有编号为 ${id} 的厂房。 No factory building ${id}.`);
  return shape(b);
}

async function leasesOf(db: Queryable, buildingId: number): Promise<LeaseRow[]> {
  return db.query<LeaseRow>(
    'SELECT id, building_id, enterprise_id, tenant_name, leased_area_m2, start_date, end_date, version FROM factory_leases WHERE building_id = $1 ORDER BY start_date DESC, id DESC',
    [buildingId],
  );
}

export async function buildingWithLeases(db: Queryable, id: number, today: string): Promise<{ building: Row; leases: Row[] }> {
  const building = await buildingRow(db, id, today);
  const leases = (await leasesOf(db, id)).map((l) => ({ ...l, active: isLeaseActive(l, today) }));
  return { building, leases };
}

function requireZone(actor: Actor, zoneId: number): void {
  if (!can(actor, 'factory.edit', zoneId))
    throw forbidden('只能登记本人负责的开发区的厂房租赁。 You may record leases only for the zones you are assigned to.');
}

/**
 * After a lease write in an open transaction: refuses leases that overlap beyond the floor area, and sets the
 * building's leased area to its leases active today. Returns the problems (empty when all is well).
 */
export async function settleBuilding(tx: Queryable, buildingId: number, today: string): Promise<{ en: string; zh: string }[]> {
  const [b] = await tx.query<{ floor_area_m2: number }>('SELECT floor_area_m2 FROM factory_buildings WHERE id = $1', [buildingId]);
  const leases = await leasesOf(tx, buildingId);
  const problems = checkLeases(leases, b.floor_area_m2);
  if (problems.length) return problems;
  await tx.query('UPDATE factory_buildings SET leased_area_m2 = $2, version = version + 1 WHERE id = $1', [buildingId, leasedAreaOn(leases, today)]);
  return [];
}

function leaseProblems(problems: { en: string; zh: string }[]) {
  return badRequest(problems.map((p) => p.en).join(' '), {
    fields: problems.map((p) => ({ field: 'leased_area_m2', message: p.en, message_zh: p.zh })),
    message_zh: problems.map((p) => p.zh).join(' '),
  });
}

async function lockBuilding(tx: Queryable, actor: Actor, id: number): Promise<BuildingRow> {
  const [b] = await tx.query<BuildingRow>('SELECT id, zone_id, floor_area_m2, leased_area_m2, version FROM factory_buildings WHERE id = $1 FOR UPDATE', [id]);
  if (!b) throw notFound(`没有编号为 ${id} 的厂房。 No factory building ${id}.`);
  requireZone(actor, b.zone_id);
  return b;
}

export interface LeaseInput {
  enterprise_id?: number | null;
  tenant_name: string;
  leased_area_m2: number;
  start_date: string;
  end_date?: string | null;
}

/** Inserts a lease in an open transaction (the route and the import share it); throws on overlap. */
export async function insertLease(tx: Queryable, actor: Actor, buildingId: number, input: LeaseInput, today: string, action = 'create'): Promise<number> {
  await lockBuilding(tx, actor, buildingId);
  if (input.end_date && input.end_date < input.start_date) throw leaseProblems([{ en: 'A lease ends before it starts.', zh: '租赁结束日期早于开始日期。' }]);
  if (input.enterprise_id != null) {
    const [e] = await tx.query('SELECT id FROM enterprises WHERE id = $1', [input.enterprise_id]);
    if (!e) throw badRequest(`Enterprise ${input.enterprise_id} does not exist.`, { message_zh: `企业 ${input.enterprise_id} 不存在。` });
  }
  const [{ id }] = await tx.query<{ id: number }>(
    `INSERT INTO factory_leases (building_id, enterprise_id, tenant_name, leased_area_m2, start_date, end_date) VALUES ($1, $2, $3, $4, $5::date, $6::date) RETURNING id`,
    [buildingId, input.enterprise_id ?? null, input.tenant_name.trim(), input.leased_area_m2, input.start_date, input.end_date ?? null],
  );
  const problems = await settleBuilding(tx, buildingId, today);
  if (problems.length) throw leaseProblems(problems);
  await recordAudit(tx, actor, { action, entity: 'factory_lease', entityId: id, before: null, after: await snapshot(tx, 'factory_lease', id) });
  return id;
}

export async function addLease(db: Db, actor: Actor, buildingId: number, input: LeaseInput, today: string) {
  return db.transaction(async (tx) => {
    await insertLease(tx, actor, buildingId, input, today);
    return buildingWithLeases(tx, buildingId, today);
  });
}

async function lockLease(tx: Queryable, actor: Actor, id: number, version: number): Promise<LeaseRow> {
  const [l] = await tx.query<LeaseRow>('SELECT * FROM factory_leases WHERE id = $1 FOR UPDATE', [id]);
  if (!l) throw notFound(`没有编号为 ${id} 的租赁记录。 No lease ${id}.`);
  await lockBuilding(tx, actor, l.building_id);
  if (l.version !== version) throw await conflictError(tx, 'factory_lease', id, version, (await snapshot(tx, 'factory_lease', id))!);
  return l;
}

const LEASE_WRITABLE = ['enterprise_id', 'tenant_name', 'leased_area_m2', 'start_date', 'end_date'] as const;

export async function updateLease(db: Db, actor: Actor, id: number, version: number, changes: Partial<LeaseInput>, today: string) {
  const columns = LEASE_WRITABLE.filter((c) => changes[c] !== undefined);
  if (!columns.length) throw badRequest('Nothing to change.', { message_zh: '没有要修改的内容。' });
  return db.transaction(async (tx) => {
    const current = await lockLease(tx, actor, id, version);
    const next = { ...current, ...changes };
    if (next.end_date && next.end_date < next.start_date) throw leaseProblems([{ en: 'A lease ends before it starts.', zh: '租赁结束日期早于开始日期。' }]);
    const before = await snapshot(tx, 'factory_lease', id);
    await tx.query(
      `UPDATE factory_leases SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')}, version = version + 1, updated_at = now() WHERE id = $1`,
      [id, ...columns.map((c) => changes[c])],
    );
    const problems = await settleBuilding(tx, current.building_id, today);
    if (problems.length) throw leaseProblems(problems);
    await recordAudit(tx, actor, { action: 'update', entity: 'factory_lease', entityId: id, before, after: await snapshot(tx, 'factory_lease', id) });
    return buildingWithLeases(tx, current.building_id, today);
  });
}

export async function deleteLease(db: Db, actor: Actor, id: number, version: number, today: string) {
  return db.transaction(async (tx) => {
    const current = await lockLease(tx, actor, id, version);
    const before = await snapshot(tx, 'factory_lease', id);
    await tx.query('DELETE FROM factory_leases WHERE id = $1', [id]);
    await settleBuilding(tx, current.building_id, today);
    await recordAudit(tx, actor, { action: 'delete', entity: 'factory_lease', entityId: id, before, after: null });
    return buildingWithLeases(tx, current.building_id, today);
  });
}

export async function setCompletedYear(db: Db, actor: Actor, id: number, version: number, year: number | null, today: string): Promise<Row> {
  return db.transaction(async (tx) => {
    const b = await lockBuilding(tx, actor, id);
    if (b.version !== version)
      throw new HttpError(409, 'conflict', `The building was changed meanwhile (version ${version} → ${b.version}); reload it. 厂房已被他人修改，请刷新。`, {
        currentVersion: b.version,
      });
    await tx.query('UPDATE factory_buildings SET completed_year = $2, version = version + 1 WHERE id = $1', [id, year]);
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'factory_lease',
      entityId: null,
      before: { building_id: id, completed_year: (b as Row).completed_year ?? null },
      after: { building_id: id, completed_year: year },
      note: `厂房 ${id} 竣工年份`,
    });
    return buildingRow(tx, id, today);
  });
}

/** Use rate per zone and in total (Σ leased ÷ Σ floor area, never an average of rates) against the year's target. */
export async function useRateFor(db: Db, scope: Scope, year: number) {
  await checkScope(db, scope);
  const values: unknown[] = [year];
  const where = scopeSql(scope, 'z.id', 'z.city', values);
  const rows = await db.query<{
    zone_id: number;
    zone_name: string;
    city: string;
    buildings: number;
    floor_area_m2: number;
    leased_area_m2: number;
    new_floor_area_m2: number;
    target_pct: number | null;
    new_factory_target_m2: number | null;
  }>(
    `SELECT z.id AS zone_id, z.name AS zone_name, z.city, count(b.id)::int AS buildings, coalesce(sum(b.floor_area_m2), 0) AS floor_area_m2,
       coalesce(sum(b.leased_area_m2), 0) AS leased_area_m2, coalesce(sum(b.floor_area_m2) FILTER (WHERE b.completed_year = $1), 0) AS new_floor_area_m2,
       (SELECT s.factory_use_target_pct FROM supply_targets s WHERE s.zone_id = z.id AND s.year = $1) AS target_pct,
       (SELECT s.new_factory_target_m2 FROM supply_targets s WHERE s.zone_id = z.id AND s.year = $1) AS new_factory_target_m2
     FROM zones z JOIN factory_buildings b ON b.zone_id = z.id WHERE ${where} GROUP BY z.id, z.name, z.city ORDER BY z.city, z.name`,
    values,
  );
  const r2 = (v: number) => Math.round(v * 100) / 100;
  const zones = rows.map((r) => ({
    ...r,
    vacant_area_m2: r2(r.floor_area_m2 - r.leased_area_m2),
    use_rate_pct: useRatePercent(r.leased_area_m2, r.floor_area_m2),
  }));
  const floor = zones.reduce((s, z) => s + z.floor_area_m2, 0);
  const leased = zones.reduce((s, z) => s + z.leased_area_m2, 0);
  const targets = zones.map((z) => z.target_pct).filter((t): t is number => t !== null);
  const newTargets = zones.map((z) => z.new_factory_target_m2).filter((t): t is number => t !== null);
  return {
    year,
    total: {
      buildings: zones.reduce((s, z) => s + z.buildings, 0),
      floor_area_m2: r2(floor),
      leased_area_m2: r2(leased),
      vacant_area_m2: r2(floor - leased),
      use_rate_pct: useRatePercent(leased, floor),
      // One target for the scope when its zones agree on it.
      target_pct: targets.length && targets.every((t) => t === targets[0]) ? targets[0] : null,
      new_floor_area_m2: r2(zones.reduce((s, z) => s + z.new_floor_area_m2, 0)),
      new_factory_target_m2: newTargets.length ? r2(newTargets.reduce((s, v) => s + v, 0)) : null,
    },
    zones,
  };
}
