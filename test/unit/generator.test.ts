import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_AS_OF, generateDataset } from '../../data/generator.ts';
import { NAMED_PROJECTS, REPORTED_H1_2025, ZONE_SEEDS, DATONG_FACTORY_LEASED_M2 } from '../../data/zoneCatalogue.ts';
import { isValidCreditCode } from '../../domain/creditCode.ts';
import { geodesicAreaSquareMetres } from '../../domain/geodesicArea.ts';
import { isKnownLandUseCode } from '../../domain/landUse.ts';
import { PARCEL_STATUSES, PROJECT_STAGES } from '../../domain/lifecycle.ts';
import { areaMuFromSquareMetres } from '../../domain/units.ts';

const data = generateDataset();
const hash = (d: unknown) => createHash('sha256').update(JSON.stringify(d)).digest('hex');
const daysBetween = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000;

describe('demo generator', () => {
  it('is deterministic: the same seed gives the same data, another seed other data', () => {
    expect(hash(generateDataset())).toBe(hash(data));
    expect(hash(generateDataset({ seed: 7 }))).not.toBe(hash(data));
  });

  it('makes the Shanxi zones of the catalogue, each with parcels', () => {
    expect(data.zones.length).toBeGreaterThanOrEqual(20);
    expect(data.zones.map((z) => z.name)).toEqual(ZONE_SEEDS.map((z) => z.name));
    const perZone = new Map<number, number>();
    for (const p of data.parcels) perZone.set(p.zone_id, (perZone.get(p.zone_id) ?? 0) + 1);
    for (const z of data.zones) expect(perZone.get(z.id)).toBeGreaterThan(20);
    expect(data.zones.some((z) => z.geom.coordinates.length > 1)).toBe(true); // a second area
  });

  it('makes 3,000–10,000 parcels of 5–300 亩 with unique codes per zone and known land uses', () => {
    expect(data.parcels.length).toBeGreaterThanOrEqual(3000);
    expect(data.parcels.length).toBeLessThanOrEqual(10000);
    const codes = new Set(data.parcels.map((p) => `${p.zone_id}/${p.code}`));
    expect(codes.size).toBe(data.parcels.length);
    for (const p of data.parcels) {
      const mu = areaMuFromSquareMetres(geodesicAreaSquareMetres(p.geom));
      expect(mu).toBeGreaterThanOrEqual(5);
      expect(mu).toBeLessThanOrEqual(300);
      expect(isKnownLandUseCode(p.land_use_code)).toBe(true);
    }
  });

  it('covers the whole lifecycle, with dates in lifecycle order', () => {
    const statuses = new Set(data.parcels.map((p) => p.status));
    expect([...statuses].sort()).toEqual(PARCEL_STATUSES.map((s) => s.key).sort());
    for (const p of data.parcels) {
      const dates = PARCEL_STATUSES.map((s) => p[s.dateField]).filter((d): d is string => d !== null);
      expect(dates).toEqual([...dates].sort());
      expect(dates.every((d) => d <= DEMO_AS_OF)).toBe(true);
      // The status's own date is set, and no later step's.
      const rank = PARCEL_STATUSES.findIndex((s) => s.key === p.status);
      for (const s of PARCEL_STATUSES.slice(rank + 1)) expect(p[s.dateField]).toBeNull();
    }
  });

  it('has parcels idle by the legal rule and parcels close to it', () => {
    const supplied = data.parcels.filter((p) => p.status === 'supplied' && p.agreed_start_date);
    const overdue = supplied.map((p) => daysBetween(p.agreed_start_date!, DEMO_AS_OF));
    expect(overdue.filter((d) => d >= 365).length).toBeGreaterThan(20); // rule 1: not started a year after the agreed date
    expect(overdue.filter((d) => d >= 730).length).toBeGreaterThan(5); // two years: take-back stage
    expect(overdue.filter((d) => d >= 275 && d < 365).length).toBeGreaterThan(20); // at risk
    // Rule 2: started, under 1/3 developed or under 25 % invested, stopped a year or more.
    const rule2 = data.parcels.filter(
      (p) =>
        p.status === 'started' &&
        p.work_stopped_since &&
        daysBetween(p.work_stopped_since, DEMO_AS_OF) >= 365 &&
        (p.developed_area_m2! < p.planned_building_area_m2! / 3 || p.invested_wan! < 0.25 * p.agreed_investment_wan!),
    );
    expect(rule2.length).toBeGreaterThan(5);
  });

  it('makes at least 150 projects, with the named ones and their reported figures', () => {
    expect(data.projects.length).toBeGreaterThanOrEqual(150);
    for (const named of NAMED_PROJECTS) expect(data.projects.map((p) => p.name)).toContain(named.name);
    const yaxinke = data.projects.find((p) => p.name === '亚新科汽车零部件制造基地一期')!;
    expect(yaxinke.total_investment_wan).toBe(68000);
    expect(yaxinke.land_area_mu).toBe(272.79);
    expect(data.projects.find((p) => p.name === '双雁生物医药产业园')!.total_investment_wan).toBe(400000);
    expect(data.projects.find((p) => p.name === '捷美再生资源循环利用产业园')!.total_investment_wan).toBe(158000);
    const stages = new Set(data.projects.map((p) => p.stage));
    expect(stages.size).toBe(PROJECT_STAGES.length);
    for (const p of data.projects) {
      const dates = PROJECT_STAGES.map((s) => p[s.dateField]).filter((d): d is string => d !== null);
      expect(dates).toEqual([...dates].sort());
    }
  });

  it('gives enterprises valid credit codes and three years of figures', () => {
    expect(data.enterprises.every((e) => isValidCreditCode(e.credit_code))).toBe(true);
    expect(new Set(data.enterprises.map((e) => e.credit_code)).size).toBe(data.enterprises.length);
    const years = new Map<number, Set<number>>();
    for (const f of data.enterpriseFigures) (years.get(f.enterprise_id) ?? years.set(f.enterprise_id, new Set()).get(f.enterprise_id)!).add(f.year);
    expect([...years.values()].filter((y) => y.size === 3).length).toBeGreaterThan(500);
    // The land a parcel's users hold adds up to the parcel (owner + tenants).
    const used = new Map<number, number>();
    for (const u of data.parcelUses) used.set(u.parcel_id, (used.get(u.parcel_id) ?? 0) + u.area_m2);
    for (const [parcelId, m2] of used) {
      const p = data.parcels[parcelId - 1];
      expect(Math.abs(m2 - geodesicAreaSquareMetres(p.geom)) / m2).toBeLessThan(0.001);
    }
  });

  it('makes 24+ months of zone indicators, matching the reported 朔州 H1 figures', () => {
    const months = new Set(data.monthlyIndicators.map((m) => m.month));
    expect(months.size).toBeGreaterThanOrEqual(24);
    for (const [code, reported] of Object.entries(REPORTED_H1_2025)) {
      const zone = data.zones.find((z) => z.code === code)!;
      const h1 = (year: number) => data.monthlyIndicators.filter((m) => m.zone_id === zone.id && m.month >= `${year}-01-01` && m.month <= `${year}-06-01`);
      const va2025 = h1(2025).reduce((s, m) => s + m.industrial_value_added_wan, 0);
      const va2024 = h1(2024).reduce((s, m) => s + m.industrial_value_added_wan, 0);
      const inv2025 = h1(2025).reduce((s, m) => s + m.industrial_investment_wan, 0);
      const inv2024 = h1(2024).reduce((s, m) => s + m.industrial_investment_wan, 0);
      expect(va2025 / 10000).toBeCloseTo(reported.valueAddedYi, 2);
      expect(inv2025 / 10000).toBeCloseTo(reported.investmentYi, 2);
      expect((100 * (va2025 - va2024)) / va2024).toBeCloseTo(reported.valueAddedGrowthPct, 1);
      expect((100 * (inv2025 - inv2024)) / inv2024).toBeCloseTo(reported.investmentGrowthPct, 1);
    }
  });

  it("matches 大同's reported leased standard-factory floor area", () => {
    const datong = data.zones.find((z) => z.code === 'SX-DTJK')!;
    const leased = data.factoryBuildings.filter((b) => b.zone_id === datong.id).reduce((s, b) => s + b.leased_area_m2, 0);
    expect(leased).toBe(DATONG_FACTORY_LEASED_M2);
    for (const b of data.factoryBuildings) expect(b.leased_area_m2).toBeLessThanOrEqual(b.floor_area_m2);
  });

  it('scales to larger sets for benchmarks', () => {
    const big = generateDataset({ parcels: 20000 });
    expect(big.parcels.length).toBeGreaterThan(18000);
    expect(big.parcels.length).toBeLessThan(22000);
  });

  it("places the chains' firms on all three links in their home cities, with some links weak and a few missing", () => {
    // Counted here from the rows: per (chain, city, link) the firms (at their largest owned parcel) and projects.
    const zoneOf = new Map(data.parcels.map((p) => [p.id, p.zone_id]));
    const cityOf = new Map(data.zones.map((z) => [z.id, z.city]));
    const firmCity = new Map<number, string>();
    const uses = [...data.parcelUses].sort(
      (a, b) => Number(b.role === 'owner') - Number(a.role === 'owner') || b.area_m2 - a.area_m2 || a.parcel_id - b.parcel_id,
    );
    for (const u of uses) if (!firmCity.has(u.enterprise_id)) firmCity.set(u.enterprise_id, cityOf.get(zoneOf.get(u.parcel_id)!)!);
    const onLink = new Map<string, { firms: number; owners: number; projects: number }>();
    const at = (linkId: number, city: string) => {
      const key = `${linkId}|${city}`;
      if (!onLink.has(key)) onLink.set(key, { firms: 0, owners: 0, projects: 0 });
      return onLink.get(key)!;
    };
    for (const m of data.chainLinkEnterprises) {
      const c = at(m.link_id, firmCity.get(m.enterprise_id)!);
      c.firms++;
      if (m.chain_owner) c.owners++;
    }
    for (const p of data.projectChainLinks) at(p.chain_link_id, cityOf.get(data.projects.find((x) => x.id === p.id)!.zone_id)!).projects++;
    // Home cities: the photovoltaic chain's are 太原 and 晋中 (their zones lead in 光伏).
    const chain = data.chains.find((c) => c.key === 'photovoltaic')!;
    const links = data.chainLinks.filter((l) => l.chain_id === chain.id);
    const jinzhong = links.map((l) => at(l.id, '晋中市'));
    expect(jinzhong.every((c) => c.firms >= 3)).toBe(true);
    expect(jinzhong.filter((c) => c.owners > 0)).toHaveLength(1);
    // Over all home cities: most links have firms; a weak one has only projects; a missing one has nothing but a lead.
    const home = [...onLink.entries()].filter(([, c]) => c.firms >= 3);
    const weak = [...onLink.values()].filter((c) => c.firms === 0 && c.projects > 0 && c.projects < 3);
    expect(home.length).toBeGreaterThan(40);
    expect(weak.length).toBeGreaterThan(2);
    const filled = data.leads.filter(
      (l) => !l.signed_date && !l.dropped_on && l.chain_link_id !== null && !onLink.has(`${l.chain_link_id}|${cityOf.get(l.zone_id)}`),
    );
    expect(filled.length).toBeGreaterThan(2);
    // A signed lead sits on its project's link.
    for (const l of data.leads.filter((x) => x.project_id)) {
      const link = data.projectChainLinks.find((p) => p.id === l.project_id)?.chain_link_id;
      if (link) expect(l.chain_link_id).toBe(link);
    }
    // Chains have a leader's post and no invented name.
    expect(data.chains.every((c) => c.leader === null && c.leader_post)).toBe(true);
  });
});
