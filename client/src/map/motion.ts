/**
 * Map options for people who ask their system for less motion. MapLibre already jumps instead of flying for
 * them, but it still fades labels and symbols in over 300 ms after every move, redrawing the map frame by
 * frame; with reduced motion the labels simply appear. (On a machine drawing WebGL in software, such as the
 * headless browser of the tests, those frames were a quarter of the work of opening the map.)
 */
export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

export function motionOptions(): { fadeDuration?: number } {
  return prefersReducedMotion() ? { fadeDuration: 0 } : {};
}
