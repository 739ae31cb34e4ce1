/**
 * Project supervision: 三个一批 rounds (as data people keep, and imported from a list), the rates, the 三未
 * lists, the traffic lights and their thresholds, the stage list, and the monthly briefing.
 *
 * The rules of a round's name and date, a batch, the thresholds and the stage list are the domain's
 * (domain/threeBatches.ts, projectSupervision.ts, projectStages.ts), which answers every problem in both
 * languages; the contract checks the types, the keys, NUL bytes and ranges no real value leaves.
 */
import { z } from 'zod';
import { BATCHES, RATE_BASES, type Batch, type RateBasis } from '../../domain/threeBatches.ts';
import { LIGHT_KEYS, SANWEI_KEYS, type Light, type SanweiKind } from '../../domain/projectSupervision.ts';
import { defineContract } from './define.ts';
import { Ok, amount, enumList, idParam, isoDate, isoMonth, noQuery, text } from './common.ts';
import { IndicatorStatus, RankedZone, Scope, indicatorKey, oneZoneId, scopeQuery, uploadedFile } from './indicators.ts';

const zh = (t: string) => ({ params: { zh: t } });

const batch = z.enum(BATCHES as [Batch, ...Batch[]]).meta({ description: 'signed 签约一批, started 开工一批, producing 投产一批' });
const light = z.enum(LIGHT_KEYS as [Light, ...Light[]]);
const rateBasis = z.enum(RATE_BASES as [RateBasis, ...RateBasis[]]);
const sanweiKind = z.enum(SANWEI_KEYS as [SanweiKind, ...SanweiKind[]]);
const asOf = isoDate.optional().meta({ description: 'Judge as of this date, YYYY-MM-DD (default today)' });
const lightCounts = z.object({ green: z.number().int(), yellow: z.number().int(), red: z.number().int(), none: z.number().int() });
const Message = z.object({ en: z.string(), zh: z.string() });

export const LightThresholds = z
  .object({
    yellowAfterDays: z.number().int().meta({ description: 'Days behind a planned date still green' }),
    redAfterDays: z.number().int().meta({ description: 'Days behind a planned date still yellow; beyond, red' }),
  })
  .meta({ id: 'LightThresholds' });

export const StageDef = z.object({ key: z.string(), zh: z.string(), en: z.string(), color: z.string(), builtin: z.boolean() }).meta({ id: 'StageDef' });

// ——— Rounds ———

export const RoundRow = z
  .object({
    id: z.number().int(),
    name: z.string(),
    held_on: z.string(),
    signed: z.number().int().meta({ description: 'Projects in its 签约一批 (within the scope)' }),
    started: z.number().int(),
    producing: z.number().int(),
  })
  .meta({ id: 'RoundSummary' });

export const RoundDetail = z
  .object({
    id: z.number().int(),
    name: z.string(),
    held_on: z.string(),
    version: z.number().int(),
    entries: z.array(
      z.object({
        project_id: z.number().int(),
        batch,
        name: z.string(),
        zone_id: z.number().int(),
        zone_name: z.string(),
        stage: z.string(),
        total_investment_wan: z.number().nullable(),
        completed_investment_wan: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'Round' });

export const listRounds = defineContract({
  method: 'get',
  path: '/api/supervision/rounds',
  summary: '三个一批 rounds (e.g. 2024年第二次), oldest first',
  description: 'With how many projects of the scope each lists in the 签约 / 开工 / 投产 batches.',
  tags: ['supervision'],
  access: 'signedIn',
  query: z.strictObject(scopeQuery),
  responses: { 200: { description: 'The rounds', schema: z.object({ rounds: z.array(RoundRow) }) } },
  errors: [400, 401],
});

/** A round's name and date: the domain checks them (1–40 characters, no control characters; a real date). */
const roundFields = { name: text(200).meta({ example: '2026年第二次' }), held_on: text(20).meta({ example: '2026-09-20' }) };

export const createRound = defineContract({
  method: 'post',
  path: '/api/supervision/rounds',
  summary: 'Create a 三个一批 round',
  description:
    'A name of 1–40 characters such as 2026年第二次, unique (409 otherwise), and the date it was held. Users with round.edit for all zones only. Recorded in the audit log.',
  tags: ['supervision'],
  access: 'round.edit',
  body: z.strictObject(roundFields).partial(),
  responses: { 201: { description: 'The round, with no entries', schema: RoundDetail } },
  errors: [400, 401, 403, 409],
});

export const RoundImportResult = z
  .object({
    dryRun: z.boolean(),
    added: z.number().int().meta({ description: 'Projects put into a batch (in a dry run: that would be)' }),
    already: z.number().int().meta({ description: 'Rows already listed in that batch of that round' }),
    rounds: z.array(z.object({ id: z.number().int(), name: z.string(), added: z.number().int() })),
    entries: z.array(
      z.object({
        line: z.number().int(),
        round_id: z.number().int(),
        round_name: z.string(),
        project_id: z.number().int(),
        name: z.string(),
        zone_name: z.string(),
        batch,
        already: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'RoundImportResult' });

export const importRounds = defineContract({
  method: 'post',
  path: '/api/supervision/rounds/import',
  summary: "Import a round's list (台账) from CSV or Excel sent as the body",
  description:
    "Content-Type text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet (.xlsx), at most 5 MB. Header: 项目名称 or 项目编号 (the project id), 批次 (签约 / 开工 / 投产, also 签约一批 … or signed / started / producing), optionally 轮次 (an existing round's name; else the round parameter) and 开发区 (to tell projects of one name apart). All rows or none: 422 lists every bad row with its line and reason in details.rows (unknown or ambiguous project, a project already in another batch of the round or twice in the file, outside the user's zones, unknown batch or round). Rows already listed in the same batch are left as they are. dryRun=true checks only (a preview). One audit entry per round written (action import_list); an optional X-File-Name header (URI-encoded) names the file in it. A zone-limited user needs round.edit for each project's zone.",
  tags: ['supervision'],
  access: 'round.edit',
  query: z.strictObject({
    round: idParam.optional().meta({ description: 'The round for rows without a 轮次' }),
    dryRun: z.enum(['true', 'false']).optional().meta({ description: 'true: check and preview only, nothing written (default false)' }),
  }),
  body: uploadedFile,
  bodyContentType: 'text/csv',
  responses: { 200: { description: 'What was (or, in a dry run, would be) added', schema: RoundImportResult } },
  errors: [400, 401, 403, 404, 413, 422],
});

const roundId = z.strictObject({ id: idParam });

export const getRound = defineContract({
  method: 'get',
  path: '/api/supervision/rounds/{id}',
  summary: 'One round with the projects of its 签约一批 / 开工一批 / 投产一批 batches',
  tags: ['supervision'],
  access: 'signedIn',
  params: roundId,
  query: noQuery,
  responses: { 200: { description: 'The round', schema: RoundDetail } },
  errors: [400, 401, 404],
});

export const updateRound = defineContract({
  method: 'patch',
  path: '/api/supervision/rounds/{id}',
  summary: 'Rename or re-date a round',
  description:
    'All-zone users with round.edit. 409 when another round has the name, or when the round changed since `version` (with the other change). Recorded in the audit log.',
  tags: ['supervision'],
  access: 'round.edit',
  params: roundId,
  body: z.strictObject({ version: z.number().int().min(0).max(1e9).meta({ description: 'The version you edited' }), ...roundFields }).partial(),
  responses: { 200: { description: 'The round after the change', schema: RoundDetail } },
  errors: [400, 401, 403, 404, 409],
});

export const deleteRound = defineContract({
  method: 'delete',
  path: '/api/supervision/rounds/{id}',
  summary: 'Delete a round that lists no project',
  description: 'A round that still lists projects answers 409 saying how many to take out first. Recorded in the audit log.',
  tags: ['supervision'],
  access: 'round.edit',
  params: roundId,
  responses: { 200: { description: 'Deleted', schema: Ok } },
  errors: [400, 401, 403, 404, 409],
});

export const addEntry = defineContract({
  method: 'post',
  path: '/api/supervision/rounds/{id}/entries',
  summary: 'Put a project into a batch of the round',
  description:
    "A project may be in several rounds but in one batch of a round: a second listing gets 409 naming the batch; an unknown project 400; a project outside a zone-limited user's zones 403. Recorded in the audit log.",
  tags: ['supervision'],
  access: 'round.edit',
  params: roundId,
  // The batch is checked by the service, which names the three in both languages.
  body: z.strictObject({ project_id: z.number().int().min(1).max(999999999), batch: text(40).meta({ example: 'signed' }) }).partial(),
  responses: { 201: { description: 'The round with its entries', schema: RoundDetail } },
  errors: [400, 401, 403, 404, 409],
});

export const removeEntry = defineContract({
  method: 'delete',
  path: '/api/supervision/rounds/{id}/entries/{projectId}',
  summary: 'Take a project out of the round',
  description: '404 when it is not listed. Recorded in the audit log.',
  tags: ['supervision'],
  access: 'round.edit',
  params: z.strictObject({ id: idParam, projectId: idParam }),
  responses: { 200: { description: 'The round with its entries', schema: RoundDetail } },
  errors: [400, 401, 403, 404],
});

// ——— Rates, 三未, lights ———

/** A project as the lists show it. */
const projectRef = {
  id: z.number().int(),
  name: z.string(),
  zone_id: z.number().int(),
  zone_name: z.string(),
  stage: z.string(),
  is_industrial: z.boolean(),
  total_investment_wan: z.number().nullable(),
  completed_investment_wan: z.number().nullable(),
  signed_date: z.string().nullable(),
  landed_date: z.string().nullable(),
  started_date: z.string().nullable(),
  producing_date: z.string().nullable(),
  at_capacity_date: z.string().nullable(),
};

export const RateResult = z
  .object({
    key: z.enum(['start', 'produce', 'capacity']),
    batch,
    basis: rateBasis,
    base: z.array(z.number().int()).meta({ description: 'Projects in the base' }),
    achieved: z.array(z.number().int()).meta({ description: 'Of those, the ones that reached the next step by the date' }),
    withoutFigures: z.array(z.number().int()).meta({ description: 'Left out of an investment basis for a missing figure' }),
    numerator: z.number(),
    denominator: z.number(),
    share: z.number().nullable().meta({ description: '0..1; null when there is nothing to divide by' }),
  })
  .meta({ id: 'RateResult' });

const RoundRef = z.object({ id: z.number().int(), name: z.string(), held_on: z.string() });

/** "1,3" or "1-3": the service resolves a range by the rounds' order in time. */
const roundsText = z
  .string()
  .regex(/^(\d{1,9}-\d{1,9}|\d{1,9}(,\d{1,9})*)$/, {
    message: 'must be a list of round ids "1,2" or a range "1-3"',
    ...zh('须为轮次编号列表（如 1,2）或范围（如 1-3）'),
  })
  .optional()
  .meta({ description: 'Round ids "1,3" or a range "1-3" in time order (default: every round held on or before asOf, as in the briefing)' });

export const rates = defineContract({
  method: 'get',
  path: '/api/supervision/rates',
  summary: '三个一批 rates: 签约项目开工率, 开工项目投产率, 投产项目达产率',
  description:
    'By investment or by count, with the projects behind each number (base, achieved, left out for missing figures) and the projects refused for stage dates out of order.',
  tags: ['supervision'],
  access: 'signedIn',
  query: z.strictObject({
    rounds: roundsText,
    ...scopeQuery,
    basis: rateBasis.optional().meta({ description: 'Default investment' }),
    asOf,
  }),
  responses: {
    200: {
      description: 'The rates',
      schema: z.object({
        basis: rateBasis,
        asOf: z.string(),
        start: RateResult,
        produce: RateResult,
        capacity: RateResult,
        refused: z.array(z.object({ id: z.number().int(), name: z.string(), message: Message })),
        scope: Scope.extend({ label_en: z.string() }),
        rounds: z.array(RoundRef),
        projects: z.array(z.object(projectRef)),
      }),
    },
  },
  errors: [400, 401],
});

export const SanweiRow = z
  .object({
    ...projectRef,
    kind: sanweiKind,
    since: z.string().meta({ description: 'The date it got stuck' }),
    days: z.number().int().meta({ description: 'Days since then' }),
    output_share: z.number().nullable(),
    tax_share: z.number().nullable(),
    expected_annual_output_wan: z.number().nullable(),
    actual_annual_output_wan: z.number().nullable(),
    agreed_annual_tax_wan: z.number().nullable(),
    actual_annual_tax_wan: z.number().nullable(),
  })
  .meta({ id: 'SanweiProject' });

export const sanwei = defineContract({
  method: 'get',
  path: '/api/supervision/sanwei',
  summary: '三未 lists: 签而未落, 落而未投, 投而未效 projects',
  description:
    'With the date each got stuck and the days since, longest stuck first, and counts per zone. format=csv: a CSV file (UTF-8 with BOM); format=xlsx: an Excel workbook with a sheet per list and a zone summary.',
  tags: ['supervision'],
  access: 'signedIn',
  query: z.strictObject({
    ...scopeQuery,
    kind: enumList(SANWEI_KEYS as [SanweiKind, ...SanweiKind[]]).optional(),
    asOf,
    format: z.enum(['json', 'csv', 'xlsx']).optional().meta({ description: 'Default json' }),
  }),
  responses: {
    200: {
      description: 'The lists (JSON; a file for format=csv or xlsx)',
      schema: z.object({
        asOf: z.string(),
        scope: Scope,
        projects: z.array(SanweiRow),
        zones: z.array(
          z.object({
            zone_id: z.number().int(),
            zone_name: z.string(),
            signed_not_landed: z.number().int(),
            landed_not_producing: z.number().int(),
            producing_not_effective: z.number().int(),
          }),
        ),
      }),
    },
  },
  errors: [400, 401],
});

export const LightRow = z
  .object({
    ...projectRef,
    light,
    due_stage: z.string().nullable().meta({ description: 'The step the project is late for (or next due)' }),
    due_date: z.string().nullable(),
    days_late: z.number().int(),
  })
  .meta({ id: 'LightProject' });

const zoneLights = z.object({ zone_id: z.number().int(), zone_name: z.string(), counts: lightCounts });

export const lights = defineContract({
  method: 'get',
  path: '/api/supervision/lights',
  summary: 'Traffic lights (红黄绿) of the projects against their planned dates',
  description: 'With the saved thresholds: counts in all and per zone, and the projects (filtered by light) most behind first.',
  tags: ['supervision'],
  access: 'signedIn',
  query: z.strictObject({ ...scopeQuery, light: enumList(LIGHT_KEYS as [Light, ...Light[]]).optional(), asOf }),
  responses: {
    200: {
      description: 'The lights',
      schema: z.object({ asOf: z.string(), thresholds: LightThresholds, counts: lightCounts, zones: z.array(zoneLights), projects: z.array(LightRow) }),
    },
  },
  errors: [400, 401],
});

const settingVersion = z.number().int().min(0).max(1e9).meta({ description: 'The version you edited (0 for the default)' });

export const getSettings = defineContract({
  method: 'get',
  path: '/api/supervision/settings',
  summary: 'The light thresholds',
  description: 'Days behind a planned date: green up to yellowAfterDays, yellow up to redAfterDays, red beyond; version 0 = the defaults.',
  tags: ['supervision'],
  access: 'signedIn',
  query: noQuery,
  responses: { 200: { description: 'The thresholds', schema: z.object({ version: z.number().int(), lights: LightThresholds }) } },
  errors: [400, 401],
});

export const saveSettings = defineContract({
  method: 'put',
  path: '/api/supervision/settings',
  summary: 'Save the light thresholds (administrators)',
  description:
    'Each a whole number of days 0–3650, redAfterDays greater than yellowAfterDays. 409 when they changed since `version`. Recorded in the audit log.',
  tags: ['supervision'],
  access: 'user.manage',
  // The domain checks the days (whole, 0–3650, red after yellow) and names each problem in both languages.
  body: z
    .strictObject({
      version: settingVersion,
      lights: z.strictObject({ yellowAfterDays: amount(-1e6, 1e6), redAfterDays: amount(-1e6, 1e6) }).partial(),
    })
    .partial(),
  responses: { 200: { description: 'The saved thresholds', schema: z.object({ version: z.number().int(), lights: LightThresholds }) } },
  errors: [400, 401, 403, 409],
});

export const getStages = defineContract({
  method: 'get',
  path: '/api/supervision/stages',
  summary: 'The project stage list',
  description: 'The six standard stages (谋划 → 签约 → 落地 → 开工 → 投产 → 达产, renamable) and any a city added between them; version 0 = the default.',
  tags: ['supervision'],
  access: 'signedIn',
  query: noQuery,
  responses: { 200: { description: 'The stages', schema: z.object({ version: z.number().int(), stages: z.array(StageDef) }) } },
  errors: [400, 401],
});

export const saveStages = defineContract({
  method: 'put',
  path: '/api/supervision/stages',
  summary: 'Save the stage list (administrators)',
  description:
    'The six standard stages stay, in order; added stages have a key of 2–31 lower-case letters, digits or _, names of 1–20 characters and a colour #rrggbb. An added stage still used by a project cannot be removed (409). Recorded in the audit log.',
  tags: ['supervision'],
  access: 'user.manage',
  // The list's rules (keys, order, names, colours) are the domain's (checkStageList), in both languages.
  body: z
    .strictObject({
      version: settingVersion,
      stages: z.array(z.strictObject({ key: text(40), zh: text(100), en: text(100), color: text(20), builtin: z.boolean() }).partial()).max(100),
    })
    .partial(),
  responses: { 200: { description: 'The saved list', schema: z.object({ version: z.number().int(), stages: z.array(StageDef) }) } },
  errors: [400, 401, 403, 409],
});

// ——— The briefing ———

const BriefingLeadFigures = z.object({
  from: z.string(),
  to: z.string(),
  eventsHeld: z.number().int(),
  stages: z.array(z.object({ key: z.string(), reached: z.number().int(), reachedInvestmentWan: z.number() })),
  inNegotiation: z.object({ count: z.number().int(), investmentWan: z.number(), atLeast10Yi: z.number().int() }),
  signed: z.object({ count: z.number().int(), investmentWan: z.number() }),
  signedShareOfAll: z.number().nullable(),
});

export const Briefing = z
  .object({
    title: z.string(),
    scope: Scope,
    month: z.string(),
    asOf: z.string().meta({ description: 'The last day of the month' }),
    rates: z.object({ basis: rateBasis, rounds: z.array(RoundRef), start: RateResult, produce: RateResult, capacity: RateResult }),
    lights: z.object({
      thresholds: LightThresholds,
      counts: lightCounts,
      zones: z.array(zoneLights),
      behind: z.array(LightRow).meta({ description: 'The red and yellow projects longest behind' }),
      behindTotal: z.number().int(),
    }),
    indicators: z.object({ value_added: z.array(RankedZone), investment: z.array(RankedZone) }),
    lagging: z
      .array(IndicatorStatus.extend({ indicator: indicatorKey, zone_id: z.number().int(), zone_name: z.string() }))
      .meta({ description: 'Indicators behind target (预警)' }),
    sanwei: z.object({
      counts: z.object({ signed_not_landed: z.number().int(), landed_not_producing: z.number().int(), producing_not_effective: z.number().int() }),
      projects: z.array(SanweiRow).meta({ description: 'The projects longest stuck' }),
      total: z.number().int(),
    }),
    leads: z
      .object({ month: BriefingLeadFigures, quarter: BriefingLeadFigures })
      .nullable()
      .meta({ description: '招商 figures of the month and of the quarter to the month end (as /api/leads/figures); null for roles that do not read leads' }),
  })
  .meta({ id: 'Briefing' });

export const briefing = defineContract({
  method: 'get',
  path: '/api/supervision/briefing',
  summary: 'The monthly briefing of a zone or a city',
  description:
    '三个一批 rates by investment for the rounds held by the month end, lights, indicators behind target (预警) and 三未 projects; JSON for the printable page, or with format=pdf an A4 PDF.',
  tags: ['supervision'],
  access: 'signedIn',
  query: z.strictObject({
    zone: oneZoneId.optional(),
    city: scopeQuery.city,
    county: scopeQuery.county,
    month: isoMonth.meta({ description: 'YYYY-MM, e.g. 2026-09' }),
    format: z.enum(['json', 'pdf']).optional().meta({ description: 'Default json' }),
  }),
  responses: { 200: { description: 'The briefing (JSON; a PDF for format=pdf)', schema: Briefing } },
  errors: [400, 401],
});
