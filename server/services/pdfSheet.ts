/**
 * The app's printed sheets (monthly briefing, 考核 bulletin, 观摩 results and itinerary) are A4 PDFs made the same
 * way: pdfkit in Node with the CJK font from npm (no system fonts needed), and tables drawn as rows of cells.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);
/** The font files sit beside the package's entry (dist/), in fonts/; the package exports no file paths. */
export function fontPath(weight: 'Regular' | 'Bold'): string {
  return path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts', `NotoSansHans-${weight}.otf`);
}

/** An A4 document with the fonts 'body' and 'bold' registered; draw fills it, the answer is its bytes. */
export function a4Pdf(title: string, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 32, info: { Title: title, Author: 'Park Atlas 园区一张图' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('body', fontPath('Regular'));
    doc.registerFont('bold', fontPath('Bold'));
    draw(doc);
    doc.end();
  });
}

/** The width of the printed line between the 32 pt margins. */
export const lineWidth = (doc: PDFKit.PDFDocument) => doc.page.width - 64;

/** A row of cells at fixed widths (fractions of the line), on a new page if it would not fit; gap: space after it. */
export function tableRow(doc: PDFKit.PDFDocument, cells: string[], widths: number[], options: { bold?: boolean; size?: number; gap?: number } = {}): void {
  const { bold = false, size = 8, gap = 1 } = options;
  const width = lineWidth(doc);
  doc.font(bold ? 'bold' : 'body').fontSize(size);
  const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i] * width - 4 })));
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
  const y = doc.y;
  let x = 32;
  let bottom = y;
  cells.forEach((c, i) => {
    const w = widths[i] * width;
    doc.text(c, x, y, { width: w - 4 });
    bottom = Math.max(bottom, doc.y);
    x += w;
  });
  doc.x = 32;
  doc.y = bottom + gap;
}
