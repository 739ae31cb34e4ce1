/**
 * 供地与厂房 in a real browser, on both databases: a parcel's panel shows its transfer and its 达产复核 (agreed
 * against actual, the missed indicator marked ✗, the consequence and its follow-up); the follow-up list shows the
 * open consequences the API lists, overdue first; the page and the panel fit a phone.
 */
import { describe, expect, it } from 'vitest';
import { browserTargets, contextAs, shotPath, useBrowserApp } from '../helpers/browserApp.ts';

describe.each(browserTargets())('供地与厂房 on $name', (target) => {
  const app = useBrowserApp(target);

  /** A demo parcel whose latest acceptance missed an indicator and is still followed up. */
  const missedParcel = async () =>
    (
      await app.db.query<{ id: number; lon: number; lat: number; missed: number; contract_no: string }>(
        `SELECT p.id, ST_X(ST_PointOnSurface(p.geom)) AS lon, ST_Y(ST_PointOnSurface(p.geom)) AS lat, t.contract_no,
           (SELECT count(*)::int FROM jsonb_array_elements(a.results) r WHERE r->>'met' = 'false') AS missed
         FROM transfer_acceptances a JOIN land_transfers t ON t.id = a.transfer_id JOIN parcels p ON p.id = t.parcel_id
         WHERE a.overall_met = false AND a.follow_up_status = 'open' ORDER BY a.id LIMIT 1`,
      )
    )[0];

  for (const viewport of [
    { name: 'desktop', width: 1440, height: 900 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    it(`shows a parcel's transfer and acceptance record (${viewport.name})`, async () => {
      const p = await missedParcel();
      expect(p.missed).toBeGreaterThan(0);
      const context = await contextAs(app.browser, app.server, 'landbureau', { width: viewport.width, height: viewport.height });
      const page = await context.newPage();
      await page.goto(`${app.server.url}/?c=${p.lon},${p.lat}&z=16&sel=parcel:${p.id}&layers=zones,parcels`);
      const record = page.getByTestId('parcel-transfer');
      await page.getByTestId('panel-title').waitFor({ timeout: 60_000 });
      const answer = await page.evaluate(async (id) => {
        const r = await fetch(`/api/parcel-transfers/${id}`);
        return `${r.status} ${(await r.text()).slice(0, 300)}`;
      }, p.id);
      expect(answer).toMatch(/^200 /);
      await expect.poll(() => record.count(), { timeout: 60_000 }).toBe(1);
      expect(await record.textContent()).toContain(p.contract_no);
      const table = page.getByTestId('acceptance-table').first();
      await expect.poll(() => table.locator('.row.missed').count()).toBe(p.missed);
      expect(await table.locator('.row.missed').first().textContent()).toContain('✗');
      expect(await page.getByTestId('acceptance-consequence').first().textContent()).toContain('整改期限');
      await page.getByTestId('acceptance-consequence').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: shotPath(app, `70-parcel-transfer-${viewport.name}`) });
      await context.close();
    });
  }

  it('lists the open follow-ups as the API does, overdue first, with missed indicators in red; fits a phone', async () => {
    const api = (await (await app.server.as('viewer')).json('/api/transfers/follow-ups')).body;
    expect(api.follow_ups.length).toBeGreaterThan(0);
    for (const viewport of [
      { name: 'desktop', width: 1440, height: 900 },
      { name: 'phone', width: 390, height: 844 },
    ]) {
      const context = await contextAs(app.browser, app.server, 'viewer', { width: viewport.width, height: viewport.height });
      const page = await context.newPage();
      await page.goto(`${app.server.url}/supply?tab=followups`);
      const rows = page.getByTestId('follow-up-row');
      await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(api.follow_ups.length);
      expect(await rows.first().locator('td').first().textContent()).toBe(api.follow_ups[0].parcel_code);
      if (api.follow_ups[0].overdue) expect(await rows.first().getAttribute('class')).toContain('overdue');
      const color = await rows
        .first()
        .locator('td.bad')
        .evaluate((el) => getComputedStyle(el).color);
      expect(color).toBe('rgb(179, 38, 30)');
      const overflow = await page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: shotPath(app, `71-follow-ups-${viewport.name}`) });
      // The other tabs open too.
      await page.getByTestId('tab-factories').click();
      await expect.poll(() => page.getByTestId('building-list').locator('tbody tr').count(), { timeout: 60_000 }).toBeGreaterThan(0);
      await page.getByTestId('tab-stats').click();
      await expect.poll(() => page.getByTestId('cultivation-list').locator('tbody tr').count(), { timeout: 60_000 }).toBeGreaterThan(0);
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: shotPath(app, `72-statistics-${viewport.name}`), fullPage: viewport.name === 'desktop' });
      await context.close();
    }
  });
});
