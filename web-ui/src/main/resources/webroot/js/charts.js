// One small uPlot chart per series, fed point by point. What is drawn depends on the kind:
// counters their rate, gauges and sets their value, timers and distributions their quantiles.
const MAX_POINTS = 300;
const COLORS = ['#2f6fde', '#1f8f4e', '#b26a00', '#c62828'];

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
      scales: { x: { time: true } },
      series: [{}, ...this.lines.map((l, i) => ({ label: l, stroke: COLORS[i], width: 1.5, spanGaps: true }))],
      // canvas text cannot follow CSS variables: a grey that reads on both themes
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

  /** Adds points ({ts, ...values}); the chart is drawn later, by draw(). */
  add(points) {
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
    this.plot.setData(this.data);
    this.el.dataset.points = String(this.data[0].length);
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
