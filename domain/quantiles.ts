/**
 * Quantile classes for choropleth maps: break values that split the data into groups of (nearly) equal
 * count. Quantiles are interpolated between order statistics (Hyndman & Fan type 7, the default of R and
 * of Excel's PERCENTILE.INC), so breaks are stable when values repeat.
 */

/** The `classes − 1` break values of the (finite) values, ascending, without repeats. */
export function quantileBreaks(values: number[], classes: number): number[] {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0 || classes < 2) return [];
  const breaks: number[] = [];
  for (let k = 1; k < classes; k++) {
    const h = (sorted.length - 1) * (k / classes);
    const lo = Math.floor(h);
    const q = sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
    // A break at the minimum would leave the lowest class empty; repeated breaks would leave classes empty.
    if (q > sorted[0] && (breaks.length === 0 || q > breaks[breaks.length - 1])) breaks.push(q);
  }
  return breaks;
}

/** The class (0 … breaks.length) of a value: a value equal to a break belongs to the class above it. */
export function quantileClass(value: number, breaks: number[]): number {
  let k = 0;
  while (k < breaks.length && value >= breaks[k]) k++;
  return k;
}
