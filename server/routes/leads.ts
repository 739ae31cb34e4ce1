/** /api/leads: 招商 leads for the roles that work them (never public; contacts only for lead.readContacts). */
import express, { Router } from 'express';
import type ExcelJS from 'exceljs';
import { todayIso } from '../../domain/dates.ts';
import type { Db } from '../db/types.ts';
import { route } from '../lib/route.ts';
import {
  addLeadContact,
  importLeadRows,
  createLead,
  dropLead,
  leadDetail,
  leadFiguresFor,
  listLeads,
  matchLandForLead,
  signLead,
  updateLead,
  type LeadScope,
} from '../services/leads.ts';
import * as contract from '../contract/leads.ts';
import { LEAD_STAGES, DROP_REASONS, DEFAULT_LEAD_SOURCES, type LeadStageKey } from '../../domain/leads.ts';
import { readLeadSheet } from '../../domain/leadImport.ts';
import { HttpError } from '../lib/http.ts';
import { loadWorkbook } from '../lib/spreadsheet.ts';
import { addSheet, newWorkbook, type ExportColumn } from '../lib/exports.ts';
import { UPLOAD_TYPES, XLSX_TYPE, csvTable } from './indicators.ts';

function scopeOf(query: { zone?: number[]; city?: string; stage?: string[]; promoter?: number; chain?: number }): LeadScope {
  return { zoneIds: query.zone, city: query.city, stage: query.stage as LeadStageKey[] | undefined, promoterId: query.promoter, chainId: query.chain };
}

export function leadsRouter(db: Db, onProjectCreated: () => void): Router {
  const router = Router();
  router.get(
    '/',
    ...route(contract.listLeads, ({ query }, req) =>
      listLeads(db, req.user!, { ...scopeOf(query), open: query.open !== undefined, q: query.q }, query.limit ?? 100, query.offset ?? 0),
    ),
  );
  router.get('/figures', ...route(contract.leadFigures, ({ query }, req) => leadFiguresFor(db, req.user!, scopeOf(query), query.from, query.to, todayIso())));
  router.post(
    '/import',
    express.raw({ type: UPLOAD_TYPES, limit: '5mb' }),
    ...route(contract.importLeads, async ({ body }, req, res) => {
      const file = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      const type = (req.get('Content-Type') ?? '').split(';')[0].trim();
      const isXlsx = type === XLSX_TYPE || (type === 'application/octet-stream' && file.subarray(0, 2).toString() === 'PK');
      const table = isXlsx ? await leadSheetTable(file) : csvTable(file);
      const zones = await db.query<{ id: number; code: string; name: string }>('SELECT id, code, name FROM zones');
      const zoneIdOf = (t: string) => zones.find((z) => z.name === t || z.code === t)?.id ?? null;
      const read = readLeadSheet(table, zoneIdOf, todayIso());
      if (!read.ok) {
        const errors = read.errors;
        throw new HttpError(
          400,
          'bad_rows',
          `${new Set(errors.map((e) => e.line)).size} 行有误，未导入任何数据：${errors.map((e) => `第 ${e.line} 行：${e.message_zh}`).join('；')}。 Bad rows, nothing imported: ${errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}.`,
          { rows: errors, message_zh: `未导入任何数据：${errors.map((e) => `第 ${e.line} 行：${e.message_zh}`).join('；')}` },
        );
      }
      const written = await importLeadRows(db, req.user!, read.rows);
      res.status(201);
      return written;
    }),
  );
  router.get(
    '/export',
    ...route(contract.exportLeads, async ({ query }, req, res) => {
      const scope = scopeOf(query);
      const today = todayIso();
      const [figures, list] = await Promise.all([
        leadFiguresFor(db, req.user!, scope, query.from, query.to, today),
        listLeads(db, req.user!, scope, 100_000, 0),
      ]);
      let label = '全省';
      if (query.zone?.length)
        label =
          (await db.query<{ name: string }>('SELECT name FROM zones WHERE id = ANY($1::int[]) ORDER BY id', [query.zone])).map((z) => z.name).join('、') ||
          label;
      else if (query.city) label = query.city;
      const book = newWorkbook();
      const rows: [string, string | number | null, string][] = [
        ['统计期', `${query.from} 至 ${query.to}`, ''],
        ['范围', label, ''],
        ['招商活动（场）', figures.eventsHeld, '场'],
        ['在谈项目（个）', figures.inNegotiation.count, '个'],
        ['在谈项目计划投资（万元）', figures.inNegotiation.investmentWan, '万元'],
        ['在谈 ≥10亿元（个）', figures.inNegotiation.atLeast10Yi, '个'],
        ['在谈 ≥1亿元（个）', figures.inNegotiation.atLeast1Yi, '个'],
        ['签约项目（个）', figures.signed.count, '个'],
        ['签约计划投资（万元）', figures.signed.investmentWan, '万元'],
        ['签约投资占全省签约比重（%）', figures.signedShareOfAll === null ? null : Math.round(figures.signedShareOfAll * 10_000) / 100, '%'],
        ['终止线索（个）', figures.dropped.count, '个'],
        ['签约用时中位数（天）', figures.medianDaysToSign, '天'],
        ['跟进逾期（个）', figures.overdueFollowUps.count, '个'],
        ...figures.funnel.map(
          (f) =>
            [
              `漏斗：${LEAD_STAGES.find((s) => s.key === f.key)!.zh}（个 / 万元）`,
              `${f.reached} / ${f.reachedInvestmentWan}${f.conversion === null ? '' : ` / 转化率 ${(f.conversion * 100).toFixed(2)}%`}`,
              '',
            ] as [string, string, string],
        ),
      ];
      addSheet(
        book,
        '指标',
        [
          { header: '指标', value: (r: (typeof rows)[number]) => r[0], width: 34 },
          { header: '数值', value: (r: (typeof rows)[number]) => r[1], width: 30 },
          { header: '单位', value: (r: (typeof rows)[number]) => r[2], width: 8 },
        ],
        rows,
      );
      type Row = (typeof list.leads)[number];
      const text = (k: string) => (r: Row) => (r[k] as string | null) ?? null;
      const columns: ExportColumn<Row>[] = [
        { header: '编号', value: (r) => r.id, width: 8 },
        { header: '投资方', value: text('investor_name'), width: 28 },
        { header: '项目名称', value: text('project_name'), width: 28 },
        { header: '开发区', value: text('zone_name'), width: 20 },
        { header: '城市', value: text('city') },
        { header: '产业', value: text('industry') },
        { header: '产业链', value: text('chain_name') },
        { header: '环节', value: text('chain_link_name') },
        { header: '阶段', value: (r) => (r.dropped_on ? '已终止' : LEAD_STAGES.find((s) => s.key === r.stage)!.zh) },
        { header: '计划投资（万元）', value: (r) => (r.planned_investment_wan as number | null) ?? null },
        { header: '招商方式', value: (r) => DEFAULT_LEAD_SOURCES.find((s) => s.key === r.source)?.zh ?? (r.source as string) },
        ...LEAD_STAGES.map((s) => ({ header: `${s.zh}日期`, value: text(`${s.key}_date`) })),
        { header: '下次跟进', value: text('next_follow_up') },
        { header: '终止日期', value: text('dropped_on') },
        { header: '终止原因', value: (r) => DROP_REASONS.find((d) => d.key === r.drop_reason)?.zh ?? null },
        { header: '招商人员', value: text('promoter_name') },
        { header: '包联领导', value: text('leader') },
        { header: '联系人', value: text('contact_name') },
        { header: '联系电话', value: text('contact_phone') },
        { header: '项目编号', value: (r) => (r.project_id as number | null) ?? null },
      ];
      addSheet(book, '线索清单', columns, list.leads);
      const name = `招商线索_${label}_${today}.xlsx`;
      res.set({
        'Content-Type': XLSX_TYPE,
        'Content-Disposition': `attachment; filename="leads_${today}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
      });
      res.send(Buffer.from(await book.xlsx.writeBuffer()));
    }),
  );
  router.post('/', ...route(contract.createLead, ({ body }, req) => createLead(db, req.user!, body, todayIso())));
  router.get('/:id', ...route(contract.getLead, ({ params }, req) => leadDetail(db, req.user!, params.id)));
  router.patch('/:id', ...route(contract.updateLead, ({ params, body }, req) => updateLead(db, req.user!, params.id, body.version, body.changes, todayIso())));
  router.post('/:id/contacts', ...route(contract.addContact, ({ params, body }, req) => addLeadContact(db, req.user!, params.id, body, todayIso())));
  router.post('/:id/drop', ...route(contract.dropLead, ({ params, body }, req) => dropLead(db, req.user!, params.id, body, todayIso())));
  router.post(
    '/:id/sign',
    ...route(contract.signLead, async ({ params, body }, req) => {
      const signed = await signLead(db, req.user!, params.id, body, todayIso());
      // The new project is a pin on the map.
      onProjectCreated();
      return signed;
    }),
  );
  router.get('/:id/matches', ...route(contract.leadMatches, ({ params, query }, req) => matchLandForLead(db, req.user!, params.id, query.limit ?? 20)));
  return router;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  // A date cell is a date (ExcelJS turns date-formatted serials into Dates at UTC midnight).
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    return '';
  }
  return String(value);
}

/** The first sheet of an uploaded lead list as rows of cells, with full dates. */
async function leadSheetTable(file: Buffer): Promise<{ line: number; cells: string[] }[]> {
  const book = await loadWorkbook('台账.xlsx', file, 400);
  const sheet = book.worksheets[0];
  if (!sheet) throw new HttpError(400, 'bad_request', 'The workbook has no sheet. 工作簿没有工作表。');
  const table: { line: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= Math.max(row.cellCount, 4); c++) cells.push(cellText(row.getCell(c).value));
    table.push({ line: row.number, cells });
  });
  return table;
}
