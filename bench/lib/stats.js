'use strict';
// Order statistics for timings: nearest-rank percentiles, so every reported figure is one that was measured.

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

const median = (values) => percentile(values, 50);

module.exports = { percentile, median };
