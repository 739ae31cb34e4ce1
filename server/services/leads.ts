/**
 * 招商 leads: record, follow (stage dates, contact log, next follow-up), drop with a reason, and sign — which
 * makes the project in the same transaction and keeps the link both ways. Every write is one transaction
 * with its audit entry; zone limits apply to writes; the investor's contact is read only by the roles that
 * need it (lead.readContacts), in lists, records and history alike.
 */
import { LEAD_STAGE_KEYS, checkStageDates, leadFigures, rankLand, stageOf, type LeadFacts, type LeadFigures, type LeadStageKey } from '../../domain/leads.ts';
import type { ImportedLead } from '../../domain/leadImport.ts';
import { can, type Actor } from '../../domain/permissions.ts';
import { areaMuFromSquareMetres } from '../../domain/units.ts';
import { conflictError, recordAudit, snapshot } from '../audit.ts';
import { forbidden } from '../auth/middleware.ts';
import type { Db, Queryable } from '../db/types.ts';
import { HttpError, badRequest, notFound } from '../lib/http.ts';
import { availableFactories, availableLand, chainFirms } from './chains.ts';

const DATE = (column: string) => `to_char(l.${column}, 'YYYY-MM-DD') AS ${column}`;
const STAGE_DATE_COLUMNS = LEAD_STAGE_KEYS.map((k) => `${k}_date`);
const CONTACT_COLUMNS = ['contact_name', 'contact_phone'] as const;

const LEAD_SELECT = `SELECT l.id, l.zone_id, z.name AS zone_name, z.city, l.investor_name, l.investor_credit_code, l.investor_origin, l.project_name,
  l.industry, l.chain_link_id, cl.name AS chain_link_name, ch.name AS chain_name, l.planned_investment_wan, l.land_need_min_mu, l.land_need_max_mu,
  l.floor_need_m2, l.source, l.event_id, l.promoter_id, u.display_name AS promoter_name, l.leader, l.contact_name, l.contact_phone, l.stage,
  ${STAGE_DATE_COLUMNS.map(DATE).join(', ')}, ${DATE('next_follow_up')}, ${DATE('dropped_on')}, l.drop_reason, l.drop_note, l.project_id, l.version,
  to_char(l.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated_at
FROM leads l JOIN zones z ON z.id = l.zone_id LEFT JOIN users u ON u.id = l.promoter_id
  LEFT JOIN chain_links cl ON cl.id = l.chain_link_id LEFT JOIN industry_chains ch ON ch.id = cl.chain_id`;

export type LeadRow = Record<string, unknown> & { id: number; zone_id: number; version: number; stage: LeadStageKey };

/** The investor's contact, blanked for roles that may not read it. */
function visibleTo(actor: Actor, row: LeadRow): LeadRow {
  if (can(actor, 'lead.readContacts')) return row;
  const copy = { ...row };
  for (const c of CONTACT_COLUMNS) copy[c] = null;
  return copy;
}

export interface LeadScope {
  zoneIds?: number[];
  city?: string;
  stage?: LeadStageKey[];
  promoterId?: number;
  chainId?: number;
  /** Active: neither signed nor dropped. */
  open?: boolean;
  q?: string;
}

function scopeWhere(scope: LeadScope, actor: Actor): { sql: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    values.push(value);
    parts.push(sql.replaceAll('$?', `$${values.length}`));
  };
  if (scope.zoneIds?.length) add('l.zone_id = ANY($?::int[])', scope.zoneIds);
  if (scope.city) add('z.city = $?', scope.city);
  if (scope.stage?.length) add('l.stage = ANY($?::text[])', scope.stage);
  if (scope.promoterId) add('l.promoter_id = $?', scope.promoterId);
  if (scope.chainId) add('cl.chain_id = $?', scope.chainId);
  if (scope.open) parts.push("l.stage <> 'signed' AND l.dropped_on IS NULL");
  if (scope.q) add("(l.investor_name ILIKE $? ESCAPE '\\' OR l.project_name ILIKE $? ESCAPE '\\')", `%${scope.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  // A zone-limited account sees its zones' leads.
  if (actor.zone_ids !== null) add('l.zone_id = ANY($?::int[])', actor.zone_ids);
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', values };
}

export async function listLeads(db: Queryable, actor: Actor, scope: LeadScope, limit: number, offset: number): Promise<{ total: number; leads: LeadRow[] }> {
  const where = scopeWhere(scope, actor);
  const rows = await db.query<LeadRow & { total: number }>(
    `SELECT *, count(*) OVER () AS total FROM (${LEAD_SELECT} ${where.sql}) s ORDER BY s.next_follow_up NULLS LAST, s.id LIMIT ${limit} OFFSET ${offset}`,
    where.values,
  );
  return { total: rows[0]?.total ?? 0, leads: rows.map(({ total: _t, ...r }) => visibleTo(actor, r as LeadRow)) };
}

export async function leadDetail(db: Queryable, actor: Actor, id: number): Promise<LeadRow & { contacts: unknown[] }> {
  const [row] = await db.query<LeadRow>(`${LEAD_SELECT} WHERE l.id = $1`, [id]);
  if (!row || (actor.zone_ids !== null && !actor.zone_ids.includes(row.zone_id))) throw notFound(`没有编号为 ${id} 的招商线索。 No lead ${id}.`);
  const contacts = await db.query(
    `SELECT id, to_char(happened_on, 'YYYY-MM-DD') AS happened_on, kind, with_whom, summary, recorded_by_name,
       to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS recorded_at
     FROM lead_contacts WHERE lead_id = $1 ORDER BY happened_on, id`,
    [id],
  );
  return { ...visibleTo(actor, row), contacts };
}

function requireZone(actor: Actor, zoneId: number): void {
  if (!can(actor, 'lead.edit', zoneId))
    throw forbidden('只能登记和跟进本人负责的开发区的招商线索。 You may record and follow leads only for the zones you are assigned to.');
}

function problemsError(problems: { field: string; en: string; zh: string }[]): HttpError {
  return badRequest(problems.map((p) => p.en).join(' '), {
    fields: problems.map((p) => ({ field: p.field, message: p.en, message_zh: p.zh })),
    message_zh: problems.map((p) => p.zh).join(' '),
  });
}

export interface LeadInput {
  zone_id?: number;
  investor_name?: string;
  investor_credit_code?: string | null;
  investor_origin?: string | null;
  project_name?: string;
  industry?: string | null;
  chain_link_id?: number | null;
  planned_investment_wan?: number | null;
  land_need_min_mu?: number | null;
  land_need_max_mu?: number | null;
  floor_need_m2?: number | null;
  source?: string;
  event_id?: number | null;
  promoter_id?: number | null;
  leader?: string | null;
  contact_name?: string | null;
  contact_phone?: string | null;
  lead_date?: string;
  contact_date?: string | null;
  visit_date?: string | null;
  negotiation_date?: string | null;
  intent_date?: string | null;
  next_follow_up?: string | null;
}

const WRITABLE = [
  'zone_id',
  'investor_name',
  'investor_credit_code',
  'investor_origin',
  'project_name',
  'industry',
  'chain_link_id',
  'planned_investment_wan',
  'land_need_min_mu',
  'land_need_max_mu',
  'floor_need_m2',
  'source',
  'event_id',
  'promoter_id',
  'leader',
  'contact_name',
  'contact_phone',
  'lead_date',
  'contact_date',
  'visit_date',
  'negotiation_date',
  'intent_date',
  'next_follow_up',
] as const;

function stageDatesOf(record: Record<string, unknown>): Partial<Record<LeadStageKey, string | null>> {
  return Object.fromEntries(LEAD_STAGE_KEYS.map((k) => [k, (record[`${k}_date`] as string | null | undefined) ?? null]));
}

function checkRecord(record: Record<string, unknown>, today: string): void {
  const problems = checkStageDates(stageDatesOf(record), today);
  const min = record.land_need_min_mu as number | null;
  const max = record.land_need_max_mu as number | null;
  if (min != null && max != null && min > max)
    problems.push({ field: 'land_need_min_mu', en: 'The smallest area needed is larger than the largest.', zh: '用地需求下限大于上限。' });
  if (problems.length) throw problemsError(problems);
}

export async function createLead(
  db: Db,
  actor: Actor,
  input: Required<Pick<LeadInput, 'zone_id' | 'investor_name' | 'project_name' | 'source' | 'lead_date'>> & LeadInput,
  today: string,
): Promise<LeadRow> {
  requireZone(actor, input.zone_id);
  const record: Record<string, unknown> = { promoter_id: actor.id > 0 ? actor.id : null, ...input };
  checkRecord(record, today);
  const columns = WRITABLE.filter((c) => record[c] !== undefined);
  return db.transaction(async (tx) => {
    const [zone] = await tx.query('SELECT id FROM zones WHERE id = $1', [input.zone_id]);
    if (!zone) throw badRequest(`Zone ${input.zone_id} does not exist.`, { message_zh: `开发区 ${input.zone_id} 不存在。` });
    const [{ id }] = await tx.query<{ id: number }>(
      `INSERT INTO leads (${columns.join(', ')}, stage) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}, $${columns.length + 1}) RETURNING id`,
      [...columns.map((c) => record[c]), stageOf(stageDatesOf(record))],
    );
    await recordAudit(tx, actor, { action: 'create', entity: 'lead', entityId: id, before: null, after: await snapshot(tx, 'lead', id) });
    const [row] = await tx.query<LeadRow>(`${LEAD_SELECT} WHERE l.id = $1`, [id]);
    return visibleTo(actor, row);
  });
}

async function lockLead(tx: Queryable, actor: Actor, id: number, version: number): Promise<Record<string, unknown>> {
  const [row] = await tx.query<Record<string, unknown> & { zone_id: number; version: number }>(
    `SELECT l.*, ${[...STAGE_DATE_COLUMNS, 'next_follow_up', 'dropped_on'].map(DATE).join(', ')} FROM leads l WHERE l.id = $1 FOR UPDATE`,
    [id],
  );
  if (!row || (actor.zone_ids !== null && !actor.zone_ids.includes(row.zone_id))) throw notFound(`没有编号为 ${id} 的招商线索。 No lead ${id}.`);
  requireZone(actor, row.zone_id);
  if (row.version !== version) throw await conflictError(tx, 'lead', id, version, (await snapshot(tx, 'lead', id))!);
  return row;
}

export async function updateLead(db: Db, actor: Actor, id: number, version: number, changes: LeadInput, today: string): Promise<LeadRow> {
  if (Object.keys(changes).length === 0) throw badRequest('Nothing to change.', { message_zh: '没有要修改的内容。' });
  if (changes.zone_id !== undefined) requireZone(actor, changes.zone_id);
  return db.transaction(async (tx) => {
    const current = await lockLead(tx, actor, id, version);
    if (current.signed_date)
      throw new HttpError(409, 'signed', '线索已签约并转为项目，请在项目中修改。 The lead is signed and became a project: change the project instead.');
    const before = await snapshot(tx, 'lead', id);
    const record = { ...current, ...changes };
    checkRecord(record, today);
    const columns = WRITABLE.filter((c) => changes[c] !== undefined);
    await tx.query(
      `UPDATE leads SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')}, stage = $${columns.length + 2}, version = version + 1, updated_at = now() WHERE id = $1`,
      [id, ...columns.map((c) => changes[c]), stageOf(stageDatesOf(record))],
    );
    await recordAudit(tx, actor, { action: 'update', entity: 'lead', entityId: id, before, after: await snapshot(tx, 'lead', id) });
    const [row] = await tx.query<LeadRow>(`${LEAD_SELECT} WHERE l.id = $1`, [id]);
    return visibleTo(actor, row);
  });
}

export async function addLeadContact(
  db: Db,
  actor: Actor,
  id: number,
  input: { happened_on: string; kind: string; with_whom?: string | null; summary: string; next_follow_up?: string | null },
  today: string,
): Promise<LeadRow & { contacts: unknown[] }> {
  if (input.happened_on > today) throw problemsError([{ field: 'happened_on', en: 'A contact cannot be after today.', zh: '接洽日期不能晚于今天。' }]);
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ zone_id: number; version: number }>('SELECT zone_id, version FROM leads WHERE id = $1 FOR UPDATE', [id]);
    if (!row || (actor.zone_ids !== null && !actor.zone_ids.includes(row.zone_id))) throw notFound(`没有编号为 ${id} 的招商线索。 No lead ${id}.`);
    requireZone(actor, row.zone_id);
    const before = await snapshot(tx, 'lead', id);
    await tx.query(
      `INSERT INTO lead_contacts (lead_id, happened_on, kind, with_whom, summary, recorded_by, recorded_by_name) VALUES ($1, $2::date, $3, $4, $5, $6, $7)`,
      [id, input.happened_on, input.kind, input.with_whom ?? null, input.summary.trim(), actor.id > 0 ? actor.id : null, actor.username],
    );
    await tx.query(
      `UPDATE leads SET version = version + 1, updated_at = now()${input.next_follow_up !== undefined ? ', next_follow_up = $2::date' : ''} WHERE id = $1`,
      input.next_follow_up !== undefined ? [id, input.next_follow_up] : [id],
    );
    await recordAudit(tx, actor, {
      action: 'contact',
      entity: 'lead',
      entityId: id,
      before,
      after: await snapshot(tx, 'lead', id),
      note: `${input.happened_on} ${input.kind}`,
    });
  });
  return leadDetail(db, actor, id);
}

export async function dropLead(
  db: Db,
  actor: Actor,
  id: number,
  input: { version: number; reason: string; note?: string | null; dropped_on: string },
  today: string,
): Promise<LeadRow> {
  if (input.dropped_on > today) throw problemsError([{ field: 'dropped_on', en: 'The date cannot be after today.', zh: '日期不能晚于今天。' }]);
  return db.transaction(async (tx) => {
    const current = await lockLead(tx, actor, id, input.version);
    if (current.signed_date) throw new HttpError(409, 'signed', '线索已签约，不能终止。 The lead is signed: it cannot be dropped.');
    if (current.dropped_on) throw new HttpError(409, 'dropped', '线索已终止。 The lead is already dropped.');
    const before = await snapshot(tx, 'lead', id);
    await tx.query('UPDATE leads SET dropped_on = $2::date, drop_reason = $3, drop_note = $4, version = version + 1, updated_at = now() WHERE id = $1', [
      id,
      input.dropped_on,
      input.reason,
      input.note ?? null,
    ]);
    await recordAudit(tx, actor, { action: 'drop', entity: 'lead', entityId: id, before, after: await snapshot(tx, 'lead', id), note: input.reason });
    const [row] = await tx.query<LeadRow>(`${LEAD_SELECT} WHERE l.id = $1`, [id]);
    return visibleTo(actor, row);
  });
}

/**
 * 签约: the lead becomes a project (stage 签约, its zone, name, chain link, investment, land need) in the same
 * transaction; the project is pinned at the zone's centre until it gets a parcel, and enters 三个一批 rounds
 * like any project.
 */
export async function signLead(
  db: Db,
  actor: Actor,
  id: number,
  input: { version: number; signed_on: string },
  today: string,
): Promise<LeadRow & { project_id: number }> {
  if (!can(actor, 'project.edit')) throw forbidden();
  return db.transaction(async (tx) => {
    const current = await lockLead(tx, actor, id, input.version);
    if (current.signed_date) throw new HttpError(409, 'signed', '线索已签约。 The lead is already signed.');
    if (current.dropped_on) throw new HttpError(409, 'dropped', '线索已终止，不能签约；如需恢复请先修改。 The lead is dropped: it cannot be signed.');
    checkRecord({ ...current, signed_date: input.signed_on }, today);
    const before = await snapshot(tx, 'lead', id);
    const [{ id: projectId }] = await tx.query<{ id: number }>(
      `INSERT INTO projects (zone_id, name, industry_chain, chain_link_id, stage, total_investment_wan, land_area_mu, signed_date, geom)
       SELECT l.zone_id, l.project_name, coalesce(ch.name, l.industry), l.chain_link_id, 'signed', l.planned_investment_wan, l.land_need_max_mu, $2::date, ST_PointOnSurface(z.geom)
       FROM leads l JOIN zones z ON z.id = l.zone_id LEFT JOIN chain_links cl ON cl.id = l.chain_link_id LEFT JOIN industry_chains ch ON ch.id = cl.chain_id
       WHERE l.id = $1 RETURNING id`,
      [id, input.signed_on],
    );
    await tx.query(
      "UPDATE leads SET signed_date = $2::date, stage = 'signed', project_id = $3, next_follow_up = NULL, version = version + 1, updated_at = now() WHERE id = $1",
      [id, input.signed_on, projectId],
    );
    await recordAudit(tx, actor, {
      action: 'create',
      entity: 'project',
      entityId: projectId,
      before: null,
      after: await snapshot(tx, 'project', projectId),
      note: `签约自招商线索 ${id}`,
    });
    await recordAudit(tx, actor, {
      action: 'sign',
      entity: 'lead',
      entityId: id,
      before,
      after: await snapshot(tx, 'lead', id),
      note: `→ project ${projectId}`,
    });
    const [row] = await tx.query<LeadRow>(`${LEAD_SELECT} WHERE l.id = $1`, [id]);
    return { ...visibleTo(actor, row), project_id: projectId };
  });
}

/** The funnel figures for a scope and period, with the events held and the signed share of the whole province. */
export async function leadFiguresFor(
  db: Queryable,
  actor: Actor,
  scope: LeadScope,
  from: string,
  to: string,
  today: string,
): Promise<LeadFigures & { eventsHeld: number; signedShareOfAll: number | null }> {
  const where = scopeWhere(scope, actor);
  const rows = await db.query<Record<string, unknown> & { id: number }>(`${LEAD_SELECT} ${where.sql}`, where.values);
  const facts = (r: Record<string, unknown>): LeadFacts => ({
    id: r.id as number,
    stage_dates: stageDatesOf(r),
    dropped_on: (r.dropped_on as string | null) ?? null,
    drop_reason: (r.drop_reason as string | null) ?? null,
    planned_investment_wan: (r.planned_investment_wan as number | null) ?? null,
    next_follow_up: (r.next_follow_up as string | null) ?? null,
  });
  const figures = leadFigures(rows.map(facts), from, to, today);
  const [all] = await db.query<{ signed_wan: number }>(
    'SELECT coalesce(sum(planned_investment_wan), 0) AS signed_wan FROM leads WHERE signed_date BETWEEN $1::date AND $2::date',
    [from, to],
  );
  const eventWhere: string[] = ['e.held_on BETWEEN $1::date AND $2::date'];
  const eventValues: unknown[] = [from, to];
  if (scope.zoneIds?.length) {
    eventValues.push(scope.zoneIds);
    eventWhere.push(`e.zone_id = ANY($${eventValues.length}::int[])`);
  }
  if (scope.city) {
    eventValues.push(scope.city);
    eventWhere.push(`(e.city = $${eventValues.length} OR e.zone_id IN (SELECT id FROM zones WHERE city = $${eventValues.length}))`);
  }
  const [events] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM promotion_events e WHERE ${eventWhere.join(' AND ')}`, eventValues);
  return { ...figures, eventsHeld: events.n, signedShareOfAll: all.signed_wan > 0 ? figures.signed.investmentWan / all.signed_wan : null };
}

/**
 * Available parcels and, when the lead states a floor need, standard factories with enough vacant floor area,
 * ranked for the lead's needs, best first, with a reason per criterion — among them the distance to the nearest
 * firm of the lead's chain (when the lead is on a chain link and the chain has firms on the map).
 */
export async function matchLandForLead(db: Queryable, actor: Actor, id: number, limit: number) {
  const lead = await leadDetail(db, actor, id);
  const [link] = lead.chain_link_id ? await db.query<{ chain_id: number }>('SELECT chain_id FROM chain_links WHERE id = $1', [lead.chain_link_id]) : [];
  const firmPoints = link
    ? (await chainFirms(db, link.chain_id)).filter((f) => f.lon !== null && f.lat !== null).map((f) => [f.lon!, f.lat!] as [number, number])
    : [];
  const { parcels, candidates } = await availableLand(db, firmPoints);
  const floorM2 = lead.floor_need_m2 as number | null;
  const { factories, candidates: factoryCandidates } = floorM2 ? await availableFactories(db, firmPoints) : { factories: [], candidates: [] };
  const ranked = rankLand(
    {
      minMu: lead.land_need_min_mu as number | null,
      maxMu: lead.land_need_max_mu as number | null,
      industry: (lead.chain_name as string | null) ?? (lead.industry as string | null),
      zoneIds: [lead.zone_id],
      cities: [lead.city as string],
      floorM2,
    },
    [...candidates, ...factoryCandidates],
  ).slice(0, limit);
  const byId = new Map(parcels.map((p) => [p.id, p]));
  const factoryById = new Map(factories.map((f) => [f.id, f]));
  return {
    lead_id: id,
    matches: ranked.map((m) => {
      if (m.kind === 'factory') {
        const f = factoryById.get(m.id)!;
        return { ...m, kind: 'factory' as const, name: f.name, zone_id: f.zone_id, zone_name: f.zone_name, vacant_area_m2: f.vacant_area_m2 };
      }
      const p = byId.get(m.id)!;
      return {
        ...m,
        kind: 'parcel' as const,
        code: p.code,
        zone_id: p.zone_id,
        zone_name: p.zone_name,
        area_mu: Math.round(areaMuFromSquareMetres(p.area_m2) * 10) / 10,
        land_use_code: p.land_use_code,
      };
    }),
  };
}

/** An imported lead list: every row written in one transaction, each with its audit entry (the caller checked the rows). */
export async function importLeadRows(db: Db, actor: Actor, rows: ImportedLead[]): Promise<{ imported: number; ids: number[] }> {
  const refused = rows.filter((r) => !can(actor, 'lead.edit', r.zone_id));
  if (refused.length)
    throw badRequest(`${refused.length} row(s) are for zones you are not assigned to; nothing imported.`, {
      message_zh: `${refused.length} 行不属于本人负责的开发区，未导入任何数据。`,
      rows: refused.map((r) => ({ line: r.line, message: 'not one of your zones', message_zh: '不是本人负责的开发区' })),
    });
  return db.transaction(async (tx) => {
    const ids: number[] = [];
    for (const r of rows) {
      const [{ id }] = await tx.query<{ id: number }>(
        `INSERT INTO leads (zone_id, investor_name, project_name, industry, planned_investment_wan, land_need_max_mu, source, investor_origin, leader,
           contact_name, contact_phone, promoter_id, stage, lead_date, contact_date, visit_date, negotiation_date, intent_date, next_follow_up)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::date, $15::date, $16::date, $17::date, $18::date, $19::date) RETURNING id`,
        [
          r.zone_id,
          r.investor_name,
          r.project_name,
          r.industry,
          r.planned_investment_wan,
          r.land_need_max_mu,
          r.source,
          r.investor_origin,
          r.leader,
          r.contact_name,
          r.contact_phone,
          actor.id > 0 ? actor.id : null,
          r.stage,
          r.stage_dates.lead,
          r.stage_dates.contact ?? null,
          r.stage_dates.visit ?? null,
          r.stage_dates.negotiation ?? null,
          r.stage_dates.intent ?? null,
          r.next_follow_up,
        ],
      );
      await recordAudit(tx, actor, {
        action: 'import',
        entity: 'lead',
        entityId: id,
        before: null,
        after: await snapshot(tx, 'lead', id),
        note: `第 ${r.line} 行`,
      });
      ids.push(id);
    }
    return { imported: ids.length, ids };
  });
}
