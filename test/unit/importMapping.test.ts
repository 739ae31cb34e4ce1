import { describe, expect, it } from 'vitest';
import { DEFAULT_STAGE_LIST } from '../../domain/projectStages.ts';
import { kindOf, convertLevel, convertStage, moneyToWan, areaToSquareMetres, convertBoolean, convertDate, convertLandUse, convertNumber, convertStatus, mappingSignature, proposeMapping } from '../../domain/importMapping.ts';

describe('proposing a field mapping', () => {
  it('maps Chinese, pinyin-initial and English column names, with the area unit from the name', () => {
    const m = proposeMapping(['地块编号', '用地性质', '面积(亩)', '出让时间', '备注']);
    expect(m.fields).toEqual({ code: '地块编号', land_use_code: '用地性质', registered_area: '面积(亩)', supplied_date: '出让时间' });
    expect(m.areaUnit).toBe('mu');
    expect(proposeMapping(['DKBH', 'YDXZ', 'MJ', 'CRSJ']).fields).toEqual({ code: 'DKBH', land_use_code: 'YDXZ', registered_area: 'MJ', supplied_date: 'CRSJ' });
    expect(proposeMapping(['code', 'land_use', 'status', 'area_ha']).fields).toMatchObject({ code: 'code', land_use_code: 'land_use', status: 'status' });
    expect(proposeMapping(['宗地号', '出让价款（万元）', '约定开工日期']).fields).toEqual({ code: '宗地号', land_price_wan: '出让价款（万元）', agreed_start_date: '约定开工日期' });
  });
  it('reads a table with a credit-code column as enterprises, anything with geometry as parcels', () => {
    const columns = ['统一社会信用代码', '企业名称', '年份', '工业总产值（万元）', '实缴税金', '年平均从业人员'];
    expect(kindOf(columns, false)).toBe('enterprises');
    expect(kindOf(columns, true)).toBe('parcels');
    expect(kindOf(['地块编号', '出让价款'], false)).toBe('parcels');
    expect(proposeMapping(columns, null, 'enterprises')).toEqual({
      kind: 'enterprises',
      fields: { credit_code: '统一社会信用代码', name: '企业名称', year: '年份', output_wan: '工业总产值（万元）', tax_wan: '实缴税金', employees: '年平均从业人员' },
      areaUnit: 'm2',
      landUseStandard: 'auto',
    });
  });
  it('reads points and project tables as projects, polygons or tables with a level and no parcel code as zones', () => {
    expect(kindOf(['名称', '阶段'], 'point')).toBe('projects');
    expect(kindOf(['项目名称', '园区代码', '总投资（亿元）'], null)).toBe('projects');
    expect(kindOf(['项目名称', '统一社会信用代码'], null)).toBe('projects');
    expect(kindOf(['园区代码', '园区名称', '级别', '所在市'], 'polygon')).toBe('zones');
    expect(kindOf(['园区代码', '级别'], null)).toBe('zones');
    expect(kindOf(['地块编号', '园区代码', '级别'], 'polygon')).toBe('parcels');
    const m = proposeMapping(['项目名称', '所在园区', '项目阶段', '签约日期', '总投资（亿元）', '累计完成投资（亿元）', '用地面积（亩）', '计划开工时间'], null, 'projects');
    expect(m).toEqual({
      kind: 'projects',
      moneyUnit: 'yi',
      fields: { name: '项目名称', zone: '所在园区', stage: '项目阶段', signed_date: '签约日期', total_investment_wan: '总投资（亿元）', completed_investment_wan: '累计完成投资（亿元）', land_area_mu: '用地面积（亩）', plan_started_date: '计划开工时间' },
      areaUnit: 'm2',
      landUseStandard: 'auto',
    });
    expect(proposeMapping(['项目名称', '总投资'], null, 'projects').moneyUnit).toBe('wan');
    // Shapefile field names cut at 10 bytes of UTF-8 still find their field; short ASCII names are not guessed at.
    expect(proposeMapping(['园区代', '园区名', '级别', '所在市'], null, 'zones').fields).toEqual({ code: '园区代', name: '园区名', level: '级别', city: '所在市' });
    expect(proposeMapping(['co'], null, 'zones').fields).toEqual({});
  });
  it('converts zone levels, project stages (Chinese, English, keys) and 亿元', () => {
    expect(convertLevel('国家级')).toEqual({ value: 'national' });
    expect(convertLevel('Provincial')).toEqual({ value: 'provincial' });
    expect(convertLevel('')).toEqual({ value: null });
    expect(convertLevel('市级')).toHaveProperty('error');
    expect(convertStage('签约', DEFAULT_STAGE_LIST)).toEqual({ value: 'signed' });
    expect(convertStage('开工阶段', DEFAULT_STAGE_LIST)).toEqual({ value: 'started' });
    expect(convertStage('at_capacity', DEFAULT_STAGE_LIST)).toEqual({ value: 'at_capacity' });
    expect(convertStage(DEFAULT_STAGE_LIST[4].en.toUpperCase(), DEFAULT_STAGE_LIST)).toEqual({ value: DEFAULT_STAGE_LIST[4].key });
    expect(convertStage('招商', DEFAULT_STAGE_LIST)).toHaveProperty('error');
    expect(moneyToWan(12.5, 'yi')).toBe(125000);
    expect(moneyToWan(12.5, 'wan')).toBe(12.5);
  });
  it('reuses a saved mapping when its columns are all there', () => {
    const saved = { fields: { code: 'A', land_use_code: 'B' }, areaUnit: 'ha' as const, landUseStandard: 'GB 50137-2011' as const };
    expect(proposeMapping(['A', 'B', 'C'], saved)).toBe(saved);
    expect(proposeMapping(['A', 'X'], saved).fields).toEqual({});
    expect(mappingSignature(['b', 'a'])).toBe(mappingSignature(['a', 'b']));
  });
});

describe('converting cells', () => {
  it('reads numbers with thousands separators and decimal commas', () => {
    expect(convertNumber('1,234.5')).toEqual({ value: 1234.5 });
    expect(convertNumber('12 000')).toEqual({ value: 12000 });
    expect(convertNumber('1234,5')).toEqual({ value: 1234.5 });
    expect(convertNumber('')).toEqual({ value: null });
    expect(convertNumber('12万')).toHaveProperty('error');
    expect(convertNumber(Number.NaN)).toHaveProperty('error');
  });
  it('reads dates as Chinese offices write them, and refuses impossible ones', () => {
    for (const v of ['2023-05-01', '2023/5/1', '2023.5.1', '2023年5月1日', '20230501', '2023-05-01T00:00:00.000Z', 45047]) {
      expect(convertDate(v), String(v)).toEqual({ value: '2023-05-01' });
    }
    expect(convertDate('2023-02-30')).toHaveProperty('error');
    expect(convertDate('明年')).toHaveProperty('error');
  });
  it('reads statuses and yes/no', () => {
    expect(convertStatus('已供应')).toEqual({ value: 'supplied' });
    expect(convertStatus('Producing')).toEqual({ value: 'producing' });
    expect(convertStatus('卖掉了')).toHaveProperty('error');
    expect(convertBoolean('是')).toEqual({ value: true });
    expect(convertBoolean('否')).toEqual({ value: false });
  });
  it('converts areas: 1 亩 = 666.67 m², 1 ha = 10 000 m²', () => {
    expect(areaToSquareMetres(15, 'mu')).toBe(10000);
    expect(areaToSquareMetres(1.5, 'ha')).toBe(15000);
    expect(areaToSquareMetres(7, 'm2')).toBe(7);
  });
  it('maps land-use codes of the older classifications through the crosswalk', () => {
    expect(convertLandUse('100102', 'auto')).toEqual({ value: { code: '100102', via: null } });
    expect(convertLandUse('M2', 'auto')).toEqual({ value: { code: '100102', via: 'GB 50137-2011 M2 → 100102' } });
    expect(convertLandUse('W1 一类物流仓储用地', 'auto')).toEqual({ value: { code: '1101', via: 'GB 50137-2011 W1 → 1101' } });
    expect(convertLandUse('0601', 'auto')).toEqual({ value: { code: '1001', via: 'GB/T 21010-2017 0601 → 1001' } });
    expect(convertLandUse('0508', 'auto')).toEqual({ value: { code: '1101', via: 'GB/T 21010-2017 0508 → 1101' } });
    // 10 is 工矿 in 2023 but 交通运输 in GB/T 21010: the standard decides.
    expect(convertLandUse('10', 'auto')).toEqual({ value: { code: '10', via: null } });
    expect(convertLandUse('10', 'GB/T 21010-2017')).toEqual({ value: { code: '12', via: 'GB/T 21010-2017 10 → 12' } });
    expect(convertLandUse('二类工业用地', 'auto')).toEqual({ value: { code: '100102', via: '二类工业用地 → 100102' } });
    expect(convertLandUse('Z9', 'auto')).toHaveProperty('error');
  });
});
