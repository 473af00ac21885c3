/** Small statistics with one documented definition each (see docs/metrics.md). */

/**
 * Rounds half away from zero to `digits` decimals; non-finite input gives null.
 *
 * @example round(2.345, 1) // 2.3
 * @example round(0.8571428, 3) // 0.857
 */
export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  const rounded = (Math.sign(value) * Math.round((Math.abs(value) + Number.EPSILON) * factor)) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** `round` that passes null through. */
export function roundOrNull(value: number | null, digits: number): number | null {
  return value === null ? null : round(value, digits);
}

/**
 * The p-quantile (0 ≤ p ≤ 1) by linear interpolation between closest ranks: the value at
 * position h = (n − 1)·p of the sorted values, interpolating between the two values around h.
 * This is Hyndman and Fan's type 7, as in SQL's PERCENTILE_CONT and spreadsheets' PERCENTILE.INC.
 * Null for no values.
 *
 * @example quantile([1, 2, 3, 4], 0.5) // 2.5
 * @example quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) // 9.1
 */
export function quantile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const low = Math.floor(h);
  const lower = sorted[low] as number;
  const upper = sorted[Math.min(low + 1, sorted.length - 1)] as number;
  return lower + (h - low) * (upper - lower);
}

/** The median: the 0.5 quantile, i.e. the middle value, or the mean of the two middle values. */
export function median(values: readonly number[]): number | null {
  return quantile(values, 0.5);
}

/** The arithmetic mean; null for no values. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** `part / whole`, or null when `whole` is zero. */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** Mean and median of the values present, rounded, with how many there were. */
export interface Summary {
  n: number;
  mean: number | null;
  median: number | null;
}

/** Summarises the non-null values. */
export function summarize(values: readonly (number | null | undefined)[], digits: number): Summary {
  const present = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  return {
    n: present.length,
    mean: roundOrNull(mean(present), digits),
    median: roundOrNull(median(present), digits),
  };
}
