/**
 * Exports as GDAL (QGIS, most Chinese GIS tools) reads them, and files GDAL writes from our exports imported
 * back. A parcel with a hole is imported first so that every export carries one. Needs gdal-bin (ogrinfo,
 * ogr2ogr with SpatiaLite in its SQLite dialect, as Debian builds it).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromLonLat, toLonLat, type Position } from '../../server/import/crs.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { dbTargets } from '../helpers/databases.ts';
import { gdalWorkDir, ogr2ogr, ogrLayers, ogrSql } from '../helpers/gdal.ts';
import { freeSpot, upload } from '../helpers/importFiles.ts';
import type { Client } from '../helpers/server.ts';

const HOLE_CODE = 'GDAL-HOLE';
const FORMATS = ['shp', 'geojson', 'kml', 'csv', 'xlsx'] as const;
type Format = (typeof FORMATS)[number];
/** WGS84, CGCS2000 longitude/latitude, and CGCS2000 3-degree Gauss–Krüger CM 114°E (阳泉 lies at 113.6°E). */
const CRSS = [4326, 4490, 4547] as const;
/** How GDAL names the datum of each. */
const DATUM: Record<number, string> = { 4326: 'World Geodetic System 1984', 4490: 'China 2000', 4547: 'China 2000' };
const STATUS_ZH: Record<string, string> = {
  reserve: '储备',
  available: '可供应',
  supplied: '已供应',
  started: '已动工',
  completed: '已竣工',
  producing: '已投产',
  at_capacity: '已达产',
};
const LEVEL_ZH: Record<string, string> = { national: '国家级', provincial: '省级' };
const STAGE_ZH: Record<string, string> = { planned: '谋划', signed: '签约', landed: '落地', started: '开工', producing: '投产', at_capacity: '达产' };

/** GDAL open options: CSV geometry from the WKT column with typed fields; an Excel sheet's first row as the header. */
const OPEN: Record<Format, string[]> = {
  shp: [],
  geojson: [],
  kml: [],
  csv: ['GEOM_POSSIBLE_NAMES=WKT', 'KEEP_GEOM_COLUMNS=NO', 'AUTODETECT_TYPE=YES'],
  xlsx: ['HEADERS=FORCE', 'FIELD_TYPES=AUTO'],
};

describe.each(dbTargets({ writable: true }))('exports read by GDAL on $name', (target) => {
  const ctx = useApiServer(target);
  const work = gdalWorkDir();
  afterAll(() => work.remove());
  let admin: Client;
  let zoneId: number;
  let holeImportId: number;

  beforeAll(async () => {
    admin = await ctx.server.as('admin');
    const spot = await freeSpot(ctx.db, 'SX-YQGX');
    zoneId = spot.zoneId;
    // The 24 m square's corners are 17 m from its centre.
    expect(spot.radiusM).toBeGreaterThan(18);
    const [cx, cy] = fromLonLat(4547)(spot.centre);
    // The hole parcel, drawn in EPSG:4547: a 24 m square with a 6 m square hole, 576 − 36 = 540 m².
    const squareAt = (half: number, clockwise: boolean): Position[] => {
      const ring: Position[] = [
        [cx - half, cy - half],
        [cx + half, cy - half],
        [cx + half, cy + half],
        [cx - half, cy + half],
        [cx - half, cy - half],
      ];
      return clockwise ? ring.reverse() : ring;
    };
    const geojson = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: {
            地块编号: HOLE_CODE,
            用地性质: '100101',
            供地状态: '已供应',
            '登记面积（m²）': 540,
            收储时间: '2020-12-31',
            出让时间: '2023-05-01',
            环境标准: '一类 & <二类>',
          },
          geometry: { type: 'Polygon', coordinates: [squareAt(12, false), squareAt(3, true)].map((ring) => ring.map((p) => toLonLat(4547)(p))) },
        },
      ],
    };
    const staged = await upload(ctx.server.url, admin, 'hole.geojson', Buffer.from(JSON.stringify(geojson)));
    expect(staged.status, JSON.stringify(staged.body)).toBe(201);
    const commit = await admin.send('POST', `/api/imports/${staged.body.id}/commit`, {});
    expect(commit.status, JSON.stringify(commit.body).slice(0, 800)).toBe(200);
    expect(commit.body).toMatchObject({ created: 1, updated: 0 });
    holeImportId = staged.body.id;
  }, 120_000);

  /** Downloads an export into the work directory; gives the path GDAL opens (a zip through /vsizip/). */
  async function exported(layer: 'parcels' | 'zones' | 'projects', format: Format, crs: number, query = ''): Promise<string> {
    const res = await admin.get(`/api/export/${layer}?format=${format}&crs=${crs}${query}`);
    expect(res.status, `${layer} ${format} ${crs}`).toBe(200);
    const ext = format === 'shp' ? 'zip' : format;
    const file = work.write(`${layer}-${format}-${crs}.${ext}`, new Uint8Array(await res.arrayBuffer()));
    return format === 'shp' ? `/vsizip/${file}` : file;
  }

  const geometryOf = (format: Format) => (format === 'xlsx' ? 'ST_GeomFromText(WKT)' : 'geometry');

  it('parcels: every format in WGS84, CGCS2000 and Gauss–Krüger reads in GDAL with its CRS, count, Chinese fields, valid rings the right way round and the hole', async () => {
    const [{ n: count }] = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM parcels WHERE zone_id = $1', [zoneId]);
    expect(count).toBeGreaterThan(10);
    // Where PostGIS puts the hole parcel in each CRS (independent of the app's proj4 code).
    const [box] = await ctx.db.query<{ lon: number; lat: number; x: number; y: number }>(
      `SELECT ST_XMin(geom) AS lon, ST_YMin(geom) AS lat, ST_XMin(ST_Transform(geom, 4547)) AS x, ST_YMin(ST_Transform(geom, 4547)) AS y FROM parcels WHERE code = $1`,
      [HOLE_CODE],
    );
    // Every format in every CRS on the embedded database; on PostgreSQL every format once, the CRSs in turn: the
    // CRS and the file are made by the same JavaScript on both (server/import/export.ts, proj4), only the rows
    // come from the database. (Each case is an export and two GDAL processes: the file's slowest part.)
    const cases =
      target.name === 'embedded'
        ? FORMATS.flatMap((f) => CRSS.map((c) => [f, c] as const))
        : ([
            ['shp', 4547],
            ['geojson', 4490],
            ['kml', 4326],
            ['csv', 4547],
            ['xlsx', 4490],
          ] as const);
    for (const [format, crs] of cases) {
      {
        if (format === 'kml' && crs === 4547) continue; // refused: see the KML test
        const label = `${format} ${crs}`;
        const source = await exported('parcels', format, crs, `&zone=${zoneId}`);
        const open = OPEN[format].flatMap((o) => ['-oo', o]);
        const [layer, ...others] = await ogrLayers(source, open);
        expect(others, label).toEqual([]);
        expect(layer.featureCount, label).toBe(count);
        // The CRS where the format carries one: the .prj, GeoJSON's crs member; KML is WGS84 by definition.
        if (format === 'shp' || format === 'geojson') expect([layer.epsg, layer.datum], label).toEqual([crs, DATUM[crs]]);
        if (format === 'kml') expect([layer.epsg, layer.datum], label).toEqual([4326, DATUM[4326]]);
        const name = (dbf: string, header: string) => (format === 'shp' ? dbf : header);
        expect(layer.fields[name('DKBH', '地块编号')], label).toBe('String');
        expect(layer.fields[name('ZT', '供地状态')], label).toBe('String');
        expect(layer.fields[name('DJMJ', '登记面积（m²）')], label).toBe('Real');
        if (format === 'shp') expect(layer.fields.CRSJ, label).toBe('Date');

        // One pass over the layer (GDAL's CSV layers allow no subqueries): validity, ring direction, status names, the hole parcel's values.
        const g = geometryOf(format);
        const zt = `"${name('ZT', '供地状态')}"`;
        const ofHole = (expr: string, alias: string) => `max(CASE WHEN "${name('DKBH', '地块编号')}" = '${HOLE_CODE}' THEN ${expr} END) AS ${alias}`;
        const [row] = await ogrSql(
          source,
          `SELECT count(*) AS n, sum(ST_IsValid(${g}) = 0) AS invalid, sum(ST_IsPolygonCW(${g})) AS cw, sum(ST_IsPolygonCCW(${g})) AS ccw,
             count(DISTINCT ${zt}) AS statuses, sum(${zt} NOT IN (${Object.values(STATUS_ZH)
               .map((z) => `'${z}'`)
               .join(', ')})) AS not_chinese,
             ${ofHole(zt, 'status')}, ${ofHole(`"${name('CRSJ', '出让时间')}"`, 'supplied')}, ${ofHole(`"${name('SCSJ', '收储时间')}"`, 'reserved')},
             ${ofHole(`"${name('DJMJ', '登记面积（m²）')}"`, 'area')}, ${ofHole(`"${name('HJBZ', '环境标准')}"`, 'env')}, ${ofHole(`NumInteriorRings(ST_GeometryN(${g}, 1))`, 'holes')},
             ${ofHole(`ST_Area(${g})`, 'shape_area')}, ${ofHole(`ST_MinX(${g})`, 'x')}, ${ofHole(`ST_MinY(${g})`, 'y')}
           FROM "${layer.name}"`,
          OPEN[format],
        );
        // Shapefiles: outer rings clockwise, holes counter-clockwise (ESRI); GeoJSON, KML and WKT the reverse.
        expect(row, label).toMatchObject({ n: count, invalid: 0, cw: format === 'shp' ? count : 0, ccw: format === 'shp' ? 0 : count, not_chinese: 0 });
        expect(row.statuses, label).toBeGreaterThan(2);
        expect(row, label).toMatchObject({ status: '已供应', supplied: '2023-05-01', reserved: '2020-12-31', area: 540, env: '一类 & <二类>', holes: 1 });
        if (crs === 4547) {
          expect(Math.abs((row.shape_area as number) - 540), label).toBeLessThan(0.01);
          expect(Math.hypot((row.x as number) - box.x, (row.y as number) - box.y), label).toBeLessThan(0.05);
        } else {
          expect(Math.hypot((row.x as number) - box.lon, (row.y as number) - box.lat), label).toBeLessThan(1e-8);
        }
      }
    }
  }, 600_000);

  // The CRS is handled by the same writer as for parcels (tested there in full): here each format once, the three CRSs in turn.
  const ZONE_PROJECT_CASES: [Format, number][] = [
    ['shp', 4547],
    ['shp', 4490],
    ['geojson', 4490],
    ['kml', 4326],
    ['csv', 4547],
    ['xlsx', 4326],
  ];

  it('zones and projects: every format reads in GDAL with its CRS, count, Chinese level and stage names, valid outlines', async () => {
    const zones = await ctx.db.query<{ code: string; level: string }>('SELECT code, level FROM zones ORDER BY code');
    const projects = await ctx.db.query<{ name: string; stage: string }>('SELECT name, stage FROM projects WHERE zone_id = $1 ORDER BY name, id', [zoneId]);
    expect(zones.length).toBeGreaterThan(3);
    expect(projects.length).toBeGreaterThan(3);
    const yqgx = zones.find((z) => z.code === 'SX-YQGX')!;
    for (const [format, crs] of ZONE_PROJECT_CASES) {
      const label = `${format} ${crs}`;
      const name = (dbf: string, header: string) => (format === 'shp' ? dbf : header);
      const g = geometryOf(format);

      const zoneSource = await exported('zones', format, crs);
      const [zoneLayer] = await ogrLayers(
        zoneSource,
        OPEN[format].flatMap((o) => ['-oo', o]),
      );
      expect(zoneLayer.featureCount, `zones ${label}`).toBe(zones.length);
      if (format === 'shp' || format === 'geojson') expect([zoneLayer.epsg, zoneLayer.datum], `zones ${label}`).toEqual([crs, DATUM[crs]]);
      const jb = `"${name('JB', '级别')}"`;
      const [zoneRow] = await ogrSql(
        zoneSource,
        `SELECT sum(ST_IsValid(${g}) = 0) AS invalid, sum(ST_IsPolygonCW(${g})) AS cw, sum(${jb} NOT IN ('国家级', '省级')) AS not_chinese,
           max(CASE WHEN "${name('YQDM', '园区代码')}" = 'SX-YQGX' THEN ${jb} END) AS level
         FROM "${zoneLayer.name}"`,
        OPEN[format],
      );
      expect(zoneRow, `zones ${label}`).toEqual({ invalid: 0, cw: format === 'shp' ? zones.length : 0, not_chinese: 0, level: LEVEL_ZH[yqgx.level] });

      const projectSource = await exported('projects', format, crs, `&zone=${zoneId}`);
      const [projectLayer] = await ogrLayers(
        projectSource,
        OPEN[format].flatMap((o) => ['-oo', o]),
      );
      expect(projectLayer.featureCount, `projects ${label}`).toBe(projects.length);
      if (format === 'shp' || format === 'geojson') expect(projectLayer.epsg, `projects ${label}`).toBe(crs);
      if (format === 'shp') expect(projectLayer.geometry, `projects ${label}`).toBe('Point');
      const stages = await ogrSql(
        projectSource,
        `SELECT "${name('XMMC', '项目名称')}" AS name, "${name('XMJD', '项目阶段')}" AS stage FROM "${projectLayer.name}"`,
        OPEN[format],
      );
      expect(stages.map((r) => [r.name, r.stage]).sort(), `projects ${label}`).toEqual(projects.map((p) => [p.name, STAGE_ZH[p.stage]]).sort());
    }
  }, 600_000);

  it('KML: a typed Schema that GDAL reads with Chinese names; crs 4490 is written as the same numbers with a note; a projected crs is refused', async () => {
    const source = await exported('parcels', 'kml', 4490, `&zone=${zoneId}`);
    const text = readFileSync(source, 'utf8');
    expect(text).toContain('<SimpleField name="供地状态" type="string"/>');
    expect(text).toContain('<SimpleField name="登记面积（m²）" type="double"/>');
    expect(text).toContain('EPSG:4490');
    // Same numbers as the WGS84 KML.
    const wgs84 = readFileSync(await exported('parcels', 'kml', 4326, `&zone=${zoneId}`), 'utf8');
    const coordinates = (kml: string) => [...kml.matchAll(/<coordinates>([^<]*)<\/coordinates>/g)].map((m) => m[1]);
    expect(coordinates(text).length).toBeGreaterThan(10);
    expect(coordinates(text)).toEqual(coordinates(wgs84));
    const refused = await admin.send('GET', `/api/export/parcels?format=kml&crs=4547&zone=${zoneId}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('KML is always longitude/latitude');
    // GDAL's older KML driver (no LIBKML) still reads the placemarks and their names.
    const [layer] = await ogrLayers(source, ['--config', 'GDAL_SKIP', 'LIBKML']);
    expect(layer.fields).toMatchObject({ Name: 'String' });
  });

  it('imports what ogr2ogr writes from an export: a GBK shapefile in EPSG:4547 with DBF date fields, and a LIBKML KML', async () => {
    const snapshot = () =>
      ctx.db.query<Record<string, unknown>>(
        `SELECT to_jsonb(p) - 'geom' - 'version' - 'updated_at' - 'area_m2' - 'id' AS rec FROM parcels p WHERE zone_id = $1 AND code <> $2 ORDER BY code`,
        [zoneId, HOLE_CODE],
      );
    const holeRow = () =>
      ctx.db.query<Record<string, unknown>>(
        `SELECT status, reserve_date, supplied_date, registered_area_m2, environment_standard, land_use_code, ST_NumInteriorRings(ST_GeometryN(geom, 1)) AS holes, ST_Area(ST_Transform(geom, 4547)) AS area FROM parcels WHERE code = $1`,
        [HOLE_CODE],
      );
    const before = await snapshot();
    const [{ empty }] = await ctx.db.query<{ empty: number }>('SELECT count(*)::int AS empty FROM parcels WHERE zone_id = $1 AND completed_date IS NULL', [
      zoneId,
    ]);
    expect(empty).toBeGreaterThan(5); // empty dates, which ArcGIS and GDAL write as zeros or spaces
    const geojson = await exported('parcels', 'geojson', 4326, `&zone=${zoneId}`);

    // As a bureau keeps it: pinyin field names (and one Chinese), text in GBK, real D date fields (CAST), Gauss–Krüger metres.
    // (Not every export column: "m²" in a column name has no GBK code, and GDAL drops such a column.)
    const shpDir = path.join(work.dir, 'gbk');
    await ogr2ogr([
      '-f',
      'ESRI Shapefile',
      '-t_srs',
      'EPSG:4547',
      '-lco',
      'ENCODING=GBK',
      '-nln',
      '地块',
      shpDir,
      geojson,
      '-sql',
      `SELECT "地块编号" AS DKBH, "用地性质" AS YDXZ, "供地状态" AS "供地状态", "登记面积（m²）" AS DJMJ, CAST("收储时间" AS date) AS SCSJ,
         CAST("出让时间" AS date) AS CRSJ, CAST("竣工时间" AS date) AS JGSJ, "环境标准" AS HJBZ, "标准地" AS BZD FROM "${path.basename(geojson, '.geojson')}"`,
    ]);
    const [shpLayer] = await ogrLayers(path.join(shpDir, '地块.shp'));
    expect([shpLayer.epsg, shpLayer.fields['供地状态'], shpLayer.fields.SCSJ, shpLayer.fields.CRSJ, shpLayer.fields.JGSJ]).toEqual([
      4547,
      'String',
      'Date',
      'Date',
      'Date',
    ]);
    expect(readFileSync(path.join(shpDir, '地块.cpg'), 'utf8').trim()).toBe('GBK');
    const zip = new JSZip();
    for (const f of readdirSync(shpDir)) zip.file(f, readFileSync(path.join(shpDir, f)));
    const kmlFile = path.join(work.dir, 'libkml.kml');
    await ogr2ogr(['-f', 'LIBKML', kmlFile, geojson]);

    // Without the hole parcel, so that each import creates it from the file's values.
    expect((await admin.send('POST', `/api/imports/${holeImportId}/undo`, {})).status).toBe(200);
    for (const [fileName, body] of [
      ['地块_gbk.zip', await zip.generateAsync({ type: 'nodebuffer' })],
      ['地块_libkml.kml', readFileSync(kmlFile)],
    ] as const) {
      const staged = await upload(ctx.server.url, admin, fileName, body);
      expect(staged.status, `${fileName}: ${JSON.stringify(staged.body).slice(0, 800)}`).toBe(201);
      if (fileName.endsWith('.zip')) expect([staged.body.crs.epsg, staged.body.encoding]).toEqual([4547, 'gbk']);
      const check = await admin.send('POST', `/api/imports/${staged.body.id}/check`, {});
      expect(check.body.errors, `${fileName}: ${JSON.stringify(check.body.issues?.slice(0, 5))}`).toBe(0);
      expect([check.body.toCreate, check.body.toUpdate], fileName).toEqual([1, before.length]);
      const commit = await admin.send('POST', `/api/imports/${staged.body.id}/commit`, {});
      expect(commit.status, `${fileName}: ${JSON.stringify(commit.body).slice(0, 800)}`).toBe(200);
      const [hole] = await holeRow();
      expect(hole, fileName).toMatchObject({
        status: 'supplied',
        reserve_date: '2020-12-31',
        supplied_date: '2023-05-01',
        registered_area_m2: 540,
        environment_standard: '一类 & <二类>',
        land_use_code: '100101',
        holes: 1,
      });
      expect(Math.abs((hole.area as number) - 540), fileName).toBeLessThan(0.01);
      expect(await snapshot(), fileName).toEqual(before);
      // Back to no hole parcel for the next file.
      expect((await admin.send('POST', `/api/imports/${staged.body.id}/undo`, {})).status, fileName).toBe(200);
    }
  }, 300_000);
});
