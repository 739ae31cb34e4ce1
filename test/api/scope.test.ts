/**
 * One scope (province → city → county → zone) on the routes that follow it, on both databases: the zones of a
 * city or county, figures summed from the zones with ratios from the sums, file names with the scope and date,
 * and the search's zone aliases.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_AS_OF } from '../../data/generator.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';

const q = encodeURIComponent;

describe.each(dbTargets())('scope filters on $name', (target) => {
  const ctx = useApiServer(target);
  const zonesOf = async (where: string, value: string) =>
    (await ctx.db.query<{ id: number }>(`SELECT id FROM zones WHERE ${where} = $1 ORDER BY id`, [value])).map((r) => r.id);

  it('lists idle land of a city and of a county, totals summed from the zones and the ratio from the sums', async () => {
    const datong = await zonesOf('city', '大同市');
    expect(datong.length).toBeGreaterThan(1);
    const { status, body } = await ctx.server.json(`/api/land/idle?asOf=${DEMO_AS_OF}&city=${q('大同市')}`);
    expect(status).toBe(200);
    expect(body.zones.map((z: any) => z.zone_id).sort((a: number, b: number) => a - b)).toEqual(datong);
    expect(body.parcels.every((p: any) => datong.includes(p.zone_id))).toBe(true);
    const supplied = body.zones.reduce((s: number, z: any) => s + z.supplied_area_m2, 0);
    const idle = body.zones.reduce((s: number, z: any) => s + z.idle_area_m2, 0);
    expect(body.totals.supplied_area_m2).toBeCloseTo(supplied, 3);
    expect(body.totals.idle_area_m2).toBeCloseTo(idle, 3);
    expect(body.totals.idle_ratio).toBeCloseTo(idle / supplied, 9);
    // The same as asking for the city's zones by id.
    const byIds = (await ctx.server.json(`/api/land/idle?asOf=${DEMO_AS_OF}&zone=${datong.join(',')}`)).body;
    expect(byIds.totals).toEqual(body.totals);

    const pingcheng = await zonesOf('county', '平城区');
    const county = (await ctx.server.json(`/api/land/idle?asOf=${DEMO_AS_OF}&city=${q('大同市')}&county=${q('平城区')}`)).body;
    expect(county.zones.map((z: any) => z.zone_id)).toEqual(pingcheng);
  });

  it('refuses an unknown city or county in both languages', async () => {
    const city = await ctx.server.json(`/api/land/idle?city=${q('火星市')}`);
    expect(city.status).toBe(400);
    expect(city.body.error.message).toMatch(/Unknown city/);
    expect(city.body.error.details.message_zh).toMatch(/火星市没有开发区/);
    const county = await ctx.server.json(`/api/land/dashboard?county=${q('不存在县')}`);
    expect(county.status).toBe(400);
  });

  it('names the idle export after the scope and the date (RFC 5987 with an ASCII fallback)', async () => {
    const [dtjk] = await ctx.db.query<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-DTJK'");
    const res = await ctx.server.get(`/api/land/idle?asOf=${DEMO_AS_OF}&zone=${dtjk.id}&format=xlsx`);
    expect(res.status).toBe(200);
    const cd = res.headers.get('content-disposition')!;
    expect(cd).toContain(`filename*=UTF-8''${q(`闲置土地_大同经开区_${DEMO_AS_OF}.xlsx`)}`);
    expect(cd).toMatch(new RegExp(`^attachment; filename="[\\x20-\\x7e]*_${DEMO_AS_OF}\\.xlsx"`));
    const csv = await ctx.server.get(`/api/land/idle?asOf=${DEMO_AS_OF}&city=${q('大同市')}&format=csv`);
    expect(decodeURIComponent(csv.headers.get('content-disposition')!.split("UTF-8''")[1])).toBe(`闲置土地_大同市_${DEMO_AS_OF}.csv`);
    const all = await ctx.server.get(`/api/land/idle?asOf=${DEMO_AS_OF}&format=csv`);
    expect(decodeURIComponent(all.headers.get('content-disposition')!.split("UTF-8''")[1])).toBe(`闲置土地_山西省_${DEMO_AS_OF}.csv`);
    const sanwei = await ctx.server.get(`/api/supervision/sanwei?city=${q('大同市')}&asOf=${DEMO_AS_OF}&format=xlsx`);
    expect(decodeURIComponent(sanwei.headers.get('content-disposition')!.split("UTF-8''")[1])).toBe(`三未项目_大同市_${DEMO_AS_OF}.xlsx`);
  });

  it('narrows the land dashboard, 亩均 and the projects reports to a city or a county', async () => {
    const datong = await zonesOf('city', '大同市');
    const dash = (await ctx.server.json(`/api/land/dashboard?asOf=${DEMO_AS_OF}&city=${q('大同市')}`)).body;
    expect(dash.zones.map((z: any) => z.zone_id)).toEqual(datong);
    // The scope's total is the sum of its zones.
    const supplied = dash.zones.reduce((s: number, z: any) => s + z.totals.suppliedAreaM2, 0);
    expect(dash.all.totals.suppliedAreaM2).toBeCloseTo(supplied, 3);
    const mujun = await ctx.server.json(`/api/land/mujun?city=${q('大同市')}&limit=5`);
    expect(mujun.status).toBe(200);
    expect(mujun.body.zones.every((z: any) => datong.includes(z.zone_id))).toBe(true);
    const pingcheng = await zonesOf('county', '平城区');
    const lights = await ctx.server.json(`/api/supervision/lights?county=${q('平城区')}&asOf=${DEMO_AS_OF}`);
    expect(lights.status).toBe(200);
    expect(lights.body.projects.every((p: any) => pingcheng.includes(p.zone_id))).toBe(true);
    expect((await ctx.server.json(`/api/supervision/lights?zone=${pingcheng[0]}&county=${q('平城区')}`)).status).toBe(400);
  });

  it('finds zones by their short names and aliases', async () => {
    for (const [typed, name] of [
      ['大同经开区', '大同经济技术开发区'],
      ['阳泉高新区', '阳泉高新技术产业开发区'],
      ['晋中农高区', '晋中国家农业高新技术产业示范区'],
      ['朔州开发区', '朔州经济技术开发区'],
    ]) {
      const { body } = await ctx.server.json(`/api/search?q=${q(typed)}`);
      expect(
        body.results.some((r: any) => r.type === 'zone' && r.label === name),
        typed,
      ).toBe(true);
    }
  });
});
