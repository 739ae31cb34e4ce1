import { describe, expect, it } from 'vitest';
import { PUBLIC_FIELDS } from '../../server/routes/public.ts';
import { createApp } from '../../server/app.ts';
import { areaMuFromSquareMetres } from '../../domain/units.ts';
import { INFRASTRUCTURE_ITEMS } from '../../domain/lifecycle.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';

const ALLOWED = new Set<string>(Object.values(PUBLIC_FIELDS).flat());

/** Every key at every depth of a JSON value (GeoJSON coordinates are arrays: no keys). */
function keysOf(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysOf(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      keysOf(v, out);
    }
  }
  return out;
}

describe.each(dbTargets({ writable: true }))('the public catalogue API on $name', (target) => {
  const ctx = useApiServer(target);

  it('serves only allow-listed fields on every public route, errors included', async () => {
    const anon = ctx.server.anonymous;
    const promoter = await ctx.server.as('promoter');
    const some = (await anon.json('/api/public/parcels?limit=5')).body.features.map((f: any) => f.id);
    // With the contact its author publishes, and extended from the catalogue: the page shows both.
    const list = await promoter.send('POST', '/api/shortlists', {
      title: '给某客户的推荐',
      parcel_ids: some.slice(0, 2),
      contact_name: '王经理',
      contact_phone: '0352-5101234',
    });
    expect((await promoter.send('POST', `/api/shortlists/${list.body.id}/parcels`, { parcel_ids: some.slice(2, 3) })).status).toBe(200);
    const [supplied] = await ctx.db.query<{ id: number }>("SELECT id FROM parcels WHERE status = 'supplied' AND internal_note IS NOT NULL LIMIT 1");
    const paths = [
      '/api/public/parcels',
      '/api/public/parcels?standard=1&infra=7&sort=price_asc',
      '/api/public/parcels?landUse=11&minMu=10&maxMu=200',
      ...some.map((id: number) => `/api/public/parcels/${id}`),
      '/api/public/zones',
      '/api/public/factories',
      `/api/public/shortlists/${list.body.token}`,
      `/api/public/parcels/${supplied.id}`,
      '/api/public/parcels?status=supplied',
      '/api/public/parcels?zone=9999',
      '/api/public/shortlists/doesnotexist0000000',
    ];
    for (const path of paths) {
      const res = await anon.get(path);
      expect(res.status, path).toBeLessThan(500);
      const body = await res.json();
      const extra = [...keysOf(body)].filter((k) => !ALLOWED.has(k));
      expect(extra, path).toEqual([]);
    }
    // The shortlist's contact is what its author typed, nothing of their account (no user name, no id, no role).
    const shared = (await anon.json(`/api/public/shortlists/${list.body.token}`)).body;
    expect(shared.contact).toEqual({ name: '王经理', phone: '0352-5101234' });
    expect(shared.parcels.features).toHaveLength(3);
    expect(JSON.stringify(shared)).not.toMatch(/promoter|招商局|created_by/);
    // Infrastructure keys are the checklist's, nothing else.
    expect(PUBLIC_FIELDS.infrastructure).toEqual(INFRASTRUCTURE_ITEMS.map((i) => i.key));
  });

  it('lists only available parcels, never an internal price or note', async () => {
    const { body } = await ctx.server.anonymous.json('/api/public/parcels?limit=500');
    const [{ n }] = await ctx.db.query<{ n: number }>("SELECT count(*) AS n FROM parcels WHERE status = 'available'");
    expect(body.count).toBe(n);
    const ids = body.features.map((f: any) => f.id);
    const rows = await ctx.db.query<{ id: number; status: string; land_price_internal: boolean }>(
      'SELECT id, status, land_price_internal FROM parcels WHERE id = ANY($1::int[])',
      [ids],
    );
    expect(rows.every((r) => r.status === 'available')).toBe(true);
    // The parcels whose price is internal: none shows its price. The first 500 in the default order are all
    // 标准地 (whose price is public), so look at the largest 500 instead, a mix of both.
    const bySize = (await ctx.server.anonymous.json('/api/public/parcels?limit=500&sort=area_desc')).body.features;
    const priced = await ctx.db.query<{ id: number; land_price_internal: boolean; land_price_wan: number }>(
      'SELECT id, land_price_internal, land_price_wan FROM parcels WHERE id = ANY($1::int[])',
      [bySize.map((f: any) => f.id)],
    );
    const internal = bySize.filter((f: any) => priced.find((x) => x.id === f.id)!.land_price_internal);
    const open = bySize.filter((f: any) => !priced.find((x) => x.id === f.id)!.land_price_internal);
    expect(internal.length).toBeGreaterThan(10);
    expect(open.length).toBeGreaterThan(10);
    expect(internal.map((f: any) => f.properties.land_price_wan)).toEqual(internal.map(() => null));
    expect(open.map((f: any) => f.properties.land_price_wan)).toEqual(open.map((f: any) => priced.find((x) => x.id === f.id)!.land_price_wan));
    // 标准地 first.
    const standard = body.features.map((f: any) => f.properties.is_standard_land);
    expect(standard[0]).toBe(true);
    expect(standard).toEqual([...standard].sort((a: boolean, b: boolean) => Number(b) - Number(a)));
  });

  it('filters by area, land use, zone level, industry and infrastructure, and sorts', async () => {
    const anon = ctx.server.anonymous;
    const all = (await anon.json('/api/public/parcels?limit=500')).body;
    const mid = (await anon.json('/api/public/parcels?minMu=20&maxMu=40&limit=500')).body;
    expect(mid.count).toBeLessThan(all.count);
    expect(mid.features.length).toBeGreaterThan(0);
    for (const f of mid.features) {
      const mu = areaMuFromSquareMetres(f.properties.area_m2);
      expect(mu).toBeGreaterThanOrEqual(19.99);
      expect(mu).toBeLessThanOrEqual(40.01);
    }
    const storage = (await anon.json('/api/public/parcels?landUse=11&limit=500')).body;
    expect(storage.features.length).toBeGreaterThan(0);
    expect(storage.count).toBeLessThan(all.count);
    expect(storage.features.every((f: any) => f.properties.land_use_code.startsWith('11'))).toBe(true);
    const national = (await anon.json('/api/public/parcels?level=national&limit=500')).body;
    expect(national.features.length).toBeGreaterThan(0);
    expect(national.count).toBeLessThan(all.count);
    expect(national.features.every((f: any) => f.properties.zone_level === 'national')).toBe(true);
    const storageEnergy = (await anon.json(`/api/public/parcels?industry=${encodeURIComponent('储能')}&limit=500`)).body;
    expect(storageEnergy.count).toBeGreaterThan(0);
    expect(storageEnergy.count).toBeLessThan(all.count);
    expect(storageEnergy.features.every((f: any) => f.properties.leading_industry.includes('储能'))).toBe(true);
    // "新能源" also names the chains 光伏, 储能, 氢能 …: the taxonomy finds zones whose text never says 新能源.
    const newEnergy = (await anon.json(`/api/public/parcels?industry=${encodeURIComponent('新能源')}&limit=500`)).body;
    expect(newEnergy.count).toBeGreaterThanOrEqual(storageEnergy.count);
    const words = ['新能源', '光伏', '储能', '氢', '风电', '锂电', '电池', '汽车'];
    expect(newEnergy.features.every((f: any) => words.some((w) => f.properties.leading_industry.includes(w)))).toBe(true);
    const kinds = new Set(newEnergy.features.map((f: any) => ['光伏', '储能'].find((w) => f.properties.leading_industry.includes(w))));
    expect([...kinds]).toEqual(expect.arrayContaining(['光伏', '储能']));
    expect(newEnergy.features.some((f: any) => !f.properties.leading_industry.includes('新能源'))).toBe(true);
    const ready = (await anon.json('/api/public/parcels?infra=7&limit=500')).body;
    expect(ready.count).toBeLessThan(all.count);
    expect(ready.features.length).toBeGreaterThan(0);
    for (const f of ready.features)
      for (const k of ['road', 'power', 'water', 'drainage', 'telecom', 'gas', 'heat', 'levelled']) expect(f.properties.infrastructure[k]).toBe(true);
    const bigFirst = (await anon.json('/api/public/parcels?sort=area_desc&limit=20')).body.features.map((f: any) => f.properties.area_m2);
    expect(bigFirst).toEqual([...bigFirst].sort((a, b) => b - a));
  });

  it('refuses undocumented parameters and bad values with a 400', async () => {
    for (const [path, message] of [
      ['/api/public/parcels?status=supplied', /unknown parameter "status"; allowed: city, zone, level/],
      ['/api/public/parcels?minMu=abc', /minMu: must be a number/],
      ['/api/public/parcels?sort=secret', /sort: Invalid option: expected one of "standard"\|"area_desc"/],
      ['/api/public/parcels?infra=moat', /infra\.0: Invalid option: expected one of "road"/],
      ['/api/public/parcels?zone=1%00', /zone: must be ids separated by commas/],
      ['/api/public/factories?withTenants=1', /unknown parameter "withTenants"/],
    ] as const) {
      const res = await ctx.server.anonymous.json(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
  });

  it('answers a parcel that is not on offer exactly like one that does not exist', async () => {
    const [supplied] = await ctx.db.query<{ id: number }>("SELECT id FROM parcels WHERE status = 'supplied' LIMIT 1");
    const a = await ctx.server.anonymous.json(`/api/public/parcels/${supplied.id}`);
    const b = await ctx.server.anonymous.json('/api/public/parcels/999999');
    expect(a.status).toBe(404);
    // The same answer, but for each request's own id.
    expect({ ...a.body.error, requestId: 'x' }).toEqual({ ...b.body.error, requestId: 'x' });
  });

  it('gives a parcel sheet with every indicator and the zone’s contact', async () => {
    const [p] = await ctx.db.query<{ id: number }>("SELECT id FROM parcels WHERE status = 'available' AND is_standard_land ORDER BY id LIMIT 1");
    const { body } = await ctx.server.anonymous.json(`/api/public/parcels/${p.id}`);
    expect(body.parcel.code).toBeTruthy();
    for (const k of [
      'min_investment_intensity_wan_per_mu',
      'min_floor_area_ratio',
      'max_floor_area_ratio',
      'min_tax_per_mu_wan',
      'max_energy_tce_per_wan',
      'environment_standard',
      'min_building_coverage_pct',
      'max_admin_facility_pct',
      'max_green_pct',
    ]) {
      expect(body.parcel[k], k).not.toBeNull();
    }
    expect(body.zone.contact_phone).toMatch(/^0\d{2,3}-\d{7}$/);
    expect(body.geometry.type).toBe('MultiPolygon');
    expect(body.generated_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('lists standard factory buildings with free floor area', async () => {
    const { body } = await ctx.server.anonymous.json('/api/public/factories');
    expect(body.factories.length).toBeGreaterThan(0);
    expect(body.factories.every((f: any) => f.free_area_m2 > 0 && f.free_area_m2 <= f.floor_area_m2)).toBe(true);
  });

  it('shares a promoter’s shortlist by link until it is withdrawn, then answers 410', async () => {
    const viewer = await ctx.server.as('viewer');
    const ids = (await ctx.server.anonymous.json('/api/public/parcels?limit=2')).body.features.map((f: any) => f.id);
    expect((await viewer.send('POST', '/api/shortlists', { title: 'x', parcel_ids: ids })).status).toBe(403);
    const promoter = await ctx.server.as('promoter');
    const [supplied] = await ctx.db.query<{ id: number }>("SELECT id FROM parcels WHERE status = 'supplied' LIMIT 1");
    const refused = await promoter.send('POST', '/api/shortlists', { title: 'x', parcel_ids: [ids[0], supplied.id] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/Only available parcels/);
    const created = await promoter.send('POST', '/api/shortlists', { title: '新能源企业选址推荐', note: '请于月底前反馈', parcel_ids: ids });
    expect(created.status).toBe(201);
    expect(created.body.path).toBe(`/invest/list/${created.body.token}`);
    const open = await ctx.server.anonymous.json(`/api/public/shortlists/${created.body.token}`);
    expect(open.status).toBe(200);
    expect(open.body.title).toBe('新能源企业选址推荐');
    expect(open.body.parcels.features.map((f: any) => f.id)).toEqual(ids);
    expect((await promoter.send('POST', `/api/shortlists/${created.body.id}/withdraw`)).status).toBe(200);
    const gone = await ctx.server.anonymous.json(`/api/public/shortlists/${created.body.token}`);
    expect(gone.status).toBe(410);
    expect(gone.body.error.message).toMatch(/withdrawn on \d{4}-\d{2}-\d{2}/);
  });

  it('rate-limits the public API per address', async () => {
    // Counters live in the database and are shared with this file's other server: start from none.
    await ctx.db.query('DELETE FROM rate_limit_counters');
    const app = createApp({ db: ctx.db, config: { basemaps: [], publicRequestsPerMinute: 5 } });
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await fetch(`${url}/api/public/zones`)).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses[6]).toBe(429);
      const res = await fetch(`${url}/api/public/zones`);
      expect((await res.json()).error.message).toMatch(/Too many requests/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
