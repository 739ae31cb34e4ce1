/**
 * Extensions of the agreed start date (《闲置土地处置办法》 Art. 8 / 12): the idle rule counts from the
 * extension in force on the date judged; what may be recorded. Every expected date and count is worked out
 * by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { suppliedParcel } from '../helpers/idleParcel.ts';
import { assessIdleLand, extensionInForce } from '../../domain/idleLand.ts';
import { checkExtensionInput, normaliseExtensionInput, type ExtensionContext } from '../../domain/startExtensions.ts';

const parcel = suppliedParcel;

describe('the idle rule with extensions', () => {
  // Agreed start 2023-06-01 → idle from 2024-06-01. Extended (signed 2024-03-01) to 2024-05-01 → idle from 2025-05-01.
  const extended = parcel({ extensions: [{ start_date: '2024-05-01', signed_on: '2024-03-01' }] });

  it('a parcel idle on its original date is within its extended one', () => {
    expect(assessIdleLand(parcel(), '2024-08-01')).toMatchObject({ state: 'idle', idleFrom: '2024-06-01', daysIdle: 61, extendedTo: null });
    // 2024-08-01 → 2025-05-01: 31+30+31+30+31+31+28+31+30 = 273 days; not within the 90-day window.
    expect(assessIdleLand(extended, '2024-08-01')).toMatchObject({
      state: 'fine',
      rule: 1,
      idleFrom: '2025-05-01',
      daysLeft: 273,
      extendedTo: '2024-05-01',
      feeWan: null,
    });
  });

  it('counts down from the extended date and is idle on its anniversary', () => {
    expect(assessIdleLand(extended, '2025-04-30')).toMatchObject({ state: 'at_risk', daysLeft: 1, idleFrom: '2025-05-01' });
    expect(assessIdleLand(extended, '2025-05-01')).toMatchObject({ state: 'idle', daysIdle: 0, stage: 'fee', feeWan: 100 });
    expect(assessIdleLand(extended, '2026-05-01')).toMatchObject({ state: 'idle', daysIdle: 365, stage: 'take_back' });
  });

  it('ignores an agreement signed after the date judged: history does not change', () => {
    // As of 2024-02-29 the agreement (2024-03-01) did not exist yet: the original clock runs (93 days to 2024-06-01 → fine).
    expect(assessIdleLand(extended, '2024-02-29')).toMatchObject({ state: 'fine', idleFrom: '2024-06-01', daysLeft: 93, extendedTo: null });
    expect(assessIdleLand(extended, '2024-03-01')).toMatchObject({ extendedTo: '2024-05-01', idleFrom: '2025-05-01' });
  });

  it('an extension signed after the parcel was already idle takes it out of idle from the signing day on', () => {
    // Idle since 2024-06-01; on 2024-09-10 the bureau finds the delay was the government's and extends to 2024-12-01.
    const late = parcel({ extensions: [{ start_date: '2024-12-01', signed_on: '2024-09-10' }] });
    expect(assessIdleLand(late, '2024-09-09')).toMatchObject({ state: 'idle', idleFrom: '2024-06-01', daysIdle: 100, feeWan: 100 });
    // 2024-09-10 → 2025-12-01: 365 (to 2025-09-10) + 20 + 31 + 30 + 1 = 447 days.
    expect(assessIdleLand(late, '2024-09-10')).toMatchObject({ state: 'fine', idleFrom: '2025-12-01', daysLeft: 447, stage: null, feeWan: null });
  });

  it('the latest agreement in force applies, whatever order they come in', () => {
    const two = parcel({
      extensions: [
        { start_date: '2025-03-01', signed_on: '2024-11-01' },
        { start_date: '2024-05-01', signed_on: '2024-03-01' },
      ],
    });
    expect(assessIdleLand(two, '2024-10-31')).toMatchObject({ extendedTo: '2024-05-01', idleFrom: '2025-05-01' });
    expect(assessIdleLand(two, '2024-11-01')).toMatchObject({ extendedTo: '2025-03-01', idleFrom: '2026-03-01' });
    expect(extensionInForce(two.extensions, '2024-02-28')).toBeNull();
  });

  it('leap days: an extension to 29 February is idle on 28 February of the next year', () => {
    const leap = parcel({ agreed_start_date: '2027-06-01', supplied_date: '2027-01-10', extensions: [{ start_date: '2028-02-29', signed_on: '2027-12-15' }] });
    expect(assessIdleLand(leap, '2029-02-27')).toMatchObject({ state: 'at_risk', idleFrom: '2029-02-28', daysLeft: 1 });
    expect(assessIdleLand(leap, '2029-02-28')).toMatchObject({ state: 'idle', daysIdle: 0 });
    // An agreement signed on 29 February is not in force on the 28th.
    const signedOnLeapDay = parcel({ extensions: [{ start_date: '2024-05-01', signed_on: '2024-02-29' }] });
    expect(assessIdleLand(signedOnLeapDay, '2024-02-28').extendedTo).toBeNull();
    expect(assessIdleLand(signedOnLeapDay, '2024-02-29').extendedTo).toBe('2024-05-01');
  });

  it('does not touch rule 2: a started parcel is judged on its stopped work', () => {
    const startedStopped = parcel({
      status: 'started',
      started_date: '2023-07-01',
      developed_area_m2: 5000,
      work_stopped_since: '2024-03-01',
      extensions: [{ start_date: '2024-05-01', signed_on: '2024-03-01' }],
    });
    expect(assessIdleLand(startedStopped, '2025-03-01')).toMatchObject({ state: 'idle', rule: 2, idleFrom: '2025-03-01' });
  });
});

describe('what an extension may be', () => {
  const ctx: ExtensionContext = { supplied_date: '2023-01-10', started_date: null, agreed_start_date: '2023-06-01', latest: null, today: '2024-09-10' };
  const good = { start_date: '2024-05-01', signed_on: '2024-03-01', reason: 'planning_change', document_no: ' 晋国土补〔2024〕12号 ', note: '' };
  const fields = (body: Record<string, unknown>, c: ExtensionContext = ctx) => checkExtensionInput(body, c).map((p) => p.field);

  it('accepts a proper agreement and stores it trimmed', () => {
    expect(checkExtensionInput(good, ctx)).toEqual([]);
    expect(normaliseExtensionInput(good)).toEqual({
      start_date: '2024-05-01',
      signed_on: '2024-03-01',
      reason: 'planning_change',
      document_no: '晋国土补〔2024〕12号',
      note: null,
    });
  });
  it('refuses a date that does not move the start later', () => {
    expect(fields({ ...good, start_date: '2023-06-01' })).toEqual(['start_date']);
    const after = { ...ctx, latest: { start_date: '2024-05-01', signed_on: '2024-03-01' } };
    const p = checkExtensionInput({ ...good, start_date: '2024-04-30', signed_on: '2024-04-01' }, after);
    expect(p.map((x) => x.field)).toEqual(['start_date']);
    expect(p[0].zh).toMatch(/须晚于现行约定动工日期（2024-05-01）/);
    expect(p[0].en).toMatch(/cannot move it earlier/);
  });
  it('refuses impossible and future dates, and agreements out of order', () => {
    expect(fields({ ...good, start_date: '2025-02-29' })).toEqual(['start_date']);
    expect(fields({ ...good, signed_on: '2024-09-11', start_date: '2024-12-01' })).toEqual(['signed_on']); // tomorrow
    expect(fields({ ...good, signed_on: '2023-01-09' })).toEqual(['signed_on']); // before supply
    expect(fields({ ...good, signed_on: '2024-02-01' }, { ...ctx, latest: { start_date: '2024-01-01', signed_on: '2024-02-02' } })).toEqual(['signed_on']);
    expect(fields({ ...good, start_date: '2024-02-01' })).toEqual(['start_date']); // before the signing day
  });
  it('extends by at most one year beyond the later of the date in force and the signing day (Art. 12)', () => {
    // In force 2023-06-01, signed 2024-03-01: the later is 2024-03-01, so 2025-03-01 at the latest.
    expect(fields({ ...good, start_date: '2025-03-01' })).toEqual([]);
    expect(fields({ ...good, start_date: '2025-03-02' })).toEqual(['start_date']);
    // Leap day: signed 2024-02-29 → 2025-02-28 at the latest.
    expect(fields({ ...good, signed_on: '2024-02-29', start_date: '2025-02-28' })).toEqual([]);
    expect(fields({ ...good, signed_on: '2024-02-29', start_date: '2025-03-01' })).toEqual(['start_date']);
  });
  it('needs an Art. 8 reason, a document number, and a note for "other acts"', () => {
    expect(fields({ ...good, reason: 'investor_short_of_money' })).toEqual(['reason']);
    expect(fields({ ...good, document_no: '  ' })).toEqual(['document_no']);
    expect(fields({ ...good, document_no: 'a\nb' })).toEqual(['document_no']);
    expect(fields({ ...good, reason: 'other_government' })).toEqual(['note']);
    expect(fields({ ...good, reason: 'other_government', note: '高压线迁改未完成' })).toEqual([]);
    expect(fields({ ...good, note: 'x'.repeat(501) })).toEqual(['note']);
  });
  it('refuses parcels with nothing to extend', () => {
    expect(fields(good, { ...ctx, agreed_start_date: null })).toEqual(['start_date']);
    expect(checkExtensionInput(good, { ...ctx, started_date: '2024-01-05' })[0].zh).toMatch(/已于 2024-01-05 动工/);
  });
});
