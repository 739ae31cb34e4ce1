/**
 * "Today" as the people using the app count it: the calendar date in China's time zone (a setting), not the
 * UTC date. Between 00:00 and 08:00 Beijing time the UTC date is still yesterday, so every default date, the
 * idle-land countdown and "last month" would be a day behind if taken from `toISOString()`.
 *
 * Server and client both use these functions; the server sets the zone from `APP_TIME_ZONE` at start-up and
 * tells the client through /api/config.
 */

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

let appTimeZone = DEFAULT_TIME_ZONE;

/** Sets the zone "today" is counted in; refuses a name the runtime does not know (a typo must not shift dates). */
export function setAppTimeZone(timeZone: string): void {
  if (!isKnownTimeZone(timeZone)) throw new Error(`Unknown time zone "${timeZone}" (an IANA name such as Asia/Shanghai is expected).`);
  appTimeZone = timeZone;
}

export function appTimeZoneName(): string {
  return appTimeZone;
}

export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The calendar date YYYY-MM-DD of an instant in a time zone. */
export function dateInZone(instant: Date, timeZone: string = appTimeZone): string {
  // en-CA formats as YYYY-MM-DD; formatToParts keeps it independent of the locale's separators.
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * An instant as people in the app's time zone read it, YYYY-MM-DD HH:mm (24 h): the audit log's times.
 * dateTimeInZone('2026-11-27T16:30:00Z') = '2026-11-28 00:30' in Asia/Shanghai. An unreadable value gives '—'.
 */
export function dateTimeInZone(instant: Date | string, timeZone: string = appTimeZone): string {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(at.getTime())) return '—';
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${dateInZone(at, timeZone)} ${get('hour')}:${get('minute')}`;
}

/** Today's date YYYY-MM-DD in the app's time zone. */
export function todayIso(now: Date = new Date()): string {
  return dateInZone(now, appTimeZone);
}

/** This year in the app's time zone. */
export function currentYear(now: Date = new Date()): number {
  return Number(todayIso(now).slice(0, 4));
}

/** The calendar month before the one of `date` (YYYY-MM-DD or YYYY-MM), as YYYY-MM: 2026-03-31 → 2026-02. */
export function previousMonth(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/** The last day YYYY-MM-DD of a month YYYY-MM. */
export function lastDayOfMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const days = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${month.slice(0, 7)}-${String(days).padStart(2, '0')}`;
}

/** Whole days from a to b (YYYY-MM-DD), b − a: calendar days, no time zone involved. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
