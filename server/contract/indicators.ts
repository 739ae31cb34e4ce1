/**
 * Zone monthly indicators (规上工业增加值, 工业投资): one zone's series, the ranking with 预警, the yearly growth
 * targets, and the writes (a month from the form, a CSV / Excel upload).
 *
 * The figures' rules (万元 ≥ 0, a month YYYY-MM between 1990 and 2100, targets above −100 % and at most 200 %)
 * are the domain's (domain/zoneIndicators.ts), which answers them in both languages; the contract checks the
 * types, the keys, NUL bytes and a range no real figure leaves.
 */
import { z } from 'zod';
import { INDICATOR_KEYS, TARGET_YEAR_MAX, TARGET_YEAR_MIN, type IndicatorKey } from '../../domain/zoneIndicators.ts';
import { defineContract } from './define.ts';
import { amount, documentedAs, isoMonth, noQuery, queryInt, text, timestamp } from './common.ts';

const zh = (t: string) => ({ params: { zh: t } });

/** One zone id in a query ("3"); several are refused (a series or a briefing is for one zone). */
export const oneZoneId = z
  .string()
  .regex(/^[1-9]\d{0,8}$/, { message: 'must be one zone id (a positive whole number)', ...zh('须为一个开发区编号（正整数）') })
  .transform(Number)
  .meta(documentedAs({ type: 'integer', minimum: 1, maximum: 999999999, description: 'One zone id' }));

/** The scope of a report: zone ids or a city (neither = all zones); the server checks they exist. */
export const scopeQuery = {
  zone: text(2000).optional().meta({ description: 'Zone ids, comma-separated (or give city; neither = all zones)', example: '1,2' }),
  city: text(100).optional().meta({ description: 'A city: its zones (e.g. 朔州市)' }),
  county: text(40).optional().meta({ description: 'A county or district: its zones (e.g. 平城区; with city where two cities have one of that name)' }),
};

/** What a report covers, as the server understood the scope. */
export const Scope = z.object({
  zone_ids: z.array(z.number().int()).nullable().meta({ description: 'null = all zones' }),
  city: z.string().nullable(),
  label: z.string(),
});

export const indicatorKey = z.enum(INDICATOR_KEYS as [IndicatorKey, ...IndicatorKey[]]);

export const IndicatorStatus = z
  .object({
    month: z.string(),
    monthWan: z.number().nullable().meta({ description: "The month's own figure (万元); null = not reported" }),
    cumulativeWan: z.number().nullable().meta({ description: 'January to the month; null when a month of it is missing' }),
    previousCumulativeWan: z.number().nullable(),
    growthPct: z.number().nullable().meta({ description: 'Year-on-year growth of the cumulative figure, %' }),
    targetPct: z.number().nullable(),
    gapPct: z.number().nullable().meta({ description: 'Percentage points behind the target (positive = behind)' }),
    warning: z.boolean().meta({ description: '预警: behind the target' }),
    missing: z.array(z.string()).meta({ description: 'Months without a figure that the cumulative figures need' }),
  })
  .meta({ id: 'IndicatorStatus' });

export const RankedZone = z
  .object({ zone_id: z.number().int(), name: z.string(), city: z.string(), status: IndicatorStatus, rank: z.number().int().nullable() })
  .meta({ id: 'RankedZone' });

const Series = z.object({ target_pct: z.number().nullable(), series: z.array(IndicatorStatus) });

export const ZoneIndicatorSeries = z
  .object({
    zone: z.object({ id: z.number().int(), name: z.string(), city: z.string() }),
    month: z.string(),
    indicators: z.object({ value_added: Series, investment: Series }),
  })
  .meta({ id: 'ZoneIndicatorSeries' });

const month = isoMonth.meta({ description: 'YYYY-MM, e.g. 2026-09', ...documentedAs({ type: 'string', pattern: '^\\d{4}-\\d{2}$' }) });

export const monthly = defineContract({
  method: 'get',
  path: '/api/indicators/monthly',
  summary: "One zone's monthly indicators from January to the month",
  description:
    "规上工业增加值 and 工业投资: the month's figure, cumulative, year-on-year growth of the cumulative figure, target, gap and 预警, for every month of the year up to the given one.",
  tags: ['indicators'],
  access: 'signedIn',
  query: z.strictObject({ zone: oneZoneId, month }),
  responses: { 200: { description: 'The series', schema: ZoneIndicatorSeries } },
  errors: [400, 401],
});

export const ranking = defineContract({
  method: 'get',
  path: '/api/indicators/ranking',
  summary: "All zones (or a city's) ranked by the year-on-year growth of the cumulative indicator in the month",
  description: 'With target, gap (percentage points behind) and 预警; zones without a growth figure come last, unranked.',
  tags: ['indicators'],
  access: 'signedIn',
  query: z.strictObject({ month, indicator: indicatorKey.optional().meta({ description: 'Default value_added' }), ...scopeQuery }),
  responses: {
    200: {
      description: 'The ranking',
      schema: z.object({
        month: z.string(),
        indicator: indicatorKey,
        scope: Scope,
        zones: z.array(RankedZone),
        warnings: z.number().int().meta({ description: 'How many zones are behind their target' }),
      }),
    },
  },
  errors: [400, 401],
});

/** A figure in 万元 from the form; null or absent = not reported (an empty figure keeps the saved one). */
const figure = amount(-1e12, 1e12).nullable().optional();

export const saveMonth = defineContract({
  method: 'put',
  path: '/api/indicators/monthly',
  summary: "Enter a month's figures of one zone",
  description: "万元; null = not reported; an empty figure keeps the saved one. Recorded in the audit log. Answers the zone's series to that month.",
  tags: ['indicators'],
  access: 'indicator.edit',
  body: z
    .strictObject({
      zone_id: z.number().int().min(1).max(999999999),
      month: text(20).meta({ example: '2026-10' }),
      industrial_value_added_wan: figure,
      industrial_investment_wan: figure,
    })
    .partial(),
  responses: { 200: { description: "The zone's series to the month", schema: ZoneIndicatorSeries } },
  errors: [400, 401, 403],
});

export const TargetRow = z
  .object({
    zone_id: z.number().int(),
    name: z.string(),
    city: z.string(),
    value_added_growth_target_pct: z.number().nullable(),
    investment_growth_target_pct: z.number().nullable(),
    updated_at: timestamp.nullable(),
  })
  .meta({ id: 'ZoneTargets' });

export const targets = defineContract({
  method: 'get',
  path: '/api/indicators/targets',
  summary: "The zones' yearly growth targets (%) for 规上工业增加值 and 工业投资",
  description: 'The 预警 compares against these; null where none is set.',
  tags: ['indicators'],
  access: 'signedIn',
  query: z.strictObject({ year: queryInt(TARGET_YEAR_MIN, TARGET_YEAR_MAX).optional().meta({ description: 'The year (default this year)' }), ...scopeQuery }),
  responses: { 200: { description: 'Every zone of the scope with its targets', schema: z.object({ year: z.number().int(), zones: z.array(TargetRow) }) } },
  errors: [400, 401],
});

export const saveTargets = defineContract({
  method: 'put',
  path: '/api/indicators/targets',
  summary: "Set a zone's growth targets for a year",
  description: 'Each a number of % above −100 and at most 200, or null for none; both null removes them (no target, no 预警). Recorded in the audit log.',
  tags: ['indicators'],
  access: 'indicator.edit',
  // The year's and the targets' ranges are the domain's (checkYearlyTargets), answered in both languages.
  body: z
    .strictObject({
      zone_id: z.number().int().min(1).max(999999999),
      year: z.number().int().min(-1e6).max(1e6).meta({ example: 2026 }),
      value_added_growth_target_pct: amount(-1e6, 1e6).nullable(),
      investment_growth_target_pct: amount(-1e6, 1e6).nullable(),
    })
    .partial(),
  responses: { 200: { description: "The zone's targets for the year", schema: TargetRow.extend({ year: z.number().int() }) } },
  errors: [400, 401, 403],
});

/** A CSV or Excel file sent as the request body (read by express.raw): present and not empty. */
export const uploadedFile = z
  .custom<Uint8Array>((v) => v instanceof Uint8Array && v.length > 0, {
    message:
      'Send the file as the request body with Content-Type text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet. 请上传 CSV 或 Excel（.xlsx）文件作为请求体。',
    ...zh('请上传 CSV 或 Excel（.xlsx）文件作为请求体'),
  })
  .meta(
    documentedAs({
      type: 'string',
      format: 'binary',
      description: 'CSV (text/csv, UTF-8) or Excel (.xlsx, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)',
    }),
  );

export const upload = defineContract({
  method: 'post',
  path: '/api/indicators/upload',
  summary: 'Import monthly figures from CSV or Excel sent as the body',
  description:
    'Content-Type text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet (.xlsx), at most 5 MB. Header 开发区, 月份, 规上工业增加值（万元）, 工业投资（万元）; zone by name or code. All rows or none: 422 lists every bad row with its line number and reason (details.rows). Needs indicator.edit for every zone in the file.',
  tags: ['indicators'],
  access: 'indicator.edit',
  query: noQuery,
  body: uploadedFile,
  bodyContentType: 'text/csv',
  responses: {
    200: {
      description: 'What was written',
      schema: z.object({ imported: z.number().int(), zones: z.array(z.number().int()), months: z.array(z.string()) }),
    },
  },
  errors: [400, 401, 403, 413, 422],
});
