/** 标准地 transfers (出让), their checks at acceptance (竣工验收 / 达产复核) and follow-up, figures against yearly supply targets. Internal. */
import { z } from 'zod';
import { ACCEPTANCE_INDICATORS, ACCEPTANCE_KINDS, FOLLOW_UP_STATUSES } from '../../domain/standardLand.ts';
import { defineContract } from './define.ts';
import { amount, idList, idParam, isoDate, queryInt, requiredText, text } from './common.ts';
import { uploadedFile } from './indicators.ts';

const kind = z.enum(ACCEPTANCE_KINDS.map((k) => k.key) as unknown as [string, ...string[]]);
const followUpStatus = z.enum(FOLLOW_UP_STATUSES.map((k) => k.key) as unknown as [string, ...string[]]);
const indicatorKey = z.enum(ACCEPTANCE_INDICATORS.map((k) => k.key) as unknown as [string, ...string[]]);
const id = z.number().int().min(1).max(999_999_999);

export const AgreedIndicators = z
  .object({
    min_investment_intensity_wan_per_mu: z.number().nullable(),
    min_floor_area_ratio: z.number().nullable(),
    max_floor_area_ratio: z.number().nullable(),
    min_tax_per_mu_wan: z.number().nullable(),
    max_energy_tce_per_wan: z.number().nullable(),
    environment_standard: z.string().nullable(),
    min_building_coverage_pct: z.number().nullable(),
    max_admin_facility_pct: z.number().nullable(),
    max_green_pct: z.number().nullable(),
  })
  .meta({ id: 'AgreedIndicators', description: "The parcel's 标准地 indicators frozen at transfer" });

export const ActualFigures = z
  .strictObject({
    investment_intensity_wan_per_mu: amount(0, 1e6).nullable(),
    floor_area_ratio: amount(0, 100).nullable(),
    tax_per_mu_wan: amount(0, 1e6).nullable(),
    energy_tce_per_wan: amount(0, 1e4).nullable(),
    environment_met: z.boolean().nullable(),
    building_coverage_pct: amount(0, 100).nullable(),
    admin_facility_pct: amount(0, 100).nullable(),
    green_pct: amount(0, 100).nullable(),
  })
  .partial()
  .meta({ id: 'ActualFigures' });

const IndicatorResult = z.object({
  key: indicatorKey,
  agreed_min: z.number().nullable(),
  agreed_max: z.number().nullable(),
  agreed_text: z.string().nullable(),
  actual: z.union([z.number(), z.boolean()]).nullable(),
  met: z.boolean().nullable(),
});

export const Acceptance = z
  .object({
    id: z.number().int(),
    transfer_id: z.number().int(),
    kind,
    accepted_on: z.string(),
    actual: z.record(z.string(), z.union([z.number(), z.boolean()]).nullable()),
    results: z.array(IndicatorResult),
    overall_met: z.boolean().nullable(),
    missed: z.array(indicatorKey),
    consequence: z.string().nullable(),
    penalty_wan: z.number().nullable(),
    correction_deadline: z.string().nullable(),
    follow_up_status: followUpStatus,
    follow_up_note: z.string().nullable(),
    overdue: z.boolean(),
    days_to_deadline: z.number().int().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Acceptance' });

export const Transfer = z
  .object({
    id: z.number().int(),
    parcel_id: z.number().int(),
    parcel_code: z.string(),
    zone_id: z.number().int(),
    zone_name: z.string(),
    city: z.string(),
    transferred_on: z.string(),
    contract_no: z.string(),
    enterprise_id: z.number().int().nullable(),
    enterprise_name: z.string(),
    price_wan: z.number().nullable(),
    area_mu: z.number(),
    agreed: AgreedIndicators,
    note: z.string().nullable(),
    version: z.number().int(),
    acceptances: z.array(Acceptance),
  })
  .meta({ id: 'Transfer' });

const scopeQuery = {
  zone: idList.optional().meta({ description: 'Zone ids, comma-separated' }),
  city: text(40).optional(),
};

export const listTransfers = defineContract({
  method: 'get',
  path: '/api/transfers',
  summary: '标准地 transfers in a scope and period, newest first, each with its acceptances',
  tags: ['transfers'],
  access: 'map.read',
  query: z.strictObject({ ...scopeQuery, from: isoDate.optional(), to: isoDate.optional(), limit: queryInt(1, 1000).optional() }),
  responses: { 200: { description: 'The transfers', schema: z.object({ transfers: z.array(Transfer) }) } },
  errors: [400, 401, 403],
});

export const parcelTransfer = defineContract({
  method: 'get',
  path: '/api/parcel-transfers/{id}',
  summary: "A parcel's transfer record with its acceptances (null when not transferred)",
  tags: ['transfers'],
  access: 'map.read',
  params: z.strictObject({ id: idParam }),
  responses: { 200: { description: 'The transfer or null', schema: z.object({ transfer: Transfer.nullable() }) } },
  errors: [400, 401, 403, 404],
});

const transferFields = {
  transferred_on: isoDate,
  contract_no: requiredText(60),
  enterprise_id: id.nullable(),
  enterprise_name: requiredText(120),
  price_wan: amount(0, 1e8).nullable(),
  area_mu: amount(0.01, 1e5),
  note: text(500).nullable(),
};

export const createTransfer = defineContract({
  method: 'post',
  path: '/api/transfers',
  summary: "Record a parcel's transfer, freezing its 标准地 indicators",
  description:
    "The parcel by id, or by its code (parcel_code, with zone_id when the code is in several zones; 400 when unknown or ambiguous). It must be 标准地 (400) and not transferred yet (409). Its indicators are copied into the record and never change afterwards. Area defaults to the parcel's area in 亩.",
  tags: ['transfers'],
  access: 'transfer.edit',
  body: z
    .strictObject({ parcel_id: id, parcel_code: requiredText(60), zone_id: id, ...transferFields })
    .partial({ parcel_id: true, parcel_code: true, zone_id: true, enterprise_id: true, price_wan: true, area_mu: true, note: true }),
  responses: { 201: { description: 'The transfer', schema: Transfer } },
  errors: [400, 401, 403, 404, 409],
});

export const updateTransfer = defineContract({
  method: 'patch',
  path: '/api/transfers/{id}',
  summary: "Change a transfer's date, contract, enterprise, price, area or note (the agreed indicators stay frozen)",
  tags: ['transfers'],
  access: 'transfer.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({ version: z.number().int().min(1).max(1e9), changes: z.strictObject(transferFields).partial() }),
  responses: { 200: { description: 'The transfer', schema: Transfer } },
  errors: [400, 401, 403, 404, 409],
});

export const deleteTransfer = defineContract({
  method: 'delete',
  path: '/api/transfers/{id}',
  summary: 'Remove a transfer recorded by mistake (only without acceptances)',
  tags: ['transfers'],
  access: 'transfer.edit',
  params: z.strictObject({ id: idParam }),
  query: z.strictObject({ version: queryInt(1, 1e9) }),
  responses: { 200: { description: 'Removed', schema: z.object({ ok: z.literal(true) }) } },
  errors: [400, 401, 403, 404, 409],
});

export const addAcceptance = defineContract({
  method: 'post',
  path: '/api/transfers/{id}/acceptances',
  summary: 'Enter an acceptance check (竣工验收 / 达产复核): actual figures; the judgement is computed by the server',
  description: 'Each agreed indicator is judged against the frozen agreed value (domain/standardLand.ts). A missed indicator opens a follow-up.',
  tags: ['transfers'],
  access: 'transfer.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({
    kind,
    accepted_on: isoDate,
    actual: ActualFigures,
    consequence: text(1000).nullable().optional(),
    penalty_wan: amount(0, 1e8).nullable().optional(),
    correction_deadline: isoDate.nullable().optional(),
  }),
  responses: { 201: { description: 'The transfer with the new acceptance', schema: Transfer } },
  errors: [400, 401, 403, 404],
});

export const updateFollowUp = defineContract({
  method: 'patch',
  path: '/api/transfer-acceptances/{id}',
  summary: "Follow up an acceptance's consequence: status (open / corrected / penalised / closed), deadline, penalty, note",
  tags: ['transfers'],
  access: 'transfer.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({
    version: z.number().int().min(1).max(1e9),
    changes: z
      .strictObject({
        follow_up_status: followUpStatus,
        follow_up_note: text(1000).nullable(),
        consequence: text(1000).nullable(),
        penalty_wan: amount(0, 1e8).nullable(),
        correction_deadline: isoDate.nullable(),
      })
      .partial(),
  }),
  responses: { 200: { description: 'The acceptance', schema: Acceptance } },
  errors: [400, 401, 403, 404, 409],
});

export const FollowUp = Acceptance.extend({
  parcel_id: z.number().int(),
  parcel_code: z.string(),
  zone_id: z.number().int(),
  zone_name: z.string(),
  city: z.string(),
  enterprise_name: z.string(),
  contract_no: z.string(),
}).meta({ id: 'FollowUp' });

export const followUps = defineContract({
  method: 'get',
  path: '/api/transfers/follow-ups',
  summary: 'Acceptances with a missed indicator and an open consequence, overdue first',
  tags: ['transfers'],
  access: 'map.read',
  query: z.strictObject(scopeQuery),
  responses: { 200: { description: 'The follow-up list', schema: z.object({ today: z.string(), follow_ups: z.array(FollowUp) }) } },
  errors: [400, 401, 403],
});

const FiguresRow = z.object({
  key: z.string(),
  name: z.string(),
  count: z.number().int(),
  areaMu: z.number(),
  priceWan: z.number(),
  targetMu: z.number().nullable(),
  ratePercent: z.number().nullable(),
  reserveMu: z.number(),
  reserveTargetMu: z.number().nullable(),
});

export const transferFiguresContract = defineContract({
  method: 'get',
  path: '/api/transfers/figures',
  summary: '标准地 transferred in a period (count, 亩, 万元) per zone and in total, against the yearly supply target; 标准地 in reserve against its target',
  description:
    "Targets are the year's (the year of `to`). A zone's target is its own; the total's target is the sum of the zones' targets plus the cities' own targets where a city has one.",
  tags: ['transfers'],
  access: 'map.read',
  query: z.strictObject({ ...scopeQuery, from: isoDate, to: isoDate }),
  responses: {
    200: {
      description: 'The figures',
      schema: z.object({ from: z.string(), to: z.string(), year: z.number().int(), total: FiguresRow, zones: z.array(FiguresRow) }),
    },
  },
  errors: [400, 401, 403],
});

export const SupplyTarget = z
  .object({
    id: z.number().int(),
    year: z.number().int(),
    zone_id: z.number().int().nullable(),
    zone_name: z.string().nullable(),
    city: z.string().nullable(),
    reserve_target_mu: z.number().nullable(),
    supply_target_mu: z.number().nullable(),
    new_factory_target_m2: z.number().nullable(),
    factory_use_target_pct: z.number().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'SupplyTarget' });

export const listTargets = defineContract({
  method: 'get',
  path: '/api/transfers/targets',
  summary: 'Yearly supply targets per zone and city',
  tags: ['transfers'],
  access: 'map.read',
  query: z.strictObject({ year: queryInt(1990, 2100).optional() }),
  responses: { 200: { description: 'The targets', schema: z.object({ targets: z.array(SupplyTarget) }) } },
  errors: [400, 401, 403],
});

const targetFields = {
  reserve_target_mu: amount(0, 1e6).nullable(),
  supply_target_mu: amount(0, 1e6).nullable(),
  new_factory_target_m2: amount(0, 1e8).nullable(),
  factory_use_target_pct: amount(0, 100).nullable(),
};

export const saveTarget = defineContract({
  method: 'put',
  path: '/api/transfers/targets',
  summary: "Set a zone's or a city's targets for a year (created or replaced)",
  tags: ['transfers'],
  access: 'transfer.edit',
  body: z
    .strictObject({ year: z.number().int().min(1990).max(2100), zone_id: id.nullable(), city: text(40).nullable(), ...targetFields })
    .partial({ reserve_target_mu: true, supply_target_mu: true, new_factory_target_m2: true, factory_use_target_pct: true }),
  responses: { 200: { description: 'The target', schema: SupplyTarget } },
  errors: [400, 401, 403],
});

/** What an import wrote, or with dryRun=true would write (nothing is written then): the rows read, for a preview. */
export const ImportResult = z
  .object({
    imported: z.number().int(),
    dry_run: z.boolean(),
    header: z.array(z.string()),
    rows: z.array(z.object({ line: z.number().int(), cells: z.array(z.string()) })).meta({ description: 'The rows as read (dry run only; else empty)' }),
  })
  .meta({ id: 'SupplyImportResult' });
export const importQuery = z.strictObject({
  dryRun: z.enum(['true', 'false']).optional().meta({ description: 'true: check every row and answer the preview, nothing written (default false)' }),
});
const importResult = ImportResult;
const importDescription = (header: string) =>
  `CSV or Excel (.xlsx) as the body. Header: ${header}. All rows or none: 422 lists every bad row with its line and reason (details.rows). dryRun=true checks everything (the database's refusals too) and writes nothing: the preview.`;

export const importTransfers = defineContract({
  method: 'post',
  path: '/api/transfers/import',
  summary: 'Import transfer records (all rows or none)',
  description: importDescription(
    '地块编号, 出让日期, 合同编号, 受让企业, 成交价（万元）, 面积（亩）; the parcel by code (unique) and 开发区 when codes repeat',
  ),
  tags: ['transfers'],
  access: 'transfer.edit',
  query: importQuery,
  body: uploadedFile,
  bodyContentType: 'text/csv',
  responses: { 200: { description: 'What was written', schema: importResult } },
  errors: [400, 401, 403, 413, 415, 422],
});

export const importTargets = defineContract({
  method: 'post',
  path: '/api/transfers/targets/import',
  summary: 'Import yearly supply targets (all rows or none)',
  description: importDescription('年份, 开发区 (or 城市), 储备目标（亩）, 供应目标（亩）, 新建厂房目标（m²）, 厂房使用率目标（%）'),
  tags: ['transfers'],
  access: 'transfer.edit',
  query: importQuery,
  body: uploadedFile,
  bodyContentType: 'text/csv',
  responses: { 200: { description: 'What was written', schema: importResult } },
  errors: [400, 401, 403, 413, 415, 422],
});

export const exportTransfers = defineContract({
  method: 'get',
  path: '/api/transfers/export.xlsx',
  summary: 'The transfers with their latest acceptance, and the follow-up list, as an Excel workbook',
  tags: ['transfers'],
  access: 'map.read',
  query: z.strictObject({ ...scopeQuery, from: isoDate.optional(), to: isoDate.optional() }),
  responses: { 200: { description: 'Excel workbook', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } },
  errors: [400, 401, 403],
});
