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

  it('records a transfer and its 达产复核 from the page: the missed indicator ✗ and in the follow-up list (desktop), forms fit a phone', async () => {
    const [p] = await app.db.query<{ id: number; code: string; zone_id: number }>(
      `SELECT p.id, p.code, p.zone_id FROM parcels p WHERE p.is_standard_land AND p.status = 'available'
         AND NOT EXISTS (SELECT 1 FROM land_transfers t WHERE t.parcel_id = p.id) ORDER BY p.id DESC LIMIT 1`,
    );
    await app.db.query(
      `UPDATE parcels SET min_investment_intensity_wan_per_mu = 300, min_floor_area_ratio = 1.0, max_floor_area_ratio = 2.0, min_tax_per_mu_wan = 15,
         max_energy_tce_per_wan = 0.5, environment_standard = '污水一级排放', min_building_coverage_pct = NULL, max_admin_facility_pct = 7, max_green_pct = NULL WHERE id = $1`,
      [p.id],
    );
    const context = await contextAs(app.browser, app.server, 'landbureau', { width: 1440, height: 900 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/supply?tab=transfers`);
    await page.getByTestId('transfer-new').click();
    const form = page.getByTestId('transfer-form');
    await form.getByTestId('transfer-parcel').fill(p.code);
    await form.getByTestId('transfer-zone').selectOption(String(p.zone_id));
    await form.getByTestId('transfer-contract').fill('E2E-出让-001');
    await form.getByTestId('transfer-enterprise').fill('页面测试企业有限公司');
    await form.getByTestId('transfer-price').fill('960');
    await page.screenshot({ path: shotPath(app, '73-transfer-form-desktop') });
    await form.getByTestId('form-save').click();
    const detail = page.getByTestId('transfer-detail');
    await expect.poll(async () => (await detail.count()) + (await page.getByTestId('form-error').count()), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('form-error').count(), (await page.getByTestId('form-error').allTextContents()).join()).toBe(0);
    await expect.poll(() => detail.getByTestId('parcel-transfer').count(), { timeout: 60_000 }).toBe(1);
    expect(await detail.getByTestId('parcel-transfer').textContent()).toContain('E2E-出让-001');
    const [saved] = await app.db.query<{ agreed: { min_investment_intensity_wan_per_mu: number } }>('SELECT agreed FROM land_transfers WHERE parcel_id = $1', [
      p.id,
    ]);
    expect(saved.agreed.min_investment_intensity_wan_per_mu).toBe(300);

    // The acceptance: investment intensity 280 against ≥ 300 is missed as one types; the rest met.
    await detail.getByTestId('acceptance-new').click();
    const check = page.getByTestId('acceptance-form');
    await check.getByTestId('acceptance-kind').selectOption('capacity');
    await check.getByTestId('actual-investment_intensity_wan_per_mu').fill('280');
    await check.getByTestId('actual-floor_area_ratio').fill('1.5');
    await check.getByTestId('actual-tax_per_mu_wan').fill('20');
    await check.getByTestId('actual-energy_tce_per_wan').fill('0.4');
    await check.getByTestId('actual-environment_met').selectOption('yes');
    await check.getByTestId('actual-admin_facility_pct').fill('5');
    await expect.poll(() => check.getByTestId('judged-investment_intensity_wan_per_mu').textContent()).toBe('✗');
    expect(await check.getByTestId('judged-tax_per_mu_wan').textContent()).toBe('✓');
    await check.getByTestId('acceptance-consequence-input').fill('按合同支付违约金并限期整改');
    await check.getByTestId('acceptance-penalty').fill('50');
    await check.getByTestId('acceptance-deadline').fill('2030-06-30');
    await check.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shotPath(app, '74-acceptance-form-desktop') });
    await check.getByTestId('form-save').click();
    const table = detail.getByTestId('acceptance-table');
    await expect.poll(() => table.locator('.row.missed').count(), { timeout: 60_000 }).toBe(1);
    expect(await table.locator('.row.missed').textContent()).toContain('✗');
    const [a] = await app.db.query<{ overall_met: boolean; follow_up_status: string; correction_deadline: string }>(
      `SELECT a.overall_met, a.follow_up_status, to_char(a.correction_deadline, 'YYYY-MM-DD') AS correction_deadline FROM transfer_acceptances a
         JOIN land_transfers t ON t.id = a.transfer_id WHERE t.parcel_id = $1`,
      [p.id],
    );
    expect(a).toEqual({ overall_met: false, follow_up_status: 'open', correction_deadline: '2030-06-30' });
    await table.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shotPath(app, '75-transfer-recorded-desktop') });
    await page.getByTestId('tab-followups').click();
    await expect.poll(() => page.getByTestId('follow-up-row').filter({ hasText: p.code }).count(), { timeout: 60_000 }).toBe(1);
    await context.close();

    // A phone: the transfer form, the import preview and the lease form fit 390 px.
    const phone = await contextAs(app.browser, app.server, 'admin', { width: 390, height: 844 });
    const small = await phone.newPage();
    await small.goto(`${app.server.url}/supply?tab=transfers`);
    await small.getByTestId('transfer-new').click();
    await small.getByTestId('transfer-form').waitFor();
    await small.getByTestId('import-transfers').getByRole('button').first().click();
    const overflow = () => small.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await small.screenshot({ path: shotPath(app, '76-supply-forms-phone') });
    await small.getByTestId('tab-factories').click();
    await expect.poll(() => small.getByTestId('building-list').locator('tbody tr').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await small.getByTestId('building-list').locator('tbody tr button').first().click();
    await small.getByTestId('lease-new').click();
    await small.getByTestId('lease-form').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await small.getByTestId('lease-form').scrollIntoViewIfNeeded();
    await small.screenshot({ path: shotPath(app, '77-lease-form-phone') });
    await phone.close();
  });
});
