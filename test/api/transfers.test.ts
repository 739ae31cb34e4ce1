/**
 * 标准地 transfers through the API on both databases: recorded only for 标准地 not yet transferred, indicators
 * frozen against later edits of the parcel, a 达产复核 with a missed indicator in the follow-up list (and out of it
 * once settled), figures against targets by an independent SQL sum, imports all or nothing, audit, and nothing
 * internal (price) on the public routes.
 */
import { describe, expect, it } from 'vitest';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { signIn } from '../helpers/server.ts';

describe.each(dbTargets({ writable: true }))('标准地 transfers on $name', (target) => {
  const ctx = useApiServer(target);
  const count = async (table: string) => (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

  /** A 标准地 parcel still available (not transferred), with agreed indicators set for the test. */
  const availableStandardParcel = async (offset = 0) => {
    const [p] = await ctx.db.query<{ id: number; code: string; zone_id: number; version: number }>(
      `SELECT p.id, p.code, p.zone_id, p.version FROM parcels p WHERE p.is_standard_land AND p.status = 'available'
         AND NOT EXISTS (SELECT 1 FROM land_transfers t WHERE t.parcel_id = p.id) ORDER BY p.id OFFSET $1 LIMIT 1`,
      [offset],
    );
    await ctx.db.query(
      `UPDATE parcels SET min_investment_intensity_wan_per_mu = 300, min_floor_area_ratio = 1.0, max_floor_area_ratio = 2.0, min_tax_per_mu_wan = 15,
         max_energy_tce_per_wan = 0.5, environment_standard = '污水一级排放', min_building_coverage_pct = NULL, max_admin_facility_pct = 7, max_green_pct = NULL WHERE id = $1`,
      [p.id],
    );
    return p;
  };

  it('records a transfer for 标准地 only, once, freezing the indicators; a 达产复核 missing one appears in the follow-up list, overdue first', async () => {
    const parcel = await availableStandardParcel();
    const land = await ctx.server.as('landbureau');
    const transferAudits = async () => (await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE entity = 'land_transfer'"))[0].n;
    const audit0 = await transferAudits();

    // Roles: viewers and planners may not record transfers.
    for (const who of ['viewer', 'planner']) {
      const r = await (
        await ctx.server.as(who)
      ).send('POST', '/api/transfers', { parcel_id: parcel.id, transferred_on: '2026-03-01', contract_no: 'X', enterprise_name: 'Y' });
      expect(r.status, who).toBe(403);
    }

    const created = await land.send('POST', '/api/transfers', {
      parcel_id: parcel.id,
      transferred_on: '2026-03-01',
      contract_no: 'TEST-2026-001',
      enterprise_name: '山西测试新材料有限公司',
      price_wan: 1234.5,
      area_mu: 80,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.agreed).toMatchObject({ min_investment_intensity_wan_per_mu: 300, max_energy_tce_per_wan: 0.5, environment_standard: '污水一级排放' });
    expect(await transferAudits()).toBe(audit0 + 1);

    // Twice → 409; a parcel that is not 标准地 → 400; both leave the table as it was.
    const n = await count('land_transfers');
    const again = await land.send('POST', '/api/transfers', { parcel_id: parcel.id, transferred_on: '2026-03-02', contract_no: 'B', enterprise_name: 'B' });
    expect(again.status).toBe(409);
    const [plain] = await ctx.db.query<{ id: number }>('SELECT id FROM parcels WHERE NOT is_standard_land ORDER BY id LIMIT 1');
    const notStandard = await land.send('POST', '/api/transfers', {
      parcel_id: plain.id,
      transferred_on: '2026-03-02',
      contract_no: 'B',
      enterprise_name: 'B',
    });
    expect(notStandard.status).toBe(400);
    expect(notStandard.body.error.details.message_zh).toContain('不是标准地');
    expect(await count('land_transfers')).toBe(n);

    // The parcel's indicators edited later: the transfer's stay as signed.
    const planner = await ctx.server.as('planner');
    const edit = await planner.send('PATCH', `/api/parcels/${parcel.id}`, { version: parcel.version, changes: { min_investment_intensity_wan_per_mu: 450 } });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    const seen = await planner.json(`/api/parcel-transfers/${parcel.id}`);
    expect(seen.body.transfer.agreed.min_investment_intensity_wan_per_mu).toBe(300);

    // 达产复核: 280 < 300 万元/亩 and 0.62 > 0.5 tce/万元 missed, the rest met; judged on the server.
    const check = await land.send('POST', `/api/transfers/${created.body.id}/acceptances`, {
      kind: 'capacity',
      accepted_on: '2026-05-10',
      actual: {
        investment_intensity_wan_per_mu: 280,
        floor_area_ratio: 1.5,
        tax_per_mu_wan: 20,
        energy_tce_per_wan: 0.62,
        environment_met: true,
        admin_facility_pct: 5,
      },
      consequence: '限期一年整改，逾期按差额支付违约金',
      penalty_wan: 56,
      correction_deadline: '2026-06-30',
    });
    expect(check.status, JSON.stringify(check.body)).toBe(201);
    const acceptance = check.body.acceptances[0];
    expect(acceptance).toMatchObject({
      overall_met: false,
      follow_up_status: 'open',
      missed: ['investment_intensity_wan_per_mu', 'energy_tce_per_wan'],
      overdue: true,
    });

    const list = await planner.json('/api/transfers/follow-ups');
    expect(list.status).toBe(200);
    const ids = list.body.follow_ups.map((f: { id: number }) => f.id);
    expect(ids).toContain(acceptance.id);
    // Overdue first: every overdue entry comes before every entry still in time.
    const overdueFlags = list.body.follow_ups.map((f: { overdue: boolean }) => f.overdue);
    expect(overdueFlags.indexOf(false) === -1 || overdueFlags.lastIndexOf(true) < overdueFlags.indexOf(false)).toBe(true);
    // Against SQL: every open acceptance with overall_met false is listed.
    const [{ n: open }] = await ctx.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM transfer_acceptances WHERE overall_met = false AND follow_up_status = 'open'",
    );
    expect(list.body.follow_ups).toHaveLength(open);

    // Settled: corrected → off the list; a stale version → 409.
    const settle = await land.send('PATCH', `/api/transfer-acceptances/${acceptance.id}`, {
      version: 1,
      changes: { follow_up_status: 'corrected', follow_up_note: '已整改' },
    });
    expect(settle.status).toBe(200);
    const stale = await land.send('PATCH', `/api/transfer-acceptances/${acceptance.id}`, { version: 1, changes: { follow_up_status: 'closed' } });
    expect(stale.status).toBe(409);
    expect((await planner.json('/api/transfers/follow-ups')).body.follow_ups.map((f: { id: number }) => f.id)).not.toContain(acceptance.id);

    const [entry] = await ctx.db.query<{ username: string; action: string }>(
      "SELECT username, action FROM audit_log WHERE entity = 'transfer_acceptance' AND entity_id = $1 ORDER BY id DESC LIMIT 1",
      [acceptance.id],
    );
    expect(entry).toEqual({ username: 'landbureau', action: 'follow_up' });

    // Nothing of it on the public routes: neither the price nor the enterprise.
    const publicText = JSON.stringify(await (await ctx.server.anonymous.get('/api/public/parcels')).json());
    expect(publicText).not.toContain('山西测试新材料');
    expect(publicText).not.toContain('1234.5');
    expect((await ctx.server.anonymous.get('/api/transfers/follow-ups')).status).toBe(401);
    expect((await ctx.server.anonymous.get(`/api/parcel-transfers/${parcel.id}`)).status).toBe(401);
  });

  it('sums the transfers of a period against the target, checked by SQL', async () => {
    const [zone] = await ctx.db.query<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-DTJK'");
    const land = await ctx.server.as('landbureau');
    const put = await land.send('PUT', '/api/transfers/targets', { year: 2026, zone_id: zone.id, city: null, supply_target_mu: 400, reserve_target_mu: 1000 });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const f = await land.json(`/api/transfers/figures?zone=${zone.id}&from=2026-01-01&to=2026-06-30`);
    expect(f.status).toBe(200);
    const [sql] = await ctx.db.query<{ n: number; mu: number }>(
      "SELECT count(*)::int AS n, coalesce(sum(area_mu), 0) AS mu FROM land_transfers WHERE zone_id = $1 AND transferred_on BETWEEN '2026-01-01' AND '2026-06-30'",
      [zone.id],
    );
    expect(f.body.total.count).toBe(sql.n);
    expect(f.body.total.areaMu).toBeCloseTo(sql.mu, 2);
    expect(f.body.total.targetMu).toBe(400);
    expect(f.body.total.ratePercent).toBeCloseTo((100 * sql.mu) / 400, 2);
  });

  it('imports transfers all or nothing: one bad row → 422 with its line and nothing written; then the good file goes in', async () => {
    const a = await availableStandardParcel(5);
    const b = await availableStandardParcel(6);
    const { cookie, csrfToken } = await signIn(ctx.server.url, 'landbureau');
    const upload = (body: string) =>
      fetch(`${ctx.server.url}/api/transfers/import`, {
        method: 'POST',
        headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'text/csv' },
        body,
      });
    const header = '地块编号,开发区,出让日期,合同编号,受让企业,成交价（万元）,面积（亩）';
    const zoneName = async (id: number) => (await ctx.db.query<{ name: string }>('SELECT name FROM zones WHERE id = $1', [id]))[0].name;
    const rowA = `${a.code},${await zoneName(a.zone_id)},2026-04-01,IMP-1,导入测试企业甲,500,40`;
    const rowB = `${b.code},${await zoneName(b.zone_id)},2026-04-02,IMP-2,导入测试企业乙,600,`;
    const n0 = await count('land_transfers');
    const audit0 = (await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE entity = 'land_transfer'"))[0].n;
    const bad = await upload([header, rowA, rowB, 'NO-SUCH-PARCEL,,2026-02-30,,x,-1,'].join('\n'));
    expect(bad.status).toBe(422);
    const body = await bad.json();
    // Every problem of line 4 (parcel, date, contract, price), none of the good lines.
    expect(new Set(body.error.details.rows.map((r: { line: number }) => r.line))).toEqual(new Set([4]));
    expect(body.error.details.rows.length).toBeGreaterThanOrEqual(3);
    // A row the database refuses (a parcel transferred already) rolls back the others too.
    const [taken] = await ctx.db.query<{ code: string; zone: string }>(
      'SELECT p.code, z.name AS zone FROM land_transfers t JOIN parcels p ON p.id = t.parcel_id JOIN zones z ON z.id = p.zone_id ORDER BY t.id LIMIT 1',
    );
    const refused = await upload([header, rowA, `${taken.code},${taken.zone},2026-04-03,IMP-3,重复,1,1`].join('\n'));
    expect(refused.status).toBe(422);
    expect((await refused.json()).error.details.rows[0].line).toBe(3);
    expect(await count('land_transfers')).toBe(n0);
    expect((await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE entity = 'land_transfer'"))[0].n).toBe(audit0);

    const good = await upload([header, rowA, rowB].join('\n'));
    expect(good.status, await good.clone().text()).toBe(200);
    expect(await good.json()).toEqual({ imported: 2, dry_run: false, header: header.split(','), rows: [] });
    expect(await count('land_transfers')).toBe(n0 + 2);
    const [imported] = await ctx.db.query<{ area_mu: number; agreed: { min_tax_per_mu_wan: number } }>(
      'SELECT area_mu, agreed FROM land_transfers WHERE parcel_id = $1',
      [a.id],
    );
    expect(imported).toEqual({ area_mu: 40, agreed: expect.objectContaining({ min_tax_per_mu_wan: 15 }) });
  });

  it('exports the transfers and the follow-up list as Excel', async () => {
    const res = await (await ctx.server.as('viewer')).get('/api/transfers/export.xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });
});
