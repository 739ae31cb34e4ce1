/**
 * Long import loops hand the event loop back now and then. The embedded database (PGlite) runs on the main
 * thread and a chain of awaited queries is all microtasks, so without this a 2,000-parcel commit kept even
 * GET /api/health/live waiting for the whole of it (bench/import-latency.ts measures it).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/** After this much work without a break, other requests get their turn. */
const SLICE_MS = 25;

export class Pacer {
  private since = performance.now();
  /** Yields when the current slice is used up; cheap to call on every iteration. */
  async maybeYield(): Promise<void> {
    if (performance.now() - this.since < SLICE_MS) return;
    await nextTurn();
    this.since = performance.now();
  }
}

/**
 * `items` in batches for one SQL statement each: at most `maxItems`, and at most `maxVertices` vertices
 * (one item over it makes its own batch), so that no single statement holds the embedded database for long.
 */
export function batches<T>(items: T[], verticesOf: (item: T) => number, maxItems = 50, maxVertices = 10_000): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let vertices = 0;
  for (const item of items) {
    const v = verticesOf(item);
    if (current.length && (current.length >= maxItems || vertices + v > maxVertices)) {
      out.push(current);
      current = [];
      vertices = 0;
    }
    current.push(item);
    vertices += v;
  }
  if (current.length) out.push(current);
  return out;
}
