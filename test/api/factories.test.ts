/**
 * Standard factory leases and 入统 through the API on both databases: leased_area_m2 follows the leases (and the
 * public catalogue's free area with it), overlapping leases beyond the floor area → 400 with nothing written,
 * lease imports all or nothing, use rate per zone by SQL, the 培育库 and unregistered projects, audit, and
 * revenue never on public routes.
 */
import { describe, expect, it } from 'vitest';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { signIn } from '../helpers/server.ts';

describe.each(dbTargets({ writable: true }))('standard factories and 入统 on $name', (target) => {
  const ctx = useApiServer(target);
  const building = async () =>
    (
      await ctx.db.query<{ id: number; name: string; floor_area_m2: number; leased_area_m2: number }>(
        'SELECT id, name, floor_area_m2, leased_area_m2 FROM factory_buildings ORDER BY id LIMIT 1',
      )
    )[0];
  const leaseAudits = async () => (await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE entity = 'factory_lease'"))[0].n;

  it('demo leases add up to each building leased area today', async () => {
    const rows = await ctx.db.query<{ id: number; leased: number; sum: number }>(
      `SELECT b.id, b.leased_area_m2 AS leased, coalesce(sum(l.leased_area_m2) FILTER (WHERE l.start_date <= CURRENT_DATE AND (l.end_date IS NULL OR l.end_date >= CURRENT_DATE)), 0) AS sum
       FROM factory_buildings b LEFT JOIN factory_leases l ON l.building_id = b.id GROUP BY b.id`,
    );
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) expect(r.sum, `building ${r.id}`).toBeCloseTo(r.leased, 1);
  });

  it('keeps leased_area_m2 and the public free area in step with the leases; refuses an overlap beyond the floor area', async () => {
    const b = await building();
    const promoter = await ctx.server.as('promoter');
    const free = b.floor_area_m2 - b.leased_area_m2;
    expect(free).toBeGreaterThan(10);
    const audit0 = await leaseAudits();

    // Viewers and land bureaus may not record leases.
    for (const who of ['viewer', 'landbureau']) {
      const r = await (
        await ctx.server.as(who)
      ).send('POST', `/api/factories/${b.id}/leases`, { tenant_name: 'x', leased_area_m2: 1, start_date: '2026-01-01' });
      expect(r.status, who).toBe(403);
    }

    const add = await promoter.send('POST', `/api/factories/${b.id}/leases`, {
      tenant_name: '测试租户电子有限公司',
      leased_area_m2: 10,
      start_date: '2026-01-01',
      end_date: '2099-12-31',
    });
    expect(add.status, JSON.stringify(add.body)).toBe(201);
    expect(add.body.building.leased_area_m2).toBeCloseTo(b.leased_area_m2 + 10, 2);
    const [after] = await ctx.db.query<{ leased_area_m2: number }>('SELECT leased_area_m2 FROM factory_buildings WHERE id = $1', [b.id]);
    expect(after.leased_area_m2).toBeCloseTo(b.leased_area_m2 + 10, 2);
    expect(await leaseAudits()).toBe(audit0 + 1);

    // The public catalogue shows the free area that is left (no tenant, no revenue, no price).
    const pub = await (await ctx.server.anonymous.get('/api/public/factories')).json();
    const mine = pub.factories.find((f: { id: number }) => f.id === b.id);
    if (mine) expect(mine.free_area_m2).toBeCloseTo(free - 10, 2);
    expect(JSON.stringify(pub)).not.toContain('测试租户');

    // One more lease over the free area, overlapping in time → 400, nothing written.
    const leases0 = (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM factory_leases'))[0].n;
    const over = await promoter.send('POST', `/api/factories/${b.id}/leases`, { tenant_name: '超额租户', leased_area_m2: free, start_date: '2026-06-01' });
    expect(over.status).toBe(400);
    expect(over.body.error.details.message_zh).toContain('超过厂房建筑面积');
    expect((await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM factory_leases'))[0].n).toBe(leases0);
    const [unchanged] = await ctx.db.query<{ leased_area_m2: number }>('SELECT leased_area_m2 FROM factory_buildings WHERE id = $1', [b.id]);
    expect(unchanged.leased_area_m2).toBeCloseTo(b.leased_area_m2 + 10, 2);
    expect(await leaseAudits()).toBe(audit0 + 1);

    // Ending the test lease yesterday gives its area back.
    const lease = add.body.leases.find((l: { tenant_name: string }) => l.tenant_name === '测试租户电子有限公司');
    const end = await promoter.send('PATCH', `/api/factory-leases/${lease.id}`, { version: 1, changes: { end_date: '2026-01-31' } });
    expect(end.status, JSON.stringify(end.body)).toBe(200);
    expect(end.body.building.leased_area_m2).toBeCloseTo(b.leased_area_m2, 2);
    expect((await promoter.send('PATCH', `/api/factory-leases/${lease.id}`, { version: 1, changes: { leased_area_m2: 5 } })).status).toBe(409);
  });

  it('imports leases all or nothing', async () => {
    const b = await building();
    const { cookie, csrfToken } = await signIn(ctx.server.url, 'planner');
    const upload = (body: string) =>
      fetch(`${ctx.server.url}/api/factories/leases/import`, {
        method: 'POST',
        headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'text/csv' },
        body,
      });
    const header = '厂房,承租方,出租面积（m²）,起租日期,到期日期';
    const n0 = (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM factory_leases'))[0].n;
    // Line 3 would take more than the building has: the whole file is refused.
    const bad = await upload([header, `${b.id},导入租户甲,1,2026-02-01,2030-12-31`, `${b.id},导入租户乙,${b.floor_area_m2},2026-03-01,`].join('\n'));
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.details.rows.map((r: { line: number }) => r.line)).toEqual([3]);
    const badDate = await upload([header, `${b.id},导入租户甲,1,2026-13-01,`].join('\n'));
    expect(badDate.status).toBe(422);
    expect((await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM factory_leases'))[0].n).toBe(n0);
    const [still] = await ctx.db.query<{ leased_area_m2: number }>('SELECT leased_area_m2 FROM factory_buildings WHERE id = $1', [b.id]);
    expect(still.leased_area_m2).toBeCloseTo(b.leased_area_m2, 2);

    const good = await upload([header, `${b.id},导入租户甲,1,2026-02-01,2030-12-31`].join('\n'));
    expect(good.status, await good.clone().text()).toBe(200);
    const [now] = await ctx.db.query<{ leased_area_m2: number }>('SELECT leased_area_m2 FROM factory_buildings WHERE id = $1', [b.id]);
    expect(now.leased_area_m2).toBeCloseTo(b.leased_area_m2 + 1, 2);
  });

  it('gives the use rate per zone as Σ leased ÷ Σ floor area', async () => {
    const res = await (await ctx.server.as('viewer')).json('/api/factories/use-rate?year=2026');
    expect(res.status).toBe(200);
    const [sql] = await ctx.db.query<{ floor: number; leased: number }>(
      'SELECT sum(floor_area_m2) AS floor, sum(leased_area_m2) AS leased FROM factory_buildings',
    );
    expect(res.body.total.floor_area_m2).toBeCloseTo(sql.floor, 1);
    expect(res.body.total.use_rate_pct).toBeCloseTo((100 * sql.leased) / sql.floor, 2);
  });

  it('lists the 培育库 between the lower bound (a setting) and 2000 万元, and started projects not registered', async () => {
    const viewer = await ctx.server.as('viewer');
    const c = await viewer.json('/api/statistics/cultivation');
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ threshold_wan: 2000, lower_wan: 1500 });
    expect(c.body.firms.length).toBeGreaterThan(0);
    for (const f of c.body.firms) {
      expect(f.above_scale).toBe(false);
      expect(f.revenue_wan).toBeGreaterThanOrEqual(1500);
      expect(f.revenue_wan).toBeLessThan(2000);
      expect(f.gap_wan).toBeCloseTo(2000 - f.revenue_wan, 2);
    }
    const planner = await ctx.server.as('planner');
    const saved = await planner.send('PUT', '/api/statistics/cultivation/settings', { version: 0, lower_wan: 1800 });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const narrower = await viewer.json('/api/statistics/cultivation');
    expect(narrower.body.lower_wan).toBe(1800);
    expect(narrower.body.firms.every((f: { revenue_wan: number }) => f.revenue_wan >= 1800)).toBe(true);

    const u = await viewer.json('/api/statistics/unregistered-projects');
    expect(u.status).toBe(200);
    expect(u.body.projects.length).toBeGreaterThan(0);
    const p = u.body.projects[0];
    const reg = await planner.send('PATCH', `/api/statistics/projects/${p.id}`, {
      version: p.version,
      stats_registered: true,
      stats_registered_on: '2026-11-01',
    });
    expect(reg.status, JSON.stringify(reg.body)).toBe(200);
    const u2 = await viewer.json('/api/statistics/unregistered-projects');
    expect(u2.body.projects.map((x: { id: number }) => x.id)).not.toContain(p.id);
    expect(u2.body.registered).toBe(u.body.registered + 1);
    const [entry] = await ctx.db.query<{ action: string; username: string }>(
      "SELECT action, username FROM audit_log WHERE entity = 'project' AND entity_id = $1 ORDER BY id DESC LIMIT 1",
      [p.id],
    );
    expect(entry).toEqual({ action: 'register', username: 'planner' });

    // Revenue is internal: not on the public routes, not for anonymous callers.
    expect((await ctx.server.anonymous.get('/api/statistics/cultivation')).status).toBe(401);
    const firm = c.body.firms[0];
    const publicText = JSON.stringify(await (await ctx.server.anonymous.get('/api/public/parcels')).json());
    expect(publicText).not.toContain(String(firm.revenue_wan));
  });
});
