/**
 * One scope in a real browser, on both databases: the toolbar's picker (province → city → county → zone) puts
 * the scope in the URL, the idle list and its export follow it (file name with scope and date), the other pages
 * keep it, and the 大同 zone committee's account starts on its zone. Desktop and phone.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_AS_OF } from '../../data/generator.ts';
import { browserTargets, contextAs, shotPath, useBrowserApp } from '../helpers/browserApp.ts';

describe.each(browserTargets())('scope on $name', (target) => {
  const app = useBrowserApp(target);

  it('follows the picked scope in the idle list, its export and the other pages', async () => {
    const context = await contextAs(app.browser, app.server, 'landbureau', { width: 1440, height: 900 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/?color=idle&asOf=${DEMO_AS_OF}`);
    await page.getByTestId('idle-list').getByTestId('idle-row').first().waitFor();
    await expect.poll(() => page.getByTestId('idle-scope').textContent()).toBe('山西省');
    // The date reads YYYY-MM-DD whatever the browser's locale (its own date input would say 10/31/2026 here).
    expect(await page.getByTestId('as-of').evaluate((e) => [(e as HTMLInputElement).type, (e as HTMLInputElement).value])).toEqual(['text', DEMO_AS_OF]);

    await page.getByTestId('scope-city').selectOption('大同市');
    await expect.poll(() => new URL(page.url()).searchParams.get('city')).toBe('大同市');
    await expect.poll(() => page.getByTestId('idle-scope').textContent()).toBe('大同市');
    const datong = await app.db.query<{ id: number; name: string }>("SELECT id, name FROM zones WHERE city = '大同市' ORDER BY id");
    const api = (await (await app.server.as('landbureau')).json(`/api/land/idle?asOf=${DEMO_AS_OF}&city=${encodeURIComponent('大同市')}`)).body;
    await expect.poll(() => page.getByTestId('idle-ratio').textContent()).toBe(`${(api.totals.idle_ratio * 100).toFixed(2)}%`);

    const [dtjk] = await app.db.query<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-DTJK'");
    await page.getByTestId('scope-zone').selectOption(String(dtjk.id));
    await expect.poll(() => new URL(page.url()).searchParams.get('zone')).toBe(String(dtjk.id));
    await expect.poll(() => page.getByTestId('idle-scope').textContent()).toBe('大同经开区');
    // Every listed parcel is in the zone (the list refills after its request answers: wait for it).
    await expect
      .poll(async () => {
        const rows = await page.getByTestId('idle-row').allTextContents();
        return rows.length > 0 && rows.every((r) => r.includes('DTJK-'));
      })
      .toBe(true);
    await page.getByTestId('idle-list').screenshot({ path: shotPath(app, '70-idle-scoped') });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('idle-export-xlsx').click()]);
    expect(download.suggestedFilename()).toBe(`闲置土地_大同经开区_${DEMO_AS_OF}.xlsx`);
    await download.cancel();

    // The land dashboard opens on the same scope, and keeps it in its URL.
    await page.getByTestId('open-land').click();
    await page.getByTestId('land-dashboard').waitFor();
    expect(new URL(page.url()).searchParams.get('zone')).toBe(String(dtjk.id));
    await expect.poll(() => page.getByTestId('dashboard-zone').locator('option').count()).toBe(2);
    expect(datong.some((z) => z.id === dtjk.id)).toBe(true);
    await context.close();
  });

  it("starts the 大同 zone committee's account on its zone, on a phone too", async () => {
    const context = await contextAs(app.browser, app.server, 'datong', { width: 390, height: 844 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/?color=idle&asOf=${DEMO_AS_OF}`);
    await page.getByTestId('idle-list').getByTestId('idle-row').first().waitFor();
    await expect.poll(() => page.getByTestId('idle-scope').textContent()).toBe('大同经开区');
    const [dtjk] = await app.db.query<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-DTJK'");
    await expect.poll(() => new URL(page.url()).searchParams.get('zone')).toBe(String(dtjk.id));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: shotPath(app, '71-scope-zone-committee-390') });
    await context.close();
  });
});

describe.each(browserTargets())('catalogue paging on $name', (target) => {
  const app = useBrowserApp(target);

  it('reaches the 201st match with "load more", on a phone too, and the map has a dot for every match', async () => {
    const api = await fetch(`${app.server.url}/api/public/parcels`).then((r) => r.json());
    expect(api.count).toBeGreaterThan(200);
    for (const viewport of [
      { width: 1440, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const context = await app.browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(`${app.server.url}/invest`);
      await expect.poll(() => page.getByTestId('match-count').locator('strong').getAttribute('data-count')).toBe(String(api.count));
      await expect.poll(() => page.locator('[data-testid="parcel-list"] li[data-id]').count()).toBe(200);
      await page.getByTestId('load-more').click();
      const the201st = page.locator(`[data-testid="parcel-list"] li[data-id="${api.points[200][0]}"]`);
      await the201st.waitFor();
      await expect.poll(() => page.locator('[data-testid="parcel-list"] li[data-id]').count()).toBe(Math.min(400, api.count));
      const dots = await page.evaluate(() => (window as any).__catalogueMap.getSource('centres').serialize().data.features.length);
      expect(dots).toBe(api.count);
      await the201st.scrollIntoViewIfNeeded();
      const name = viewport.width < 500 ? '72-catalogue-paged-390' : '72-catalogue-paged';
      await page.screenshot({ path: shotPath(app, name) });
      await context.close();
    }
  });
});
