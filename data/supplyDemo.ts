/**
 * Demo data for 标准地 supply, standard factories and 入统: a transfer record for every supplied 标准地 parcel (its
 * indicators frozen, its owner as the enterprise, its land price), acceptance checks — 达产复核 for parcels at
 * capacity, 竣工验收 for some producing ones — met and missed, with consequences open (some overdue) and settled;
 * yearly supply targets per zone and 临汾's city targets (domain.md); leases on every demo factory building adding
 * up to its leased area today (plus some that ended); completion years; the year 规上 firms were registered; and
 * started projects registered in the investment statistics or not yet. Deterministic from its own random stream,
 * so that adding it leaves every other demo figure as it was.
 */
import { geodesicAreaSquareMetres } from '../domain/geodesicArea.ts';
import { judgeAcceptance, type ActualFigures } from '../domain/standardLand.ts';
import type { StandardLandIndicators } from '../domain/parcelFields.ts';
import type { EnterpriseRow, FactoryBuildingRow, ParcelRow, ParcelUseRow, ProjectRow, ZoneRow } from './generator.ts';

export interface TransferRow {
  id: number;
  parcel_id: number;
  zone_id: number;
  transferred_on: string;
  contract_no: string;
  enterprise_id: number | null;
  enterprise_name: string;
  price_wan: number | null;
  area_mu: number;
  agreed: StandardLandIndicators;
}
export interface AcceptanceRow {
  id: number;
  transfer_id: number;
  kind: 'completion' | 'capacity';
  accepted_on: string;
  actual: ActualFigures;
  results: unknown;
  overall_met: boolean | null;
  consequence: string | null;
  penalty_wan: number | null;
  correction_deadline: string | null;
  follow_up_status: 'open' | 'corrected' | 'penalised' | 'closed';
  follow_up_note: string | null;
}
export interface SupplyTargetRow {
  id: number;
  year: number;
  zone_id: number | null;
  city: string | null;
  reserve_target_mu: number | null;
  supply_target_mu: number | null;
  new_factory_target_m2: number | null;
  factory_use_target_pct: number | null;
}
export interface LeaseRow {
  id: number;
  building_id: number;
  enterprise_id: number | null;
  tenant_name: string;
  leased_area_m2: number;
  start_date: string;
  end_date: string | null;
}

export interface SupplyDemo {
  transfers: TransferRow[];
  acceptances: AcceptanceRow[];
  supplyTargets: SupplyTargetRow[];
  leases: LeaseRow[];
  /** Updates of rows made by the main generator (kept apart so that its rows stay as they were). */
  buildingYears: { id: number; completed_year: number }[];
  aboveScaleSince: { id: number; above_scale_since: number }[];
  projectRegistrations: { id: number; stats_registered_on: string }[];
}

type Rnd = {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  between(min: number, max: number): number;
  chance(p: number): boolean;
};

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + Math.round(days) * 86_400_000).toISOString().slice(0, 10);
}
const minDate = (a: string, b: string) => (a < b ? a : b);
const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

const AGREED_KEYS = [
  'min_investment_intensity_wan_per_mu',
  'min_floor_area_ratio',
  'max_floor_area_ratio',
  'min_tax_per_mu_wan',
  'max_energy_tce_per_wan',
  'environment_standard',
  'min_building_coverage_pct',
  'max_admin_facility_pct',
  'max_green_pct',
] as const;

const TENANT_WORDS = ['精工', '智造', '新材', '电子', '光电', '锐达', '恒信', '云创', '瑞泰', '鑫源', '华拓', '中联'];
const TENANT_SUFFIX = ['科技有限公司', '机械制造有限公司', '新材料有限公司', '电子科技有限公司'];

/** Actual figures that meet each agreed indicator, or miss the ones listed. */
function actualFigures(rnd: Rnd, agreed: StandardLandIndicators, miss: Set<string>): ActualFigures {
  const up = (v: number | null, k: string) => (v === null ? null : round(miss.has(k) ? v * rnd.between(0.7, 0.95) : v * rnd.between(1.02, 1.4), 2));
  const down = (v: number | null, k: string) => (v === null ? null : round(miss.has(k) ? v * rnd.between(1.08, 1.4) : v * rnd.between(0.6, 0.98), 3));
  const far =
    agreed.min_floor_area_ratio !== null || agreed.max_floor_area_ratio !== null
      ? miss.has('floor_area_ratio')
        ? round((agreed.min_floor_area_ratio ?? 1) * rnd.between(0.7, 0.92), 2)
        : round(
            (agreed.min_floor_area_ratio ?? 0.8) +
              ((agreed.max_floor_area_ratio ?? (agreed.min_floor_area_ratio ?? 1) * 2) - (agreed.min_floor_area_ratio ?? 0.8)) * rnd.between(0.1, 0.9),
            2,
          )
      : null;
  return {
    investment_intensity_wan_per_mu: up(agreed.min_investment_intensity_wan_per_mu, 'investment_intensity_wan_per_mu'),
    floor_area_ratio: far,
    tax_per_mu_wan: up(agreed.min_tax_per_mu_wan, 'tax_per_mu_wan'),
    energy_tce_per_wan: down(agreed.max_energy_tce_per_wan, 'energy_tce_per_wan'),
    environment_met: agreed.environment_standard ? !miss.has('environment_met') : null,
    building_coverage_pct: up(agreed.min_building_coverage_pct, 'building_coverage_pct'),
    admin_facility_pct: down(agreed.max_admin_facility_pct, 'admin_facility_pct'),
    green_pct: down(agreed.max_green_pct, 'green_pct'),
  };
}

export function generateSupplyDemo(
  rnd: Rnd,
  zones: ZoneRow[],
  parcels: ParcelRow[],
  enterprises: EnterpriseRow[],
  parcelUses: ParcelUseRow[],
  projects: ProjectRow[],
  factoryBuildings: FactoryBuildingRow[],
  asOf: string,
): SupplyDemo {
  const zoneById = new Map(zones.map((z) => [z.id, z]));
  const enterpriseById = new Map(enterprises.map((e) => [e.id, e]));
  const ownerOf = new Map<number, number>();
  for (const u of parcelUses) if (u.role === 'owner' && !ownerOf.has(u.parcel_id)) ownerOf.set(u.parcel_id, u.enterprise_id);

  const transfers: TransferRow[] = [];
  const acceptances: AcceptanceRow[] = [];
  for (const p of parcels) {
    if (!p.is_standard_land || !p.supplied_date) continue;
    const ownerId = ownerOf.get(p.id) ?? null;
    const zone = zoneById.get(p.zone_id)!;
    const agreed = Object.fromEntries(AGREED_KEYS.map((k) => [k, (p as unknown as Record<string, unknown>)[k] ?? null])) as unknown as StandardLandIndicators;
    const t: TransferRow = {
      id: transfers.length + 1,
      parcel_id: p.id,
      zone_id: p.zone_id,
      transferred_on: p.supplied_date,
      contract_no: `${zone.code.replace(/^SX-/, '')}-${p.supplied_date.slice(0, 4)}-${String(transfers.length + 1).padStart(4, '0')}`,
      enterprise_id: ownerId,
      enterprise_name: ownerId ? enterpriseById.get(ownerId)!.name : `${rnd.pick(TENANT_WORDS)}${rnd.pick(TENANT_SUFFIX)}`,
      price_wan: (p as unknown as { land_price_wan: number | null }).land_price_wan ?? null,
      area_mu: round(geodesicAreaSquareMetres(p.geom) / (10000 / 15), 2),
      agreed,
    };
    transfers.push(t);

    // Checks at acceptance: every parcel at capacity had its 达产复核; a fifth of the producing ones a 竣工验收 so far.
    const kind = p.status === 'at_capacity' ? 'capacity' : p.status === 'producing' && rnd.chance(0.2) ? 'completion' : null;
    if (!kind) continue;
    const base = kind === 'capacity' ? p.at_capacity_date! : (p.completed_date ?? p.producing_date!);
    const acceptedOn = minDate(addDays(base, rnd.int(20, 120)), asOf);
    const missable = ['investment_intensity_wan_per_mu', 'tax_per_mu_wan', 'energy_tce_per_wan', 'floor_area_ratio', 'environment_met'].filter((k) =>
      k === 'floor_area_ratio'
        ? agreed.min_floor_area_ratio !== null
        : k === 'environment_met'
          ? !!agreed.environment_standard
          : agreed[
              k === 'investment_intensity_wan_per_mu'
                ? 'min_investment_intensity_wan_per_mu'
                : k === 'tax_per_mu_wan'
                  ? 'min_tax_per_mu_wan'
                  : 'max_energy_tce_per_wan'
            ] !== null,
    );
    const miss = new Set<string>();
    if (missable.length && rnd.chance(0.22)) {
      miss.add(rnd.pick(missable));
      if (rnd.chance(0.3)) miss.add(rnd.pick(missable));
    }
    const actual = actualFigures(rnd, agreed, miss);
    const judgement = judgeAcceptance(agreed, actual);
    let consequence: string | null = null;
    let penalty: number | null = null;
    let deadline: string | null = null;
    let status: AcceptanceRow['follow_up_status'] = 'closed';
    let note: string | null = null;
    if (judgement.overall_met === false) {
      const taxMissed = miss.has('tax_per_mu_wan') || miss.has('investment_intensity_wan_per_mu');
      penalty = taxMissed ? round(t.area_mu * rnd.between(0.5, 3), 1) : null;
      deadline = addDays(acceptedOn, rnd.pick([180, 270, 365]));
      consequence = taxMissed
        ? `按出让合同约定，限期整改；逾期未达标按差额支付违约金（约 ${penalty} 万元），并取消相关优惠政策。`
        : '按出让合同约定，限期完成节能、环保整改并申请复核。';
      // Older checks are mostly settled; recent ones still open (some already past the deadline).
      const old = acceptedOn < addDays(asOf, -540);
      status = old ? rnd.pick(['corrected', 'penalised', 'closed'] as const) : rnd.chance(0.75) ? 'open' : 'corrected';
      note =
        status === 'open' ? null : status === 'corrected' ? '企业已完成整改，复核达标。' : status === 'penalised' ? '企业已缴纳违约金。' : '整改完成，已办结。';
    }
    acceptances.push({
      id: acceptances.length + 1,
      transfer_id: t.id,
      kind,
      accepted_on: acceptedOn,
      actual,
      results: judgement.results,
      overall_met: judgement.overall_met,
      consequence,
      penalty_wan: penalty,
      correction_deadline: deadline,
      follow_up_status: status,
      follow_up_note: note,
    });
  }

  // Yearly targets per zone: the year's supply with some headroom (so some zones are behind), reserve, factories.
  const supplyTargets: SupplyTargetRow[] = [];
  const year = Number(asOf.slice(0, 4));
  for (const y of [year - 1, year]) {
    for (const z of zones) {
      const supplied = transfers.filter((t) => t.zone_id === z.id && t.transferred_on.startsWith(String(y))).reduce((s, t) => s + t.area_mu, 0);
      supplyTargets.push({
        id: supplyTargets.length + 1,
        year: y,
        zone_id: z.id,
        city: null,
        reserve_target_mu: Math.max(100, Math.round((supplied * rnd.between(1.5, 3)) / 50) * 50),
        supply_target_mu: Math.max(50, Math.round((supplied * rnd.between(0.9, 1.5)) / 10) * 10),
        new_factory_target_m2: rnd.pick([20_000, 30_000, 50_000]),
        factory_use_target_pct: 80,
      });
    }
    // 临汾's own targets (domain.md): ≥ 5000 亩 标准地 in reserve, ≥ 30 万m² new standard factories, use rate ≥ 80 %.
    if (zones.some((z) => z.city === '临汾市'))
      supplyTargets.push({
        id: supplyTargets.length + 1,
        year: y,
        zone_id: null,
        city: '临汾市',
        reserve_target_mu: 5000,
        supply_target_mu: null,
        new_factory_target_m2: 300_000,
        factory_use_target_pct: 80,
      });
  }

  // Leases adding up to each building's leased area today; some buildings also had a tenant that left.
  const leases: LeaseRow[] = [];
  const buildingYears: SupplyDemo['buildingYears'] = [];
  const tenantsByZone = new Map<number, number[]>();
  const zoneOfParcel = new Map(parcels.map((p) => [p.id, p.zone_id]));
  for (const u of parcelUses) {
    const zoneId = zoneOfParcel.get(u.parcel_id);
    if (u.role === 'tenant' && zoneId) tenantsByZone.set(zoneId, [...(tenantsByZone.get(zoneId) ?? []), u.enterprise_id]);
  }
  for (const b of factoryBuildings) {
    const completed = rnd.int(year - 8, year);
    buildingYears.push({ id: b.id, completed_year: completed });
    const firstDay = `${completed}-0${rnd.int(3, 9)}-01`;
    const pieces = Math.min(rnd.int(1, 4), Math.max(1, Math.floor(b.leased_area_m2 / 500)));
    let left = b.leased_area_m2;
    const local = tenantsByZone.get(b.zone_id) ?? [];
    const latestStart = minDate(asOf, addDays(asOf, -10));
    for (let i = 0; i < pieces; i++) {
      const area = i === pieces - 1 ? left : round(b.leased_area_m2 * rnd.between(0.2, 0.5) * (2 / pieces), 0);
      left = round(left - area, 2);
      const enterpriseId = local.length && rnd.chance(0.6) ? rnd.pick(local) : null;
      const start = minDate(addDays(firstDay, rnd.int(0, 500)), latestStart);
      leases.push({
        id: leases.length + 1,
        building_id: b.id,
        enterprise_id: enterpriseId,
        tenant_name: enterpriseId ? enterpriseById.get(enterpriseId)!.name : `${rnd.pick(TENANT_WORDS)}${rnd.pick(TENANT_SUFFIX)}`,
        leased_area_m2: area,
        start_date: start,
        end_date: rnd.chance(0.3) ? null : `${year + rnd.int(1, 5)}-12-31`,
      });
    }
    // A tenant that left before the present ones came (its area never overlaps theirs).
    if (completed <= year - 4 && rnd.chance(0.4)) {
      const start = `${completed}-10-01`;
      leases.push({
        id: leases.length + 1,
        building_id: b.id,
        enterprise_id: null,
        tenant_name: `${rnd.pick(TENANT_WORDS)}${rnd.pick(TENANT_SUFFIX)}`,
        leased_area_m2: round(b.floor_area_m2 * rnd.between(0.1, 0.3), 0),
        start_date: start,
        end_date: `${completed + 1}-09-30`,
      });
      // The present tenants came after it left.
      for (const l of leases)
        if (l.building_id === b.id && l.end_date !== `${completed + 1}-09-30` && l.start_date <= `${completed + 1}-09-30`)
          l.start_date = `${completed + 1}-10-01`;
    }
  }

  // 规上 firms: registered the year their revenue first crossed the threshold (demo: a year before their first figures or later).
  const aboveScaleSince = enterprises.filter((e) => e.above_scale).map((e) => ({ id: e.id, above_scale_since: rnd.int(2012, year - 1) }));

  // Started projects: most registered in the investment statistics within weeks of starting; some not yet.
  const projectRegistrations: SupplyDemo['projectRegistrations'] = [];
  for (const p of projects) {
    if (!p.started_date || p.started_date > asOf) continue;
    if (rnd.chance(0.8)) projectRegistrations.push({ id: p.id, stats_registered_on: minDate(addDays(p.started_date, rnd.int(10, 60)), asOf) });
  }

  return { transfers, acceptances, supplyTargets, leases, buildingYears, aboveScaleSince, projectRegistrations };
}
