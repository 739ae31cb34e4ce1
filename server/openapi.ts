/** The OpenAPI 3.1 document for every route under /api. A test checks that each route here answers. */
import { LAND_USE_CLASSES } from '../domain/landUse.ts';
import { PARCEL_STATUS_KEYS, PROJECT_STAGE_KEYS } from '../domain/lifecycle.ts';
import { PARCELS_DEFAULT_LIMIT, PARCELS_MAX_LIMIT } from './routes/parcels.ts';

const error = { $ref: '#/components/responses/Error' };
const idParam = (what: string) => ({ name: 'id', in: 'path', required: true, description: `${what} id`, schema: { type: 'integer', minimum: 1 } });
const geojson = (description: string) => ({ description, content: { 'application/geo+json': { schema: { $ref: '#/components/schemas/FeatureCollection' } } } });
/** The parameters every export takes: the file format, the coordinate system, the zones. */
const EXPORT_PARAMETERS = [
  { name: 'format', in: 'query', required: false, description: 'gpkg: GeoPackage; txt: the ministry coordinate TXT (GBK; Gauss–Krüger crs only; parcels and zones)', schema: { type: 'string', enum: ['geojson', 'shp', 'kml', 'csv', 'xlsx', 'gpkg', 'txt'] } },
  { name: 'crs', in: 'query', required: false, description: '4326 (WGS84, default), 4490 (CGCS2000 lon/lat) or a CGCS2000 Gauss–Krüger EPSG code 4491–4554; KML takes 4326 or 4490', schema: { type: 'integer' } },
  { name: 'zone', in: 'query', required: false, schema: { type: 'string' } },
];
const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const body = (description: string, example?: unknown) => ({ required: true, description, content: { 'application/json': { schema: { type: 'object' }, ...(example ? { example } : {}) } } });
/** Writes: a session cookie, the X-CSRF-Token header, and the role (and zone) the permission table names. */
const write = (summary: string, permission: string, description: string, example?: unknown, extra: Record<string, unknown> = {}) => ({
  summary,
  description: `Needs the permission "${permission}" (see GET /api/permissions) in the record's zone, a session and the X-CSRF-Token header.`,
  security: [{ session: [] }],
  requestBody: body(description, example),
  responses: { 200: json('The record after the change'), 400: error, 401: error, 403: error, 404: error, 409: error, 422: error },
  ...extra,
});

const asOfParam = { name: 'asOf', in: 'query', description: 'Judge as of this date (default today)', schema: { type: 'string', format: 'date' } };

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Park Atlas 园区一张图 API',
    version: '0.1.0',
    description:
      'Development zones, their parcels and projects. Geometry in WGS84 (EPSG:4326); areas in m² (ellipsoidal), money in 万元. Errors are JSON: {"error": {"code", "message"}}. Everything except health, config, this document and signing in needs a session (cookie pa_session); writes also need the X-CSRF-Token header.',
  },
  paths: {
    '/api/health': { get: { summary: 'Service and database status', responses: { 200: json('Database kind, durability (full: commits synced to disk; off: EMBEDDED_FSYNC=off; memory; relaxed: PostgreSQL with fsync or synchronous_commit off), PostgreSQL and PostGIS versions, counts') } } },
    '/api/health/live': { get: { summary: 'Liveness: the process answers', responses: { 200: json('{ status: "ok" }') } } },
    '/api/health/ready': { get: { summary: 'Readiness: the database answers and is fully migrated, and the process is not stopping', responses: { 200: json('{ status: "ok" }'), 503: json('{ status: "unavailable", problems }') } } },
    '/api/config': { get: { summary: 'Client settings: basemaps configured on the server, the demo facts (null on the operator\'s own data), the time zone "today" is counted in', responses: { 200: json('Settings') } } },
    '/api/openapi.json': { get: { summary: 'This document', responses: { 200: json('OpenAPI 3.1') } } },
    '/api/zones': { get: { summary: 'All development zones as GeoJSON (boundaries, level, city, counts, label point)', responses: { 200: geojson('Zones'), 400: error } } },
    '/api/zones/{id}': {
      patch: write('Edit a zone: attributes and boundary (the boundary must keep its parcels inside)', 'zone.edit', '{ version, changes: { name, level, … }, geometry? }'),
      get: { summary: 'One zone with counts, area by land use and parcels by status', parameters: [idParam('Zone')], responses: { 200: json('Zone'), 400: error, 404: error } },
    },
    '/api/parcels': {
      post: write('Draw a new parcel (status 储备)', 'parcel.editGeometry + parcel.editAttributes', '{ zone_id, code, land_use_code, geometry, acceptOverlaps? }', undefined, {
        responses: { 201: json('The new parcel'), 400: error, 401: error, 403: error, 409: error, 422: error },
      }),
      get: {
        summary: 'Parcels within a bounding box as GeoJSON, bounded in size',
        parameters: [
          { name: 'bbox', in: 'query', required: true, description: 'minLon,minLat,maxLon,maxLat (WGS84), at most 10° a side', schema: { type: 'string', example: '112.5,37.6,112.9,37.9' } },
          { name: 'zone', in: 'query', description: 'Zone ids, comma-separated', schema: { type: 'string' } },
          { name: 'status', in: 'query', description: 'Lifecycle statuses, comma-separated', schema: { type: 'string', enum: [...PARCEL_STATUS_KEYS] } },
          { name: 'landUse', in: 'query', description: 'Land-use codes (2023 classification), comma-separated; a code matches the codes below it', schema: { type: 'string', enum: LAND_USE_CLASSES.map((c) => c.code) } },
          { name: 'limit', in: 'query', description: `At most this many features (default ${PARCELS_DEFAULT_LIMIT}); "truncated" says when more matched`, schema: { type: 'integer', minimum: 1, maximum: PARCELS_MAX_LIMIT } },
        ],
        responses: { 200: geojson('Parcels, with "limit" and "truncated"'), 400: error },
      },
    },
    '/api/parcels/{id}': {
      patch: write(
        "Edit a parcel's fields and/or geometry. Refused: a stale version (409, with the other user's changes), invalid geometry (422, with a repaired version to accept), land outside the zone (422), overlaps unless acceptOverlaps (422).",
        'parcel.editAttributes / parcel.editLandRecord / parcel.editGeometry, by field',
        '{ version, changes?: { field: value }, geometry?: Polygon|MultiPolygon, acceptOverlaps?: boolean, geometryNote?: string }',
        { version: 3, changes: { land_use_code: '100102' } },
      ),
      get: {
        summary: 'One parcel: code, areas, land use, status and dates, 标准地 indicators, infrastructure, enterprises, projects',
        parameters: [idParam('Parcel')],
        responses: { 200: json('Parcel'), 400: error, 404: error },
      },
    },
    '/api/parcels/{id}/extensions': {
      get: {
        summary: "A parcel's extensions of its agreed start date (《闲置土地处置办法》 Art. 8, 延长动工开发期限), oldest first: the date each replaced and set, the day the agreement was signed, the Art. 8 reason, the document's number, a note, who recorded it and when; effective_start_date is the date the idle rule counts from today",
        parameters: [idParam('Parcel')],
        responses: { 200: json('{ parcel_id, zone_id, agreed_start_date, effective_start_date, extensions: [{ id, previous_start_date, start_date, signed_on, reason, document_no, note, recorded_by, recorded_at }] }'), 400: error, 401: error, 404: error },
      },
      post: write(
        "Record an extension agreement. reason is one of land_not_delivered, planning_change, policy_change, petitions, military_heritage, other_government (needs a note), force_majeure. Refused with every problem (400, Chinese and English): a parcel not supplied, already started or without an agreed start date; a date that does not move the start later than the date in force; a start before the signing day or more than one year beyond the later of the date in force and the signing day (Art. 12); an agreement signed in the future, before the land was supplied or before the previous agreement. The idle rule counts from the new date from the signing day on. Recorded in the audit log (entity parcel_extension)",
        'parcel.editLandRecord',
        '{ start_date, signed_on, reason, document_no, note? }',
        { start_date: '2026-12-01', signed_on: '2026-09-01', reason: 'planning_change', document_no: '晋自然资补〔2026〕7号', note: '控规调整' },
        { parameters: [idParam('Parcel')], responses: { 201: json('The parcel\'s extensions, as GET answers'), 400: error, 401: error, 403: error, 404: error } },
      ),
    },
    '/api/projects': {
      get: {
        summary: 'Projects as GeoJSON points',
        parameters: [
          { name: 'zone', in: 'query', description: 'Zone ids, comma-separated', schema: { type: 'string' } },
          { name: 'stage', in: 'query', description: `Stages, comma-separated: keys of GET /api/supervision/stages (by default ${PROJECT_STAGE_KEYS.join(', ')})`, schema: { type: 'string' } },
          { name: 'light', in: 'query', description: 'Traffic lights, comma-separated (each pin carries its light)', schema: { type: 'string', enum: ['green', 'yellow', 'red', 'none'] } },
          asOfParam,
        ],
        responses: { 200: geojson('Projects'), 400: error },
      },
    },
    '/api/parcels/{id}/split': {
      post: write('Split a parcel along a line: the largest piece keeps the code, the others become CODE-2, CODE-3 …', 'parcel.editGeometry', '{ version, line: LineString }'),
    },
    '/api/parcels/merge': {
      post: write('Merge adjacent parcels of one zone into the first one listed', 'parcel.editGeometry', '{ parcels: [{ id, version }, …] }'),
    },
    '/api/parcels/check-geometry': {
      post: write('Check a proposed geometry without saving: validity (and repair), area outside the zone, overlapped parcels', 'parcel.editGeometry', '{ zone_id, geometry, parcel_id? }'),
    },
    '/api/projects/{id}': {
      patch: write('Edit a project: stage, stage dates (in order), planned dates, investment, output and tax, parcel link (by id or code; the linked parcel then follows the project\'s stage, audited)', 'project.edit', '{ version, changes?: { stage, started_date, plan_started_date, … }, parcel_id? | parcel_code? }'),
      get: { summary: 'One project with its stage timeline (actual and planned dates), investment, zone, parcel, 三个一批 rounds, traffic light and 三未 state', parameters: [idParam('Project')], responses: { 200: json('Project'), 400: error, 404: error } },
    },
    '/api/land/idle': {
      get: {
        summary: 'Idle land by 《闲置土地处置办法》 as of a date: per-zone totals (idle ratio, 批而未供, 供而未用), counts by state, the map colouring, and the parcels the rule catches within the horizon (idle; at risk with days left; fine with a countdown inside the horizon; no agreed start date), most urgent first; JSON (paged), CSV or Excel (all)',
        parameters: [
          { name: 'asOf', in: 'query', description: 'YYYY-MM-DD, default today', schema: { type: 'string', format: 'date' } },
          { name: 'zone', in: 'query', description: 'Zone ids, comma-separated', schema: { type: 'string' } },
          { name: 'state', in: 'query', description: 'Comma-separated; default all four', schema: { type: 'string', enum: ['idle', 'at_risk', 'fine', 'no_agreed_date'] } },
          { name: 'horizon', in: 'query', description: 'Days ahead to list countdowns (90–3650, default 90, the at-risk window)', schema: { type: 'integer' } },
          { name: 'limit', in: 'query', description: 'Parcels per page (JSON), default 1000', schema: { type: 'integer' } },
          { name: 'offset', in: 'query', schema: { type: 'integer' } },
          { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv', 'xlsx'] } },
        ],
        responses: { 200: json('{ asOf, horizonDays, totals, zones, counts, map: { idle, at_risk: [id, daysLeft, lon, lat][], no_agreed_date, not_supplied }, total, offset, limit, parcels }'), 400: error, 401: error },
      },
    },
    '/api/land/parcels': {
      get: {
        summary: 'Parcels in a box (at most 2° a side, 20,000 parcels) with what a drawn-area analysis needs: land use, supplied, built and idle as of the date, output attributed to the parcel, land in use',
        parameters: [
          { name: 'bbox', in: 'query', required: true, schema: { type: 'string' } },
          { name: 'asOf', in: 'query', schema: { type: 'string', format: 'date' } },
        ],
        responses: { 200: geojson('Parcels'), 400: error, 401: error },
      },
    },
    '/api/land/dashboard': {
      get: {
        summary: 'Zone land dashboard as of a date: land use by class, lifecycle areas, the intensive-use indicators (TD/T 1029) with formulas and inputs, zone type; per zone and for all together',
        parameters: [
          { name: 'asOf', in: 'query', schema: { type: 'string', format: 'date' } },
          { name: 'zone', in: 'query', description: 'Zone ids, comma-separated', schema: { type: 'string' } },
          { name: 'year', in: 'query', description: 'Tax year (default: the year before asOf)', schema: { type: 'integer' } },
        ],
        responses: { 200: json('{ asOf, taxYear, all, zones }'), 400: error, 401: error },
      },
    },
    '/api/land/mujun': {
      get: {
        summary: '亩均论英雄 with the saved scheme: class counts, zone per-mu output, a page of the ranking (indicators, score, rank, class A–D) and of those not rated (and why, with counts by reason), and the map: parcel ids by class, and by quintile of one indicator when `measure` is given',
        parameters: [
          { name: 'zone', in: 'query', description: 'Zone ids: rate the enterprises using land there, against their own averages', schema: { type: 'string' } },
          { name: 'limit', in: 'query', description: 'Rows of the ranking and of the unrated list, default 200', schema: { type: 'integer' } },
          { name: 'offset', in: 'query', schema: { type: 'integer' } },
          { name: 'measure', in: 'query', description: 'An indicator key (e.g. tax_per_mu) to map in quintiles', schema: { type: 'string' } },
        ],
        responses: { 200: json('{ version, scheme, classes, zones, rated_total, rated, not_rated_total, not_rated_counts, not_rated, map: { classes: { A, B, C, D }, values: { measure, unit, breaks, parcels } | null } }'), 400: error, 401: error },
      },
    },
    '/api/land/mujun/preview': {
      post: {
        summary: 'What-if: the evaluation with an unsaved scheme',
        requestBody: body('{ scheme, zone?, limit?, offset?, measure? }'),
        responses: { 200: json('Same as GET /api/land/mujun'), 400: error, 401: error, 403: error },
      },
    },
    '/api/land/mujun/scheme': {
      get: { summary: 'The saved 亩均 scheme (or the documented default, version 0)', responses: { 200: json('{ scheme, version }'), 401: error } },
      put: write('Save the 亩均 scheme (administrators); recorded in the audit log', 'user.manage', '{ version, scheme }'),
    },
    '/api/imports': {
      get: { summary: 'Committed imports (newest first, limited to my zones): who, when, file, counts, status (committed or undone)', responses: { 200: json('{ imports }'), 401: error } },
      post: {
        summary: 'Upload a land file to stage an import: Shapefile (.zip with .shp/.shx/.dbf/.prj/.cpg), GeoJSON, KML/KMZ, CSV or Excel (.xlsx)',
        description:
          'Needs "parcel.import". The body is the file itself (Content-Type: application/octet-stream) and X-File-Name its URI-encoded name. Files over the limit (100 MB, IMPORT_MAX_MB) get 413 before they are read; zip bombs and paths outside the zip are refused. Nothing is written to parcels: the answer has the import id, columns, the coordinate system read or guessed (to confirm), and the proposed field mapping.',
        security: [{ session: [] }],
        parameters: [{ name: 'zone', in: 'query', required: false, description: 'Zone id the data belongs to (helps guess an unprefixed Gauss–Krüger zone)', schema: { type: 'integer' } }],
        requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        responses: { 201: json('{ id, fileName, format, features, columns, crs, mapping, notes, encoding }'), 400: error, 401: error, 403: error, 413: error, 415: error, 422: error },
      },
    },
    '/api/imports/options': { get: { summary: 'Coordinate systems, mapping targets, land-use standards and the size limit', responses: { 200: json('{ crs, kinds, targets, enterpriseTargets, zoneTargets, projectTargets, landUseStandards, maxBytes }'), 401: error } } },
    '/api/imports/{id}/check': {
      post: write('Check a staged import: reprojection, mapping, validity, zones, overlaps, duplicates, areas, codes, dates and numbers; nothing is written', 'parcel.import', '{ epsg, swapped, mapping: { fields, areaUnit, landUseStandard }, zoneId, areaTolerancePct, repair, acceptOverlaps }', { epsg: 4547, mapping: { fields: { code: '地块编号', land_use_code: '用地性质' }, areaUnit: 'm2', landUseStandard: 'auto' }, zoneId: null }, { parameters: [idParam('Import')] }),
    },
    '/api/imports/{id}/commit': {
      post: write('Commit a staged import in one transaction (all or nothing; parcels with the same code in the zone are updated); one audit entry', 'parcel.import', 'The same settings as the check', undefined, { parameters: [idParam('Import')] }),
    },
    '/api/imports/{id}/cancel': { post: write('Cancel a staged import (its features are dropped)', 'parcel.import', 'Empty', undefined, { parameters: [idParam('Import')] }) },
    '/api/imports/{id}/undo': {
      post: write('Undo a committed import as a whole: created parcels, zones, projects or enterprises removed, updated ones restored (refused if any changed since)', 'parcel.import', 'Empty', undefined, { parameters: [idParam('Import')] }),
    },
    '/api/export/zones': {
      get: {
        summary: 'Export zone boundaries (all, or some) in the same formats and coordinate systems as parcels',
        security: [{ session: [] }],
        parameters: EXPORT_PARAMETERS,
        responses: { 200: { description: 'The file (Content-Disposition: attachment)' }, 400: error, 401: error },
      },
    },
    '/api/export/projects': {
      get: {
        summary: 'Export projects (all, or of some zones) as points in the same formats and coordinate systems as parcels; the columns are those the importer reads back (zone, parcel and enterprise by code, stage by its Chinese name)',
        security: [{ session: [] }],
        parameters: EXPORT_PARAMETERS,
        responses: { 200: { description: 'The file (Content-Disposition: attachment)' }, 400: error, 401: error },
      },
    },
    '/api/export/parcels': {
      get: {
        summary: 'Export parcels (all, or filtered) as GeoJSON, Shapefile (.zip with .prj and .cpg), KML, CSV (with WKT) or Excel, in WGS84 or a CGCS2000 Gauss–Krüger zone. Internal fields included: signed-in users only.',
        security: [{ session: [] }],
        parameters: [
          ...EXPORT_PARAMETERS,
          { name: 'status', in: 'query', required: false, schema: { type: 'string' } },
          { name: 'landUse', in: 'query', required: false, schema: { type: 'string' } },
          { name: 'bbox', in: 'query', required: false, schema: { type: 'string' } },
        ],
        responses: { 200: { description: 'The file (Content-Disposition: attachment)' }, 400: error, 401: error },
      },
    },
  },
  components: {
    schemas: {
      FeatureCollection: {
        type: 'object',
        required: ['type', 'features'],
        properties: { type: { const: 'FeatureCollection' }, features: { type: 'array', items: { type: 'object' } } },
      },
      Error: {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
    securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'pa_session' } },
    responses: { Error: { description: 'A JSON error a person can read', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
  },
} as const;
