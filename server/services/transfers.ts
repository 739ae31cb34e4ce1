/**
 * 标准地 transfers: recorded for a 标准地 parcel not yet transferred, with the parcel's indicators copied (frozen) into
 * the record; acceptance checks judged by domain/standardLand.ts on the server; the consequence followed up;
 * figures per period and scope against the yearly supply target. Every write is one transaction with its audit
 * entry; zone limits apply to writes; prices are internal (no public route reads these tables).
 */
import { can, type Actor } from '../../domain/permissions.ts';
import type { StandardLandIndicators } from '../../domain/parcelFields.ts';
import {
  compareFollowUps,
  daysToDeadline,
  isOverdue,
  judgeAcceptance,
  transferFigures,
  type ActualFigures,
  type FollowUpStatus,
  type TransferFigures,
} from '../../domain/standardLand.ts';
import { areaMuFromSquareMetres } from '../../domain/units.ts';
import { conflictError, recordAudit, snapshot } from '../audit.ts';
import { forbidden } from '../auth/middleware.ts';
import type { Db, Queryable } from '../db/types.ts';
import { HttpError, badRequest, notFound } from '../lib/http.ts';
import { knownZones } from '../lib/zoneFilter.ts';

export const AGREED_COLUMNS = [
  'min_investment_intensity_wan_per_mu',
  'min_floor_area_ratio',
  'max_floor_area_ratio',
  'min_tax_per_mu_wan',
  'max_energy_tce_per_wan',
  'environment_standard',
  'min_building_coverage_pct',
  'max_admin_facility_pct',
  'max_green_pct',
] as const satisfies readonly (keyof StandardLandIndicators)[];

export interface Scope {
  zoneIds?: number[];
  city?: string;
}

export function scopeSql(scope: Scope, zoneColumn: string, cityColumn: string, values: unknown[]): string {
  const parts: string[] = [];
  if (scope.zoneIds?.length) {
    values.push(scope.zoneIds);
    parts.push(`${zoneColumn} = ANY($${values.length}::int[])`);
  }
  if (scope.city) {
    values.push(scope.city);
    parts.push(`${cityColumn} = $${values.length}`);
  }
  return parts.length ? parts.join(' AND ') : 'true';
}

export async function checkScope(db: Db, scope: Scope): Promise<void> {
  if (scope.zoneIds?.length) await knownZones(db, scope.zoneIds);
}

const TRANSFER_SELECT = `SELECT t.id, t.parcel_id, p.code AS parcel_code, t.zone_id, z.name AS zone_name, z.city, t.transferred_on, t.contract_no,
  t.enterprise_id, t.enterprise_name, t.price_wan, t.area_mu, t.agreed, t.note, t.version
FROM land_transfers t JOIN parcels p ON p.id = t.parcel_id JOIN zones z ON z.id = t.zone_id`;

const ACCEPTANCE_SELECT = `SELECT a.id, a.transfer_id, a.kind, a.accepted_on, a.actual, a.results, a.overall_met, a.consequence, a.penalty_wan,
  a.correction_deadline, a.follow_up_status, a.follow_up_note, a.version FROM transfer_acceptances a`;

type Row = Record<string, unknown>;
export type AcceptanceRow = Row & {
  id: number;
  transfer_id: number;
  overall_met: boolean | null;
  follow_up_status: FollowUpStatus;
  correction_deadline: string | null;
  results: { key: string; met: boolean | null }[];
};

function withFollowUp(a: AcceptanceRow, today: string): Row {
  return {
    ...a,
    missed: a.results.filter((r) => r.met === false).map((r) => r.key),
    overdue: isOverdue(a, today),
    days_to_deadline: daysToDeadline(a.correction_deadline, today),
  };
}

async function withAcceptances(db: Queryable, transfers: Row[], today: string): Promise<Row[]> {
  if (!transfers.length) return [];
  const acceptances = await db.query<AcceptanceRow>(`${ACCEPTANCE_SELECT} WHERE a.transfer_id = ANY($1::int[]) ORDER BY a.accepted_on, a.id`, [
    transfers.map((t) => t.id),
  ]);
  return transfers.map((t) => ({ ...t, acceptances: acceptances.filter((a) => a.transfer_id === t.id).map((a) => withFollowUp(a, today)) }));
}

export async function listTransfers(db: Db, scope: Scope & { from?: string; to?: string; limit?: number }, today: string): Promise<Row[]> {
  await checkScope(db, scope);
  const values: unknown[] = [];
  let where = scopeSql(scope, 't.zone_id', 'z.city', values);
  if (scope.from) {
    values.push(scope.from);
    where += ` AND t.transferred_on >= $${values.length}::date`;
  }
  if (scope.to) {
    values.push(scope.to);
    where += ` AND t.transferred_on <= $${values.length}::date`;
  }
  const rows = await db.query(`${TRANSFER_SELECT} WHERE ${where} ORDER BY t.transferred_on DESC, t.id DESC LIMIT ${scope.limit ?? 500}`, values);
  return withAcceptances(db, rows, today);
}

export async function transferOfParcel(db: Queryable, parcelId: number, today: string): Promise<Row | null> {
  const [parcel] = await db.query('SELECT id FROM parcels WHERE id = $1', [parcelId]);
  if (!parcel) throw notFound(`没有编号为 ${parcelId} 的地块。 No parcel ${parcelId}.`);
  const rows = await db.query(`${TRANSFER_SELECT} WHERE t.parcel_id = $1`, [parcelId]);
  return (await withAcceptances(db, rows, today))[0] ?? null;
}

async function transferById(db: Queryable, id: number, today: string): Promise<Row> {
  const rows = await db.query(`${TRANSFER_SELECT} WHERE t.id = $1`, [id]);
  if (!rows.length) throw notFound(`没有编号为 ${id} 的出让记录。 No transfer ${id}.`);
  return (await withAcceptances(db, rows, today))[0];
}

function requireZone(actor: Actor, zoneId: number): void {
  if (!can(actor, 'transfer.edit', zoneId))
    throw forbidden('只能登记本人负责的开发区的出让与复核。 You may record transfers only for the zones you are assigned to.');
}

function fieldError(field: string, en: string, zh: string): HttpError {
  return badRequest(en, { fields: [{ field, message: en, message_zh: zh }], message_zh: zh });
}

export interface TransferInput {
  parcel_id: number;
  transferred_on: string;
  contract_no: string;
  enterprise_id?: number | null;
  enterprise_name: string;
  price_wan?: number | null;
  area_mu?: number;
  note?: string | null;
}

/** Records a transfer in an open transaction (the route's create and the import share it). Returns the id. */
export async function insertTransfer(tx: Queryable, actor: Actor, input: TransferInput, today: string, action = 'create'): Promise<number> {
  if (input.transferred_on > today) throw fieldError('transferred_on', 'The transfer date cannot be after today.', '出让日期不能晚于今天。');
  const [parcel] = await tx.query<Row & { zone_id: number; is_standard_land: boolean; area_m2: number; code: string }>(
    `SELECT id, zone_id, code, is_standard_land, area_m2, ${AGREED_COLUMNS.join(', ')} FROM parcels WHERE id = $1 FOR UPDATE`,
    [input.parcel_id],
  );
  if (!parcel) throw notFound(`没有编号为 ${input.parcel_id} 的地块。 No parcel ${input.parcel_id}.`);
  requireZone(actor, parcel.zone_id);
  if (!parcel.is_standard_land)
    throw fieldError(
      'parcel_id',
      `Parcel ${parcel.code} is not 标准地: only 标准地 is transferred with agreed indicators.`,
      `地块 ${parcel.code} 不是标准地，不能登记标准地出让。`,
    );
  const [existing] = await tx.query<{ id: number }>('SELECT id FROM land_transfers WHERE parcel_id = $1', [input.parcel_id]);
  if (existing)
    throw new HttpError(
      409,
      'already_transferred',
      `地块 ${parcel.code} 已登记出让（记录 ${existing.id}）。 Parcel ${parcel.code} is already transferred (record ${existing.id}).`,
      {
        transfer_id: existing.id,
      },
    );
  if (input.enterprise_id != null) {
    const [e] = await tx.query('SELECT id FROM enterprises WHERE id = $1', [input.enterprise_id]);
    if (!e) throw fieldError('enterprise_id', `Enterprise ${input.enterprise_id} does not exist.`, `企业 ${input.enterprise_id} 不存在。`);
  }
  const agreed = Object.fromEntries(AGREED_COLUMNS.map((c) => [c, parcel[c] ?? null]));
  const areaMu = input.area_mu ?? Math.round(areaMuFromSquareMetres(parcel.area_m2) * 100) / 100;
  const [{ id }] = await tx.query<{ id: number }>(
    `INSERT INTO land_transfers (parcel_id, zone_id, transferred_on, contract_no, enterprise_id, enterprise_name, price_wan, area_mu, agreed, note)
     VALUES ($1, $2, $3::date, $4, $5, $6, $7, $8, $9::jsonb, $10) RETURNING id`,
    [
      input.parcel_id,
      parcel.zone_id,
      input.transferred_on,
      input.contract_no.trim(),
      input.enterprise_id ?? null,
      input.enterprise_name.trim(),
      input.price_wan ?? null,
      areaMu,
      JSON.stringify(agreed),
      input.note ?? null,
    ],
  );
  await recordAudit(tx, actor, {
    action,
    entity: 'land_transfer',
    entityId: id,
    before: null,
    after: await snapshot(tx, 'land_transfer', id),
    note: parcel.code,
  });
  return id;
}

/** The parcel a form names by its code (and zone when the code repeats): 400 when unknown or ambiguous. */
async function parcelByCode(tx: Queryable, code: string, zoneId: number | undefined): Promise<number> {
  const found = await tx.query<{ id: number }>('SELECT id FROM parcels WHERE code = $1 AND ($2::int IS NULL OR zone_id = $2) LIMIT 2', [
    code.trim(),
    zoneId ?? null,
  ]);
  if (found.length === 1) return found[0].id;
  const short = code.trim().slice(0, 40);
  const [zh, en] =
    found.length === 0
      ? [`没有编号为“${short}”的地块${zoneId ? '（该开发区内）' : ''}。`, `No parcel has the code "${short}"${zoneId ? ' in this zone' : ''}.`]
      : [`地块编号“${short}”在多个开发区重复，请选择开发区。`, `The code "${short}" is in several zones: choose the zone.`];
  throw badRequest(`${zh} ${en}`, { fields: [{ field: 'parcel_code', message: en, message_zh: zh }], message_zh: zh });
}

export async function createTransfer(
  db: Db,
  actor: Actor,
  input: Omit<TransferInput, 'parcel_id'> & { parcel_id?: number; parcel_code?: string; zone_id?: number },
  today: string,
): Promise<Row> {
  const { parcel_code, zone_id, ...rest } = input;
  if (rest.parcel_id === undefined && !parcel_code?.trim())
    throw badRequest('请填写地块编号。 Give the parcel (its code or id).', {
      fields: [{ field: 'parcel_code', message: 'Give the parcel (its code or id).', message_zh: '请填写地块编号。' }],
      message_zh: '请填写地块编号。',
    });
  return db.transaction(async (tx) => {
    const parcelId = rest.parcel_id ?? (await parcelByCode(tx, parcel_code!, zone_id));
    return transferById(tx, await insertTransfer(tx, actor, { ...rest, parcel_id: parcelId }, today), today);
  });
}

async function lockTransfer(tx: Queryable, actor: Actor, id: number, version: number): Promise<Row & { zone_id: number }> {
  const [row] = await tx.query<Row & { zone_id: number; version: number }>('SELECT * FROM land_transfers WHERE id = $1 FOR UPDATE', [id]);
  if (!row) throw notFound(`没有编号为 ${id} 的出让记录。 No transfer ${id}.`);
  requireZone(actor, row.zone_id);
  if (row.version !== version) throw await conflictError(tx, 'land_transfer', id, version, (await snapshot(tx, 'land_transfer', id))!);
  return row;
}

const TRANSFER_WRITABLE = ['transferred_on', 'contract_no', 'enterprise_id', 'enterprise_name', 'price_wan', 'area_mu', 'note'] as const;

export async function updateTransfer(db: Db, actor: Actor, id: number, version: number, changes: Partial<TransferInput>, today: string): Promise<Row> {
  const columns = TRANSFER_WRITABLE.filter((c) => changes[c] !== undefined);
  if (!columns.length) throw badRequest('Nothing to change.', { message_zh: '没有要修改的内容。' });
  if (changes.transferred_on && changes.transferred_on > today)
    throw fieldError('transferred_on', 'The transfer date cannot be after today.', '出让日期不能晚于今天。');
  return db.transaction(async (tx) => {
    await lockTransfer(tx, actor, id, version);
    const before = await snapshot(tx, 'land_transfer', id);
    await tx.query(
      `UPDATE land_transfers SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')}, version = version + 1, updated_at = now() WHERE id = $1`,
      [id, ...columns.map((c) => changes[c])],
    );
    await recordAudit(tx, actor, { action: 'update', entity: 'land_transfer', entityId: id, before, after: await snapshot(tx, 'land_transfer', id) });
    return transferById(tx, id, today);
  });
}

export async function deleteTransfer(db: Db, actor: Actor, id: number, version: number): Promise<{ ok: true }> {
  return db.transaction(async (tx) => {
    await lockTransfer(tx, actor, id, version);
    const [{ n }] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM transfer_acceptances WHERE transfer_id = $1', [id]);
    if (n > 0) throw new HttpError(409, 'has_acceptances', '该出让记录已有验收复核，不能删除。 The transfer has acceptance checks: it cannot be removed.');
    const before = await snapshot(tx, 'land_transfer', id);
    await tx.query('DELETE FROM land_transfers WHERE id = $1', [id]);
    await recordAudit(tx, actor, { action: 'delete', entity: 'land_transfer', entityId: id, before, after: null });
    return { ok: true as const };
  });
}

export interface AcceptanceInput {
  kind: string;
  accepted_on: string;
  actual: ActualFigures;
  consequence?: string | null;
  penalty_wan?: number | null;
  correction_deadline?: string | null;
}

export async function addAcceptance(db: Db, actor: Actor, transferId: number, input: AcceptanceInput, today: string): Promise<Row> {
  if (input.accepted_on > today) throw fieldError('accepted_on', 'The acceptance date cannot be after today.', '验收日期不能晚于今天。');
  if (input.correction_deadline && input.correction_deadline < input.accepted_on)
    throw fieldError('correction_deadline', 'The correction deadline cannot be before the acceptance.', '整改期限不能早于验收日期。');
  return db.transaction(async (tx) => {
    const [t] = await tx.query<{ zone_id: number; agreed: StandardLandIndicators; transferred_on: string }>(
      'SELECT zone_id, agreed, transferred_on FROM land_transfers WHERE id = $1 FOR UPDATE',
      [transferId],
    );
    if (!t) throw notFound(`没有编号为 ${transferId} 的出让记录。 No transfer ${transferId}.`);
    requireZone(actor, t.zone_id);
    if (input.accepted_on < t.transferred_on) throw fieldError('accepted_on', 'The acceptance cannot be before the transfer.', '验收日期不能早于出让日期。');
    const judgement = judgeAcceptance(t.agreed, input.actual);
    // Met: nothing to follow up.
    const status: FollowUpStatus = judgement.overall_met === false ? 'open' : 'closed';
    const [{ id }] = await tx.query<{ id: number }>(
      `INSERT INTO transfer_acceptances (transfer_id, kind, accepted_on, actual, results, overall_met, consequence, penalty_wan, correction_deadline, follow_up_status)
       VALUES ($1, $2, $3::date, $4::jsonb, $5::jsonb, $6, $7, $8, $9::date, $10) RETURNING id`,
      [
        transferId,
        input.kind,
        input.accepted_on,
        JSON.stringify(input.actual),
        JSON.stringify(judgement.results),
        judgement.overall_met,
        input.consequence ?? null,
        input.penalty_wan ?? null,
        input.correction_deadline ?? null,
        status,
      ],
    );
    await recordAudit(tx, actor, {
      action: 'create',
      entity: 'transfer_acceptance',
      entityId: id,
      before: null,
      after: await snapshot(tx, 'transfer_acceptance', id),
      note: judgement.missed.length ? `未达标：${judgement.missed.join(', ')}` : undefined,
    });
    return transferById(tx, transferId, today);
  });
}

const FOLLOW_UP_WRITABLE = ['follow_up_status', 'follow_up_note', 'consequence', 'penalty_wan', 'correction_deadline'] as const;

export async function updateFollowUp(
  db: Db,
  actor: Actor,
  id: number,
  version: number,
  changes: Partial<Record<(typeof FOLLOW_UP_WRITABLE)[number], unknown>>,
  today: string,
): Promise<Row> {
  const columns = FOLLOW_UP_WRITABLE.filter((c) => changes[c] !== undefined);
  if (!columns.length) throw badRequest('Nothing to change.', { message_zh: '没有要修改的内容。' });
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ zone_id: number; version: number }>(
      'SELECT t.zone_id, a.version FROM transfer_acceptances a JOIN land_transfers t ON t.id = a.transfer_id WHERE a.id = $1 FOR UPDATE OF a',
      [id],
    );
    if (!row) throw notFound(`没有编号为 ${id} 的验收复核。 No acceptance ${id}.`);
    requireZone(actor, row.zone_id);
    if (row.version !== version) throw await conflictError(tx, 'transfer_acceptance', id, version, (await snapshot(tx, 'transfer_acceptance', id))!);
    const before = await snapshot(tx, 'transfer_acceptance', id);
    await tx.query(
      `UPDATE transfer_acceptances SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')}, version = version + 1, updated_at = now() WHERE id = $1`,
      [id, ...columns.map((c) => changes[c])],
    );
    await recordAudit(tx, actor, {
      action: 'follow_up',
      entity: 'transfer_acceptance',
      entityId: id,
      before,
      after: await snapshot(tx, 'transfer_acceptance', id),
      note: changes.follow_up_status as string | undefined,
    });
    const [a] = await tx.query<AcceptanceRow>(`${ACCEPTANCE_SELECT} WHERE a.id = $1`, [id]);
    return withFollowUp(a, today);
  });
}

/** Acceptances with a missed indicator and an open consequence, overdue first. */
export async function followUps(db: Db, scope: Scope, today: string): Promise<Row[]> {
  await checkScope(db, scope);
  const values: unknown[] = [];
  const where = scopeSql(scope, 't.zone_id', 'z.city', values);
  const rows = await db.query<AcceptanceRow>(
    `SELECT a.id, a.transfer_id, a.kind, a.accepted_on, a.actual, a.results, a.overall_met, a.consequence, a.penalty_wan, a.correction_deadline,
       a.follow_up_status, a.follow_up_note, a.version, t.parcel_id, p.code AS parcel_code, t.zone_id, z.name AS zone_name, z.city, t.enterprise_name, t.contract_no
     FROM transfer_acceptances a JOIN land_transfers t ON t.id = a.transfer_id JOIN parcels p ON p.id = t.parcel_id JOIN zones z ON z.id = t.zone_id
     WHERE a.overall_met = false AND a.follow_up_status = 'open' AND ${where}`,
    values,
  );
  return rows.sort(compareFollowUps(today)).map((a) => withFollowUp(a, today));
}

type FiguresRow = TransferFigures & { key: string; name: string; reserveMu: number; reserveTargetMu: number | null };

/** Figures per zone of the scope and in total, against the targets of the year of `to`. */
export async function transferFiguresFor(
  db: Db,
  scope: Scope,
  from: string,
  to: string,
): Promise<{ from: string; to: string; year: number; total: FiguresRow; zones: FiguresRow[] }> {
  if (from > to) throw fieldError('from', '"from" is after "to".', '开始日期晚于结束日期。');
  await checkScope(db, scope);
  const year = Number(to.slice(0, 4));
  const values: unknown[] = [];
  const where = scopeSql(scope, 'z.id', 'z.city', values);
  const zones = await db.query<{ id: number; name: string; city: string }>(
    `SELECT z.id, z.name, z.city FROM zones z WHERE ${where} ORDER BY z.city, z.name`,
    values,
  );
  const ids = zones.map((z) => z.id);
  const transfers = await db.query<{ zone_id: number; transferred_on: string; area_mu: number; price_wan: number | null }>(
    'SELECT zone_id, transferred_on, area_mu, price_wan FROM land_transfers WHERE zone_id = ANY($1::int[])',
    [ids],
  );
  // 标准地 in reserve or ready to offer (储备 / 可供应) now.
  const reserve = await db.query<{ zone_id: number; mu: number }>(
    `SELECT zone_id, sum(area_m2) / (10000.0 / 15) AS mu FROM parcels WHERE is_standard_land AND status IN ('reserve', 'available') AND zone_id = ANY($1::int[]) GROUP BY zone_id`,
    [ids],
  );
  const targets = await db.query<{ zone_id: number | null; city: string | null; supply_target_mu: number | null; reserve_target_mu: number | null }>(
    'SELECT zone_id, city, supply_target_mu, reserve_target_mu FROM supply_targets WHERE year = $1',
    [year],
  );
  const r2 = (v: number) => Math.round(v * 100) / 100;
  const rows: FiguresRow[] = zones.map((z) => {
    const t = targets.find((x) => x.zone_id === z.id);
    return {
      key: String(z.id),
      name: z.name,
      ...transferFigures(
        transfers.filter((x) => x.zone_id === z.id),
        from,
        to,
        t?.supply_target_mu ?? null,
      ),
      reserveMu: r2(reserve.find((x) => x.zone_id === z.id)?.mu ?? 0),
      reserveTargetMu: t?.reserve_target_mu ?? null,
    };
  });
  // The scope's target: a city's own target where it has one, else the sum of its zones' targets.
  const cities = [...new Set(zones.map((z) => z.city))];
  const sumOrNull = (vals: (number | null)[]) => (vals.some((v) => v !== null) ? vals.reduce<number>((s, v) => s + (v ?? 0), 0) : null);
  const cityTarget = (city: string, key: 'supply_target_mu' | 'reserve_target_mu') => {
    const own = targets.find((t) => t.city === city)?.[key];
    if (own != null && !scope.zoneIds?.length) return own;
    return sumOrNull(zones.filter((z) => z.city === city).map((z) => targets.find((t) => t.zone_id === z.id)?.[key] ?? null));
  };
  const totalTarget = sumOrNull(cities.map((c) => cityTarget(c, 'supply_target_mu')));
  const totalReserveTarget = sumOrNull(cities.map((c) => cityTarget(c, 'reserve_target_mu')));
  const total: FiguresRow = {
    key: 'total',
    name: scope.city ?? '合计',
    ...transferFigures(transfers, from, to, totalTarget),
    reserveMu: r2(rows.reduce((s, r) => s + r.reserveMu, 0)),
    reserveTargetMu: totalReserveTarget,
  };
  return { from, to, year, total, zones: rows };
}

const TARGET_SELECT = `SELECT s.id, s.year, s.zone_id, z.name AS zone_name, s.city, s.reserve_target_mu, s.supply_target_mu, s.new_factory_target_m2,
  s.factory_use_target_pct, s.version FROM supply_targets s LEFT JOIN zones z ON z.id = s.zone_id`;

export async function listTargets(db: Queryable, year?: number): Promise<Row[]> {
  return db.query(`${TARGET_SELECT} ${year ? 'WHERE s.year = $1' : ''} ORDER BY s.year DESC, s.city NULLS LAST, z.name`, year ? [year] : []);
}

export interface TargetInput {
  year: number;
  zone_id: number | null;
  city: string | null;
  reserve_target_mu?: number | null;
  supply_target_mu?: number | null;
  new_factory_target_m2?: number | null;
  factory_use_target_pct?: number | null;
}

/** Creates or replaces a target in an open transaction; returns its id. */
export async function upsertTarget(tx: Queryable, actor: Actor, input: TargetInput, action = 'update'): Promise<number> {
  if ((input.zone_id === null) === (input.city === null || input.city.trim() === ''))
    throw fieldError('zone_id', 'A target belongs to one zone or to one city: give exactly one.', '目标应属于一个开发区或一个城市，二者只填其一。');
  if (input.zone_id !== null) {
    const [z] = await tx.query('SELECT id FROM zones WHERE id = $1', [input.zone_id]);
    if (!z) throw fieldError('zone_id', `Zone ${input.zone_id} does not exist.`, `开发区 ${input.zone_id} 不存在。`);
    requireZone(actor, input.zone_id);
  } else {
    // A city's target: only for accounts not limited to some zones.
    if (actor.zone_ids !== null) throw forbidden('限定开发区的账号不能设定城市目标。 An account limited to some zones cannot set a city target.');
    const [c] = await tx.query('SELECT 1 FROM zones WHERE city = $1 LIMIT 1', [input.city]);
    if (!c) throw fieldError('city', `No zone is in the city "${input.city}".`, `没有开发区属于城市“${input.city}”。`);
  }
  const [existing] = await tx.query<{ id: number }>(
    input.zone_id !== null
      ? 'SELECT id FROM supply_targets WHERE zone_id = $1 AND year = $2 FOR UPDATE'
      : 'SELECT id FROM supply_targets WHERE city = $1 AND year = $2 FOR UPDATE',
    [input.zone_id ?? input.city, input.year],
  );
  const vals = [input.reserve_target_mu ?? null, input.supply_target_mu ?? null, input.new_factory_target_m2 ?? null, input.factory_use_target_pct ?? null];
  let id: number;
  const before = existing ? await snapshot(tx, 'supply_target', existing.id) : null;
  if (existing) {
    id = existing.id;
    await tx.query(
      'UPDATE supply_targets SET reserve_target_mu = $2, supply_target_mu = $3, new_factory_target_m2 = $4, factory_use_target_pct = $5, version = version + 1 WHERE id = $1',
      [id, ...vals],
    );
  } else {
    [{ id }] = await tx.query<{ id: number }>(
      `INSERT INTO supply_targets (year, zone_id, city, reserve_target_mu, supply_target_mu, new_factory_target_m2, factory_use_target_pct)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [input.year, input.zone_id, input.zone_id === null ? input.city!.trim() : null, ...vals],
    );
  }
  await recordAudit(tx, actor, {
    action: existing ? action : 'create',
    entity: 'supply_target',
    entityId: id,
    before,
    after: await snapshot(tx, 'supply_target', id),
  });
  return id;
}

export async function saveTarget(db: Db, actor: Actor, input: TargetInput): Promise<Row> {
  return db.transaction(async (tx) => {
    const id = await upsertTarget(tx, actor, input);
    const [row] = await tx.query(`${TARGET_SELECT} WHERE s.id = $1`, [id]);
    return row;
  });
}
