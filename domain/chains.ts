/**
 * 链长制 / 招商图谱: where a chain's links stand in a scope (a city or a zone), and how far a piece of land is
 * from the chain's firms. Pure functions, hand-computed tests in test/unit/chains.test.ts.
 *
 * Definitions (said once here, shown on the page):
 * - A link is **missing** (缺失) in a scope when no enterprise and no project of the scope is placed on it:
 *   that is where promoters 补链.
 * - A link is **weak** (薄弱) when it has some, but fewer than WEAK_LINK_BELOW enterprises and projects
 *   together and no chain-owner firm (链主) among them: 强链 work.
 * - Otherwise it is **present** (已有).
 */

export const CHAIN_POSITIONS = [
  { key: 'upstream', zh: '上游', en: 'Upstream' },
  { key: 'midstream', zh: '中游', en: 'Midstream' },
  { key: 'downstream', zh: '下游', en: 'Downstream' },
] as const;
export type ChainPosition = (typeof CHAIN_POSITIONS)[number]['key'];

export const LINK_STATUSES = [
  { key: 'missing', zh: '缺失', en: 'Missing' },
  { key: 'weak', zh: '薄弱', en: 'Weak' },
  { key: 'present', zh: '已有', en: 'Present' },
] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number]['key'];

/** Fewer firms and projects than this on a link (and no 链主) make it weak. */
export const WEAK_LINK_BELOW = 3;

export interface LinkPresence {
  /** Enterprises of the scope placed on the link. */
  firms: number;
  /** Of them, chain-owner firms (链主). */
  chainOwners: number;
  /** Projects of the scope placed on the link. */
  projects: number;
}

export function linkStatus(p: LinkPresence): LinkStatus {
  const n = p.firms + p.projects;
  if (n === 0) return 'missing';
  if (n < WEAK_LINK_BELOW && p.chainOwners === 0) return 'weak';
  return 'present';
}

/** Mean Earth radius (IUGG), km. */
const EARTH_RADIUS_KM = 6371.0088;

/**
 * Great-circle distance in km between two [longitude, latitude] points (haversine on a sphere: within
 * 0.5 % of the ellipsoid, enough to say "3.2 km from the nearest firm").
 * Example: [112, 37] to [112, 38] is 111.19 km.
 */
export function distanceKm(a: readonly [number, number], b: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Distance in km to the nearest of `points`, with its index; null when there are none. */
export function nearestKm(from: readonly [number, number], points: readonly (readonly [number, number])[]): { km: number; index: number } | null {
  let best: { km: number; index: number } | null = null;
  points.forEach((p, index) => {
    const km = distanceKm(from, p);
    if (!best || km < best.km) best = { km, index };
  });
  return best;
}
