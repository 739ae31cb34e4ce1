/** The OpenAPI 3.1 document for every route under /api. A test checks that each route here answers. */
import { PARCELS_MIN_ZOOM, TILE_LAYERS } from './tiles.ts';
import { AUDIT_ENTITIES } from './audit.ts';

const error = { $ref: '#/components/responses/Error' };
const idParam = (what: string) => ({ name: 'id', in: 'path', required: true, description: `${what} id`, schema: { type: 'integer', minimum: 1 } });
const geojson = (description: string) => ({ description, content: { 'application/geo+json': { schema: { $ref: '#/components/schemas/FeatureCollection' } } } });
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

const scopeZone = { name: 'zone', in: 'query', description: 'Zone ids, comma-separated (or give city; neither = all zones)', schema: { type: 'string' } };
const scopeCity = { name: 'city', in: 'query', description: 'A city: its zones (e.g. 朔州市)', schema: { type: 'string' } };
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
    '/api/supervision/rounds': {
      get: {
        summary: '三个一批 rounds (e.g. 2024年第二次), oldest first, with how many projects each lists in the 签约 / 开工 / 投产 batches',
        parameters: [scopeZone, scopeCity],
        responses: { 200: json('{ rounds: [{ id, name, held_on, signed, started, producing }] }'), 400: error, 401: error },
      },
      post: write('Create a 三个一批 round (users with round.edit for all zones): a name of 1–40 characters such as 2026年第二次, unique (409 otherwise), and the date it was held; recorded in the audit log', 'round.edit', '{ name, held_on }', { name: '2026年第二次', held_on: '2026-09-20' }, { responses: { 201: json('The round { id, name, held_on, version, entries: [] }'), 400: error, 401: error, 403: error, 409: error } }),
    },
    '/api/supervision/rounds/import': {
      post: {
        summary: "Import a round's list (台账) from CSV (text/csv) or Excel (.xlsx) sent as the body. Header: 项目名称 or 项目编号 (the project id), 批次 (签约 / 开工 / 投产, also 签约一批 … or signed / started / producing), optionally 轮次 (an existing round's name; else the round= parameter) and 开发区 (to tell projects of one name apart). All rows or none: 422 lists every bad row with its line and reason (unknown or ambiguous project, a project already in another batch of the round or twice in the file, outside the user's zones, unknown batch or round). Rows already listed in the same batch are left as they are. dryRun=true checks only (a preview). One audit entry per round written (action import_list)",
        description: 'Needs the permission "round.edit" (for a zone-limited user, for each project\'s zone), a session and the X-CSRF-Token header. An optional X-File-Name header (URI-encoded) names the file in the audit entry.',
        security: [{ session: [] }],
        parameters: [
          { name: 'round', in: 'query', description: 'The round for rows without a 轮次', schema: { type: 'integer', minimum: 1 } },
          { name: 'dryRun', in: 'query', description: 'true: check and preview only, nothing written', schema: { type: 'boolean', default: false } },
        ],
        requestBody: {
          required: true,
          content: { 'text/csv': { schema: { type: 'string' } }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } },
        },
        responses: { 200: json('{ dryRun, added, already, rounds: [{ id, name, added }], entries: [{ line, round_id, round_name, project_id, name, zone_name, batch, already }] }'), 400: error, 401: error, 403: error, 404: error, 422: error },
      },
    },
    '/api/supervision/rounds/{id}': {
      get: { summary: 'One round with the projects of its 签约一批 / 开工一批 / 投产一批 batches (name, zone, stage, investment) and its version', parameters: [idParam('Round')], responses: { 200: json('{ id, name, held_on, version, entries: [{ project_id, batch, name, zone_id, zone_name, stage, total_investment_wan, completed_investment_wan }] }'), 400: error, 401: error, 404: error } },
      patch: write('Rename or re-date a round (all-zone users with round.edit); 409 when another round has the name, or when the round changed since `version` (with the other change); recorded in the audit log', 'round.edit', '{ version, name?, held_on? }', { version: 1, name: '2026年第二次', held_on: '2026-09-20' }, { parameters: [idParam('Round')] }),
      delete: { ...write('Delete a round that lists no project (409 saying how many to take out first); recorded in the audit log', 'round.edit', 'none'), requestBody: undefined, parameters: [idParam('Round')], responses: { 200: json('{ ok }'), 400: error, 401: error, 403: error, 404: error, 409: error } },
    },
    '/api/supervision/rounds/{id}/entries': {
      post: write("Put a project into a batch of the round (signed 签约一批, started 开工一批, producing 投产一批). A project may be in several rounds but in one batch of a round: a second listing gets 409 naming the batch; an unknown project 400; a project outside a zone-limited user's zones 403. Recorded in the audit log", 'round.edit', '{ project_id, batch }', { project_id: 12, batch: 'signed' }, { parameters: [idParam('Round')], responses: { 201: json('The round with its entries'), 400: error, 401: error, 403: error, 404: error, 409: error } }),
    },
    '/api/supervision/rounds/{id}/entries/{projectId}': {
      delete: {
        ...write('Take a project out of the round (404 when it is not listed); recorded in the audit log', 'round.edit', 'none'),
        requestBody: undefined,
        parameters: [idParam('Round'), { name: 'projectId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
      },
    },
    '/api/supervision/rates': {
      get: {
        summary: '三个一批 rates: 签约项目开工率, 开工项目投产率, 投产项目达产率 by investment or by count, with the projects behind each number (base, achieved, left out for missing figures) and projects refused for dates out of order; share is 0..1, null when there is nothing to divide by',
        parameters: [
          { name: 'rounds', in: 'query', description: 'Round ids "1,3" or a range "1-3" in time order (default: all rounds)', schema: { type: 'string' } },
          scopeZone, scopeCity,
          { name: 'basis', in: 'query', schema: { type: 'string', enum: ['investment', 'count'], default: 'investment' } },
          asOfParam,
        ],
        responses: { 200: json('{ basis, asOf, scope, rounds, start, produce, capacity, refused, projects }'), 400: error, 401: error },
      },
    },
    '/api/supervision/sanwei': {
      get: {
        summary: '三未 lists: 签而未落, 落而未投, 投而未效 projects with the date they got stuck and the days since, counts per zone; as JSON, CSV (UTF-8 with BOM) or Excel (a sheet per list and a zone summary)',
        parameters: [
          scopeZone, scopeCity,
          { name: 'kind', in: 'query', description: 'Lists, comma-separated', schema: { type: 'string', enum: ['signed_not_landed', 'landed_not_producing', 'producing_not_effective'] } },
          asOfParam,
          { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv', 'xlsx'], default: 'json' } },
        ],
        responses: { 200: json('{ asOf, scope, projects, zones } or a file'), 400: error, 401: error },
      },
    },
    '/api/supervision/lights': {
      get: {
        summary: 'Traffic lights (红黄绿) of the projects against their planned dates with the saved thresholds: counts in all and per zone, and the projects (filtered by light) most behind first',
        parameters: [
          scopeZone, scopeCity,
          { name: 'light', in: 'query', description: 'Lights, comma-separated', schema: { type: 'string', enum: ['green', 'yellow', 'red', 'none'] } },
          asOfParam,
        ],
        responses: { 200: json('{ asOf, thresholds, counts, zones, projects }'), 400: error, 401: error },
      },
    },
    '/api/supervision/settings': {
      get: { summary: 'The light thresholds (days behind a planned date: green up to yellowAfterDays, yellow up to redAfterDays, red beyond); version 0 = the defaults', responses: { 200: json('{ version, lights }'), 401: error } },
      put: write('Save the light thresholds (administrators); recorded in the audit log', 'user.manage', '{ version, lights: { yellowAfterDays, redAfterDays } }', { version: 0, lights: { yellowAfterDays: 30, redAfterDays: 90 } }),
    },
    '/api/supervision/stages': {
      get: { summary: 'The project stage list: the six standard stages (谋划 → 签约 → 落地 → 开工 → 投产 → 达产, renamable) and any a city added between them; version 0 = the default', responses: { 200: json('{ version, stages: [{ key, zh, en, color, builtin }] }'), 401: error } },
      put: write('Save the stage list (administrators); the six standard stages stay, in order; an added stage still used by a project cannot be removed (409); recorded in the audit log', 'user.manage', '{ version, stages }'),
    },
    '/api/supervision/briefing': {
      get: {
        summary: 'The monthly briefing of a zone or a city: 三个一批 rates by investment for the rounds held by the month end, lights, indicators behind target (预警) and 三未 projects; JSON for the printable page or an A4 PDF',
        parameters: [
          { name: 'zone', in: 'query', description: 'One zone id (or give city)', schema: { type: 'integer' } },
          scopeCity,
          { name: 'month', in: 'query', required: true, schema: { type: 'string', pattern: '^\\d{4}-\\d{2}$' } },
          { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'pdf'], default: 'json' } },
        ],
        responses: { 200: { description: 'The briefing', content: { 'application/json': { schema: { type: 'object' } }, 'application/pdf': { schema: { type: 'string', format: 'binary' } } } }, 400: error, 401: error },
      },
    },
    '/api/indicators/monthly': {
      get: {
        summary: "One zone's monthly indicators (规上工业增加值, 工业投资) from January to the month: the month's figure, cumulative, year-on-year growth of the cumulative figure, target, gap and 预警",
        parameters: [
          { name: 'zone', in: 'query', required: true, schema: { type: 'integer' } },
          { name: 'month', in: 'query', required: true, schema: { type: 'string', pattern: '^\\d{4}-\\d{2}$' } },
        ],
        responses: { 200: json('{ zone, month, indicators: { value_added: { target_pct, series }, investment: { … } } }'), 400: error, 401: error },
      },
      put: write("Enter a month's figures of one zone (万元; null = not reported; an empty figure keeps the saved one)", 'indicator.edit', '{ zone_id, month: "YYYY-MM", industrial_value_added_wan, industrial_investment_wan }', { zone_id: 1, month: '2026-10', industrial_value_added_wan: 5200.5, industrial_investment_wan: 3100 }),
    },
    '/api/indicators/ranking': {
      get: {
        summary: 'All zones (or a city\'s) ranked by the year-on-year growth of the cumulative indicator in the month, with target, gap (percentage points behind) and 预警',
        parameters: [
          { name: 'month', in: 'query', required: true, schema: { type: 'string', pattern: '^\\d{4}-\\d{2}$' } },
          { name: 'indicator', in: 'query', schema: { type: 'string', enum: ['value_added', 'investment'], default: 'value_added' } },
          scopeZone, scopeCity,
        ],
        responses: { 200: json('{ month, indicator, scope, zones: [{ zone_id, name, rank, status }], warnings }'), 400: error, 401: error },
      },
    },
    '/api/indicators/targets': {
      get: {
        summary: "The zones' yearly growth targets (%) for 规上工业增加值 and 工业投资, which the 预警 compares against; null where none is set",
        parameters: [{ name: 'year', in: 'query', description: 'The year (default this year)', schema: { type: 'integer', minimum: 1990, maximum: 2100 } }, scopeZone, scopeCity],
        responses: { 200: json('{ year, zones: [{ zone_id, name, city, value_added_growth_target_pct, investment_growth_target_pct, updated_at }] }'), 400: error, 401: error },
      },
      put: write("Set a zone's growth targets for a year: each a number of % above −100 and at most 200, or null for none (both null removes them); recorded in the audit log", 'indicator.edit', '{ zone_id, year, value_added_growth_target_pct, investment_growth_target_pct }', { zone_id: 1, year: 2026, value_added_growth_target_pct: 10, investment_growth_target_pct: 12 }),
    },
    '/api/indicators/upload': {
      post: {
        summary: 'Import monthly figures from CSV (text/csv) or Excel (.xlsx) sent as the body; header 开发区, 月份, 规上工业增加值（万元）, 工业投资（万元）; zone by name or code. All rows or none: 422 lists every bad row with its line number and reason',
        description: 'Needs the permission "indicator.edit" for every zone in the file, a session and the X-CSRF-Token header.',
        security: [{ session: [] }],
        requestBody: {
          required: true,
          content: { 'text/csv': { schema: { type: 'string' } }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } },
        },
        responses: { 200: json('{ imported, zones, months }'), 400: error, 401: error, 403: error, 422: error },
      },
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
