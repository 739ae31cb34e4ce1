/** The OpenAPI 3.1 document for every route under /api. A test checks that each route here answers. */
import { LAND_USE_CLASSES } from '../domain/landUse.ts';
import { PARCEL_STATUS_KEYS, PROJECT_STAGE_KEYS } from '../domain/lifecycle.ts';
import { PARCELS_DEFAULT_LIMIT, PARCELS_MAX_LIMIT } from './routes/parcels.ts';
import { PARCELS_MIN_ZOOM, TILE_LAYERS } from './tiles.ts';
import { AUDIT_ENTITIES } from './audit.ts';

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
    '/api/auth/login': {
      post: {
        summary: 'Sign in: sets an httpOnly session cookie and returns the CSRF token. Throttled per user name and address (429 with Retry-After).',
        requestBody: body('username and password', { username: 'planner', password: '…' }),
        responses: { 200: json('{ ok, csrfToken }'), 400: error, 401: error, 429: error },
      },
    },
    '/api/auth/logout': { post: { summary: 'Sign out (ends the session)', responses: { 200: json('{ ok }') } } },
    '/api/auth/me': { get: { summary: 'The signed-in user, their permissions and the CSRF token', responses: { 200: json('{ user, permissions, csrfToken }'), 401: error } } },
    '/api/auth/password': {
      post: { summary: 'Change my password (ends my sessions)', security: [{ session: [] }], requestBody: body('currentPassword, newPassword'), responses: { 200: json('{ ok }'), 400: error, 401: error, 403: error } },
    },
    '/api/permissions': { get: { summary: 'Roles and what each may do (the one table the server enforces)', responses: { 200: json('{ roles, permissions }'), 401: error } } },
    '/api/users': {
      get: { summary: 'All users (administrators)', responses: { 200: json('{ users }'), 401: error, 403: error } },
      post: { summary: 'Create a user (administrators)', requestBody: body('username, display_name, password (≥ 10 characters), role, zone_ids (null = all zones)'), responses: { 201: json('The user'), 400: error, 401: error, 403: error, 409: error } },
    },
    '/api/users/{id}': {
      patch: { summary: 'Change a user: display_name, role, zone_ids, active, password (administrators)', parameters: [idParam('User')], requestBody: body('The fields to change'), responses: { 200: json('The user'), 400: error, 401: error, 403: error, 404: error } },
    },
    '/api/history/{entity}/{id}': {
      get: {
        summary: "A record's history: who changed what, when (newest first)",
        parameters: [{ name: 'entity', in: 'path', required: true, schema: { type: 'string', enum: [...AUDIT_ENTITIES] } }, idParam('Record')],
        responses: { 200: json('{ entries }'), 400: error, 401: error },
      },
    },
    '/api/audit': {
      get: {
        summary: 'The whole audit log, filtered and paged (administrators). Entries cannot be changed or deleted.',
        parameters: ['entity', 'user', 'from', 'to', 'page', 'pageSize'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
        responses: { 200: json('{ total, page, pageSize, entries }'), 400: error, 401: error, 403: error },
      },
    },
    '/api/audit.csv': {
      get: {
        summary: 'The audit log as CSV with Chinese headers (administrators)',
        parameters: ['entity', 'user', 'from', 'to'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
        responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } }, 401: error, 403: error },
      },
    },
    '/api/admin/backup': {
      get: {
        summary: 'A fresh, consistent backup of the database, downloaded (administrators): the embedded database as .tar.gz, PostgreSQL as pg_dump custom format',
        responses: { 200: { description: 'The backup file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }, 401: error, 403: error, 501: error },
      },
    },
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
    '/api/search': {
      get: {
        summary: 'Find zones (name, code), parcels (code) and projects (name)',
        parameters: [
          { name: 'q', in: 'query', required: true, schema: { type: 'string', maxLength: 100 } },
          { name: 'limit', in: 'query', description: 'Results per kind (default 8)', schema: { type: 'integer', minimum: 1, maximum: 50 } },
        ],
        responses: { 200: json('Results with type, id, label, detail and bbox'), 400: error },
      },
    },
    '/api/public/parcels': {
      get: {
        summary: 'Public: available parcels (标准地 first) with public fields only, filtered and sorted; "count" is the number of matches',
        parameters: [
          { name: 'city', in: 'query', schema: { type: 'string' } },
          { name: 'zone', in: 'query', description: 'Zone ids, comma-separated', schema: { type: 'string' } },
          { name: 'level', in: 'query', schema: { type: 'string', enum: ['national', 'provincial'] } },
          { name: 'minMu', in: 'query', schema: { type: 'number' } },
          { name: 'maxMu', in: 'query', schema: { type: 'number' } },
          { name: 'landUse', in: 'query', schema: { type: 'string' } },
          { name: 'industry', in: 'query', description: 'Text in the zone’s leading industries', schema: { type: 'string', maxLength: 40 } },
          { name: 'infra', in: 'query', description: '7 (七通一平), 9 (九通一平) or checklist items, comma-separated', schema: { type: 'string' } },
          { name: 'standard', in: 'query', schema: { type: 'string', enum: ['0', '1'] } },
          { name: 'sort', in: 'query', schema: { type: 'string', enum: ['standard', 'area_desc', 'area_asc', 'price_asc', 'intensity_asc'] } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } },
        ],
        responses: { 200: geojson('Parcels with count and limit'), 400: error, 429: error },
      },
    },
    '/api/public/parcels/{id}': {
      get: { summary: 'Public: one available parcel’s sheet with its zone; 404 for anything not on offer', parameters: [idParam('Parcel')], responses: { 200: json('{ parcel, geometry, zone, generated_on }'), 404: error, 429: error } },
    },
    '/api/public/zones': { get: { summary: 'Public: zones with their available parcels (count, area)', responses: { 200: json('{ zones }'), 429: error } } },
    '/api/public/factories': {
      get: {
        summary: 'Public: standard factory buildings with free floor area',
        parameters: ['zone', 'city', 'minFreeM2'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
        responses: { 200: json('{ factories }'), 400: error, 429: error },
      },
    },
    '/api/public/shortlists/{token}': {
      get: {
        summary: 'Public: a promoter’s shortlist by its link; 410 once withdrawn',
        parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: json('{ title, note, created_on, parcels, unavailable_count }'), 404: error, 410: error, 429: error },
      },
    },
    '/api/shortlists': {
      get: { summary: 'Shortlists (promoters)', responses: { 200: json('{ shortlists }'), 401: error, 403: error } },
      post: write('Create a shortlist of available parcels for an investor; answers its public link', 'catalogue.edit', '{ title, note?, parcel_ids }', undefined, {
        description: 'Needs the permission "catalogue.edit", a session and the X-CSRF-Token header.',
        responses: { 201: json('{ id, token, path }'), 400: error, 401: error, 403: error },
      }),
    },
    '/api/shortlists/{id}/withdraw': {
      post: write('Withdraw a shortlist: its link answers 410 from then on', 'catalogue.edit', '{}'),
    },
    '/api/tiles/{layer}/{z}/{x}/{y}.pbf': {
      get: {
        summary: `Mapbox vector tile of parcels or zones (parcels are empty below zoom ${PARCELS_MIN_ZOOM}); ETag and Cache-Control set, 304 on If-None-Match, 204 when empty`,
        parameters: [
          { name: 'layer', in: 'path', required: true, schema: { type: 'string', enum: [...TILE_LAYERS] } },
          { name: 'z', in: 'path', required: true, schema: { type: 'integer', minimum: 0, maximum: 22 } },
          { name: 'x', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } },
          { name: 'y', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } },
        ],
        responses: {
          200: { description: 'Tile', content: { 'application/vnd.mapbox-vector-tile': { schema: { type: 'string', format: 'binary' } } } },
          204: { description: 'No features in this tile' },
          304: { description: 'Not modified' },
          400: error,
          404: error,
        },
      },
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
