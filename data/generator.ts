/**
 * Deterministic demo generator: the same seed and options give the same dataset, byte for byte.
 *
 * Zones are laid out as blocks between roads in a local metric frame, rotated and placed near the real
 * towns (data/zoneCatalogue.ts); blocks are cut into parcels of 5–300 亩 with a land use per block and a
 * status per parcel across the whole lifecycle, with dates anchored on DEMO_AS_OF so that some parcels are
 * idle by the legal rule and some are close to it. All geometry is illustrative (示意).
 */
import { generateTourDemo, type TourDemo } from './tourDemo.ts';
import { generateEvaluationDemo, type EvaluationDemo } from './evaluationDemo.ts';
import { generateServiceDemo, type ServiceDemo } from './serviceDemo.ts';
import { generateSupplyDemo, type SupplyDemo } from './supplyDemo.ts';
import { generateLeadsDemo, type ChainLinkEnterpriseRow, type ChainLinkRow, type ChainRow, type EventRow, type LeadsDemo } from './leadsDemo.ts';
import type { MultiPolygon, Point, Polygon, Position } from 'geojson';
import { creditCodeCheckChar } from '../domain/creditCode.ts';
import { geodesicAreaSquareMetres as areaM2Of } from '../domain/geodesicArea.ts';
import { planProjects, type ProjectPlan } from './projectPlans.ts';
import { INFRASTRUCTURE_ITEMS, type InfrastructureChecklist, type ParcelStatus, type ProjectStage } from '../domain/lifecycle.ts';
import { SQUARE_METRES_PER_MU } from '../domain/units.ts';
import type { StandardLandIndicators } from '../domain/parcelFields.ts';
import { DATONG_FACTORY_LEASED_M2, NAMED_PROJECTS, REPORTED_H1_2025, ZONE_SEEDS, type ZoneSeed } from './zoneCatalogue.ts';

/** The date the demo's lifecycle is anchored on: parcel dates are spread before (and a little after) it. */
export const DEMO_AS_OF = '2026-10-31';
export const DEFAULT_SEED = 20261121;
export const DEFAULT_PARCELS = 6000;

export interface GenerateOptions {
  seed?: number;
  /** Approximate number of parcels (the result is within a few per cent of it). */
  parcels?: number;
}

export interface ZoneRow {
  id: number;
  code: string;
  name: string;
  name_en: string;
  level: 'national' | 'provincial';
  city: string;
  county: string;
  leading_industry: string;
  approved_area_ha: number;
  contact_phone: string;
  geom: MultiPolygon;
}

export interface ParcelRow extends StandardLandIndicators {
  id: number;
  zone_id: number;
  code: string;
  land_use_code: string;
  status: ParcelStatus;
  is_standard_land: boolean;
  reserve_date: string | null;
  available_date: string | null;
  supplied_date: string | null;
  started_date: string | null;
  completed_date: string | null;
  producing_date: string | null;
  at_capacity_date: string | null;
  agreed_start_date: string | null;
  agreed_completion_date: string | null;
  planned_building_area_m2: number | null;
  developed_area_m2: number | null;
  agreed_investment_wan: number | null;
  invested_wan: number | null;
  work_stopped_since: string | null;
  registered_area_m2: number | null;
  infrastructure: InfrastructureChecklist;
  land_price_wan: number | null;
  land_price_internal: boolean;
  internal_note: string | null;
  geom: MultiPolygon;
}

export interface EnterpriseRow {
  id: number;
  credit_code: string;
  name: string;
  industry: string;
  above_scale: boolean;
  founded_date: string;
  /** Safety, environment or energy checks failed (亩均 vetoes). */
  failed_checks: string[];
}

export interface EnterpriseFigureRow {
  enterprise_id: number;
  year: number;
  output_wan: number;
  value_added_wan: number;
  tax_wan: number;
  energy_tce: number;
  emissions_t: number;
  rd_wan: number;
  revenue_wan: number;
  employees: number;
}

export interface ParcelUseRow {
  parcel_id: number;
  enterprise_id: number;
  role: 'owner' | 'tenant';
  area_m2: number;
}

export interface ProjectRow {
  id: number;
  zone_id: number;
  parcel_id: number | null;
  enterprise_id: number | null;
  name: string;
  industry_chain: string;
  is_industrial: boolean;
  stage: ProjectStage;
  total_investment_wan: number;
  completed_investment_wan: number;
  expected_annual_output_wan: number | null;
  land_area_mu: number | null;
  planned_date: string | null;
  signed_date: string | null;
  landed_date: string | null;
  started_date: string | null;
  producing_date: string | null;
  at_capacity_date: string | null;
  description: string | null;
  geom: Point;
}

export interface RoundRow {
  id: number;
  name: string;
  held_on: string;
}
export interface RoundEntryRow {
  round_id: number;
  project_id: number;
  batch: 'signed' | 'started' | 'producing';
}
export interface MonthlyIndicatorRow {
  zone_id: number;
  month: string;
  industrial_value_added_wan: number;
  industrial_investment_wan: number;
}
export interface YearlyTargetRow {
  zone_id: number;
  year: number;
  value_added_growth_target_pct: number;
  investment_growth_target_pct: number;
}
export interface FactoryBuildingRow {
  id: number;
  zone_id: number;
  parcel_id: number;
  name: string;
  floors: number;
  floor_area_m2: number;
  leased_area_m2: number;
  geom: MultiPolygon;
}

export interface Dataset extends EvaluationDemo {
  seed: number;
  asOf: string;
  zones: ZoneRow[];
  parcels: ParcelRow[];
  enterprises: EnterpriseRow[];
  enterpriseFigures: EnterpriseFigureRow[];
  parcelUses: ParcelUseRow[];
  projects: (ProjectRow & ProjectPlan)[];
  rounds: RoundRow[];
  roundEntries: RoundEntryRow[];
  monthlyIndicators: MonthlyIndicatorRow[];
  yearlyTargets: YearlyTargetRow[];
  factoryBuildings: FactoryBuildingRow[];
  chains: ChainRow[];
  chainLinks: ChainLinkRow[];
  chainLinkEnterprises: ChainLinkEnterpriseRow[];
  projectChainLinks: LeadsDemo['projectChainLinks'];
  events: EventRow[];
  leads: LeadsDemo['leads'];
  tours: TourDemo['tours'];
  tourStops: TourDemo['tourStops'];
  tourCriteria: TourDemo['tourCriteria'];
  tourJudges: TourDemo['tourJudges'];
  tourScores: TourDemo['tourScores'];
  serviceItems: ServiceDemo['serviceItems'];
  projectServiceItems: ServiceDemo['projectServiceItems'];
  projectPeople: ServiceDemo['projectPeople'];
  projectProblems: ServiceDemo['projectProblems'];
  transfers: SupplyDemo['transfers'];
  acceptances: SupplyDemo['acceptances'];
  supplyTargets: SupplyDemo['supplyTargets'];
  leases: SupplyDemo['leases'];
  buildingYears: SupplyDemo['buildingYears'];
  aboveScaleSince: SupplyDemo['aboveScaleSince'];
  projectRegistrations: SupplyDemo['projectRegistrations'];
}

// ---------------------------------------------------------------------------------------------------
// Randomness and small helpers

/** mulberry32: tiny, fast, and the same on every platform. */
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    between: (min: number, max: number) => min + (max - min) * next(),
    int: (min: number, max: number) => Math.floor(min + (max - min + 1) * next()),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    /** Picks a key by weight. */
    weighted: <K extends string>(weights: Readonly<Record<K, number>>): K => {
      const entries = Object.entries(weights) as [K, number][];
      const total = entries.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [k, w] of entries) {
        r -= w;
        if (r < 0) return k;
      }
      return entries[entries.length - 1][0];
    },
  };
}
type Random = ReturnType<typeof createRandom>;

const DAY_MS = 86_400_000;
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + Math.round(days) * DAY_MS).toISOString().slice(0, 10);
}
function minDate(a: string, b: string): string {
  return a < b ? a : b;
}
const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

/** A local metric frame (x east, y north, metres) rotated by `angle` and placed at lon0/lat0. */
function makeFrame(lon0: number, lat0: number, angle: number) {
  const metresPerDegLat = 110_574;
  const metresPerDegLon = 111_320 * Math.cos((lat0 * Math.PI) / 180);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return (x: number, y: number): Position => {
    const ex = x * cos - y * sin;
    const ny = x * sin + y * cos;
    return [round(lon0 + ex / metresPerDegLon, 7), round(lat0 + ny / metresPerDegLat, 7)];
  };
}
type Frame = ReturnType<typeof makeFrame>;

function rectangle(frame: Frame, x0: number, y0: number, x1: number, y1: number): Polygon {
  return {
    type: 'Polygon',
    coordinates: [[frame(x0, y0), frame(x1, y0), frame(x1, y1), frame(x0, y1), frame(x0, y0)]],
  };
}

// ---------------------------------------------------------------------------------------------------
// Land use of a block

const BLOCK_USES = {
  industrial: 62,
  storage: 9,
  commercial: 5,
  residential: 3,
  public: 3,
  utility: 4,
  green: 8,
  reserved: 4,
  water: 1,
  transport: 1,
} as const;
type BlockUse = keyof typeof BLOCK_USES;

const MIXED_USE_BLOCK_USES: Record<BlockUse, number> = {
  ...BLOCK_USES,
  industrial: 42,
  residential: 16,
  commercial: 12,
  public: 6,
};

function landUseCodeFor(use: BlockUse, rnd: Random): string {
  switch (use) {
    case 'industrial':
      return rnd.weighted({ '100101': 40, '100102': 45, '100103': 15 });
    case 'storage':
      return '1101';
    case 'commercial':
      return '09';
    case 'residential':
      return '0701';
    case 'public':
      return '08';
    case 'utility':
      return '13';
    case 'green':
      return rnd.weighted({ '1401': 3, '1402': 6, '1403': 1 });
    case 'reserved':
      return '16';
    case 'water':
      return '17';
    case 'transport':
      return '12';
  }
}

/** Land that goes through the market (出让) and so can become idle; the rest is allocated or kept. */
function isMarketLand(use: BlockUse): boolean {
  return use === 'industrial' || use === 'storage' || use === 'commercial' || use === 'residential';
}

// ---------------------------------------------------------------------------------------------------
// The generator

const ENVIRONMENT_STANDARDS = [
  '执行《大气污染物综合排放标准》(GB 16297) 及园区规划环评要求',
  '执行《污水综合排放标准》(GB 8978) 三级标准，纳入园区污水处理厂',
  '符合园区规划环评及“三线一单”管控要求',
];
const NAME_WORDS = [
  '晋',
  '华',
  '泰',
  '鑫',
  '恒',
  '远',
  '昌',
  '瑞',
  '丰',
  '宏',
  '盛',
  '源',
  '达',
  '隆',
  '润',
  '嘉',
  '汇',
  '兴',
  '诚',
  '安',
  '锦',
  '天',
  '宇',
  '博',
  '正',
  '新',
  '德',
  '邦',
  '盈',
  '和',
];
const INDUSTRIES = [
  { industry: '光伏组件', chain: '光伏', suffix: '新能源科技' },
  { industry: '锂电材料', chain: '新型储能', suffix: '新材料' },
  { industry: '储能系统', chain: '新型储能', suffix: '储能科技' },
  { industry: '铝镁合金', chain: '铝镁合金', suffix: '合金材料' },
  { industry: '装备制造', chain: '高端装备', suffix: '装备制造' },
  { industry: '汽车零部件', chain: '汽车零部件', suffix: '汽车部件' },
  { industry: '生物医药', chain: '生物医药', suffix: '生物医药' },
  { industry: '化工新材料', chain: '化工新材料', suffix: '化工' },
  { industry: '食品加工', chain: '食品', suffix: '食品' },
  { industry: '陶瓷建材', chain: '陶瓷', suffix: '陶瓷' },
  { industry: '现代物流', chain: '物流', suffix: '物流' },
  { industry: '电子信息', chain: '信息技术', suffix: '电子科技' },
  { industry: '固废综合利用', chain: '再生资源', suffix: '环保科技' },
];
const PROJECT_KINDS = ['生产线项目', '产业园项目', '基地项目', '扩能改造项目', '研发中心项目', '智能工厂项目'];

export function generateDataset(options: GenerateOptions = {}): Dataset {
  const seed = options.seed ?? DEFAULT_SEED;
  const targetParcels = options.parcels ?? DEFAULT_PARCELS;
  const rnd = createRandom(seed);
  const asOf = DEMO_AS_OF;

  const zones: ZoneRow[] = [];
  const parcels: ParcelRow[] = [];
  const enterprises: EnterpriseRow[] = [];
  const enterpriseFigures: EnterpriseFigureRow[] = [];
  const parcelUses: ParcelUseRow[] = [];
  const projects: ProjectRow[] = [];
  const factoryBuildings: FactoryBuildingRow[] = [];
  const parcelMeta = new Map<number, { use: BlockUse; zone: ZoneSeed; centre: Position; areaM2: number }>();

  const totalWeight = ZONE_SEEDS.reduce((s, z) => s + z.weight, 0);
  // Average parcel ≈ 36 亩; blocks between roads are 220–520 m by 180–400 m.
  const meanParcelM2 = 36 * SQUARE_METRES_PER_MU;
  const meanBlockM2 = 370 * 290;
  const road = 30;

  const usedCreditCodes = new Set<string>();
  function newCreditCode(regionCode: string): string {
    for (;;) {
      const org = Array.from({ length: 8 }, () => rnd.int(0, 9)).join('') + rnd.pick(['0', '1', '2', '3', 'X'.replace('X', String(rnd.int(4, 9)))]);
      const first17 = `91${regionCode}${org}`;
      const check = creditCodeCheckChar(first17);
      if (!check) continue;
      const code = first17 + check;
      if (!usedCreditCodes.has(code)) {
        usedCreditCodes.add(code);
        return code;
      }
    }
  }
  const usedNames = new Set<string>();
  function newEnterpriseName(zone: ZoneSeed, suffix: string): string {
    // Two-character names run out in large benchmark sets: after a few tries, number the name.
    for (let attempt = 0; ; attempt++) {
      const base = attempt < 4 ? '山西' : zone.county.replace(/[县区市]$/, '');
      const name = `${base}${rnd.pick(NAME_WORDS)}${rnd.pick(NAME_WORDS)}${suffix}${attempt >= 8 ? `第${attempt}` : ''}有限公司`;
      if (!usedNames.has(name)) {
        usedNames.add(name);
        return name;
      }
    }
  }

  ZONE_SEEDS.forEach((seedZone, zoneIndex) => {
    const zoneId = zoneIndex + 1;
    const zoneParcels = (targetParcels * seedZone.weight) / totalWeight;
    const blocksNeeded = Math.max(4, (zoneParcels * meanParcelM2) / meanBlockM2);
    const hasSecondArea = rnd.chance(0.6) && blocksNeeded > 8;
    const mainBlocks = hasSecondArea ? blocksNeeded * 0.75 : blocksNeeded;
    const angle = rnd.between(-0.35, 0.35);
    // The main area sits a few km from the town centre, the way zones grow at a town's edge.
    const offsetAngle = rnd.between(0, 2 * Math.PI);
    const offsetKm = rnd.between(2, 5);
    const lon0 = seedZone.lon + (offsetKm * 1000 * Math.cos(offsetAngle)) / (111_320 * Math.cos((seedZone.lat * Math.PI) / 180));
    const lat0 = seedZone.lat + (offsetKm * 1000 * Math.sin(offsetAngle)) / 110_574;

    const areas: Polygon[] = [];
    const parts = [{ frame: makeFrame(lon0, lat0, angle), blocks: mainBlocks, cutCorner: rnd.chance(0.7) }];
    if (hasSecondArea) {
      const a = offsetAngle + rnd.between(-1, 1);
      const d = rnd.between(5, 9) * 1000 + Math.sqrt(blocksNeeded * meanBlockM2);
      parts.push({
        frame: makeFrame(
          lon0 + (d * Math.cos(a)) / (111_320 * Math.cos((lat0 * Math.PI) / 180)),
          lat0 + (d * Math.sin(a)) / 110_574,
          angle + rnd.between(-0.2, 0.2),
        ),
        blocks: blocksNeeded * 0.25,
        cutCorner: false,
      });
    }

    let parcelNo = 0;
    for (const part of parts) {
      const aspect = rnd.between(0.7, 1.4);
      const cols = Math.max(2, Math.round(Math.sqrt(part.blocks * aspect * (part.cutCorner ? 1.2 : 1))));
      const rows = Math.max(2, Math.round((part.blocks * (part.cutCorner ? 1.2 : 1)) / cols));
      const colWidths = Array.from({ length: cols }, () => rnd.between(220, 520));
      const rowHeights = Array.from({ length: rows }, () => rnd.between(180, 400));
      const xs = [0];
      for (const w of colWidths) xs.push(xs[xs.length - 1] + w + road);
      const ys = [0];
      for (const h of rowHeights) ys.push(ys[ys.length - 1] + h + road);
      const W = xs[cols];
      const H = ys[rows];
      const cutCols = part.cutCorner ? Math.max(1, Math.floor(cols / 3)) : 0;
      const cutRows = part.cutCorner ? Math.max(1, Math.floor(rows / 3)) : 0;
      // Outline: the whole grid, less the top-right corner when cut (an L-shaped zone).
      const outline: Position[] = part.cutCorner
        ? [
            part.frame(0, 0),
            part.frame(W, 0),
            part.frame(W, ys[rows - cutRows]),
            part.frame(xs[cols - cutCols], ys[rows - cutRows]),
            part.frame(xs[cols - cutCols], H),
            part.frame(0, H),
            part.frame(0, 0),
          ]
        : rectangle(part.frame, 0, 0, W, H).coordinates[0];
      areas.push({ type: 'Polygon', coordinates: [outline] });

      const uses = seedZone.mixedUse ? MIXED_USE_BLOCK_USES : BLOCK_USES;
      for (let c = 0; c < cols; c++) {
        for (let r = 0; r < rows; r++) {
          if (c >= cols - cutCols && r >= rows - cutRows) continue;
          const bx0 = xs[c] + road / 2;
          const by0 = ys[r] + road / 2;
          const bw = colWidths[c];
          const bh = rowHeights[r];
          const blockUse = rnd.weighted(uses);
          const blockM2 = bw * bh;
          const wholeBlock = blockUse === 'green' || blockUse === 'water' || blockUse === 'reserved';
          let n = wholeBlock ? 1 : Math.round((blockM2 / meanParcelM2) * rnd.between(0.6, 1.4));
          const minM2 = 5 * SQUARE_METRES_PER_MU;
          const maxM2 = 300 * SQUARE_METRES_PER_MU;
          n = Math.max(n, Math.ceil(blockM2 / maxM2), 1);
          n = Math.min(n, Math.floor(blockM2 / (minM2 * 1.6)));
          // Deep blocks with many parcels get two rows of plots back to back.
          const twoRows = n >= 6 && Math.min(bw, bh) > 240;
          const rowsInBlock = twoRows ? 2 : 1;
          const perRow = Math.ceil(n / rowsInBlock);
          const alongX = bw >= bh;
          // Cuts along the block's long side (u, 0..1) for each row (v), made first so that two rows can
          // share the vertices of their common edge: without them rounding leaves slivers of overlap.
          const cuts: number[][] = [];
          for (let k = 0; k < rowsInBlock; k++) {
            const weights = Array.from({ length: perRow }, () => rnd.between(0.6, 1.4));
            const sum = weights.reduce((s, w) => s + w, 0);
            const row = [0];
            for (const w of weights) row.push(row[row.length - 1] + w / sum);
            row[row.length - 1] = 1;
            cuts.push(row);
          }
          // (u, v) in the block → metres in the zone frame → lon/lat.
          const at = (u: number, v: number): Position => (alongX ? part.frame(bx0 + u * bw, by0 + v * bh) : part.frame(bx0 + v * bw, by0 + u * bh));
          for (let k = 0; k < rowsInBlock; k++) {
            for (let j = 0; j + 1 < cuts[k].length; j++) {
              const s0 = cuts[k][j];
              const s1 = cuts[k][j + 1];
              const v0 = k / rowsInBlock;
              const v1 = (k + 1) / rowsInBlock;
              const between = (row: number[] | undefined) => (row ?? []).filter((u) => u > s0 && u < s1);
              const lowerShared = between(k > 0 ? cuts[k - 1] : undefined);
              const upperShared = between(k + 1 < rowsInBlock ? cuts[k + 1] : undefined).reverse();
              const ring: Position[] = [
                at(s0, v0),
                ...lowerShared.map((u) => at(u, v0)),
                at(s1, v0),
                at(s1, v1),
                ...upperShared.map((u) => at(u, v1)),
                at(s0, v1),
                at(s0, v0),
              ];
              // Counter-clockwise outer ring (RFC 7946) whichever way the block's axes run.
              if (!alongX) ring.reverse();
              const polygon: Polygon = { type: 'Polygon', coordinates: [ring] };
              parcelNo++;
              const id = parcels.length + 1;
              const useCode = landUseCodeFor(blockUse, rnd);
              const geom: MultiPolygon = { type: 'MultiPolygon', coordinates: [polygon.coordinates] };
              const areaM2 = areaM2Of(polygon);
              const centre = at((s0 + s1) / 2, (v0 + v1) / 2);
              parcelMeta.set(id, { use: blockUse, zone: seedZone, centre, areaM2 });
              parcels.push(
                makeParcel(rnd, {
                  id,
                  zoneId,
                  code: `${seedZone.code.slice(3)}-${String(parcelNo).padStart(4, '0')}`,
                  landUseCode: useCode,
                  use: blockUse,
                  zoneLevel: seedZone.level,
                  areaM2,
                  geom,
                  asOf,
                }),
              );
            }
          }
        }
      }
    }

    const zoneGeom: MultiPolygon = { type: 'MultiPolygon', coordinates: areas.map((p) => p.coordinates) };
    const zoneArea = areas.reduce((s, p) => s + areaM2Of(p), 0);
    zones.push({
      id: zoneId,
      code: seedZone.code,
      name: seedZone.name,
      name_en: seedZone.nameEn,
      level: seedZone.level,
      city: seedZone.city,
      county: seedZone.county,
      leading_industry: seedZone.leadingIndustry,
      approved_area_ha: round((zoneArea / 10_000) * rnd.between(0.95, 1.3), 1),
      contact_phone: `${seedZone.phoneAreaCode}-${rnd.int(2000000, 8999999)}`,
      geom: zoneGeom,
    });
  });

  // Enterprises on the land in use: an owner for each started-or-later market parcel, tenants on some.
  const zoneById = new Map(zones.map((z) => [z.id, z]));
  const ownerOf = new Map<number, number>();
  for (const p of parcels) {
    const meta = parcelMeta.get(p.id)!;
    if (!isMarketLand(meta.use) || meta.use === 'residential') continue;
    if (!['started', 'completed', 'producing', 'at_capacity'].includes(p.status)) continue;
    // One firm in ten holds a second parcel in the same zone.
    const previous = enterprises.length > 0 && rnd.chance(0.1) ? enterprises[enterprises.length - 1] : null;
    const previousParcel = previous ? parcelUses.find((u) => u.enterprise_id === previous.id && u.role === 'owner') : undefined;
    let enterpriseId: number;
    if (previous && previousParcel && parcels[previousParcel.parcel_id - 1].zone_id === p.zone_id) {
      enterpriseId = previous.id;
    } else {
      const kind = meta.use === 'storage' ? INDUSTRIES[10] : meta.use === 'commercial' ? INDUSTRIES[10] : rnd.pick(INDUSTRIES);
      enterpriseId = enterprises.length + 1;
      enterprises.push({
        id: enterpriseId,
        credit_code: newCreditCode(meta.zone.regionCode),
        name: newEnterpriseName(meta.zone, kind.suffix),
        industry: kind.industry,
        above_scale: false,
        founded_date: addDays(p.supplied_date ?? asOf, -rnd.int(30, 400)),
        failed_checks: [],
      });
    }
    ownerOf.set(p.id, enterpriseId);
    const areaM2 = round(meta.areaM2, 1);
    const tenants = ['producing', 'at_capacity'].includes(p.status) && rnd.chance(0.2) ? rnd.int(1, 2) : 0;
    let leased = 0;
    for (let t = 0; t < tenants; t++) {
      const kind = rnd.pick(INDUSTRIES);
      const tenantId = enterprises.length + 1;
      enterprises.push({
        id: tenantId,
        credit_code: newCreditCode(meta.zone.regionCode),
        name: newEnterpriseName(meta.zone, kind.suffix),
        industry: kind.industry,
        above_scale: false,
        founded_date: addDays(p.producing_date ?? asOf, rnd.int(0, 300)),
        failed_checks: [],
      });
      const tenantArea = round(areaM2 * rnd.between(0.1, 0.25), 1);
      leased += tenantArea;
      parcelUses.push({ parcel_id: p.id, enterprise_id: tenantId, role: 'tenant', area_m2: tenantArea });
    }
    parcelUses.push({ parcel_id: p.id, enterprise_id: enterpriseId, role: 'owner', area_m2: round(areaM2 - leased, 1) });
  }

  // Three years of figures per enterprise, on the land it uses; firms that started recently have fewer.
  const landOf = new Map<number, number>();
  const statusOf = new Map<number, ParcelStatus>();
  for (const u of parcelUses) {
    landOf.set(u.enterprise_id, (landOf.get(u.enterprise_id) ?? 0) + u.area_m2);
    const s = parcels[u.parcel_id - 1].status;
    statusOf.set(u.enterprise_id, s);
  }
  for (const e of enterprises) {
    const mu = (landOf.get(e.id) ?? 0) / SQUARE_METRES_PER_MU;
    const status = statusOf.get(e.id);
    // 亩均 output varies a lot between firms: that is what the 亩均论英雄 ranking is about.
    const outputPerMu = rnd.between(60, 900) * (status === 'at_capacity' ? 1.3 : 1);
    const taxShare = rnd.between(0.015, 0.06);
    const growth = rnd.between(-0.1, 0.25);
    let aboveScale = false;
    for (const year of [2023, 2024, 2025]) {
      const producingSince = e.founded_date.slice(0, 4);
      if (status === 'started' || status === 'completed') continue;
      if (Number(producingSince) > year) continue;
      const factor = Math.pow(1 + growth, year - 2025);
      const output = round(outputPerMu * mu * factor * rnd.between(0.9, 1.1), 1);
      const revenue = round(output * rnd.between(0.9, 1.1), 1);
      if (revenue >= 2000) aboveScale = true;
      enterpriseFigures.push({
        enterprise_id: e.id,
        year,
        output_wan: output,
        value_added_wan: round(output * rnd.between(0.18, 0.32), 1),
        tax_wan: round(output * taxShare, 1),
        energy_tce: round(output * rnd.between(0.02, 0.4), 1),
        emissions_t: round(output * rnd.between(0.0005, 0.006), 2),
        rd_wan: round(revenue * rnd.between(0.002, 0.05), 1),
        revenue_wan: revenue,
        employees: Math.max(5, Math.round(output / rnd.between(80, 250))),
      });
    }
    e.above_scale = aboveScale;
  }
  // About 3 % failed a safety, environment or energy check. A separate stream, so that adding this did not
  // change anything generated before it.
  const checks = createRandom(seed ^ 0x5eed);
  for (const e of enterprises) {
    if (checks.chance(0.03)) e.failed_checks = [checks.pick(['safety', 'environment', 'energy'])];
  }

  // Projects: the named ones first, on suitable parcels of their zone, then generated ones.
  const stageForStatus: Partial<Record<ParcelStatus, ProjectStage>> = {
    supplied: 'landed',
    started: 'started',
    completed: 'started',
    producing: 'producing',
    at_capacity: 'at_capacity',
  };
  const parcelsWithProject = new Set<number>();
  const marketParcelsByZone = new Map<number, ParcelRow[]>();
  for (const p of parcels) {
    const meta = parcelMeta.get(p.id)!;
    if (meta.use !== 'industrial' && meta.use !== 'storage') continue;
    const list = marketParcelsByZone.get(p.zone_id) ?? [];
    list.push(p);
    marketParcelsByZone.set(p.zone_id, list);
  }
  function addProject(
    zoneId: number,
    input: {
      name: string;
      chain: string;
      stage: ProjectStage;
      parcel: ParcelRow | null;
      totalWan?: number;
      landAreaMu?: number;
      description?: string;
      point?: Position;
    },
  ) {
    const id = projects.length + 1;
    const p = input.parcel;
    const meta = p ? parcelMeta.get(p.id)! : null;
    const total = input.totalWan ?? round(p?.agreed_investment_wan ?? rnd.between(5000, 120000), 0);
    const stageIndex = ['planned', 'signed', 'landed', 'started', 'producing', 'at_capacity'].indexOf(input.stage);
    // Stage dates: the parcel's where it has them; earlier steps are spread back from the next known one,
    // so the dates always come in the order of the stages.
    const stageKeys = ['planned', 'signed', 'landed', 'started', 'producing', 'at_capacity'] as const;
    const fromParcel: Record<string, string | null | undefined> = {
      landed: p?.supplied_date,
      started: p?.started_date,
      producing: p?.producing_date,
      at_capacity: p?.at_capacity_date,
    };
    const dates: Record<string, string | null> = {};
    let next = addDays(asOf, -rnd.int(20, 200));
    for (let i = stageKeys.length - 1; i >= 0; i--) {
      const key = stageKeys[i];
      if (i > stageIndex) {
        dates[key] = null;
        continue;
      }
      const known = fromParcel[key];
      // Parcel dates are already in lifecycle order, so they can be taken as they are.
      dates[key] = known ?? (i === stageIndex ? next : addDays(next, -rnd.int(60, 260)));
      next = addDays(dates[key]!, -rnd.int(30, 200));
    }
    const completedShare =
      input.stage === 'at_capacity' || input.stage === 'producing'
        ? rnd.between(0.85, 1)
        : input.stage === 'started'
          ? rnd.between(0.1, 0.8)
          : input.stage === 'landed'
            ? rnd.between(0, 0.1)
            : 0;
    projects.push({
      id,
      zone_id: zoneId,
      parcel_id: p?.id ?? null,
      enterprise_id: p ? (ownerOf.get(p.id) ?? null) : null,
      name: input.name,
      industry_chain: input.chain,
      is_industrial: input.chain !== '电商物流' && input.chain !== '物流',
      stage: input.stage,
      total_investment_wan: total,
      completed_investment_wan: round(total * completedShare, 0),
      expected_annual_output_wan: round(total * rnd.between(0.8, 2.5), 0),
      land_area_mu: input.landAreaMu ?? (meta ? round(meta.areaM2 / SQUARE_METRES_PER_MU, 2) : null),
      planned_date: dates.planned,
      signed_date: dates.signed,
      landed_date: dates.landed,
      started_date: dates.started,
      producing_date: dates.producing,
      at_capacity_date: dates.at_capacity,
      description: input.description ?? null,
      geom: { type: 'Point', coordinates: meta ? meta.centre : (input.point ?? zoneById.get(zoneId)!.geom.coordinates[0][0][0]) },
    });
    if (p) parcelsWithProject.add(p.id);
  }
  function freeParcelFor(zoneId: number, stage: ProjectStage, preferAreaMu?: number): ParcelRow | null {
    const candidates = (marketParcelsByZone.get(zoneId) ?? []).filter((p) => !parcelsWithProject.has(p.id) && stageForStatus[p.status] === stage);
    if (candidates.length === 0) return null;
    if (preferAreaMu) {
      const target = preferAreaMu * SQUARE_METRES_PER_MU;
      return candidates.reduce((best, p) => (Math.abs(parcelMeta.get(p.id)!.areaM2 - target) < Math.abs(parcelMeta.get(best.id)!.areaM2 - target) ? p : best));
    }
    return rnd.pick(candidates);
  }
  function pointInZone(zoneId: number): Position {
    const list = marketParcelsByZone.get(zoneId) ?? parcels.filter((p) => p.zone_id === zoneId);
    const available = list.filter((p) => p.status === 'available' || p.status === 'reserve');
    const p = rnd.pick(available.length ? available : list);
    return parcelMeta.get(p.id)!.centre;
  }

  const zoneIdByCode = new Map(zones.map((z) => [z.code, z.id]));
  for (const named of NAMED_PROJECTS) {
    const zoneId = zoneIdByCode.get(named.zoneCode)!;
    const parcel = named.stage === 'signed' ? null : freeParcelFor(zoneId, named.stage, named.landAreaMu);
    addProject(zoneId, {
      name: named.name,
      chain: named.industryChain,
      stage: parcel ? named.stage : 'signed',
      parcel,
      totalWan: named.totalInvestmentWan ?? round(rnd.between(50000, 600000), -2),
      landAreaMu: named.landAreaMu,
      description: named.note,
      point: parcel ? undefined : pointInZone(zoneId),
    });
  }
  for (const zone of zones) {
    const seedZone = ZONE_SEEDS[zone.id - 1];
    const count = Math.max(4, Math.round(7 * seedZone.weight * Math.sqrt(targetParcels / DEFAULT_PARCELS)));
    for (let i = 0; i < count; i++) {
      const stage = rnd.weighted<ProjectStage>({ planned: 1, signed: 2, landed: 1.5, started: 2.5, producing: 2.5, at_capacity: 1 });
      const parcel = stage === 'planned' || stage === 'signed' ? null : freeParcelFor(zone.id, stage);
      if (!parcel && stage !== 'planned' && stage !== 'signed') continue;
      const kind = rnd.pick(INDUSTRIES);
      const owner = parcel ? ownerOf.get(parcel.id) : undefined;
      const firm = owner
        ? enterprises[owner - 1].name.replace(/^山西/, '').replace(/有限公司$/, '')
        : `${rnd.pick(NAME_WORDS)}${rnd.pick(NAME_WORDS)}${kind.suffix}`;
      addProject(zone.id, {
        name: `${firm}${kind.industry}${rnd.pick(PROJECT_KINDS)}`,
        chain: kind.chain,
        stage,
        parcel,
        point: parcel ? undefined : pointInZone(zone.id),
      });
    }
  }

  // 三个一批 rounds: each project is listed in a round under the batch of the step it took since the last one.
  const rounds: RoundRow[] = [
    { id: 1, name: '2024年第一次', held_on: '2024-03-20' },
    { id: 2, name: '2024年第二次', held_on: '2024-09-20' },
    { id: 3, name: '2025年第一次', held_on: '2025-03-20' },
    { id: 4, name: '2025年第二次', held_on: '2025-09-20' },
    { id: 5, name: '2026年第一次', held_on: '2026-03-20' },
  ];
  const roundEntries: RoundEntryRow[] = [];
  for (const pr of projects) {
    let previous = '2023-09-20';
    for (const r of rounds) {
      const inWindow = (d: string | null) => d !== null && d > previous && d <= r.held_on;
      const batch = inWindow(pr.producing_date) ? 'producing' : inWindow(pr.started_date) ? 'started' : inWindow(pr.signed_date) ? 'signed' : null;
      if (batch) roundEntries.push({ round_id: r.id, project_id: pr.id, batch });
      previous = r.held_on;
    }
  }

  // Monthly indicators, January 2024 to the anchor month; 朔州 zones match their reported H1 2025.
  const monthlyIndicators: MonthlyIndicatorRow[] = [];
  const yearlyTargets: YearlyTargetRow[] = [];
  const seasonal = [0.55, 0.6, 0.95, 1.0, 1.0, 1.15, 0.95, 0.95, 1.05, 1.0, 1.05, 1.35];
  const seasonalH1 = seasonal.slice(0, 6).reduce((s, v) => s + v, 0);
  for (const zone of zones) {
    const seedZone = ZONE_SEEDS[zone.id - 1];
    const reported = REPORTED_H1_2025[zone.code];
    const growth = { 2025: rnd.between(-0.12, 0.2), 2026: rnd.between(-0.08, 0.22) } as Record<number, number>;
    const invGrowth = { 2025: rnd.between(-0.3, 0.3), 2026: rnd.between(-0.2, 0.35) } as Record<number, number>;
    let va2024 = seedZone.weight * rnd.between(2500, 6000);
    let inv2024 = seedZone.weight * rnd.between(1200, 4000);
    if (reported) {
      // Monthly 2024 base so that 2025 H1 = reported value and growth = reported growth.
      growth[2025] = reported.valueAddedGrowthPct / 100;
      invGrowth[2025] = reported.investmentGrowthPct / 100;
      va2024 = (reported.valueAddedYi * 10000) / (1 + growth[2025]) / seasonalH1;
      inv2024 = (reported.investmentYi * 10000) / (1 + invGrowth[2025]) / seasonalH1;
    }
    const h1Totals = { va: 0, inv: 0 };
    const rows: MonthlyIndicatorRow[] = [];
    for (let year = 2024; year <= 2026; year++) {
      const lastMonth = year === 2026 ? Number(asOf.slice(5, 7)) : 12;
      const vaFactor = year === 2024 ? 1 : year === 2025 ? 1 + growth[2025] : (1 + growth[2025]) * (1 + growth[2026]);
      const invFactor = year === 2024 ? 1 : year === 2025 ? 1 + invGrowth[2025] : (1 + invGrowth[2025]) * (1 + invGrowth[2026]);
      for (let m = 1; m <= lastMonth; m++) {
        // Reported zones keep exact seasonal shares in H1 so that the sums and growth match the reports.
        const noise = reported && m <= 6 && year <= 2025 ? 1 : rnd.between(0.93, 1.07);
        const row = {
          zone_id: zone.id,
          month: `${year}-${String(m).padStart(2, '0')}-01`,
          industrial_value_added_wan: round(va2024 * seasonal[m - 1] * vaFactor * noise, 2),
          industrial_investment_wan: round(inv2024 * seasonal[m - 1] * invFactor * noise, 2),
        };
        if (year === 2025 && m <= 6) {
          h1Totals.va += row.industrial_value_added_wan;
          h1Totals.inv += row.industrial_investment_wan;
        }
        rows.push(row);
      }
      yearlyTargets.push({
        zone_id: zone.id,
        year,
        value_added_growth_target_pct: round(rnd.pick([8, 10, 12, 15]), 1),
        investment_growth_target_pct: round(rnd.pick([10, 12, 15, 20]), 1),
      });
    }
    if (reported) {
      // Put the rounding remainder in June so that H1 sums to the reported figure to the cent.
      const june = rows.find((r) => r.month === '2025-06-01')!;
      june.industrial_value_added_wan = round(june.industrial_value_added_wan + reported.valueAddedYi * 10000 - h1Totals.va, 2);
      june.industrial_investment_wan = round(june.industrial_investment_wan + reported.investmentYi * 10000 - h1Totals.inv, 2);
    }
    monthlyIndicators.push(...rows);
  }

  // Standard factory buildings on the larger producing parcels; 大同's leased floor area matches the report.
  for (const zone of zones) {
    const candidates = (marketParcelsByZone.get(zone.id) ?? [])
      .filter((p) => p.status === 'producing' || p.status === 'at_capacity' || p.status === 'completed')
      .sort((a, b) => parcelMeta.get(b.id)!.areaM2 - parcelMeta.get(a.id)!.areaM2);
    const count = zone.code === 'SX-DTJK' ? Math.min(8, candidates.length) : Math.min(rnd.int(2, 5), candidates.length);
    const buildings: FactoryBuildingRow[] = [];
    for (let i = 0; i < count; i++) {
      const p = candidates[i];
      const ring = p.geom.coordinates[0][0];
      // Footprint: the parcel's rectangle shrunk towards its centre (60 % of each side).
      const [cx, cy] = parcelMeta.get(p.id)!.centre;
      const shrink = (pt: Position): Position => [round(cx + (pt[0] - cx) * 0.6, 7), round(cy + (pt[1] - cy) * 0.6, 7)];
      const footprint: Polygon = { type: 'Polygon', coordinates: [ring.map(shrink)] };
      const floors = rnd.int(2, 5);
      const floorArea = round(areaM2Of(footprint) * floors, 0);
      buildings.push({
        id: factoryBuildings.length + buildings.length + 1,
        zone_id: zone.id,
        parcel_id: p.id,
        name: `${zone.name.replace(/(经济技术开发区|高新技术产业开发区|开发区|示范区)$/, '')}标准化厂房${i + 1}号楼`,
        floors,
        floor_area_m2: floorArea,
        leased_area_m2: round(floorArea * rnd.between(0.4, 1), 0),
        geom: { type: 'MultiPolygon', coordinates: [footprint.coordinates] },
      });
    }
    if (zone.code === 'SX-DTJK' && buildings.length > 0) {
      const totalFloor = buildings.reduce((s, b) => s + b.floor_area_m2, 0);
      if (totalFloor < DATONG_FACTORY_LEASED_M2 / 0.85) {
        // Add floors until the buildings can hold the reported leased area with some left free.
        for (const b of buildings) {
          const perFloor = b.floor_area_m2 / b.floors;
          b.floors = Math.ceil((DATONG_FACTORY_LEASED_M2 / 0.85 / totalFloor) * b.floors);
          b.floor_area_m2 = round(perFloor * b.floors, 0);
        }
      }
      const newTotal = buildings.reduce((s, b) => s + b.floor_area_m2, 0);
      let assigned = 0;
      buildings.forEach((b, i) => {
        b.leased_area_m2 =
          i === buildings.length - 1 ? DATONG_FACTORY_LEASED_M2 - assigned : Math.round((DATONG_FACTORY_LEASED_M2 * b.floor_area_m2) / newTotal);
        assigned += b.leased_area_m2;
      });
    }
    factoryBuildings.push(...buildings);
  }

  const plannedProjects = planProjects(projects, asOf, seed);
  const leadsDemo = generateLeadsDemo(createRandom(seed ^ 0x1ead5), zones, enterprises, firmZones(parcels, parcelUses), plannedProjects, asOf);
  return {
    seed,
    asOf,
    zones,
    parcels,
    enterprises,
    enterpriseFigures,
    parcelUses,
    projects: plannedProjects,
    // Its own random stream: adding 招商 data leaves every other demo figure as it was.
    ...leadsDemo,
    // 观摩 tours likewise on their own stream.
    ...generateTourDemo(createRandom(seed ^ 0x70a5), zones, plannedProjects, asOf),
    // 前期手续, 包联 and problems: their own stream too.
    ...generateServiceDemo(createRandom(seed ^ 0x5e41ce), zones, plannedProjects, asOf),
    rounds,
    roundEntries,
    monthlyIndicators,
    yearlyTargets,
    factoryBuildings,
    // 开发区考核: its own random stream too.
    ...generateEvaluationDemo(createRandom(seed ^ 0xe7a1), {
      zones,
      parcels,
      monthly: monthlyIndicators,
      growthTargets: yearlyTargets,
      leads: leadsDemo.leads,
      asOf,
    }),
    // Its own random stream too: 标准地 transfers, acceptances, targets, leases, 入统.
    ...generateSupplyDemo(createRandom(seed ^ 0x5a991e), zones, parcels, enterprises, parcelUses, plannedProjects, factoryBuildings, asOf),
  };
}

/** Each firm's zone: that of the parcel it uses, owned before leased, the largest first (as the chain map places it). */
function firmZones(parcels: ParcelRow[], uses: ParcelUseRow[]): Map<number, number> {
  const zoneOf = new Map(parcels.map((p) => [p.id, p.zone_id]));
  const rank = (u: ParcelUseRow) => [u.role === 'owner' ? 0 : 1, -u.area_m2, u.parcel_id];
  const before = (a: ParcelUseRow, b: ParcelUseRow) => {
    const [ra, rb] = [rank(a), rank(b)];
    const i = ra.findIndex((v, k) => v !== rb[k]);
    return i >= 0 && ra[i] < rb[i];
  };
  const best = new Map<number, ParcelUseRow>();
  for (const u of uses) {
    const b = best.get(u.enterprise_id);
    if (!b || before(u, b)) best.set(u.enterprise_id, u);
  }
  return new Map([...best].map(([id, u]) => [id, zoneOf.get(u.parcel_id)!]));
}

// ---------------------------------------------------------------------------------------------------
// One parcel: status, dates, progress and conditions

interface ParcelInput {
  id: number;
  zoneId: number;
  code: string;
  landUseCode: string;
  use: BlockUse;
  zoneLevel: 'national' | 'provincial';
  areaM2: number;
  geom: MultiPolygon;
  asOf: string;
}

function makeParcel(rnd: Random, input: ParcelInput): ParcelRow {
  const { use, asOf, areaM2 } = input;
  const areaMu = areaM2 / SQUARE_METRES_PER_MU;
  let status: ParcelStatus;
  if (isMarketLand(use)) {
    status = rnd.weighted<ParcelStatus>({ reserve: 13, available: 15, supplied: 13, started: 15, completed: 8, producing: 25, at_capacity: 11 });
  } else if (use === 'reserved') {
    status = 'reserve';
  } else {
    // Allocated land (green, utilities, roads, public services): kept in reserve, or built.
    status = rnd.chance(0.35) ? 'reserve' : 'completed';
  }
  const rank = ['reserve', 'available', 'supplied', 'started', 'completed', 'producing', 'at_capacity'].indexOf(status);

  const dates: Record<string, string | null> = {
    reserve_date: null,
    available_date: null,
    supplied_date: null,
    started_date: null,
    completed_date: null,
    producing_date: null,
    at_capacity_date: null,
  };
  let agreedStart: string | null = null;
  let agreedCompletion: string | null = null;
  let workStoppedSince: string | null = null;

  if (status === 'supplied') {
    // Where the idle-land countdown stands: not yet due, counting down, at risk, or idle (1 and 2+ years).
    const band = rnd.weighted({ future: 25, counting: 35, atRisk: 20, idle: 14, idleTwoYears: 6 });
    const daysSinceAgreedStart =
      band === 'future'
        ? -rnd.int(10, 200)
        : band === 'counting'
          ? rnd.int(0, 274)
          : band === 'atRisk'
            ? rnd.int(275, 364)
            : band === 'idle'
              ? rnd.int(366, 729)
              : rnd.int(731, 1200);
    agreedStart = addDays(asOf, -daysSinceAgreedStart);
    dates.supplied_date = minDate(addDays(agreedStart, -rnd.int(90, 180)), asOf);
  } else if (rank >= 3) {
    // Built or building: supplied years ago; started on time or a little late.
    const yearsAgo = rank === 3 ? rnd.between(0.6, 3) : rank === 4 ? rnd.between(1.5, 4) : rnd.between(2.5, 8);
    dates.supplied_date = addDays(asOf, -yearsAgo * 365);
    agreedStart = addDays(dates.supplied_date, rnd.int(90, 180));
    dates.started_date = minDate(addDays(agreedStart, rnd.int(-30, 200)), addDays(asOf, -20));
  }
  if (agreedStart) agreedCompletion = addDays(agreedStart, rnd.int(540, 900));
  if (rank >= 4) dates.completed_date = minDate(addDays(dates.started_date!, rnd.int(300, 720)), addDays(asOf, -10));
  if (rank >= 5) dates.producing_date = minDate(addDays(dates.completed_date!, rnd.int(30, 180)), addDays(asOf, -5));
  if (rank >= 6) dates.at_capacity_date = minDate(addDays(dates.producing_date!, rnd.int(180, 720)), addDays(asOf, -1));
  if (rank >= 1) {
    const nextDate = dates.supplied_date ?? addDays(asOf, -rnd.int(10, 700));
    dates.available_date = addDays(nextDate, -rnd.int(60, 500));
  }
  dates.reserve_date = addDays(dates.available_date ?? addDays(asOf, -rnd.int(30, 900)), -rnd.int(120, 900));
  if (use !== 'reserved' && !isMarketLand(use) && status === 'completed') {
    // Allocated land has no market steps: reserve, then built.
    dates.available_date = null;
    dates.supplied_date = addDays(dates.reserve_date, rnd.int(100, 400));
    dates.started_date = addDays(dates.supplied_date, rnd.int(30, 200));
    dates.completed_date = minDate(addDays(dates.started_date, rnd.int(200, 600)), asOf);
  }

  const industrialLike = use === 'industrial' || use === 'storage';
  const intensity = industrialLike ? rnd.between(220, 650) : use === 'commercial' || use === 'residential' ? rnd.between(300, 900) : 0;
  const agreedInvestment = isMarketLand(use) && rank >= 2 ? round(areaMu * intensity, 0) : null;
  const far = use === 'residential' ? rnd.between(1.8, 2.8) : use === 'commercial' ? rnd.between(1.5, 3) : rnd.between(1.0, 1.8);
  const plannedBuilding = isMarketLand(use) && rank >= 2 ? round(areaM2 * far, 0) : null;

  let developed: number | null = null;
  let invested: number | null = null;
  if (plannedBuilding !== null && agreedInvestment !== null) {
    if (status === 'supplied') {
      developed = 0;
      invested = round(agreedInvestment * rnd.between(0, 0.05), 0);
    } else if (status === 'started') {
      // One started parcel in five stopped: half of those with too little done (idle by rule 2 after a year).
      if (rnd.chance(0.2)) {
        workStoppedSince = addDays(asOf, -rnd.int(120, 800));
        const little = rnd.chance(0.5);
        developed = round(plannedBuilding * (little ? rnd.between(0.05, 0.3) : rnd.between(0.35, 0.7)), 0);
        invested = round(agreedInvestment * (little ? rnd.between(0.05, 0.24) : rnd.between(0.26, 0.6)), 0);
      } else {
        developed = round(plannedBuilding * rnd.between(0.1, 0.9), 0);
        invested = round(agreedInvestment * rnd.between(0.15, 0.9), 0);
      }
    } else {
      developed = plannedBuilding;
      invested = round(agreedInvestment * rnd.between(0.95, 1.2), 0);
    }
  }

  const offered = isMarketLand(use) && rank >= 1;
  const isStandard = industrialLike && offered && rnd.chance(status === 'available' ? 0.85 : 0.6);
  const infrastructure: InfrastructureChecklist = {};
  const readiness = status === 'reserve' ? rnd.between(0.2, 0.8) : status === 'available' ? (rnd.chance(0.75) ? 1 : rnd.between(0.6, 0.95)) : 1;
  for (const item of INFRASTRUCTURE_ITEMS) {
    const nineOnly = 'nine' in item;
    infrastructure[item.key] = readiness >= 1 ? !nineOnly || rnd.chance(0.6) : rnd.chance(readiness);
  }

  const standardIndicators = isStandard
    ? {
        min_investment_intensity_wan_per_mu: input.zoneLevel === 'national' ? rnd.pick([300, 300, 350, 400]) : rnd.pick([200, 200, 250, 300]),
        min_floor_area_ratio: rnd.pick([1.0, 1.0, 1.2]),
        max_floor_area_ratio: rnd.pick([2.0, 2.5, 3.0]),
        min_tax_per_mu_wan: rnd.pick([10, 12, 15, 20, 25]),
        max_energy_tce_per_wan: rnd.pick([0.3, 0.4, 0.5, 0.6]),
        environment_standard: rnd.pick(ENVIRONMENT_STANDARDS),
        min_building_coverage_pct: rnd.pick([30, 35, 40]),
        max_admin_facility_pct: 7,
        max_green_pct: rnd.pick([15, 20]),
      }
    : {
        min_investment_intensity_wan_per_mu: null,
        min_floor_area_ratio: null,
        max_floor_area_ratio: null,
        min_tax_per_mu_wan: null,
        max_energy_tce_per_wan: null,
        environment_standard: null,
        min_building_coverage_pct: null,
        max_admin_facility_pct: null,
        max_green_pct: null,
      };

  const pricePerMu = industrialLike ? rnd.between(8, 25) : use === 'commercial' ? rnd.between(60, 180) : rnd.between(80, 250);
  const priced = offered;
  // The register's area differs slightly from the drawn one, and now and then by a few per cent.
  const registered = rank >= 2 ? round(areaM2 * (rnd.chance(0.05) ? rnd.between(0.95, 1.05) : rnd.between(0.998, 1.002)), 1) : null;

  return {
    id: input.id,
    zone_id: input.zoneId,
    code: input.code,
    land_use_code: input.landUseCode,
    status,
    is_standard_land: isStandard,
    reserve_date: dates.reserve_date,
    available_date: dates.available_date,
    supplied_date: dates.supplied_date,
    started_date: dates.started_date,
    completed_date: dates.completed_date,
    producing_date: dates.producing_date,
    at_capacity_date: dates.at_capacity_date,
    agreed_start_date: agreedStart,
    agreed_completion_date: agreedCompletion,
    planned_building_area_m2: plannedBuilding,
    developed_area_m2: developed,
    agreed_investment_wan: agreedInvestment,
    invested_wan: invested,
    work_stopped_since: workStoppedSince,
    registered_area_m2: registered,
    ...standardIndicators,
    infrastructure,
    land_price_wan: priced ? round(areaMu * pricePerMu, 1) : null,
    // Available 标准地 prices are published; negotiated prices of supplied land stay internal.
    land_price_internal: !(status === 'available' && isStandard),
    internal_note: status === 'supplied' && agreedStart && agreedStart < asOf && rnd.chance(0.3) ? '企业反映资金周转困难，管委会已约谈督促动工。' : null,
    geom: input.geom,
  };
}
