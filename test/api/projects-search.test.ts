import { describe, expect, it } from 'vitest';
import { PROJECT_STAGE_KEYS } from '../../domain/lifecycle.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';

describe.each(dbTargets())('projects and search on $name', (target) => {
  const ctx = useApiServer(target);

  it('lists projects as points, filterable by stage and zone', async () => {
    const all = await ctx.server.json('/api/projects');
    expect(all.status).toBe(200);
    expect(all.body.features.length).toBeGreaterThanOrEqual(150);
    expect(all.body.features[0].geometry.type).toBe('Point');
    const started = await ctx.server.json('/api/projects?stage=started');
    expect(started.body.features.length).toBeGreaterThan(0);
    expect(started.body.features.every((f: any) => f.properties.stage === 'started')).toBe(true);
    const zoneId = all.body.features[0].properties.zone_id;
    const inZone = await ctx.server.json(`/api/projects?zone=${zoneId}`);
    expect(inZone.body.features.length).toBeGreaterThan(0);
    expect(inZone.body.features.length).toBeLessThan(all.body.features.length);
    expect(inZone.body.features.every((f: any) => f.properties.zone_id === zoneId)).toBe(true);
    expect((await ctx.server.json('/api/projects?stage=done')).status).toBe(400);
  });

  it('gives a project with its reported figures, timeline in stage order and rounds', async () => {
    const [row] = await ctx.db.query<{ id: number }>("SELECT id FROM projects WHERE name = '亚新科汽车零部件制造基地一期'");
    const { status, body } = await ctx.server.json(`/api/projects/${row.id}`);
    expect(status).toBe(200);
    expect(body.total_investment_wan).toBe(68000);
    expect(body.land_area_mu).toBe(272.79);
    expect(body.zone_name).toBe('运城经济技术开发区');
    expect(body.timeline.map((s: any) => s.stage)).toEqual([...PROJECT_STAGE_KEYS]);
    const dates = body.timeline.map((s: any) => s.date).filter(Boolean);
    expect(dates).toEqual([...dates].sort());
    expect(body.timeline.find((s: any) => s.stage === body.stage).date).toBeTruthy();
  });

  it('links projects with land to their parcel, with matching dates', async () => {
    const rows = await ctx.db.query<{ id: number }>('SELECT id FROM projects WHERE parcel_id IS NOT NULL ORDER BY id LIMIT 5');
    expect(rows).toHaveLength(5);
    for (const { id } of rows) {
      const { body } = await ctx.server.json(`/api/projects/${id}`);
      const parcel = (await ctx.server.json(`/api/parcels/${body.parcel_id}`)).body;
      expect(parcel.projects.map((p: any) => p.id)).toContain(id);
      expect(body.timeline.find((s: any) => s.stage === 'landed').date).toBe(parcel.supplied_date);
    }
  });

  it('finds parcels by code, exact match first', async () => {
    const [p] = await ctx.db.query<{ id: number; code: string }>("SELECT id, code FROM parcels WHERE code LIKE 'DTJK-%' ORDER BY id LIMIT 1 OFFSET 20");
    const { status, body } = await ctx.server.json(`/api/search?q=${encodeURIComponent(p.code)}`);
    expect(status).toBe(200);
    expect(body.results[0]).toMatchObject({ type: 'parcel', id: p.id, label: p.code });
    expect(body.results[0].bbox).toHaveLength(4);
  });

  it('finds zones by name and projects by name', async () => {
    const zones = await ctx.server.json(`/api/search?q=${encodeURIComponent('阳泉')}`);
    expect(zones.body.results.some((r: any) => r.type === 'zone' && r.label === '阳泉高新技术产业开发区')).toBe(true);
    const projects = await ctx.server.json(`/api/search?q=${encodeURIComponent('双雁')}`);
    expect(projects.body.results).toEqual([expect.objectContaining({ type: 'project', label: '双雁生物医药产业园' })]);
  });

  it('searches wildcards and injection strings literally and changes nothing', async () => {
    const before = await ctx.db.query('SELECT count(*) AS n FROM parcels');
    for (const q of ['%', '_', "'; DROP TABLE parcels; --", "' OR '1'='1"]) {
      const res = await ctx.server.json(`/api/search?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(res.body.results).toEqual([]);
    }
    expect(await ctx.db.query('SELECT count(*) AS n FROM parcels')).toEqual(before);
  });

  it('refuses an empty or over-long query', async () => {
    expect((await ctx.server.json('/api/search?q=')).status).toBe(400);
    const tooLong = (await ctx.server.json(`/api/search?q=${'x'.repeat(101)}`)).body.error;
    expect(tooLong.message).toMatch(/^The query is not valid: q: Too big: expected string to have <=100 characters/);
    expect(tooLong.details.fields[0].field).toBe('q');
  });
});
