/**
 * 招商活动: promotion events with the leads they produced. An event belongs to a zone (its managers may edit
 * it) or to a city or the province (then only accounts without zone limits may). Writes are audited and
 * versioned; the leads counted are those the caller may see.
 */
import { can, type Actor } from '../../domain/permissions.ts';
import { conflictError, recordAudit, snapshot } from '../audit.ts';
import { forbidden } from '../auth/middleware.ts';
import type { Db, Queryable } from '../db/types.ts';
import { badRequest, notFound } from '../lib/http.ts';

export interface EventScope {
  from?: string;
  to?: string;
  zoneIds?: number[];
  city?: string;
}

function eventSelect(actor: Actor, values: unknown[]): string {
  let limit = '';
  if (actor.zone_ids !== null) {
    values.push(actor.zone_ids);
    limit = ` AND l.zone_id = ANY($${values.length}::int[])`;
  }
  return `SELECT e.id, e.name, e.kind, to_char(e.held_on, 'YYYY-MM-DD') AS held_on, e.place, e.organiser, e.zone_id, z.name AS zone_name,
      coalesce(e.city, z.city) AS city, e.agreements_signed, e.note, e.version,
      (SELECT count(*) FROM leads l WHERE l.event_id = e.id${limit})::int AS leads,
      (SELECT count(*) FROM leads l WHERE l.event_id = e.id AND l.signed_date IS NOT NULL${limit})::int AS signed_leads
    FROM promotion_events e LEFT JOIN zones z ON z.id = e.zone_id`;
}

export async function listEvents(db: Queryable, actor: Actor, scope: EventScope) {
  const values: unknown[] = [];
  const select = eventSelect(actor, values);
  const where: string[] = [];
  const add = (sql: string, value: unknown) => {
    values.push(value);
    where.push(sql.replaceAll('$?', `$${values.length}`));
  };
  if (scope.from) add('e.held_on >= $?::date', scope.from);
  if (scope.to) add('e.held_on <= $?::date', scope.to);
  if (scope.zoneIds?.length) add('e.zone_id = ANY($?::int[])', scope.zoneIds);
  // The figures' rule (services/leads.ts): an event counts for its city, named or through its zone.
  if (scope.city) add('(e.city = $? OR e.zone_id IN (SELECT id FROM zones WHERE city = $?))', scope.city);
  return { events: await db.query(`${select} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY e.held_on DESC, e.id DESC`, values) };
}

export async function eventDetail(db: Queryable, actor: Actor, id: number) {
  const values: unknown[] = [id];
  const [event] = await db.query(`${eventSelect(actor, values)} WHERE e.id = $1`, values);
  if (!event) throw notFound(`没有编号为 ${id} 的招商活动。 No event ${id}.`);
  const leadValues: unknown[] = [id];
  let limit = '';
  if (actor.zone_ids !== null) {
    leadValues.push(actor.zone_ids);
    limit = ' AND l.zone_id = ANY($2::int[])';
  }
  const leadList = await db.query(
    `SELECT l.id, l.investor_name, l.project_name, l.stage, z.name AS zone_name, l.planned_investment_wan, to_char(l.signed_date, 'YYYY-MM-DD') AS signed_date
     FROM leads l JOIN zones z ON z.id = l.zone_id WHERE l.event_id = $1${limit} ORDER BY l.signed_date DESC NULLS LAST, l.id`,
    leadValues,
  );
  return { ...event, lead_list: leadList };
}

function requireEventZone(actor: Actor, zoneId: number | null): void {
  if (zoneId === null ? actor.zone_ids !== null : !can(actor, 'lead.edit', zoneId))
    throw forbidden('只能登记本人负责的开发区的招商活动。 You may record events only for the zones you are assigned to.');
}

export interface EventInput {
  name?: string;
  kind?: string;
  held_on?: string;
  place?: string | null;
  organiser?: string | null;
  zone_id?: number | null;
  city?: string | null;
  agreements_signed?: number;
  note?: string | null;
}
const COLUMNS = ['name', 'kind', 'held_on', 'place', 'organiser', 'zone_id', 'city', 'agreements_signed', 'note'] as const;

async function checkZone(tx: Queryable, zoneId: number | null | undefined): Promise<void> {
  if (zoneId == null) return;
  const [zone] = await tx.query('SELECT id FROM zones WHERE id = $1', [zoneId]);
  if (!zone) throw badRequest(`Zone ${zoneId} does not exist.`, { message_zh: `开发区 ${zoneId} 不存在。` });
}

export async function createEvent(db: Db, actor: Actor, input: EventInput & { name: string; kind: string; held_on: string }) {
  requireEventZone(actor, input.zone_id ?? null);
  const columns = COLUMNS.filter((c) => input[c] !== undefined);
  const id = await db.transaction(async (tx) => {
    await checkZone(tx, input.zone_id);
    const [{ id }] = await tx.query<{ id: number }>(
      `INSERT INTO promotion_events (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
      columns.map((c) => input[c]),
    );
    await recordAudit(tx, actor, { action: 'create', entity: 'promotion_event', entityId: id, before: null, after: await snapshot(tx, 'promotion_event', id) });
    return id;
  });
  const { lead_list: _l, ...event } = await eventDetail(db, actor, id);
  return event;
}

export async function updateEvent(db: Db, actor: Actor, id: number, version: number, changes: EventInput) {
  const columns = COLUMNS.filter((c) => changes[c] !== undefined);
  if (!columns.length) throw badRequest('Nothing to change.', { message_zh: '没有要修改的内容。' });
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ zone_id: number | null; version: number }>('SELECT zone_id, version FROM promotion_events WHERE id = $1 FOR UPDATE', [id]);
    if (!row) throw notFound(`没有编号为 ${id} 的招商活动。 No event ${id}.`);
    requireEventZone(actor, row.zone_id);
    if (changes.zone_id !== undefined) requireEventZone(actor, changes.zone_id);
    if (row.version !== version) throw await conflictError(tx, 'promotion_event', id, version, (await snapshot(tx, 'promotion_event', id))!);
    await checkZone(tx, changes.zone_id);
    const before = await snapshot(tx, 'promotion_event', id);
    await tx.query(
      `UPDATE promotion_events SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')}, version = version + 1, updated_at = now() WHERE id = $1`,
      [id, ...columns.map((c) => changes[c])],
    );
    await recordAudit(tx, actor, { action: 'update', entity: 'promotion_event', entityId: id, before, after: await snapshot(tx, 'promotion_event', id) });
  });
  const { lead_list: _l, ...event } = await eventDetail(db, actor, id);
  return event;
}
