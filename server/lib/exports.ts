/**
 * Lists as files: CSV (UTF-8 with a BOM, so that Excel opens Chinese text right) and Excel workbooks with a
 * bold, frozen header row. Columns are described once and used for both.
 */
import type { Response } from 'express';
import ExcelJS from 'exceljs';
import { stringifyCsv } from './csvCells.ts';

export interface ExportColumn<T> {
  header: string;
  value: (row: T) => string | number | null;
  width?: number;
}

/**
 * A Content-Disposition for a download whose name may be Chinese: an ASCII fallback (other characters as _)
 * for old clients and the real name in RFC 5987 form (filename*=UTF-8''…), which browsers prefer.
 */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export function sendCsv<T>(res: Response, filename: string, columns: ExportColumn<T>[], rows: T[]): void {
  const csv = stringifyCsv(
    rows.map((r) => columns.map((c) => c.value(r) ?? '')),
    { header: true, columns: columns.map((c) => c.header) },
  );
  res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachment(`${filename}.csv`) });
  res.send(`\uFEFF${csv}`);
}

export function newWorkbook(): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  book.creator = 'Park Atlas 园区一张图';
  return book;
}

/** A sheet of rows under a bold, frozen header. */
export function addSheet<T>(book: ExcelJS.Workbook, name: string, columns: ExportColumn<T>[], rows: T[], defaultWidth = 14): ExcelJS.Worksheet {
  const sheet = book.addWorksheet(name);
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? defaultWidth }));
  for (const r of rows) sheet.addRow(columns.map((c) => c.value(r)));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return sheet;
}

export async function sendWorkbook(res: Response, filename: string, book: ExcelJS.Workbook): Promise<void> {
  res.set({
    'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'Content-Disposition': attachment(`${filename}.xlsx`),
  });
  res.send(Buffer.from(await book.xlsx.writeBuffer()));
}
