/**
 * Working days (工作日) in mainland China: Monday to Friday, less the official public holidays, plus the
 * weekend days made working days by the State Council's yearly notice (调休上班). Legal time limits of
 * administrative approvals (办理时限) are counted in working days, so the item lights depend on this.
 *
 * The holidays are data, copied from the State Council General Office notices (国务院办公厅关于 YYYY 年部分节假日安排的通知):
 * - 2025: 国办发明电〔2024〕12号 (2024-11-12).
 * - 2026: the notice of 2025-11-04.
 * - 2027: not yet published when this was written (2026-11): only weekends count as days off; add the notice's
 *   dates here when it comes out.
 * Years without data fall back to plain weekends.
 */

/** Official days off (放假) that would otherwise be working days or weekends, by year. */
const HOLIDAYS: Record<number, string[]> = {
  2025: [
    '2025-01-01',
    // 春节 1月28日–2月4日
    '2025-01-28',
    '2025-01-29',
    '2025-01-30',
    '2025-01-31',
    '2025-02-01',
    '2025-02-02',
    '2025-02-03',
    '2025-02-04',
    // 清明 4月4日–6日
    '2025-04-04',
    '2025-04-05',
    '2025-04-06',
    // 劳动节 5月1日–5日
    '2025-05-01',
    '2025-05-02',
    '2025-05-03',
    '2025-05-04',
    '2025-05-05',
    // 端午 5月31日–6月2日
    '2025-05-31',
    '2025-06-01',
    '2025-06-02',
    // 国庆、中秋 10月1日–8日
    '2025-10-01',
    '2025-10-02',
    '2025-10-03',
    '2025-10-04',
    '2025-10-05',
    '2025-10-06',
    '2025-10-07',
    '2025-10-08',
  ],
  2026: [
    // 元旦 1月1日–3日
    '2026-01-01',
    '2026-01-02',
    '2026-01-03',
    // 春节 2月15日–23日
    '2026-02-15',
    '2026-02-16',
    '2026-02-17',
    '2026-02-18',
    '2026-02-19',
    '2026-02-20',
    '2026-02-21',
    '2026-02-22',
    '2026-02-23',
    // 清明 4月4日–6日
    '2026-04-04',
    '2026-04-05',
    '2026-04-06',
    // 劳动节 5月1日–5日
    '2026-05-01',
    '2026-05-02',
    '2026-05-03',
    '2026-05-04',
    '2026-05-05',
    // 端午 6月19日–21日
    '2026-06-19',
    '2026-06-20',
    '2026-06-21',
    // 中秋 9月25日–27日
    '2026-09-25',
    '2026-09-26',
    '2026-09-27',
    // 国庆 10月1日–7日
    '2026-10-01',
    '2026-10-02',
    '2026-10-03',
    '2026-10-04',
    '2026-10-05',
    '2026-10-06',
    '2026-10-07',
  ],
  // 2027: not published yet (see above).
};

/** Weekend days that are working days (调休上班), by year. */
const MAKE_UP_WORKING_DAYS: Record<number, string[]> = {
  2025: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  2026: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};

/** The years whose official calendar is known; other years count weekends only. */
export const CALENDAR_YEARS = Object.keys(HOLIDAYS).map(Number);

const holidays = new Set(Object.values(HOLIDAYS).flat());
const makeUpDays = new Set(Object.values(MAKE_UP_WORKING_DAYS).flat());

function toUtc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}
function fromUtc(d: Date): string {
  return d.toISOString().slice(0, 10);
}
function nextDay(date: string, step = 1): string {
  const d = toUtc(date);
  d.setUTCDate(d.getUTCDate() + step);
  return fromUtc(d);
}

/** Whether a date (YYYY-MM-DD) is a working day. */
export function isWorkingDay(date: string): boolean {
  if (makeUpDays.has(date)) return true;
  if (holidays.has(date)) return false;
  const weekday = toUtc(date).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * Working days from `start` to `end`: the working days after `start` up to and including `end` (a request
 * accepted on Monday and finished on Wednesday took 2 working days). 0 when `end` is not after `start`.
 */
export function workingDaysBetween(start: string, end: string): number {
  if (end <= start) return 0;
  let n = 0;
  for (let d = nextDay(start); d <= end; d = nextDay(d)) if (isWorkingDay(d)) n++;
  return n;
}

/** The due date of `days` working days counted from `start`: the `days`-th working day after it (`start` itself for 0). */
export function addWorkingDays(start: string, days: number): string {
  let d = start;
  let left = Math.max(0, Math.floor(days));
  while (left > 0) {
    d = nextDay(d);
    if (isWorkingDay(d)) left--;
  }
  return d;
}
