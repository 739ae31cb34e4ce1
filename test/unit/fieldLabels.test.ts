import { afterEach, describe, expect, it } from 'vitest';
import { actionLabel, auditValue, entityLabel, fieldLabel, hasFieldLabel } from '../../domain/fieldLabels.ts';
import { AUDIT_ENTITIES } from '../../domain/auditEntities.ts';
import { DEFAULT_TIME_ZONE, dateTimeInZone, setAppTimeZone } from '../../domain/dates.ts';

describe('field names in the history and the audit log', () => {
  it('uses the edit forms’ words in both languages', () => {
    expect(fieldLabel('land_use_code', 'zh')).toBe('用地性质');
    expect(fieldLabel('land_use_code', 'en')).toBe('Land use');
    expect(fieldLabel('min_investment_intensity_wan_per_mu', 'zh')).toBe('投资强度下限（万元/亩）');
    expect(fieldLabel('agreed_start_date', 'en')).toBe('Agreed start');
    expect(fieldLabel('investor_name', 'zh')).toBe('投资方');
  });

  it('names an ambiguous column after the kind of record', () => {
    expect(fieldLabel('name', 'zh', 'tour')).toBe('观摩名称');
    expect(fieldLabel('name', 'en', 'project')).toBe('Project name');
    expect(fieldLabel('name', 'zh', 'parcel')).toBe('名称');
    expect(fieldLabel('leader', 'zh', 'industry_chain')).toBe('链长');
    expect(fieldLabel('leader', 'zh', 'lead')).toBe('包联领导');
  });

  it('shows an unknown field as it is, so that nothing is hidden', () => {
    expect(fieldLabel('some_new_column', 'zh')).toBe('some_new_column');
    expect(hasFieldLabel('some_new_column')).toBe(false);
    expect(hasFieldLabel('status')).toBe(true);
  });

  it('names every kind of record and the actions', () => {
    for (const e of AUDIT_ENTITIES) {
      expect(entityLabel(e, 'zh')).toMatch(/[\u4e00-\u9fff]/);
      expect(entityLabel(e, 'en')).toMatch(/^[A-Z][A-Za-z' ]+$/);
    }
    expect(entityLabel('parcel', 'zh')).toBe('地块');
    expect(actionLabel('update', 'zh')).toBe('修改');
    expect(actionLabel('status_closed', 'en')).toBe('closed');
    expect(actionLabel('mystery', 'en')).toBe('mystery');
  });
});

describe('values in the history', () => {
  it('says yes and no, reads instants in Beijing time, and leaves dates and numbers as they are', () => {
    expect(auditValue(true, 'zh')).toBe('是');
    expect(auditValue(false, 'en')).toBe('no');
    expect(auditValue('2026-11-28T18:39:40.291+00:00', 'zh')).toBe('2026-11-29 02:39');
    expect(auditValue('2026-11-28', 'en')).toBe('2026-11-28');
    expect(auditValue(null, 'zh')).toBe('—');
    expect(auditValue(12.5, 'en')).toBe('12.5');
    expect(auditValue([1, 2], 'en')).toBe('[1,2]');
  });
});

describe('audit times in China’s time zone', () => {
  afterEach(() => setAppTimeZone(DEFAULT_TIME_ZONE));

  it('reads a UTC instant as Beijing time, YYYY-MM-DD HH:mm', () => {
    // 16:30 UTC is 00:30 the next day in Beijing (UTC+8).
    expect(dateTimeInZone('2026-11-27T16:30:00Z')).toBe('2026-11-28 00:30');
    expect(dateTimeInZone(new Date('2026-11-28T03:05:59Z'))).toBe('2026-11-28 11:05');
    // Midnight is 00, not 24.
    expect(dateTimeInZone('2026-11-27T16:00:00.000+00:00')).toBe('2026-11-28 00:00');
  });

  it('follows the configured zone, and says — for nonsense', () => {
    setAppTimeZone('Europe/London');
    expect(dateTimeInZone('2026-07-01T16:30:00Z')).toBe('2026-07-01 17:30');
    expect(dateTimeInZone('not a time')).toBe('—');
  });
});
