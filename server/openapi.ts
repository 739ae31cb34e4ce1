/** The OpenAPI 3.1 document for every route under /api. A test checks that each route here answers. */
import { LAND_USE_CLASSES } from '../domain/landUse.ts';
import { PARCEL_STATUS_KEYS, PROJECT_STAGE_KEYS } from '../domain/lifecycle.ts';
import { PARCELS_DEFAULT_LIMIT, PARCELS_MAX_LIMIT } from './routes/parcels.ts';
import { PARCELS_MIN_ZOOM, TILE_LAYERS } from './tiles.ts';

const error = { $ref: '#/components/responses/Error' };
const idParam = (what: string) => ({ name: 'id', in: 'path', required: true, description: `${what} id`, schema: { type: 'integer', minimum: 1 } });
const geojson = (description: string) => ({ description, content: { 'application/geo+json': { schema: { $ref: '#/components/schemas/FeatureCollection' } } } });
const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Park Atlas 园区一张图 API',
    version: '0.1.0',
    description:
      'Development zones, their parcels and projects. Geometry in WGS84 (EPSG:4326); areas in m² (ellipsoidal), money in 万元. Errors are JSON: {"error": {"code", "message"}}.',
  },
  paths: {
    '/api/health': { get: { summary: 'Service and database status', responses: { 200: json('Database kind, PostgreSQL and PostGIS versions, counts') } } },
    '/api/config': { get: { summary: 'Client settings: basemaps configured on the server, demo data flags', responses: { 200: json('Settings') } } },
    '/api/openapi.json': { get: { summary: 'This document', responses: { 200: json('OpenAPI 3.1') } } },
    '/api/zones': { get: { summary: 'All development zones as GeoJSON (boundaries, level, city, counts, label point)', responses: { 200: geojson('Zones'), 400: error } } },
    '/api/zones/{id}': {
      get: { summary: 'One zone with counts, area by land use and parcels by status', parameters: [idParam('Zone')], responses: { 200: json('Zone'), 400: error, 404: error } },
    },
    '/api/parcels': {
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
      get: {
        summary: 'One parcel: code, areas, land use, status and dates, 标准地 indicators, infrastructure, enterprises, projects',
        parameters: [idParam('Parcel')],
        responses: { 200: json('Parcel'), 400: error, 404: error },
      },
    },
    '/api/projects': {
      get: {
        summary: 'Projects as GeoJSON points',
        parameters: [
          { name: 'zone', in: 'query', description: 'Zone ids, comma-separated', schema: { type: 'string' } },
          { name: 'stage', in: 'query', description: 'Stages, comma-separated', schema: { type: 'string', enum: [...PROJECT_STAGE_KEYS] } },
        ],
        responses: { 200: geojson('Projects'), 400: error },
      },
    },
    '/api/projects/{id}': {
      get: { summary: 'One project with its stage timeline, investment, zone, parcel and 三个一批 rounds', parameters: [idParam('Project')], responses: { 200: json('Project'), 400: error, 404: error } },
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
    responses: { Error: { description: 'A JSON error a person can read', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
  },
} as const;
