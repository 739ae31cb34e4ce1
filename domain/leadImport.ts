/**
 * Reading an office's 在谈项目台账 (lead list, Excel or CSV) into leads: Chinese header synonyms, stage names
 * as offices write them, zones by name, and dates in the forms real sheets hold (2026-03-05, 2026/3/5,
 * 2026.3.5, 2026年3月5日, Excel serial numbers). Pure: the server gives it the table, it answers rows or
 * row errors (all or nothing). Signed projects are not imported as leads: 签约 makes a project, which the
 * project import or the sign step does.
 */
import { DEFAULT_LEAD_SOURCES, LEAD_STAGE_KEYS, checkStageDates, type LeadStageKey } from './leads.ts';

export const LEAD_IMPORT_HEADERS: Record<string, string[]> = {
  investor_name: ['投资方', '投资方名称', '投资主体', '企业名称', '投资企业', '客商名称', '签约主体', 'investor'],
  project_name: ['项目名称', '项目', 'project'],
  zone: ['开发区', '园区', '所属园区', '所属开发区', '拟落地园区', '落地园区', 'zone'],
  industry: ['产业', '行业', '所属产业', '产业类别', '产业领域', 'industry'],
  planned_investment_wan: ['计划投资（万元）', '计划总投资（万元）', '总投资（万元）', '投资额（万元）', '计划投资', '总投资', '投资额', 'investment_wan'],
  planned_investment_yi: ['计划投资（亿元）', '计划总投资（亿元）', '总投资（亿元）', '投资额（亿元）', 'investment_yi'],
  stage: ['阶段', '项目阶段', '进展阶段', '当前阶段', '推进阶段', 'stage'],
  lead_date: ['线索日期', '登记日期', '首次接洽日期', '录入日期', '对接日期', 'lead_date'],
  stage_date: ['阶段日期', '进展日期', '最新进展日期', 'stage_date'],
  next_follow_up: ['下次跟进', '下次跟进日期', '计划跟进日期', 'next_follow_up'],
  investor_origin: ['投资方来源地', '来源地', '客商来源地', '投资方所在地', 'origin'],
  source: ['招商方式', '线索来源', '来源方式', 'source'],
  leader: ['包联领导', '责任领导', '领导', 'leader'],
  land_need_mu: ['用地需求（亩）', '拟用地（亩）', '用地面积（亩）', '需用地（亩）', 'land_mu'],
  contact_name: ['联系人', 'contact'],
  contact_phone: ['联系电话', '电话', 'phone'],
};

/** Stage names as the sheets write them. */
export const STAGE_SYNONYMS: Record<string, LeadStageKey> = {
  线索: 'lead',
  项目线索: 'lead',
  初步接洽: 'contact',
  接洽: 'contact',
  初步对接: 'contact',
  对接: 'contact',
  考察: 'visit',
  实地考察: 'visit',
  来晋考察: 'visit',
  洽谈: 'negotiation',
  对接洽谈: 'negotiation',
  在谈: 'negotiation',
  深度洽谈: 'negotiation',
  意向: 'intent',
  框架协议: 'intent',
  '意向/框架协议': 'intent',
  意向协议: 'intent',
  签订意向协议: 'intent',
  签约: 'signed',
  已签约: 'signed',
};

const normalise = (s: string) => s.replace(/\s+/g, '').replace(/\(/g, '（').replace(/\)/g, '）').toLowerCase();

/** Excel's day 0 is 1899-12-30 (it counts 1900 as a leap year): serial 46086 is 2026-03-05. */
export function excelSerialToIso(serial: number): string {
  return new Date(Date.UTC(1899, 11, 30) + Math.round(serial) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A date as sheets hold it → YYYY-MM-DD, or null when it is not one: 2026-03-05, 2026/3/5, 2026.3.5,
 * 2026年3月5日, 20260305, or an Excel serial number (1990–2100).
 */
export function parseSheetDate(text: string): string | null {
  const t = text.trim();
  let y: number, m: number, d: number;
  const parts = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (parts) [y, m, d] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  else if (/^\d{5}(\.\d+)?$/.test(t)) {
    const iso = excelSerialToIso(Number(t));
    return iso >= '1990-01-01' && iso <= '2100-12-31' ? iso : null;
  } else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1990 || y > 2100) return null;
  return date.toISOString().slice(0, 10);
}

export interface ImportedLead {
  line: number;
  zone_id: number;
  investor_name: string;
  project_name: string;
  industry: string | null;
  planned_investment_wan: number | null;
  land_need_max_mu: number | null;
  source: string;
  investor_origin: string | null;
  leader: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  stage: LeadStageKey;
  stage_dates: Partial<Record<LeadStageKey, string>>;
  next_follow_up: string | null;
}

export interface RowError {
  line: number;
  message: string;
  message_zh: string;
}

/**
 * The table (first row the header) → leads, or every row's problems. `zoneIdOf` finds a zone by name or code.
 * The stage's date is the 阶段日期 column when given, else the lead date.
 */
export function readLeadSheet(
  table: { line: number; cells: string[] }[],
  zoneIdOf: (text: string) => number | null,
  today: string,
): { ok: true; rows: ImportedLead[] } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  if (!table.length) return { ok: false, errors: [{ line: 1, message: 'the file is empty', message_zh: '文件为空' }] };
  const header = table[0].cells.map(normalise);
  const column: Record<string, number> = {};
  for (const [field, names] of Object.entries(LEAD_IMPORT_HEADERS)) {
    const i = header.findIndex((h) => names.some((n) => normalise(n) === h));
    if (i >= 0) column[field] = i;
  }
  const missing = (['investor_name', 'project_name', 'zone', 'lead_date'] as const).filter((f) => column[f] === undefined);
  if (missing.length)
    return {
      ok: false,
      errors: [
        {
          line: table[0].line,
          message: `the header lacks ${missing.join(', ')} (e.g. ${missing.map((f) => LEAD_IMPORT_HEADERS[f][0]).join('、')})`,
          message_zh: `表头缺少：${missing.map((f) => LEAD_IMPORT_HEADERS[f][0]).join('、')}`,
        },
      ],
    };
  const rows: ImportedLead[] = [];
  for (const { line, cells } of table.slice(1)) {
    const get = (field: string) => (column[field] === undefined ? '' : (cells[column[field]] ?? '').trim());
    if (cells.every((c) => c.trim() === '')) continue;
    const problem = (message: string, message_zh: string) => errors.push({ line, message, message_zh });
    const number = (field: string, label: string): number | null => {
      const t = get(field).replace(/,/g, '');
      if (!t) return null;
      const n = Number(t);
      if (!Number.isFinite(n) || n < 0) {
        problem(`${label} "${t}" is not a number`, `${label}“${t}”不是有效数字`);
        return null;
      }
      return n;
    };
    const date = (field: string, label: string): string | null => {
      const t = get(field);
      if (!t) return null;
      const d = parseSheetDate(t);
      if (!d) problem(`${label} "${t}" is not a date (2026-03-05, 2026/3/5 or 2026.3.5)`, `${label}“${t}”不是有效日期（如 2026-03-05、2026/3/5、2026.3.5）`);
      return d;
    };
    const investor = get('investor_name');
    const project = get('project_name');
    if (!investor) problem('the investor is empty', '投资方为空');
    if (!project) problem('the project name is empty', '项目名称为空');
    const zoneText = get('zone');
    const zoneId = zoneText ? zoneIdOf(zoneText) : null;
    if (!zoneText) problem('the zone is empty', '开发区为空');
    else if (zoneId === null) problem(`no zone named "${zoneText}"`, `没有名为“${zoneText}”的开发区`);
    const leadDate = date('lead_date', '线索日期');
    if (!get('lead_date')) problem('the lead date is empty', '线索日期为空');
    const stageDate = date('stage_date', '阶段日期');
    const nextFollowUp = date('next_follow_up', '下次跟进日期');
    const wan = number('planned_investment_wan', '计划投资（万元）');
    const yi = number('planned_investment_yi', '计划投资（亿元）');
    const mu = number('land_need_mu', '用地需求（亩）');
    const stageText = get('stage').replace(/\s+/g, '');
    const stage: LeadStageKey | undefined = stageText
      ? (STAGE_SYNONYMS[stageText] ?? ((LEAD_STAGE_KEYS as readonly string[]).find((k) => k === stageText) as LeadStageKey | undefined))
      : 'lead';
    if (!stage)
      problem(
        `unknown stage "${stageText}" (线索, 初步接洽, 考察, 洽谈, 意向/框架协议)`,
        `阶段“${stageText}”无法识别（线索、初步接洽、考察、洽谈、意向/框架协议）`,
      );
    else if (stage === 'signed')
      problem('a signed project is not imported as a lead: sign the lead or import the project', '已签约项目不作为线索导入：请在线索上签约或导入项目库');
    const sourceText = get('source');
    const source = sourceText ? DEFAULT_LEAD_SOURCES.find((s) => s.zh === sourceText || s.key === sourceText)?.key : 'other';
    if (!source) problem(`unknown way "${sourceText}"`, `招商方式“${sourceText}”无法识别（${DEFAULT_LEAD_SOURCES.map((s) => s.zh).join('、')}）`);
    const stageDates: Partial<Record<LeadStageKey, string>> = {};
    if (leadDate) stageDates.lead = leadDate;
    if (leadDate && stage && stage !== 'lead') stageDates[stage] = stageDate ?? leadDate;
    if (leadDate && stage) for (const p of checkStageDates(stageDates, today)) problem(p.en, p.zh);
    if (errors.some((e) => e.line === line)) continue;
    rows.push({
      line,
      zone_id: zoneId!,
      investor_name: investor.slice(0, 120),
      project_name: project.slice(0, 120),
      industry: get('industry') || null,
      planned_investment_wan: yi !== null ? Math.round(yi * 10_000 * 100) / 100 : wan,
      land_need_max_mu: mu,
      source: source!,
      investor_origin: get('investor_origin') || null,
      leader: get('leader') || null,
      contact_name: get('contact_name') || null,
      contact_phone: get('contact_phone') || null,
      stage: stage!,
      stage_dates: stageDates,
      next_follow_up: nextFollowUp,
    });
  }
  if (errors.length) return { ok: false, errors };
  if (!rows.length) return { ok: false, errors: [{ line: table[0].line, message: 'no rows under the header', message_zh: '表头下没有数据行' }] };
  return { ok: true, rows };
}
