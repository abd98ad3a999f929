// The history on the dashboard: the range picker (live: the feed's last 5 minutes; or 1 h, 6 h,
// 24 h, 7 d read from the history through the Prometheus query API) and the query box, which
// charts any PromQL expression over the chosen range.
import { $ } from './api.js';
import { TIME_STEPS, formatTime } from './units.js';

const RANGES = { live: 300, '1h': 3600, '6h': 21600, '24h': 86400, '7d': 604800 };
const COLORS = ['#2f6fde', '#1f8f4e', '#b26a00', '#c62828', '#7b1fa2', '#00838f', '#6d4c41', '#ad1457'];
let queryPlot = null;
let queryRun = 0; // the latest run: an older one's answer is dropped

/** True while the charts follow the live feed. */
export function isLive() {
  return $('range').value === 'live';
}

/** The chosen range in seconds. */
export function rangeSeconds() {
  return RANGES[$('range').value] ?? RANGES.live;
}

/** A step that gives about 300 points over {@code range} seconds, at least 10 s. */
export function stepSeconds(range) {
  return Math.max(10, Math.ceil(range / 300));
}

/** The window of a rate over the history: four steps, at least a minute (as Grafana's $__rate_interval). */
export function rateWindow(range) {
  return Math.max(60, 4 * stepSeconds(range)) + 's';
}

/**
 * A range query over the {@code range} seconds before {@code at} (ms, default now) (POST, form body, as Grafana sends it):
 * {start, end, step, result: [{metric, values: [[t, "v"], ...]}]}. Throws with Prometheus' error.
 */
export async function queryRange(expr, range, at = Date.now()) {
  const step = stepSeconds(range);
  const end = Math.floor(at / 1000 / step) * step;
  const start = end - range;
  const body = new URLSearchParams({ query: expr, start, end, step });
  const r = await fetch('/api/v1/query_range', { method: 'POST', body });
  const j = await r.json();
  if (j.status !== 'success') throw new Error(j.error || 'HTTP ' + r.status);
  return { start, end, step, result: j.data.result };
}

/** uPlot's data for results aligned on the steps: [[t...], [v or null...] per result]. */
export function align(q, results) {
  const xs = [];
  for (let t = q.start; t <= q.end; t += q.step) xs.push(t);
  const index = new Map(xs.map((t, i) => [t, i]));
  const lines = results.map(res => {
    const ys = new Array(xs.length).fill(null);
    for (const [t, v] of res.values) {
      const i = index.get(Math.round(t));
      if (i !== undefined) ys[i] = Number(v);
    }
    return ys;
  });
  return [xs, ...lines];
}

/** Each result's legend: the labels that are not the same in every result (all of one). */
function legends(results) {
  const common = {};
  if (results.length > 1) {
    for (const [k, v] of Object.entries(results[0].metric)) {
      if (results.every(r => r.metric[k] === v)) common[k] = v;
    }
  }
  return results.map(r => {
    const own = Object.entries(r.metric).filter(([k]) => !(k in common));
    return own.length ? own.map(([k, v]) => `${k}="${v}"`).join(', ') : '{}';
  });
}

/** Charts the query box's expression over the chosen range. */
export async function runQuery() {
  const expr = $('query').value.trim();
  const box = $('query-chart');
  const run = ++queryRun;
  $('query-error').textContent = '';
  if (!expr) return;
  let q;
  try {
    q = await queryRange(expr, rangeSeconds());
  } catch (e) {
    if (run === queryRun) $('query-error').textContent = e.message;
    return;
  }
  if (run !== queryRun) return;
  const names = legends(q.result);
  const data = align(q, q.result);
  queryPlot?.destroy();
  box.replaceChildren();
  queryPlot = new uPlot({
    width: Math.max(360, $('query-panel').clientWidth - 24), height: 220,
    scales: { x: { time: true } },
    series: [{}, ...names.map((n, i) => ({ label: n, stroke: COLORS[i % COLORS.length], width: 1.5 }))],
    axes: [
      { stroke: '#888', space: 70, incrs: TIME_STEPS, values: (u, splits) => splits.map(t => formatTime(t, u.scales.x.max - u.scales.x.min)),
        grid: { stroke: 'rgba(128,128,128,.2)' }, ticks: { stroke: 'rgba(128,128,128,.3)' } },
      { stroke: '#888', size: 60, grid: { stroke: 'rgba(128,128,128,.2)' }, ticks: { stroke: 'rgba(128,128,128,.3)' } },
    ],
  }, data, box);
  box.dataset.series = String(q.result.length);
  box.dataset.points = String(data.slice(1).reduce((n, ys) => n + ys.filter(v => v !== null).length, 0));
}
