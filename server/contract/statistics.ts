/** 入统: 规上 enterprises, the 培育库 (小升规) near the threshold, projects started but not registered (入库). Internal. */
import { z } from 'zod';
import { defineContract } from './define.ts';
import { amount, idList, idParam, isoDate, queryInt, text } from './common.ts';

const scopeQuery = { zone: idList.optional().meta({ description: 'Zone ids, comma-separated' }), city: text(40).optional() };

const Firm = z.object({
  id: z.number().int(),
  name: z.string(),
  credit_code: z.string(),
  industry: z.string().nullable(),
  zone_id: z.number().int().nullable(),
  zone_name: z.string().nullable(),
  above_scale: z.boolean(),
  above_scale_since: z.number().int().nullable(),
  year: z.number().int().nullable().meta({ description: 'The year of the revenue figure' }),
  revenue_wan: z.number().nullable(),
  gap_wan: z.number().nullable(),
  share_pct: z.number().nullable(),
  class: z.enum(['above', 'cultivation', 'below', 'unknown']),
  version: z.number().int(),
});

export const aboveScale = defineContract({
  method: 'get',
  path: '/api/statistics/above-scale',
  summary: '规上 enterprises with their latest revenue',
  tags: ['statistics'],
  access: 'map.read',
  query: z.strictObject(scopeQuery),
  responses: { 200: { description: 'The firms', schema: z.object({ threshold_wan: z.number(), firms: z.array(Firm) }) } },
  errors: [400, 401, 403],
});

export const cultivation = defineContract({
  method: 'get',
  path: '/api/statistics/cultivation',
  summary: '培育库 (小升规): firms not 规上 with revenue at or above the lower bound and below the 2000 万元 threshold, closest first',
  description: 'The lower bound is the setting `cultivation_lower_wan` (default 1500 万元); `lower` overrides it for one query.',
  tags: ['statistics'],
  access: 'map.read',
  query: z.strictObject({ ...scopeQuery, lower: queryInt(0, 1999).optional() }),
  responses: {
    200: {
      description: 'The firms',
      schema: z.object({ threshold_wan: z.number(), lower_wan: z.number(), setting_version: z.number().int(), firms: z.array(Firm) }),
    },
  },
  errors: [400, 401, 403],
});

export const saveCultivationLower = defineContract({
  method: 'put',
  path: '/api/statistics/cultivation/settings',
  summary: "Set the 培育库's lower bound (万元)",
  tags: ['statistics'],
  access: 'stats.edit',
  body: z.strictObject({ version: z.number().int().min(0).max(1e9), lower_wan: amount(0, 1999) }),
  responses: { 200: { description: 'Saved', schema: z.object({ lower_wan: z.number(), version: z.number().int() }) } },
  errors: [400, 401, 403, 409],
});

export const registerEnterprise = defineContract({
  method: 'patch',
  path: '/api/statistics/enterprises/{id}',
  summary: 'Record that a firm is 规上 (and since which year), or no longer',
  tags: ['statistics'],
  access: 'stats.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({
    version: z.number().int().min(1).max(1e9),
    above_scale: z.boolean(),
    above_scale_since: z.number().int().min(1990).max(2100).nullable(),
  }),
  responses: { 200: { description: 'The firm', schema: Firm } },
  errors: [400, 401, 403, 404, 409],
});

const UnregisteredProject = z.object({
  id: z.number().int(),
  name: z.string(),
  zone_id: z.number().int(),
  zone_name: z.string(),
  city: z.string(),
  stage: z.string(),
  started_date: z.string(),
  days_since_start: z.number().int(),
  total_investment_wan: z.number().nullable(),
  completed_investment_wan: z.number().nullable(),
  version: z.number().int(),
});

export const unregisteredProjects = defineContract({
  method: 'get',
  path: '/api/statistics/unregistered-projects',
  summary: 'Projects started but not registered in the investment statistics (入库), longest waiting first',
  tags: ['statistics'],
  access: 'map.read',
  query: z.strictObject({ ...scopeQuery, limit: queryInt(1, 1000).optional() }),
  responses: {
    200: {
      description: 'The projects',
      schema: z.object({ today: z.string(), registered: z.number().int(), started: z.number().int(), projects: z.array(UnregisteredProject) }),
    },
  },
  errors: [400, 401, 403],
});

export const registerProject = defineContract({
  method: 'patch',
  path: '/api/statistics/projects/{id}',
  summary: 'Record that a project is registered in the investment statistics (入库) on a date, or not',
  tags: ['statistics'],
  access: 'stats.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({ version: z.number().int().min(1).max(1e9), stats_registered: z.boolean(), stats_registered_on: isoDate.nullable() }),
  responses: {
    200: {
      description: 'The project',
      schema: z.object({ id: z.number().int(), stats_registered: z.boolean(), stats_registered_on: z.string().nullable(), version: z.number().int() }),
    },
  },
  errors: [400, 401, 403, 404, 409],
});
