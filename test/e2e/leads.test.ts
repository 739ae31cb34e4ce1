/**
 * 招商 in a real browser, on both databases: the figures on the page equal the API's and open the leads behind
 * them; a lead recorded on the page is moved on and signed into a project; land that fits it becomes a
 * shortlist whose public link works; the page fits a phone.
 */
import { describe, expect, it } from 'vitest';
import { browserTargets, contextAs, shotPath, useBrowserApp } from '../helpers/browserApp.ts';

describe.each(browserTargets())('招商 page on $name', (target) => {
  const app = useBrowserApp(target);

  it("shows the API's figures, and a figure opens exactly the leads behind it", async () => {
    const context = await contextAs(app.browser, app.server, 'promoter', { width: 1440, height: 900 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/leads`);
    const from = await page.getByTestId('leads-from').inputValue();
    const to = await page.getByTestId('leads-to').inputValue();
    const api = (await (await app.server.as('promoter')).json(`/api/leads/figures?from=${from}&to=${to}`)).body;
    await expect.poll(() => page.getByTestId('fig-negotiating').locator('strong').textContent()).toBe(String(api.inNegotiation.count));
    expect(await page.getByTestId('fig-signed').locator('strong').textContent()).toBe(String(api.signed.count));
    expect(api.inNegotiation.count).toBeGreaterThan(0);
    await page.getByTestId('fig-negotiating').click();
    await expect.poll(() => page.getByTestId('lead-row').count()).toBe(api.inNegotiation.count);
    await page.screenshot({ path: shotPath(app, '60-leads-funnel'), fullPage: true });
    // "Events held" opens the period's events.
    await page.getByTestId('fig-events').click();
    await expect.poll(() => page.getByTestId('event-row').count()).toBe(api.eventsHeld);

    // A city and a chain narrow the figures exactly as the API does (back on the leads tab).
    await page.getByTestId('leads-tab-leads').click();
    const [lead] = await app.db.query<{ chain_id: number; city: string }>(
      `SELECT cl.chain_id, z.city FROM leads l JOIN chain_links cl ON cl.id = l.chain_link_id JOIN zones z ON z.id = l.zone_id
       WHERE l.stage = 'negotiation' AND l.dropped_on IS NULL ORDER BY l.id LIMIT 1`,
    );
    await page.getByTestId('leads-city').selectOption(lead.city);
    await page.getByTestId('leads-chain').selectOption(String(lead.chain_id));
    const scoped = (
      await (await app.server.as('promoter')).json(`/api/leads/figures?from=${from}&to=${to}&city=${encodeURIComponent(lead.city)}&chain=${lead.chain_id}`)
    ).body;
    expect(scoped.funnel[0].reached).toBeLessThan(api.funnel[0].reached);
    await expect.poll(() => page.getByTestId('fig-negotiating').locator('strong').textContent()).toBe(String(scoped.inNegotiation.count));
    expect(await page.getByTestId('fig-signed').locator('strong').textContent()).toBe(String(scoped.signed.count));
    await context.close();
  });

  it('records a lead on the page, moves it on, signs it into a project, and shares land that fits it', async () => {
    const context = await contextAs(app.browser, app.server, 'promoter', { width: 1440, height: 900 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/leads`);
    await page.getByTestId('lead-new').click();
    const [zone] = await app.db.query<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-DTJK'");
    await page.getByTestId('draft-zone').selectOption(String(zone.id));
    await page.getByTestId('draft-investor').fill('浏览器测试氢能有限公司');
    await page.getByTestId('draft-project').fill('氢燃料电池电堆项目');
    await page.getByTestId('draft-investment').fill('50000');
    await page.getByTestId('draft-save').click();
    await expect.poll(() => page.getByTestId('lead-detail').locator('h2').textContent()).toBe('氢燃料电池电堆项目');
    const [stored] = await app.db.query<{ id: number; stage: string }>("SELECT id, stage FROM leads WHERE investor_name = '浏览器测试氢能有限公司'");
    expect(stored.stage).toBe('lead');

    await page.getByTestId('lead-advance').click();
    await expect.poll(async () => (await app.db.query<{ stage: string }>('SELECT stage FROM leads WHERE id = $1', [stored.id]))[0].stage).toBe('contact');
    await page.getByTestId('contact-summary').fill('首次会谈，确认投资意向');
    await page.getByTestId('contact-summary').press('Enter');
    await expect.poll(() => page.getByTestId('lead-detail').textContent()).toContain('首次会谈，确认投资意向');

    // Land that fits, shared as a shortlist whose public link answers.
    const matches = page.getByTestId('lead-matches').locator('input[type=checkbox]');
    await expect.poll(() => matches.count()).toBeGreaterThan(0);
    await matches.first().check();
    await page.getByTestId('lead-shortlist').click();
    const link = await page.getByTestId('lead-shortlist-link').getAttribute('href');
    const token = link!.split('/').pop();
    expect((await fetch(`${app.server.url}/api/public/shortlists/${token}`)).status).toBe(200);

    await page.getByTestId('lead-sign').click();
    await expect.poll(() => page.getByTestId('lead-project').textContent()).toMatch(/#\d+/);
    const [signed] = await app.db.query<{ project_id: number; stage: string }>('SELECT project_id, stage FROM leads WHERE id = $1', [stored.id]);
    expect(signed.stage).toBe('signed');
    const [project] = await app.db.query<{ name: string; stage: string }>('SELECT name, stage FROM projects WHERE id = $1', [signed.project_id]);
    expect(project).toEqual({ name: '氢燃料电池电堆项目', stage: 'signed' });
    await page.screenshot({ path: shotPath(app, '61-lead-signed'), fullPage: true });
    await context.close();
  });

  it('lists standard factories with enough vacant floor beside parcels, only parcels with a tick, on desktop and phone', async () => {
    const [zone] = await app.db.query<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-DTJK'");
    // A tight land range keeps a few small parcels, so the factories rank among the ten shown.
    const [{ max_mu }] = await app.db.query<{ max_mu: number }>(
      "SELECT area_m2 / 666.6666666666666 AS max_mu FROM parcels WHERE status = 'available' ORDER BY area_m2 OFFSET 2 LIMIT 1",
    );
    for (const [width, height, shot] of [
      [1440, 900, '67-lead-factories'],
      [390, 844, '68-lead-factories-phone'],
    ] as const) {
      const context = await contextAs(app.browser, app.server, 'promoter', { width, height });
      const page = await context.newPage();
      await page.goto(`${app.server.url}/leads`);
      await page.getByTestId('lead-new').click();
      await page.getByTestId('draft-zone').selectOption(String(zone.id));
      await page.getByTestId('draft-investor').fill(`厂房测试企业${width}`);
      await page.getByTestId('draft-project').fill('精密零部件加工项目');
      await page.getByTestId('draft-floor').fill('26000');
      await page
        .locator('dialog input[inputmode=decimal]')
        .nth(2)
        .fill(String(Math.ceil(max_mu * 10) / 10));
      await page.getByTestId('draft-save').click();
      await expect.poll(() => page.getByTestId('lead-detail').locator('h2').textContent()).toBe('精密零部件加工项目');
      const [lead] = await app.db.query<{ id: number }>('SELECT id FROM leads WHERE investor_name = $1', [`厂房测试企业${width}`]);
      const api = (await (await app.server.as('promoter')).json(`/api/leads/${lead.id}/matches?limit=10`)).body.matches as { kind: string }[];
      const factories = api.filter((m) => m.kind === 'factory').length;
      expect(factories).toBeGreaterThan(0);
      expect(api.length - factories).toBeGreaterThan(0);
      const list = page.getByTestId('lead-matches');
      await expect.poll(() => list.locator('li[data-kind=factory]').count()).toBe(factories);
      expect(await list.locator('input[type=checkbox]').count()).toBe(api.length - factories);
      expect(await list.locator('li[data-kind=factory] input').count()).toBe(0);
      expect(await list.locator('li[data-kind=factory]').first().textContent()).toMatch(
        /标准厂房.*空置\s+[\d,.]+ m².*空置面积 [\d,]+ m²，满足 26,000 m² 需求/s,
      );
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await list.scrollIntoViewIfNeeded();
      await page.screenshot({ path: shotPath(app, shot) });
      await context.close();
    }
  });

  it('fits a phone: nothing overflows sideways and a lead opens', async () => {
    const context = await contextAs(app.browser, app.server, 'planner', { width: 390, height: 844 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/leads`);
    await expect.poll(() => page.getByTestId('lead-row').count()).toBeGreaterThan(0);
    const overflow = await page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByTestId('lead-row').first().click();
    await expect.poll(() => page.getByTestId('lead-detail').isVisible()).toBe(true);
    // A planner reads leads but not investors' phone numbers, and has no write buttons.
    expect(await page.getByTestId('lead-detail').locator('a[href^="tel:"]').count()).toBe(0);
    expect(await page.getByTestId('lead-advance').count()).toBe(0);
    await page.screenshot({ path: shotPath(app, '62-leads-phone') });
    await context.close();
  });

  it("shows a chain's missing links in the diagram, draws its firms on the map, and opens a link's land", async () => {
    const context = await contextAs(app.browser, app.server, 'promoter', { width: 1440, height: 900 });
    const page = await context.newPage();
    // A chain and city where the chain has firms but some link has no firm and no project of the city,
    // counted here from the tables (a firm is where its main parcel is: owned before leased, the largest).
    const [pick] = await app.db.query<{ chain_id: number; city: string }>(
      `WITH firm_city AS (
         SELECT m.link_id, z.city FROM chain_link_enterprises m JOIN LATERAL (
           SELECT p.zone_id FROM parcel_uses u JOIN parcels p ON p.id = u.parcel_id WHERE u.enterprise_id = m.enterprise_id
           ORDER BY (u.role = 'owner') DESC, u.area_m2 DESC, p.id LIMIT 1) loc ON true JOIN zones z ON z.id = loc.zone_id),
       project_city AS (SELECT p.chain_link_id AS link_id, z.city FROM projects p JOIN zones z ON z.id = p.zone_id WHERE p.chain_link_id IS NOT NULL)
       SELECT cl.chain_id, f.city FROM firm_city f JOIN chain_links cl ON cl.id = f.link_id
       WHERE EXISTS (SELECT 1 FROM chain_links gap WHERE gap.chain_id = cl.chain_id
                       AND NOT EXISTS (SELECT 1 FROM firm_city x WHERE x.link_id = gap.id AND x.city = f.city)
                       AND NOT EXISTS (SELECT 1 FROM project_city x WHERE x.link_id = gap.id AND x.city = f.city))
       GROUP BY cl.chain_id, f.city ORDER BY count(*) DESC, cl.chain_id, f.city LIMIT 1`,
    );
    const api = (await (await app.server.as('promoter')).json(`/api/chains/${pick.chain_id}/map?city=${encodeURIComponent(pick.city)}`)).body;
    const missing = api.links.filter((l: { status: string }) => l.status === 'missing').length;
    expect(missing).toBeGreaterThan(0);
    await page.goto(`${app.server.url}/leads?tab=chains&chain=${pick.chain_id}&city=${encodeURIComponent(pick.city)}`);
    await expect.poll(() => page.getByTestId('chain-link').count()).toBe(api.links.length);
    expect(await page.locator('[data-testid=chain-link][data-status=missing]').count()).toBe(missing);
    // The map draws the chain's points.
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const map = (window as unknown as { __chainMap?: import('maplibre-gl').Map }).__chainMap;
            return map && map.getLayer('chain-points') ? map.queryRenderedFeatures({ layers: ['chain-points'] }).length : 0;
          }),
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0);
    // A missing link opens with the land that suits it.
    await page.locator('[data-testid=chain-link][data-status=missing]').first().click();
    await expect.poll(() => page.getByTestId('chain-link-parcels').locator('li').count()).toBeGreaterThan(0);
    await page.screenshot({ path: shotPath(app, '63-chain-map'), fullPage: true });
    await context.close();

    // On a phone: the diagram stacks, nothing overflows sideways.
    const phone = await contextAs(app.browser, app.server, 'promoter', { width: 390, height: 844 });
    const small = await phone.newPage();
    await small.goto(`${app.server.url}/leads?tab=chains&chain=${pick.chain_id}&city=${encodeURIComponent(pick.city)}`);
    await expect.poll(() => small.getByTestId('chain-link').count()).toBe(api.links.length);
    await expect
      .poll(
        () =>
          small.evaluate(() => {
            const map = (window as unknown as { __chainMap?: import('maplibre-gl').Map }).__chainMap;
            return map && map.getLayer('chain-points') ? map.queryRenderedFeatures({ layers: ['chain-points'] }).length : 0;
          }),
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0);
    expect(await small.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await small.screenshot({ path: shotPath(app, '64-chain-phone'), fullPage: true });
    await phone.close();
  });

  it("sets a chain's 链长 on the page, and placing a firm as 链主 on a missing link makes it present", async () => {
    // A link missing in a city (no firm and no project of the city on it) that a lead of the city would fill.
    const [gap] = await app.db.query<{ link_id: number; chain_id: number; city: string }>(
      `SELECT cl.id AS link_id, cl.chain_id, z.city FROM chain_links cl JOIN leads l ON l.chain_link_id = cl.id JOIN zones z ON z.id = l.zone_id
       WHERE l.signed_date IS NULL AND l.dropped_on IS NULL
         AND NOT EXISTS (SELECT 1 FROM projects p JOIN zones pz ON pz.id = p.zone_id WHERE p.chain_link_id = cl.id AND pz.city = z.city)
         AND NOT EXISTS (SELECT 1 FROM chain_link_enterprises m JOIN parcel_uses u ON u.enterprise_id = m.enterprise_id JOIN parcels pa ON pa.id = u.parcel_id
                         JOIN zones fz ON fz.id = pa.zone_id WHERE m.link_id = cl.id AND fz.city = z.city)
       ORDER BY cl.chain_id, cl.id, z.city LIMIT 1`,
    );
    expect(gap).toBeDefined();
    // A firm of that city (all its parcels there) that is not on the link.
    const [firm] = await app.db.query<{ id: number; name: string }>(
      `SELECT e.id, e.name FROM enterprises e JOIN parcel_uses u ON u.enterprise_id = e.id JOIN parcels p ON p.id = u.parcel_id JOIN zones z ON z.id = p.zone_id
       GROUP BY e.id, e.name HAVING bool_and(z.city = $1) ORDER BY e.id LIMIT 1`,
      [gap.city],
    );
    const context = await contextAs(app.browser, app.server, 'promoter', { width: 1440, height: 900 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/leads?tab=chains&chain=${gap.chain_id}&city=${encodeURIComponent(gap.city)}`);
    const link = page.locator(`[data-testid=chain-link][data-link-id="${gap.link_id}"]`);
    await expect.poll(() => link.getAttribute('data-status')).toBe('missing');

    // 链长: a name and a post.
    await page.getByTestId('chain-leader-edit').click();
    await page.getByTestId('chain-leader-name').fill('赵六');
    await page.getByTestId('chain-leader-post').fill('副市长');
    await page.getByTestId('chain-leader-form').getByTestId('form-save').click();
    await expect.poll(() => page.getByTestId('chain-leader').textContent()).toContain('赵六（副市长）');
    const [chain] = await app.db.query<{ leader: string; leader_post: string }>('SELECT leader, leader_post FROM industry_chains WHERE id = $1', [
      gap.chain_id,
    ]);
    expect(chain).toEqual({ leader: '赵六', leader_post: '副市长' });

    // The missing link: search the firm by name, place it as 链主.
    await link.click();
    await page.getByTestId('placer-q').fill(firm.name);
    await page.getByTestId('placer-search').click();
    const result = page.getByTestId('placer-results').locator('li', { hasText: firm.name });
    await expect.poll(() => result.count()).toBe(1);
    await page.getByTestId('placer-owner').check();
    await result.getByTestId('placer-place').click();
    await expect.poll(() => link.getAttribute('data-status')).toBe('present');
    await expect.poll(() => page.getByTestId('chain-link-firm').filter({ hasText: firm.name }).count()).toBe(1);
    const rows = await app.db.query<{ chain_owner: boolean }>('SELECT chain_owner FROM chain_link_enterprises WHERE link_id = $1 AND enterprise_id = $2', [
      gap.link_id,
      firm.id,
    ]);
    expect(rows).toEqual([{ chain_owner: true }]);
    await page.screenshot({ path: shotPath(app, '65-chain-edit'), fullPage: true });
    await context.close();

    // On a phone: the open link with its placing form fits.
    const phone = await contextAs(app.browser, app.server, 'promoter', { width: 390, height: 844 });
    const small = await phone.newPage();
    await small.goto(`${app.server.url}/leads?tab=chains&chain=${gap.chain_id}&city=${encodeURIComponent(gap.city)}`);
    await small.locator(`[data-testid=chain-link][data-link-id="${gap.link_id}"]`).click();
    await expect.poll(() => small.getByTestId('link-placer').isVisible()).toBe(true);
    expect(await small.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await small.screenshot({ path: shotPath(app, '66-chain-edit-phone'), fullPage: true });
    await phone.close();
  });
});
