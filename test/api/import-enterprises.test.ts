/** Enterprise tables joined by 统一社会信用代码: enterprises created or updated, yearly figures, checks, undo. */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../domain/creditCode.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { dataChecksum, upload } from '../helpers/importFiles.ts';

const code = (first17: string) => first17 + creditCodeCheckChar(first17);

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('企业');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.each(dbTargets({ writable: true }))('enterprise tables on $name', (target) => {
  const ctx = useApiServer(target);

  it('creates and updates enterprises by credit code with their yearly figures, and undoes it all', async () => {
    const admin = await ctx.server.as('admin');
    const [known] = await ctx.db.query<{ id: number; credit_code: string; name: string; version: number }>(
      'SELECT id, credit_code, name, version FROM enterprises ORDER BY id LIMIT 1',
    );
    const [knownFigure] = await ctx.db.query<{ tax_wan: number | null; output_wan: number | null }>(
      'SELECT tax_wan, output_wan FROM enterprise_figures WHERE enterprise_id = $1 AND year = 2025',
      [known.id],
    );
    const fresh = code('91140100MA0K00001');
    const book = await xlsx([
      ['统一社会信用代码', '企业名称', '所属行业', '是否规上', '年份', '工业总产值（万元）', '实缴税金（万元）', '从业人员'],
      [fresh, '山西新材料有限公司', '新材料', '是', 2024, '12,500.5', 300, 120],
      [fresh, '山西新材料有限公司', '新材料', '是', 2025, 15000, '412.3', 135],
      [known.credit_code, '', '', '', 2025, 9999, 88.8, ''],
    ]);
    const before = await dataChecksum(ctx.db);
    const staged = await upload(ctx.server.url, admin, '企业年度数据.xlsx', book);
    expect(staged.status).toBe(201);
    expect(staged.body.mapping).toMatchObject({
      kind: 'enterprises',
      fields: {
        credit_code: '统一社会信用代码',
        name: '企业名称',
        industry: '所属行业',
        above_scale: '是否规上',
        year: '年份',
        output_wan: '工业总产值（万元）',
        tax_wan: '实缴税金（万元）',
        employees: '从业人员',
      },
    });
    const check = await admin.send('POST', `/api/imports/${staged.body.id}/check`, {});
    expect(check.body).toMatchObject({ total: 3, toCreate: 1, toUpdate: 1, errors: 0 });
    const commit = await admin.send('POST', `/api/imports/${staged.body.id}/commit`, {});
    expect(commit.status, JSON.stringify(commit.body)).toBe(200);
    expect(commit.body).toMatchObject({ created: 1, updated: 0 });
    const [e] = await ctx.db.query<{ id: number; name: string; above_scale: boolean; industry: string }>(
      'SELECT id, name, above_scale, industry FROM enterprises WHERE credit_code = $1',
      [fresh],
    );
    expect(e).toMatchObject({ name: '山西新材料有限公司', above_scale: true, industry: '新材料' });
    const figures = await ctx.db.query('SELECT year, output_wan, tax_wan, employees FROM enterprise_figures WHERE enterprise_id = $1 ORDER BY year', [e.id]);
    expect(figures).toEqual([
      { year: 2024, output_wan: 12500.5, tax_wan: 300, employees: 120 },
      { year: 2025, output_wan: 15000, tax_wan: 412.3, employees: 135 },
    ]);
    const [updated] = await ctx.db.query<{ tax_wan: number; output_wan: number; name: string }>(
      'SELECT f.tax_wan, f.output_wan, e.name FROM enterprise_figures f JOIN enterprises e ON e.id = f.enterprise_id WHERE e.id = $1 AND f.year = 2025',
      [known.id],
    );
    expect(updated).toEqual({ tax_wan: 88.8, output_wan: 9999, name: known.name });

    const undo = await admin.send('POST', `/api/imports/${staged.body.id}/undo`, {});
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect(undo.body).toEqual({ removed: 1, restored: 0 });
    expect(await ctx.db.query('SELECT 1 FROM enterprises WHERE credit_code = $1', [fresh])).toEqual([]);
    const [restoredFigure] = await ctx.db.query('SELECT tax_wan, output_wan FROM enterprise_figures WHERE enterprise_id = $1 AND year = 2025', [known.id]);
    expect(restoredFigure).toEqual(knownFigure);
    // Parcels untouched throughout; the audit log has the import and its undo.
    expect((await dataChecksum(ctx.db)).split(':').slice(0, 2)).toEqual(before.split(':').slice(0, 2));
  });

  it('reports bad codes, years, numbers, duplicates and missing names per row, refuses zone-limited users, and writes nothing', async () => {
    const admin = await ctx.server.as('admin');
    const fresh = code('91140100MA0K00002');
    const book = await xlsx([
      ['统一社会信用代码', '企业名称', '年份', '实缴税金'],
      ['91140100MA0K00003X', '校验位错误公司', 2025, 1],
      [fresh, '', 2025, 1],
      [fresh, '', 2025, 2],
      [fresh, '', 1890, 'abc'],
    ]);
    const datong = await ctx.server.as('datong');
    const before = await dataChecksum(ctx.db);
    const staged = await upload(ctx.server.url, admin, 'bad-enterprises.xlsx', book);
    const commit = await admin.send('POST', `/api/imports/${staged.body.id}/commit`, {});
    expect(commit.status).toBe(422);
    const kinds = commit.body.error.details.issues.map((i: any) => `${i.where.en}:${i.kind}`);
    expect(kinds).toEqual(expect.arrayContaining(['row 2:bad_code', 'row 3:missing_name', 'row 4:duplicate_code', 'row 5:bad_number']));
    expect(commit.body.error.message).toMatch(/^bad-enterprises\.xlsx: \d+ problems/);
    const ok = await xlsx([
      ['统一社会信用代码', '企业名称'],
      [fresh, '某公司'],
    ]);
    const s2 = await upload(ctx.server.url, datong, 'ent.xlsx', ok);
    const c2 = await datong.send('POST', `/api/imports/${s2.body.id}/commit`, {});
    expect(c2.status).toBe(422);
    expect(c2.body.error.message).toContain('only users not limited to some zones may import it');
    expect(await dataChecksum(ctx.db)).toBe(before);
    expect(await ctx.db.query('SELECT 1 FROM enterprises WHERE credit_code = $1', [fresh])).toEqual([]);
  });
});
