/**
 * The project stage list, configurable: the six stages the figures are defined on (谋划 → 签约 → 落地 →
 * 开工 → 投产 → 达产) keep their keys and order, may be renamed and recoloured, and a city may insert stages
 * of its own between them (e.g. 竣工 between 开工 and 投产). The six keep their date columns; the dates of
 * added stages live in the project's extra_stage_dates ({ key: "YYYY-MM-DD" }).
 */
import { PROJECT_STAGES } from './lifecycle.ts';
import { isValidDate, msg, type Message } from './parcelFields.ts';

export interface StageDef {
  key: string;
  zh: string;
  en: string;
  color: string;
  /** One of the six stages the rates, 三未 and lights are defined on. */
  builtin: boolean;
}

export const BUILTIN_STAGE_KEYS: readonly string[] = PROJECT_STAGES.map((s) => s.key);
export const DEFAULT_STAGE_LIST: readonly StageDef[] = PROJECT_STAGES.map((s) => ({ key: s.key, zh: s.zh, en: s.en, color: s.color, builtin: true }));

const KEY = /^[a-z][a-z0-9_]{1,30}$/;
const COLOR = /^#[0-9a-fA-F]{6}$/;

/** Problems with a stage list an administrator wants to save; [] when it can be used. */
export function checkStageList(value: unknown): Message[] {
  if (!Array.isArray(value) || value.length < BUILTIN_STAGE_KEYS.length || value.length > 20) {
    return [
      msg(
        `The stage list has the ${BUILTIN_STAGE_KEYS.length} standard stages and at most ${20 - BUILTIN_STAGE_KEYS.length} more.`,
        `阶段列表须包含 ${BUILTIN_STAGE_KEYS.length} 个标准阶段，另可增加至多 ${20 - BUILTIN_STAGE_KEYS.length} 个。`,
      ),
    ];
  }
  const problems: Message[] = [];
  const seen = new Set<string>();
  for (const [i, s] of (value as Partial<StageDef>[]).entries()) {
    const where = `#${i + 1}`;
    if (!s || typeof s !== 'object') {
      problems.push(msg(`Stage ${where} is not an object.`, `第 ${i + 1} 个阶段格式不对。`));
      continue;
    }
    if (typeof s.key !== 'string' || !KEY.test(s.key))
      problems.push(
        msg(
          `Stage ${where}: the key is 2–31 lower-case letters, digits or _ starting with a letter.`,
          `第 ${i + 1} 个阶段：代码须为 2–31 位小写字母、数字或下划线，以字母开头。`,
        ),
      );
    else if (seen.has(s.key)) problems.push(msg(`Stage ${where}: the key "${s.key}" is used twice.`, `第 ${i + 1} 个阶段：代码“${s.key}”重复。`));
    else seen.add(s.key);
    for (const name of ['zh', 'en'] as const) {
      const v = s[name];
      if (typeof v !== 'string' || v.trim() === '' || v.length > 20)
        problems.push(
          msg(
            `Stage ${where}: the ${name === 'zh' ? 'Chinese' : 'English'} name is 1–20 characters.`,
            `第 ${i + 1} 个阶段：${name === 'zh' ? '中文' : '英文'}名称须为 1–20 个字符。`,
          ),
        );
    }
    if (typeof s.color !== 'string' || !COLOR.test(s.color))
      problems.push(msg(`Stage ${where}: the colour is #rrggbb.`, `第 ${i + 1} 个阶段：颜色格式为 #rrggbb。`));
    const builtin = typeof s.key === 'string' && BUILTIN_STAGE_KEYS.includes(s.key);
    if (s.builtin !== builtin)
      problems.push(msg(`Stage ${where}: "builtin" is true exactly for the standard stages.`, `第 ${i + 1} 个阶段：仅标准阶段标记为内置。`));
  }
  const order = (value as Partial<StageDef>[]).map((s) => s?.key).filter((k): k is string => typeof k === 'string' && BUILTIN_STAGE_KEYS.includes(k));
  if (order.join() !== BUILTIN_STAGE_KEYS.join()) {
    problems.push(
      msg(
        `The standard stages must all be there, in their order: ${BUILTIN_STAGE_KEYS.join(' → ')}.`,
        '六个标准阶段（谋划、签约、落地、开工、投产、达产）须全部保留并保持顺序。',
      ),
    );
  }
  if ((value as Partial<StageDef>[])[0]?.key !== 'planned') problems.push(msg('The list starts with the planned stage (谋划).', '阶段列表须以“谋划”开始。'));
  return problems;
}

/** The date a project reached a stage: a column for the six, extra_stage_dates for added ones. */
export function stageDate(record: object, key: string): string | null {
  const r = record as Record<string, unknown>;
  if (BUILTIN_STAGE_KEYS.includes(key)) return (r[`${key}_date`] as string | null | undefined) ?? null;
  const extra = r.extra_stage_dates as Record<string, string | null> | null | undefined;
  return extra?.[key] ?? null;
}

/** extra_stage_dates as a field: stage keys to dates (or null to clear). */
export function checkExtraStageDates(value: unknown): Message | null {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return msg('extra_stage_dates is an object { stage: "YYYY-MM-DD" }.', '附加阶段日期格式不对。');
  for (const [k, d] of Object.entries(value)) {
    if (!KEY.test(k) || BUILTIN_STAGE_KEYS.includes(k)) return msg(`"${k.slice(0, 30)}" is not an added stage.`, `“${k.slice(0, 30)}”不是附加阶段。`);
    if (d !== null && (typeof d !== 'string' || !isValidDate(d)))
      return msg('A date is YYYY-MM-DD, between 1990 and 2100.', '日期格式为 YYYY-MM-DD，年份在 1990–2100 之间。');
  }
  return null;
}

/** The stage of the list, or a stand-in for a key the list no longer has. */
export function stageOf(stages: readonly StageDef[], key: string): StageDef {
  return stages.find((s) => s.key === key) ?? { key, zh: key, en: key, color: '#a0aec0', builtin: false };
}
