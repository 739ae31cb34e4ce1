/** Reading a 在谈项目台账: dates as sheets hold them, Chinese headers and stages, all-or-nothing row errors. */
import { describe, expect, it } from 'vitest';
import { excelSerialToIso, parseSheetDate, readLeadSheet } from '../../domain/leadImport.ts';

describe('dates as sheets hold them', () => {
  it('reads 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日 and 20260305 as the same day', () => {
    for (const t of ['2026-03-05', '2026/3/5', '2026.3.5', '2026年3月5日', ' 2026/03/05 ', '20260305', '2026-03-05 00:00:00'])
      expect(parseSheetDate(t), t).toBe('2026-03-05');
  });
  it('reads Excel serial numbers: 45658 is 2025-01-01, so 2026-03-05 is 45658 + 365 + 31 + 28 + 4 = 46086', () => {
    expect(excelSerialToIso(45658)).toBe('2025-01-01');
    expect(parseSheetDate('46086')).toBe('2026-03-05');
  });
  it('refuses what is not a day', () => {
    for (const t of ['2026-02-30', '2026/13/1', '3/5/2026', '下周', '1850-01-01', '12']) expect(parseSheetDate(t), t).toBeNull();
  });
});

describe('a lead list', () => {
  const zoneIdOf = (t: string) => ({ 大同经济技术开发区: 7, 'SX-DTJK': 7 })[t] ?? null;
  const header = ['投资方名称', '项目名称', '所属园区', '登记日期', '进展阶段', '阶段日期', '计划总投资（亿元）', '招商方式'];
  it('maps Chinese headers, stage names and 亿元 to leads', () => {
    const read = readLeadSheet(
      [
        { line: 1, cells: header },
        { line: 2, cells: ['深圳某储能公司', '储能电池项目', '大同经济技术开发区', '2026/3/5', '在谈', '2026.4.1', '12.5', '链主引荐'] },
        { line: 3, cells: ['', '', '', '', '', '', '', ''] },
        { line: 4, cells: ['北京某数据公司', '数据中心', 'SX-DTJK', '46086', '', '', '', ''] },
      ],
      zoneIdOf,
      '2026-11-28',
    );
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.rows).toHaveLength(2);
    // 12.5 亿元 = 125,000 万元; 在谈 = 洽谈 dated by the stage date.
    expect(read.rows[0]).toMatchObject({
      line: 2,
      zone_id: 7,
      planned_investment_wan: 125_000,
      stage: 'negotiation',
      stage_dates: { lead: '2026-03-05', negotiation: '2026-04-01' },
      source: 'chain_owner',
    });
    expect(read.rows[1]).toMatchObject({ line: 4, stage: 'lead', stage_dates: { lead: '2026-03-05' }, source: 'other', planned_investment_wan: null });
  });
  it('lists every bad row and writes none', () => {
    const read = readLeadSheet(
      [
        { line: 1, cells: header },
        { line: 2, cells: ['甲公司', '甲项目', '不存在的园区', '2026-03-05', '洽谈', '', '', ''] },
        { line: 3, cells: ['乙公司', '乙项目', '大同经济技术开发区', '2026-02-30', '谈判中', '', 'x', ''] },
        { line: 4, cells: ['丙公司', '丙项目', '大同经济技术开发区', '2026-03-05', '签约', '', '', ''] },
        { line: 5, cells: ['丁公司', '丁项目', '大同经济技术开发区', '2026-03-05', '考察', '2026-03-01', '', ''] },
      ],
      zoneIdOf,
      '2026-11-28',
    );
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect([...new Set(read.errors.map((e) => e.line))]).toEqual([2, 3, 4, 5]);
    expect(read.errors.find((e) => e.line === 2)!.message_zh).toBe('没有名为“不存在的园区”的开发区');
    expect(read.errors.filter((e) => e.line === 3).map((e) => e.message_zh)).toEqual([
      '线索日期“2026-02-30”不是有效日期（如 2026-03-05、2026/3/5、2026.3.5）',
      '计划投资（亿元）“x”不是有效数字',
      '阶段“谈判中”无法识别（线索、初步接洽、考察、洽谈、意向/框架协议）',
    ]);
    expect(read.errors.find((e) => e.line === 5)!.message_zh).toBe('考察日期（2026-03-01）不能早于线索日期（2026-03-05）。');
  });
  it('says which columns the header lacks', () => {
    const read = readLeadSheet([{ line: 1, cells: ['项目名称', '开发区'] }], zoneIdOf, '2026-11-28');
    expect(read).toEqual({ ok: false, errors: [{ line: 1, message: expect.stringContaining('investor_name'), message_zh: '表头缺少：投资方、线索日期' }] });
  });
});
