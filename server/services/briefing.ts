/**
 * The monthly briefing of a zone or a city (what the 观摩 / 看述评 meeting looks at): 三个一批 rates by
 * investment for the rounds held by the month's end, the traffic lights, the indicators behind target and
 * the 三未 projects. As data for the printable page, and as a PDF made in Node with pdfkit and a CJK font
 * from npm (Noto Sans Hans, OFL), so that it works on any machine with no system fonts.
 */
import { a4Pdf, tableRow } from './pdfSheet.ts';
import { PROJECT_STAGES } from '../../domain/lifecycle.ts';
import { LIGHTS, SANWEI_KINDS } from '../../domain/projectSupervision.ts';
import { INDICATORS } from '../../domain/zoneIndicators.ts';
import { formatNumber, formatPercent, formatWan } from '../../domain/format.ts';
import type { Db } from '../db/types.ts';
import { indicatorRanking, lightsReport, ratesReport, roundsHeldBy, sanweiReport, type Scope } from './supervision.ts';
import { lastDayOfMonth, todayIso } from '../../domain/dates.ts';
import { LEAD_STAGES } from '../../domain/leads.ts';
import { can, type Actor } from '../../domain/permissions.ts';
import { leadFiguresFor } from './leads.ts';

/** The last day of a month YYYY-MM. */
export function monthEnd(month: string): string {
  return lastDayOfMonth(month);
}

/** Rows of each project list on the one-page briefing. */
export const BRIEFING_LIST_ROWS = 8;

/** The 招商 figures of a period in the briefing's shape (the same numbers as /api/leads/figures). */
async function briefingLeadFigures(db: Db, actor: Actor, scope: Scope, from: string, to: string) {
  const f = await leadFiguresFor(db, actor, { zoneIds: scope.zoneIds ?? undefined, city: scope.city ?? undefined }, from, to, todayIso());
  return {
    from,
    to,
    eventsHeld: f.eventsHeld,
    stages: f.funnel.map((s) => ({ key: s.key, reached: s.reached, reachedInvestmentWan: s.reachedInvestmentWan })),
    inNegotiation: { count: f.inNegotiation.count, investmentWan: f.inNegotiation.investmentWan, atLeast10Yi: f.inNegotiation.atLeast10Yi },
    signed: { count: f.signed.count, investmentWan: f.signed.investmentWan },
    signedShareOfAll: f.signedShareOfAll,
  };
}

export async function briefingData(db: Db, scope: Scope, month: string, actor: Actor | null = null) {
  const asOf = monthEnd(month);
  const [rates, lights, sanwei, valueAdded, investment] = await Promise.all([
    ratesReport(db, await roundsHeldBy(db, asOf), scope, 'investment', asOf),
    lightsReport(db, scope, asOf, ['red', 'yellow']),
    sanweiReport(db, scope, asOf, null),
    indicatorRanking(db, scope, month, 'value_added'),
    indicatorRanking(db, scope, month, 'investment'),
  ]);
  const lagging = [valueAdded, investment].flatMap((r) =>
    r.zones.filter((z) => z.status.warning).map((z) => ({ indicator: r.indicator, zone_id: z.zone_id, zone_name: z.name, ...z.status })),
  );
  const monthStart = `${month}-01`;
  const quarterStart = `${month.slice(0, 5)}${String(Math.floor((Number(month.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
  // Leads are internal: only roles that read them see their figures in the briefing.
  const leads =
    actor && can(actor, 'lead.read')
      ? { month: await briefingLeadFigures(db, actor, scope, monthStart, asOf), quarter: await briefingLeadFigures(db, actor, scope, quarterStart, asOf) }
      : null;
  return {
    title: `${scope.label} ${month.slice(0, 4)}年${Number(month.slice(5, 7))}月项目建设与经济运行简报`,
    scope: { zone_ids: scope.zoneIds, city: scope.city, label: scope.label },
    month,
    asOf,
    rates: { basis: rates.basis, rounds: rates.rounds, start: rates.start, produce: rates.produce, capacity: rates.capacity },
    // The page shows the most urgent: the projects longest behind and longest stuck (the lists say how many in all).
    lights: {
      thresholds: lights.thresholds,
      counts: lights.counts,
      zones: lights.zones,
      behind: lights.projects.slice(0, BRIEFING_LIST_ROWS),
      behindTotal: lights.projects.length,
    },
    indicators: { value_added: valueAdded.zones, investment: investment.zones },
    lagging,
    sanwei: {
      counts: Object.fromEntries(SANWEI_KINDS.map((k) => [k.key, sanwei.projects.filter((p) => p.kind === k.key).length])),
      projects: [...sanwei.projects].sort((a, b) => b.days - a.days).slice(0, BRIEFING_LIST_ROWS),
      total: sanwei.projects.length,
    },
    leads,
  };
}

export type Briefing = Awaited<ReturnType<typeof briefingData>>;

const STAGE_ZH = Object.fromEntries(PROJECT_STAGES.map((s) => [s.key, s.zh]));
const growth = (v: number | null) => (v === null ? '—' : `${v >= 0 ? '+' : ''}${formatNumber(v, 2)}%`);

/** The briefing as an A4 PDF (Buffer). */
export function briefingPdf(b: Briefing): Promise<Buffer> {
  return a4Pdf(b.title, (doc) => {
    const heading = (text: string) => {
      doc.moveDown(0.4).font('bold').fontSize(11).fillColor('#1a365d').text(text, 32).moveDown(0.15);
      doc.font('body').fontSize(8).fillColor('#000');
    };
    const row = (cells: string[], widths: number[], bold = false) => tableRow(doc, cells, widths, { bold });

    doc.font('bold').fontSize(16).text(b.title, { align: 'center' });
    doc.font('body').fontSize(9).fillColor('#4a5568').text(`统计截至 ${b.asOf} · 园区一张图 Park Atlas`, { align: 'center' }).fillColor('#000');

    heading('一、三个一批（按投资额）');
    doc.text(`统计轮次：${b.rates.rounds.map((r) => r.name).join('、') || '—'}（截至统计日已举办的全部轮次）`);
    row(['指标', '比率', '分子（万元）', '分母（万元）', '项目数'], [0.3, 0.15, 0.2, 0.2, 0.15], true);
    for (const [label, r] of [
      ['签约项目开工率', b.rates.start],
      ['开工项目投产率', b.rates.produce],
      ['投产项目达产率', b.rates.capacity],
    ] as const) {
      row(
        [label, formatPercent(r.share), formatNumber(r.numerator, 0), formatNumber(r.denominator, 0), `${r.achieved.length}/${r.base.length}`],
        [0.3, 0.15, 0.2, 0.2, 0.15],
      );
    }

    heading('二、项目红黄绿灯');
    const listed = (shown: number, total: number) => (total > shown ? `（共 ${total} 个，列出最紧要的 ${shown} 个）` : '');
    doc.text(LIGHTS.map((l) => `${l.zh} ${b.lights.counts[l.key]} 个`).join('　　'));
    doc.text(
      `阈值：滞后 ${b.lights.thresholds.yellowAfterDays} 天以上黄灯，${b.lights.thresholds.redAfterDays} 天以上红灯 ${listed(b.lights.behind.length, b.lights.behindTotal)}`,
    );
    if (b.lights.behind.length) {
      row(['项目', '开发区', '灯', '应完成', '计划日期', '滞后天数'], [0.38, 0.28, 0.05, 0.08, 0.12, 0.09], true);
      for (const p of b.lights.behind) {
        row(
          [p.name, p.zone_name, p.light === 'red' ? '红' : '黄', STAGE_ZH[p.due_stage ?? ''] ?? '—', p.due_date ?? '—', String(p.days_late)],
          [0.38, 0.28, 0.05, 0.08, 0.12, 0.09],
        );
      }
    }

    heading('三、指标预警（1–本月累计增速低于目标）');
    if (b.lagging.length === 0) doc.text('无预警。');
    else {
      row(['开发区', '指标', '累计（万元）', '同比增速', '目标', '差距（百分点）'], [0.3, 0.18, 0.15, 0.12, 0.1, 0.15], true);
      for (const l of b.lagging) {
        row(
          [
            l.zone_name,
            INDICATORS.find((i) => i.key === l.indicator)!.zh,
            formatNumber(l.cumulativeWan, 2),
            growth(l.growthPct),
            growth(l.targetPct),
            formatNumber(l.gapPct, 2),
          ],
          [0.3, 0.18, 0.15, 0.12, 0.1, 0.15],
        );
      }
    }

    heading('四、“三未”项目');
    doc.text(`${SANWEI_KINDS.map((k) => `${k.zh} ${b.sanwei.counts[k.key]} 个`).join('　　')} ${listed(b.sanwei.projects.length, b.sanwei.total)}`);
    if (b.sanwei.projects.length) {
      row(['类别', '项目', '开发区', '总投资', '起算日期', '滞留天数'], [0.09, 0.37, 0.27, 0.1, 0.1, 0.07], true);
      for (const p of b.sanwei.projects) {
        row(
          [SANWEI_KINDS.find((k) => k.key === p.kind)!.zh, p.name, p.zone_name, formatWan(p.total_investment_wan), p.since, String(p.days)],
          [0.09, 0.37, 0.27, 0.1, 0.1, 0.07],
        );
      }
    }
    if (b.leads) {
      heading('五、招商引资');
      row(
        ['统计期', '招商活动（场）', '在谈项目（个 / 万元）', '其中≥10亿元（个）', '签约（个 / 万元）', '签约投资占比'],
        [0.2, 0.12, 0.2, 0.14, 0.2, 0.14],
        true,
      );
      for (const [label, f] of [
        [`本月（${b.leads.month.from}—${b.leads.month.to}）`, b.leads.month],
        [`本季度（${b.leads.quarter.from}—${b.leads.quarter.to}）`, b.leads.quarter],
      ] as const) {
        row(
          [
            label,
            String(f.eventsHeld),
            `${f.inNegotiation.count} / ${formatNumber(f.inNegotiation.investmentWan, 0)}`,
            String(f.inNegotiation.atLeast10Yi),
            `${f.signed.count} / ${formatNumber(f.signed.investmentWan, 0)}`,
            formatPercent(f.signedShareOfAll),
          ],
          [0.2, 0.12, 0.2, 0.14, 0.2, 0.14],
        );
      }
      doc.text(
        `本季度新增线索各阶段（个 / 万元）：${b.leads.quarter.stages.map((s) => `${LEAD_STAGES.find((x) => x.key === s.key)!.zh} ${s.reached} / ${formatNumber(s.reachedInvestmentWan, 0)}`).join('；')}`,
        32,
      );
    }
  });
}
