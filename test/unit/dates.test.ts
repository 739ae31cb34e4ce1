import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIME_ZONE, currentYear, dateInZone, lastDayOfMonth, previousMonth, setAppTimeZone, todayIso } from '../../domain/dates.ts';

describe('today in China’s time zone', () => {
  afterEach(() => setAppTimeZone(DEFAULT_TIME_ZONE));

  it('is already the next day in Beijing at 16:30 UTC, and the same day at 15:59', () => {
    // 2026-11-27T16:30Z is 2026-11-28 00:30 in Beijing (UTC+8): the UTC date would say the 27th.
    expect(todayIso(new Date('2026-11-27T16:30:00Z'))).toBe('2026-11-28');
    expect(todayIso(new Date('2026-11-27T15:59:59Z'))).toBe('2026-11-27');
  });

  it('turns the year at Beijing midnight', () => {
    expect(currentYear(new Date('2026-12-31T16:00:00Z'))).toBe(2027);
    expect(currentYear(new Date('2026-12-31T15:59:59Z'))).toBe(2026);
  });

  it('follows the configured zone and refuses an unknown one', () => {
    setAppTimeZone('Europe/London');
    expect(todayIso(new Date('2026-11-27T16:30:00Z'))).toBe('2026-11-27');
    expect(() => setAppTimeZone('Asia/Shanghia')).toThrow(/Unknown time zone/);
    expect(dateInZone(new Date('2026-06-30T23:00:00Z'), 'Asia/Shanghai')).toBe('2026-07-01');
  });
});

describe('months', () => {
  it('takes the calendar month before, not 31 days back', () => {
    // 2026-03-31 − 31 days = 2026-02-28 would be right, but 2026-03-01 − 31 days = 2026-01-29: a month skipped.
    expect(previousMonth('2026-03-01')).toBe('2026-02');
    expect(previousMonth('2026-03-31')).toBe('2026-02');
    expect(previousMonth('2026-01-15')).toBe('2025-12');
    expect(previousMonth('2026-12')).toBe('2026-11');
  });

  it('knows the last day of each month, leap years included', () => {
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
    expect(lastDayOfMonth('2026-02')).toBe('2026-02-28');
    expect(lastDayOfMonth('2100-02')).toBe('2100-02-28');
    expect(lastDayOfMonth('2026-11')).toBe('2026-11-30');
    expect(lastDayOfMonth('2026-12')).toBe('2026-12-31');
  });
});
