import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MUJUN_SCHEME } from '../../domain/mujun.ts';
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
    expect(body.zones.length).toBeGreaterThan(10);
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
    expect(best.size).toBeGreaterThan(500);
    expect(mapped).toEqual(best);
    expect(page.map.values).toBeNull();
  });

  it('maps one indicator in quintiles over the rated enterprises, each parcel by its best value', async () => {
    const { body } = await ctx.server.json('/api/land/mujun?limit=100000&measure=tax_per_mu');
    const values = body.rated.map((r: any) => r.values.tax_per_mu).filter((v: unknown) => typeof v === 'number');
    expect(body.map.values.measure).toBe('tax_per_mu');
    expect(body.map.values.unit).toBe('万元/亩');
    // Quintile breaks (worked by hand on a small zone below): ascending, each with about a fifth more of the values below it.
    const breaks: number[] = body.map.values.breaks;
    expect(breaks).toHaveLength(4);
    expect(values.length).toBeGreaterThan(500);
    expect(new Set(breaks).size).toBe(4);
    expect(breaks).toEqual([...breaks].sort((a, b) => a - b));
    breaks.forEach((b, k) => {
      const below = values.filter((v: number) => v < b).length / values.length;
      expect(Math.abs(below - (k + 1) / 5), `share below break ${k}`).toBeLessThan(0.01);
    });
    const bestValue = new Map<number, number>();
    for (const r of body.rated) {
      const v = r.values.tax_per_mu;
      if (typeof v === 'number') for (const id of r.parcel_ids) bestValue.set(id, Math.max(v, bestValue.get(id) ?? -Infinity));
    }
    const mapped = new Map<number, number>();
    body.map.values.parcels.forEach((ids: number[], q: number) => ids.forEach((id) => mapped.set(id, q)));
    expect(bestValue.size).toBeGreaterThan(500);
    expect(mapped.size).toBe(bestValue.size);
    // Each parcel's best value lies in its class's interval [lower break, upper break).
    const outside = [...bestValue].filter(([id, v]) => {
      const q = mapped.get(id)!;
      return !(v >= (q === 0 ? -Infinity : breaks[q - 1]) && v < (q === breaks.length ? Infinity : breaks[q]));
    });
    expect(outside).toEqual([]);
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
    // Several zones, comma-separated: their enterprises together, each zone's per-mu output.
    const [other] = await ctx.db.query<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-QXJK'");
    const both = (await ctx.server.json(`/api/land/mujun?zone=${zone.id},${other.id}&limit=1`)).body;
    expect(both.zones.map((z: any) => z.zone_id).sort((a: number, b: number) => a - b)).toEqual([zone.id, other.id].sort((a, b) => a - b));
    expect(both.rated_total).toBeGreaterThan(body.rated_total);
    expect(both.rated).toHaveLength(1);
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

  it('previews for all zones when the client sends zone null, and refuses malformed requests field by field', async () => {
    const all = (await ctx.server.send('POST', '/api/land/mujun/preview', { scheme: DEFAULT_MUJUN_SCHEME, zone: null })).body;
    const saved = (await ctx.server.json('/api/land/mujun')).body;
    expect(all.rated_total).toBe(saved.rated_total);
    expect(all.rated_total).toBeGreaterThan(500);
    const fieldsOf = async (body: unknown) => {
      const res = await ctx.server.send('POST', '/api/land/mujun/preview', body);
      expect(res.status).toBe(400);
      return res.body.error.details.fields.map((f: any) => [f.field, f.message_zh.length > 0]);
    };
    // An unknown indicator and a weight beyond 100 (1e308 once reached the domain code) are named with their path.
    expect(await fieldsOf({ scheme: { ...DEFAULT_MUJUN_SCHEME, weights: { aboveScale: { nope: 3 }, belowScale: { tax_per_mu: 1e308 } } } })).toEqual([
      ['scheme.weights.aboveScale', true],
      ['scheme.weights.belowScale.tax_per_mu', true],
    ]);
    expect(await fieldsOf({ scheme: { ...DEFAULT_MUJUN_SCHEME, bonus: 1 } })).toEqual([['scheme', true]]);
    expect(await fieldsOf({ scheme: DEFAULT_MUJUN_SCHEME, zone: 'all', limit: '10' })).toEqual([
      ['zone', true],
      ['limit', true],
    ]);
    // The zone ids of GET: a list form, and zones that must exist.
    const badList = (await ctx.server.json('/api/land/mujun?zone=1;2')).body.error;
    expect(badList.message).toBe('The query is not valid: zone: must be ids separated by commas, e.g. 1,2,3.');
    expect(badList.details.fields.map((f: any) => f.field)).toEqual(['zone']);
    expect(badList.details.message_zh).toMatch(/^zone：[\u4e00-\u9fff]/);
    expect((await ctx.server.json('/api/land/mujun?zone=999999')).body.error.message).toBe('Unknown zone 999999.');
    expect((await ctx.server.send('POST', '/api/land/mujun/preview', { scheme: DEFAULT_MUJUN_SCHEME, zone: 999999 })).body.error.message).toBe(
      'Unknown zone 999999.',
    );
    expect((await ctx.server.json('/api/land/mujun/scheme?x=1')).status).toBe(400);
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

/**
 * A zone of its own with five enterprises on known land and known 2025 figures: scores, classes, per-mu values,
 * quantile breaks and the zone's output per mu worked out by hand (not by domain/mujun.ts or quantiles.ts).
 * Land in 亩 = m² × 15 / 10 000.
 */
describe.each(dbTargets({ writable: true }))('亩均论英雄 of a hand-made zone on $name', (target) => {
  const ctx = useApiServer(target);
  let zoneId: number;
  const parcel: Record<string, number> = {};
  const enterprise: Record<string, number> = {};

  const ENTERPRISES = [
    // name, above scale, founded, failed checks, land m², output, value added, tax, energy (tce)
    // E1: 20 000 m² = 30 亩: tax 600 / 30 = 20, value added 1200 / 30 = 40 per mu, 1200 / 300 = 4 per tce.
    { name: 'H9甲', above: true, founded: '2010-01-01', failed: [], m2: 20000, output: 3000, va: 1200, tax: 600, energy: 300 },
    // E2: 10 000 m² = 15 亩: tax 150 / 15 = 10, value added 600 / 15 = 40, 600 / 100 = 6 per tce.
    { name: 'H9乙', above: true, founded: '2010-01-01', failed: [], m2: 10000, output: 1500, va: 600, tax: 150, energy: 100 },
    // E3: 15 亩: tax 600 / 15 = 40, value added 300 / 15 = 20, 300 / 150 = 2 per tce; failed the safety check.
    { name: 'H9丙', above: true, founded: '2010-01-01', failed: ['safety'], m2: 10000, output: 1000, va: 300, tax: 600, energy: 150 },
    // E4: below scale on 1 000 m² = 1.5 亩 < 3 亩: too small to rate.
    { name: 'H9丁', above: false, founded: '2010-01-01', failed: [], m2: 1000, output: 150, va: 50, tax: 10, energy: 5 },
    // E5: founded 2024-06-01, after 2025-12-31 − 2 years = 2023-12-31: new, not rated.
    { name: 'H9戊', above: false, founded: '2024-06-01', failed: [], m2: 4000, output: 1100, va: 300, tax: 40, energy: 20 },
  ];

  beforeAll(async () => {
    [{ id: zoneId }] = await ctx.db.query<{ id: number }>(
      `INSERT INTO zones (code, name, level, city, geom) VALUES ('H9-MUJUN', '亩均手算园区', 'provincial', '测试市',
         ST_Multi(ST_MakeEnvelope(101, 30, 101.02, 30.002, 4326))) RETURNING id`,
    );
    for (const [i, e] of ENTERPRISES.entries()) {
      const [p] = await ctx.db.query<{ id: number }>(
        `INSERT INTO parcels (zone_id, code, land_use_code, status, supplied_date, geom)
         VALUES ($1, $2, '100101', 'producing', '2015-01-01', ST_Multi(ST_MakeEnvelope($3::float8, 30.0005, $3::float8 + 0.001, 30.0015, 4326))) RETURNING id`,
        [zoneId, `H9-M${i + 1}`, 101.001 + i * 0.002],
      );
      const [row] = await ctx.db.query<{ id: number }>(
        'INSERT INTO enterprises (credit_code, name, above_scale, founded_date, failed_checks) VALUES ($1, $2, $3, $4, $5::text[]) RETURNING id',
        [`H9TEST00000000000${i + 1}`, e.name, e.above, e.founded, e.failed],
      );
      await ctx.db.query("INSERT INTO parcel_uses (parcel_id, enterprise_id, role, area_m2) VALUES ($1, $2, 'owner', $3)", [p.id, row.id, e.m2]);
      await ctx.db.query(
        'INSERT INTO enterprise_figures (enterprise_id, year, output_wan, value_added_wan, tax_wan, energy_tce) VALUES ($1, 2025, $2, $3, $4, $5)',
        [row.id, e.output, e.va, e.tax, e.energy],
      );
      parcel[e.name] = p.id;
      enterprise[e.name] = row.id;
    }
  });

  it('scores, ranks and classes the zone’s enterprises with the default scheme, by hand', async () => {
    const { status, body } = await ctx.server.json(`/api/land/mujun?zone=${zoneId}`);
    expect(status).toBe(200);
    // Benchmarks are the averages over the three rated (above-scale) enterprises:
    //   tax per mu (20 + 10 + 40) / 3 = 70/3; value added per mu (40 + 40 + 20) / 3 = 100/3; per tce (4 + 6 + 2) / 3 = 4.
    // Emissions, employees and R&D are not reported: those weights score nothing.
    // 甲 = 30 × 20 ÷ 70/3 + 20 × 40 ÷ 100/3 + 20 × 4 ÷ 4 = 25.714 + 24 + 20 = 69.71
    // 乙 = 30 × 10 ÷ 70/3 + 20 × 40 ÷ 100/3 + 20 × 6 ÷ 4 = 12.857 + 24 + 30 = 66.86
    // 丙 = 30 × 40 ÷ 70/3 + 20 × 20 ÷ 100/3 + 20 × 2 ÷ 4 = 51.429 + 12 + 10 = 73.43
    // Ranks 丙 1, 甲 2, 乙 3 of 3: positions 0, 1/3, 2/3 → A, B (< 0.6), C (< 0.95); 丙 failed a check: A → C.
    expect(body.rated.map((r: any) => [r.name, r.score, r.rank, r.class, r.vetoed])).toEqual([
      ['H9丙', 73.43, 1, 'C', true],
      ['H9甲', 69.71, 2, 'B', false],
      ['H9乙', 66.86, 3, 'C', false],
    ]);
    expect(body.classes).toEqual({ A: 0, B: 1, C: 2, D: 0 });
    const jia = body.rated.find((r: any) => r.name === 'H9甲');
    expect(jia.land_mu).toBeCloseTo(30, 9); // 20 000 × 15 / 10 000
    expect(jia.parcel_ids).toEqual([parcel['H9甲']]);
    expect(jia.values.tax_per_mu).toBeCloseTo(20, 9); // 600 / 30
    expect(jia.values.value_added_per_mu).toBeCloseTo(40, 9); // 1200 / 30
    expect(jia.values.output_per_mu).toBeCloseTo(100, 9); // 3000 / 30
    expect(jia.values.value_added_per_energy).toBeCloseTo(4, 9); // 1200 / 300
    expect(jia.values.rd_share).toBeNull();
    expect(body.not_rated.map((r: any) => [r.name, r.status]).sort()).toEqual([
      ['H9丁', 'too_small'],
      ['H9戊', 'new'],
    ]);
    expect(body.not_rated_counts).toEqual({ new: 1, too_small: 1, no_figures: 0, merged: 0 });
    // Each parcel in its enterprise's class.
    expect(body.map.classes).toEqual({ A: [], B: [parcel['H9甲']], C: [parcel['H9乙'], parcel['H9丙']].sort((a, b) => a - b), D: [] });
    // Zone: Σ output (3000 + 1500 + 1000 + 150 + 1100 = 6750) ÷ Σ land (45 000 m² = 67.5 亩) = 100 万元/亩.
    expect(body.zones).toHaveLength(1);
    expect(body.zones[0].zone_id).toBe(zoneId);
    expect(body.zones[0].output_wan).toBeCloseTo(6750, 6);
    expect(body.zones[0].land_mu).toBeCloseTo(67.5, 9);
    expect(body.zones[0].output_per_mu).toBeCloseTo(100, 9);
  });

  it('maps tax per mu in quintiles computed by hand', async () => {
    const { body } = await ctx.server.json(`/api/land/mujun?zone=${zoneId}&measure=tax_per_mu`);
    // Sorted values 10, 20, 40; type-7 quantile at k/5: position h = 2k/5 → 0.4, 0.8, 1.2, 1.6:
    // 10 + 0.4 × 10 = 14, 10 + 0.8 × 10 = 18, 20 + 0.2 × 20 = 24, 20 + 0.6 × 20 = 32.
    const breaks = body.map.values.breaks;
    expect(breaks).toHaveLength(4);
    [14, 18, 24, 32].forEach((b, i) => expect(breaks[i]).toBeCloseTo(b, 9));
    // 乙 10 < 14 → class 0; 甲 20 in [18, 24) → class 2; 丙 40 ≥ 32 → class 4.
    expect(body.map.values.parcels).toEqual([[parcel['H9乙']], [], [parcel['H9甲']], [], [parcel['H9丙']]]);
  });

  it('previews a changed scheme with hand-computed scores', async () => {
    // Value added per tce alone, weight 100: benchmark 4 → 甲 100 × 4/4 = 100, 乙 100 × 6/4 = 150, 丙 100 × 2/4 = 50.
    const energyOnly = { ...DEFAULT_MUJUN_SCHEME, weights: { aboveScale: { value_added_per_energy: 100 }, belowScale: { tax_per_mu: 100 } } };
    const preview = (await ctx.server.send('POST', '/api/land/mujun/preview', { scheme: energyOnly, zone: zoneId })).body;
    expect(preview.rated.map((r: any) => [r.name, r.score, r.class])).toEqual([
      ['H9乙', 150, 'A'],
      ['H9甲', 100, 'B'],
      ['H9丙', 50, 'C'],
    ]);
    // Without the veto the default scheme's first (丙, 73.43) is A; with a 5 亩 threshold 丁 stays too small (1.5 亩).
    const noVeto = (await ctx.server.send('POST', '/api/land/mujun/preview', { scheme: { ...DEFAULT_MUJUN_SCHEME, vetoChecks: false }, zone: zoneId })).body;
    expect(noVeto.rated.map((r: any) => [r.name, r.class])).toEqual([
      ['H9丙', 'A'],
      ['H9甲', 'B'],
      ['H9乙', 'C'],
    ]);
    // Threshold 1 亩: 丁 (1.5 亩, below scale) is rated too, in the below-scale group alone: its benchmarks are its own
    // values, so 50 × 1 + 50 × 1 = 100, first of four; 丙 73.43, 甲 69.71, 乙 66.86 follow: positions 0, 1/4, 2/4, 3/4
    // → 丁 A, 丙 B → C (vetoed), 甲 B (0.5 < 0.6), 乙 C.
    const smaller = (await ctx.server.send('POST', '/api/land/mujun/preview', { scheme: { ...DEFAULT_MUJUN_SCHEME, sizeThresholdMu: 1 }, zone: zoneId })).body;
    expect(smaller.rated.map((r: any) => [r.name, r.score, r.class])).toEqual([
      ['H9丁', 100, 'A'],
      ['H9丙', 73.43, 'C'],
      ['H9甲', 69.71, 'B'],
      ['H9乙', 66.86, 'C'],
    ]);
  });
});
