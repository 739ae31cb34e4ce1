/**
 * Demo 观摩 tours: one closed tour of the quarter in the demo city with the most projects under way (7 stops
 * over several zones, 6 judges, the default criteria, every sheet filled in except one judge who missed a
 * stop), and one tour of the next quarter being planned. Deterministic from its own random stream. Judges are
 * titles, not names, and the closed tour's sheets were entered on paper (no accounts): the demo must not put
 * scores in real officials' mouths.
 */
import { DEFAULT_MIN_JUDGES_FOR_TRIM, DEFAULT_TOUR_CRITERIA, nearestNeighbourOrder, type LngLat } from '../domain/tour.ts';
import type { ProjectRow, ZoneRow } from './generator.ts';

export interface TourRow {
  id: number;
  name: string;
  held_on: string;
  scope: 'city' | 'zone';
  city: string | null;
  zone_id: number | null;
  status: 'planning' | 'scoring' | 'closed';
  min_judges_for_trim: number;
  note: string | null;
}
export interface TourStopRow {
  id: number;
  tour_id: number;
  project_id: number;
  stop_order: number;
  planned_time: string | null;
  report_by: string | null;
}
export interface TourCriterionRow {
  id: number;
  tour_id: number;
  name: string;
  weight: number;
  max_score: number;
  sort_order: number;
}
export interface TourJudgeRow {
  id: number;
  tour_id: number;
  name: string;
  sort_order: number;
}
export interface TourScoreRow {
  tour_id: number;
  judge_id: number;
  project_id: number;
  criterion_id: number;
  score: number;
}
export interface TourDemo {
  tours: TourRow[];
  tourStops: TourStopRow[];
  tourCriteria: TourCriterionRow[];
  tourJudges: TourJudgeRow[];
  tourScores: TourScoreRow[];
}

const JUDGES = ['市发展改革委', '市工业和信息化局', '市自然资源局', '市商务局', '市统计局', '市生态环境局'];
const UNDER_WAY = new Set(['started', 'producing', 'at_capacity']);

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export function generateTourDemo(
  rnd: { next(): number; int(min: number, max: number): number },
  zones: ZoneRow[],
  projects: ProjectRow[],
  asOf: string,
): TourDemo {
  const cityOf = new Map(zones.map((z) => [z.id, z.city]));
  // The city with the most projects under way, in at least two zones.
  const byCity = new Map<string, ProjectRow[]>();
  for (const p of projects) {
    if (!UNDER_WAY.has(p.stage)) continue;
    const city = cityOf.get(p.zone_id)!;
    if (!byCity.has(city)) byCity.set(city, []);
    byCity.get(city)!.push(p);
  }
  const [city, candidates] = [...byCity]
    .filter(([, ps]) => new Set(ps.map((p) => p.zone_id)).size >= 2)
    .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))[0];
  // The largest by investment, at most three per zone, so that several zones are visited.
  const perZone = new Map<number, number>();
  const picked: ProjectRow[] = [];
  for (const p of [...candidates].sort((a, b) => b.total_investment_wan - a.total_investment_wan || a.id - b.id)) {
    if ((perZone.get(p.zone_id) ?? 0) >= 3) continue;
    perZone.set(p.zone_id, (perZone.get(p.zone_id) ?? 0) + 1);
    picked.push(p);
  }
  const closedStops = picked.slice(0, 7);
  const planningStops = picked.slice(7, 13).length >= 4 ? picked.slice(7, 13) : picked.slice(0, 6);

  const tours: TourRow[] = [];
  const tourStops: TourStopRow[] = [];
  const tourCriteria: TourCriterionRow[] = [];
  const tourJudges: TourJudgeRow[] = [];
  const tourScores: TourScoreRow[] = [];
  const year = Number(asOf.slice(0, 4));
  const quarter = Math.floor((Number(asOf.slice(5, 7)) - 1) / 3) + 1;

  const addTour = (tour: Omit<TourRow, 'id'>, stops: ProjectRow[]) => {
    const id = tours.length + 1;
    tours.push({ id, ...tour });
    const order = nearestNeighbourOrder(stops.map((p) => p.geom.coordinates as LngLat));
    order.forEach((index, i) =>
      tourStops.push({
        id: tourStops.length + 1,
        tour_id: id,
        project_id: stops[index].id,
        stop_order: i + 1,
        planned_time: clock(8 * 60 + 30 + i * 50),
        report_by: '项目负责人',
      }),
    );
    DEFAULT_TOUR_CRITERIA.forEach((c, i) =>
      tourCriteria.push({ id: tourCriteria.length + 1, tour_id: id, name: c.name, weight: c.weight, max_score: c.max_score, sort_order: i + 1 }),
    );
    return id;
  };

  const closedId = addTour(
    {
      name: `${city}${year}年第${quarter}季度重点项目观摩`,
      held_on: addDays(asOf, -12),
      scope: 'city',
      city,
      zone_id: null,
      status: 'closed',
      min_judges_for_trim: DEFAULT_MIN_JUDGES_FOR_TRIM,
      note: '看项目、听汇报、评实绩（示意数据）',
    },
    closedStops,
  );
  JUDGES.forEach((name, i) => tourJudges.push({ id: i + 1, tour_id: closedId, name, sort_order: i + 1 }));
  const criteria = tourCriteria.filter((c) => c.tour_id === closedId);
  // Each project has a quality the judges broadly agree on; each judge is a little stricter or kinder.
  const quality = new Map(closedStops.map((p) => [p.id, 5.5 + rnd.next() * 3.5]));
  const leniency = tourJudges.map(() => rnd.next() - 0.5);
  // One judge left the tour early and missed the last stop.
  const lastStop = tourStops.filter((s) => s.tour_id === closedId).at(-1)!.project_id;
  for (const [j, judge] of tourJudges.entries()) {
    for (const p of closedStops) {
      if (j === 4 && p.id === lastStop) continue;
      for (const c of criteria) {
        const raw = quality.get(p.id)! + leniency[j] + (rnd.next() - 0.5) * 2;
        tourScores.push({
          tour_id: closedId,
          judge_id: judge.id,
          project_id: p.id,
          criterion_id: c.id,
          score: Math.max(0, Math.min(c.max_score, Math.round(raw * 2) / 2)),
        });
      }
    }
  }

  addTour(
    {
      name: `${city}${quarter === 4 ? year + 1 : year}年第${quarter === 4 ? 1 : quarter + 1}季度重点项目观摩`,
      held_on: addDays(asOf, 45),
      scope: 'city',
      city,
      zone_id: null,
      status: 'planning',
      min_judges_for_trim: DEFAULT_MIN_JUDGES_FOR_TRIM,
      note: null,
    },
    planningStops,
  );
  return { tours, tourStops, tourCriteria, tourJudges, tourScores };
}
