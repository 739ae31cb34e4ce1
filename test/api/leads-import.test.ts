/**
 * A lead list (在谈项目台账) imported on both databases: a good Excel file with real date cells and Chinese
 * headers becomes leads; one bad row refuses the whole file with every bad row listed and the database unchanged;
 * the figures and the list export as an Excel workbook named for the scope and the date.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe.each(dbTargets({ writable: true }))('lead list import and export on $name', (target) => {
  const ctx = useApiServer(target);
  const count = async (table: string) => (await ctx.db.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0].n;

  async function upload(body: Uint8Array | string, type: string) {
    const promoter = await ctx.server.as('promoter');
    const res = await fetch(`${ctx.server.url}/api/leads/import`, {
      method: 'POST',
      headers: { 'Content-Type': type, Cookie: promoter.cookie!, 'X-CSRF-Token': promoter.csrfToken! },
      body: typeof body === 'string' ? body : new Blob([body as Uint8Array<ArrayBuffer>]),
    });
    return { status: res.status, body: await res.json() };
  }

  it('imports an Excel 台账 with date cells, 亿元 and Chinese stages', async () => {
    const [zone] = await ctx.db.query<{ name: string; id: number }>("SELECT id, name FROM zones WHERE code = 'SX-DTJK'");
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('在谈项目');
    sheet.addRow(['序号', '投资主体', '项目名称', '拟落地园区', '对接日期', '推进阶段', '计划总投资（亿元）', '用地需求（亩）']);
    sheet.addRow([1, '导入测试新能源有限公司', '导入测试储能项目', zone.name, new Date(Date.UTC(2026, 2, 5)), '洽谈', 12, 150]);
    sheet.addRow([2, '导入测试材料有限公司', '导入测试负极材料项目', zone.name, '2026.4.1', '初步接洽', 3.5, '']);
    const res = await upload(Buffer.from(await book.xlsx.writeBuffer()), XLSX);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.imported).toBe(2);
    const rows = await ctx.db.query<{
      investor_name: string;
      stage: string;
      lead_date: string;
      negotiation_date: string | null;
      planned_investment_wan: number;
    }>(
      "SELECT investor_name, stage, to_char(lead_date, 'YYYY-MM-DD') AS lead_date, to_char(negotiation_date, 'YYYY-MM-DD') AS negotiation_date, planned_investment_wan FROM leads WHERE id = ANY($1::int[]) ORDER BY id",
      [res.body.ids],
    );
    expect(rows).toEqual([
      {
        investor_name: '导入测试新能源有限公司',
        stage: 'negotiation',
        lead_date: '2026-03-05',
        negotiation_date: '2026-03-05',
        planned_investment_wan: 120_000,
      },
      { investor_name: '导入测试材料有限公司', stage: 'contact', lead_date: '2026-04-01', negotiation_date: null, planned_investment_wan: 35_000 },
    ]);
    const history = await (await ctx.server.as('promoter')).json(`/api/history/lead/${res.body.ids[0]}`);
    expect(history.body.entries.map((e: { action: string }) => e.action)).toEqual(['import']);
  });

  it('refuses the whole file for one bad row, listing the rows, with nothing written', async () => {
    const [zone] = await ctx.db.query<{ name: string }>("SELECT name FROM zones WHERE code = 'SX-DTJK'");
    const csv = [
      '投资方,项目名称,开发区,线索日期,阶段',
      `好公司,好项目,${zone.name},2026/3/5,考察`,
      `坏公司,坏项目,没有这个园区,2026/3/5,考察`,
      `丙公司,丙项目,${zone.name},2026/3/32,洽谈`,
    ].join('\n');
    const [leads, audits] = [await count('leads'), await count("audit_log WHERE entity = 'lead'")];
    const res = await upload(csv, 'text/csv');
    expect(res.status).toBe(400);
    expect(res.body.error.details.rows.map((r: { line: number }) => r.line)).toEqual([3, 4]);
    expect(res.body.error.details.rows[0].message_zh).toBe('没有名为“没有这个园区”的开发区');
    expect(res.body.error.message).toContain('第 3 行');
    expect(await count('leads')).toBe(leads);
    expect(await count("audit_log WHERE entity = 'lead'")).toBe(audits);
    // Planners read leads but do not import them.
    const planner = await ctx.server.as('planner');
    const refused = await fetch(`${ctx.server.url}/api/leads/import`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv', Cookie: planner.cookie!, 'X-CSRF-Token': planner.csrfToken! },
      body: csv,
    });
    expect(refused.status).toBe(403);
  });

  it('exports the figures and the list as an Excel workbook named for the scope and the date', async () => {
    const [zone] = await ctx.db.query<{ id: number; city: string }>("SELECT id, city FROM zones WHERE code = 'SX-DTJK'");
    const promoter = await ctx.server.as('promoter');
    const q = `from=2026-10-01&to=2026-11-27&city=${encodeURIComponent(zone.city)}`;
    const res = await promoter.get(`/api/leads/export?${q}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX);
    expect(decodeURIComponent(res.headers.get('content-disposition')!.split("UTF-8''")[1])).toMatch(
      new RegExp(`^招商线索_${zone.city}_\\d{4}-\\d{2}-\\d{2}\\.xlsx$`),
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    expect(book.worksheets.map((s) => s.name)).toEqual(['指标', '线索清单']);
    const figures = (await promoter.json(`/api/leads/figures?${q}`)).body;
    const list = (await promoter.json(`/api/leads?city=${encodeURIComponent(zone.city)}&limit=500`)).body;
    const value = (label: string) => {
      let found: unknown;
      book.getWorksheet('指标')!.eachRow((row) => {
        if (row.getCell(1).value === label) found = row.getCell(2).value;
      });
      return found;
    };
    expect(value('在谈项目（个）')).toBe(figures.inNegotiation.count);
    expect(value('招商活动（场）')).toBe(figures.eventsHeld);
    expect(book.getWorksheet('线索清单')!.rowCount - 1).toBe(list.total);
    expect((await (await ctx.server.as('viewer')).get(`/api/leads/export?${q}`)).status).toBe(403);
    expect((await ctx.server.anonymous.get(`/api/leads/export?${q}`)).status).toBe(401);
  });
});
