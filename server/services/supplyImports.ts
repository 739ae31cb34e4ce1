/**
 * Excel / CSV imports of transfer records, leases and supply targets: every row checked, then all written in one
 * transaction or none. A row the database refuses (a parcel already transferred, leases beyond a floor area) is
 * reported with its line, and the transaction is rolled back.
 */
import type ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { Actor } from '../../domain/permissions.ts';
import type { Db } from '../db/types.ts';
import { HttpError, badRequest } from '../lib/http.ts';
import { loadWorkbook } from '../lib/spreadsheet.ts';
import { insertLease } from './factories.ts';
import { insertTransfer, upsertTarget } from './transfers.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Table = { line: number; cells: string[] }[];
interface RowError {
  line: number;
  message: string;
  message_zh: string;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  // Dates keep their day (the monthly import's reader keeps only the month).
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    return '';
  }
  return String(value);
}

export async function readTable(body: Uint8Array, contentType: string): Promise<Table> {
  const file = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const isXlsx = contentType === XLSX_TYPE || (contentType === 'application/octet-stream' && file.subarray(0, 2).toString() === 'PK');
  let table: Table = [];
  if (isXlsx) {
    const book = await loadWorkbook('上传文件.xlsx', file, 400);
    const sheet = book.worksheets[0];
    if (!sheet) throw badRequest('The workbook has no sheet. 工作簿没有工作表。');
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const cells: string[] = [];
      for (let c = 1; c <= Math.max(row.cellCount, 8); c++) cells.push(cellText(row.getCell(c).value).trim());
      table.push({ line: row.number, cells });
    });
  } else {
    try {
      const records = parse(file, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as {
        record: string[];
        info: { lines: number };
      }[];
      table = records.map((r) => ({ line: r.info.lines, cells: r.record.map((c) => c.trim()) }));
    } catch (err) {
      throw badRequest(`CSV 无法读取：${(err as Error).message} The CSV file cannot be read.`);
    }
  }
  if (table.length < 2) throw badRequest('The file needs a header row and at least one row. 文件需要表头和至少一行数据。');
  if (table.length > 5001) throw badRequest('At most 5,000 rows per upload. 每次最多导入 5000 行。');
  return table.filter((r, i) => i === 0 || r.cells.some((c) => c !== ''));
}

/** Column positions by header (Chinese or English); missing required columns → 400 naming them. */
function columns<K extends string>(header: string[], spec: Record<K, { re: RegExp; required: boolean }>): Record<K, number> {
  const out = {} as Record<K, number>;
  const missing: string[] = [];
  for (const [k, s] of Object.entries(spec) as [K, { re: RegExp; required: boolean }][]) {
    out[k] = header.findIndex((h) => s.re.test(h));
    if (out[k] < 0 && s.required) missing.push(k);
  }
  if (missing.length)
    throw badRequest(`第 1 行（表头）缺少列：${missing.join(', ')}。 Line 1 (header) lacks columns ${missing.join(', ')}.`, {
      rows: [{ line: 1, message: `missing columns ${missing.join(', ')}`, message_zh: `表头缺少列 ${missing.join('、')}` }],
    });
  return out;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
function isDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && s >= '1990-01-01' && s <= '2100-12-31';
}
function num(s: string): number | null {
  if (s === '') return null;
  const n = Number(s.replace(/,/g, ''));
  return Number.isFinite(n) ? n : NaN;
}

function badRows(errors: RowError[]): HttpError {
  errors.sort((a, b) => a.line - b.line);
  return new HttpError(
    422,
    'bad_rows',
    `${errors.length} 行有误，未导入任何数据：${errors.map((e) => `第 ${e.line} 行：${e.message_zh}`).join('；')}。 ${errors.length} bad row(s), nothing imported: ${errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}.`,
    { rows: errors },
  );
}

/**
 * Runs every row's write in one transaction; a row whose write throws a 4xx becomes a row error, and at the end any
 * row error rolls the whole transaction back. A dry run always rolls back and answers the rows read (the preview).
 */
async function writeAll<T>(
  db: Db,
  table: Table,
  rows: { line: number; value: T }[],
  dryRun: boolean,
  write: (tx: Parameters<Parameters<Db['transaction']>[0]>[0], v: T) => Promise<unknown>,
) {
  const errors: RowError[] = [];
  const rollback = new Error('rollback');
  try {
    await db.transaction(async (tx) => {
      for (const r of rows) {
        try {
          // A savepoint per row: a refused row leaves the transaction usable for checking the rest.
          await tx.query('SAVEPOINT import_row');
          await write(tx, r.value);
          await tx.query('RELEASE SAVEPOINT import_row');
        } catch (err) {
          if (!(err instanceof HttpError) || err.status >= 500) throw err;
          await tx.query('ROLLBACK TO SAVEPOINT import_row');
          const zh = (err.details as { message_zh?: string } | undefined)?.message_zh ?? err.message;
          errors.push({ line: r.line, message: err.message, message_zh: zh });
        }
      }
      if (errors.length || dryRun) throw rollback;
    });
  } catch (err) {
    if (err !== rollback) throw err;
    if (errors.length) throw badRows(errors);
  }
  let width = table[0].cells.length;
  while (width > 0 && table[0].cells[width - 1] === '') width--;
  return {
    imported: rows.length,
    dry_run: dryRun,
    header: table[0].cells.slice(0, width),
    rows: dryRun ? table.slice(1).map((r) => ({ line: r.line, cells: r.cells.slice(0, width) })) : [],
  };
}

export async function importTransfers(db: Db, actor: Actor, table: Table, today: string, dryRun = false) {
  const c = columns(table[0].cells, {
    parcel: { re: /地块|parcel/i, required: true },
    zone: { re: /开发区|园区|zone/i, required: false },
    date: { re: /出让日期|日期|date/i, required: true },
    contract: { re: /合同|contract/i, required: true },
    enterprise: { re: /企业|受让|enterprise/i, required: true },
    price: { re: /价|price/i, required: false },
    area: { re: /面积|area/i, required: false },
  });
  const parcels = await db.query<{ id: number; code: string; zone_name: string; zone_code: string }>(
    'SELECT p.id, p.code, z.name AS zone_name, z.code AS zone_code FROM parcels p JOIN zones z ON z.id = p.zone_id',
  );
  const errors: RowError[] = [];
  const rows: { line: number; value: Parameters<typeof insertTransfer>[2] }[] = [];
  const seen = new Set<number>();
  for (const r of table.slice(1)) {
    const cell = (i: number) => (i >= 0 ? (r.cells[i] ?? '') : '');
    const err = (en: string, zh: string) => errors.push({ line: r.line, message: en, message_zh: zh });
    const code = cell(c.parcel);
    const zone = cell(c.zone);
    const matches = parcels.filter((p) => p.code === code && (!zone || p.zone_name === zone || p.zone_code === zone));
    if (matches.length === 0) err(`unknown parcel "${code.slice(0, 40)}"`, `未知地块“${code.slice(0, 40)}”`);
    if (matches.length > 1) err(`parcel code "${code}" is in several zones: give the zone`, `地块编号“${code}”在多个开发区重复，请填写开发区`);
    const date = cell(c.date);
    if (!isDate(date)) err('the date is YYYY-MM-DD', '日期格式应为 YYYY-MM-DD');
    if (!cell(c.contract) || cell(c.contract).length > 60) err('a contract number of 1–60 characters is required', '合同编号必填（1–60 字）');
    if (!cell(c.enterprise) || cell(c.enterprise).length > 120) err('the enterprise name (1–120 characters) is required', '受让企业必填（1–120 字）');
    const price = num(cell(c.price));
    const area = num(cell(c.area));
    if (price !== null && (Number.isNaN(price) || price < 0 || price > 1e8)) err('the price is a number of 万元 ≥ 0', '成交价应为不小于 0 的万元数');
    if (area !== null && (Number.isNaN(area) || area <= 0 || area > 1e5)) err('the area is a number of 亩 above 0', '面积应为大于 0 的亩数');
    if (matches.length !== 1) continue;
    if (seen.has(matches[0].id)) err('the parcel appears twice in the file', '同一地块在文件中出现两次');
    seen.add(matches[0].id);
    rows.push({
      line: r.line,
      value: {
        parcel_id: matches[0].id,
        transferred_on: date,
        contract_no: cell(c.contract),
        enterprise_name: cell(c.enterprise),
        price_wan: price,
        ...(area !== null ? { area_mu: area } : {}),
      },
    });
  }
  if (errors.length) throw badRows(errors);
  return writeAll(db, table, rows, dryRun, (tx, v) => insertTransfer(tx, actor, v, today, 'import'));
}

export async function importLeases(db: Db, actor: Actor, table: Table, today: string, dryRun = false) {
  const c = columns(table[0].cells, {
    building: { re: /厂房|building/i, required: true },
    tenant: { re: /承租|租户|tenant/i, required: true },
    area: { re: /面积|area/i, required: true },
    start: { re: /起租|开始|start/i, required: true },
    end: { re: /到期|结束|end/i, required: false },
  });
  const buildings = await db.query<{ id: number; name: string }>('SELECT id, name FROM factory_buildings');
  const errors: RowError[] = [];
  const rows: { line: number; value: { buildingId: number; lease: Parameters<typeof insertLease>[3] } }[] = [];
  for (const r of table.slice(1)) {
    const cell = (i: number) => (i >= 0 ? (r.cells[i] ?? '') : '');
    const err = (en: string, zh: string) => errors.push({ line: r.line, message: en, message_zh: zh });
    const b = buildings.filter((x) => x.name === cell(c.building) || String(x.id) === cell(c.building));
    if (b.length !== 1) err(`unknown building "${cell(c.building).slice(0, 40)}"`, `未知厂房“${cell(c.building).slice(0, 40)}”`);
    const tenant = cell(c.tenant);
    if (!tenant || tenant.length > 120) err('the tenant (1–120 characters) is required', '承租方必填（1–120 字）');
    const area = num(cell(c.area));
    if (area === null || Number.isNaN(area) || area <= 0 || area > 1e7) err('the leased area is a number of m² above 0', '出租面积应为大于 0 的平方米数');
    const start = cell(c.start);
    const end = cell(c.end);
    if (!isDate(start)) err('the start date is YYYY-MM-DD', '起租日期格式应为 YYYY-MM-DD');
    if (end && !isDate(end)) err('the end date is YYYY-MM-DD', '到期日期格式应为 YYYY-MM-DD');
    if (b.length === 1)
      rows.push({
        line: r.line,
        value: { buildingId: b[0].id, lease: { tenant_name: tenant, leased_area_m2: area ?? 0, start_date: start, end_date: end || null } },
      });
  }
  if (errors.length) throw badRows(errors);
  return writeAll(db, table, rows, dryRun, (tx, v) => insertLease(tx, actor, v.buildingId, v.lease, today, 'import'));
}

export async function importTargets(db: Db, actor: Actor, table: Table, dryRun = false) {
  const c = columns(table[0].cells, {
    year: { re: /年份|年度|year/i, required: true },
    zone: { re: /开发区|园区|zone/i, required: false },
    city: { re: /城市|市|city/i, required: false },
    reserve: { re: /储备|reserve/i, required: false },
    supply: { re: /供应|出让|supply/i, required: false },
    factory: { re: /新建|new/i, required: false },
    useRate: { re: /使用率|use/i, required: false },
  });
  const zones = await db.query<{ id: number; name: string; code: string }>('SELECT id, name, code FROM zones');
  const errors: RowError[] = [];
  const rows: { line: number; value: Parameters<typeof upsertTarget>[2] }[] = [];
  for (const r of table.slice(1)) {
    const cell = (i: number) => (i >= 0 ? (r.cells[i] ?? '') : '');
    const err = (en: string, zh: string) => errors.push({ line: r.line, message: en, message_zh: zh });
    const year = Number(cell(c.year));
    if (!Number.isInteger(year) || year < 1990 || year > 2100) err('the year is 1990–2100', '年份应在 1990–2100 之间');
    const zoneText = cell(c.zone);
    const city = cell(c.city);
    const zone = zoneText ? zones.find((z) => z.name === zoneText || z.code === zoneText) : undefined;
    if (zoneText && !zone) err(`unknown zone "${zoneText.slice(0, 40)}"`, `未知开发区“${zoneText.slice(0, 40)}”`);
    if (!zoneText && !city) err('give a zone or a city', '请填写开发区或城市');
    const figures = [cell(c.reserve), cell(c.supply), cell(c.factory), cell(c.useRate)].map(num);
    if (figures.some((f) => f !== null && (Number.isNaN(f) || f < 0))) err('targets are numbers ≥ 0', '目标应为不小于 0 的数字');
    if (figures[3] !== null && figures[3] > 100) err('the use rate target is at most 100 %', '使用率目标不能超过 100%');
    rows.push({
      line: r.line,
      value: {
        year,
        zone_id: zone?.id ?? null,
        city: zone ? null : city || null,
        reserve_target_mu: figures[0],
        supply_target_mu: figures[1],
        new_factory_target_m2: figures[2],
        factory_use_target_pct: figures[3],
      },
    });
  }
  if (errors.length) throw badRows(errors);
  return writeAll(db, table, rows, dryRun, (tx, v) => upsertTarget(tx, actor, v, 'import'));
}
