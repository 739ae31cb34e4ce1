/**
 * Limits on what one uploaded file may hold (vertices per feature and per file, nesting depth), checked
 * before the expensive work: the bytes of a GeoJSON are scanned without parsing, a shapefile's record
 * headers and a GeoPackage's WKB counts are read without building geometry, and every geometry is
 * counted with a loop (never recursion, so no depth in a file can overflow the stack). A file over a limit
 * is refused with the limit and the figure found, in English and Chinese, before anything is stored.
 */
import type { Geometry } from 'geojson';
import { msg, type Message } from '../../domain/parcelFields.ts';
import { uploadLimitsFromEnv, type UploadLimits } from '../config.ts';
import { importError } from './errors.ts';

export type { UploadLimits };

/** The limits now in force (read from the environment each time: see config.ts). */
export const uploadLimits = (): UploadLimits => uploadLimitsFromEnv(process.env);

const fmt = (n: number) => n.toLocaleString('en');

export function tooManyVerticesInFeature(fileName: string, where: Message, found: number, limit: number) {
  return importError(
    fileName,
    where,
    msg(
      `has ${fmt(found)} vertices; at most ${fmt(limit)} are allowed per feature (IMPORT_MAX_VERTICES_PER_FEATURE). Simplify the shape or split it.`,
      `有 ${fmt(found)} 个顶点，每个要素最多允许 ${fmt(limit)} 个（IMPORT_MAX_VERTICES_PER_FEATURE）。请简化或拆分图形。`,
    ),
    413,
    'import_too_many_vertices',
  );
}

export function tooManyVerticesInFile(fileName: string, found: number | string, limit: number) {
  const figure = typeof found === 'number' ? fmt(found) : found;
  return importError(
    fileName,
    null,
    msg(
      `The file has ${figure} vertices; at most ${fmt(limit)} are allowed per file (IMPORT_MAX_VERTICES_PER_FILE). Split the file.`,
      `文件有 ${figure} 个顶点，每个文件最多允许 ${fmt(limit)} 个（IMPORT_MAX_VERTICES_PER_FILE）。请拆分文件。`,
    ),
    413,
    'import_too_many_vertices',
  );
}

export function nestedTooDeep(fileName: string, where: Message | null, what: Message, found: number | string, limit: number) {
  const figure = typeof found === 'number' ? fmt(found) : found;
  return importError(
    fileName,
    where,
    msg(
      `${what.en} are nested ${figure} levels deep; at most ${fmt(limit)} levels are allowed (IMPORT_MAX_DEPTH).`,
      `${what.zh}嵌套 ${figure} 层，最多允许 ${fmt(limit)} 层（IMPORT_MAX_DEPTH）。`,
    ),
    422,
    'import_too_deep',
  );
}

/** Keeps the running total of a file's vertices and refuses the feature or the file that goes over. */
export class VertexBudget {
  total = 0;
  constructor(
    readonly fileName: string,
    readonly limits: UploadLimits = uploadLimits(),
  ) {}
  add(where: Message, vertices: number): void {
    if (vertices > this.limits.maxVerticesPerFeature) throw tooManyVerticesInFeature(this.fileName, where, vertices, this.limits.maxVerticesPerFeature);
    this.total += vertices;
    if (this.total > this.limits.maxVerticesPerFile)
      throw tooManyVerticesInFile(this.fileName, `more than ${fmt(this.limits.maxVerticesPerFile)}`, this.limits.maxVerticesPerFile);
  }
}

/**
 * One pass over the text of a JSON document, without parsing it: the deepest nesting of arrays and
 * objects, the number of positions (an array whose first element is a number), and, when the document is
 * a FeatureCollection, the feature with the most positions (1-based) and how many. Tens of milliseconds for
 * 28 MB. (Over the decoded text, not the bytes: a GBK character's second byte can look like a backslash.)
 */
export function scanJson(text: string): { depth: number; positions: number; biggestFeature: { n: number; positions: number } | null } {
  let depth = 0;
  let maxDepth = 0;
  let positions = 0;
  let inString = false;
  // After '[', the first non-space character tells whether the array holds numbers.
  let afterOpenBracket = false;
  // The root object's keys and string values, to know its "type" and which array is "features".
  let stringStart = -1;
  let lastRootString: string | null = null;
  let rootKey: string | null = null;
  let rootType: string | null = null;
  let inFeatures = false;
  let featureIndex = 0;
  let featureStart = 0;
  let biggest: { n: number; positions: number } | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) {
        inString = false;
        if (stringStart >= 0) {
          lastRootString = text.slice(stringStart, i);
          if (rootKey === 'type') rootType = lastRootString;
          stringStart = -1;
        }
      }
      continue;
    }
    if (afterOpenBracket && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
      afterOpenBracket = false;
      if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) positions++;
    }
    if (c === 0x22) {
      inString = true;
      // Only the root's short strings are kept (keys and "type"'s value).
      if (depth === 1 && rootKey !== 'features') stringStart = i + 1;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth++;
      if (depth > maxDepth) maxDepth = depth;
      afterOpenBracket = c === 0x5b;
      if (depth === 2) inFeatures = rootKey === 'features' && c === 0x5b;
      else if (depth === 3 && inFeatures) {
        featureIndex++;
        featureStart = positions;
      }
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      if (depth === 3 && inFeatures && (!biggest || positions - featureStart > biggest.positions))
        biggest = { n: featureIndex, positions: positions - featureStart };
      if (depth === 2) inFeatures = false;
      depth--;
    } else if (depth === 1) {
      if (c === 0x3a /* : */) rootKey = lastRootString;
      else if (c === 0x2c /* , */) rootKey = null;
    }
  }
  return { depth: maxDepth, positions, biggestFeature: rootType === 'FeatureCollection' ? biggest : null };
}

/**
 * The coordinate tuples of each KML Placemark, from the text (no DOM is built): the whitespace-separated
 * tuples of its <coordinates> elements, and of gx:coord.
 */
export function kmlVertexCounts(text: string): number[] {
  const counts: number[] = [];
  const tags = /<(?:[\w-]+:)?(Placemark|coordinates|coord)\b[^>]*>/g;
  let m: RegExpExecArray | null;
  while ((m = tags.exec(text))) {
    if (m[1] === 'Placemark') {
      counts.push(0);
      continue;
    }
    if (counts.length === 0) counts.push(0);
    const end = text.indexOf('<', tags.lastIndex);
    const stop = end < 0 ? text.length : end;
    if (m[1] === 'coord') counts[counts.length - 1]++;
    else {
      let tuples = 0;
      let inToken = false;
      for (let i = tags.lastIndex; i < stop; i++) {
        const c = text.charCodeAt(i);
        const space = c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
        if (!space && !inToken) tuples++;
        inToken = !space;
      }
      counts[counts.length - 1] += tuples;
    }
    tags.lastIndex = stop;
  }
  return counts;
}

/** The deepest nesting of XML elements (KML), by a scan of the text: tags opened minus tags closed. */
export function xmlDepth(text: string): number {
  let depth = 0;
  let maxDepth = 0;
  let at = text.indexOf('<');
  while (at >= 0) {
    const next = text.charCodeAt(at + 1);
    if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      if (end < 0) break;
      at = text.indexOf('<', end + 3);
      continue;
    }
    if (text.startsWith('<![CDATA[', at)) {
      const end = text.indexOf(']]>', at + 9);
      if (end < 0) break;
      at = text.indexOf('<', end + 3);
      continue;
    }
    const close = text.indexOf('>', at + 1);
    if (close < 0) break;
    if (next === 0x2f /* / */) depth--;
    else if (next !== 0x3f /* ? */ && next !== 0x21 /* ! */ && text.charCodeAt(close - 1) !== 0x2f) {
      depth++;
      if (depth > maxDepth) maxDepth = depth;
    }
    at = text.indexOf('<', close + 1);
  }
  return maxDepth;
}

/** The deepest nesting of parentheses in a WKT text (a GEOMETRYCOLLECTION inside another nests deeper). */
export function wktDepth(text: string): number {
  let depth = 0;
  let maxDepth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x28) {
      depth++;
      if (depth > maxDepth) maxDepth = depth;
    } else if (c === 0x29) depth--;
  }
  return maxDepth;
}

/**
 * A parsed geometry's vertices and nesting, counted with an explicit stack: arrays nested deeper than
 * `maxDepth` stop the count (the caller refuses the feature) instead of overflowing the call stack.
 */
export function geometryStats(geometry: unknown, maxDepth: number): { vertices: number; depth: number } {
  let vertices = 0;
  let deepest = 0;
  // Two parallel stacks (values, depths): no object per entry, for a million positions.
  const values: unknown[] = [geometry];
  const depths: number[] = [1];
  while (values.length) {
    const value = values.pop();
    const depth = depths.pop()!;
    const push = (child: unknown) => {
      values.push(child);
      depths.push(depth + 1);
    };
    if (depth > deepest) deepest = depth;
    if (depth > maxDepth) break;
    if (Array.isArray(value)) {
      if (value.length > 0 && !Array.isArray(value[0])) vertices++;
      else if (depth === maxDepth && value.length > 0) {
        // Its elements would be one level too deep.
        deepest = depth + 1;
        break;
      } else if (value.length > 0 && value[0].length > 0 && !Array.isArray(value[0][0])) {
        // An array of positions (a ring, a line): counted at once, each checked to be a position.
        let allPositions = true;
        for (const x of value) if (!Array.isArray(x) || Array.isArray(x[0])) allPositions = false;
        if (allPositions) {
          vertices += value.length;
          if (depth + 1 > deepest) deepest = depth + 1;
        } else for (const x of value) push(x);
      } else for (const x of value) push(x);
    } else if (value && typeof value === 'object') {
      const g = value as { type?: unknown; coordinates?: unknown; geometries?: unknown };
      if (g.type === 'GeometryCollection' && Array.isArray(g.geometries)) for (const x of g.geometries) push(x);
      else if (Array.isArray(g.coordinates)) push(g.coordinates);
    }
  }
  return { vertices, depth: deepest };
}

/** Refuses a feature whose geometry is nested too deep or has too many vertices; adds its vertices to the file's. */
export function checkGeometryLimits(budget: VertexBudget, where: Message, geometry: Geometry | unknown | null): void {
  if (geometry === null || geometry === undefined) return;
  const { vertices, depth } = geometryStats(geometry, budget.limits.maxDepth);
  if (depth > budget.limits.maxDepth)
    throw nestedTooDeep(
      budget.fileName,
      where,
      msg("the geometry's arrays and collections", '几何的数组与集合'),
      `more than ${fmt(budget.limits.maxDepth)}`,
      budget.limits.maxDepth,
    );
  budget.add(where, vertices);
}

/**
 * The vertices of each record of a .shp, from the record headers only (no geometry is built): shape type,
 * then for multi-part shapes numParts and numPoints. Returns null when the layout is not a shapefile's (the
 * shapefile reader then says what is wrong).
 */
export function shpVertexCounts(shp: Buffer): number[] | null {
  if (shp.length < 100) return null;
  const counts: number[] = [];
  let at = 100;
  while (at + 8 <= shp.length) {
    const contentBytes = shp.readInt32BE(at + 4) * 2;
    const content = at + 8;
    if (contentBytes < 4 || content + contentBytes > shp.length) return null;
    const type = shp.readInt32LE(content);
    let points = 0;
    if (type === 1 || type === 11 || type === 21) points = 1;
    else if (type === 8 || type === 18 || type === 28) points = contentBytes >= 40 ? shp.readInt32LE(content + 36) : 0;
    else if ([3, 5, 13, 15, 23, 25, 31].includes(type)) points = contentBytes >= 44 ? shp.readInt32LE(content + 40) : 0;
    counts.push(Math.max(points, 0));
    at = content + contentBytes;
  }
  return counts;
}

/**
 * The vertices and nesting of a WKB geometry, from its counts only (no geometry is built; an explicit
 * stack, so a deep GeometryCollection cannot overflow it). Understands ISO (1000/2000/3000) and EWKB
 * (0x80000000/0x40000000) dimensions; null when the bytes are not WKB it knows (wkx then says why).
 */
export function wkbStats(buf: Buffer, maxDepth: number): { vertices: number; depth: number } | null {
  let at = 0;
  let vertices = 0;
  let deepest = 0;
  // Geometries still to read, with their depth: a collection pushes its parts.
  const pending: number[] = [1];
  try {
    while (pending.length) {
      const depth = pending.pop()!;
      if (depth > deepest) deepest = depth;
      if (depth > maxDepth) break;
      const little = buf[at] === 1;
      const u32 = (o: number) => (little ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
      let type = u32(at + 1);
      at += 5;
      let dims = 2;
      if (type & 0x80000000) dims++;
      if (type & 0x40000000) dims++;
      if (type & 0x20000000) at += 4; // EWKB SRID
      type &= 0x0fffffff;
      const iso = Math.floor(type / 1000);
      if (iso === 1 || iso === 2) dims = 3;
      else if (iso === 3) dims = 4;
      type %= 1000;
      const pointBytes = 8 * dims;
      if (type === 1) {
        vertices++;
        at += pointBytes;
      } else if (type === 2 || type === 8) {
        const n = u32(at);
        vertices += n;
        at += 4 + n * pointBytes;
      } else if (type === 3) {
        const rings = u32(at);
        at += 4;
        // A count the bytes cannot hold is damage (or a trap): not looped over.
        if (rings * 4 > buf.length - at) return null;
        for (let r = 0; r < rings; r++) {
          const n = u32(at);
          vertices += n;
          at += 4 + n * pointBytes;
        }
      } else if ([4, 5, 6, 7, 9, 10, 11, 12, 15, 16, 17].includes(type)) {
        const parts = u32(at);
        at += 4;
        if (parts * 5 > buf.length - at) return null;
        // Read in order: the parts follow one another in the bytes.
        for (let k = 0; k < parts; k++) pending.push(depth + 1);
      } else return null;
      if (at > buf.length) return null;
    }
  } catch {
    return null;
  }
  return { vertices, depth: deepest };
}
