/** Health, client settings and this API's own description: open to everyone. */
import { z } from 'zod';
import { defineContract } from './define.ts';
import { noQuery } from './common.ts';

export const health = defineContract({
  method: 'get',
  path: '/api/health',
  summary: 'Service and database status',
  tags: ['meta'],
  access: 'public',
  query: noQuery,
  responses: {
    200: {
      description:
        'Database kind; durability (full: commits synced to disk; off: EMBEDDED_FSYNC=off; memory; relaxed: PostgreSQL with fsync or synchronous_commit off); versions; counts',
      schema: z.object({
        status: z.literal('ok'),
        database: z.enum(['embedded', 'postgres']),
        durability: z.enum(['full', 'off', 'memory', 'relaxed']),
        postgres_version: z.string(),
        postgis_version: z.string(),
        zones: z.number().int(),
        parcels: z.number().int(),
      }),
    },
  },
  errors: [400],
});

export const healthLive = defineContract({
  method: 'get',
  path: '/api/health/live',
  summary: 'Liveness: the process answers',
  tags: ['meta'],
  access: 'public',
  responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) } },
  // An unknown query parameter is refused like everywhere.
  errors: [400],
});

export const healthReady = defineContract({
  method: 'get',
  path: '/api/health/ready',
  summary: 'Readiness: the database answers and is fully migrated, and the process is not stopping',
  tags: ['meta'],
  access: 'public',
  responses: {
    200: { description: 'Ready', schema: z.object({ status: z.literal('ok') }) },
    503: {
      description: 'Not ready (a load balancer should send no requests)',
      schema: z.object({ status: z.literal('unavailable'), problems: z.array(z.string()) }),
    },
  },
  errors: [400],
});

const Basemap = z.object({
  id: z.string(),
  name: z.string(),
  name_en: z.string(),
  style: z.string().optional().meta({ description: 'A MapLibre style URL' }),
  tiles: z.array(z.string()).optional().meta({ description: 'Raster tile URL templates' }),
  attribution: z.string().optional(),
});

export const clientConfig = defineContract({
  method: 'get',
  path: '/api/config',
  summary: 'Client settings',
  description:
    'Basemaps configured on the server, the demo facts (null on the operator\'s own data), the zoom from which parcels are drawn, and the time zone "today" is counted in.',
  tags: ['meta'],
  access: 'public',
  query: noQuery,
  responses: {
    200: {
      description: 'Settings',
      schema: z.object({
        basemaps: z.array(Basemap),
        demo: z.object({ asOf: z.string(), illustrative: z.boolean() }).nullable().meta({ description: 'Set only when the data is the generated demo' }),
        parcelsMinZoom: z.number().int(),
        timeZone: z.string(),
      }),
    },
  },
  errors: [400],
});

export const openApi = defineContract({
  method: 'get',
  path: '/api/openapi.json',
  summary: 'This document (OpenAPI 3.1, generated from the route contracts)',
  tags: ['meta'],
  access: 'public',
  query: noQuery,
  responses: { 200: { description: 'OpenAPI 3.1', schema: z.object({ openapi: z.literal('3.1.0'), paths: z.record(z.string(), z.unknown()) }).passthrough() } },
  errors: [400],
});
