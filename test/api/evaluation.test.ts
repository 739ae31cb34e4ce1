/**
 * 开发区考核 through the API on both databases: 序时进度 against a month worked out by hand, a month not
 * reported, a scheme change moving the ranking in the preview and after saving, the province summing its
 * cities, bad input refused with the database unchanged, imports all or nothing, audit entries, permissions.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EVALUATION_SCHEME, type EvaluationScheme } from '../../domain/evaluation.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { signIn } from '../helpers/server.ts';

describe.each(dbTargets({ writable: true }))('开发区考核 on $name', (target) => {
  const ctx = useApiServer(target);
  const zoneOf = async (code: string) => (await ctx.db.query<{ id: number; city: string }>('SELECT id, city FROM zones WHERE code = $1', [code]))[0];
  const count = async (table: string) => (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  const auditCount = () => count('audit_log');

  it('is internal: anonymous 401; viewers read; only admins and planners edit', async () => {
    expect((await ctx.server.anonymous.get('/api/evaluation/results?month=2026-10')).status).toBe(401);
    const viewer = await ctx.server.as('viewer');
    expect((await viewer.json('/api/evaluation/results?month=2026-10&city=大同市')).status).toBe(200);
    const zone = await zoneOf('SX-DTJK');
    const write = await viewer.send('PUT', '/api/evaluation/targets', { targets: [{ zone_id: zone.id, year: 2026, indicator_key: 'start_rate', target: 70 }] });
    expect(write.status).toBe(403);
    const promoter = await ctx.server.as('promoter');
    expect((await promoter.send('PUT', '/api/evaluation/scheme', { version: 1, scheme: DEFAULT_EVALUATION_SCHEME })).status).toBe(403);
  });

  it('序时进度 of a flow agrees with October worked out by hand; a month not reported is missing', async () => {
    const zone = await zoneOf('SX-DTJK');
    // Jan–Oct 2026 investment 10,000 万元 a month = 100,000; target 150,000 → expected 150,000 × 10/12 = 125,000,
    // progress 100,000 / 125,000 = 0.8, behind by 25,000; ratio rule (cap 1.2) with weight 15 → 12 points.
    await ctx.db.query(
      "UPDATE zone_monthly_indicators SET industrial_investment_wan = 10000 WHERE zone_id = $1 AND month BETWEEN '2026-01-01' AND '2026-10-01'",
      [zone.id],
    );
    const planner = await ctx.server.as('planner');
    const saved = await planner.send('PUT', '/api/evaluation/targets', {
      targets: [{ zone_id: zone.id, year: 2026, indicator_key: 'investment_completion', target: 150_000 }],
    });
    expect(saved.status).toBe(200);
    const res = await planner.json(`/api/evaluation/results?month=2026-10&city=${encodeURIComponent(zone.city)}`);
    expect(res.status).toBe(200);
    const mine = res.body.zones.find((z: { zone_id: number }) => z.zone_id === zone.id);
    const inv = mine.indicators.find((i: { key: string }) => i.key === 'investment_completion');
    expect(inv.value).toBe(100_000);
    expect(inv.target).toBe(150_000);
    expect(inv.expected).toBeCloseTo(125_000, 6);
    expect(inv.progress).toBeCloseTo(0.8, 12);
    expect(inv.gap).toBeCloseTo(25_000, 6);
    expect(inv.behind).toBe(true);
    expect(inv.score).toBeCloseTo(12, 6);
    expect(mine.behind.map((b: { key: string }) => b.key)).toContain('investment_completion');

    // October not reported: the year to date is missing (no score), not zero.
    await ctx.db.query("UPDATE zone_monthly_indicators SET industrial_investment_wan = NULL WHERE zone_id = $1 AND month = '2026-10-01'", [zone.id]);
    const after = await planner.json(`/api/evaluation/results?month=2026-10&city=${encodeURIComponent(zone.city)}`);
    const missing = after.body.zones
      .find((z: { zone_id: number }) => z.zone_id === zone.id)
      .indicators.find((i: { key: string }) => i.key === 'investment_completion');
    expect(missing).toMatchObject({ value: null, progress: null, score: null, missing: ['2026-10'], behind: false });
  });

  it('a scheme change moves the ranking in the preview, and after saving; the save is audited', async () => {
    const city = '大同市';
    const planner = await ctx.server.as('planner');
    const before = (await planner.json(`/api/evaluation/results?month=2026-10&city=${encodeURIComponent(city)}`)).body;
    const last = before.zones[before.zones.length - 1];
    expect(before.zones.length).toBeGreaterThan(1);
    // The last zone gets the best business-environment rating (108 against 90: 1.2, above anyone else's ≤ 1.11).
    const put = await planner.send('PUT', '/api/evaluation/values', {
      values: [{ zone_id: last.zone_id, month: '2026-10', indicator_key: 'business_environment', value: 108 }],
    });
    expect(put.status).toBe(200);
    const { scheme, version } = (await planner.json('/api/evaluation/scheme')).body as { scheme: EvaluationScheme; version: number };
    const draft: EvaluationScheme = {
      ...scheme,
      name: '营商环境单项方案',
      indicators: scheme.indicators.map((i) =>
        i.key === 'business_environment'
          ? { ...i, weights: { industrial: 100, other: 100 }, rule: { type: 'ratio', cap: 1.2 } }
          : { ...i, weights: { industrial: 0, other: 0 } },
      ),
    };
    const versionsBefore = await count('evaluation_schemes');
    const preview = await planner.send('POST', '/api/evaluation/preview', { scheme: draft, month: '2026-10', city });
    expect(preview.status).toBe(200);
    expect(preview.body.scheme_version).toBeNull();
    expect(preview.body.zones[0].zone_id).toBe(last.zone_id);
    expect(preview.body.zones[0].total).toBeCloseTo(120, 6);
    // Nothing saved by the preview.
    expect(await count('evaluation_schemes')).toBe(versionsBefore);
    const still = (await planner.json(`/api/evaluation/results?month=2026-10&city=${encodeURIComponent(city)}`)).body;
    expect(still.zones[0].zone_id).not.toBe(last.zone_id);

    const audits = await auditCount();
    const save = await planner.send('PUT', '/api/evaluation/scheme', { version, scheme: draft, note: '测试' });
    expect(save.status).toBe(200);
    expect(save.body.version).toBe(version + 1);
    expect(await auditCount()).toBe(audits + 1);
    const [entry] = await ctx.db.query<{ entity: string; username: string; after: any }>(
      'SELECT entity, username, after FROM audit_log ORDER BY id DESC LIMIT 1',
    );
    expect(entry).toMatchObject({ entity: 'evaluation_scheme', username: 'planner' });
    expect(entry.after.name).toBe('营商环境单项方案');
    const now = (await planner.json(`/api/evaluation/results?month=2026-10&city=${encodeURIComponent(city)}`)).body;
    expect(now.scheme_version).toBe(version + 1);
    expect(now.zones[0].zone_id).toBe(last.zone_id);
    // The old version stays readable; a stale save is refused.
    expect((await planner.json(`/api/evaluation/scheme?version=${version}`)).body.scheme.name).toBe(scheme.name);
    expect((await planner.json('/api/evaluation/scheme/versions')).body.versions[0].version).toBe(version + 1);
    expect((await planner.send('PUT', '/api/evaluation/scheme', { version, scheme: draft })).status).toBe(409);
  });

  it('the province ranks cities by their zones summed: flows summed, ratios from summed parts', async () => {
    const res = await ctx.server.json('/api/evaluation/results?month=2026-10');
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.cities.length).toBeGreaterThan(1);
    for (const c of body.cities) {
      const zones = body.zones.filter((z: { city: string }) => z.city === c.city);
      expect(c.zone_count).toBe(zones.length);
      const of = (x: { indicators: { key: string; value: number | null; target: number | null }[] }, key: string) => x.indicators.find((i) => i.key === key)!;
      const values = zones.map((z: never) => of(z, 'standard_land_mu').value as number);
      expect(of(c, 'standard_land_mu').value).toBeCloseTo(
        values.reduce((s: number, v: number) => s + v, 0),
        6,
      );
      expect(of(c, 'standard_land_mu').target).toBeCloseTo(
        zones.reduce((s: number, z: never) => s + (of(z, 'standard_land_mu').target as number), 0),
        6,
      );
    }
    // Factory use rate of a city: Σ leased ÷ Σ floor area over its zones, counted here in SQL.
    const city = body.cities[0].city;
    const [{ rate }] = await ctx.db.query<{ rate: number }>(
      'SELECT 100 * sum(f.leased_area_m2) / sum(f.floor_area_m2) AS rate FROM factory_buildings f JOIN zones z ON z.id = f.zone_id WHERE z.city = $1',
      [city],
    );
    const cityRow = body.cities.find((c: { city: string }) => c.city === city);
    expect(cityRow.indicators.find((i: { key: string }) => i.key === 'factory_use_rate').value).toBeCloseTo(rate, 9);
    expect(body.cities.map((c: { rank: number }) => c.rank)).toEqual([...body.cities.map((c: { rank: number }) => c.rank)].sort((a, b) => a - b));
  });

  it('refuses bad input with 400 and leaves the database unchanged', async () => {
    const admin = await ctx.server.as('admin');
    const zone = await zoneOf('SX-DTJK');
    const [schemes, targets, values, audits] = [
      await count('evaluation_schemes'),
      await count('evaluation_targets'),
      await count('evaluation_manual_values'),
      await auditCount(),
    ];
    const { scheme, version } = (await admin.json('/api/evaluation/scheme')).body;
    const heavy = {
      ...scheme,
      indicators: scheme.indicators.map((i: EvaluationScheme['indicators'][number], n: number) =>
        n === 0 ? { ...i, weights: { industrial: 50, other: 50 } } : i,
      ),
    };
    const r1 = await admin.send('PUT', '/api/evaluation/scheme', { version, scheme: heavy });
    expect(r1.status).toBe(400);
    expect(r1.body.error.details.message_zh).toMatch(/权重合计/);
    expect((await admin.send('POST', '/api/evaluation/preview', { scheme: heavy, month: '2026-10', city: null })).status).toBe(400);
    // One bad row among good ones: nothing saved.
    const r2 = await admin.send('PUT', '/api/evaluation/targets', {
      targets: [
        { zone_id: zone.id, year: 2026, indicator_key: 'start_rate', target: 71 },
        { zone_id: zone.id, year: 2026, indicator_key: 'no_such_indicator', target: 1 },
      ],
    });
    expect(r2.status).toBe(400);
    const r3 = await admin.send('PUT', '/api/evaluation/values', { values: [{ zone_id: zone.id, month: '2026-10', indicator_key: 'start_rate', value: 50 }] });
    expect(r3.status).toBe(400);
    expect((await admin.json('/api/evaluation/results?month=2026-13')).status).toBe(400);
    expect((await admin.json('/api/evaluation/results?month=2026-10&year=2025')).status).toBe(400);
    expect((await admin.json('/api/evaluation/results?month=2026-10&city=无此市')).status).toBe(400);
    expect(
      (await admin.send('PUT', '/api/evaluation/targets', { targets: [{ zone_id: zone.id, year: 2026, indicator_key: 'start_rate', target: 'x' }] })).status,
    ).toBe(400);
    expect([await count('evaluation_schemes'), await count('evaluation_targets'), await count('evaluation_manual_values'), await auditCount()]).toEqual([
      schemes,
      targets,
      values,
      audits,
    ]);
  });

  it('imports targets from Excel all or nothing, each row audited', async () => {
    const { cookie, csrfToken } = await signIn(ctx.server.url, 'planner');
    const upload = async (rows: unknown[][]) => {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('目标');
      sheet.addRow(['开发区', '年份', '指标', '目标']);
      for (const r of rows) sheet.addRow(r);
      return fetch(`${ctx.server.url}/api/evaluation/import?kind=targets`, {
        method: 'POST',
        headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
        body: Buffer.from(await book.xlsx.writeBuffer()),
      });
    };
    const targets = await count('evaluation_targets');
    const audits = await auditCount();
    const bad = await upload([
      ['SX-DTJK', 2027, '签约项目开工率', 72],
      ['无名开发区', 2027, 'start_rate', 70],
      ['SX-DTJK', 2027, 'start_rate', 'abc'],
    ]);
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.details.rows.map((r: { line: number }) => r.line)).toEqual([3, 4]);
    expect(await count('evaluation_targets')).toBe(targets);
    expect(await auditCount()).toBe(audits);
    const good = await upload([
      ['SX-DTJK', 2027, '签约项目开工率', 72],
      ['SX-DTJK', 2027, 'idle_ratio', 3],
    ]);
    expect(good.status).toBe(200);
    expect((await good.json()).saved).toBe(2);
    expect(await count('evaluation_targets')).toBe(targets + 2);
    const entries = await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE entity = 'evaluation_target' AND action = 'import'");
    expect(entries[0].n).toBe(2);
    const listed = await ctx.server.json('/api/evaluation/targets?year=2027');
    expect(listed.body.targets.map((t: { indicator_key: string }) => t.indicator_key).sort()).toEqual(['idle_ratio', 'start_rate']);
  });

  it('the bulletin comes as JSON, a PDF and an Excel workbook', async () => {
    const json = await ctx.server.json(`/api/evaluation/bulletin?month=2026-10&city=${encodeURIComponent('大同市')}`);
    expect(json.status).toBe(200);
    const pdf = await ctx.server.get(`/api/evaluation/bulletin?month=2026-10&city=${encodeURIComponent('大同市')}&format=pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const pdfBytes = Buffer.from(await pdf.arrayBuffer());
    expect(pdfBytes.subarray(0, 5).toString()).toBe('%PDF-');
    // Kept for a person to look at, as the browser tests keep their screenshots.
    mkdirSync('test-output', { recursive: true });
    writeFileSync(`test-output/evaluation-bulletin-${target.name}.pdf`, pdfBytes);
    const xlsx = await ctx.server.get('/api/evaluation/bulletin?month=2026-10&format=xlsx');
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    expect(book.worksheets.map((s) => s.name)).toEqual(['各市排名', '开发区排名', '指标明细']);
  });
});
