// One panel per metric family: a line per label set, a legend that names only the labels that
// differ, values under the cursor, an optional "group by" label, units from the name, a log scale
// for latencies, and for timers and histograms a p50–p99 band per label set. A panel keeps the
// family's points whether it is shown or not; only a shown one (attached) has a chart, and only one
// on screen is drawn.
import { TIME_STEPS, format, formatTime, unitOf } from './units.js';
import { align, queryRange, rateWindow } from './history.js';
import { setText as text } from './api.js';

const MAX_POINTS = 300;
/** Lines one panel draws at most: the label sets with the highest latest values. */
export const MAX_LINES = 20;
const MAX_EXEMPLARS = 50;
const NO_POINTS = { show: false };
// readable on both themes' backgrounds (3:1 or more against white and against #1c1d21)
const PALETTE = ['#2f6fde', '#1f8f4e', '#c2410c', '#b3261e', '#7b1fa2', '#00838f', '#8d6e00', '#ad1457',
  '#5c6bc0', '#2e7d32', '#6d4c41', '#0277bd', '#9e7700', '#c2185b', '#00796b', '#5e35b1'];
const QUANTILE_KINDS = new Set(['timer', 'distribution', 'otlp_histogram', 'otlp_exponential_histogram', 'otlp_summary']);

/** What a panel of {@code kind} draws per label set: fields of the feed's series, and whether per second. */
export function statsOf(kind) {
  if (QUANTILE_KINDS.has(kind)) return { fields: ['p50', 'p99'], perSecond: false, quantiles: true };
  if (kind === 'counter' || kind === 'otlp_counter') return { fields: ['rate'], perSecond: true, quantiles: false };
  return { fields: ['value'], perSecond: false, quantiles: false };
}

/** {@code k="v", ...} of the given labels, in name order. */
export function labelText(tags, names) {
  return names.map(k => `${k}="${tags[k] ?? ''}"`).join(', ');
}

/** The last value of {@code a} that is not null; null if there is none. */
function lastValue(a) {
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== null) return a[i];
  return null;
}

/** Sets an attribute only if it changed. */
function attr(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/** Sets a data attribute only if it changed. */
function data(el, name, value) {
  if (el.dataset[name] !== value) el.dataset[name] = value;
}

export class Panel {
  /**
   * @param family the exposed family name ({@code http_server_request_duration_seconds})
   * @param kind the feed's kind of its series
   * @param view {groupBy, scale ('log', 'linear' or '' for the kind's default), pinned}
   * @param onChange called with the panel when the user changes its view
   */
  constructor(family, kind, view, onChange) {
    this.family = family;
    this.kind = kind;
    this.stats = statsOf(kind);
    this.unit = unitOf(family, kind);
    this.view = Object.assign({ groupBy: '', scale: '', pinned: false }, view);
    this.onChange = onChange;
    this.ts = []; // tick times in seconds, shared by every member
    this.members = new Map(); // key -> {key, tags, vals: {field: [..]}, ex}
    this.el = null; // the DOM while attached
    this.plot = null;
    this.signature = '';
    this.dirty = true;
    this.visible = false;
    this.history = false;
    this.run = 0;
  }

  /** True if the y axis is logarithmic: the user's choice, else for latencies. */
  logScale() {
    return this.view.scale ? this.view.scale === 'log' : this.stats.quantiles && this.unit === 'seconds';
  }

  /** Puts the point {@code p} (the feed's values) of series {@code s} at tick {@code tsMillis}. */
  put(tsMillis, s, p) {
    if (this.history) {
      return; // the history is drawn; the legend keeps the live values
    }
    const t = tsMillis / 1000;
    let m = this.members.get(s.key);
    if (!m) {
      m = { key: s.key, tags: s.tags || {}, vals: {}, ex: false };
      for (const f of this.stats.fields) m.vals[f] = new Array(this.ts.length).fill(null);
      this.members.set(s.key, m);
      if (this.el) this.el.dataset.series = String(this.members.size);
    }
    if (s.ex) m.ex = true;
    const i = this.slot(t);
    if (i < 0) return;
    for (const f of this.stats.fields) m.vals[f][i] = p[f] ?? null;
    this.dirty = true;
  }

  /** Calls {@code fn} with every member's array of every field (they run along {@link #ts}). */
  eachArray(fn) {
    for (const m of this.members.values()) for (const f of this.stats.fields) fn(m.vals[f]);
  }

  /**
   * The index of time {@code t}, made (in order, the oldest going beyond MAX_POINTS) if new; -1
   * if it is older than the kept window. A new tick is the last: no search then.
   */
  slot(t) {
    const n = this.ts.length;
    let lo = 0;
    let hi = n;
    if (n && t > this.ts[n - 1]) lo = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ts[mid] < t) lo = mid + 1; else hi = mid;
    }
    if (this.ts[lo] === t) return lo;
    if (lo === 0 && n >= MAX_POINTS) return -1;
    this.ts.splice(lo, 0, t);
    this.eachArray(a => a.splice(lo, 0, null));
    if (this.ts.length > MAX_POINTS) {
      this.ts.shift();
      this.eachArray(a => a.shift());
      lo--;
    }
    return lo;
  }

  /** Forgets the series not in {@code keys} (they left the feed). */
  keep(keys) {
    if (this.history) return; // its members are the history's
    for (const k of this.members.keys()) {
      if (!keys.has(k)) {
        this.members.delete(k);
        this.dirty = true;
      }
    }
  }

  /** The label names whose value is not the same in every member (all of them for one member: none). */
  differing() {
    const first = this.members.values().next().value;
    return this.labelNames().filter(k => [...this.members.values()].some(m => m.tags[k] !== first.tags[k]));
  }

  /** The labels every member shares, for the panel's heading. */
  common() {
    const first = this.members.values().next().value;
    if (!first) return {};
    const out = {};
    for (const [k, v] of Object.entries(first.tags)) {
      if ([...this.members.values()].every(m => m.tags[k] === v)) out[k] = v;
    }
    return out;
  }

  /** Label names of the members, for the "group by" choice. */
  labelNames() {
    const names = new Set();
    for (const m of this.members.values()) Object.keys(m.tags).forEach(k => names.add(k));
    return [...names].sort();
  }

  /**
   * The lines to draw: one per member, or per value of the group-by label (counters and gauges
   * summed, quantiles the highest of the group), at most MAX_LINES, the highest latest first.
   * Each is {id, label, vals: {field: [..]}, color}.
   */
  lines() {
    const fields = this.stats.fields;
    let lines;
    const g = this.view.groupBy;
    if (g && this.labelNames().includes(g)) {
      const groups = new Map();
      for (const m of this.members.values()) {
        const v = m.tags[g] ?? '';
        let line = groups.get(v);
        if (!line) {
          line = { id: g + '=' + v, label: `${g}="${v}"`, vals: {} };
          for (const f of fields) line.vals[f] = new Array(this.ts.length).fill(null);
          groups.set(v, line);
        }
        for (const f of fields) {
          const to = line.vals[f];
          m.vals[f].forEach((x, i) => {
            if (x === null) return;
            to[i] = to[i] === null ? x : this.stats.quantiles ? Math.max(to[i], x) : to[i] + x;
          });
        }
      }
      lines = [...groups.values()];
    } else {
      const names = this.differing();
      lines = [...this.members.values()].map(m => ({
        id: m.key, label: names.length ? labelText(m.tags, names) : '', vals: m.vals,
      }));
    }
    const main = fields[fields.length - 1];
    const last = l => lastValue(l.vals[main]) ?? -Infinity;
    lines.sort((a, b) => last(b) - last(a) || (a.label < b.label ? -1 : 1));
    this.shownLines = lines.length;
    const drawn = lines.slice(0, MAX_LINES).sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    drawn.forEach((l, i) => { l.color = PALETTE[i % PALETTE.length]; });
    return drawn;
  }

  /** Makes the panel's DOM at the end of {@code parent}. */
  attach(parent) {
    const el = document.createElement('article');
    el.className = 'panel-chart';
    el.dataset.family = this.family;
    el.dataset.kind = this.kind;
    el.dataset.points = '0';
    el.dataset.series = String(this.members.size);
    el.setAttribute('aria-labelledby', 'title-' + this.family);
    el.innerHTML = `
      <header class="panel-head">
        <h3 id="title-${this.family}"></h3>
        <span class="unit"></span>
        <span class="common"></span>
        <span class="note"></span>
        <span class="tools">
          <label>group by <select class="group-by"><option value="">label set</option></select></label>
          <button type="button" class="scale" aria-pressed="false"></button>
          <button type="button" class="pin" aria-pressed="false"></button>
        </span>
      </header>
      <div class="plot"></div>
      <ul class="legend" aria-label="legend"></ul>`;
    el.querySelector('h3').textContent = this.family;
    el.querySelector('.unit').textContent = this.unitText();
    el.querySelector('.group-by').addEventListener('change', e => this.change({ groupBy: e.target.value }));
    el.querySelector('.scale').addEventListener('click', () =>
      this.change({ scale: this.logScale() ? 'linear' : 'log' }));
    el.querySelector('.pin').addEventListener('click', () => this.change({ pinned: !this.view.pinned }));
    this.el = el;
    parent.appendChild(el);
    this.signature = '';
    this.dirty = true;
    this.renderTools();
  }

  /** Draws the chart again at its new width, after the window's size changed. */
  resized() {
    this.signature = '';
    this.dirty = true;
  }

  /** Removes the panel's DOM and chart; the points stay. */
  detach() {
    this.plot?.destroy();
    this.plot = null;
    this.el?.remove();
    this.el = null;
    this.visible = false;
  }

  change(view) {
    Object.assign(this.view, view);
    this.signature = '';
    this.dirty = true;
    this.renderTools();
    this.onChange(this);
  }

  unitText() {
    const u = { seconds: 'seconds', bytes: 'bytes', ratio: 'ratio' }[this.unit] || '';
    const what = this.stats.quantiles ? 'p50–p99' : this.stats.perSecond ? 'rate /s' : 'value';
    return [this.kind.replace('otlp_', 'OTLP ').replace('_', ' '), what, u].filter(Boolean).join(' · ');
  }

  renderTools() {
    if (!this.el) return;
    const select = this.el.querySelector('.group-by');
    const names = this.labelNames();
    const have = [...select.options].map(o => o.value).slice(1).join('\n');
    if (have !== names.join('\n')) {
      select.replaceChildren(select.options[0], ...names.map(n => new Option(n, n)));
    }
    const group = names.includes(this.view.groupBy) ? this.view.groupBy : '';
    if (select.value !== group) select.value = group;
    attr(select, 'aria-label', 'group ' + this.family + ' by label');
    const scale = this.el.querySelector('.scale');
    text(scale, this.logScale() ? 'log' : 'linear');
    attr(scale, 'aria-pressed', String(this.logScale()));
    attr(scale, 'aria-label', 'logarithmic scale for ' + this.family);
    const pin = this.el.querySelector('.pin');
    text(pin, this.view.pinned ? 'unpin' : 'pin');
    attr(pin, 'aria-pressed', String(this.view.pinned));
    attr(pin, 'aria-label', (this.view.pinned ? 'unpin ' : 'pin ') + this.family);
    this.el.classList.toggle('pinned', this.view.pinned);
  }

  /** Draws the chart again if points came or the view changed since the last draw. */
  draw() {
    if (!this.el || !this.dirty) return;
    this.dirty = false;
    const lines = this.lines();
    const log = this.logScale();
    // no size read here: reading one makes the browser lay out the page, at every draw
    const signature = lines.map(l => l.id).join('\n') + '|' + log;
    const rows = [this.ts];
    const clean = v => (v === null || (log && v <= 0) ? null : v);
    for (const l of lines) for (const f of this.stats.fields.slice().reverse()) rows.push(l.vals[f].map(clean));
    if (signature !== this.signature) {
      this.build(lines, log, rows);
      this.signature = signature;
    } else {
      this.plot.setData(rows);
    }
    this.drawn = lines;
    this.renderLegend(null);
    this.renderTools();
    const common = this.common();
    const names = Object.keys(common).sort();
    text(this.el.querySelector('.common'), names.length ? '{' + labelText(common, names) + '}' : '');
    text(this.el.querySelector('.note'), this.shownLines > lines.length
      ? `${lines.length} of ${this.shownLines} label sets (the highest)` : '');
    const withData = this.ts.filter((t, i) => lines.some(l => l.vals[this.stats.fields[0]][i] !== null));
    data(this.el, 'points', String(withData.length));
    data(this.el, 'from', withData.length ? String(withData[0]) : '');
    data(this.el, 'lines', String(lines.length));
    data(this.el, 'series', String(this.members.size));
    this.placeExemplars();
  }

  build(lines, log, rows) {
    this.plot?.destroy();
    const box = this.el.querySelector('.plot');
    const series = [{}];
    const bands = [];
    const quantiles = this.stats.quantiles;
    lines.forEach(l => {
      const color = l.color;
      if (quantiles) {
        const hi = series.length;
        // no dashes and no point markers: 200 panels of 10 bands must draw within a frame's budget
        series.push({ label: l.label + ' p99', stroke: color, width: 1.5, spanGaps: true, points: NO_POINTS });
        series.push({ label: l.label + ' p50', stroke: color + '99', width: 1, spanGaps: true, points: NO_POINTS });
        bands.push({ series: [hi, hi + 1], fill: color + '26' });
      } else {
        series.push({ label: l.label, stroke: color, width: 1.5, spanGaps: true, points: NO_POINTS });
      }
    });
    const unit = this.unit;
    const perSecond = this.stats.perSecond;
    const axis = { stroke: '#888', grid: { stroke: 'rgba(128,128,128,.2)' }, ticks: { stroke: 'rgba(128,128,128,.3)' } };
    this.plot = new uPlot({
      width: Math.max(300, box.clientWidth || 380), height: 160,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true },
        y: log
          ? { distr: 3, log: 10, range: (u, min, max) => (min === null || max === null ? [0.001, 1] : uPlot.rangeLog(min, max, 10, true)) }
          : { range: (u, min, max) => this.yRange(min, max) },
      },
      series,
      bands,
      axes: [
        Object.assign({ space: 70, incrs: TIME_STEPS, values: (u, splits) => splits.map(t => formatTime(t, u.scales.x.max - u.scales.x.min)) }, axis),
        Object.assign({ size: 72, values: (u, splits) => splits.map(v => format(v, unit, perSecond)) }, axis),
      ],
      hooks: {
        setCursor: [u => this.renderLegend(u.cursor.idx)],
        draw: [() => this.placeExemplars()],
      },
    }, rows, box);
  }

  /** The y range: the data's and the exemplars' drawn, from 0 for counts and rates. */
  yRange(min, max) {
    let lo = min ?? Infinity;
    let hi = max ?? -Infinity;
    for (const b of this.plot?.over.querySelectorAll('button.exemplar') ?? []) {
      lo = Math.min(lo, +b.dataset.value);
      hi = Math.max(hi, +b.dataset.value);
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
    if (lo >= 0) lo = 0;
    const room = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
    return [lo, hi + room];
  }

  /** The legend: each line's labels and its values at the cursor ({@code idx}), else the latest. */
  renderLegend(idx) {
    const ul = this.el?.querySelector('.legend');
    if (!ul || !this.drawn) return;
    const fields = this.stats.fields;
    const at = a => (idx !== null && idx !== undefined ? a[idx] ?? null : lastValue(a));
    const same = ul.children.length === this.drawn.length &&
      this.drawn.every((l, i) => ul.children[i].dataset.line === l.id);
    if (!same) { // new lines: new entries; otherwise the values only (no new elements, no layout)
      ul.replaceChildren(...this.drawn.map(l => {
        const li = document.createElement('li');
        li.dataset.line = l.id;
        li.dataset.labels = l.label;
        const swatch = document.createElement('span');
        swatch.className = 'swatch';
        swatch.style.background = l.color;
        const name = document.createElement('span');
        name.className = 'name';
        name.textContent = l.label; // empty for a panel of one label set: the heading has them
        const value = document.createElement('span');
        value.className = 'value';
        li.append(swatch, name, value);
        return li;
      }));
    }
    this.drawn.forEach((l, i) => {
      const li = ul.children[i];
      text(li.lastChild, fields.map(f => {
        const v = at(l.vals[f]);
        data(li, f, v === null ? '' : String(v));
        return (fields.length > 1 ? f + ' ' : '') + format(v, this.unit, this.stats.perSecond);
      }).join(' · '));
    });
  }

  /** True if a member has exemplars to show: latencies with traces behind them. */
  exemplarKeys() {
    if (!this.stats.quantiles) return [];
    return [...this.members.values()].filter(m => m.ex).slice(0, 10).map(m => m.key);
  }

  /**
   * Adds exemplars ({ts, value, trace_id, span_id}) to those drawn: each stays until it leaves the
   * time range, at most MAX_EXEMPLARS; a button each, made once (a click must not find it replaced).
   */
  setExemplars(list) {
    if (!this.plot) return;
    const over = this.plot.over;
    for (const e of list || []) {
      const id = e.trace_id + '/' + e.span_id;
      if (over.querySelector(`button.exemplar[data-id="${id}"]`)) continue;
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'exemplar';
      b.dataset.id = id;
      b.dataset.trace = e.trace_id;
      b.dataset.ts = e.ts;
      b.dataset.value = e.value;
      b.title = 'trace ' + e.trace_id + ' · ' + format(e.value, this.unit) + ' at ' + new Date(e.ts).toISOString();
      b.setAttribute('aria-label', 'exemplar ' + format(e.value, this.unit) + ', open trace ' + e.trace_id);
      over.appendChild(b);
    }
    const all = over.querySelectorAll('button.exemplar');
    for (let i = 0; i < all.length - MAX_EXEMPLARS; i++) all[i].remove(); // the oldest added
    this.placeExemplars();
  }

  /** Moves each exemplar's button to its time and value; removes those older than the chart. */
  placeExemplars() {
    if (!this.plot || !this.plot.over.querySelector('button.exemplar')) return; // no size read
    const xs = this.ts;
    const height = this.plot.over.clientHeight;
    for (const b of this.plot.over.querySelectorAll('button.exemplar')) {
      const t = b.dataset.ts / 1000;
      if (xs.length && t < xs[0]) {
        b.remove();
        continue;
      }
      b.hidden = !xs.length;
      if (b.hidden) continue;
      b.style.left = this.plot.valToPos(Math.min(t, xs[xs.length - 1]), 'x') + 'px';
      b.style.top = Math.max(0, Math.min(height, this.plot.valToPos(+b.dataset.value, 'y'))) + 'px';
    }
  }

  /**
   * The PromQL of each field over the history, one result per label set: a counter's rate, a
   * gauge's value, a timer's or histogram's quantiles (its summary's series, else its buckets').
   */
  historyQueries(range) {
    const w = rateWindow(range);
    const f = this.family;
    if (this.stats.perSecond) return { rate: `rate(${f}[${w}])` };
    if (!this.stats.quantiles) return { value: f };
    const q = level => `${f}{quantile="${level}"} or histogram_quantile(${level}, rate(${f}_bucket[${w}]))`;
    return { p50: q('0.5'), p99: q('0.99') };
  }

  /** Shows the family's history over the last {@code range} seconds instead of the live points. */
  async showHistory(range) {
    this.history = true;
    const run = ++this.run; // a later range or live drops this one's answers
    const at = Date.now(); // every field on the same steps
    const members = new Map();
    let q = null;
    for (const [field, expr] of Object.entries(this.historyQueries(range))) {
      let answer;
      try {
        answer = await queryRange(expr, range, at);
      } catch (e) {
        continue;
      }
      q = answer;
      for (const r of answer.result) {
        const tags = Object.assign({}, r.metric);
        delete tags.__name__;
        delete tags.quantile;
        const names = Object.keys(tags).sort();
        const key = this.family + '{' + labelText(tags, names) + '}';
        let m = members.get(key);
        if (!m) {
          m = { key, tags, vals: {}, results: {} };
          members.set(key, m);
        }
        m.results[field] = r;
      }
    }
    if (run !== this.run || !q) return; // another range, or back to live, meanwhile
    const empty = { values: [] };
    for (const m of members.values()) {
      const aligned = align(q, this.stats.fields.map(f => m.results[f] || empty));
      this.stats.fields.forEach((f, i) => { m.vals[f] = aligned[i + 1]; });
      delete m.results;
    }
    this.ts = align(q, [])[0];
    this.members = members;
    this.dirty = true;
  }

  /** Back to the live points: empty until the feed sends more. */
  showLive() {
    this.history = false;
    this.run++;
    this.ts = [];
    this.members.clear();
    this.dirty = true;
  }
}
