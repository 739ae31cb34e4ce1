/**
 * What the supply page's forms and imports need, on both databases: a transfer recorded by parcel code (unknown or
 * repeated codes refused, nothing written), the imports' dry run (a preview, nothing written; bad rows listed with
 * their lines, nothing written), a lease ended by its date, the evaluation's zone types (audited, only for an
 * account of every zone) and what a zone-limited account reads of the evaluation.
 */
import { describe, expect, it } from 'vitest';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { signIn } from '../helpers/server.ts';

describe.each(dbTargets({ writable: true }))('supply forms, imports and evaluation limits on $name', (target) => {
  const ctx = useApiServer(target);
  const count = async (sql: string, values: unknown[] = []) => (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, values))[0].n;
  const upload = async (username: string, path: string, body: string) => {
    const { cookie, csrfToken } = await signIn(ctx.server.url, username);
    const res = await fetch(`${ctx.server.url}${path}`, {
      method: 'POST',
      headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'text/csv' },
      body,
    });
    return { status: res.status, body: await res.json() };
  };
  const freeStandardParcel = async (offset: number) =>
    (
      await ctx.db.query<{ id: number; code: string; zone_id: number; zone: string }>(
        `SELECT p.id, p.code, p.zone_id, z.name AS zone FROM parcels p JOIN zones z ON z.id = p.zone_id WHERE p.is_standard_land AND p.status = 'available'
           AND NOT EXISTS (SELECT 1 FROM land_transfers t WHERE t.parcel_id = p.id) ORDER BY p.id OFFSET $1 LIMIT 1`,
        [offset],
      )
    )[0];

  it('records a transfer by parcel code; an unknown code is 400 naming the field and writes nothing', async () => {
    const land = await ctx.server.as('landbureau');
    const p = await freeStandardParcel(10);
    const n0 = await count('land_transfers');
    const audits0 = await count("audit_log WHERE entity = 'land_transfer'");
    const unknown = await land.send('POST', '/api/transfers', {
      parcel_code: 'NO-SUCH-CODE',
      transferred_on: '2026-05-01',
      contract_no: 'C-1',
      enterprise_name: '测试企业',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.fields[0].field).toBe('parcel_code');
    expect(unknown.body.error.message).toContain('没有编号为“NO-SUCH-CODE”的地块');
    expect(unknown.body.error.message).toContain('No parcel has the code');
    const none = await land.send('POST', '/api/transfers', { transferred_on: '2026-05-01', contract_no: 'C-1', enterprise_name: '测试企业' });
    expect(none.status).toBe(400);
    expect(await count('land_transfers')).toBe(n0);

    const ok = await land.send('POST', '/api/transfers', {
      parcel_code: p.code,
      zone_id: p.zone_id,
      transferred_on: '2026-05-01',
      contract_no: 'FORM-2026-01',
      enterprise_name: '表单测试企业',
      price_wan: 800,
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.parcel_id).toBe(p.id);
    expect(await count('land_transfers')).toBe(n0 + 1);
    expect(await count("audit_log WHERE entity = 'land_transfer'")).toBe(audits0 + 1);
  });

  it('imports transfers with a dry run first: a preview and nothing written; a bad row → 422 with its line, nothing written', async () => {
    const p = await freeStandardParcel(11);
    const header = '地块编号,开发区,出让日期,合同编号,受让企业,成交价（万元）,面积（亩）';
    const good = `${p.code},${p.zone},2026-06-01,DRY-1,预览企业,100,12`;
    const n0 = await count('land_transfers');
    const audits0 = await count("audit_log WHERE entity = 'land_transfer'");
    const dry = await upload('landbureau', '/api/transfers/import?dryRun=true', [header, good].join('\n'));
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toEqual({ imported: 1, dry_run: true, header: header.split(','), rows: [{ line: 2, cells: good.split(',') }] });
    expect(await count('land_transfers')).toBe(n0);
    expect(await count("audit_log WHERE entity = 'land_transfer'")).toBe(audits0);

    // The dry run reports what the database would refuse too (the same parcel twice in a row of the file is a form error).
    const bad = await upload('landbureau', '/api/transfers/import?dryRun=true', [header, good, `${p.code},${p.zone},2026-13-01,,x,,`].join('\n'));
    expect(bad.status).toBe(422);
    expect([...new Set(bad.body.error.details.rows.map((r: { line: number }) => r.line))]).toEqual([3]);
    expect(await count('land_transfers')).toBe(n0);
  });

  it('imports leases and supply targets with a dry run; a bad row → 422 and nothing written', async () => {
    const [b] = await ctx.db.query<{ id: number; name: string; vacant: number }>(
      'SELECT id, name, floor_area_m2 - leased_area_m2 AS vacant FROM factory_buildings WHERE floor_area_m2 - leased_area_m2 > 100 ORDER BY id LIMIT 1',
    );
    const header = '厂房,承租方,出租面积（m²）,起租日期,到期日期';
    const leases0 = await count('factory_leases');
    const dry = await upload('promoter', '/api/factories/leases/import?dryRun=true', [header, `${b.name},预览承租方,50,2026-01-01,`].join('\n'));
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.dry_run).toBe(true);
    expect(dry.body.rows).toEqual([{ line: 2, cells: [b.name, '预览承租方', '50', '2026-01-01', ''] }]);
    expect(await count('factory_leases')).toBe(leases0);
    const bad = await upload('promoter', '/api/factories/leases/import', [header, `${b.name},甲,50,2026-01-01,`, '没有这栋厂房,乙,abc,2026-01-01,'].join('\n'));
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.rows.map((r: { line: number }) => r.line)).toContain(3);
    expect(await count('factory_leases')).toBe(leases0);

    const targets0 = await count('supply_targets');
    const tHeader = '年份,开发区,城市,储备目标（亩）,供应目标（亩）,新建厂房目标（m²）,厂房使用率目标（%）';
    const badTargets = await upload(
      'landbureau',
      '/api/transfers/targets/import?dryRun=true',
      [tHeader, '2031,,,1,2,3,4', '2031,没有的开发区,,1,2,3,140'].join('\n'),
    );
    expect(badTargets.status).toBe(422);
    expect(badTargets.body.error.details.rows.map((r: { line: number }) => r.line)).toEqual([2, 3, 3]);
    expect(await count('supply_targets')).toBe(targets0);
  });

  it('ends a lease by its end date: the building’s leased area follows, audited', async () => {
    const [b] = await ctx.db.query<{ id: number; zone_id: number }>(
      'SELECT id, zone_id FROM factory_buildings WHERE floor_area_m2 - leased_area_m2 > 100 ORDER BY id LIMIT 1',
    );
    const admin = await ctx.server.as('admin');
    const added = await admin.send('POST', `/api/factories/${b.id}/leases`, { tenant_name: '结束测试', leased_area_m2: 60, start_date: '2025-01-01' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const lease = added.body.leases.find((l: { tenant_name: string }) => l.tenant_name === '结束测试');
    const leasedBefore = added.body.building.leased_area_m2;
    const ended = await admin.send('PATCH', `/api/factory-leases/${lease.id}`, { version: lease.version, changes: { end_date: '2025-12-31' } });
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    expect(ended.body.building.leased_area_m2).toBeCloseTo(leasedBefore - 60, 6);
    expect(ended.body.leases.find((l: { id: number }) => l.id === lease.id).active).toBe(false);
    expect(await count("audit_log WHERE entity = 'factory_lease' AND entity_id = $1", [lease.id])).toBe(2);
  });

  it("sets a zone's evaluation type (audited; 403 for a zone-limited account) and the ranking uses it", async () => {
    const [zone] = await ctx.db.query<{ id: number; city: string }>("SELECT id, city FROM zones WHERE code = 'SX-SZJK'");
    const datong = await ctx.server.as('datong');
    const refused = await datong.send('PUT', `/api/evaluation/zone-types/${zone.id}`, { zone_type: 'other' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('只有不限开发区的账号');
    expect(refused.body.error.message).toContain('Only an account for every zone');
    const viewer = await ctx.server.as('viewer');
    expect((await viewer.send('PUT', `/api/evaluation/zone-types/${zone.id}`, { zone_type: 'other' })).status).toBe(403);
    const admin = await ctx.server.as('admin');
    expect((await admin.send('PUT', `/api/evaluation/zone-types/${zone.id}`, { zone_type: 'mixed' })).status).toBe(400);
    expect((await admin.send('PUT', '/api/evaluation/zone-types/999999', { zone_type: 'other' })).status).toBe(404);
    const audits0 = await count("audit_log WHERE entity = 'evaluation_zone_type'");
    const ok = await admin.send('PUT', `/api/evaluation/zone-types/${zone.id}`, { zone_type: 'other' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ zone_id: zone.id, zone_type: 'other' });
    const [entry] = await ctx.db.query<{ before: { zone_type: string }; after: { zone_type: string } }>(
      "SELECT before, after FROM audit_log WHERE entity = 'evaluation_zone_type' AND entity_id = $1 ORDER BY id DESC LIMIT 1",
      [zone.id],
    );
    expect(entry).toEqual({ before: { zone_id: zone.id, zone_type: 'industrial' }, after: { zone_id: zone.id, zone_type: 'other' } });
    expect(await count("audit_log WHERE entity = 'evaluation_zone_type'")).toBe(audits0 + 1);
    const list = await viewer.json('/api/evaluation/zone-types');
    expect(list.body.zones.find((z: { zone_id: number }) => z.zone_id === zone.id).zone_type).toBe('other');
    const results = await viewer.json(`/api/evaluation/results?month=2026-10&city=${encodeURIComponent(zone.city)}`);
    expect(results.body.zones.find((z: { zone_id: number }) => z.zone_id === zone.id).type).toBe('other');
    // A zone-limited planner may not change the scheme either (it moves every zone).
    const scheme = (await admin.json('/api/evaluation/scheme')).body;
    expect((await datong.send('PUT', '/api/evaluation/scheme', { version: scheme.version, scheme: scheme.scheme })).status).toBe(403);
  });

  it('shows a zone-limited account its own zones in full and the others as the bulletin does; targets only its own', async () => {
    const [own] = await ctx.db.query<{ id: number; city: string }>("SELECT id, city FROM zones WHERE code = 'SX-DTJK'");
    const q = `/api/evaluation/results?month=2026-10&city=${encodeURIComponent(own.city)}`;
    const full = (await (await ctx.server.as('planner')).json(q)).body;
    const limited = (await (await ctx.server.as('datong')).json(q)).body;
    expect(full.zones.length).toBeGreaterThan(1);
    expect(limited.zones.map((z: { zone_id: number; rank: number; total: number; class: string }) => [z.zone_id, z.rank, z.total, z.class])).toEqual(
      full.zones.map((z: { zone_id: number; rank: number; total: number; class: string }) => [z.zone_id, z.rank, z.total, z.class]),
    );
    for (const z of limited.zones) {
      const whole = full.zones.find((x: { zone_id: number }) => x.zone_id === z.zone_id);
      expect(z.behind).toEqual(whole.behind);
      if (z.zone_id === own.id) {
        expect(z.details).toBe(true);
        expect(z.indicators).toEqual(whole.indicators);
      } else {
        expect(z.details).toBe(false);
        expect(z.indicators).toEqual([]);
      }
    }
    const province = (await (await ctx.server.as('datong')).json('/api/evaluation/results?month=2026-10')).body;
    expect(province.cities.every((c: { details: boolean; indicators: unknown[] }) => !c.details && c.indicators.length === 0)).toBe(true);
    const targets = (await (await ctx.server.as('datong')).json('/api/evaluation/targets?year=2026')).body.targets;
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.every((t: { zone_id: number }) => t.zone_id === own.id)).toBe(true);
    expect(
      (await (await ctx.server.as('planner')).json('/api/evaluation/targets?year=2026')).body.targets.some((t: { zone_id: number }) => t.zone_id !== own.id),
    ).toBe(true);
  });
});
