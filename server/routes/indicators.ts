/**
 * Zone monthly indicators: one zone's series for the year (month, cumulative, year-on-year, target), all
 * zones ranked with 预警 and the gap, and the writes: a month's figures from the form, or a CSV / Excel
 * upload that goes in whole or not at all, every bad row reported with its line and reason.
 */
import express, { Router } from 'express';
import type ExcelJS from 'exceljs';
import { loadWorkbook } from '../lib/spreadsheet.ts';
import { parse } from 'csv-parse/sync';
import { can, type Actor } from '../../domain/permissions.ts';
import { checkMonthRows, checkYearlyTargets, isMonth, type CheckedMonthRow, type MonthRowInput, type YearlyTargetsInput } from '../../domain/zoneIndicators.ts';
import { recordAudit } from '../audit.ts';
import type { Db } from '../db/types.ts';
import { HttpError, badRequest } from '../lib/http.ts';
import { route } from '../lib/route.ts';
import * as contract from '../contract/indicators.ts';
import { indicatorRanking, parseScope, zoneIndicatorSeries } from '../services/supervision.ts';
import { currentYear } from '../../domain/dates.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The content types a spreadsheet upload may come as (also the 三个一批 list import). */
export const UPLOAD_TYPES = ['text/csv', 'application/csv', 'text/plain', XLSX_TYPE, 'application/octet-stream'];
export const UPLOAD_HEADERS = ['开发区', '月份', '规上工业增加值（万元）', '工业投资（万元）'];

/** The contract checks the form YYYY-MM; the domain's range (1990–2100) is checked here. */
function parseMonth(text: string | undefined): string {
  if (!text || !isMonth(text)) throw badRequest(`month is required as YYYY-MM (e.g. 2026-09), got "${String(text ?? '').slice(0, 40)}".`);
  return text;
}

/** Which column holds what, from the header row (Chinese or English names). */
function columnsOf(header: string[]): { zone: number; month: number; valueAdded: number; investment: number } {
  const find = (test: RegExp) => header.findIndex((h) => test.test(h.trim()));
  const cols = { zone: find(/开发区|园区|^zone/i), month: find(/月份|^month/i), valueAdded: find(/增加值|value.?added/i), investment: find(/投资|invest/i) };
  const missing = Object.entries(cols)
    .filter(([, i]) => i < 0)
    .map(([k]) => k);
  if (missing.length) {
    throw badRequest(
      `第 1 行（表头）缺少列：${missing.join(', ')}。表头应为：${UPLOAD_HEADERS.join('、')}。 Line 1 (header) lacks columns ${missing.join(', ')}; expected ${UPLOAD_HEADERS.join(', ')}.`,
      {
        rows: [{ line: 1, message: `missing columns ${missing.join(', ')}`, message_zh: `表头缺少列 ${missing.join('、')}` }],
      },
    );
  }
  return cols;
}

function rowsFromTable(table: { line: number; cells: string[] }[]): MonthRowInput[] {
  if (table.length === 0) throw badRequest('The file is empty: it needs a header row and at least one row of figures. 文件为空。');
  const cols = columnsOf(table[0].cells);
  const rows = table.slice(1).filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (rows.length === 0) throw badRequest('The file has a header but no figures. 文件只有表头，没有数据。');
  if (rows.length > 5000) throw badRequest('At most 5,000 rows per upload. 每次最多导入 5000 行。');
  return rows.map((r) => ({
    line: r.line,
    zone: r.cells[cols.zone] ?? '',
    month: r.cells[cols.month] ?? '',
    valueAdded: r.cells[cols.valueAdded] ?? '',
    investment: r.cells[cols.investment] ?? '',
  }));
}

/** A CSV upload as rows of cells with their line numbers (also read by the 三个一批 list import). */
export function csvTable(body: Buffer): { line: number; cells: string[] }[] {
  try {
    const records = parse(body, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    return records.map((r) => ({ line: r.info.lines, cells: r.record }));
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    throw badRequest(
      `CSV 无法读取${e.lines ? `（第 ${e.lines} 行）` : ''}：${e.message ?? ''} The CSV file cannot be read.`,
      e.lines ? { rows: [{ line: e.lines, message: e.message, message_zh: 'CSV 格式错误' }] } : undefined,
    );
  }
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 7);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    return '';
  }
  return String(value);
}

/** The first sheet of an Excel upload as rows of cells with their row numbers (also read by the 三个一批 list import). */
export async function xlsxTable(body: Buffer, fileName = '上传文件.xlsx'): Promise<{ line: number; cells: string[] }[]> {
  // The same zip checks as the land import (no workbook that inflates to a gigabyte).
  const book = await loadWorkbook(fileName, body, 400);
  const sheet = book.worksheets[0];
  if (!sheet) throw badRequest('The workbook has no sheet. 工作簿没有工作表。');
  const table: { line: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= Math.max(row.cellCount, 4); c++) cells.push(cellText(row.getCell(c).value));
    table.push({ line: row.number, cells });
  });
  return table;
}

interface Snapshot {
  zone_id: number;
  [k: string]: unknown;
}

/** Writes checked rows in one transaction, each with an audit entry. Empty figures keep what was there. */
async function writeRows(db: Db, actor: Actor, rows: CheckedMonthRow[], action: 'update' | 'import'): Promise<number> {
  return db.transaction(async (tx) => {
    for (const r of rows) {
      const month = `${r.month}-01`;
      const [before] = await tx.query<Snapshot>(
        `SELECT zone_id, to_char(month, 'YYYY-MM') AS month, industrial_value_added_wan, industrial_investment_wan
         FROM zone_monthly_indicators WHERE zone_id = $1 AND month = $2::date FOR UPDATE`,
        [r.zoneId, month],
      );
      const [after] = await tx.query<Snapshot>(
        `INSERT INTO zone_monthly_indicators (zone_id, month, industrial_value_added_wan, industrial_investment_wan, updated_by, updated_at)
         VALUES ($1, $2::date, $3, $4, $5, now())
         ON CONFLICT (zone_id, month) DO UPDATE SET
           industrial_value_added_wan = coalesce(EXCLUDED.industrial_value_added_wan, zone_monthly_indicators.industrial_value_added_wan),
           industrial_investment_wan = coalesce(EXCLUDED.industrial_investment_wan, zone_monthly_indicators.industrial_investment_wan),
           updated_by = EXCLUDED.updated_by, updated_at = now()
         RETURNING zone_id, to_char(month, 'YYYY-MM') AS month, industrial_value_added_wan, industrial_investment_wan`,
        [r.zoneId, month, r.valueAddedWan, r.investmentWan, actor.id > 0 ? actor.id : null],
      );
      await recordAudit(tx, actor, { action, entity: 'zone_indicator', entityId: r.zoneId, before: before ?? null, after, note: r.month });
    }
    return rows.length;
  });
}

interface TargetRow {
  zone_id: number;
  name: string;
  city: string;
  value_added_growth_target_pct: number | null;
  investment_growth_target_pct: number | null;
  updated_at: string | null;
}

/** Every zone of the scope with its targets for the year (null where none is set). */
async function yearlyTargets(db: Db, year: number, zoneIds: number[] | null): Promise<TargetRow[]> {
  return db.query<TargetRow>(
    `SELECT z.id AS zone_id, z.name, z.city, t.value_added_growth_target_pct, t.investment_growth_target_pct, t.updated_at
     FROM zones z LEFT JOIN zone_yearly_targets t ON t.zone_id = z.id AND t.year = $1
     WHERE ($2::int[] IS NULL OR z.id = ANY($2::int[])) ORDER BY z.id`,
    [year, zoneIds],
  );
}

/** Sets (or, both null, removes) a zone's targets for a year in one transaction with its audit entry. */
async function writeTargets(db: Db, actor: Actor, zoneId: number, t: YearlyTargetsInput): Promise<void> {
  await db.transaction(async (tx) => {
    const columns = 'zone_id, year, value_added_growth_target_pct, investment_growth_target_pct';
    const [before] = await tx.query<Snapshot>(`SELECT ${columns} FROM zone_yearly_targets WHERE zone_id = $1 AND year = $2 FOR UPDATE`, [zoneId, t.year]);
    let after: Snapshot | null = null;
    if (t.value_added_growth_target_pct === null && t.investment_growth_target_pct === null) {
      await tx.query('DELETE FROM zone_yearly_targets WHERE zone_id = $1 AND year = $2', [zoneId, t.year]);
    } else {
      [after] = await tx.query<Snapshot>(
        `INSERT INTO zone_yearly_targets (${columns}, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (zone_id, year) DO UPDATE SET value_added_growth_target_pct = EXCLUDED.value_added_growth_target_pct,
           investment_growth_target_pct = EXCLUDED.investment_growth_target_pct, updated_by = EXCLUDED.updated_by, updated_at = now()
         RETURNING ${columns}`,
        [zoneId, t.year, t.value_added_growth_target_pct, t.investment_growth_target_pct, actor.id > 0 ? actor.id : null],
      );
    }
    await recordAudit(tx, actor, {
      action: after ? 'update' : 'delete',
      entity: 'zone_target',
      entityId: zoneId,
      before: before ?? null,
      after,
      note: String(t.year),
    });
  });
}

export function indicatorsRouter(db: Db): Router {
  const router = Router();

  router.get(
    '/monthly',
    ...route(contract.monthly, async ({ query }) => {
      const data = await zoneIndicatorSeries(db, query.zone, parseMonth(query.month));
      if (!data.zone) throw badRequest(`没有编号为 ${query.zone} 的开发区。 Unknown zone ${query.zone}.`);
      return data;
    }),
  );

  router.get(
    '/ranking',
    ...route(contract.ranking, async ({ query }) => {
      const scope = await parseScope(db, query.zone, query.city, query.county);
      return indicatorRanking(db, scope, parseMonth(query.month), query.indicator ?? 'value_added');
    }),
  );

  // A month's figures of one zone from the form.
  router.put(
    '/monthly',
    ...route(contract.saveMonth, async ({ body: b }, req) => {
      const zoneId = b.zone_id;
      if (zoneId === undefined) throw badRequest('"zone_id" (a zone id) is required. 须选择开发区。');
      const figure = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
      const [zone] = await db.query<{ id: number; name: string }>('SELECT id, name FROM zones WHERE id = $1', [zoneId]);
      if (!zone) throw badRequest(`没有编号为 ${zoneId} 的开发区。 Unknown zone ${zoneId}.`);
      const checked = checkMonthRows(
        [
          {
            line: 1,
            zone: String(zoneId),
            month: b.month ?? '',
            valueAdded: figure(b.industrial_value_added_wan),
            investment: figure(b.industrial_investment_wan),
          },
        ],
        () => zoneId,
      );
      if (!checked.ok) throw badRequest(`${checked.errors[0].message_zh}。 ${checked.errors[0].message}.`, { fields: checked.errors });
      if (!can(req.user!, 'indicator.edit', zoneId))
        throw new HttpError(403, 'forbidden', 'You may enter figures only for the zones you are assigned to. 只能填报本人负责的开发区。');
      await writeRows(db, req.user!, checked.rows, 'update');
      return zoneIndicatorSeries(db, zoneId, checked.rows[0].month);
    }),
  );

  // The yearly growth targets (%) the 预警 compares against, per zone; none set = null.
  router.get(
    '/targets',
    ...route(contract.targets, async ({ query }) => {
      const year = query.year ?? currentYear();
      const scope = await parseScope(db, query.zone, query.city, query.county);
      return { year, zones: await yearlyTargets(db, year, scope.zoneIds) };
    }),
  );

  // One zone's targets for a year; both null removes them (no target, no 预警).
  router.put(
    '/targets',
    ...route(contract.saveTargets, async ({ body: b }, req) => {
      const zoneId = b.zone_id;
      if (zoneId === undefined) throw badRequest('"zone_id" (a zone id) is required. 须选择开发区。');
      const problems = checkYearlyTargets(b);
      if (problems.length) throw badRequest(problems.map((p) => `${p.zh} ${p.en}`).join(' '), { fields: problems });
      const [zone] = await db.query<{ id: number }>('SELECT id FROM zones WHERE id = $1', [zoneId]);
      if (!zone) throw badRequest(`没有编号为 ${zoneId} 的开发区。 Unknown zone ${zoneId}.`);
      if (!can(req.user!, 'indicator.edit', zoneId))
        throw new HttpError(403, 'forbidden', 'You may set targets only for the zones you are assigned to. 只能设定本人负责的开发区的目标。');
      const targets: YearlyTargetsInput = {
        year: b.year!,
        value_added_growth_target_pct: b.value_added_growth_target_pct ?? null,
        investment_growth_target_pct: b.investment_growth_target_pct ?? null,
      };
      await writeTargets(db, req.user!, zoneId, targets);
      const [row] = await yearlyTargets(db, targets.year, [zoneId]);
      return { year: targets.year, ...row };
    }),
  );

  // CSV (text/csv) or Excel (.xlsx) as the request body; all rows or none. The body is read before the
  // contract's permission check runs (express.raw must come first for the contract to see the file).
  router.post(
    '/upload',
    express.raw({ type: UPLOAD_TYPES, limit: '5mb' }),
    ...route(contract.upload, async ({ body }, req) => {
      const file = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      const type = (req.get('Content-Type') ?? '').split(';')[0].trim();
      const isXlsx = type === XLSX_TYPE || (type === 'application/octet-stream' && file.subarray(0, 2).toString() === 'PK');
      const rows = rowsFromTable(isXlsx ? await xlsxTable(file) : csvTable(file));
      const zones = await db.query<{ id: number; code: string; name: string }>('SELECT id, code, name FROM zones');
      const zoneIdOf = (t: string) => zones.find((z) => z.name === t || z.code === t || String(z.id) === t)?.id ?? null;
      const checked = checkMonthRows(rows, zoneIdOf);
      const errors = checked.ok ? [] : checked.errors;
      if (checked.ok) {
        for (const r of checked.rows) {
          if (!can(req.user!, 'indicator.edit', r.zoneId)) {
            errors.push({ line: r.line, message: 'you may enter figures only for the zones you are assigned to', message_zh: '只能填报本人负责的开发区' });
          }
        }
      }
      if (errors.length) {
        errors.sort((a, b) => a.line - b.line);
        throw new HttpError(
          422,
          'bad_rows',
          `${errors.length} 行有误，未导入任何数据：${errors.map((e) => `第 ${e.line} 行：${e.message_zh}`).join('；')}。 ${errors.length} bad row(s), nothing imported: ${errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}.`,
          { rows: errors },
        );
      }
      const okRows = (checked as { rows: CheckedMonthRow[] }).rows;
      const written = await writeRows(db, req.user!, okRows, 'import');
      return { imported: written, zones: [...new Set(okRows.map((r) => r.zoneId))], months: [...new Set(okRows.map((r) => r.month))].sort() };
    }),
  );

  return router;
}
