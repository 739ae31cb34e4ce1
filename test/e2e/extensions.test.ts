/**
 * Extensions of the agreed start date in a real browser: a land-bureau user opens an idle parcel's panel,
 * a date earlier than the one in force is refused in the form with nothing written, a proper agreement is
 * listed at once and the panel's idle check follows the extended date.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_AS_OF } from '../../data/generator.ts';
import { waitForMapIdle } from '../helpers/browser.ts';
import { ringCentre } from '../helpers/geo.ts';
import { SHOTS, contextAs, useBrowserApp } from '../helpers/browserApp.ts';

const app = useBrowserApp();

describe('start-date extensions in the parcel panel', { timeout: 240_000 }, () => {
  it('records an extension: refused input changes nothing, a good one lists and takes the parcel out of idle', async () => {
    // Idle by rule 1 on DEMO_AS_OF (2026-10-31): agreed start a year or more before, never started.
    const [p] = await app.db.query<{ id: number; code: string; agreed: string; g: any }>(
      `SELECT id, code, to_char(agreed_start_date, 'YYYY-MM-DD') AS agreed, ST_AsGeoJSON(geom, 9)::json AS g FROM parcels
       WHERE status = 'supplied' AND started_date IS NULL AND supplied_date <= '2026-09-01' AND agreed_start_date <= '2025-10-31' ORDER BY id LIMIT 1`,
    );
    const context = await contextAs(app.browser, app.server, 'landbureau', { width: 1400, height: 1000 });
    const page = await context.newPage();
    // Every wait fails with a message instead of running into the test's time limit.
    page.setDefaultTimeout(30_000);
    const [lon, lat] = ringCentre(p.g.coordinates[0][0]);
    await page.goto(`${app.server.url}/?c=${lon},${lat}&z=17&sel=parcel:${p.id}&layers=zones,parcels&asOf=${DEMO_AS_OF}`);
    await waitForMapIdle(page);
    await page.screenshot({ path: path.join(SHOTS, '60-parcel-extension-before.png') });
    await expect.poll(() => page.getByTestId('parcel-idle').getAttribute('data-state')).toBe('idle');
    await expect.poll(() => page.getByTestId('extensions-none').count()).toBe(1);

    await page.getByTestId('extension-open').click();
    const count = async () => (await app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM parcel_start_extensions WHERE parcel_id = $1', [p.id]))[0].n;
    // The agreed start date itself is not an extension: refused in the form, nothing sent or written.
    await page.getByTestId('extension-start').fill(p.agreed);
    await page.getByTestId('extension-signed').fill('2026-09-01');
    await page.getByTestId('extension-reason').selectOption('planning_change');
    await page.getByTestId('extension-document').fill('晋自然资补〔2026〕7号');
    await page.getByTestId('extension-save').click();
    await expect.poll(() => page.getByTestId('extension-problems').textContent()).toContain(`须晚于现行约定动工日期（${p.agreed}）`);
    expect(await count()).toBe(0);

    await page.getByTestId('extension-start').fill('2026-12-01');
    await page.getByTestId('extension-save').click();
    await expect.poll(() => page.getByTestId('extension-row').count()).toBe(1);
    expect(await page.getByTestId('extension-row').textContent()).toContain(`${p.agreed} → 2026-12-01`);
    expect(await page.getByTestId('extension-row').textContent()).toContain('土地利用总体规划、城乡规划依法修改');
    expect(await page.getByTestId('extension-row').textContent()).toContain('landbureau');
    // Idle from 2027-12-01: 396 days after 2026-10-31, past the 90-day window, so on schedule.
    await expect.poll(() => page.getByTestId('parcel-idle').getAttribute('data-state')).toBe('fine');
    expect(await page.getByTestId('parcel-idle').textContent()).toContain('距认定闲置还有 396 天（2027-12-01）');
    expect(await page.getByTestId('parcel-extended').textContent()).toBe('已延期 至 2026-12-01');
    expect(await count()).toBe(1);
    await page
      .getByTestId('side-panel')
      .screenshot({ path: path.join(SHOTS, '60-parcel-extension.png') })
      .catch(() => page.screenshot({ path: path.join(SHOTS, '60-parcel-extension.png') }));
    await context.close();
  });
});
