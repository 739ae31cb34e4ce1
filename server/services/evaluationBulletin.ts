/**
 * The monthly bulletin (通报) of the evaluation: one A4 page (cities or zones ranked with total, class,
 * movement and the indicators behind schedule with their gaps) made with the briefing's PDF machinery and
 * font, and the same as an Excel workbook (ranking sheet plus one row per zone and indicator).
 */
import type ExcelJS from 'exceljs';
import { CLASS_LABELS, type EvaluationClass } from '../../domain/evaluation.ts';
import { formatNumber } from '../../domain/format.ts';
import { addSheet, newWorkbook, type ExportColumn } from '../lib/exports.ts';
import { a4Pdf, tableRow } from './pdfSheet.ts';
import type { EvaluationResults } from './evaluation.ts';

type ZoneResult = EvaluationResults['zones'][number];
type CityResult = EvaluationResults['cities'][number];

export function bulletinTitle(r: EvaluationResults): string {
  return `${r.city ?? '全省'}开发区考核通报（${r.year}年1—${Number(r.month.slice(5, 7))}月）`;
}

const movementText = (m: number | null) => (m === null ? '—' : m > 0 ? `↑${m}` : m < 0 ? `↓${-m}` : '—');

function behindText(r: EvaluationResults, behind: ZoneResult['behind']): string {
  if (!behind.length) return '—';
  return behind
    .map((b) => {
      const ind = r.indicators.find((i) => i.key === b.key)!;
      return `${ind.name_zh}${b.gap === null ? '' : ` 差${formatNumber(b.gap, 2)}${ind.unit}`}`;
    })
    .join('；');
}

export function bulletinPdf(r: EvaluationResults): Promise<Buffer> {
  const title = bulletinTitle(r);
  return a4Pdf(title, (doc) => {
    const row = (cells: string[], widths: number[], bold = false, size = 7.5) => tableRow(doc, cells, widths, { bold, size });
    const heading = (text: string) => doc.moveDown(0.4).font('bold').fontSize(10.5).fillColor('#1a365d').text(text, 32).moveDown(0.15).fillColor('#000');
    doc.font('bold').fontSize(15).text(title, { align: 'center' });
    doc
      .font('body')
      .fontSize(8.5)
      .fillColor('#4a5568')
      .text(
        `方案：${r.scheme_name}（第 ${r.scheme_version ?? 0} 版）· 序时进度按${r.basis === 'months' ? '已报月份' : '天数'}计 · 第一方阵 ≥ ${r.thresholds.first} 分，良好 ≥ ${r.thresholds.good}，一般 ≥ ${r.thresholds.fair}，其下预警 · 园区一张图`,
        { align: 'center' },
      )
      .fillColor('#000');
    const counts = (list: { class: string }[]) =>
      (Object.keys(CLASS_LABELS) as EvaluationClass[]).map((c) => `${CLASS_LABELS[c].zh} ${list.filter((x) => x.class === c).length} 个`).join('　');
    const widths = [0.06, 0.26, 0.1, 0.1, 0.08, 0.4];
    if (!r.city && r.cities.length) {
      heading('一、各市排名（按所辖开发区汇总计算）');
      doc.font('body').fontSize(8).text(counts(r.cities));
      row(['名次', '市', '总分', '等次', '升降', '落后序时进度的指标（差距）'], widths, true);
      for (const c of r.cities as CityResult[])
        row(
          [
            String(c.rank),
            `${c.city}（${c.zone_count}个）`,
            formatNumber(c.total, 2),
            CLASS_LABELS[c.class as EvaluationClass].zh,
            movementText(c.movement),
            behindText(r, c.behind),
          ],
          widths,
        );
    }
    heading(`${r.city ? '一' : '二'}、开发区排名`);
    doc.font('body').fontSize(8).text(counts(r.zones));
    row(['名次', '开发区', '总分', '等次', '升降', '落后序时进度的指标（差距）'], widths, true);
    for (const z of r.zones)
      row(
        [
          String(z.rank),
          r.city ? z.name : `${z.name}（${z.city}）`,
          formatNumber(z.total, 2),
          CLASS_LABELS[z.class as EvaluationClass].zh,
          movementText(z.movement),
          behindText(r, z.behind),
        ],
        widths,
        false,
        r.zones.length > 30 ? 6.5 : 7.5,
      );
  });
}

export function bulletinWorkbook(r: EvaluationResults): ExcelJS.Workbook {
  const book = newWorkbook();
  const rankColumns = <T extends ZoneResult | CityResult>(name: (x: T) => string): ExportColumn<T>[] => [
    { header: '名次', value: (x) => x.rank, width: 6 },
    { header: '名称', value: name, width: 28 },
    { header: '总分', value: (x) => x.total, width: 8 },
    { header: '等次', value: (x) => CLASS_LABELS[x.class as EvaluationClass].zh, width: 10 },
    { header: '较上月名次变化', value: (x) => x.movement, width: 10 },
    { header: '预警', value: (x) => (x.warning ? '是' : ''), width: 6 },
    { header: '落后序时进度的指标（差距）', value: (x) => behindText(r, x.behind), width: 60 },
  ];
  if (!r.city)
    addSheet(
      book,
      '各市排名',
      rankColumns<CityResult>((c) => c.city),
      r.cities,
    );
  addSheet(
    book,
    '开发区排名',
    rankColumns<ZoneResult>((z) => `${z.name}（${z.city}）`),
    r.zones,
  );
  const detail = r.zones.flatMap((z) => z.indicators.map((i) => ({ z, i, ind: r.indicators.find((x) => x.key === i.key)! })));
  addSheet(
    book,
    '指标明细',
    [
      { header: '开发区', value: (d) => d.z.name, width: 24 },
      { header: '指标', value: (d) => d.ind.name_zh, width: 18 },
      { header: '单位', value: (d) => d.ind.unit, width: 8 },
      { header: '完成值', value: (d) => d.i.value },
      { header: '年度目标', value: (d) => d.i.target },
      { header: '序时进度目标', value: (d) => d.i.expected },
      { header: '进度（1=按序时）', value: (d) => d.i.progress },
      { header: '差距', value: (d) => d.i.gap },
      { header: '权重', value: (d) => d.i.weight, width: 6 },
      { header: '得分', value: (d) => d.i.score, width: 8 },
      { header: '未报月份', value: (d) => d.i.missing.join('、'), width: 20 },
    ],
    detail,
  );
  return book;
}
