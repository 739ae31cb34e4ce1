/**
 * English mode is complete: every page, opened with the language switch on English, shows no Chinese
 * character except proper names and text people typed, read from the database (zone, project, firm, people's
 * names, parcel codes, notes), and a short list of things kept in Chinese on purpose. A string added in
 * Chinese only fails here. Desktop and phone.
 *
 * The page walk runs on the embedded database only: what it checks is the client's own text, which is the same
 * whichever database answers (both are seeded from one generator, and the API's answers are checked against
 * one contract on both by the API tests). Walking 45 pages twice cost 180 s of CI for nothing the first walk
 * does not find. What does depend on the database — the history and audit log, whose times and field names
 * come from each database's own rows — runs on both (below).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_AS_OF } from '../../data/generator.ts';
import { browserTargets, contextAs, shotPath, useBrowserApp } from '../helpers/browserApp.ts';

/** Kept in Chinese on purpose: the switch back to Chinese, and file headers that must be typed in Chinese. */
const CHINESE_ON_PURPOSE = [
  '中文',
  '开发区, 月份, 规上工业增加值（万元）, 工业投资（万元）',
  // Export file names follow the bureaus' Chinese naming (闲置土地_<scope>_<date>), shown as the link's title.
  '闲置土地_山西省_',
];

/** Data people typed or named: shown as stored in either language. */
const DATA_TEXT_SQL = `
  SELECT name AS t FROM zones UNION SELECT name FROM projects UNION SELECT code FROM parcels UNION SELECT name FROM enterprises
  UNION SELECT display_name FROM users UNION SELECT investor_name FROM leads UNION SELECT project_name FROM leads
  UNION SELECT name FROM tours UNION SELECT name FROM promotion_events UNION SELECT organiser FROM promotion_events UNION SELECT place FROM promotion_events
  UNION SELECT name FROM service_items UNION SELECT department FROM service_items UNION SELECT name FROM chain_links UNION SELECT leader FROM industry_chains UNION SELECT leader_post FROM industry_chains
  UNION SELECT enterprise_name FROM land_transfers UNION SELECT tenant_name FROM factory_leases UNION SELECT name FROM factory_buildings
  UNION SELECT consequence FROM transfer_acceptances UNION SELECT follow_up_note FROM transfer_acceptances
  UNION SELECT title FROM project_problems UNION SELECT detail FROM project_problems UNION SELECT answer FROM project_problems
  UNION SELECT department FROM project_problems UNION SELECT assignee_name FROM project_problems
  UNION SELECT name FROM project_people UNION SELECT title FROM project_people UNION SELECT agent_name FROM project_service_items
  UNION SELECT name FROM project_rounds UNION SELECT name FROM evaluation_schemes UNION SELECT title FROM shortlists UNION SELECT note FROM shortlists
  UNION SELECT leading_industry FROM zones UNION SELECT environment_standard FROM parcels UNION SELECT geometry_note FROM parcels
  UNION SELECT description FROM projects UNION SELECT industry_chain FROM projects UNION SELECT industry FROM enterprises
  UNION SELECT note FROM audit_log UNION SELECT summary FROM lead_contacts UNION SELECT with_whom FROM lead_contacts`;

/**
 * Visible text (text nodes, the options of visible selects, placeholders, titles, labels) that still holds a
 * Chinese character once the allowed names are taken out. Elements marked translate="no" hold data as stored.
 */
async function chineseLeft(page: Page, allowed: string[]): Promise<string[]> {
  return page.evaluate((names) => {
    const cjk = /[\u3400-\u9fff]/;
    const visible = (el: Element | null): boolean => {
      if (!el || el.closest('[translate="no"]')) return false;
      for (let e: Element | null = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.display === 'none' || s.visibility === 'hidden') return false;
      }
      return el.tagName === 'OPTION' || el.getClientRects().length > 0;
    };
    const strip = (s: string) => names.reduce((acc, n) => (acc.includes(n) ? acc.split(n).join('') : acc), s);
    const out = new Set<string>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent ?? '';
      const parent = n.parentElement;
      if (!parent || ['SCRIPT', 'STYLE'].includes(parent.tagName) || !cjk.test(text)) continue;
      if (!visible(parent.tagName === 'OPTION' ? parent.closest('select') : parent)) continue;
      if (cjk.test(strip(text))) out.add(text.trim().replace(/\s+/g, ' ').slice(0, 140));
    }
    for (const el of document.querySelectorAll('[placeholder],[title],[aria-label]')) {
      if (!visible(el)) continue;
      for (const a of ['placeholder', 'title', 'aria-label']) {
        const v = el.getAttribute(a);
        if (v && cjk.test(strip(v))) out.add(`@${a}: ${v.slice(0, 140)}`);
      }
    }
    return [...out];
  }, allowed);
}

describe('English mode on the embedded database', () => {
  const app = useBrowserApp(browserTargets()[0]);

  async function setUp() {
    const data = await app.db.query<{ t: string | null }>(DATA_TEXT_SQL);
    const allowed = [...CHINESE_ON_PURPOSE, ...data.map((r) => r.t).filter((t): t is string => !!t)].sort((a, b) => b.length - a.length);
    const one = async <T>(sql: string) => (await app.db.query<T & object>(sql))[0];
    const zone = await one<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-DTJK'");
    const anyParcel = await one<{ id: number; lon: number; lat: number; version: number }>(
      "SELECT id, version, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM parcels WHERE status = 'available' ORDER BY id LIMIT 1",
    );
    // A change, so that the history and the audit log have field names to show.
    const edited = await (
      await app.server.as('planner')
    ).send('PATCH', `/api/parcels/${anyParcel.id}`, {
      version: anyParcel.version,
      changes: { land_use_code: '1101', min_floor_area_ratio: 1.2 },
    });
    expect(edited.status).toBe(200);
    const project = await one<{ id: number }>('SELECT id FROM projects WHERE parcel_id IS NOT NULL ORDER BY id LIMIT 1');
    const offers = (await app.db.query<{ id: number }>("SELECT id FROM parcels WHERE status = 'available' ORDER BY id LIMIT 3")).map((r) => r.id);
    const shortlist = await (
      await app.server.as('promoter')
    ).send('POST', '/api/shortlists', { title: 'Energy storage sites', note: null, parcel_ids: offers });
    expect(shortlist.status).toBe(201);

    // [path, a test id that says the page has its data, further looks at the same page (a tab clicked, a dialog
    // opened) as a person moves through it, a screenshot's name]. One load per page and its tabs: a full page load
    // costs a few seconds of browser CPU in software WebGL, and clicking the tabs is what people do anyway.
    type Look = [string, (page: Page) => Promise<void>];
    type Step = { path: string; ready: string; looks?: Look[]; shot?: string };
    const click = (id: string): Look => [id, (page) => page.getByTestId(id).click()];
    const mapAt = `c=${anyParcel.lon},${anyParcel.lat}&z=16&layers=zones,parcels,projects`;
    const steps: Step[] = [
      { path: `/?color=idle&asOf=${DEMO_AS_OF}`, ready: 'idle-row' },
      { path: '/?color=mujun', ready: 'legend' },
      { path: `/?sel=zone:${zone.id}`, ready: 'panel-title', shot: 'map-zone' },
      { path: `/?${mapAt}&sel=parcel:${anyParcel.id}`, ready: 'panel-title', looks: [click('tab-history'), click('tab-edit')] },
      { path: `/?sel=project:${project.id}`, ready: 'panel-title', looks: [click('tab-edit')] },
      { path: '/', ready: 'open-export', looks: [click('open-export')] },
      { path: '/land', ready: 'indicators', shot: 'land' },
      { path: '/projects', ready: 'pj-briefing', shot: 'projects' },
      { path: '/briefing', ready: 'briefing' },
      { path: '/leads', ready: 'leads-page', looks: [click('leads-tab-chains'), click('leads-tab-events')] },
      { path: '/service', ready: 'service-page', looks: [click('tab-problems'), click('tab-catalogue'), click('tab-figures')] },
      { path: '/tours', ready: 'tours-page' },
      { path: '/evaluation?month=2026-10', ready: 'evaluation-page' },
      { path: '/supply', ready: 'supply-page', looks: [click('tab-followups'), click('tab-factories'), click('tab-stats')] },
      { path: '/admin', ready: 'audit-table' },
      { path: '/import', ready: 'import-page' },
      { path: '/shortlists', ready: 'shortlists-page' },
      { path: '/invest', ready: 'parcel-list', shot: 'invest' },
      { path: `/invest/parcel/${offers[0]}`, ready: 'invest-lang' },
      { path: `/invest/compare?ids=${offers.join(',')}`, ready: 'compare-page' },
      { path: `/invest/list/${shortlist.body.token}`, ready: 'shortlist-page' },
    ];
    return { allowed, steps };
  }

  /**
   * Resolves once no request has been in flight for half a second. Playwright's "networkidle" is a state of the
   * page load and is already reached after a click; a tab's data is fetched after the click.
   */
  function networkQuiet(page: Page): () => Promise<void> {
    let inFlight = 0;
    let lastChange = Date.now();
    page.on('request', () => {
      inFlight++;
      lastChange = Date.now();
    });
    const finished = () => {
      inFlight--;
      lastChange = Date.now();
    };
    page.on('requestfinished', finished);
    page.on('requestfailed', finished);
    return () => expect.poll(() => inFlight === 0 && Date.now() - lastChange >= 500, { timeout: 60_000, interval: 100 }).toBe(true);
  }

  async function walk(viewport: { width: number; height: number }) {
    const { allowed, steps } = await setUp();
    const left: Record<string, string[]> = {};
    const context = await contextAs(app.browser, app.server, 'admin', viewport);
    const page = await context.newPage();
    const quiet = networkQuiet(page);
    const look = async (label: string) => {
      const found = await chineseLeft(page, allowed);
      if (found.length) left[label] = found.slice(0, 8);
    };
    let looked = 0;
    for (const { path, ready, looks = [], shot } of steps) {
      // Phones: the pages people look things up on.
      if (viewport.width < 400 && !/^\/(\?sel|land|projects|leads\b|invest)/.test(path)) continue;
      await page.goto(`${app.server.url}${path}${path.includes('?') ? '&' : '?'}lang=en`);
      await page.getByTestId(ready).first().waitFor({ state: 'attached' });
      await page.waitForLoadState('networkidle');
      await look(path);
      if (shot) await page.screenshot({ path: shotPath(app, `80-english-${shot}-${viewport.width}`) });
      for (const [name, act] of looks) {
        await act(page);
        await quiet();
        await look(`${path} + ${name}`);
      }
      looked += 1 + looks.length;
    }
    await context.close();
    return { left, looked };
  }

  it('shows no Chinese outside proper names and typed text on any page at 1440 × 900', async () => {
    const { left, looked } = await walk({ width: 1440, height: 900 });
    expect(left).toEqual({});
    // Every page and tab of the list was looked at (a step the walk skipped would pass unseen).
    expect(looked).toBe(33);
  }, 900_000);

  it('shows no Chinese outside proper names and typed text on a phone (390 × 844)', async () => {
    const { left, looked } = await walk({ width: 390, height: 844 });
    expect(left).toEqual({});
    expect(looked).toBe(12);
  }, 900_000);
});

describe.each(browserTargets())('history and audit log on $name', (target) => {
  const app = useBrowserApp(target);

  it("names fields as the edit form does and gives times in China's time zone, in both languages", async () => {
    const [p] = await app.db.query<{ id: number; version: number }>("SELECT id, version FROM parcels WHERE status = 'available' ORDER BY id LIMIT 1");
    const res = await (await app.server.as('planner')).send('PATCH', `/api/parcels/${p.id}`, { version: p.version, changes: { land_use_code: '1101' } });
    expect(res.status).toBe(200);
    const [{ at }] = await app.db.query<{ at: string }>("SELECT at FROM audit_log WHERE entity = 'parcel' AND entity_id = $1 ORDER BY id DESC LIMIT 1", [p.id]);
    // Beijing is UTC+8 all year: the expected time by hand, not by the app's function.
    const beijing = new Date(new Date(at).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

    const context = await contextAs(app.browser, app.server, 'admin', { width: 1440, height: 900 });
    const page = await context.newPage();
    for (const [lang, field, action, record] of [
      ['zh', '用地性质', '修改', '地块'],
      ['en', 'Land use', 'changed', 'Parcel'],
    ]) {
      await page.goto(`${app.server.url}/?sel=parcel:${p.id}&lang=${lang}`);
      await page.getByTestId('tab-history').click();
      const entry = page.getByTestId('history').locator('li').first();
      await expect.poll(() => entry.textContent()).toContain(beijing);
      expect(await entry.textContent()).toContain(`planner · ${action}`);
      expect(await entry.locator('th').allTextContents()).toContain(field);
      expect(await entry.textContent()).not.toContain('land_use_code');
      if (lang === 'en') await page.getByTestId('side-panel').screenshot({ path: shotPath(app, '81-history-en') });

      await page.goto(`${app.server.url}/admin?lang=${lang}`);
      const row = page
        .getByTestId('audit-table')
        .locator('tbody tr')
        .filter({ hasText: `${record} ${p.id}` })
        .first();
      await expect.poll(() => row.textContent()).toContain(`${field}: `);
      expect(await row.getByTestId('audit-time').textContent()).toBe(beijing);
      expect(await page.getByTestId('audit-csv').getAttribute('href')).toBe(lang === 'en' ? '/api/audit.csv?lang=en' : '/api/audit.csv?');
      await page.getByTestId('audit-table').screenshot({ path: shotPath(app, `82-audit-${lang}`) });
    }
    await context.close();
  });
});
