import { describe, expect, it } from 'vitest';
import { DEFAULT_MUJUN_SCHEME } from '../../domain/mujun.ts';
import { quantileBreaks, quantileClass } from '../../domain/quantiles.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';

describe.each(dbTargets({ writable: true }))('亩均论英雄 on $name', (target) => {
  const ctx = useApiServer(target);

  it('rates the enterprises with the default scheme, and says why the others are not rated', async () => {
    const { status, body } = await ctx.server.json('/api/land/mujun?limit=100000');
    expect(status).toBe(200);
    expect(body.version).toBe(0);
    expect(body.scheme).toEqual(DEFAULT_MUJUN_SCHEME);
    const n = body.rated.length;
    expect(body.rated_total).toBe(n);
    expect(body.not_rated_total).toBe(body.not_rated.length);
    expect(Object.values(body.not_rated_counts).reduce((a: number, b: any) => a + b, 0)).toBe(body.not_rated_total);
    expect(n).toBeGreaterThan(500);
    expect(body.classes.A + body.classes.B + body.classes.C + body.classes.D).toBe(n);
    expect(body.classes.A / n).toBeGreaterThan(0.15);
    expect(body.classes.A / n).toBeLessThanOrEqual(0.2);
    expect(body.rated.map((r: any) => r.rank)).toEqual([...body.rated.map((r: any) => r.rank)].sort((a: number, b: number) => a - b));
    const reasons = new Set(body.not_rated.map((r: any) => r.status));
    expect(reasons).toContain('new');
    expect(reasons).toContain('too_small');
    // Vetoed enterprises are never A or B.
    const vetoed = body.rated.filter((r: any) => r.vetoed);
    expect(vetoed.length).toBeGreaterThan(0);
    expect(vetoed.every((r: any) => r.class === 'C' || r.class === 'D')).toBe(true);
    for (const z of body.zones) expect(z.output_per_mu).toBeCloseTo(z.output_wan / z.land_mu, 6);
  });

  it('pages the ranking and maps parcels by their best class', async () => {
    const all = (await ctx.server.json('/api/land/mujun?limit=100000')).body;
    const page = (await ctx.server.json('/api/land/mujun?limit=10&offset=20')).body;
    expect(page.rated.map((r: any) => r.id)).toEqual(all.rated.slice(20, 30).map((r: any) => r.id));
    expect(page.rated_total).toBe(all.rated_total);
    // Each parcel in the class it gets from the best-rated enterprise on it.
    const best = new Map<number, string>();
    for (const r of all.rated) for (const id of r.parcel_ids) if (!best.has(id) || r.class < best.get(id)!) best.set(id, r.class);
    const mapped = new Map<number, string>();
    for (const [cls, ids] of Object.entries(page.map.classes) as [string, number[]][]) for (const id of ids) mapped.set(id, cls);
    expect(mapped).toEqual(best);
    expect(page.map.values).toBeNull();
  });

  it('maps one indicator in quintiles over the rated enterprises, each parcel by its best value', async () => {
    const { body } = await ctx.server.json('/api/land/mujun?limit=100000&measure=tax_per_mu');
    const values = body.rated.map((r: any) => r.values.tax_per_mu).filter((v: unknown) => typeof v === 'number');
    expect(body.map.values.measure).toBe('tax_per_mu');
    expect(body.map.values.unit).toBe('万元/亩');
    expect(body.map.values.breaks).toEqual(quantileBreaks(values, 5));
    expect(body.map.values.breaks).toHaveLength(4);
    const bestValue = new Map<number, number>();
    for (const r of body.rated) {
      const v = r.values.tax_per_mu;
      if (typeof v === 'number') for (const id of r.parcel_ids) bestValue.set(id, Math.max(v, bestValue.get(id) ?? -Infinity));
    }
    const mapped = new Map<number, number>();
    body.map.values.parcels.forEach((ids: number[], q: number) => ids.forEach((id) => mapped.set(id, q)));
    expect(mapped.size).toBe(bestValue.size);
    for (const [id, v] of bestValue) expect(mapped.get(id)).toBe(quantileClass(v, body.map.values.breaks));
    expect((await ctx.server.json('/api/land/mujun?measure=no_such_thing')).status).toBe(400);
    expect((await ctx.server.json('/api/land/mujun?measure=tax_per_mu,rd_share')).status).toBe(400);
    expect((await ctx.server.json('/api/land/mujun?limit=0')).status).toBe(400);
  });

  it('rates a zone against its own averages', async () => {
    const [zone] = await ctx.db.query<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-DTJK'");
    const { body } = await ctx.server.json(`/api/land/mujun?zone=${zone.id}`);
    const parcels = new Set((await ctx.db.query<{ id: number }>('SELECT id FROM parcels WHERE zone_id = $1', [zone.id])).map((p) => p.id));
    expect(body.rated.length).toBeGreaterThan(10);
    expect(body.rated.every((r: any) => r.parcel_ids.some((id: number) => parcels.has(id)))).toBe(true);
    expect(body.zones.map((z: any) => z.zone_id)).toEqual([zone.id]);
  });

  it('previews what a changed scheme would give before it is saved', async () => {
    const taxOnly = { ...DEFAULT_MUJUN_SCHEME, weights: { aboveScale: { tax_per_mu: 100 }, belowScale: { tax_per_mu: 100 } } };
    const preview = (await ctx.server.send('POST', '/api/land/mujun/preview', { scheme: taxOnly, limit: 100000 })).body;
    const saved = (await ctx.server.json('/api/land/mujun?limit=100000')).body;
    expect(preview.rated.length).toBe(saved.rated.length);
    const differ = preview.rated.filter((r: any) => saved.rated.find((s: any) => s.id === r.id)?.class !== r.class);
    expect(differ.length).toBeGreaterThan(0);
    // With tax alone, the first is the enterprise with the highest tax per mu among the above-scale ones... or below-scale ones.
    const top = preview.rated[0];
    expect(top.score).toBe(Math.max(...preview.rated.map((r: any) => r.score)));
    const bad = await ctx.server.send('POST', '/api/land/mujun/preview', { scheme: { ...taxOnly, classShares: { A: 0.9, B: 0.5, C: 1 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/classShares must rise/);
  });

  it('lets only administrators save the scheme, with a version check and an audit entry', async () => {
    const changed = { ...DEFAULT_MUJUN_SCHEME, sizeThresholdMu: 5 };
    const planner = await ctx.server.as('planner');
    expect((await planner.send('PUT', '/api/land/mujun/scheme', { version: 0, scheme: changed })).status).toBe(403);
    const admin = await ctx.server.as('admin');
    const saved = await admin.send('PUT', '/api/land/mujun/scheme', { version: 0, scheme: changed });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(1);
    const now = (await ctx.server.json('/api/land/mujun/scheme')).body;
    expect(now).toEqual({ version: 1, scheme: changed });
    expect((await admin.send('PUT', '/api/land/mujun/scheme', { version: 0, scheme: DEFAULT_MUJUN_SCHEME })).status).toBe(409);
    const log = (await admin.json('/api/audit?entity=setting')).body;
    expect(log.entries[0]).toMatchObject({ username: 'admin', action: 'update', note: 'mujun_scheme' });
    expect(log.entries[0].changes).toEqual([expect.objectContaining({ field: 'sizeThresholdMu', before: 3, after: 5 })]);
  });
});
