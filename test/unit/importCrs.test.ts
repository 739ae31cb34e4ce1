import { describe, expect, it } from 'vitest';
import { crsByEpsg, crsFromPrj, fromLonLat, guessCrs, gk3Epsg, gk6Epsg, prjFor, toLonLat } from '../../server/import/crs.ts';

// Expected values from PostGIS 3.3 / PROJ on Debian 12: SELECT ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4490), epsg).
const KNOWN: [number, [number, number], [number, number]][] = [
  [4547, [113.58, 37.87], [463045.25829538086, 4193151.7843877855]],
  [4526, [113.58, 37.87], [38463045.25829538, 4193151.7843877855]],
  [4546, [112.55, 37.87], [636384.4300843978, 4194201.250181647]],
  [4525, [112.55, 37.87], [37636384.4300844, 4194201.250181647]],
  [4546, [111.0, 35.03], [500000, 3877921.127065319]],
  [4498, [112.55, 37.87], [20108358.85152268, 4202415.550620381]],
  [4509, [112.55, 37.87], [108358.85152267932, 4202415.550620381]],
];

describe('CGCS2000 Gauss–Krüger zones', () => {
  it('knows the EPSG codes of 3- and 6-degree zones with and without the zone prefix', () => {
    expect(crsByEpsg(4547)).toMatchObject({ kind: 'gk3', centralMeridian: 114, prefixed: false, zone: 38 });
    expect(crsByEpsg(4526)).toMatchObject({ kind: 'gk3', centralMeridian: 114, prefixed: true, zone: 38 });
    expect(crsByEpsg(4525)).toMatchObject({ centralMeridian: 111, prefixed: true, zone: 37 });
    expect(crsByEpsg(4513)).toMatchObject({ centralMeridian: 75, zone: 25 });
    expect(crsByEpsg(4554)).toMatchObject({ centralMeridian: 135, prefixed: false });
    expect(crsByEpsg(4491)).toMatchObject({ kind: 'gk6', centralMeridian: 75, prefixed: true, zone: 13 });
    expect(crsByEpsg(4512)).toMatchObject({ kind: 'gk6', centralMeridian: 135, prefixed: false });
    expect(crsByEpsg(4490)).toMatchObject({ epsg: 4490, kind: 'geographic' });
    expect(crsByEpsg(4326)).toMatchObject({ epsg: 4326, kind: 'geographic' });
    expect(crsByEpsg(3857)).toBeNull();
    expect([gk3Epsg(114, false), gk3Epsg(114, true), gk3Epsg(111, false), gk6Epsg(117, true), gk6Epsg(117, false)]).toEqual([4547, 4526, 4546, 4498, 4509]);
  });

  it.each(KNOWN)('projects EPSG:%i to within 1 m of PostGIS, and back', (epsg, lonLat, xy) => {
    const [x, y] = fromLonLat(epsg)(lonLat);
    expect(Math.hypot(x - xy[0], y - xy[1])).toBeLessThan(1);
    const [lon, lat] = toLonLat(epsg)(xy);
    expect(Math.abs(lon - lonLat[0]) * 88_000).toBeLessThan(1);
    expect(Math.abs(lat - lonLat[1]) * 111_000).toBeLessThan(1);
  });
});

describe('reading a .prj', () => {
  it('reads EPSG authorities, ESRI names and plain parameters', () => {
    expect(crsFromPrj(prjFor(4547))).toMatchObject({ epsg: 4547 });
    expect(crsFromPrj(prjFor(4526))).toMatchObject({ epsg: 4526 });
    expect(crsFromPrj(prjFor(4498))).toMatchObject({ epsg: 4498 });
    expect(crsFromPrj(prjFor(4326))).toMatchObject({ epsg: 4326 });
    expect(crsFromPrj(prjFor(4490))).toMatchObject({ epsg: 4490 });
    expect(
      crsFromPrj('GEOGCRS["China Geodetic Coordinate System 2000",DATUM["China 2000",ELLIPSOID["CGCS2000",6378137,298.257222101]],ID["EPSG",4490]]'),
    ).toMatchObject({ epsg: 4490 });
    expect(
      crsFromPrj('PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 111E",GEOGCS["China Geodetic Coordinate System 2000"],AUTHORITY["EPSG","4546"]]'),
    ).toMatchObject({ epsg: 4546 });
    const plain =
      'PROJCS["custom",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000"],PROJECTION["Transverse_Mercator"],PARAMETER["false_easting",38500000],PARAMETER["central_meridian",114]]';
    expect(crsFromPrj(plain)).toMatchObject({ epsg: 4526 });
  });
  it('writes the ESRI WKT that GDAL writes (gdalsrsinfo -o wkt_esri, GDAL 3.6), CGCS2000 for 4490', () => {
    const geogcs =
      'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
    expect(prjFor(4490)).toBe(geogcs);
    expect(prjFor(4326)).toBe(
      'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
    );
    expect(prjFor(4547)).toBe(
      `PROJCS["CGCS2000_3_Degree_GK_CM_114E",${geogcs},PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`,
    );
    expect(prjFor(4499)).toBe(
      `PROJCS["CGCS2000_GK_Zone_21",${geogcs},PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",21500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`,
    );
  });
  it('refuses other datums and non-WKT with a reason', () => {
    expect(crsFromPrj('PROJCS["Xian_1980_3_Degree_GK_CM_114E",GEOGCS["GCS_Xian_1980"]]')).toMatchObject({
      error: { en: expect.stringContaining("Xi'an 1980") },
    });
    expect(crsFromPrj('EPSG:4547')).toMatchObject({ error: { en: expect.stringContaining('not a WKT') } });
    expect(crsFromPrj('PROJCS["WGS_1984_Web_Mercator",GEOGCS["GCS_WGS_1984"],PROJECTION["Mercator"]]')).toMatchObject({ error: expect.anything() });
  });
});

describe('guessing the coordinate system from the numbers', () => {
  it('tells longitude/latitude, and swapped latitude/longitude', () => {
    expect(guessCrs([113.5, 37.8, 113.6, 37.9])).toMatchObject({ epsg: 4326, swapped: false, confidence: 'certain' });
    expect(guessCrs([37.8, 113.5, 37.9, 113.6])).toMatchObject({ epsg: 4326, swapped: true });
  });
  it('reads the zone from a prefixed easting, also with x and y swapped', () => {
    expect(guessCrs([38463000, 4193000, 38464000, 4194000])).toMatchObject({ epsg: 4526, swapped: false, confidence: 'certain' });
    expect(guessCrs([4193000, 38463000, 4194000, 38464000])).toMatchObject({ epsg: 4526, swapped: true });
    expect(guessCrs([20108000, 4202000, 20109000, 4203000])).toMatchObject({ epsg: 4498 });
  });
  it('chooses the central meridian of unprefixed eastings by where the data lands, and offers the others', () => {
    // 463 045 m east at CM 114°E is 113.58°E (阳泉); at CM 111°E it would be 110.58°E.
    const nearYangquan = guessCrs([463000, 4193000, 464000, 4194000], [113.6, 37.9]);
    expect(nearYangquan).toMatchObject({ epsg: 4547, swapped: false, confidence: 'likely' });
    expect((nearYangquan as { alternatives: number[] }).alternatives).toContain(4546);
    const nearYuncheng = guessCrs([463000, 4193000, 464000, 4194000], [110.6, 37.9]);
    expect(nearYuncheng).toMatchObject({ epsg: 4546 });
    expect(guessCrs([4193000, 463000, 4194000, 464000], [113.6, 37.9])).toMatchObject({ epsg: 4547, swapped: true });
  });
  it('refuses numbers that fit nothing', () => {
    expect(guessCrs([-5, 95, 3, 96])).toHaveProperty('error');
    expect(guessCrs([NaN, 1, 2, 3])).toHaveProperty('error');
  });
});
