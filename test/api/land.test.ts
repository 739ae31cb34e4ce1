import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { assessIdleLand } from '../../domain/idleLand.ts';
import { DEMO_AS_OF } from '../../data/generator.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';

describe.each(dbTargets())('idle land on $name', (target) => {
  const ctx = useApiServer(target);

  it('judges every supplied parcel by the rule, as the domain function does, most urgent first', async () => {
    const { status, body } = await ctx.server.json(`/api/land/idle?asOf=${DEMO_AS_OF}`);
    expect(status).toBe(200);
    expect(body.asOf).toBe(DEMO_AS_OF);
    const [{ n }] = await ctx.db.query<{ n: number }>('SELECT count(*) AS n FROM parcels WHERE supplied_date IS NOT NULL AND supplied_date <= $1', [DEMO_AS_OF]);
    expect(body.parcels).toHaveLength(n);
    const idle = body.parcels.filter((p: any) => p.state === 'idle');
    expect(idle.length).toBeGreaterThan(20);
    expect(body.parcels.filter((p: any) => p.state === 'at_risk').length).toBeGreaterThan(10);
    // The list starts with the parcels idle longest.
    expect(body.parcels[0].state).toBe('idle');
    expect(body.parcels[0].daysIdle).toBe(Math.max(...idle.map((p: any) => p.daysIdle)));
    // Re-judge one parcel of each kind with the domain function.
    for (const p of [idle[0], body.parcels.find((x: any) => x.state === 'at_risk'), body.parcels.find((x: any) => x.rule === 2)]) {
      const [row] = await ctx.db.query<any>('SELECT * FROM parcels WHERE id = $1', [p.id]);
      expect(assessIdleLand(row, DEMO_AS_OF)).toMatchObject({ state: p.state, rule: p.rule, daysLeft: p.daysLeft, daysIdle: p.daysIdle, stage: p.stage });
    }
  });

  it('adds up the idle ratio per zone and in total', async () => {
    const { body } = await ctx.server.json(`/api/land/idle?asOf=${DEMO_AS_OF}`);
    for (const z of body.zones.slice(0, 5)) {
      const mine = body.parcels.filter((p: any) => p.zone_id === z.zone_id);
      const idleArea = mine.filter((p: any) => p.state === 'idle').reduce((s: number, p: any) => s + p.area_m2, 0);
      const supplied = mine.reduce((s: number, p: any) => s + p.area_m2, 0);
      expect(z.idle_area_m2).toBeCloseTo(idleArea, 3);
      expect(z.supplied_area_m2).toBeCloseTo(supplied, 3);
      expect(z.idle_ratio).toBeCloseTo(idleArea / supplied, 9);
    }
    expect(body.totals.idle_ratio).toBeCloseTo(body.totals.idle_area_m2 / body.totals.supplied_area_m2, 9);
  });

  it('judges as of another date: nothing supplied in 1995', async () => {
    const { body } = await ctx.server.json('/api/land/idle?asOf=1995-01-01');
    expect(body.parcels).toEqual([]);
    expect(body.totals.idle_ratio).toBeNull();
  });

  it('exports the list as CSV and Excel with Chinese headers', async () => {
    const csv = await ctx.server.get(`/api/land/idle?asOf=${DEMO_AS_OF}&state=idle&format=csv`);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^地块编号,开发区,面积（亩）,状态,依据/);
    const json = (await ctx.server.json(`/api/land/idle?asOf=${DEMO_AS_OF}&state=idle`)).body;
    expect(lines.length - 1).toBe(json.parcels.length);
    const xlsx = await ctx.server.get(`/api/land/idle?asOf=${DEMO_AS_OF}&format=xlsx`);
    expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const sheet = book.worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).toBe('地块编号');
    expect(sheet.rowCount - 1).toBe((await ctx.server.json(`/api/land/idle?asOf=${DEMO_AS_OF}`)).body.parcels.length);
    expect(book.worksheets[1].name).toBe('开发区汇总');
  });

  it('refuses bad parameters and anonymous callers', async () => {
    expect((await ctx.server.json('/api/land/idle?asOf=2024-13-01')).body.error.message).toMatch(/asOf must be a date/);
    expect((await ctx.server.json('/api/land/idle?state=lazy')).status).toBe(400);
    expect((await ctx.server.json('/api/land/idle?format=pdf')).status).toBe(400);
    expect((await ctx.server.anonymous.json('/api/land/idle')).status).toBe(401);
  });
});
