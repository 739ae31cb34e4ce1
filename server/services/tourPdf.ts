/**
 * The 观摩 sheets as A4 PDFs: the one-page results sheet and the printable itinerary. Made like the monthly
 * briefing (services/briefing.ts): pdfkit in Node with the CJK font from npm, so no system fonts are needed.
 */
import { PROJECT_STAGES } from '../../domain/lifecycle.ts';
import { TOUR_STATUSES } from '../../domain/tour.ts';
import { formatNumber } from '../../domain/format.ts';
import { a4Pdf, lineWidth, tableRow } from './pdfSheet.ts';
import type { Itinerary, TourResults } from './tours.ts';

const STAGE_ZH: Record<string, string> = Object.fromEntries(PROJECT_STAGES.map((s) => [s.key, s.zh]));
const STATUS_ZH: Record<string, string> = Object.fromEntries(TOUR_STATUSES.map((s) => [s.key, s.zh]));
const PROBLEM_KIND_ZH: Record<string, string> = {
  land: '用地',
  energy: '用能',
  water: '用水',
  power: '用电',
  funding: '资金',
  environment: '环境容量',
  procedure: '手续',
  other: '其他',
};
const points = (v: number | null) => (v === null ? '—' : formatNumber(v, 2));
const wan = (v: number | null) => (v === null ? '—' : `${formatNumber(v, 0)} 万元`);

/** A PDF document with the fonts registered, a title block, headings and fixed-width table rows. */
function sheet(title: string, subtitle: string, draw: (kit: ReturnType<typeof helpers>) => void): Promise<Buffer> {
  return a4Pdf(title, (doc) => {
    doc.font('bold').fontSize(16).text(title, { align: 'center' });
    doc.font('body').fontSize(9).fillColor('#4a5568').text(subtitle, { align: 'center' }).fillColor('#000');
    draw(helpers(doc));
  });
}

function helpers(doc: PDFKit.PDFDocument) {
  const width = lineWidth(doc);
  return {
    doc,
    heading(text: string) {
      doc.moveDown(0.4).font('bold').fontSize(11).fillColor('#1a365d').text(text, 32).moveDown(0.15);
      doc.font('body').fontSize(8).fillColor('#000');
    },
    text(text: string, size = 8) {
      doc.font('body').fontSize(size).fillColor('#000').text(text, 32, undefined, { width });
    },
    /** A row of cells at fixed widths (fractions of the line), on a new page if it would not fit. */
    row(cells: string[], widths: number[], bold = false, size = 8) {
      tableRow(doc, cells, widths, { bold, size, gap: 1.5 });
    },
  };
}

/** The one-page results sheet: project ranking with each judge's total, then zones and counties/cities. */
export function resultsPdf(r: TourResults): Promise<Buffer> {
  const scope = r.tour.scope === 'city' ? r.tour.city : r.tour.zone_name;
  return sheet(`${r.tour.name} 评分结果`, `${scope} · ${r.tour.held_on} · ${STATUS_ZH[r.tour.status]} · 园区一张图 Park Atlas`, (k) => {
    k.heading('一、项目得分与排名（满分 100 分）');
    k.text(`评分细则：${r.criteria.map((c) => `${c.name} ${formatNumber(c.weight, 0)}%（满分 ${formatNumber(c.max_score, 0)}）`).join('；')}`);
    k.text(`评委：${r.judges.map((j) => j.name).join('、') || '—'}`);
    const judges = r.judges.slice(0, 9);
    // The columns fill the line: the judges share 30 % of it (at most 6 % each).
    const jw = judges.length ? Math.min(0.06, 0.3 / judges.length) : 0;
    const widths = [0.05, 0.24 + (0.3 - jw * judges.length) / 2, 0.17 + (0.3 - jw * judges.length) / 2, ...judges.map(() => jw), 0.07, 0.06, 0.07];
    const small = 7;
    k.row(['名次', '项目', '开发区', ...judges.map((j) => j.name.slice(0, 4)), '计分评委', '去高低', '得分'], widths, true, small);
    for (const p of r.projects) {
      k.row(
        [
          p.rank === null ? '—' : String(p.rank),
          p.project_name,
          p.zone_name,
          ...judges.map((j) => {
            const t = p.totals.find((x) => x.judge_id === j.id);
            return t ? formatNumber(t.total, 1) : '缺';
          }),
          String(p.judges),
          p.trimmed ? '是' : '否',
          points(p.score),
        ],
        widths,
        false,
        small,
      );
    }
    k.heading('二、开发区排名（所含项目得分的平均）');
    k.row(['名次', '开发区', '项目数', '平均得分'], [0.08, 0.5, 0.2, 0.22], true);
    for (const z of r.zones) k.row([z.rank === null ? '—' : String(z.rank), z.key, String(z.projects), points(z.score)], [0.08, 0.5, 0.2, 0.22]);
    k.heading('三、县（区）与城市排名（所含项目得分的平均）');
    k.row(['名次', '县（区）', '项目数', '平均得分'], [0.08, 0.5, 0.2, 0.22], true);
    for (const c of r.counties) k.row([c.rank === null ? '—' : String(c.rank), c.key, String(c.projects), points(c.score)], [0.08, 0.5, 0.2, 0.22]);
    if (r.cities.length > 1) {
      k.row(['名次', '城市', '项目数', '平均得分'], [0.08, 0.5, 0.2, 0.22], true);
      for (const c of r.cities) k.row([c.rank === null ? '—' : String(c.rank), c.key, String(c.projects), points(c.score)], [0.08, 0.5, 0.2, 0.22]);
    }
    k.doc.moveDown(0.5);
    k.text(`计分规则：${r.rule.zh}`, 7);
  });
}

/** The printable itinerary: each stop in order with its facts, open problems and the distance from the last. */
export function itineraryPdf(it: Itinerary): Promise<Buffer> {
  const scope = it.tour.scope === 'city' ? it.tour.city : it.tour.zone_name;
  return sheet(
    `${it.tour.name} 观摩行程`,
    `${scope} · ${it.tour.held_on} · ${it.stops.length} 个点位 · 全程约 ${formatNumber(it.total_km, 1)} 公里（直线距离） · 园区一张图 Park Atlas`,
    (k) => {
      const widths = [0.05, 0.08, 0.27, 0.2, 0.13, 0.13, 0.07, 0.07];
      k.row(['序', '时间', '项目 / 企业', '开发区', '总投资', '已完成投资', '阶段', '距上站'], widths, true);
      for (const s of it.stops) {
        k.row(
          [
            String(s.stop_order),
            s.planned_time ?? '—',
            `${s.project_name}${s.enterprise_name ? `\n${s.enterprise_name}` : ''}${s.report_by ? `\n汇报：${s.report_by}` : ''}`,
            s.zone_name,
            wan(s.total_investment_wan),
            `${wan(s.completed_investment_wan)}${s.progress_pct === null ? '' : `\n（${formatNumber(s.progress_pct, 1)}%）`}`,
            STAGE_ZH[s.stage] ?? s.stage,
            s.stop_order === 1 ? '起点' : `${formatNumber(s.km_from_previous, 1)} 公里`,
          ],
          widths,
        );
        if (s.open_problems.length) {
          k.row(
            [
              '',
              '',
              `待解决问题：${s.open_problems.map((p) => `【${PROBLEM_KIND_ZH[p.kind] ?? p.kind}】${p.title}${p.due_on ? `（限 ${p.due_on}）` : ''}`).join('；')}`,
            ],
            [0.05, 0.08, 0.87],
            false,
            7,
          );
        }
      }
      k.doc.moveDown(0.5);
      k.text('距离为相邻点位间的大圆（直线）距离，实际车程以道路为准。进度 = 已完成投资 ÷ 总投资。', 7);
    },
  );
}
