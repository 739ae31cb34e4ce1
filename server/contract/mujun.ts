/**
 * 亩均论英雄: the evaluation with the saved scheme (for all zones or some), a what-if preview with an unsaved
 * scheme, and the scheme itself (administrators save it). The evaluation is domain/mujun.ts.
 */
import { z } from 'zod';
import { MUJUN_INDICATORS, type MujunIndicator } from '../../domain/mujun.ts';
import { defineContract } from './define.ts';
import { amount, idList, noQuery, queryInt } from './common.ts';
import { placeQuery, zoneIdsQuery } from './land.ts';

const INDICATOR_KEYS = Object.keys(MUJUN_INDICATORS) as [MujunIndicator, ...MujunIndicator[]];
const indicator = z.enum(INDICATOR_KEYS);
const mujunClass = z.enum(['A', 'B', 'C', 'D']);

/**
 * The scheme's fields with their types and ranges. The rules across fields (class shares rising, a positive
 * weight in each group) stay with checkMujunScheme (domain/mujun.ts), which the routes still run.
 */
const schemeShape = {
  year: z.number().int().min(2000).max(2100).meta({ description: 'The year whose figures are rated' }),
  sizeThresholdMu: amount(0, 1000).meta({ description: 'Below-scale enterprises are rated from this much land (亩)' }),
  minAgeYears: z.number().int().min(0).max(10).meta({ description: 'Younger enterprises (at the end of the year) are not rated' }),
  attribution: z.enum(['separate', 'merge_into_owner']).meta({ description: "Tenants rated on their own, or merged into their landlord's figures" }),
  weights: z.strictObject({
    aboveScale: z.partialRecord(indicator, amount(0, 100)),
    belowScale: z.partialRecord(indicator, amount(0, 100)),
  }),
  classShares: z
    .strictObject({ A: amount(0, 1), B: amount(0, 1), C: amount(0, 1) })
    .meta({ description: 'Cumulative shares of the ranking for A, B and C (0 < A < B < C ≤ 1); the rest is D' }),
  vetoChecks: z.boolean().meta({ description: 'Failing a safety, environment or energy check keeps an enterprise out of A and B' }),
};

/** A scheme sent by a client: no keys beyond the scheme's. */
const SchemeInput = z.strictObject(schemeShape);
/** A scheme as saved: read back as it was stored (schemes saved before the contract may carry more keys). */
export const MujunScheme = z.object(schemeShape).meta({ id: 'MujunScheme' });

export const MujunResult = z
  .object({
    id: z.number().int(),
    name: z.string(),
    status: z.enum(['rated', 'new', 'too_small', 'no_figures', 'merged']),
    above_scale: z.boolean(),
    land_mu: z.number(),
    parcel_ids: z.array(z.number().int()),
    values: z.partialRecord(indicator, z.number().nullable()).meta({ description: 'The indicators (empty when not rated)' }),
    score: z.number().nullable(),
    rank: z.number().int().nullable(),
    class: mujunClass.nullable(),
    vetoed: z.boolean(),
    merged_into: z.number().int().optional().meta({ description: 'Merged tenants: the owner they are rated with' }),
  })
  .meta({ id: 'MujunResult' });

const perClass = <T extends z.ZodType>(value: T) => z.object({ A: value, B: value, C: value, D: value });

/** The evaluation, as the page needs it at any scale: counts, pages of the lists, the map as parcel ids. */
const evaluationShape = {
  scheme: MujunScheme,
  classes: perClass(z.number().int()),
  zones: z.array(
    z.object({
      zone_id: z.number().int(),
      zone_name: z.string(),
      output_wan: z.number().nullable(),
      land_mu: z.number(),
      output_per_mu: z.number().nullable().meta({ description: 'Σ output ÷ Σ industrial land in use (万元/亩)' }),
    }),
  ),
  rated_total: z.number().int(),
  rated: z.array(MujunResult).meta({ description: 'A page of the ranking, best first' }),
  not_rated_total: z.number().int(),
  not_rated_counts: z.object({ new: z.number().int(), too_small: z.number().int(), no_figures: z.number().int(), merged: z.number().int() }),
  not_rated: z.array(MujunResult).meta({ description: 'A page of the enterprises not rated, with the reason in status' }),
  map: z.object({
    classes: perClass(z.array(z.number().int())).meta({ description: 'Parcel ids by class (the best class of the rated enterprises on each)' }),
    values: z
      .object({
        measure: indicator,
        unit: z.string(),
        breaks: z.array(z.number()).meta({ description: 'Quintile breaks, ascending' }),
        parcels: z.array(z.array(z.number().int())).meta({ description: 'Parcel ids by quintile class, lowest first' }),
      })
      .nullable()
      .meta({ description: 'One indicator in quintiles, when measure is given' }),
  }),
};

export const MujunEvaluation = z.object(evaluationShape).meta({ id: 'MujunEvaluation' });

const limitDescription = { description: 'Rows of the ranking and of the unrated list, default 200' };

export const getMujun = defineContract({
  method: 'get',
  path: '/api/land/mujun',
  summary: '亩均论英雄 with the saved scheme',
  description:
    'Class counts, zone per-mu output, a page of the ranking (indicators, score, rank, class A–D) and of those not rated (and why, with counts by reason), ' +
    'and the map: parcel ids by class, and by quintile of one indicator when `measure` is given. With `zone`, the enterprises using land in those zones ' +
    'are rated against their own averages.',
  tags: ['land'],
  access: 'signedIn',
  query: z.strictObject({
    zone: zoneIdsQuery.optional(),
    ...placeQuery,
    limit: queryInt(1, 1_000_000).optional().meta(limitDescription),
    offset: queryInt(0, 10_000_000).optional(),
    measure: indicator.optional().meta({ description: 'One indicator to map in quintiles' }),
  }),
  responses: {
    200: {
      description: 'The evaluation, with the version of the scheme',
      schema: z.object({ version: z.number().int(), ...evaluationShape }),
    },
  },
  errors: [400, 401],
});

export const previewMujun = defineContract({
  method: 'post',
  path: '/api/land/mujun/preview',
  summary: 'What-if: the evaluation with an unsaved scheme',
  description: 'Nothing is saved. The scheme is checked as when saving (400 with its problems).',
  tags: ['land'],
  access: 'signedIn',
  body: z.strictObject({
    scheme: SchemeInput,
    // The client sends the zone chosen (or null); a list is accepted as in GET.
    zone: z
      .union([z.number().int().min(1).max(999_999_999), idList, z.null()])
      .optional()
      .meta({ description: 'A zone id, or ids comma-separated; null or absent: all zones' }),
    limit: z.number().int().min(1).max(1_000_000).optional().meta(limitDescription),
    offset: z.number().int().min(0).max(10_000_000).optional(),
    measure: indicator.optional(),
  }),
  responses: { 200: { description: 'The evaluation (as GET /api/land/mujun, without a version)', schema: MujunEvaluation } },
  errors: [400, 401],
});

/** The scheme in force and its version (0: the documented default, never saved). */
const VersionedScheme = z.object({ scheme: MujunScheme, version: z.number().int() });

export const getMujunScheme = defineContract({
  method: 'get',
  path: '/api/land/mujun/scheme',
  summary: 'The saved 亩均 scheme (or the documented default, version 0)',
  tags: ['land'],
  access: 'signedIn',
  query: noQuery,
  responses: { 200: { description: 'The scheme and its version', schema: VersionedScheme } },
  errors: [400, 401],
});

export const saveMujunScheme = defineContract({
  method: 'put',
  path: '/api/land/mujun/scheme',
  summary: 'Save the 亩均 scheme (administrators); recorded in the audit log',
  description: 'version is the version edited (0 for the default): a stale one answers 409.',
  tags: ['land'],
  access: 'user.manage',
  body: z.strictObject({ version: z.number().int().min(0).max(1e9), scheme: SchemeInput }),
  responses: { 200: { description: 'The saved scheme and its new version', schema: VersionedScheme } },
  errors: [400, 401, 403, 409],
});
