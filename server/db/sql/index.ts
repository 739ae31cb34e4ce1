/**
 * Fixed SQL lives in .sql files beside this one, named for what they return, read once at start-up: a
 * missing file fails the start, not a request.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const dir = path.dirname(fileURLToPath(import.meta.url));
const load = (name: string) => readFileSync(path.join(dir, `${name}.sql`), 'utf8');

export const sql = {
  zonesFeatureCollection: load('zones_feature_collection'),
  zoneById: load('zone_by_id'),
  zoneLandUse: load('zone_land_use'),
  zoneParcelStatus: load('zone_parcel_status'),
  parcelById: load('parcel_by_id'),
  parcelEnterprises: load('parcel_enterprises'),
  parcelProjects: load('parcel_projects'),
  parcelFactoryBuildings: load('parcel_factory_buildings'),
  projectById: load('project_by_id'),
  projectRounds: load('project_rounds'),
  search: load('search'),
  parcelsMvt: load('parcels_mvt'),
  zonesMvt: load('zones_mvt'),
  health: load('health'),
  zoneLandByClass: load('zone_land_by_class'),
  zoneTax: load('zone_tax'),
  idleCandidates: load('idle_candidates'),
} as const;
