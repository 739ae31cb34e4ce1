/** Counts that tell at a glance what a generated dataset holds (printed by the generator and the seeder). */
import type { Dataset } from './generator.ts';

export function datasetSummary(data: Dataset) {
  const byStatus: Record<string, number> = {};
  for (const p of data.parcels) byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
  const byStage: Record<string, number> = {};
  for (const p of data.projects) byStage[p.stage] = (byStage[p.stage] ?? 0) + 1;
  return {
    seed: data.seed,
    asOf: data.asOf,
    zones: data.zones.length,
    parcels: data.parcels.length,
    parcelsByStatus: byStatus,
    enterprises: data.enterprises.length,
    enterpriseFigures: data.enterpriseFigures.length,
    projects: data.projects.length,
    projectsByStage: byStage,
    roundEntries: data.roundEntries.length,
    monthlyIndicators: data.monthlyIndicators.length,
    factoryBuildings: data.factoryBuildings.length,
  };
}
