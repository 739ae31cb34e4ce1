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

export function sendCsv<T>(res: Response, filename: string, columns: ExportColumn<T>[], rows: T[]): void {
  const csv = stringifyCsv(
    rows.map((r) => columns.map((c) => c.value(r) ?? '')),
    { header: true, columns: columns.map((c) => c.header) },
  );
  res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}.csv"` });
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
    'Content-Disposition': `attachment; filename="${filename}.xlsx"`,
  });
  res.send(Buffer.from(await book.xlsx.writeBuffer()));
}
