/**
 * Command line: writes the deterministic demo set (or a larger one for benchmarks) as GeoJSON and JSON.
 *   npm run generate -- [--seed N] [--parcels N] [--out DIR]
 * The app itself seeds the database from the same generator on first start; these files are for looking
 * at the data, loading it elsewhere, and benchmarks.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_PARCELS, DEFAULT_SEED, generateDataset } from './generator.ts';
import { datasetSummary } from './summary.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    parcels: { type: 'string', default: String(DEFAULT_PARCELS) },
    out: { type: 'string', default: 'data/demo/out' },
  },
});
const seed = Number(values.seed);
const parcels = Number(values.parcels);
if (!Number.isInteger(seed) || !Number.isInteger(parcels) || parcels < 100 || parcels > 2_000_000) {
  console.error('Usage: npm run generate -- [--seed INTEGER] [--parcels 100..2000000] [--out DIR]');
  process.exit(2);
}
const t0 = performance.now();
const data = generateDataset({ seed, parcels });
mkdirSync(values.out!, { recursive: true });
const toFeatures = <T extends { geom: unknown }>(rows: T[]) => ({
  type: 'FeatureCollection',
  features: rows.map(({ geom, ...properties }) => ({ type: 'Feature', geometry: geom, properties })),
});
writeFileSync(path.join(values.out!, 'zones.geojson'), JSON.stringify(toFeatures(data.zones)));
writeFileSync(path.join(values.out!, 'parcels.geojson'), JSON.stringify(toFeatures(data.parcels)));
writeFileSync(path.join(values.out!, 'projects.geojson'), JSON.stringify(toFeatures(data.projects)));
const { zones: _z, parcels: _p, projects: _pr, ...tables } = data;
writeFileSync(path.join(values.out!, 'tables.json'), JSON.stringify(tables));
console.log(JSON.stringify(datasetSummary(data), null, 2));
console.log(`written to ${values.out} in ${Math.round(performance.now() - t0)} ms`);
