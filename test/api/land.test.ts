import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { assessIdleLand } from '../../domain/idleLand.ts';
import { DEMO_AS_OF } from '../../data/generator.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';

describe.each(dbTargets())('idle land on $name', (target) => {
  const ctx = useApiServer(target);

  /** The rule run by the test on every parcel of the database: what the report must agree with. */
  async function judgeAll(asOf: string) {
    const rows = await ctx.db.query<any>('SELECT * FROM parcels ORDER BY id');
    return rows.map((r) => ({ ...r, ...assessIdleLand(r, asOf) }));
  }

  it('judges every supplied parcel by the rule, as the domain function does, most urgent first', async () => {
    const { status, body } = await ctx.server.json(`/api/land/idle?asOf=${DEMO_AS_OF}`);
    expect(status).toBe(200);
    expect(body.asOf).toBe(DEMO_AS_OF);
    const judged = await judgeAll(DEMO_AS_OF);
    const ids = (state: string) => judged.filter((p) => p.state === state).map((p) => p.id).sort((a, b) => a - b);
    const sorted = (list: number[]) => [...list].sort((a, b) => a - b);
    // Listed: the parcels idle, at risk or without an agreed start date (fine ones only with a countdown in the horizon).
    expect(body.counts).toEqual({ idle: ids('idle').length, at_risk: ids('at_risk').length, fine: 0, no_agreed_date: ids('no_agreed_date').length });
    expect(body.total).toBe(body.counts.idle + body.counts.at_risk + body.counts.no_agreed_date);
    expect(body.parcels).toHaveLength(body.total);
    expect(sorted(body.map.idle)).toEqual(ids('idle'));
    expect(sorted(body.map.at_risk.map((a: number[]) => a[0]))).toEqual(ids('at_risk'));
    expect(body.counts.idle).toBeGreaterThan(20);
    expect(body.counts.at_risk).toBeGreaterThan(10);
    // The list starts with the parcels idle longest.
    const idle = body.parcels.filter((p: any) => p.state === 'idle');
    expect(body.parcels[0].state).toBe('idle');
    expect(body.parcels[0].daysIdle).toBe(Math.max(...idle.map((p: any) => p.daysIdle)));
    // Each listed parcel carries the domain function's verdict.
    for (const p of [idle[0], body.parcels.find((x: any) => x.state === 'at_risk'), body.parcels.find((x: any) => x.rule === 2)]) {
      const mine = judged.find((j) => j.id === p.id)!;
      expect(p).toMatchObject({ state: mine.state, rule: mine.rule, daysLeft: mine.daysLeft, daysIdle: mine.daysIdle, stage: mine.stage });
    }
  });

  it('agrees with the rule run on every parcel at the edges of the year (leap days, as-of dates in the past)', async () => {
    for (const asOf of ['2021-06-30', '2024-02-29', '2025-02-28', '2025-03-01', DEMO_AS_OF]) {
      const { body } = await ctx.server.json(`/api/land/idle?asOf=${asOf}&horizon=400&limit=100000`);
      const judged = await judgeAll(asOf);
      const expected = judged
        .filter((p) => ['idle', 'at_risk', 'no_agreed_date'].includes(p.state) || (p.state === 'fine' && p.daysLeft !== null && p.daysLeft <= 400))
        .map((p) => `${p.id}:${p.state}:${p.daysLeft}:${p.daysIdle}`)
        .sort();
      expect(body.parcels.map((p: any) => `${p.id}:${p.state}:${p.daysLeft}:${p.daysIdle}`).sort(), asOf).toEqual(expected);
      // Supplied now but not yet on the date: painted as not supplied.
      const later = judged.filter((p) => p.state === 'not_supplied' && ['supplied', 'started', 'completed', 'producing', 'at_capacity'].includes(p.status));
      expect(body.map.not_supplied.sort((a: number, b: number) => a - b), asOf).toEqual(later.map((p) => p.id));
    }
  });

  it('pages the list and filters it by state', async () => {
    const all = (await ctx.server.json(`/api/land/idle?asOf=${DEMO_AS_OF}`)).body;
    const page = (await ctx.server.json(`/api/land/idle?asOf=${DEMO_AS_OF}&limit=5&offset=5`)).body;
    expect(page.parcels.map((p: any) => p.id)).toEqual(all.parcels.slice(5, 10).map((p: any) => p.id));
    expect(page.total).toBe(all.total);
    const atRisk = (await ctx.server.json(`/api/land/idle?asOf=${DEMO_AS_OF}&state=at_risk`)).body;
    expect(atRisk.parcels.every((p: any) => p.state === 'at_risk')).toBe(true);
    expect(atRisk.total).toBe(all.counts.at_risk);
  });

  it('adds up the idle ratio per zone and in total', async () => {
    const { body } = await ctx.server.json(`/api/land/idle?asOf=${DEMO_AS_OF}`);
    for (const z of body.zones.slice(0, 5)) {
      const mine = body.parcels.filter((p: any) => p.zone_id === z.zone_id);
      const idleArea = mine.filter((p: any) => p.state === 'idle').reduce((s: number, p: any) => s + p.area_m2, 0);
      const [{ supplied }] = await ctx.db.query<{ supplied: number }>(
        "SELECT sum(area_m2) AS supplied FROM parcels WHERE zone_id = $1 AND supplied_date <= $2 AND status NOT IN ('reserve', 'available')",
        [z.zone_id, DEMO_AS_OF],
      );
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
    expect(csv.status).toBe(200);
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
    expect(sheet.rowCount - 1).toBe((await ctx.server.json(`/api/land/idle?asOf=${DEMO_AS_OF}`)).body.total);
    expect(book.worksheets[1].name).toBe('开发区汇总');
  });

  it('refuses bad parameters and anonymous callers', async () => {
    expect((await ctx.server.json('/api/land/idle?asOf=2024-13-01')).body.error.message).toMatch(/asOf must be a date/);
    expect((await ctx.server.json('/api/land/idle?state=lazy')).status).toBe(400);
    expect((await ctx.server.json('/api/land/idle?format=pdf')).status).toBe(400);
    expect((await ctx.server.json('/api/land/idle?horizon=30')).body.error.message).toMatch(/horizon must be between 90 and 3650/);
    expect((await ctx.server.json('/api/land/idle?limit=0')).status).toBe(400);
    expect((await ctx.server.anonymous.json('/api/land/idle')).status).toBe(401);
  });
});

describe.each(dbTargets())('land dashboard on $name', (target) => {
  const ctx = useApiServer(target);

  it('gives each zone its totals as of the date, and the indicators from them', async () => {
    const { status, body } = await ctx.server.json(`/api/land/dashboard?asOf=${DEMO_AS_OF}`);
    expect(status).toBe(200);
    expect(body.taxYear).toBe(2025);
    const [zone] = await ctx.db.query<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-YQGX'");
    const z = body.zones.find((x: any) => x.zone_id === zone.id);
    const [sums] = await ctx.db.query<{ supplied: number; built: number }>(
      'SELECT sum(area_m2) FILTER (WHERE supplied_date <= $2) AS supplied, sum(area_m2) FILTER (WHERE completed_date <= $2) AS built FROM parcels WHERE zone_id = $1',
      [zone.id, DEMO_AS_OF],
    );
    expect(z.totals.suppliedAreaM2).toBeCloseTo(sums.supplied, 3);
    expect(z.totals.builtAreaM2).toBeCloseTo(sums.built, 3);
    const get = (key: string) => z.indicators.find((i: any) => i.key === key).value;
    expect(get('supply_rate')).toBeCloseTo(z.totals.suppliedAreaM2 / z.totals.readyAreaM2, 12);
    expect(get('built_rate')).toBeCloseTo(sums.built / sums.supplied, 12);
    expect(get('building_density')).toBeNull(); // footprints are not collected
    expect(['industrial', 'mixed']).toContain(z.type);
    // The land-use breakdown covers every parcel of the zone.
    const [{ area }] = await ctx.db.query<{ area: number }>('SELECT sum(area_m2) AS area FROM parcels WHERE zone_id = $1', [zone.id]);
    expect(z.land_use.reduce((s: number, l: any) => s + l.area_m2, 0)).toBeCloseTo(area, 3);
    const steps = Object.values(z.steps as Record<string, number>).reduce((s, v) => s + v, 0);
    expect(steps).toBeCloseTo(area, 3);
  });

  it('splits each enterprise’s tax over its parcels without losing any', async () => {
    const { body } = await ctx.server.json(`/api/land/dashboard?asOf=${DEMO_AS_OF}`);
    const [{ tax }] = await ctx.db.query<{ tax: number }>(
      'SELECT sum(tax_wan) AS tax FROM enterprise_figures WHERE year = 2025 AND enterprise_id IN (SELECT enterprise_id FROM parcel_uses)',
    );
    expect(body.all.totals.allTaxWan).toBeCloseTo(tax, 3);
    expect(body.all.totals.industrialTaxWan).toBeLessThanOrEqual(body.all.totals.allTaxWan);
  });

  it('recomputes all zones together from the sums, agreeing with the idle-land report', async () => {
    const dash = (await ctx.server.json(`/api/land/dashboard?asOf=${DEMO_AS_OF}`)).body;
    const idle = (await ctx.server.json(`/api/land/idle?asOf=${DEMO_AS_OF}`)).body;
    const ratio = dash.all.indicators.find((i: any) => i.key === 'idle_ratio').value;
    expect(ratio).toBeCloseTo(idle.totals.idle_ratio, 12);
    expect(dash.all.totals.suppliedAreaM2).toBeCloseTo(dash.zones.reduce((s: number, z: any) => s + z.totals.suppliedAreaM2, 0), 3);
  });

  it('has nothing to rate before any land was supplied', async () => {
    const { body } = await ctx.server.json('/api/land/dashboard?asOf=1995-06-30');
    expect(body.all.totals.suppliedAreaM2).toBe(0);
    expect(body.all.indicators.find((i: any) => i.key === 'supply_rate').value).toBeNull();
  });
});

describe.each(dbTargets())('drawn-area figures on $name', (target) => {
  const ctx = useApiServer(target);

  it('give, for a whole zone, the same figures as the server’s dashboard and 亩均 evaluation', async () => {
    const { analyseArea } = await import('../../domain/areaAnalysis.ts');
    const [zone] = await ctx.db.query<{ id: number; g: any; bbox: number[] }>(
      "SELECT id, ST_AsGeoJSON(geom)::json AS g, json_build_array(ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)) AS bbox FROM zones WHERE code = 'SX-QXJK'",
    );
    const parcels = (await ctx.server.json(`/api/land/parcels?bbox=${zone.bbox.join(',')}&asOf=${DEMO_AS_OF}`)).body;
    const figures = analyseArea(parcels.features, { type: 'Feature', properties: {}, geometry: zone.g });
    const dash = (await ctx.server.json(`/api/land/dashboard?asOf=${DEMO_AS_OF}&zone=${zone.id}`)).body.zones[0];
    expect(figures.suppliedM2).toBeCloseTo(dash.totals.suppliedAreaM2, 0);
    expect(figures.builtM2).toBeCloseTo(dash.totals.builtAreaM2, 0);
    expect(figures.idleRatio).toBeCloseTo(dash.indicators.find((i: any) => i.key === 'idle_ratio').value, 6);
    const mujun = (await ctx.server.json(`/api/land/mujun?zone=${zone.id}`)).body;
    expect(figures.outputPerMu).toBeCloseTo(mujun.zones[0].output_per_mu, 3);
  });

  it('refuses a box too large to analyse', async () => {
    expect((await ctx.server.json('/api/land/parcels?bbox=100,30,110,40')).body.error.message).toMatch(/spans more than 2/);
  });
});
