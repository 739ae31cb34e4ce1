/**
 * Project supervision: 三个一批 rounds and rates, the 三未 lists (JSON, CSV, Excel), traffic lights with
 * counts per zone, the light thresholds setting (administrators, audited), and the monthly briefing
 * (JSON for the printable page, PDF for download).
 */
import express, { Router } from 'express';
import { DEFAULT_LIGHT_THRESHOLDS, SANWEI_KINDS, checkLightThresholds, type LightThresholds } from '../../domain/projectSupervision.ts';
import { isMonth } from '../../domain/zoneIndicators.ts';
import { isValidDate } from '../../domain/parcelFields.ts';
import { todayIso } from '../../domain/dates.ts';
import { saveSetting } from '../services/settings.ts';
import type { Db } from '../db/types.ts';
import { HttpError, badRequest } from '../lib/http.ts';
import { route } from '../lib/route.ts';
import { addEntry, createRound, deleteRound, importRoundList, removeEntry, roundDetail, updateRound } from '../services/rounds.ts';
import { UPLOAD_TYPES, XLSX_TYPE, csvTable, xlsxTable } from './indicators.ts';
import { DEFAULT_STAGE_LIST, checkStageList, stageOf, type StageDef } from '../../domain/projectStages.ts';
import { addSheet, attachment, newWorkbook, sendCsv, sendWorkbook, type ExportColumn } from '../lib/exports.ts';
import { PROVINCE_NAME, exportFileName } from '../../domain/scope.ts';
import { shortZoneName } from '../../domain/zoneNames.ts';
import {
  LIGHTS_SETTING_KEY,
  STAGES_SETTING_KEY,
  lightsReport,
  listRounds,
  loadLightThresholds,
  loadStages,
  parseScope,
  ratesReport,
  roundsHeldBy,
  sanweiReport,
  type SanweiRow,
} from '../services/supervision.ts';
import { briefingData, briefingPdf } from '../services/briefing.ts';
import * as contract from '../contract/supervision.ts';

const KIND_ZH = Object.fromEntries(SANWEI_KINDS.map((k) => [k.key, k.zh]));
const pct = (share: number | null) => (share === null ? null : Math.round(share * 10000) / 100);

/** The export's columns; the stage is named as the configured list names it. */
const sanweiColumns = (stages: StageDef[]): ExportColumn<SanweiRow>[] => [
  { header: '类别', value: (r) => KIND_ZH[r.kind] },
  { header: '项目名称', value: (r) => r.name, width: 40 },
  { header: '开发区', value: (r) => r.zone_name, width: 24 },
  { header: '当前阶段', value: (r) => stageOf(stages, r.stage).zh },
  { header: '总投资（万元）', value: (r) => r.total_investment_wan, width: 16 },
  { header: '已完成投资（万元）', value: (r) => r.completed_investment_wan, width: 18 },
  { header: '起算日期', value: (r) => r.since, width: 12 },
  { header: '滞留天数', value: (r) => r.days },
  { header: '约定年产值（万元）', value: (r) => r.expected_annual_output_wan, width: 18 },
  { header: '实际年产值（万元）', value: (r) => r.actual_annual_output_wan, width: 18 },
  { header: '产值完成率（%）', value: (r) => pct(r.output_share), width: 16 },
  { header: '约定年税收（万元）', value: (r) => r.agreed_annual_tax_wan, width: 18 },
  { header: '实际年税收（万元）', value: (r) => r.actual_annual_tax_wan, width: 18 },
  { header: '税收完成率（%）', value: (r) => pct(r.tax_share), width: 16 },
];

/** The as-of date: the contract checks the form YYYY-MM-DD, the domain's range (1990–2100) is checked here. */
function asOfOf(value: string | undefined): string {
  if (!value) return todayIso();
  if (!isValidDate(value)) throw badRequest('asOf must be a date YYYY-MM-DD between 1990 and 2100. 日期须为 1990—2100 年间的 YYYY-MM-DD。');
  return value;
}

/** "1,2" or "1-3" (by position in time) → round ids; none = every round held by the as-of date (as the briefing). The contract checks the form. */
async function parseRounds(db: Db, text: string | undefined, asOf: string): Promise<number[]> {
  if (!text) return roundsHeldBy(db, asOf);
  const all = await db.query<{ id: number }>('SELECT id FROM project_rounds ORDER BY held_on, id');
  const range = /^(\d{1,9})-(\d{1,9})$/.exec(text);
  if (range) {
    const order = all.map((r) => r.id);
    const [from, to] = [order.indexOf(Number(range[1])), order.indexOf(Number(range[2]))];
    if (from < 0 || to < 0) throw badRequest(`Unknown round in "${text}": see GET /api/supervision/rounds.`);
    if (from > to) throw badRequest(`The range "${text}" runs backwards: give the earlier round first.`);
    return order.slice(from, to + 1);
  }
  return [...new Set(text.split(',').map(Number))];
}

/** A scope as a file name says it: short zone names (大同经开区), the county or city, or 山西省. */
function fileScope(scope: { zoneIds: number[] | null; label: string }): string {
  return scope.zoneIds === null ? PROVINCE_NAME.zh : scope.label.split('、').map(shortZoneName).join('、');
}

export function supervisionRouter(db: Db): Router {
  const router = Router();
  const scopeOf = (q: { zone?: string; city?: string; county?: string }) => parseScope(db, q.zone, q.city, q.county);

  router.get('/rounds', ...route(contract.listRounds, async ({ query }) => ({ rounds: await listRounds(db, (await scopeOf(query)).zoneIds) })));

  // Rounds as data: create, rename, delete (empty only), and the projects in their batches.
  router.post('/rounds', ...route(contract.createRound, ({ body }, req) => createRound(db, req.user!, body)));
  // A round's list (台账) from Excel or CSV as the request body: all rows or none, every bad row reported
  // (422); dryRun=true checks only (the page's preview). round= is the round for rows without a 轮次.
  // express.raw comes before the contract, which checks that a file came.
  router.post(
    '/rounds/import',
    express.raw({ type: UPLOAD_TYPES, limit: '5mb' }),
    ...route(contract.importRounds, async ({ query, body }, req) => {
      const file = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      const type = (req.get('Content-Type') ?? '').split(';')[0].trim();
      const isXlsx = type === XLSX_TYPE || file.subarray(0, 2).toString() === 'PK';
      let fileName: string | null = null;
      try {
        fileName = decodeURIComponent(req.get('X-File-Name') ?? '').slice(0, 120) || null;
      } catch {
        // A malformed name only loses the audit note's file name.
      }
      return importRoundList(db, req.user!, isXlsx ? await xlsxTable(file) : csvTable(file), {
        roundId: query.round ?? null,
        dryRun: query.dryRun === 'true',
        fileName,
      });
    }),
  );
  router.get('/rounds/:id', ...route(contract.getRound, ({ params }) => roundDetail(db, params.id)));
  router.patch('/rounds/:id', ...route(contract.updateRound, ({ params, body }, req) => updateRound(db, req.user!, params.id, body)));
  router.delete(
    '/rounds/:id',
    ...route(contract.deleteRound, async ({ params }, req) => {
      await deleteRound(db, req.user!, params.id);
      return { ok: true as const };
    }),
  );
  router.post('/rounds/:id/entries', ...route(contract.addEntry, ({ params, body }, req) => addEntry(db, req.user!, params.id, body)));
  router.delete('/rounds/:id/entries/:projectId', ...route(contract.removeEntry, ({ params }, req) => removeEntry(db, req.user!, params.id, params.projectId)));

  router.get(
    '/rates',
    ...route(contract.rates, async ({ query }) => {
      const asOf = asOfOf(query.asOf);
      const [rounds, scope] = [await parseRounds(db, query.rounds, asOf), await scopeOf(query)];
      return ratesReport(db, rounds, scope, query.basis ?? 'investment', asOf);
    }),
  );

  router.get(
    '/sanwei',
    ...route(contract.sanwei, async ({ query }, _req, res) => {
      const scope = await scopeOf(query);
      const asOf = asOfOf(query.asOf);
      const kinds = query.kind ?? null;
      const format = query.format ?? 'json';
      const report = await sanweiReport(db, scope, asOf, kinds);
      if (format === 'json') return report;
      const filename = exportFileName('三未项目', fileScope(scope), asOf);
      const SANWEI_COLUMNS = sanweiColumns((await loadStages(db)).stages);
      if (format === 'csv') {
        sendCsv(res, filename, SANWEI_COLUMNS, report.projects);
        return;
      }
      const book = newWorkbook();
      for (const kind of SANWEI_KINDS) {
        if (!kinds || kinds.includes(kind.key))
          addSheet(
            book,
            kind.zh,
            SANWEI_COLUMNS,
            report.projects.filter((p) => p.kind === kind.key),
            12,
          );
      }
      const zoneColumns: ExportColumn<(typeof report.zones)[number]>[] = [
        { header: '开发区', value: (z) => z.zone_name, width: 28 },
        ...SANWEI_KINDS.map((k) => ({ header: k.zh, value: (z: (typeof report.zones)[number]) => z[k.key], width: 12 })),
      ];
      addSheet(book, '开发区汇总', zoneColumns, report.zones);
      await sendWorkbook(res, filename, book);
    }),
  );

  router.get('/lights', ...route(contract.lights, async ({ query }) => lightsReport(db, await scopeOf(query), asOfOf(query.asOf), query.light ?? null)));

  router.get(
    '/settings',
    ...route(contract.getSettings, async () => {
      const { thresholds, version } = await loadLightThresholds(db);
      return { version, lights: thresholds };
    }),
  );

  router.put(
    '/settings',
    ...route(contract.saveSettings, async ({ body: { lights, version } }, req) => {
      const problems = checkLightThresholds(lights);
      if (problems.length) {
        throw badRequest(`The thresholds cannot be used: ${problems.map((p) => `${p.zh} ${p.en}`).join(' ')}`, { problems });
      }
      const saved = await saveSetting(db, req.user!, LIGHTS_SETTING_KEY, lights as LightThresholds, version, DEFAULT_LIGHT_THRESHOLDS, 'The thresholds');
      return { version: saved, lights: lights as LightThresholds };
    }),
  );

  router.get('/stages', ...route(contract.getStages, () => loadStages(db)));

  // The stage list: the six standard stages in order (renamed or recoloured as a city says them) and any
  // added ones; an added stage still used by a project cannot be removed.
  router.put(
    '/stages',
    ...route(contract.saveStages, async ({ body: { stages, version } }, req) => {
      const problems = checkStageList(stages);
      if (problems.length)
        throw badRequest(`阶段列表不能使用：${problems.map((p) => p.zh).join(' ')} The stage list cannot be used: ${problems.map((p) => p.en).join(' ')}`, {
          problems,
        });
      const list = stages as StageDef[];
      const { stages: current } = await loadStages(db);
      const removed = current.filter((c) => !c.builtin && !list.some((s) => s.key === c.key)).map((c) => c.key);
      if (removed.length) {
        const [used] = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM projects WHERE stage = ANY($1::text[]) OR extra_stage_dates ?| $1::text[]',
          [removed],
        );
        if (used.n > 0) {
          throw new HttpError(
            409,
            'stage_in_use',
            `${used.n} 个项目仍使用要删除的阶段（${removed.join('、')}），请先修改这些项目。 ${used.n} project(s) still use the stage(s) ${removed.join(', ')}: change them first.`,
          );
        }
      }
      const saved = await saveSetting(db, req.user!, STAGES_SETTING_KEY, { stages: list }, version, { stages: [...DEFAULT_STAGE_LIST] }, 'The stage list');
      return { version: saved, stages: list };
    }),
  );

  router.get(
    '/briefing',
    ...route(contract.briefing, async ({ query }, req, res) => {
      const { month } = query;
      if (!isMonth(month))
        throw badRequest(`month is required as YYYY-MM between 1990 and 2100 (e.g. 2026-09), got "${month.slice(0, 40)}". 月份须为 1990—2100 年间的 YYYY-MM。`);
      if (query.zone === undefined && !query.city && !query.county)
        throw badRequest('A briefing is for one zone ("zone"), a county ("county") or a city ("city"). 简报须指定一个开发区、一个县（区）或一个市。');
      const data = await briefingData(
        db,
        await parseScope(db, query.zone === undefined ? undefined : String(query.zone), query.city, query.county),
        month,
        req.user ?? null,
      );
      if (query.format !== 'pdf') return data;
      const pdf = await briefingPdf(data);
      res.set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': attachment(`${exportFileName('月度简报', fileScope({ zoneIds: data.scope.zone_ids, label: data.scope.label }), month)}.pdf`),
      });
      res.send(pdf);
    }),
  );

  return router;
}
