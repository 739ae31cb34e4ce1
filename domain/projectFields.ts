/** The editable fields of a project and their checks, shared by the server and the edit form. */
import { PROJECT_STAGES } from './lifecycle.ts';
import { fieldError, isValidDate, msg, type FieldError, type Message } from './parcelFields.ts';
import { DEFAULT_STAGE_LIST, checkExtraStageDates, stageDate, type StageDef } from './projectStages.ts';

export const PROJECT_FIELDS = {
  name: 'text',
  industry_chain: 'text',
  stage: 'stage',
  description: 'text',
  total_investment_wan: 'number',
  completed_investment_wan: 'number',
  expected_annual_output_wan: 'number',
  land_area_mu: 'number',
  planned_date: 'date',
  signed_date: 'date',
  landed_date: 'date',
  started_date: 'date',
  producing_date: 'date',
  at_capacity_date: 'date',
  plan_landed_date: 'date',
  plan_started_date: 'date',
  plan_producing_date: 'date',
  plan_at_capacity_date: 'date',
  actual_annual_output_wan: 'number',
  agreed_annual_tax_wan: 'number',
  actual_annual_tax_wan: 'number',
  extra_stage_dates: 'stageDates',
} as const;
export type ProjectField = keyof typeof PROJECT_FIELDS;

export function checkProjectField(field: string, value: unknown): Message | null {
  const kind = (PROJECT_FIELDS as Record<string, string>)[field];
  if (!kind) return msg(`Unknown field "${field}".`, `未知字段“${field}”。`);
  if (value === null) return field === 'name' || field === 'stage' ? msg('This field cannot be empty.', '此项不能为空。') : null;
  switch (kind) {
    case 'text':
      return typeof value === 'string' && value.trim().length > 0 && value.length <= (field === 'description' ? 2000 : 200)
        ? null
        : msg('Text of 1–200 characters (descriptions up to 2000).', '文字长度 1–200 个字符（说明最多 2000）。');
    case 'stage':
      // Which stages exist is the configured list's business: checkProjectRecord.
      return typeof value === 'string' && /^[a-z][a-z0-9_]{1,30}$/.test(value) ? null : msg('Unknown stage.', '未知的项目阶段。');
    case 'stageDates':
      return checkExtraStageDates(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1e9
        ? null
        : msg('Must be a number from 0 to 1,000,000,000.', '必须是 0 到 10 亿之间的数字。');
    case 'date':
      return typeof value === 'string' && isValidDate(value)
        ? null
        : msg('A date is YYYY-MM-DD, between 1990 and 2100.', '日期格式为 YYYY-MM-DD，年份在 1990–2100 之间。');
  }
  return null;
}

/**
 * Stage dates in the order of the (configured) stage list, the current stage's date set, no date for a
 * stage not yet reached; the stage must be on the list. Added stages' dates are in extra_stage_dates.
 */
export function checkProjectRecord(record: Record<string, unknown>, stages: readonly StageDef[] = DEFAULT_STAGE_LIST): FieldError[] {
  const errors: FieldError[] = [];
  const rank = stages.findIndex((s) => s.key === record.stage);
  if (rank < 0)
    errors.push(
      fieldError(
        'stage',
        msg(`Unknown stage "${String(record.stage)}". Allowed: ${stages.map((s) => s.key).join(', ')}.`, `未知的项目阶段“${String(record.stage)}”。`),
      ),
    );
  let previous: { field: string; date: string } | null = null;
  stages.forEach((s, i) => {
    const field = s.builtin ? `${s.key}_date` : 'extra_stage_dates';
    const d = stageDate(record, s.key);
    if (rank >= 0 && i > rank && d)
      errors.push(
        fieldError(field, msg(`The project has not reached ${s.en.toLowerCase()}: this date must be empty.`, `项目尚未到“${s.zh}”阶段：此日期应为空。`)),
      );
    if (i === rank && !d)
      errors.push(fieldError(field, msg(`The date of the current stage (${s.en.toLowerCase()}) is needed.`, `须填写当前阶段（${s.zh}）的日期。`)));
    if (d) {
      if (previous && d < previous.date)
        errors.push(
          fieldError(
            field,
            msg(
              `This date is before ${previous.field} (${previous.date}): stages must come in order.`,
              `此日期早于前一阶段（${previous.date}）：各阶段日期须依次排列。`,
            ),
          ),
        );
      previous = { field: s.builtin ? `${s.key}_date` : s.key, date: d };
    }
  });
  // Planned dates (the traffic lights compare against them) also come in stage order.
  let previousPlan: { stage: string; date: string } | null = null;
  for (const s of PROJECT_STAGES) {
    const field = `plan_${s.key}_date`;
    const d = record[field] as string | null | undefined;
    if (!d) continue;
    if (previousPlan && d < previousPlan.date) {
      errors.push(
        fieldError(
          field,
          msg(
            `This planned date is before the planned ${previousPlan.stage} (${previousPlan.date}): plans must come in stage order.`,
            `此计划日期早于前一计划日期（${previousPlan.date}）：计划日期须依次排列。`,
          ),
        ),
      );
    }
    previousPlan = { stage: s.en.toLowerCase(), date: d };
  }
  return errors;
}
