/**
 * Project supervision: 三个一批 rounds and rates, the 三未 lists (JSON, CSV, Excel), traffic lights with
 * counts per zone, the light thresholds setting (administrators, audited), and the monthly briefing
 * (JSON for the printable page, PDF for download).
 */
import express, { Router } from 'express';
import { RATE_BASES, type RateBasis } from '../../domain/threeBatches.ts';
import { DEFAULT_LIGHT_THRESHOLDS, LIGHT_KEYS, SANWEI_KEYS, SANWEI_KINDS, checkLightThresholds, type LightThresholds } from '../../domain/projectSupervision.ts';
import { isMonth } from '../../domain/zoneIndicators.ts';
import { saveSetting } from '../services/settings.ts';
import { requirePermission } from '../auth/middleware.ts';
import type { Db } from '../db/types.ts';
import { HttpError, allowOnlyParams, badRequest, parseEnumList, parseId, queryString } from '../lib/http.ts';
import { addEntry, createRound, deleteRound, importRoundList, removeEntry, roundDetail, updateRound } from '../services/rounds.ts';
import { XLSX_TYPE, csvTable, xlsxTable } from './indicators.ts';
import { DEFAULT_STAGE_LIST, checkStageList, stageOf, type StageDef } from '../../domain/projectStages.ts';
import { parseAsOf } from './land.ts';
import { addSheet, newWorkbook, sendCsv, sendWorkbook, type ExportColumn } from '../lib/exports.ts';
import {
  LIGHTS_SETTING_KEY, STAGES_SETTING_KEY, lightsReport, listRounds, loadLightThresholds, loadStages, parseScope, ratesReport, sanweiReport, type SanweiRow,
} from '../services/supervision.ts';
import { briefingData, briefingPdf } from '../services/briefing.ts';

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

/** "1,2" or "1-3" (by position in time) → round ids; none = every round. */
async function parseRounds(db: Db, text: string | undefined): Promise<number[]> {
  const all = await db.query<{ id: number }>('SELECT id FROM project_rounds ORDER BY held_on, id');
  if (!text) return all.map((r) => r.id);
  const range = /^(\d{1,9})-(\d{1,9})$/.exec(text);
  if (range) {
    const order = all.map((r) => r.id);
    const [from, to] = [order.indexOf(Number(range[1])), order.indexOf(Number(range[2]))];
    if (from < 0 || to < 0) throw badRequest(`Unknown round in "${text}": see GET /api/supervision/rounds.`);
    if (from > to) throw badRequest(`The range "${text}" runs backwards: give the earlier round first.`);
    return order.slice(from, to + 1);
  }
  if (!/^\d{1,9}(,\d{1,9})*$/.test(text)) throw badRequest(`rounds is a list of round ids "1,2" or a range "1-3", got "${text.slice(0, 40)}".`);
  return [...new Set(text.split(',').map(Number))];
}

export function supervisionRouter(db: Db): Router {
  const router = Router();
  const scopeOf = (q: Record<string, unknown>) => parseScope(db, queryString(q, 'zone'), queryString(q, 'city'));

  router.get('/rounds', allowOnlyParams(['zone', 'city']), async (req, res) => {
    const scope = await scopeOf(req.query);
    res.json({ rounds: await listRounds(db, scope.zoneIds) });
  });

  // Rounds as data: create, rename, delete (empty only), and the projects in their batches.
  router.post('/rounds', requirePermission('round.edit'), async (req, res) => {
    res.status(201).json(await createRound(db, req.user!, (req.body ?? {}) as Record<string, unknown>));
  });
  // A round's list (台账) from Excel or CSV as the request body: all rows or none, every bad row reported
  // (422); dryRun=true checks only (the page's preview). round= is the round for rows without a 轮次.
  router.post(
    '/rounds/import',
    requirePermission('round.edit'),
    allowOnlyParams(['round', 'dryRun']),
    express.raw({ type: ['text/csv', 'application/csv', 'text/plain', XLSX_TYPE, 'application/octet-stream'], limit: '5mb' }),
    async (req, res) => {
      const q = req.query as Record<string, unknown>;
      const roundText = queryString(q, 'round');
      const dryRunText = queryString(q, 'dryRun') ?? 'false';
      if (!['true', 'false'].includes(dryRunText)) throw badRequest(`dryRun is true or false, got "${dryRunText.slice(0, 20)}". dryRun 须为 true 或 false。`);
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
        throw badRequest(`请上传 Excel（.xlsx）或 CSV 文件作为请求体。 Send the file as the request body with Content-Type text/csv or ${XLSX_TYPE}.`);
      }
      const type = (req.get('Content-Type') ?? '').split(';')[0].trim();
      const isXlsx = type === XLSX_TYPE || req.body.subarray(0, 2).toString() === 'PK';
      let fileName: string | null = null;
      try {
        fileName = decodeURIComponent(req.get('X-File-Name') ?? '').slice(0, 120) || null;
      } catch {
        // A malformed name only loses the audit note's file name.
      }
      res.json(await importRoundList(db, req.user!, isXlsx ? await xlsxTable(req.body) : csvTable(req.body), {
        roundId: roundText ? parseId(roundText, 'Round') : null,
        dryRun: dryRunText === 'true',
        fileName,
      }));
    },
  );
  router.get('/rounds/:id', allowOnlyParams([]), async (req, res) => {
    res.json(await roundDetail(db, parseId(req.params.id, 'Round')));
  });
  router.patch('/rounds/:id', requirePermission('round.edit'), async (req, res) => {
    res.json(await updateRound(db, req.user!, parseId(req.params.id, 'Round'), (req.body ?? {}) as Record<string, unknown>));
  });
  router.delete('/rounds/:id', requirePermission('round.edit'), async (req, res) => {
    await deleteRound(db, req.user!, parseId(req.params.id, 'Round'));
    res.json({ ok: true });
  });
  router.post('/rounds/:id/entries', requirePermission('round.edit'), async (req, res) => {
    res.status(201).json(await addEntry(db, req.user!, parseId(req.params.id, 'Round'), (req.body ?? {}) as Record<string, unknown>));
  });
  router.delete('/rounds/:id/entries/:projectId', requirePermission('round.edit'), async (req, res) => {
    res.json(await removeEntry(db, req.user!, parseId(req.params.id, 'Round'), parseId(req.params.projectId, 'Project')));
  });

  router.get('/rates', allowOnlyParams(['rounds', 'zone', 'city', 'basis', 'asOf']), async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const basisText = queryString(q, 'basis') ?? 'investment';
    if (!(RATE_BASES as readonly string[]).includes(basisText)) throw badRequest(`basis is "investment" or "count", got "${basisText.slice(0, 40)}".`);
    const [rounds, scope] = [await parseRounds(db, queryString(q, 'rounds')), await scopeOf(q)];
    res.json(await ratesReport(db, rounds, scope, basisText as RateBasis, parseAsOf(queryString(q, 'asOf'))));
  });

  router.get('/sanwei', allowOnlyParams(['zone', 'city', 'kind', 'asOf', 'format']), async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const scope = await scopeOf(q);
    const asOf = parseAsOf(queryString(q, 'asOf'));
    const kindText = queryString(q, 'kind');
    const kinds = kindText ? parseEnumList(kindText, 'kind', SANWEI_KEYS) : null;
    const format = queryString(q, 'format') ?? 'json';
    if (!['json', 'csv', 'xlsx'].includes(format)) throw badRequest('format is json, csv or xlsx.');
    const report = await sanweiReport(db, scope, asOf, kinds);
    const filename = `sanwei-${asOf}`;
    const SANWEI_COLUMNS = sanweiColumns((await loadStages(db)).stages);
    if (format === 'csv') return sendCsv(res, filename, SANWEI_COLUMNS, report.projects);
    if (format === 'xlsx') {
      const book = newWorkbook();
      for (const kind of SANWEI_KINDS) {
        if (!kinds || kinds.includes(kind.key)) addSheet(book, kind.zh, SANWEI_COLUMNS, report.projects.filter((p) => p.kind === kind.key), 12);
      }
      const zoneColumns: ExportColumn<(typeof report.zones)[number]>[] = [
        { header: '开发区', value: (z) => z.zone_name, width: 28 },
        ...SANWEI_KINDS.map((k) => ({ header: k.zh, value: (z: (typeof report.zones)[number]) => z[k.key], width: 12 })),
      ];
      addSheet(book, '开发区汇总', zoneColumns, report.zones);
      return sendWorkbook(res, filename, book);
    }
    res.json(report);
  });

  router.get('/lights', allowOnlyParams(['zone', 'city', 'light', 'asOf']), async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const scope = await scopeOf(q);
    const lightText = queryString(q, 'light');
    const lights = lightText ? parseEnumList(lightText, 'light', LIGHT_KEYS) : null;
    res.json(await lightsReport(db, scope, parseAsOf(queryString(q, 'asOf')), lights));
  });

  router.get('/settings', allowOnlyParams([]), async (_req, res) => {
    const { thresholds, version } = await loadLightThresholds(db);
    res.json({ version, lights: thresholds });
  });

  router.put('/settings', requirePermission('user.manage'), async (req, res) => {
    const { lights, version } = (req.body ?? {}) as { lights?: unknown; version?: unknown };
    const problems = checkLightThresholds(lights);
    if (problems.length) {
      throw badRequest(`The thresholds cannot be used: ${problems.map((p) => `${p.zh} ${p.en}`).join(' ')}`, { problems });
    }
    const saved = await saveSetting(db, req.user!, LIGHTS_SETTING_KEY, lights as LightThresholds, version, DEFAULT_LIGHT_THRESHOLDS, 'The thresholds');
    res.json({ version: saved, lights });
  });

  router.get('/stages', allowOnlyParams([]), async (_req, res) => {
    res.json(await loadStages(db));
  });

  // The stage list: the six standard stages in order (renamed or recoloured as a city says them) and any
  // added ones; an added stage still used by a project cannot be removed.
  router.put('/stages', requirePermission('user.manage'), async (req, res) => {
    const { stages, version } = (req.body ?? {}) as { stages?: unknown; version?: unknown };
    const problems = checkStageList(stages);
    if (problems.length) throw badRequest(`阶段列表不能使用：${problems.map((p) => p.zh).join(' ')} The stage list cannot be used: ${problems.map((p) => p.en).join(' ')}`, { problems });
    const list = stages as StageDef[];
    const { stages: current } = await loadStages(db);
    const removed = current.filter((c) => !c.builtin && !list.some((s) => s.key === c.key)).map((c) => c.key);
    if (removed.length) {
      const [used] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM projects WHERE stage = ANY($1::text[]) OR extra_stage_dates ?| $1::text[]', [removed]);
      if (used.n > 0) {
        throw new HttpError(409, 'stage_in_use', `${used.n} 个项目仍使用要删除的阶段（${removed.join('、')}），请先修改这些项目。 ${used.n} project(s) still use the stage(s) ${removed.join(', ')}: change them first.`);
      }
    }
    const saved = await saveSetting(db, req.user!, STAGES_SETTING_KEY, { stages: list }, version, { stages: [...DEFAULT_STAGE_LIST] }, 'The stage list');
    res.json({ version: saved, stages: list });
  });

  router.get('/briefing', allowOnlyParams(['zone', 'city', 'month', 'format']), async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const month = queryString(q, 'month');
    if (!month || !isMonth(month)) throw badRequest(`month is required as YYYY-MM (e.g. 2026-09), got "${String(month ?? '').slice(0, 40)}".`);
    const zoneText = queryString(q, 'zone');
    const cityText = queryString(q, 'city');
    if (!zoneText && !cityText) throw badRequest('A briefing is for one zone ("zone") or a city ("city").');
    if (zoneText && zoneText.includes(',')) throw badRequest('A briefing is for one zone: give a single zone id, or a city.');
    const format = queryString(q, 'format') ?? 'json';
    if (!['json', 'pdf'].includes(format)) throw badRequest('format is json or pdf.');
    const data = await briefingData(db, await parseScope(db, zoneText, cityText), month);
    if (format === 'pdf') {
      const pdf = await briefingPdf(data);
      res.set({ 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="briefing-${month}.pdf"` });
      res.send(pdf);
      return;
    }
    res.json(data);
  });

  return router;
}
