/** The value below which `p` (0..1) of the samples fall (nearest rank). */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank] as number;
}

export const median = (samples: number[]): number => percentile(samples, 0.5);

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;
