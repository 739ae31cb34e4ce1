/**
 * The audit trail: every write records who, when, which record, before and after, in the same transaction
 * as the write itself. The table is append-only (a trigger refuses updates and deletes).
 */
import type { Actor } from '../domain/permissions.ts';
import { recordDiff, type FieldChange } from '../domain/recordDiff.ts';
import type { Queryable } from './db/types.ts';
import { HttpError } from './lib/http.ts';

import { AUDIT_ENTITIES, type AuditEntity } from '../domain/auditEntities.ts';

// The list lives in domain/ so that the audit routes' contract (imported by the client) can name it.
export { AUDIT_ENTITIES, type AuditEntity };

/** Snapshots: the record as JSON with its geometry as GeoJSON (never a password hash). */
const SNAPSHOT_SQL: Record<AuditEntity, string> = {
  zone: `SELECT to_jsonb(t) - 'geom' || jsonb_build_object('geometry', ST_AsGeoJSON(t.geom, 7)::jsonb) AS snap FROM zones t WHERE id = $1`,
  parcel: `SELECT to_jsonb(t) - 'geom' || jsonb_build_object('geometry', ST_AsGeoJSON(t.geom, 7)::jsonb) AS snap FROM parcels t WHERE id = $1`,
  project: `SELECT to_jsonb(t) - 'geom' || jsonb_build_object('geometry', ST_AsGeoJSON(t.geom, 7)::jsonb) AS snap FROM projects t WHERE id = $1`,
  user: `SELECT to_jsonb(t) - 'password_hash' AS snap FROM users t WHERE id = $1`,
  // Never the public token: whoever reads the history must not get the investor's link.
  shortlist: `SELECT to_jsonb(t) - 'token' AS snap FROM shortlists t WHERE id = $1`,
  setting: `SELECT to_jsonb(t) AS snap FROM settings t WHERE key = $1::text`,
  // Monthly figures have a composite key: their audit entries carry their own snapshots.
  zone_indicator: `SELECT NULL::jsonb AS snap WHERE $1::int IS NULL`,
  // Yearly targets (zone, year) likewise.
  zone_target: `SELECT NULL::jsonb AS snap WHERE $1::int IS NULL`,
  // A 三个一批 round with the projects of its batches.
  round: `SELECT to_jsonb(t) || jsonb_build_object('entries', coalesce((
      SELECT jsonb_agg(jsonb_build_object('project_id', e.project_id, 'batch', e.batch) ORDER BY e.batch, e.project_id)
      FROM project_round_entries e WHERE e.round_id = t.id), '[]'::jsonb)) AS snap FROM project_rounds t WHERE id = $1`,
  import: `SELECT to_jsonb(t) - 'dataset' AS snap FROM imports t WHERE id = $1`,
  // A lead with its contact log (the log is part of the lead's history).
  lead: `SELECT to_jsonb(t) || jsonb_build_object('contacts', coalesce((SELECT jsonb_agg(to_jsonb(c) ORDER BY c.happened_on, c.id) FROM lead_contacts c WHERE c.lead_id = t.id), '[]'::jsonb)) AS snap FROM leads t WHERE id = $1`,
  promotion_event: `SELECT to_jsonb(t) AS snap FROM promotion_events t WHERE id = $1`,
  // A 观摩 tour with its stops, criteria and judges.
  tour: `SELECT to_jsonb(t) || jsonb_build_object(
      'stops', coalesce((SELECT jsonb_agg(to_jsonb(s) ORDER BY s.stop_order) FROM tour_stops s WHERE s.tour_id = t.id), '[]'::jsonb),
      'criteria', coalesce((SELECT jsonb_agg(to_jsonb(c) ORDER BY c.sort_order, c.id) FROM tour_criteria c WHERE c.tour_id = t.id), '[]'::jsonb),
      'judges', coalesce((SELECT jsonb_agg(to_jsonb(j) ORDER BY j.sort_order, j.id) FROM tour_judges j WHERE j.tour_id = t.id), '[]'::jsonb)) AS snap
    FROM tours t WHERE id = $1`,
  // One judge's scores of one project: the entry carries its own snapshots (entity id: the tour).
  tour_score: `SELECT NULL::jsonb AS snap WHERE $1::int IS NULL`,
  // An evaluation scheme version with its indicators and thresholds (versions are never changed, only added).
  evaluation_scheme: `SELECT to_jsonb(t) || jsonb_build_object(
      'indicators', coalesce((SELECT jsonb_agg(to_jsonb(i) - 'scheme_id' ORDER BY i.sort_order) FROM evaluation_indicators i WHERE i.scheme_id = t.id), '[]'::jsonb),
      'thresholds', coalesce((SELECT jsonb_object_agg(c.class, c.min_score) FROM evaluation_class_thresholds c WHERE c.scheme_id = t.id), '{}'::jsonb)) AS snap
    FROM evaluation_schemes t WHERE id = $1`,
  // Targets (zone, year, indicator) and manual values (zone, month, indicator): their entries carry their own snapshots.
  evaluation_target: `SELECT NULL::jsonb AS snap WHERE $1::int IS NULL`,
  evaluation_value: `SELECT NULL::jsonb AS snap WHERE $1::int IS NULL`,
  // A zone's type for the evaluation's weights (the id is the zone's; a zone without a row is industrial).
  evaluation_zone_type: `SELECT jsonb_build_object('zone_id', z.id, 'zone_type', coalesce(t.zone_type, 'industrial')) AS snap
    FROM zones z LEFT JOIN evaluation_zone_types t ON t.zone_id = z.id WHERE z.id = $1`,
  // 前期手续: a catalogue entry, a project's item, a project's people (the entry's id is the project's), a problem.
  service_item: `SELECT to_jsonb(t) AS snap FROM service_items t WHERE id = $1`,
  project_service_item: `SELECT to_jsonb(t) AS snap FROM project_service_items t WHERE id = $1`,
  project_people: `SELECT jsonb_build_object('project_id', $1::int, 'people', coalesce(jsonb_agg(to_jsonb(p) ORDER BY p.id), '[]'::jsonb)) AS snap
    FROM project_people p WHERE p.project_id = $1`,
  project_problem: `SELECT to_jsonb(t) AS snap FROM project_problems t WHERE id = $1`,
  // A chain with its links and the firms on them (projects and leads carry their link in their own history).
  industry_chain: `SELECT to_jsonb(t) || jsonb_build_object('links', coalesce((SELECT jsonb_agg(jsonb_build_object('id', l.id, 'position', l.position, 'name', l.name,
      'enterprises', coalesce((SELECT jsonb_agg(jsonb_build_object('enterprise_id', m.enterprise_id, 'chain_owner', m.chain_owner) ORDER BY m.enterprise_id)
        FROM chain_link_enterprises m WHERE m.link_id = l.id), '[]'::jsonb)) ORDER BY l.sort_order, l.id) FROM chain_links l WHERE l.chain_id = t.id), '[]'::jsonb)) AS snap
    FROM industry_chains t WHERE id = $1`,
  land_transfer: `SELECT to_jsonb(t) AS snap FROM land_transfers t WHERE id = $1`,
  transfer_acceptance: `SELECT to_jsonb(t) AS snap FROM transfer_acceptances t WHERE id = $1`,
  supply_target: `SELECT to_jsonb(t) AS snap FROM supply_targets t WHERE id = $1`,
  // A lease with the building's leased area as it became.
  factory_lease: `SELECT to_jsonb(t) || jsonb_build_object('building_leased_area_m2', (SELECT b.leased_area_m2 FROM factory_buildings b WHERE b.id = t.building_id)) AS snap
    FROM factory_leases t WHERE id = $1`,
  enterprise: `SELECT to_jsonb(t) AS snap FROM enterprises t WHERE id = $1`,
  // A parcel's extensions of its agreed start date (the entry's id is the parcel's), oldest first.
  parcel_extension: `SELECT jsonb_build_object('parcel_id', $1::int, 'extensions', coalesce(jsonb_agg(to_jsonb(e) ORDER BY e.signed_on, e.id), '[]'::jsonb)) AS snap
    FROM parcel_start_extensions e WHERE e.parcel_id = $1`,
};

export type Snapshot = Record<string, unknown> & { version?: number };

export async function snapshot(tx: Queryable, entity: AuditEntity, id: number): Promise<Snapshot | null> {
  const [row] = await tx.query<{ snap: Snapshot }>(SNAPSHOT_SQL[entity], [id]);
  return row?.snap ?? null;
}

export interface AuditEntry {
  action: string;
  entity: AuditEntity;
  entityId: number | null;
  before: Snapshot | null;
  after: Snapshot | null;
  note?: string;
}

export async function recordAudit(tx: Queryable, actor: Pick<Actor, 'id' | 'username'> | null, entry: AuditEntry): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (user_id, username, action, entity, entity_id, entity_version, before, after, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9)`,
    [
      actor && actor.id > 0 ? actor.id : null,
      actor?.username ?? 'system',
      entry.action,
      entry.entity,
      entry.entityId,
      (entry.after?.version as number | undefined) ?? (entry.before?.version as number | undefined) ?? null,
      entry.before ? JSON.stringify(entry.before) : null,
      entry.after ? JSON.stringify(entry.after) : null,
      entry.note ?? null,
    ],
  );
}

/**
 * The answer to a save over someone else's newer change: 409 with who changed what since the version the
 * user started from, and the record as it is now. Nothing is written.
 */
export async function conflictError(tx: Queryable, entity: AuditEntity, id: number, baseVersion: number, current: Snapshot): Promise<HttpError> {
  const rows = await tx.query<{ at: string; username: string; before: Snapshot | null; after: Snapshot | null }>(
    `SELECT at, username, before, after FROM audit_log
     WHERE entity = $1 AND entity_id = $2 AND entity_version > $3 ORDER BY id`,
    [entity, id, baseVersion],
  );
  const theirChanges: { at: string; username: string; changes: FieldChange[] }[] = rows.map((r) => ({
    at: r.at,
    username: r.username,
    changes: recordDiff(r.before, r.after),
  }));
  const who = [...new Set(rows.map((r) => r.username))].join(', ') || 'someone else';
  const fields = [...new Set(theirChanges.flatMap((c) => c.changes.map((x) => x.field)))];
  return new HttpError(
    409,
    'conflict',
    `This ${entity} was changed by ${who} after you opened it (version ${baseVersion} → ${current.version})${fields.length ? `: ${fields.join(', ')}` : ''}. Nothing was saved; review their change and save again.`,
    { currentVersion: current.version, current, theirChanges },
  );
}
