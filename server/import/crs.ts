/**
 * Coordinate reference systems of land files: CGCS2000 longitude/latitude and CGCS2000 Gauss–Krüger
 * (3-degree zones EPSG:4513–4554, 6-degree zones EPSG:4491–4512), read from a .prj or guessed from the
 * coordinates, and reprojected with proj4. Geometry is stored in EPSG:4326; CGCS2000 and WGS84 differ by
 * centimetres, so 4490 and 4326 share their numbers: EPSG:4490 is kept as its own code only so that files
 * say which datum they are on (an export's .prj, an import's report).
 */
import proj4 from 'proj4';
import { msg, type Message } from '../../domain/parcelFields.ts';

export type CrsKind = 'geographic' | 'gk3' | 'gk6';
export interface CrsInfo {
  epsg: number;
  kind: CrsKind;
  /** Central meridian in degrees east (Gauss–Krüger only). */
  centralMeridian?: number;
  /** Whether eastings carry the zone number as millions (38 463 045 m instead of 463 045 m). */
  prefixed?: boolean;
  zone?: number;
  name: string;
  proj4: string;
}

const GEOGRAPHIC: CrsInfo = { epsg: 4326, kind: 'geographic', name: 'WGS84 经纬度 (EPSG:4326)', proj4: '+proj=longlat +ellps=GRS80 +no_defs' };
const CGCS2000_GEOGRAPHIC: CrsInfo = { ...GEOGRAPHIC, epsg: 4490, name: 'CGCS2000 经纬度 (EPSG:4490)' };

/** Every CRS the importer and exporter know, by EPSG code. */
export function crsByEpsg(epsg: number): CrsInfo | null {
  if (epsg === 4326) return { ...GEOGRAPHIC };
  if (epsg === 4490) return { ...CGCS2000_GEOGRAPHIC };
  // 3-degree zones 25–45 with prefix (4513–4533), and the same without prefix by central meridian (4534–4554).
  if (epsg >= 4513 && epsg <= 4554) {
    const prefixed = epsg <= 4533;
    const zone = prefixed ? epsg - 4513 + 25 : epsg - 4534 + 25;
    const cm = zone * 3;
    return gk('gk3', epsg, cm, prefixed, zone);
  }
  // 6-degree zones 13–23 with prefix (4491–4501), without prefix (4502–4512); CM = 6 × zone − 3.
  if (epsg >= 4491 && epsg <= 4512) {
    const prefixed = epsg <= 4501;
    const zone = prefixed ? epsg - 4491 + 13 : epsg - 4502 + 13;
    return gk('gk6', epsg, zone * 6 - 3, prefixed, zone);
  }
  return null;
}

function gk(kind: 'gk3' | 'gk6', epsg: number, cm: number, prefixed: boolean, zone: number): CrsInfo {
  const falseEasting = prefixed ? zone * 1_000_000 + 500_000 : 500_000;
  const label = kind === 'gk3' ? '3度带' : '6度带';
  return {
    epsg,
    kind,
    centralMeridian: cm,
    prefixed,
    zone,
    name: `CGCS2000 高斯-克吕格 ${label} ${prefixed ? `第${zone}带（带号前缀）` : `中央经线 ${cm}°E`} (EPSG:${epsg})`,
    proj4: `+proj=tmerc +lat_0=0 +lon_0=${cm} +k=1 +x_0=${falseEasting} +y_0=0 +ellps=GRS80 +units=m +no_defs`,
  };
}

/** The EPSG code of a 3-degree zone by central meridian (75–135, multiple of 3). */
export function gk3Epsg(centralMeridian: number, prefixed: boolean): number {
  return (prefixed ? 4513 : 4534) + (centralMeridian / 3 - 25);
}
/** The EPSG code of a 6-degree zone by central meridian (75, 81 … 135). */
export function gk6Epsg(centralMeridian: number, prefixed: boolean): number {
  return (prefixed ? 4491 : 4502) + ((centralMeridian + 3) / 6 - 13);
}

/** The CRSs offered for export and for confirming a guess: lon/lat, and the 3-degree zones over China. */
export function knownCrsList(): CrsInfo[] {
  const list = [GEOGRAPHIC, CGCS2000_GEOGRAPHIC];
  for (let e = 4534; e <= 4554; e++) list.push(crsByEpsg(e)!);
  for (let e = 4513; e <= 4533; e++) list.push(crsByEpsg(e)!);
  for (let e = 4502; e <= 4512; e++) list.push(crsByEpsg(e)!);
  for (let e = 4491; e <= 4501; e++) list.push(crsByEpsg(e)!);
  return list;
}

export type PrjResult = { epsg: number; name: string } | { error: Message };

/**
 * Reads a .prj (ESRI or OGC WKT). Knows EPSG authority codes, ESRI names such as
 * "CGCS2000_3_Degree_GK_CM_114E" / "CGCS2000_3_Degree_GK_Zone_38", and plain Transverse Mercator
 * parameters on the CGCS2000 datum. Xi'an 1980 and Beijing 1954 need a datum shift this app does not
 * guess, so they are refused with that reason.
 */
export function crsFromPrj(wkt: string): PrjResult {
  const text = wkt.replace(/\s+/g, ' ').trim();
  if (!/^(PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS)\s*\[/i.test(text)) {
    return {
      error: msg(`The .prj is not a WKT coordinate system (it starts "${text.slice(0, 30)}").`, `.prj 不是 WKT 坐标系定义（开头为“${text.slice(0, 30)}”）。`),
    };
  }
  const upper = text.toUpperCase();
  if (/XIAN|XI'AN|XIAN_1980|BEIJING|BEIJING_1954|KRASSOVSKY|IAG_1975/.test(upper)) {
    return {
      error: msg(
        "The .prj is on the Xi'an 1980 or Beijing 1954 datum: convert the file to CGCS2000 first (the datum shift needs the bureau's own parameters).",
        '.prj 为西安80或北京54坐标系：请先转换为 CGCS2000（基准转换需要当地参数）。',
      ),
    };
  }
  const authorities = [...text.matchAll(/(?:AUTHORITY|ID)\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]/gi)].map((m) => Number(m[1]));
  const top = authorities.at(-1);
  if (top !== undefined && crsByEpsg(top) && (/^PROJ/i.test(text) || top === 4326 || top === 4490)) {
    return { epsg: crsByEpsg(top)!.epsg, name: crsByEpsg(top)!.name };
  }
  if (/^GEOG/i.test(text)) {
    if (/CGCS|CHINA_2000|CHINA 2000|CHINA_GEODETIC|CHINA GEODETIC/.test(upper)) return { epsg: 4490, name: CGCS2000_GEOGRAPHIC.name };
    if (/WGS|GCS_WGS_1984/.test(upper)) return { epsg: 4326, name: GEOGRAPHIC.name };
    return {
      error: msg(`The .prj names a geographic system this app does not know: ${text.slice(0, 80)}.`, `.prj 中的地理坐标系无法识别：${text.slice(0, 80)}。`),
    };
  }
  const esri3 = /CGCS2000_3_DEGREE_GK_(CM_(\d+)E|ZONE_(\d+))/.exec(upper);
  if (esri3) {
    const epsg = esri3[2] ? gk3Epsg(Number(esri3[2]), false) : gk3Epsg(Number(esri3[3]) * 3, true);
    if (crsByEpsg(epsg)) return { epsg, name: crsByEpsg(epsg)!.name };
  }
  const esri6 = /CGCS2000_GK_(CM_(\d+)E|ZONE_(\d+))/.exec(upper);
  if (esri6) {
    const epsg = esri6[2] ? gk6Epsg(Number(esri6[2]), false) : gk6Epsg(Number(esri6[3]) * 6 - 3, true);
    if (crsByEpsg(epsg)) return { epsg, name: crsByEpsg(epsg)!.name };
  }
  // Plain parameters: a Transverse Mercator on CGCS2000 with a known central meridian and false easting.
  const param = (name: string) => {
    const m = new RegExp(`PARAMETER\\s*\\[\\s*"${name}"\\s*,\\s*(-?[\\d.]+)`, 'i').exec(text);
    return m ? Number(m[1]) : undefined;
  };
  if (/CGCS|CHINA_2000|CHINA 2000|CHINA_GEODETIC|CHINA GEODETIC/.test(upper) && /TRANSVERSE_MERCATOR|GAUSS_KRUGER|GAUSS-KRUGER/.test(upper)) {
    const cm = param('central_meridian');
    const fe = param('false_easting');
    if (cm !== undefined && fe !== undefined) {
      const prefixed = fe > 1_000_000;
      if (cm % 3 === 0) {
        const epsg = gk3Epsg(cm, prefixed);
        const info = crsByEpsg(epsg);
        if (info && (!prefixed || Math.abs(fe - (info.zone! * 1e6 + 5e5)) < 1)) return { epsg, name: info.name };
      }
      if ((cm + 3) % 6 === 0) {
        const epsg = gk6Epsg(cm, prefixed);
        const info = crsByEpsg(epsg);
        if (info && (!prefixed || Math.abs(fe - (info.zone! * 1e6 + 5e5)) < 1)) return { epsg, name: info.name };
      }
    }
  }
  return {
    error: msg(
      `The .prj describes a coordinate system this app does not know (${text.slice(0, 90)}…). Use CGCS2000 longitude/latitude or a CGCS2000 Gauss–Krüger zone.`,
      `.prj 中的坐标系无法识别（${text.slice(0, 90)}…）。请使用 CGCS2000 经纬度或 CGCS2000 高斯-克吕格投影。`,
    ),
  };
}

/** The ESRI WKT written beside exported shapefiles (what ArcGIS, and GDAL's `gdalsrsinfo -o wkt_esri`, write for these systems). */
export function prjFor(epsg: number): string {
  const info = crsByEpsg(epsg);
  if (!info) throw new Error(`Unknown EPSG ${epsg}`);
  const geogcs =
    'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
  if (info.epsg === 4490) return geogcs;
  if (info.kind === 'geographic') {
    return 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
  }
  const name =
    info.kind === 'gk3'
      ? info.prefixed
        ? `CGCS2000_3_Degree_GK_Zone_${info.zone}`
        : `CGCS2000_3_Degree_GK_CM_${info.centralMeridian}E`
      : info.prefixed
        ? `CGCS2000_GK_Zone_${info.zone}`
        : `CGCS2000_GK_CM_${info.centralMeridian}E`;
  const fe = info.prefixed ? info.zone! * 1_000_000 + 500_000 : 500_000;
  return `PROJCS["${name}",${geogcs},PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${fe.toFixed(1)}],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${info.centralMeridian!.toFixed(1)}],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
}

export type Position = [number, number];

/** A function taking [x, y] in the CRS to [lon, lat]. */
export function toLonLat(epsg: number): (p: Position) => Position {
  const info = crsByEpsg(epsg);
  if (!info) throw new Error(`Unknown EPSG ${epsg}`);
  if (info.kind === 'geographic') return (p) => [p[0], p[1]];
  const converter = proj4(info.proj4, GEOGRAPHIC.proj4);
  return (p) => converter.forward(p) as Position;
}

/** A function taking [lon, lat] to [x, y] in the CRS (x = easting). */
export function fromLonLat(epsg: number): (p: Position) => Position {
  const info = crsByEpsg(epsg);
  if (!info) throw new Error(`Unknown EPSG ${epsg}`);
  if (info.kind === 'geographic') return (p) => [p[0], p[1]];
  const converter = proj4(GEOGRAPHIC.proj4, info.proj4);
  return (p) => converter.forward(p) as Position;
}

export type Bounds = [number, number, number, number];

export interface CrsGuess {
  epsg: number;
  /** Whether x and y (or lon and lat) must be exchanged before reprojection. */
  swapped: boolean;
  /** How sure: 'prj' when read from the file, 'certain' when the numbers leave one answer, 'likely' when a choice was made. */
  confidence: 'prj' | 'certain' | 'likely';
  reason: Message;
  /** Other codes that fit the numbers (unprefixed Gauss–Krüger fits every central meridian). */
  alternatives: number[];
}

const inChina = ([lon, lat]: Position) => lon >= 73 && lon <= 136 && lat >= 3 && lat <= 54;

/**
 * Guesses the CRS from the coordinates' bounds. Longitude/latitude and prefixed Gauss–Krüger eastings
 * are unambiguous; unprefixed eastings fit every central meridian, so the one whose result lands nearest
 * `near` (the target zone, or the app's zones) is chosen and the others are offered as alternatives.
 */
export function guessCrs(bounds: Bounds, near?: Position, nearIsChosenZone = false): CrsGuess | { error: Message } {
  const [minX, minY, maxX, maxY] = bounds;
  if (![minX, minY, maxX, maxY].every(Number.isFinite)) return { error: msg('The file has no usable coordinates.', '文件中没有可用的坐标。') };
  const within = (v: number, lo: number, hi: number) => v >= lo && v <= hi;
  if (within(minX, 73, 136) && within(maxX, 73, 136) && within(minY, 3, 54) && within(maxY, 3, 54)) {
    return {
      epsg: 4326,
      swapped: false,
      confidence: 'certain',
      alternatives: [],
      reason: msg('The numbers are longitudes and latitudes in China.', '数值为中国境内的经纬度。'),
    };
  }
  if (within(minY, 73, 136) && within(maxY, 73, 136) && within(minX, 3, 54) && within(maxX, 3, 54)) {
    return {
      epsg: 4326,
      swapped: true,
      confidence: 'certain',
      alternatives: [],
      reason: msg(
        'The first number of each point is a latitude (3–54) and the second a longitude (73–136): latitude and longitude are swapped, and will be exchanged.',
        '每个点的第一个数为纬度（3–54）、第二个为经度（73–136）：经纬度顺序颠倒，将自动交换。',
      ),
    };
  }
  const northing = (lo: number, hi: number) => within(lo, 300_000, 6_200_000) && within(hi, 300_000, 6_200_000);
  const prefixZone = (lo: number, hi: number) => {
    const z = Math.floor(lo / 1_000_000);
    return z === Math.floor(hi / 1_000_000) && ((z >= 25 && z <= 45) || (z >= 13 && z <= 23)) ? z : null;
  };
  const prefixedGuess = (zone: number, swapped: boolean): CrsGuess => {
    const epsg = zone >= 25 ? 4513 + zone - 25 : 4491 + zone - 13;
    const kind = zone >= 25 ? '3-degree' : '6-degree';
    const kindZh = zone >= 25 ? '3度带' : '6度带';
    return {
      epsg,
      swapped,
      confidence: 'certain',
      alternatives: [],
      reason: swapped
        ? msg(
            `The first number is a northing and the second an easting prefixed with zone ${zone} (${kind}): x and y are swapped, and will be exchanged.`,
            `第一个数为北坐标、第二个为带号 ${zone} 开头的东坐标（${kindZh}）：X、Y 顺序颠倒，将自动交换。`,
          )
        : msg(
            `Eastings start with the zone number ${zone}: CGCS2000 Gauss–Krüger ${kind} zone ${zone}.`,
            `东坐标以带号 ${zone} 开头：CGCS2000 高斯-克吕格${kindZh}第 ${zone} 带。`,
          ),
    };
  };
  const z = prefixZone(minX, maxX);
  if (z !== null && northing(minY, maxY)) return prefixedGuess(z, false);
  const zs = prefixZone(minY, maxY);
  if (zs !== null && northing(minX, maxX)) return prefixedGuess(zs, true);

  // Unprefixed: easting 0–1 000 000 m around 500 000 m; northing in China 0.3–6.2 million m.
  const easting = (lo: number, hi: number) => within(lo, 0, 1_000_000) && within(hi, 0, 1_000_000);
  let swapped: boolean;
  // In China northings exceed eastings (north of 9°N): that tells x from y.
  if (easting(minX, maxX) && northing(minY, maxY) && maxY > maxX) swapped = false;
  else if (easting(minY, maxY) && northing(minX, maxX) && maxX > maxY) swapped = true;
  else {
    return {
      error: msg(
        `The coordinates (x ${minX.toFixed(0)}…${maxX.toFixed(0)}, y ${minY.toFixed(0)}…${maxY.toFixed(0)}) are neither longitude/latitude in China nor CGCS2000 Gauss–Krüger metres: add a .prj or choose the coordinate system.`,
        `坐标（X ${minX.toFixed(0)}…${maxX.toFixed(0)}，Y ${minY.toFixed(0)}…${maxY.toFixed(0)}）既不是中国境内经纬度，也不是 CGCS2000 高斯-克吕格米坐标：请提供 .prj 或手动选择坐标系。`,
      ),
    };
  }
  const centre: Position = swapped ? [(minY + maxY) / 2, (minX + maxX) / 2] : [(minX + maxX) / 2, (minY + maxY) / 2];
  const candidates: { epsg: number; lonLat: Position }[] = [];
  for (let e = 4534; e <= 4554; e++) candidates.push({ epsg: e, lonLat: toLonLat(e)(centre) });
  for (let e = 4502; e <= 4512; e++) candidates.push({ epsg: e, lonLat: toLonLat(e)(centre) });
  const fitting = candidates.filter((c) => inChina(c.lonLat));
  if (fitting.length === 0)
    return {
      error: msg(
        'The coordinates land outside China in every Gauss–Krüger zone: choose the coordinate system.',
        '坐标在任何高斯-克吕格投影带中都不在中国境内：请手动选择坐标系。',
      ),
    };
  const target = near ?? [112.5, 37.8];
  const dist = (p: Position) => Math.hypot((p[0] - target[0]) * Math.cos((target[1] * Math.PI) / 180), p[1] - target[1]);
  // Same central meridian in both zone widths: land files are 3-degree (large scales), so prefer those.
  const threeDegreeFirst = (e: number) => (e >= 4534 ? 0 : 1);
  fitting.sort((a, b) => dist(a.lonLat) - dist(b.lonLat) || threeDegreeFirst(a.epsg) - threeDegreeFirst(b.epsg) || a.epsg - b.epsg);
  const best = fitting[0];
  const info = crsByEpsg(best.epsg)!;
  const swapText = swapped
    ? msg(' x and y are swapped (the first number is the northing) and will be exchanged.', '另外 X、Y 顺序颠倒（第一个数为北坐标），将自动交换。')
    : msg('', '');
  return {
    epsg: best.epsg,
    swapped,
    confidence: 'likely',
    alternatives: fitting.slice(1, 6).map((c) => c.epsg),
    reason: msg(
      `Eastings without a zone prefix fit any central meridian; ${info.centralMeridian}°E puts the data nearest ${nearIsChosenZone ? 'the chosen zone' : "the app's zones"}. Please confirm.${swapText.en}`,
      `东坐标不含带号，任何中央经线都可能；中央经线 ${info.centralMeridian}°E 使数据最接近${nearIsChosenZone ? '所选园区' : '已有园区'}，请确认。${swapText.zh}`,
    ),
  };
}
