import { describe, expect, it } from 'vitest';
import { suppliedParcel } from '../helpers/idleParcel.ts';
import {
  addDays,
  addYears,
  assessIdleLand,
  compareUrgency,
  daysBetween,
  idleRatio,
  latestClockStartWithin,
  type IdleLandInput,
} from '../../domain/idleLand.ts';

const supplied = suppliedParcel;
const started = (over: Partial<IdleLandInput> = {}) =>
  supplied({ status: 'started', started_date: '2023-07-01', developed_area_m2: 5000, invested_wan: 1000, work_stopped_since: '2024-03-01', ...over });

describe('dates', () => {
  it('counts days and calendar years', () => {
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366); // leap year
    expect(addYears('2023-06-01', 1)).toBe('2024-06-01');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
  });
});

describe('rule 1: not started a year after the agreed start date', () => {
  it('is idle on the first anniversary exactly', () => {
    const a = assessIdleLand(supplied(), '2024-06-01');
    expect(a).toMatchObject({ state: 'idle', rule: 1, idleFrom: '2024-06-01', daysIdle: 0, stage: 'fee', feeWan: 100 });
  });
  it('is at risk the day before, with one day left', () => {
    expect(assessIdleLand(supplied(), '2024-05-31')).toMatchObject({ state: 'at_risk', rule: 1, daysLeft: 1, stage: null, feeWan: null });
  });
  it('counts down but is not yet at risk more than 90 days before', () => {
    // 2024-03-02 → 2024-06-01 is 91 days.
    expect(assessIdleLand(supplied(), '2024-03-02')).toMatchObject({ state: 'fine', daysLeft: 91 });
    expect(assessIdleLand(supplied(), '2024-03-03')).toMatchObject({ state: 'at_risk', daysLeft: 90 });
  });
  it('reaches the take-back stage after two years', () => {
    expect(assessIdleLand(supplied(), '2025-05-31')).toMatchObject({ state: 'idle', stage: 'fee', daysIdle: 364 });
    expect(assessIdleLand(supplied(), '2025-06-01')).toMatchObject({ state: 'idle', stage: 'take_back', daysIdle: 365 });
  });
  it('cannot count without an agreed start date', () => {
    expect(assessIdleLand(supplied({ agreed_start_date: null }), '2026-01-01').state).toBe('no_agreed_date');
  });
  it('runs a long countdown when the agreed date is in the future', () => {
    expect(assessIdleLand(supplied({ agreed_start_date: '2027-01-01' }), '2026-01-01')).toMatchObject({ state: 'fine', daysLeft: 730 });
  });
  it('ignores a start that happens after the as-of date', () => {
    expect(assessIdleLand(supplied({ started_date: '2024-08-01', status: 'started' }), '2024-07-01').state).toBe('idle');
    expect(assessIdleLand(supplied({ started_date: '2024-08-01', status: 'started' }), '2024-08-01').state).toBe('fine');
  });
  it('does not judge land that is not supplied (yet)', () => {
    expect(assessIdleLand(supplied({ status: 'available', supplied_date: null }), '2026-01-01').state).toBe('not_supplied');
    expect(assessIdleLand(supplied({ supplied_date: '2026-02-01' }), '2026-01-01').state).toBe('not_supplied');
  });
});

describe('rule 2: started, too little done, stopped a year', () => {
  it('is idle when under 1/3 developed and stopped exactly a year', () => {
    // 5,000 of 30,000 m² = 16.7 % developed; 1,000 of 10,000 万元 = 10 % invested.
    expect(assessIdleLand(started(), '2025-03-01')).toMatchObject({ state: 'idle', rule: 2, idleFrom: '2025-03-01', daysStopped: 365, stage: 'fee' });
  });
  it('is at risk when stopped 364 days', () => {
    expect(assessIdleLand(started(), '2025-02-28')).toMatchObject({ state: 'at_risk', rule: 2, daysLeft: 1, daysStopped: 364 });
  });
  it('uses "under": exactly 1/3 developed and exactly 25 % invested is not idle', () => {
    expect(assessIdleLand(started({ developed_area_m2: 10000, invested_wan: 2500 }), '2026-01-01').state).toBe('fine');
  });
  it('is idle when either share is under its threshold', () => {
    expect(assessIdleLand(started({ developed_area_m2: 9999, invested_wan: 2500 }), '2026-01-01').state).toBe('idle');
    expect(assessIdleLand(started({ developed_area_m2: 10000, invested_wan: 2499 }), '2026-01-01').state).toBe('idle');
  });
  it('is fine while work goes on, however little is done', () => {
    expect(assessIdleLand(started({ work_stopped_since: null }), '2026-01-01')).toMatchObject({ state: 'fine', rule: null });
  });
  it('is fine for built parcels', () => {
    expect(assessIdleLand(started({ status: 'producing', developed_area_m2: 30000, invested_wan: 12000 }), '2026-01-01').state).toBe('fine');
  });
});

describe('ratio and order', () => {
  it('gives the idle ratio, and no ratio without supplied land', () => {
    expect(idleRatio(25, 200)).toBe(0.125);
    expect(idleRatio(0, 0)).toBeNull();
  });
  it('sorts by urgency: longest idle first, then shortest countdown', () => {
    const list = [
      assessIdleLand(supplied(), '2024-05-01'), // at risk, 31 days left
      assessIdleLand(supplied({ agreed_start_date: '2022-01-01' }), '2024-05-01'), // idle since 2023-01-01
      assessIdleLand(supplied(), '2024-05-20'), // at risk, 12 days left
      assessIdleLand(supplied({ agreed_start_date: '2023-02-01' }), '2024-05-01'), // idle since 2024-02-01
    ];
    const sorted = [...list].sort(compareUrgency);
    expect(sorted.map((a) => [a.state, a.daysIdle ?? a.daysLeft])).toEqual([
      ['idle', 486],
      ['idle', 90],
      ['at_risk', 12],
      ['at_risk', 31],
    ]);
  });
});

describe('latestClockStartWithin (the SQL pre-selection of the idle-land report)', () => {
  it('never leaves out a clock that makes a parcel idle within the horizon, leap days included', () => {
    for (const asOf of ['2024-02-28', '2024-02-29', '2025-02-28', '2025-03-01', '2026-10-31']) {
      for (const horizon of [0, 90, 400]) {
        const limit = latestClockStartWithin(asOf, horizon);
        const target = addDays(asOf, horizon);
        // Every start date whose first anniversary falls by the target date is on or before the limit.
        for (let d = -800; d <= 10; d++) {
          const start = addDays(asOf, d);
          if (addYears(start, 1) <= target) expect(start <= limit, `${asOf} +${horizon}: ${start}`).toBe(true);
        }
      }
    }
  });

  it('is the as-of date plus the horizon less 365 days', () => {
    expect(latestClockStartWithin('2026-10-31', 90)).toBe('2026-01-29');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
});

describe('addYears across the Gregorian leap rules', () => {
  it('keeps 29 February only in leap years (2000 is one, 1900 and 2100 are not)', () => {
    expect(addYears('1996-02-29', 4)).toBe('2000-02-29');
    expect(addYears('1896-02-29', 4)).toBe('1900-02-28');
    expect(addYears('2096-02-29', 4)).toBe('2100-02-28');
    expect(addYears('2024-02-29', -1)).toBe('2023-02-28');
    expect(addYears('2023-12-31', 1)).toBe('2024-12-31');
  });
});
