/**
 * The one way the app opens an uploaded Excel workbook: an .xlsx is a zip, so it is checked as one first
 * (entries, declared and real inflated sizes, compression ratio: see import/zip.ts) before ExcelJS inflates
 * it again. A 1 MB workbook that would inflate to 1 GiB is refused in milliseconds, on every upload route.
 */
import ExcelJS from 'exceljs';
import { msg } from '../../domain/parcelFields.ts';
import { importError } from '../import/errors.ts';
import { readZip } from '../import/zip.ts';
import { uploadLimits } from '../import/limits.ts';
import { HttpError } from './http.ts';

/** `status`: what an unreadable file answers (the land import says 422, the table uploads 400). */
export async function loadWorkbook(fileName: string, data: Buffer, status = 422): Promise<ExcelJS.Workbook> {
  try {
    // Every part is inflated once here, counted and dropped: ExcelJS (JSZip) trusts the declared sizes, yauzl does not.
    await readZip(fileName, data, () => false, {
      maxTotalBytes: uploadLimits().maxSpreadsheetInflatedBytes,
      setting: 'SPREADSHEET_MAX_INFLATED_MB',
      verifyAll: true,
    });
  } catch (err) {
    if (err instanceof HttpError && err.status === 422) throw new HttpError(status, err.code, err.message, err.details);
    throw err;
  }
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(data as unknown as ArrayBuffer);
  } catch (err) {
    throw importError(
      fileName,
      null,
      msg(`The workbook cannot be read (${(err as Error).message}); save it as .xlsx.`, `无法读取工作簿（${(err as Error).message}），请另存为 .xlsx。`),
      status,
    );
  }
  return book;
}
