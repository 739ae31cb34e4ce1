import { describe, expect, it } from 'vitest';
import { DEFAULT_STAGE_LIST } from '../../domain/projectStages.ts';
import {
  IMPORT_TARGETS,
  kindOf,
  checkWholeFileValue,
  convertLevel,
  convertStage,
  moneyToWan,
  areaToSquareMetres,
  convertBoolean,
  convertDate,
  convertLandUse,
  convertNumber,
  convertStatus,
  landUseAlsoOldMessage,
  landUseColumnFacts,
  landUseMappedMessage,
  mappingSignature,
  proposeMapping,
  type LandUseResult,
} from '../../domain/importMapping.ts';

describe('proposing a field mapping', () => {
  it('maps Chinese, pinyin-initial and English column names, with the area unit from the name', () => {
    const m = proposeMapping(['地块编号', '用地性质', '面积(亩)', '出让时间', '备注']);
    expect(m.fields).toEqual({ code: '地块编号', land_use_code: '用地性质', registered_area: '面积(亩)', supplied_date: '出让时间' });
    expect(m.areaUnit).toBe('mu');
    expect(proposeMapping(['DKBH', 'YDXZ', 'MJ', 'CRSJ']).fields).toEqual({
      code: 'DKBH',
      land_use_code: 'YDXZ',
      registered_area: 'MJ',
      supplied_date: 'CRSJ',
    });
    expect(proposeMapping(['code', 'land_use', 'status', 'area_ha']).fields).toMatchObject({ code: 'code', land_use_code: 'land_use', status: 'status' });
    expect(proposeMapping(['宗地号', '出让价款（万元）', '约定开工日期']).fields).toEqual({
      code: '宗地号',
      land_price_wan: '出让价款（万元）',
      agreed_start_date: '约定开工日期',
    });
  });
  it('reads a table with a credit-code column as enterprises, anything with geometry as parcels', () => {
    const columns = ['统一社会信用代码', '企业名称', '年份', '工业总产值（万元）', '实缴税金', '年平均从业人员'];
    expect(kindOf(columns, false)).toBe('enterprises');
    expect(kindOf(columns, true)).toBe('parcels');
    expect(kindOf(['地块编号', '出让价款'], false)).toBe('parcels');
    expect(proposeMapping(columns, null, 'enterprises')).toEqual({
      kind: 'enterprises',
      fields: {
        credit_code: '统一社会信用代码',
        name: '企业名称',
        year: '年份',
        output_wan: '工业总产值（万元）',
        tax_wan: '实缴税金',
        employees: '年平均从业人员',
      },
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
    const m = proposeMapping(
      ['项目名称', '所在园区', '项目阶段', '签约日期', '总投资（亿元）', '累计完成投资（亿元）', '用地面积（亩）', '计划开工时间'],
      null,
      'projects',
    );
    expect(m).toEqual({
      kind: 'projects',
      moneyUnit: 'yi',
      fields: {
        name: '项目名称',
        zone: '所在园区',
        stage: '项目阶段',
        signed_date: '签约日期',
        total_investment_wan: '总投资（亿元）',
        completed_investment_wan: '累计完成投资（亿元）',
        land_area_mu: '用地面积（亩）',
        plan_started_date: '计划开工时间',
      },
      areaUnit: 'm2',
      landUseStandard: 'auto',
    });
    expect(proposeMapping(['项目名称', '总投资'], null, 'projects').moneyUnit).toBe('wan');
    // Shapefile field names cut at 10 bytes of UTF-8 still find their field; short ASCII names are not guessed at.
    expect(proposeMapping(['园区代', '园区名', '级别', '所在市'], null, 'zones').fields).toEqual({
      code: '园区代',
      name: '园区名',
      level: '级别',
      city: '所在市',
    });
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
  it('proposes the standard land-use fields (YDYHFLDM, DLBM, a name column when there is no code) and the dates a land bureau writes', () => {
    expect(proposeMapping(['DKBH', 'YDYHFLDM', 'YDYHFLMC']).fields).toEqual({ code: 'DKBH', land_use_code: 'YDYHFLDM' });
    expect(proposeMapping(['DKBH', 'YDYHFLMC']).fields).toEqual({ code: 'DKBH', land_use_code: 'YDYHFLMC' });
    expect(proposeMapping(['地块编号', '用地用海分类代码']).fields.land_use_code).toBe('用地用海分类代码');
    expect(proposeMapping(['DKBH', 'DLMC', 'DLBM']).fields.land_use_code).toBe('DLBM');
    expect(proposeMapping(['宗地编号', '地类编码', '用地性质名称']).fields.land_use_code).toBe('地类编码');
    expect(proposeMapping(['地块编号', '约定动工', '约定竣工', '出让合同签订日期', '实际动工时间', '交地时间']).fields).toEqual({
      code: '地块编号',
      agreed_start_date: '约定动工',
      agreed_completion_date: '约定竣工',
      supplied_date: '出让合同签订日期',
      started_date: '实际动工时间',
    });
    expect(proposeMapping(['DKBH', 'YDDGSJ', '约定动工日期']).fields.agreed_start_date).toBe('YDDGSJ');
    expect(proposeMapping(['地块编号', '约定开工时间']).fields.agreed_start_date).toBe('约定开工时间');
  });
});

describe('land-use codes: 2023, GB/T 21010-2017 and GB 50137-2011', () => {
  const ok = (code: string) => ({ value: { code, mapped: null, alsoOld: null } });
  it('reads 2023 codes of every level as they are', () => {
    for (const code of ['0901', '1002', '15', '2301', '110101', '100101', '24']) expect(convertLandUse(code, '2023')).toEqual(ok(code));
    expect(convertLandUse('100102', 'auto')).toEqual(ok('100102'));
    // In auto too; 0901 is 军事设施用地 in GB/T 21010-2017, which is said unless the column shows it is 2023.
    expect(convertLandUse('0901', 'auto', { has2023Only: true })).toEqual(ok('0901'));
    expect(convertLandUse('0901', 'auto')).toEqual({ value: { code: '0901', mapped: null, alsoOld: { standard: 'GB/T 21010-2017', name: '军事设施用地' } } });
    // A cell with the code and its name; a code Excel kept as a number (0901 → 901).
    expect(convertLandUse('0901 商业用地', '2023')).toEqual(ok('0901'));
    expect(convertLandUse(901, '2023')).toEqual(ok('0901'));
  });
  it('never reads a 2023 code as an older one in auto, and says once when GB/T 21010-2017 uses it for another class', () => {
    // 1201 is 铁路用地 in 2023 and 空闲地 in GB/T 21010-2017.
    const r = convertLandUse('1201', 'auto');
    expect(r).toEqual({ value: { code: '1201', mapped: null, alsoOld: { standard: 'GB/T 21010-2017', name: '空闲地' } } });
    expect(landUseAlsoOldMessage((r as { value: LandUseResult }).value)!.zh).toBe(
      '用地分类 1201 按 2023 分类读作 铁路用地；在 GB/T 21010-2017 中 1201 是 空闲地。如这一列用的是 GB/T 21010-2017，请选择该标准。',
    );
    // 0601 is 农村道路 in 2023, 工业用地 in GB/T 21010-2017.
    expect(convertLandUse('0601', 'auto')).toEqual({ value: { code: '0601', mapped: null, alsoOld: { standard: 'GB/T 21010-2017', name: '工业用地' } } });
    // The same code means the same class in both (0101 水田, 0701 城镇住宅用地): nothing to say.
    expect(convertLandUse('0101', 'auto')).toEqual(ok('0101'));
    expect(convertLandUse('0701', 'auto')).toEqual(ok('0701'));
    // In a column that holds a code only 2023 has (100101), the column is 2023: no doubt to report.
    const facts = landUseColumnFacts(['1201', '100101', null, '']);
    expect(facts).toEqual({ has2023Only: true });
    expect(convertLandUse('1201', 'auto', facts)).toEqual(ok('1201'));
    expect(landUseColumnFacts(['1201', '0601', 'M2'])).toEqual({ has2023Only: false });
    // A code only GB/T 21010-2017 has is refused in auto: the column's other codes would mean something else.
    const refused = convertLandUse('0604', 'auto');
    expect(refused).toHaveProperty('error');
    expect((refused as { error: { zh: string } }).error.zh).toContain('在 GB/T 21010-2017 中是 仓储用地');
    // The cell's name contradicts the 2023 reading: the user must choose.
    expect((convertLandUse('0601 工业用地', 'auto') as { error: { en: string } }).error.en).toContain(
      '0601 is 农村道路 in the 2023 classification but 工业用地 in GB/T 21010-2017',
    );
  });
  it('maps GB/T 21010-2017 codes when that standard is chosen, each mapping told', () => {
    const gbt = (code: string) => convertLandUse(code, 'GB/T 21010-2017');
    expect(gbt('1201')).toEqual({
      value: { code: '2301', mapped: { standard: 'GB/T 21010-2017', from: '1201', fromName: '空闲地', note: null }, alsoOld: null },
    });
    expect(gbt('1001')).toMatchObject({ value: { code: '1201' } }); // 铁路用地
    expect(gbt('0601 工业用地')).toMatchObject({ value: { code: '1001' } });
    expect(gbt('0604')).toMatchObject({ value: { code: '11' } }); // 仓储用地: only the first level is sure
    expect(gbt('1006')).toMatchObject({ value: { code: '0601' } }); // 农村道路
    expect(gbt('0303')).toMatchObject({ value: { code: '0507' } }); // 红树林地 is a wetland in 2023
    expect(gbt('0804')).toMatchObject({ value: { code: '0802' } }); // 科研用地
    // The 三调 working classification's additions to GB/T 21010-2017, as bureaus' DLBM columns hold them.
    expect(gbt('0508')).toMatchObject({ value: { code: '1101' } });
    expect(gbt('05H1 商业服务业设施用地')).toMatchObject({ value: { code: '09', mapped: { from: '05H1', fromName: '商业服务业设施用地' } } });
    expect(convertLandUse('08H2', 'auto')).toHaveProperty('error');
    const r = (gbt('0601') as { value: LandUseResult }).value;
    expect(landUseMappedMessage(r)).toEqual({
      en: 'Land use mapped: GB/T 21010-2017 0601 工业用地 → 2023 1001 工业用地.',
      zh: '用地分类已转换：GB/T 21010-2017 的 0601 工业用地 → 2023 分类 1001 工业用地。',
    });
    // No sound 2023 class: refused, saying why.
    expect((gbt('0906') as { error: { en: string } }).error.en).toMatch(/^GB\/T 21010-2017 0906 风景名胜设施用地 has no sound 2023 class/);
    expect(gbt('06')).toHaveProperty('error'); // 工矿仓储用地 is 10 or 11
    // Not a GB/T 21010-2017 code, or the cell's name contradicts it.
    expect(gbt('100101')).toHaveProperty('error');
    expect(gbt('1001 工业用地')).toHaveProperty('error');
  });
  it('maps GB 50137-2011 letter codes (auto or chosen), refuses aggregates and letter codes under another standard', () => {
    expect(convertLandUse('M2', 'auto')).toEqual({
      value: { code: '100102', mapped: { standard: 'GB 50137-2011', from: 'M2', fromName: '二类工业用地', note: null }, alsoOld: null },
    });
    expect(convertLandUse('M1', 'GB 50137-2011')).toMatchObject({ value: { code: '100101' } });
    expect(convertLandUse('W1 一类物流仓储用地', 'auto')).toMatchObject({ value: { code: '110101' } });
    expect(convertLandUse('r2', 'auto')).toMatchObject({ value: { code: '070102' } });
    expect(convertLandUse('B11', 'auto')).toMatchObject({ value: { code: '090101' } });
    expect(convertLandUse('S42', 'auto')).toMatchObject({ value: { code: '120803' } });
    expect(convertLandUse('A7', 'auto')).toMatchObject({ value: { code: '1504' } });
    const r2 = (convertLandUse('R2', 'auto') as { value: LandUseResult }).value;
    expect(landUseMappedMessage(r2)!.zh).toBe(
      '用地分类已转换：GB 50137-2011 的 R2 二类居住用地 → 2023 分类 070102 二类城镇住宅用地。 二类居住用地含其服务设施（R22），2023 分类中属 0702。',
    );
    expect((convertLandUse('H11', 'auto') as { error: { zh: string } }).error.zh).toContain('没有可靠对应的 2023 分类');
    expect(convertLandUse('E2', 'GB 50137-2011')).toHaveProperty('error');
    expect(convertLandUse('M2', '2023')).toHaveProperty('error');
    expect(convertLandUse('1001', 'GB 50137-2011')).toHaveProperty('error');
    expect(convertLandUse('Z9', 'auto')).toHaveProperty('error');
  });
  it('reads a 2023 class name, told as a mapping; refuses what is neither code nor name', () => {
    const r = convertLandUse('二类工业用地', 'auto');
    expect(r).toEqual({ value: { code: '100102', mapped: { standard: 'name', from: '二类工业用地', fromName: '二类工业用地', note: null }, alsoOld: null } });
    expect(landUseMappedMessage((r as { value: LandUseResult }).value)!.en).toBe(
      'Land use: the name "二类工业用地" is read as 2023 class 100102 二类工业用地.',
    );
    expect(convertLandUse('空闲地', 'auto')).toMatchObject({ value: { code: '2301' } });
    expect(convertLandUse('工业区', 'auto')).toHaveProperty('error');
  });
  it('checks a value for the whole file as a cell of its target', () => {
    const status = IMPORT_TARGETS.find((t) => t.key === 'status')!;
    const supplied = IMPORT_TARGETS.find((t) => t.key === 'supplied_date')!;
    const code = IMPORT_TARGETS.find((t) => t.key === 'code')!;
    const landUse = IMPORT_TARGETS.find((t) => t.key === 'land_use_code')!;
    expect(checkWholeFileValue(status, '已供应', 'auto')).toBeNull();
    expect(checkWholeFileValue(status, '卖掉了', 'auto')!.zh).toMatch(/^供地状态（整个文件的值）：未知的供地状态/);
    expect(checkWholeFileValue(supplied, '2023/5/1', 'auto')).toBeNull();
    expect(checkWholeFileValue(supplied, '2023-13-01', 'auto')).not.toBeNull();
    expect(checkWholeFileValue(landUse, '0604', 'auto')).not.toBeNull();
    expect(checkWholeFileValue(landUse, '0604', 'GB/T 21010-2017')).toBeNull();
    expect(checkWholeFileValue(code, 'A-1', 'auto')).not.toBeNull(); // every row its own code
  });
});
