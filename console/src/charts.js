// The two charts (Chart.js): runs and failures as bars on the left axis, cost in USD as a line on the right.
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement,
  Legend, Tooltip);

const COLORS = { runs: '#2563eb', failures: '#dc2626', cost: '#059669' };

/**
 * Draws (or redraws) runs, failures and cost over `labels` on `canvas`. `series` holds three arrays of numbers of
 * the labels' length; cost is a line over days (a trend) and a bar per key (`costAs: 'bar'`). Without animation,
 * so the chart is drawn as soon as this returns.
 */
export function drawUsageChart(canvas, labels, series, costAs = 'line') {
  Chart.getChart(canvas)?.destroy();
  return new Chart(canvas, {
    data: {
      labels,
      datasets: [
        { type: 'bar', label: 'Runs', data: series.runs, backgroundColor: COLORS.runs, yAxisID: 'runs' },
        { type: 'bar', label: 'Failures', data: series.failures, backgroundColor: COLORS.failures, yAxisID: 'runs' },
        {
          type: costAs, label: 'Cost (USD)', data: series.cost, borderColor: COLORS.cost,
          backgroundColor: COLORS.cost, yAxisID: 'cost', pointRadius: 2,
        },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        runs: { type: 'linear', position: 'left', beginAtZero: true, ticks: { precision: 0 },
          title: { display: true, text: 'runs' } },
        cost: { type: 'linear', position: 'right', beginAtZero: true, grid: { drawOnChartArea: false },
          title: { display: true, text: 'USD' } },
      },
    },
  });
}
