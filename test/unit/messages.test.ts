import { describe, expect, it } from 'vitest';
import { checkParcelField, checkParcelRecord } from '../../domain/parcelFields.ts';
import { checkProjectRecord } from '../../domain/projectFields.ts';
import { errorText } from '../../client/src/lib/errorText.ts';

describe('messages in both languages', () => {
  it('gives field errors in English and Chinese', () => {
    expect(checkParcelField('land_price_wan', -1)).toEqual({ en: 'Must be between 0 and 100000000.', zh: '必须在 0 到 100000000 之间。' });
    const [e] = checkParcelRecord({ status: 'supplied', supplied_date: null, reserve_date: '2024-01-01' });
    expect(e).toMatchObject({ field: 'supplied_date', message_zh: '状态为“已供应”时须填写其日期。' });
    const [p] = checkProjectRecord({ stage: 'started', started_date: '2024-01-01', signed_date: '2024-05-01' });
    expect(p.message_zh).toBe('此日期早于前一阶段（2024-05-01）：各阶段日期须依次排列。');
  });

  it('tells known server errors in Chinese from their details, and keeps English for English readers', () => {
    const overlaps = { code: 'overlaps', message: 'The parcel overlaps A-1 (12.0 m²).', details: { overlaps: [{ id: 1, code: 'A-1', overlap_m2: 12 }] } };
    expect(errorText(overlaps, 'zh')).toBe('与 A-1（12.0 m²） 重叠。请调整，或确认接受重叠后保存。');
    expect(errorText(overlaps, 'en')).toBe('The parcel overlaps A-1 (12.0 m²).');
    expect(errorText({ code: 'forbidden', message: 'You may edit only the zones you are assigned to.' }, 'zh')).toBe('您只能编辑分配给您的园区。');
    expect(errorText({ code: 'something_new', message: 'As sent' }, 'zh')).toBe('As sent');
  });
});
