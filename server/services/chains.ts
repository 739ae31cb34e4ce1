/**
 * 链长制 / 招商图谱: the chains with their links, what is placed on each link, and a chain's map for a scope
 * (a city or zones): per link its firms, projects and leads with their places, whether it is missing or weak
 * (domain/chains.ts), the open leads that would fill it and the available land that suits it (domain/leads.ts
 * rankLand, with the distance to the chain's firms). Enterprises and projects are not secret; leads are, and
 * a zone-limited account sees only its zones' leads. Every placement is audited.
 */
import { linkStatus, nearestKm } from '../../domain/chains.ts';
import { rankLand, type LandCandidate } from '../../domain/leads.ts';
import { can, type Actor } from '../../domain/permissions.ts';
import { areaMuFromSquareMetres } from '../../domain/units.ts';
import { conflictError, recordAudit, snapshot } from '../audit.ts';
import { forbidden } from '../auth/middleware.ts';
import type { Db, Queryable } from '../db/types.ts';
import { HttpError, badRequest, notFound } from '../lib/http.ts';

type LonLat = [number, number] | null;
const at = (lon: number | null, lat: number | null): LonLat => (lon === null || lat === null ? null : [lon, lat]);

interface LinkBase {
  id: number;
  chain_id: number;
  position: 'upstream' | 'midstream' | 'downstream';
  name: string;
  sort_order: number;
}

/** Where a zone-limited account may see leads ('' for all). */
function leadZoneLimit(actor: Actor, values: unknown[]): string {
  if (actor.zone_ids === null) return '';
  values.push(actor.zone_ids);
  return ` AND l.zone_id = ANY($${values.length}::int[])`;
}

export async function listChains(db: Queryable, actor: Actor, onlyId?: number) {
  const chains = await db.query<{
    id: number;
    key: string;
    name: string;
    name_en: string | null;
    leader: string | null;
    leader_post: string | null;
    version: number;
  }>(`SELECT id, key, name, name_en, leader, leader_post, version FROM industry_chains ${onlyId ? 'WHERE id = $1' : ''} ORDER BY id`, onlyId ? [onlyId] : []);
  if (onlyId && !chains.length) throw notFound(`没有编号为 ${onlyId} 的产业链。 No chain ${onlyId}.`);
  const values: unknown[] = [];
  const leadLimit = leadZoneLimit(actor, values);
  const links = await db.query<LinkBase & { firms: number; projects: number; leads: number }>(
    `SELECT cl.id, cl.chain_id, cl.position, cl.name, cl.sort_order,
       (SELECT count(*) FROM chain_link_enterprises m WHERE m.link_id = cl.id)::int AS firms,
       (SELECT count(*) FROM projects p WHERE p.chain_link_id = cl.id)::int AS projects,
       (SELECT count(*) FROM leads l WHERE l.chain_link_id = cl.id${leadLimit})::int AS leads
     FROM chain_links cl ORDER BY cl.chain_id, CASE cl.position WHEN 'upstream' THEN 0 WHEN 'midstream' THEN 1 ELSE 2 END, cl.sort_order, cl.id`,
    values,
  );
  const owners = await db.query<{ chain_id: number; enterprise_id: number; name: string; link_id: number }>(
    `SELECT cl.chain_id, e.id AS enterprise_id, e.name, m.link_id FROM chain_link_enterprises m
       JOIN chain_links cl ON cl.id = m.link_id JOIN enterprises e ON e.id = m.enterprise_id
     WHERE m.chain_owner ORDER BY cl.chain_id, e.name`,
  );
  return chains.map((c) => ({
    ...c,
    owners: owners.filter((o) => o.chain_id === c.id).map(({ chain_id: _c, ...o }) => o),
    links: links.filter((l) => l.chain_id === c.id).map(({ chain_id: _c, ...l }) => l),
  }));
}

async function chainOf(db: Queryable, actor: Actor, id: number) {
  return (await listChains(db, actor, id))[0];
}

export async function updateChain(
  db: Db,
  actor: Actor,
  id: number,
  version: number,
  changes: { name?: string; name_en?: string | null; leader?: string | null; leader_post?: string | null },
) {
  const columns = (['name', 'name_en', 'leader', 'leader_post'] as const).filter((c) => changes[c] !== undefined);
  if (!columns.length) throw badRequest('Nothing to change.', { message_zh: '没有要修改的内容。' });
  if (actor.zone_ids !== null)
    throw forbidden(
      "产业链是全省的，只有不限开发区的账号可以修改链长和名称。 The chains are the province's: only an account not limited to zones may change them.",
    );
  // Blank text clears (a name or post of spaces is no name).
  for (const c of ['leader', 'leader_post', 'name_en'] as const) if (typeof changes[c] === 'string' && !changes[c].trim()) changes[c] = null;
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ version: number }>('SELECT version FROM industry_chains WHERE id = $1 FOR UPDATE', [id]);
    if (!row) throw notFound(`没有编号为 ${id} 的产业链。 No chain ${id}.`);
    if (row.version !== version) throw await conflictError(tx, 'industry_chain', id, version, (await snapshot(tx, 'industry_chain', id))!);
    const before = await snapshot(tx, 'industry_chain', id);
    await tx.query(`UPDATE industry_chains SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')}, version = version + 1 WHERE id = $1`, [
      id,
      ...columns.map((c) => changes[c]),
    ]);
    await recordAudit(tx, actor, { action: 'update', entity: 'industry_chain', entityId: id, before, after: await snapshot(tx, 'industry_chain', id) });
  });
  return chainOf(db, actor, id);
}

async function linkRow(tx: Queryable, linkId: number): Promise<LinkBase> {
  const [link] = await tx.query<LinkBase>('SELECT id, chain_id, position, name, sort_order FROM chain_links WHERE id = $1', [linkId]);
  if (!link) throw notFound(`没有编号为 ${linkId} 的产业链环节。 No chain link ${linkId}.`);
  return link;
}

const ZONE_REFUSED = '只能调整本人负责的开发区的企业、项目和线索。 You may place only the firms, projects and leads of the zones you are assigned to.';

/** An enterprise belongs to the zones of the parcels it uses; a zone-limited account may place only firms of its zones. */
async function requireEnterpriseZone(tx: Queryable, actor: Actor, enterpriseId: number): Promise<void> {
  const [e] = await tx.query<{ id: number; zone_ids: number[] }>(
    `SELECT e.id, coalesce(array_agg(DISTINCT p.zone_id) FILTER (WHERE p.zone_id IS NOT NULL), '{}') AS zone_ids
     FROM enterprises e LEFT JOIN parcel_uses u ON u.enterprise_id = e.id LEFT JOIN parcels p ON p.id = u.parcel_id WHERE e.id = $1 GROUP BY e.id`,
    [enterpriseId],
  );
  if (!e) throw badRequest(`Enterprise ${enterpriseId} does not exist.`, { message_zh: `企业 ${enterpriseId} 不存在。` });
  if (actor.zone_ids !== null && !e.zone_ids.some((z) => actor.zone_ids!.includes(z))) throw forbidden(ZONE_REFUSED);
}

/** Places an enterprise, project or lead on a link (or, with `linkId` null for projects and leads, takes it off). */
async function setMember(
  tx: Queryable,
  actor: Actor,
  link: LinkBase,
  kind: 'enterprise' | 'project' | 'lead',
  memberId: number,
  on: boolean,
  chainOwner: boolean,
) {
  if (kind === 'enterprise') {
    await requireEnterpriseZone(tx, actor, memberId);
    const before = await snapshot(tx, 'industry_chain', link.chain_id);
    if (on)
      await tx.query(
        `INSERT INTO chain_link_enterprises (link_id, enterprise_id, chain_owner) VALUES ($1, $2, $3)
         ON CONFLICT (link_id, enterprise_id) DO UPDATE SET chain_owner = EXCLUDED.chain_owner`,
        [link.id, memberId, chainOwner],
      );
    else {
      const gone = await tx.query('DELETE FROM chain_link_enterprises WHERE link_id = $1 AND enterprise_id = $2 RETURNING link_id', [link.id, memberId]);
      if (!gone.length) throw notFound(`企业 ${memberId} 不在该环节上。 Enterprise ${memberId} is not on link ${link.id}.`);
    }
    await tx.query('UPDATE industry_chains SET version = version + 1 WHERE id = $1', [link.chain_id]);
    await recordAudit(tx, actor, {
      action: on ? 'place' : 'remove',
      entity: 'industry_chain',
      entityId: link.chain_id,
      before,
      after: await snapshot(tx, 'industry_chain', link.chain_id),
      note: `${link.name}: enterprise ${memberId}${chainOwner ? ' 链主' : ''}`,
    });
    return;
  }
  const table = kind === 'project' ? 'projects' : 'leads';
  const [row] = await tx.query<{ zone_id: number; chain_link_id: number | null; signed: boolean }>(
    `SELECT zone_id, chain_link_id, ${kind === 'lead' ? 'signed_date IS NOT NULL' : 'false'} AS signed FROM ${table} WHERE id = $1 FOR UPDATE`,
    [memberId],
  );
  if (!row)
    throw badRequest(`${kind === 'project' ? 'Project' : 'Lead'} ${memberId} does not exist.`, {
      message_zh: `${kind === 'project' ? '项目' : '招商线索'} ${memberId} 不存在。`,
    });
  if (!can(actor, kind === 'project' ? 'project.edit' : 'lead.edit', row.zone_id)) throw forbidden(ZONE_REFUSED);
  if (row.signed) throw new HttpError(409, 'signed', '线索已签约并转为项目，请在项目中调整环节。 The lead is signed: place its project instead.');
  if (!on && row.chain_link_id !== link.id) throw notFound(`该${kind === 'project' ? '项目' : '线索'}不在该环节上。 It is not on link ${link.id}.`);
  const before = await snapshot(tx, kind, memberId);
  await tx.query(`UPDATE ${table} SET chain_link_id = $2, version = version + 1, updated_at = now() WHERE id = $1`, [memberId, on ? link.id : null]);
  await recordAudit(tx, actor, {
    action: on ? 'place' : 'remove',
    entity: kind,
    entityId: memberId,
    before,
    after: await snapshot(tx, kind, memberId),
    note: `产业链环节 ${link.name}`,
  });
}

export async function placeOnLink(
  db: Db,
  actor: Actor,
  linkId: number,
  input: { kind: 'enterprise' | 'project' | 'lead'; member_id: number; chain_owner?: boolean },
) {
  if (input.chain_owner !== undefined && input.kind !== 'enterprise')
    throw badRequest('Only an enterprise can be a chain owner.', { message_zh: '只有企业可以设为链主。' });
  const chainId = await db.transaction(async (tx) => {
    const link = await linkRow(tx, linkId);
    await setMember(tx, actor, link, input.kind, input.member_id, true, input.chain_owner ?? false);
    return link.chain_id;
  });
  return chainOf(db, actor, chainId);
}

export async function removeFromLink(db: Db, actor: Actor, linkId: number, kind: 'enterprise' | 'project' | 'lead', memberId: number) {
  const chainId = await db.transaction(async (tx) => {
    const link = await linkRow(tx, linkId);
    await setMember(tx, actor, link, kind, memberId, false, false);
    return link.chain_id;
  });
  return chainOf(db, actor, chainId);
}

/** How many candidates a name search gives. */
const CANDIDATES = 20;

/**
 * Enterprises, projects or leads whose name holds `q`, to place on a link: those of the scope first, then
 * by name. A zone-limited account finds only its zones' (the only ones it may place).
 */
export async function findMembers(
  db: Queryable,
  actor: Actor,
  kind: 'enterprise' | 'project' | 'lead',
  q: string,
  scope: { city?: string; zoneIds?: number[] },
) {
  const values: unknown[] = [`%${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`, scope.city ?? null, scope.zoneIds?.length ? scope.zoneIds : null];
  let zoneLimit = '';
  if (actor.zone_ids !== null) {
    values.push(actor.zone_ids);
    zoneLimit = ` AND x.zone_id = ANY($4::int[])`;
  }
  // Each kind as (id, name, detail, zone_id, placed links); firms at their main parcel's zone, as on the map.
  const source = {
    enterprise: `SELECT e.id, e.name, NULL::text AS detail, loc.zone_id,
        ARRAY(SELECT ch.name || ' · ' || cl.name FROM chain_link_enterprises m JOIN chain_links cl ON cl.id = m.link_id JOIN industry_chains ch ON ch.id = cl.chain_id
              WHERE m.enterprise_id = e.id ORDER BY ch.id, cl.sort_order) AS placed
      FROM enterprises e LEFT JOIN LATERAL (
        SELECT p.zone_id FROM parcel_uses u JOIN parcels p ON p.id = u.parcel_id WHERE u.enterprise_id = e.id ORDER BY (u.role = 'owner') DESC, u.area_m2 DESC, p.id LIMIT 1) loc ON true
      WHERE e.name ILIKE $1 ESCAPE '\\'`,
    project: `SELECT p.id, p.name, NULL::text AS detail, p.zone_id,
        ARRAY(SELECT ch.name || ' · ' || cl.name FROM chain_links cl JOIN industry_chains ch ON ch.id = cl.chain_id WHERE cl.id = p.chain_link_id) AS placed
      FROM projects p WHERE p.name ILIKE $1 ESCAPE '\\'`,
    lead: `SELECT l.id, l.project_name AS name, l.investor_name AS detail, l.zone_id,
        ARRAY(SELECT ch.name || ' · ' || cl.name FROM chain_links cl JOIN industry_chains ch ON ch.id = cl.chain_id WHERE cl.id = l.chain_link_id) AS placed
      FROM leads l WHERE (l.project_name ILIKE $1 ESCAPE '\\' OR l.investor_name ILIKE $1 ESCAPE '\\') AND l.signed_date IS NULL`,
  }[kind];
  return db.query<{ id: number; name: string; detail: string | null; zone_name: string | null; city: string | null; placed: string[] }>(
    `SELECT x.id, x.name, x.detail, z.name AS zone_name, z.city, x.placed FROM (${source}) x LEFT JOIN zones z ON z.id = x.zone_id
     WHERE true${zoneLimit}
     ORDER BY (($2::text IS NULL OR z.city = $2) AND ($3::int[] IS NULL OR x.zone_id = ANY($3::int[]))) DESC, x.name, x.id LIMIT ${CANDIDATES}`,
    values,
  );
}

interface FirmRow {
  link_id: number;
  id: number;
  name: string;
  chain_owner: boolean;
  zone_id: number | null;
  zone_name: string | null;
  city: string | null;
  lon: number | null;
  lat: number | null;
}

/** The chain's firms, each at the parcel it uses (owned before leased, the largest first); no parcel: no place. */
export async function chainFirms(db: Queryable, chainId: number): Promise<FirmRow[]> {
  return db.query<FirmRow>(
    `SELECT m.link_id, e.id, e.name, m.chain_owner, loc.zone_id, z.name AS zone_name, z.city, ST_X(loc.pt) AS lon, ST_Y(loc.pt) AS lat
     FROM chain_link_enterprises m JOIN chain_links cl ON cl.id = m.link_id JOIN enterprises e ON e.id = m.enterprise_id
       LEFT JOIN LATERAL (
         SELECT p.zone_id, ST_PointOnSurface(p.geom) AS pt FROM parcel_uses u JOIN parcels p ON p.id = u.parcel_id
         WHERE u.enterprise_id = e.id ORDER BY (u.role = 'owner') DESC, u.area_m2 DESC, p.id LIMIT 1) loc ON true
       LEFT JOIN zones z ON z.id = loc.zone_id
     WHERE cl.chain_id = $1 ORDER BY m.chain_owner DESC, e.name, e.id`,
    [chainId],
  );
}

interface ParcelRow {
  id: number;
  code: string;
  zone_id: number;
  zone_name: string;
  city: string;
  area_m2: number;
  land_use_code: string;
  leading_industry: string | null;
  infrastructure: Record<string, boolean>;
  price_wan_per_mu: number | null;
  is_standard_land: boolean;
  lon: number;
  lat: number;
}

/** Available parcels (optionally of some zones or a city) as candidates, each with its distance to the nearest of `firmPoints`. */
export async function availableLand(db: Queryable, firmPoints: [number, number][], scope: { zoneIds?: number[] | null; city?: string | null } = {}) {
  const where = ["p.status = 'available'"];
  const values: unknown[] = [];
  if (scope.zoneIds?.length) {
    values.push(scope.zoneIds);
    where.push(`p.zone_id = ANY($${values.length}::int[])`);
  }
  if (scope.city) {
    values.push(scope.city);
    where.push(`z.city = $${values.length}`);
  }
  const parcels = await db.query<ParcelRow>(
    `SELECT p.id, p.code, p.zone_id, z.name AS zone_name, z.city, p.area_m2, p.land_use_code, z.leading_industry, p.infrastructure,
       CASE WHEN p.land_price_wan IS NULL OR p.area_m2 <= 0 THEN NULL ELSE round((p.land_price_wan / (p.area_m2 / 666.6666666666666))::numeric, 1)::float8 END AS price_wan_per_mu,
       p.is_standard_land, ST_X(ST_PointOnSurface(p.geom)) AS lon, ST_Y(ST_PointOnSurface(p.geom)) AS lat
     FROM parcels p JOIN zones z ON z.id = p.zone_id WHERE ${where.join(' AND ')}`,
    values,
  );
  const candidates: LandCandidate[] = parcels.map((p) => {
    const near = nearestKm([p.lon, p.lat], firmPoints);
    return {
      id: p.id,
      kind: 'parcel',
      areaMu: areaMuFromSquareMetres(p.area_m2),
      landUseCode: p.land_use_code,
      zoneId: p.zone_id,
      city: p.city,
      industryText: p.leading_industry ?? '',
      infrastructure: Object.entries(p.infrastructure ?? {})
        .filter(([, v]) => v)
        .map(([k]) => k),
      priceWanPerMu: p.price_wan_per_mu,
      standardLand: p.is_standard_land,
      chainDistanceKm: near ? Math.round(near.km * 10) / 10 : null,
    };
  });
  return { parcels, candidates };
}

/**
 * Standard factory buildings with vacant floor area (floor area − area leased, as on the supply page) as candidates:
 * the zone's leading industries as what they are meant for, the distance from the building to the nearest of `firmPoints`.
 */
export async function availableFactories(db: Queryable, firmPoints: [number, number][]) {
  const factories = await db.query<{
    id: number;
    name: string;
    zone_id: number;
    zone_name: string;
    city: string;
    leading_industry: string | null;
    vacant_area_m2: number;
    lon: number;
    lat: number;
  }>(
    `SELECT b.id, b.name, b.zone_id, z.name AS zone_name, z.city, z.leading_industry, round((b.floor_area_m2 - b.leased_area_m2)::numeric, 2)::float8 AS vacant_area_m2,
       ST_X(ST_PointOnSurface(b.geom)) AS lon, ST_Y(ST_PointOnSurface(b.geom)) AS lat
     FROM factory_buildings b JOIN zones z ON z.id = b.zone_id WHERE b.floor_area_m2 > b.leased_area_m2`,
  );
  const candidates: LandCandidate[] = factories.map((f) => {
    const near = nearestKm([f.lon, f.lat], firmPoints);
    return {
      id: f.id,
      kind: 'factory',
      areaMu: 0,
      landUseCode: null,
      zoneId: f.zone_id,
      city: f.city,
      industryText: f.leading_industry ?? '',
      infrastructure: [],
      priceWanPerMu: null,
      standardLand: false,
      chainDistanceKm: near ? Math.round(near.km * 10) / 10 : null,
      vacantFloorM2: f.vacant_area_m2,
    };
  });
  return { factories, candidates };
}

/** How many suitable parcels a missing or weak link lists. */
export const PARCELS_PER_LINK = 5;

export async function chainMap(db: Queryable, actor: Actor, chainId: number, scope: { city?: string; zoneIds?: number[] }) {
  const chain = await chainOf(db, actor, chainId);
  const inScope = (zoneId: number | null, city: string | null) =>
    (!scope.zoneIds?.length || (zoneId !== null && scope.zoneIds.includes(zoneId))) && (!scope.city || city === scope.city);

  const firms = (await chainFirms(db, chainId)).filter((f) => inScope(f.zone_id, f.city));
  const projects = (
    await db.query<{
      link_id: number;
      id: number;
      name: string;
      stage: string;
      zone_id: number;
      zone_name: string;
      city: string;
      total_investment_wan: number | null;
      lon: number;
      lat: number;
    }>(
      `SELECT p.chain_link_id AS link_id, p.id, p.name, p.stage, p.zone_id, z.name AS zone_name, z.city, p.total_investment_wan, ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
       FROM projects p JOIN zones z ON z.id = p.zone_id JOIN chain_links cl ON cl.id = p.chain_link_id WHERE cl.chain_id = $1 ORDER BY p.id`,
      [chainId],
    )
  ).filter((p) => inScope(p.zone_id, p.city));
  const leadValues: unknown[] = [chainId];
  const leadLimit = leadZoneLimit(actor, leadValues);
  const leads = (
    await db.query<{
      link_id: number;
      id: number;
      investor_name: string;
      project_name: string;
      stage: string;
      zone_id: number;
      zone_name: string;
      city: string;
      planned_investment_wan: number | null;
      open: boolean;
      lon: number;
      lat: number;
    }>(
      `SELECT l.chain_link_id AS link_id, l.id, l.investor_name, l.project_name, l.stage, l.zone_id, z.name AS zone_name, z.city, l.planned_investment_wan,
         (l.signed_date IS NULL AND l.dropped_on IS NULL) AS open, ST_X(ST_PointOnSurface(z.geom)) AS lon, ST_Y(ST_PointOnSurface(z.geom)) AS lat
       FROM leads l JOIN zones z ON z.id = l.zone_id JOIN chain_links cl ON cl.id = l.chain_link_id WHERE cl.chain_id = $1${leadLimit} ORDER BY l.id`,
      leadValues,
    )
  ).filter((l) => inScope(l.zone_id, l.city));

  const links = chain.links.map((link) => {
    const linkFirms = firms.filter((f) => f.link_id === link.id);
    const linkProjects = projects.filter((p) => p.link_id === link.id);
    const linkLeads = leads.filter((l) => l.link_id === link.id);
    const status = linkStatus({ firms: linkFirms.length, chainOwners: linkFirms.filter((f) => f.chain_owner).length, projects: linkProjects.length });
    return {
      id: link.id,
      position: link.position,
      name: link.name,
      sort_order: link.sort_order,
      status,
      firms: linkFirms.map((f) => ({ id: f.id, name: f.name, chain_owner: f.chain_owner, zone_id: f.zone_id, zone_name: f.zone_name, at: at(f.lon, f.lat) })),
      projects: linkProjects.map(({ link_id: _l, city: _c, lon, lat, ...p }) => ({ ...p, at: at(lon, lat) })),
      leads: linkLeads.map(({ link_id: _l, city: _c, lon, lat, ...l }) => ({ ...l, at: at(lon, lat) })),
      filling_leads: status === 'present' ? [] : linkLeads.filter((l) => l.open).map((l) => l.id),
      parcels: [] as {
        id: number;
        code: string;
        zone_id: number;
        zone_name: string;
        area_mu: number;
        score: number;
        reasons: { key: string; ok: boolean; zh: string; en: string }[];
        at: LonLat;
      }[],
    };
  });

  // Land for the gaps: available parcels of the scope ranked for the chain (its industry, the scope, near its firms anywhere).
  if (links.some((l) => l.status !== 'present')) {
    const allFirms = (await chainFirms(db, chainId)).filter((f) => f.lon !== null).map((f) => [f.lon!, f.lat!] as [number, number]);
    const { parcels, candidates } = await availableLand(db, allFirms, { zoneIds: scope.zoneIds, city: scope.city });
    const ranked = rankLand(
      { industry: chain.name, zoneIds: scope.zoneIds?.length ? scope.zoneIds : undefined, cities: scope.city ? [scope.city] : undefined },
      candidates,
    ).slice(0, PARCELS_PER_LINK);
    const byId = new Map(parcels.map((p) => [p.id, p]));
    const suitable = ranked.map((m) => {
      const p = byId.get(m.id)!;
      return {
        id: p.id,
        code: p.code,
        zone_id: p.zone_id,
        zone_name: p.zone_name,
        area_mu: Math.round(areaMuFromSquareMetres(p.area_m2) * 10) / 10,
        score: m.score,
        reasons: m.reasons,
        at: [p.lon, p.lat] as LonLat,
      };
    });
    for (const l of links) if (l.status !== 'present') l.parcels = suitable;
  }
  return { chain, scope: { city: scope.city ?? null, zone_ids: scope.zoneIds?.length ? scope.zoneIds : null }, links };
}
