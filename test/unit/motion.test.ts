import { afterEach, describe, expect, it, vi } from 'vitest';
import { motionOptions } from '../../client/src/map/motion.ts';

describe('map motion options', () => {
  afterEach(() => vi.unstubAllGlobals());
  const stubReduced = (reduce: boolean) =>
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: reduce && query === '(prefers-reduced-motion: reduce)', media: query }));

  it('turns the label fade off for people who ask for reduced motion', () => {
    stubReduced(true);
    expect(motionOptions()).toEqual({ fadeDuration: 0 });
  });

  it("keeps MapLibre's fade otherwise, and where there is no matchMedia (the server)", () => {
    stubReduced(false);
    expect(motionOptions()).toEqual({});
    vi.stubGlobal('matchMedia', undefined);
    expect(motionOptions()).toEqual({});
  });
});
