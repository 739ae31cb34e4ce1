/**
 * The editable fields of a parcel, which permission each needs, and their validation. Shared by the
 * server (which enforces it) and the edit form (which shows errors before sending).
 */
import { isKnownLandUseCode } from './landUse.ts';
import { INFRASTRUCTURE_ITEMS, PARCEL_STATUSES, PARCEL_STATUS_KEYS, type ParcelStatus } from './lifecycle.ts';
import type { Permission } from './permissions.ts';

type Kind = 'code' | 'landUse' | 'status' | 'date' | 'number' | 'boolean' | 'text' | 'infrastructure';
/** The 标准地 control indicators a parcel carries, fixed before it is offered (one shape for server, client and demo data). */
export interface StandardLandIndicators {
  min_investment_intensity_wan_per_mu: number | null;
  min_floor_area_ratio: number | null;
  max_floor_area_ratio: number | null;
  min_tax_per_mu_wan: number | null;
  max_energy_tce_per_wan: number | null;
  environment_standard: string | null;
  min_building_coverage_pct: number | null;
  max_admin_facility_pct: number | null;
  max_green_pct: number | null;
}

interface FieldSpec {
  kind: Kind;
  permission: Permission;
  min?: number;
  max?: number;
  maxLength?: number;
}

const date = (permission: Permission): FieldSpec => ({ kind: 'date', permission });
const num = (permission: Permission, min: number, max: number): FieldSpec => ({ kind: 'number', permission, min, max });
const A: Permission = 'parcel.editAttributes';
const L: Permission = 'parcel.editLandRecord';

export const PARCEL_FIELDS = {
  code: { kind: 'code', permission: A },
  land_use_code: { kind: 'landUse', permission: A },
  is_standard_land: { kind: 'boolean', permission: A },
  min_investment_intensity_wan_per_mu: num(A, 0, 100_000),
  min_floor_area_ratio: num(A, 0, 20),
  max_floor_area_ratio: num(A, 0, 20),
  min_tax_per_mu_wan: num(A, 0, 10_000),
  max_energy_tce_per_wan: num(A, 0, 100),
  environment_standard: { kind: 'text', permission: A, maxLength: 500 },
  min_building_coverage_pct: num(A, 0, 100),
  max_admin_facility_pct: num(A, 0, 100),
  max_green_pct: num(A, 0, 100),
  infrastructure: { kind: 'infrastructure', permission: A },
  status: { kind: 'status', permission: L },
  reserve_date: date(L),
  available_date: date(L),
  supplied_date: date(L),
  started_date: date(L),
  completed_date: date(L),
  producing_date: date(L),
  at_capacity_date: date(L),
  agreed_start_date: date(L),
  agreed_completion_date: date(L),
  planned_building_area_m2: num(L, 0, 1e8),
  developed_area_m2: num(L, 0, 1e8),
  agreed_investment_wan: num(L, 0, 1e8),
  invested_wan: num(L, 0, 1e8),
  work_stopped_since: date(L),
  registered_area_m2: num(L, 0.01, 1e9),
  land_price_wan: num(L, 0, 1e8),
  land_price_internal: { kind: 'boolean', permission: L },
} as const satisfies Record<string, FieldSpec>;

export type ParcelField = keyof typeof PARCEL_FIELDS;
export const PARCEL_FIELD_NAMES = Object.keys(PARCEL_FIELDS) as ParcelField[];

/** A message for people, in both languages: the API sends English in `message` and both in details. */
export interface Message {
  en: string;
  zh: string;
}
export const msg = (en: string, zh: string): Message => ({ en, zh });

export interface FieldError {
  field: string;
  message: string;
  message_zh: string;
}
export const fieldError = (field: string, m: Message): FieldError => ({ field, message: m.en, message_zh: m.zh });

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
export function isValidDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value && Number(m[1]) >= 1990 && Number(m[1]) <= 2100;
}

/** Checks one field's value; null values clear optional fields. Returns an error message or null. */
export function checkParcelField(field: string, value: unknown): Message | null {
  const spec = (PARCEL_FIELDS as Record<string, FieldSpec>)[field];
  if (!spec) return msg(`Unknown field "${field}".`, `未知字段“${field}”。`);
  if (value === null) {
    return ['code', 'landUse', 'status', 'boolean', 'infrastructure'].includes(spec.kind) ? msg('This field cannot be empty.', '此项不能为空。') : null;
  }
  switch (spec.kind) {
    case 'code':
      return typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/.test(value)
        ? null
        : msg(
            'A parcel code is 1–40 letters, digits, "-" or "_", starting with a letter or digit.',
            '地块编号为 1–40 位字母、数字、“-”或“_”，以字母或数字开头。',
          );
    case 'landUse':
      return typeof value === 'string' && isKnownLandUseCode(value)
        ? null
        : msg(`Unknown land-use code "${String(value).slice(0, 20)}".`, `未知的用地分类代码“${String(value).slice(0, 20)}”。`);
    case 'status':
      return typeof value === 'string' && (PARCEL_STATUS_KEYS as readonly string[]).includes(value)
        ? null
        : msg(`Unknown status. Allowed: ${PARCEL_STATUS_KEYS.join(', ')}.`, '未知的状态。');
    case 'date':
      return typeof value === 'string' && isValidDate(value)
        ? null
        : msg('A date is YYYY-MM-DD, between 1990 and 2100.', '日期格式为 YYYY-MM-DD，年份在 1990–2100 之间。');
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return msg('Must be a number.', '必须是数字。');
      return value < spec.min! || value > spec.max! ? msg(`Must be between ${spec.min} and ${spec.max}.`, `必须在 ${spec.min} 到 ${spec.max} 之间。`) : null;
    case 'boolean':
      return typeof value === 'boolean' ? null : msg('Must be true or false.', '必须是“是”或“否”。');
    case 'text':
      return typeof value === 'string' && value.length <= spec.maxLength!
        ? null
        : msg(`Text of at most ${spec.maxLength} characters.`, `最多 ${spec.maxLength} 个字符。`);
    case 'infrastructure': {
      if (typeof value !== 'object' || Array.isArray(value)) return msg('Must be a checklist object.', '必须是基础设施清单。');
      const keys = INFRASTRUCTURE_ITEMS.map((i) => i.key as string);
      const bad = Object.entries(value as object).find(([k, v]) => !keys.includes(k) || typeof v !== 'boolean');
      return bad ? msg(`Unknown checklist item or value "${bad[0]}".`, `未知的清单项“${bad[0]}”。`) : null;
    }
  }
}

/**
 * Checks a whole parcel record after a change: each step of the life up to the status has a date, no later
 * step has one, the dates come in order, and the floor-area ratio range is the right way round.
 */
export function checkParcelRecord(record: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const status = record.status as ParcelStatus;
  const rank = PARCEL_STATUS_KEYS.indexOf(status);
  let previous: { field: string; date: string } | null = null;
  PARCEL_STATUSES.forEach((s, i) => {
    const d = record[s.dateField] as string | null | undefined;
    if (i > rank && d)
      errors.push(fieldError(s.dateField, msg(`The parcel is not yet ${s.en.toLowerCase()}: this date must be empty.`, `地块尚未${s.zh}：此日期应为空。`)));
    if (i === rank && !d && i > 0)
      errors.push(fieldError(s.dateField, msg(`The date it became ${s.en.toLowerCase()} is needed for this status.`, `状态为“${s.zh}”时须填写其日期。`)));
    if (d) {
      if (previous && d < previous.date)
        errors.push(
          fieldError(
            s.dateField,
            msg(
              `This date is before ${previous.field} (${previous.date}): the steps must come in order.`,
              `此日期早于前一环节（${previous.date}）：各环节日期须依次排列。`,
            ),
          ),
        );
      previous = { field: s.dateField, date: d };
    }
  });
  const agreedStart = record.agreed_start_date as string | null;
  const agreedEnd = record.agreed_completion_date as string | null;
  if (agreedStart && agreedEnd && agreedEnd < agreedStart)
    errors.push(fieldError('agreed_completion_date', msg('The agreed completion date is before the agreed start date.', '约定竣工日期早于约定动工日期。')));
  const minFar = record.min_floor_area_ratio as number | null;
  const maxFar = record.max_floor_area_ratio as number | null;
  if (minFar !== null && maxFar !== null && minFar !== undefined && maxFar !== undefined && minFar > maxFar) {
    errors.push(fieldError('max_floor_area_ratio', msg('The maximum floor-area ratio is below the minimum.', '容积率上限低于下限。')));
  }
  return errors;
}

/**
 * The errors to show in an edit form before sending: each changed field's own check, then the checks of the
 * whole record as it would be, in the reader's language; one message per field.
 */
export function formErrors(
  changes: Record<string, unknown>,
  recordAfter: Record<string, unknown>,
  checkField: (field: string, value: unknown) => Message | null,
  checkRecord: (record: Record<string, unknown>) => FieldError[],
  lang: 'zh' | 'en',
): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [field, value] of Object.entries(changes)) {
    const m = checkField(field, value);
    if (m) found[field] = lang === 'zh' ? m.zh : m.en;
  }
  for (const err of checkRecord(recordAfter)) found[err.field] ??= lang === 'zh' ? err.message_zh : err.message;
  return found;
}
