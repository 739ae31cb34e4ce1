/**
 * Extensions of a parcel's agreed start date (《闲置土地处置办法》 Art. 8) over HTTP on both databases: a parcel
 * idle before is not idle after the extension (in the list, the map, the exports), the panel's data, bad input
 * refused bilingually with nothing written, roles and zone limits enforced, one audit entry per write.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { DEMO_AS_OF } from '../../data/generator.ts';
import { proposeMapping } from '../../domain/importMapping.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';

// DEMO_AS_OF is 2026-10-31. The agreement is signed on 2026-09-01 and moves the start to 2026-12-01, so the
// parcel becomes idle on 2027-12-01: 365 days (2026-10-31 → 2027-10-31) + 31 (→ 2027-12-01) = 396 days left.
const EXTENSION = {
  start_date: '2026-12-01',
  signed_on: '2026-09-01',
  reason: 'planning_change',
  document_no: '晋自然资补〔2026〕7号',
  note: '控规调整，道路红线变更',
};

describe.each(dbTargets({ writable: true }))('extensions of the agreed start date on $name', (target) => {
  const ctx = useApiServer(target);
  const state = async () => ({
    extensions: await ctx.db.query('SELECT * FROM parcel_start_extensions ORDER BY id'),
    audit: (await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action NOT IN ('login', 'logout')"))[0].n,
  });
  /** Parcels idle by rule 1 on DEMO_AS_OF that have not started at all, outside and inside 大同经开区. */
  const idleParcels = async () => {
    const [dtjk] = await ctx.db.query<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-DTJK'");
    const sql = `SELECT id, code, zone_id, to_char(agreed_start_date, 'YYYY-MM-DD') AS agreed_start_date FROM parcels
      WHERE status = 'supplied' AND started_date IS NULL AND supplied_date <= '2026-09-01' AND agreed_start_date <= '2025-10-31' AND zone_id {op} $1 ORDER BY id LIMIT 1`;
    const [outside] = await ctx.db.query<{ id: number; code: string; zone_id: number; agreed_start_date: string }>(sql.replace('{op}', '<>'), [dtjk.id]);
    const [inside] = await ctx.db.query<{ id: number; code: string; zone_id: number; agreed_start_date: string }>(sql.replace('{op}', '='), [dtjk.id]);
    return { outside, inside };
  };

  it('a parcel idle before the extension is on its new schedule after it, and earlier dates keep their verdict', async () => {
    const { outside: p } = await idleParcels();
    const before = (await ctx.server.json(`/api/land/idle?asOf=${DEMO_AS_OF}`)).body;
    expect(before.map.idle).toContain(p.id);
    expect(before.parcels.find((x: any) => x.id === p.id)).toMatchObject({ state: 'idle', rule: 1, extendedTo: null, extension_count: 0 });

    const land = await ctx.server.as('landbureau');
    const r = await land.send('POST', `/api/parcels/${p.id}/extensions`, EXTENSION);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ parcel_id: p.id, agreed_start_date: p.agreed_start_date, effective_start_date: '2026-12-01' });
    expect(r.body.extensions).toHaveLength(1);
    expect(r.body.extensions[0]).toMatchObject({ previous_start_date: p.agreed_start_date, ...EXTENSION, recorded_by: 'landbureau' });

    const after = (await ctx.server.json(`/api/land/idle?asOf=${DEMO_AS_OF}`)).body;
    expect(after.map.idle).not.toContain(p.id);
    expect(after.counts.idle).toBe(before.counts.idle - 1);
    // Past the at-risk window: listed only with a longer horizon, with its countdown from the extended date.
    expect(after.parcels.some((x: any) => x.id === p.id)).toBe(false);
    const longer = (await ctx.server.json(`/api/land/idle?asOf=${DEMO_AS_OF}&horizon=400&limit=100000`)).body;
    expect(longer.parcels.find((x: any) => x.id === p.id)).toMatchObject({
      state: 'fine',
      rule: 1,
      idleFrom: '2027-12-01',
      daysLeft: 396,
      extendedTo: '2026-12-01',
      extension_count: 1,
    });
    // The day before the agreement was signed the parcel was idle, and a report of that date still says so.
    const earlier = (await ctx.server.json('/api/land/idle?asOf=2026-08-31')).body;
    expect(earlier.map.idle).toContain(p.id);
    expect(earlier.parcels.find((x: any) => x.id === p.id)).toMatchObject({ state: 'idle', extendedTo: null, extension_count: 0 });

    // One audit entry: the parcel's extensions before (none) and after (one).
    const [entry] = await ctx.db.query<any>("SELECT * FROM audit_log WHERE entity = 'parcel_extension' AND entity_id = $1 ORDER BY id", [p.id]);
    expect(entry).toMatchObject({ action: 'extend_start', username: 'landbureau' });
    expect(entry.before.extensions).toEqual([]);
    expect(entry.after.extensions).toHaveLength(1);
    expect(entry.note).toContain(`${p.agreed_start_date} → 2026-12-01`);
    const history = await land.json(`/api/history/parcel_extension/${p.id}`);
    expect(history.status).toBe(200);

    // The idle exports and the parcel export carry the extended date and the count.
    const csv = await land.get(`/api/land/idle?asOf=${DEMO_AS_OF}&horizon=400&format=csv&limit=100000`);
    const idleRows = parse(Buffer.from(await csv.arrayBuffer()), { bom: true, columns: true }) as Record<string, string>[];
    expect(idleRows.find((row) => row['地块编号'] === p.code)).toMatchObject({
      约定动工日期: p.agreed_start_date,
      延期后约定动工日期: '2026-12-01',
      延期次数: '1',
      状态: '正常',
    });
    const exported = await land.get(`/api/export/parcels?format=csv&zone=${p.zone_id}`);
    const parcelRows = parse(Buffer.from(await exported.arrayBuffer()), { bom: true, columns: true }) as Record<string, string>[];
    expect(parcelRows.find((row) => row['地块编号'] === p.code)).toMatchObject({
      约定开工时间: p.agreed_start_date,
      延期后约定开工时间: '2026-12-01',
      延期次数: '1',
    });
    const other = parcelRows.find((row) => row['地块编号'] !== p.code && row['约定开工时间'])!;
    expect(other).toMatchObject({ 延期后约定开工时间: other['约定开工时间'], 延期次数: '0' });
    // The import maps neither new column: re-importing the export leaves the extensions and the agreed date alone.
    const mapping = proposeMapping(Object.keys(parcelRows[0]).filter((c) => c !== 'WKT'));
    expect(mapping.fields.agreed_start_date).toBe('约定开工时间');
    expect(Object.values(mapping.fields)).not.toContain('延期后约定开工时间');
    expect(Object.values(mapping.fields)).not.toContain('延期次数');
  });

  it('lists the extensions for the panel, oldest first, the latest applying; refuses one that moves the date earlier', async () => {
    const { outside: p } = await idleParcels();
    const planner = await ctx.server.as('planner');
    const second = { start_date: '2027-03-01', signed_on: '2026-10-15', reason: 'force_majeure', document_no: '补充协议2026-031', note: '' };
    const bad = async (body: Record<string, unknown>, status: number, zh: RegExp, en: RegExp) => {
      const snapshot = await state();
      const res = await planner.send('POST', `/api/parcels/${p.id}/extensions`, body);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toMatch(zh);
      expect(res.body.error.message).toMatch(en);
      expect(await state()).toEqual(snapshot);
      return res;
    };
    // Earlier than (or the same as) the date in force: 2026-12-01 after the first test's agreement.
    const earlier = await bad({ ...second, start_date: '2026-11-30' }, 400, /须晚于现行约定动工日期（2026-12-01）/, /cannot move it earlier/);
    expect(earlier.body.error.details.problems.map((x: any) => x.field)).toEqual(['start_date']);
    await bad({ ...second, start_date: '2026-12-01' }, 400, /须晚于现行约定动工日期/, /later than the date in force/);
    await bad({ ...second, start_date: '2027-02-30' }, 400, /YYYY-MM-DD/, /must be a date/);
    await bad({ ...second, signed_on: '2026-08-31' }, 400, /不能早于上一次延期协议（2026-09-01）/, /before the previous one/);
    await bad({ ...second, signed_on: '2100-01-01', start_date: '2100-02-01' }, 400, /不能晚于今天/, /in the future/);
    await bad({ ...second, reason: 'developer_short_of_money' }, 400, /第八条所列情形/, /Art\. 8/);
    await bad({ ...second, document_no: ' ' }, 400, /协议编号/, /number/);
    await bad({ ...second, start_date: '2027-12-02' }, 400, /最长不超过一年/, /at most one year/);
    // Not an object at all: the route's contract refuses it before the rule runs, in both languages.
    const notObject = await bad([1, 2] as never, 400, /request body is not valid/, /expected object, received array/);
    expect(notObject.body.error.details.message_zh).toMatch(/body：无效输入：期望 object，实际接收 数组/);

    const ok = await planner.send('POST', `/api/parcels/${p.id}/extensions`, second);
    expect(ok.status).toBe(201);
    const panel = await (await ctx.server.as('viewer')).json(`/api/parcels/${p.id}/extensions`);
    expect(panel.status).toBe(200);
    expect(panel.body.effective_start_date).toBe('2027-03-01');
    expect(panel.body.extensions.map((e: any) => [e.previous_start_date, e.start_date, e.signed_on, e.reason, e.recorded_by])).toEqual([
      [p.agreed_start_date, '2026-12-01', '2026-09-01', 'planning_change', 'landbureau'],
      ['2026-12-01', '2027-03-01', '2026-10-15', 'force_majeure', 'planner'],
    ]);
    expect(panel.body.extensions[1].note).toBeNull();
    expect(panel.body.extensions[1].recorded_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    // Idle from 2028-03-01. 2026-10-31 → 2027-10-31 = 365 days; → 2027-11-30 = 30, → 2027-12-31 = 31,
    // → 2028-01-31 = 31, → 2028-02-29 = 29, → 2028-03-01 = 1: 365 + 122 = 487.
    const longer = (await ctx.server.json(`/api/land/idle?asOf=${DEMO_AS_OF}&horizon=500&limit=100000`)).body;
    expect(longer.parcels.find((x: any) => x.id === p.id)).toMatchObject({
      idleFrom: '2028-03-01',
      daysLeft: 487,
      extendedTo: '2027-03-01',
      extension_count: 2,
    });
  });

  it('is for land bureaus, planners and administrators in their zones; others are refused and nothing changes', async () => {
    const { outside, inside } = await idleParcels();
    const snapshot = await state();
    for (const who of ['viewer', 'promoter']) {
      const r = await (await ctx.server.as(who)).send('POST', `/api/parcels/${inside.id}/extensions`, EXTENSION);
      expect(r.status, who).toBe(403);
    }
    expect((await ctx.server.anonymous.send('POST', `/api/parcels/${inside.id}/extensions`, EXTENSION)).status).toBe(401);
    const datong = await ctx.server.as('datong');
    const refused = await datong.send('POST', `/api/parcels/${outside.id}/extensions`, { ...EXTENSION, start_date: '2027-03-02', signed_on: '2026-10-20' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/只能为本人负责的开发区的地块登记延期/);
    expect(refused.body.error.message).toMatch(/zones you are assigned to/);
    expect((await datong.send('POST', '/api/parcels/99999999/extensions', EXTENSION)).status).toBe(404);
    expect(await state()).toEqual(snapshot);
    // In its own zone the committee records it.
    const own = await datong.send('POST', `/api/parcels/${inside.id}/extensions`, EXTENSION);
    expect(own.status).toBe(201);
    expect(own.body.extensions[0].recorded_by).toBe('datong');
  });

  it('refuses parcels that are not supplied or have started', async () => {
    const [reserve] = await ctx.db.query<{ id: number }>("SELECT id FROM parcels WHERE status IN ('reserve', 'available') ORDER BY id LIMIT 1");
    const [started] = await ctx.db.query<{ id: number }>(
      'SELECT id FROM parcels WHERE started_date IS NOT NULL AND agreed_start_date IS NOT NULL AND zone_id IS NOT NULL ORDER BY id LIMIT 1',
    );
    const admin = await ctx.server.as('admin');
    const snapshot = await state();
    const r1 = await admin.send('POST', `/api/parcels/${reserve.id}/extensions`, EXTENSION);
    expect(r1.status).toBe(400);
    expect(r1.body.error.message).toMatch(/尚未供应.*not supplied/);
    const r2 = await admin.send('POST', `/api/parcels/${started.id}/extensions`, EXTENSION);
    expect(r2.status).toBe(400);
    expect(r2.body.error.message).toMatch(/动工.*can no longer be extended/);
    expect(await state()).toEqual(snapshot);
  });
});
