// One small uPlot chart per series, fed point by point. What is drawn depends on the kind:
// counters their rate, gauges and sets their value, timers and distributions their quantiles,
// with the series' exemplars as points over them (a button each: it opens the trace). With a
// range other than live, the chart shows the series' history instead, read by PromQL.
import { align, queryRange, rateWindow } from './history.js';
const MAX_POINTS = 300;
const COLORS = ['#2f6fde', '#1f8f4e', '#b26a00', '#c62828'];
const MAX_EXEMPLARS = 50;

export function linesOf(kind) {
  switch (kind) {
    case 'counter': case 'otlp_counter': return ['rate'];
    case 'gauge': case 'set': case 'otlp_gauge': return ['value'];
    case 'otlp_histogram': return ['rate'];
    default: return ['p50', 'p90', 'p99', 'p999'];
  }
}

export class Chart {
  constructor(series, parent) {
    this.key = series.key;
    this.lines = linesOf(series.kind);
    this.quantiles = this.lines[0] === 'p50';
    this.data = [[], ...this.lines.map(() => [])];
    this.el = document.createElement('div');
    this.el.className = 'chart';
    this.el.dataset.key = series.key;
    this.el.dataset.points = '0';
    this.title = document.createElement('h3');
    this.el.appendChild(this.title);
    parent.appendChild(this.el);
    this.plot = new uPlot({
      width: 360, height: 150, legend: { show: this.lines.length > 1 },
      scales: {
        x: { time: true },
        // latency charts reach out to their exemplars, which may lie beyond the quantiles drawn
        ...(this.quantiles ? { y: { range: (u, min, max) => this.yRange(min, max) } } : {}),
      },
      series: [{}, ...this.lines.map((l, i) => ({ label: l, stroke: COLORS[i], width: 1.5, spanGaps: true }))],
      // canvas text cannot follow CSS variables: a grey that reads on both themes
      hooks: { draw: [() => this.placeExemplars()] },
      axes: [
        { stroke: '#888', grid: { stroke: 'rgba(128,128,128,.2)' }, ticks: { stroke: 'rgba(128,128,128,.3)' } },
        { stroke: '#888', size: 60, grid: { stroke: 'rgba(128,128,128,.2)' }, ticks: { stroke: 'rgba(128,128,128,.3)' } },
      ],
    }, this.data, this.el);
    this.series = series;
    this.dirty = false;
    this.visible = false;
    this.renderTitle(series);
  }

  /** The y range: the data's and the exemplars' drawn, with 5 % room. */
  yRange(min, max) {
    let lo = min ?? Infinity;
    let hi = max ?? -Infinity;
    for (const b of this.plot?.over.querySelectorAll('button.exemplar') ?? []) {
      lo = Math.min(lo, +b.dataset.value);
      hi = Math.max(hi, +b.dataset.value);
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
    const room = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
    return [lo - room, hi + room];
  }

  /** True if the series has exemplars to show: latencies with traces behind them. */
  wantsExemplars() {
    return this.quantiles && this.series.ex === true;
  }

  /**
   * Adds the series' exemplars ({ts, value, trace_id, span_id}) to those drawn: each stays until it
   * leaves the chart's time range, at most MAX_EXEMPLARS, so the chart gathers a scatter of them
   * (the series holds one per bucket, the newest). A button is made once: a click must not find it
   * replaced by a redraw.
   */
  setExemplars(list) {
    const over = this.plot.over;
    for (const e of list || []) {
      const id = e.trace_id + '/' + e.span_id;
      if (over.querySelector(`button.exemplar[data-id="${id}"]`)) continue;
      const b = document.createElement('button');
      b.className = 'exemplar';
      b.dataset.id = id;
      b.dataset.trace = e.trace_id;
      b.dataset.ts = e.ts;
      b.dataset.value = e.value;
      b.title = 'trace ' + e.trace_id + ' · ' + fmt(e.value) + ' at ' + new Date(e.ts).toISOString();
      b.setAttribute('aria-label', 'exemplar ' + fmt(e.value) + ', open trace ' + e.trace_id);
      over.appendChild(b);
    }
    const all = over.querySelectorAll('button.exemplar');
    for (let i = 0; i < all.length - MAX_EXEMPLARS; i++) all[i].remove(); // the oldest added
    this.placeExemplars();
  }

  /** Moves each exemplar's button to its time and value (after each draw); hides those off the chart. */
  placeExemplars() {
    const xs = this.data[0];
    const height = this.plot.over.clientHeight;
    for (const b of this.plot.over.querySelectorAll('button.exemplar')) {
      const t = b.dataset.ts / 1000;
      if (xs.length && t < xs[0]) {
        b.remove(); // scrolled out of the chart
        continue;
      }
      b.hidden = !xs.length;
      if (b.hidden) continue;
      // not newer than the chart's last point: an exemplar a tick ahead of it sits at the edge
      b.style.left = this.plot.valToPos(Math.min(t, xs[xs.length - 1]), 'x') + 'px';
      b.style.top = Math.max(0, Math.min(height, this.plot.valToPos(+b.dataset.value, 'y'))) + 'px';
    }
  }

  /**
   * The PromQL of each line over the history: a counter's rate, a gauge's value, a timer's
   * quantiles (its summary's series; its histogram's buckets when it has no summary).
   */
  historyQueries(range) {
    const brace = this.key.indexOf('{');
    const family = this.key.slice(0, brace);
    const labels = this.key.slice(brace + 1, -1);
    const sel = (name, extra) => name + '{' + [labels, extra].filter(Boolean).join(',') + '}';
    const w = rateWindow(range);
    if (this.lines[0] === 'rate') {
      return [this.series.kind === 'otlp_histogram'
        ? `rate(${sel(family + '_count')}[${w}])` : `rate(${this.key}[${w}])`];
    }
    if (this.lines[0] === 'value') return [this.key];
    return ['0.5', '0.9', '0.99', '0.999'].map(q =>
      `${sel(family, `quantile="${q}"`)} or histogram_quantile(${q}, rate(${sel(family + '_bucket')}[${w}]))`);
  }

  /** Shows the series' history over the last {@code range} seconds instead of the live points. */
  async showHistory(range) {
    this.history = true;
    const run = this.run = (this.run || 0) + 1; // a later range or live drops this one's answers
    const at = Date.now(); // every line on the same steps
    const queries = this.historyQueries(range);
    let q = null;
    const results = [];
    for (const expr of queries) {
      try {
        q = await queryRange(expr, range, at);
        results.push(q.result[0] || { values: [] });
      } catch (e) {
        results.push({ values: [] });
      }
    }
    if (run !== this.run || !q) return; // another range, or back to live, meanwhile
    this.data = align(q, results);
    this.el.dataset.points = String(this.data[0].filter((t, i) => this.data.slice(1).some(ys => ys[i] !== null)).length);
    const first = this.data[0].find((t, i) => this.data.slice(1).some(ys => ys[i] !== null));
    this.el.dataset.from = first === undefined ? '' : String(first);
    this.plot.setData(this.data);
  }

  /** Back to the live points: empty until the feed sends more. */
  showLive() {
    this.history = false;
    this.run = (this.run || 0) + 1;
    this.data = [[], ...this.lines.map(() => [])];
    this.el.dataset.from = '';
    this.dirty = true;
  }

  /** Adds points ({ts, ...values}); the chart is drawn later, by draw(). */
  add(points) {
    if (this.history) {
      this.series = Object.assign(this.series, points[points.length - 1] || {});
      return; // the history is drawn; the title keeps the live value
    }
    for (const p of points) {
      const t = p.ts / 1000;
      const xs = this.data[0];
      if (xs.length && t <= xs[xs.length - 1]) continue; // already have it
      xs.push(t);
      this.lines.forEach((l, i) => this.data[i + 1].push(p[l] ?? null));
      if (xs.length > MAX_POINTS) this.data.forEach(a => a.shift());
    }
    this.series = Object.assign(this.series, points[points.length - 1] || {});
    this.dirty = true;
  }

  /** Redraws if new points came since the last draw. */
  draw() {
    if (!this.dirty) return;
    this.dirty = false;
    if (!this.history) {
      this.plot.setData(this.data);
      this.el.dataset.points = String(this.data[0].length);
    }
    this.renderTitle(this.series);
  }

  renderTitle(s) {
    let now = '';
    if (this.quantiles) {
      now = `count ${fmt(s.count)} · p99 ${fmt(s.p99)}`;
    } else if (this.lines[0] === 'rate') {
      now = `${fmt(s.rate)}/s · total ${fmt(s.value ?? s.count)}`;
    } else {
      now = fmt(s.value);
    }
    this.title.textContent = s.key + ' ';
    const span = document.createElement('span');
    span.className = 'now';
    span.textContent = now;
    this.title.appendChild(span);
  }

  remove() {
    this.plot.destroy();
    this.el.remove();
  }
}

export function fmt(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  const a = Math.abs(v);
  if (a >= 1e9) return (v / 1e9).toFixed(2) + 'G';
  if (a >= 1e6) return (v / 1e6).toFixed(2) + 'M';
  if (a >= 1e4) return (v / 1e3).toFixed(1) + 'k';
  if (a !== 0 && a < 0.01) return v.toExponential(2);
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : 3);
}
