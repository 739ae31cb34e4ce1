/**
 * The ministry's coordinate exchange text (自然资源部 建设用地报批 / 勘测定界 坐标 TXT; CASS "电子报盘"):
 *
 *   [属性描述]
 *   坐标系=2000国家大地坐标系   几度分带=3   投影类型=高斯克吕格   计量单位=米   带号=38   精度=0.01   转换参数=,,,,,,
 *   [地块坐标]
 *   界址点数,地块面积(公顷),地块编号,地块名称,记录图形属性(面/线/点),图幅号,地块用途,地类编码,@
 *   点号,圈号,X,Y        ← X is the NORTHING, Y the EASTING (often with the zone number in front)
 *
 * 圈号 1 is the outer ring, 2… the holes; each ring repeats its first point to close. Read here into the
 * same dataset as the other formats (eastings first), and written for export (GBK, CRLF, Gauss–Krüger).
 */
import iconv from 'iconv-lite';
import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { landUseClass } from '../../domain/landUse.ts';
import { msg, type Message } from '../../domain/parcelFields.ts';
import { crsByEpsg, gk3Epsg, gk6Epsg } from './crs.ts';
import { importError } from './errors.ts';
import type { SourceDataset, SourceFeature } from './readers.ts';

const SECTION = /^[[【]\s*(属性描述|地块坐标|扩展信息)\s*[\]】]$/;

/** Whether the first bytes hold a [属性描述] or [地块坐标] section header, in UTF-8 or GBK. */
export function looksLikeMinistryTxt(head: Uint8Array): boolean {
  const bytes = head.subarray(0, 4096);
  const texts = [new TextDecoder('utf-8').decode(bytes), new TextDecoder('gbk').decode(bytes)];
  return texts.some((t) => /[[【]\s*(属性描述|地块坐标)\s*[\]】]/.test(t));
}

/** The attribute line's fields in the format's order; further fields are kept as 属性9, 属性10 … */
export const TXT_ATTRIBUTE_COLUMNS = ['界址点数', '地块面积(公顷)', '地块编号', '地块名称', '记录图形属性', '图幅号', '地块用途', '地类编码'] as const;

const lineAt = (line: number): Message => msg(`line ${line}`, `第 ${line} 行`);
const parcelAt = (n: number, line: number): Message => msg(`parcel ${n} (line ${line})`, `第 ${n} 个地块（第 ${line} 行）`);

interface PointLine {
  line: number;
  ring: number;
  /** As written: X (northing), Y (easting). */
  x: number;
  y: number;
}

interface ParcelBlock {
  line: number;
  fields: string[];
  points: PointLine[];
}

const number = (s: string): number | null => (/^[-+]?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : null);

export function readMinistryTxt(fileName: string, text: string, encoding: string): SourceDataset {
  const lines = text.split(/\r\n|\r|\n/);
  const header: Record<string, { value: string; line: number }> = {};
  const blocks: ParcelBlock[] = [];
  let section: string | null = null;
  const fail = (line: number, why: Message) => importError(fileName, lineAt(line), why);

  lines.forEach((raw, i) => {
    const line = i + 1;
    const s = raw.replace(/^\uFEFF/, '').trim();
    if (s === '') return;
    const sec = SECTION.exec(s);
    if (sec) {
      section = sec[1];
      return;
    }
    if (section === '属性描述') {
      const eq = s.indexOf('=');
      if (eq > 0) header[s.slice(0, eq).trim()] = { value: s.slice(eq + 1).trim(), line };
      return;
    }
    if (section !== '地块坐标') return;
    if (s.endsWith('@')) {
      const fields = s
        .slice(0, -1)
        .split(/[,，]/)
        .map((f) => f.trim());
      if (fields.at(-1) === '') fields.pop();
      blocks.push({ line, fields, points: [] });
      return;
    }
    const parts = s.split(/[,，]/).map((p) => p.trim());
    const ring = parts.length >= 4 ? number(parts[1]) : null;
    const x = parts.length >= 4 ? number(parts[2]) : null;
    const y = parts.length >= 4 ? number(parts[3]) : null;
    if (ring === null || x === null || y === null || !Number.isInteger(ring) || ring < 1) {
      throw fail(
        line,
        msg(
          `"${s.slice(0, 60)}" is neither a parcel line (ending in @) nor a boundary point "点号,圈号,X,Y" (ring number a whole number from 1, X and Y in metres).`,
          `“${s.slice(0, 60)}”既不是地块属性行（以 @ 结尾），也不是界址点行“点号,圈号,X,Y”（圈号为从 1 起的整数，X、Y 为米）。`,
        ),
      );
    }
    if (blocks.length === 0)
      throw fail(
        line,
        msg(
          'a boundary point comes before any parcel line (界址点数,地块面积,地块编号,…,@).',
          '界址点行之前没有地块属性行（界址点数,地块面积,地块编号,…,@）。',
        ),
      );
    blocks.at(-1)!.points.push({ line, ring, x, y });
  });

  if (blocks.length === 0) {
    throw importError(
      fileName,
      null,
      msg(
        'The coordinate file has no parcel under [地块坐标]: each parcel is a line ending in @ followed by its points.',
        '坐标文件的 [地块坐标] 中没有地块：每个地块为一行以 @ 结尾的属性，其后为界址点。',
      ),
      400,
      'import_empty',
    );
  }
  const notes: Message[] = [];
  const crs = headerCrs(fileName, header, blocks, notes);
  if (crs.swapped) {
    for (const b of blocks) for (const p of b.points) [p.x, p.y] = [p.y, p.x];
  }
  const features = blocks.map((b, k) => parcelFeature(fileName, b, k + 1, notes));
  const extra = Math.max(...blocks.map((b) => b.fields.length)) - TXT_ATTRIBUTE_COLUMNS.length;
  const columns = [...TXT_ATTRIBUTE_COLUMNS, ...Array.from({ length: Math.max(0, extra) }, (_, i) => `属性${TXT_ATTRIBUTE_COLUMNS.length + i + 1}`)];
  for (const f of features) for (const c of columns) if (!(c in f.properties)) f.properties[c] = null;
  if (encoding === 'gbk') notes.push(msg('The text was read as GBK.', '文字按 GBK 编码读取。'));
  return {
    fileName,
    format: 'ministry-txt',
    columns,
    features,
    declaredEpsg: crs.epsg,
    prjName: crs.epsg ? `${crsByEpsg(crs.epsg)!.name}（坐标文件 [属性描述]）` : null,
    encoding,
    notes,
  };
}

/**
 * The CRS from the [属性描述] header and the eastings: a zone prefix on the eastings gives the zone; without
 * it the header's 带号 does; with neither the app guesses the central meridian and the user confirms it.
 */
function headerCrs(
  fileName: string,
  header: Record<string, { value: string; line: number }>,
  blocks: ParcelBlock[],
  notes: Message[],
): { epsg: number | null; swapped: boolean } {
  const at = (key: string) => header[key];
  const system = at('坐标系');
  const bad = (key: string, why: Message) => importError(fileName, header[key] ? lineAt(header[key].line) : null, why);
  if (system && system.value !== '') {
    const v = system.value.toUpperCase();
    if (/西安|XIAN|XI'AN|1980|北京|BEIJING|1954|54/.test(v) && !/2000/.test(v)) {
      throw bad(
        '坐标系',
        msg(
          `坐标系=${system.value}: Xi'an 1980 and Beijing 1954 coordinates must be converted to CGCS2000 (2000国家大地坐标系) before importing; the datum shift needs the local bureau's parameters, which this app does not guess.`,
          `坐标系=${system.value}：西安80、北京54坐标须先转换为 2000 国家大地坐标系（CGCS2000）再导入；基准转换需要当地参数，本系统不作推测。`,
        ),
      );
    }
    if (!/2000|CGCS/.test(v)) {
      throw bad(
        '坐标系',
        msg(
          `坐标系=${system.value} is not a coordinate system this app knows: use 2000国家大地坐标系 (CGCS2000).`,
          `坐标系=${system.value} 无法识别：请使用 2000国家大地坐标系（CGCS2000）。`,
        ),
      );
    }
  } else
    notes.push(
      msg(
        'The header does not name the coordinate system (坐标系=): read as CGCS2000 (2000国家大地坐标系).',
        '文件头未写坐标系（坐标系=）：按 2000 国家大地坐标系（CGCS2000）读取。',
      ),
    );
  const unit = at('计量单位');
  if (unit && unit.value !== '' && !/^(米|m|metre|meter)$/i.test(unit.value)) {
    throw bad('计量单位', msg(`计量单位=${unit.value}: coordinates must be in metres (米).`, `计量单位=${unit.value}：坐标须以米为单位。`));
  }
  const projection = at('投影类型');
  if (projection && projection.value !== '' && !/高斯|GAUSS|克吕格|KRUGER|TRANSVERSE/i.test(projection.value)) {
    throw bad(
      '投影类型',
      msg(`投影类型=${projection.value}: only Gauss–Krüger (高斯克吕格) coordinates are read.`, `投影类型=${projection.value}：只能读取高斯-克吕格投影坐标。`),
    );
  }
  const widthText = at('几度分带')?.value ?? '';
  const width = widthText === '' ? null : Number(widthText);
  if (width !== null && width !== 3 && width !== 6)
    throw bad('几度分带', msg(`几度分带=${widthText}: must be 3 or 6.`, `几度分带=${widthText}：应为 3 或 6。`));
  const zoneText = at('带号')?.value ?? '';
  const headerZone = zoneText === '' ? null : Number(zoneText);
  if (headerZone !== null && !Number.isInteger(headerZone)) throw bad('带号', msg(`带号=${zoneText} is not a whole number.`, `带号=${zoneText} 不是整数。`));

  // Prefixed eastings are 13–45 million m, northings in China below 6.2 million: the magnitude tells them apart.
  const points = blocks.flatMap((b) => b.points);
  if (points.length === 0) return { epsg: null, swapped: false };
  const prefixedY = points.filter((p) => p.y >= 10_000_000);
  const prefixedX = points.filter((p) => p.x >= 10_000_000);
  let swapped = false;
  let prefixedPoints = prefixedY;
  if (prefixedY.length === 0 && prefixedX.length === points.length) {
    swapped = true;
    prefixedPoints = prefixedX;
    notes.push(
      msg(
        'The first coordinate of each point carries the zone number, so it is the easting: this file has Y before X, contrary to the format (X = northing first); they were exchanged.',
        '每个点的第一个坐标带有带号，为东坐标：本文件 Y 在 X 之前，与格式规定（先 X 北坐标）相反，已交换读取。',
      ),
    );
  } else if (prefixedY.length > 0 && prefixedY.length < points.length) {
    const odd = points.find((p) => p.y < 10_000_000)!;
    throw importError(
      fileName,
      lineAt(odd.line),
      msg(
        `Y ${odd.y} has no zone number while other points' Y carry one (e.g. ${prefixedY[0].y} at line ${prefixedY[0].line}): write every easting the same way.`,
        `Y 坐标 ${odd.y} 不含带号，而其他点含带号（如第 ${prefixedY[0].line} 行的 ${prefixedY[0].y}）：东坐标须统一写法。`,
      ),
    );
  }
  if (prefixedPoints.length) {
    const easting = (p: PointLine) => (swapped ? p.x : p.y);
    const zone = Math.floor(easting(prefixedPoints[0]) / 1_000_000);
    const other = prefixedPoints.find((p) => Math.floor(easting(p) / 1_000_000) !== zone);
    if (other)
      throw importError(
        fileName,
        lineAt(other.line),
        msg(
          `the easting ${easting(other)} is in zone ${Math.floor(easting(other) / 1_000_000)}, the first point's in zone ${zone}: one zone per file.`,
          `东坐标 ${easting(other)} 属第 ${Math.floor(easting(other) / 1_000_000)} 带，而第一个点属第 ${zone} 带：每个文件只能有一个投影带。`,
        ),
      );
    if (headerZone !== null && headerZone !== zone) {
      throw bad(
        '带号',
        msg(
          `带号=${headerZone}, but the eastings start with zone number ${zone} (line ${prefixedPoints[0].line}): correct the header or the coordinates.`,
          `带号=${headerZone}，但东坐标以带号 ${zone} 开头（第 ${prefixedPoints[0].line} 行）：请更正文件头或坐标。`,
        ),
      );
    }
    const w = width ?? (zone >= 25 && zone <= 45 ? 3 : 6);
    if ((w === 3 && (zone < 25 || zone > 45)) || (w === 6 && (zone < 13 || zone > 23))) {
      throw importError(
        fileName,
        lineAt(prefixedPoints[0].line),
        msg(
          `zone number ${zone} is not a ${w}-degree zone over China (3°: 25–45, 6°: 13–23).`,
          `带号 ${zone} 不是中国范围内的 ${w} 度带（3 度带 25–45，6 度带 13–23）。`,
        ),
      );
    }
    return { epsg: w === 3 ? 4513 + zone - 25 : 4491 + zone - 13, swapped };
  }
  if (headerZone === null) {
    notes.push(
      msg(
        'The eastings carry no zone number and the header gives no 带号: the central meridian is guessed from where the data lands; confirm the coordinate system below.',
        '东坐标不含带号，文件头也未写带号：中央经线按数据位置推测，请在下方确认坐标系。',
      ),
    );
    return { epsg: null, swapped: false };
  }
  // 带号 is the zone number; some files write the central meridian there instead (e.g. 114).
  const w = width ?? (headerZone >= 13 && headerZone <= 23 ? 6 : 3);
  let cm: number;
  if (w === 3 && headerZone >= 25 && headerZone <= 45) cm = headerZone * 3;
  else if (w === 6 && headerZone >= 13 && headerZone <= 23) cm = headerZone * 6 - 3;
  else if (headerZone >= 75 && headerZone <= 135 && (w === 3 ? headerZone % 3 === 0 : (headerZone + 3) % 6 === 0)) {
    cm = headerZone;
    notes.push(msg(`带号=${headerZone} was read as the central meridian ${headerZone}°E.`, `带号=${headerZone} 按中央经线 ${headerZone}°E 读取。`));
  } else {
    throw bad(
      '带号',
      msg(
        `带号=${headerZone} is not a ${w}-degree zone over China (3°: 25–45, 6°: 13–23).`,
        `带号=${headerZone} 不是中国范围内的 ${w} 度带（3 度带 25–45，6 度带 13–23）。`,
      ),
    );
  }
  return { epsg: w === 3 ? gk3Epsg(cm, false) : gk6Epsg(cm, false), swapped: false };
}

/** One parcel: its attribute fields and its rings (outer ring, holes, further parts) as a MultiPolygon, eastings first. */
function parcelFeature(fileName: string, block: ParcelBlock, n: number, notes: Message[]): SourceFeature {
  const where = parcelAt(n, block.line);
  const fail = (why: Message, line = block.line) =>
    importError(fileName, line === block.line ? where : msg(`${where.en}, line ${line}`, `${where.zh}，第 ${line} 行`), why);
  const code = block.fields[2] ?? '';
  const shape = block.fields[4] ?? '';
  if (shape !== '' && shape !== '面') {
    throw fail(
      msg(
        `记录图形属性 is "${shape}": only polygons (面) are parcels; lines and points cannot be imported.`,
        `记录图形属性为“${shape}”：地块须为面，线和点无法导入。`,
      ),
    );
  }
  if (block.points.length === 0) throw fail(msg('the parcel line is followed by no boundary point.', '地块属性行之后没有界址点。'));

  // Rings: consecutive points with the same 圈号; a ring ends where it returns to its first point.
  const rings: { ring: number; points: PointLine[]; closed: boolean }[] = [];
  for (const p of block.points) {
    const current = rings.at(-1);
    if (!current || current.ring !== p.ring || current.closed) rings.push({ ring: p.ring, points: [p], closed: false });
    else {
      current.points.push(p);
      const first = current.points[0];
      if (current.points.length > 3 && Math.abs(first.x - p.x) < 0.0005 && Math.abs(first.y - p.y) < 0.0005) current.closed = true;
    }
  }
  const declared = number(block.fields[0] ?? '');
  const lineCount = block.points.length;
  const distinct = lineCount - rings.filter((r) => r.closed).length;
  // 界址点数 counts either every point line or the distinct corners: both are written in practice.
  if (declared === null || (declared !== lineCount && declared !== distinct)) {
    throw fail(
      msg(
        `界址点数 is "${block.fields[0] ?? ''}" but ${lineCount} point lines follow (${distinct} without the closing repeats).`,
        `界址点数为“${block.fields[0] ?? ''}”，但其后有 ${lineCount} 个界址点行（不计闭合重复点为 ${distinct} 个）。`,
      ),
    );
  }
  const polygons: Position[][][] = [];
  for (const r of rings) {
    const coords: Position[] = r.points.map((p) => [p.y, p.x]);
    const corners = r.closed ? coords.length - 1 : coords.length;
    if (corners < 3)
      throw fail(
        msg(`ring ${r.ring} has ${corners} distinct point(s); a ring needs at least 3.`, `第 ${r.ring} 圈只有 ${corners} 个不同的点，一圈至少需要 3 个点。`),
        r.points[0].line,
      );
    if (!r.closed) {
      coords.push(coords[0]);
      notes.push(
        msg(
          `Parcel ${code || n}: ring ${r.ring} (lines ${r.points[0].line}–${r.points.at(-1)!.line}) does not return to its first point; it was closed.`,
          `地块 ${code || n}：第 ${r.ring} 圈（第 ${r.points[0].line}–${r.points.at(-1)!.line} 行）未回到起点，已自动闭合。`,
        ),
      );
    }
    // A ring inside an earlier outer ring is its hole (圈号 2…); otherwise it is a further part of the parcel.
    const owner = polygons.find((poly) =>
      coords.every((c) => booleanPointInPolygon(c, { type: 'Polygon', coordinates: [poly[0]] } as Polygon, { ignoreBoundary: false })),
    );
    if (owner && r !== rings[0]) owner.push(coords);
    else {
      if (r.ring > 1 && r !== rings[0])
        notes.push(
          msg(
            `Parcel ${code || n}: ring ${r.ring} (line ${r.points[0].line}) lies outside the outer ring, so it was read as a further part of the parcel, not a hole.`,
            `地块 ${code || n}：第 ${r.ring} 圈（第 ${r.points[0].line} 行）不在外圈内，按地块的另一部分读取，而非内部扣除。`,
          ),
        );
      polygons.push([coords]);
    }
  }
  const properties: Record<string, unknown> = {};
  block.fields.forEach((f, i) => {
    const name = TXT_ATTRIBUTE_COLUMNS[i] ?? `属性${i + 1}`;
    properties[name] = f === '' ? null : i === 0 ? Number(f) : f;
  });
  const geometry: MultiPolygon = { type: 'MultiPolygon', coordinates: polygons };
  return { n, where, properties, geometry };
}

// ---------------------------------------------------------------- writing

export interface TxtParcel {
  code: string;
  name: string;
  /** 地块面积 (公顷). */
  areaHa: number | null;
  landUseCode: string | null;
  /** In the export's Gauss–Krüger CRS: [easting, northing]. */
  geometry: MultiPolygon;
}

/** Ring area in (easting, northing): positive when counter-clockwise. */
function signedArea(ring: Position[]): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s / 2;
}

/** The ring without its closing point, clockwise for outer rings (counter-clockwise for holes), from its north-west corner, as surveyors number 界址点. */
function surveyOrder(ring: Position[], outer: boolean): Position[] {
  let pts = ring.slice(0, -1);
  if (signedArea(ring) < 0 !== outer) pts = pts.reverse();
  const minE = Math.min(...pts.map((p) => p[0]));
  const maxN = Math.max(...pts.map((p) => p[1]));
  let start = 0;
  pts.forEach((p, i) => {
    if (Math.hypot(p[0] - minE, maxN - p[1]) < Math.hypot(pts[start][0] - minE, maxN - pts[start][1])) start = i;
  });
  return [...pts.slice(start), ...pts.slice(0, start)];
}

/** Text fields cannot hold the separators of the format. */
const field = (s: string | null | undefined) => (s ?? '').replace(/[,，@\r\n]/g, ' ').trim();

/**
 * The coordinate file of parcels (or zones) in a Gauss–Krüger CRS, GBK with CRLF as the bureau systems read
 * it. Coordinates to the millimetre; each ring closed by repeating its first point; rings numbered 1, 2, …
 * within a parcel (holes and further parts follow their outer ring); points J1, J2, … across the parcel.
 */
export function writeMinistryTxt(parcels: TxtParcel[], epsg: number, today = new Date()): Buffer {
  const info = crsByEpsg(epsg);
  if (!info || info.kind === 'geographic') throw new Error('The coordinate TXT is Gauss–Krüger only.');
  const date = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  const out = [
    '[属性描述]',
    '格式版本号=1.01',
    '数据产生单位=园区一张图',
    `数据产生日期=${date}`,
    '坐标系=2000国家大地坐标系',
    `几度分带=${info.kind === 'gk3' ? 3 : 6}`,
    '投影类型=高斯克吕格',
    '计量单位=米',
    `带号=${info.zone}`,
    '精度=0.001',
    '转换参数=,,,,,,',
    '[地块坐标]',
  ];
  for (const p of parcels) {
    const lines: string[] = [];
    let ringNo = 0;
    let pointNo = 0;
    for (const polygon of p.geometry.coordinates) {
      polygon.forEach((ring, i) => {
        ringNo++;
        const pts = surveyOrder(ring, i === 0);
        const firstNo = pointNo + 1;
        for (const [e, nth] of pts) lines.push(`J${++pointNo},${ringNo},${nth.toFixed(3)},${e.toFixed(3)}`);
        lines.push(`J${firstNo},${ringNo},${pts[0][1].toFixed(3)},${pts[0][0].toFixed(3)}`);
      });
    }
    const area = p.areaHa === null ? '' : String(Number(p.areaHa.toFixed(6)));
    const useName = p.landUseCode ? (landUseClass(p.landUseCode)?.zh ?? '') : '';
    out.push(`${lines.length},${area},${field(p.code)},${field(p.name)},面,,${field(useName)},${field(p.landUseCode)},@`, ...lines);
  }
  return iconv.encode(out.join('\r\n') + '\r\n', 'gbk');
}
