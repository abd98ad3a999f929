// The dashboard: connection state, overview tiles, series list with search, live charts.
import { Feed } from './feed.js';
import { Chart, fmt } from './charts.js';

const MAX_CHARTS = 200;
const DEFAULT_CHARTS = 12;
const FRAME_BUDGET_MS = 8; // drawing per animation frame, so that 200 charts never stall the page
const $ = id => document.getElementById(id);

const charts = new Map();   // key -> Chart
const pinned = new Set();   // keys the user chose
let latest = [];            // series of the last snapshot
let redraw = null;          // pending animation frame
let queued = [];            // snapshots not drawn yet
let listKeys = '';          // the keys the series list shows

// Only charts on screen are drawn; one that scrolls into view is drawn then.
const onScreen = new IntersectionObserver(entries => {
  for (const e of entries) {
    const c = charts.get(e.target.dataset.key);
    if (c) c.visible = e.isIntersecting;
  }
  scheduleDraw();
});
let drawing = null;

const feed = new Feed(onMessage, onState);

function onState(state) {
  const el = $('state');
  el.textContent = state;
  el.className = 'state ' + state;
  el.dataset.state = state;
}

function onMessage(msg) {
  switch (msg.type) {
    case 'hello':
      break;
    case 'backfill':
      queued = [];
      for (const c of charts.values()) { onScreen.unobserve(c.el); c.remove(); }
      charts.clear();
      listKeys = '';
      latest = msg.series.map(s => Object.assign({}, s, s.points[s.points.length - 1] || {}));
      syncCharts();
      for (const s of msg.series) charts.get(s.key)?.add(s.points);
      renderList();
      scheduleDraw();
      break;
    case 'snapshot':
      latest = msg.series;
      schedule(msg);
      break;
    case 'close':
      onState('reconnecting');
      break;
  }
}

// Draw at most once per animation frame, whatever the message rate: snapshots queue up.
function schedule(msg) {
  queued.push(msg);
  if (redraw) return;
  redraw = requestAnimationFrame(() => {
    redraw = null;
    const msgs = queued;
    queued = [];
    syncCharts();
    const points = new Map();
    for (const m of msgs) {
      for (const s of m.series) {
        if (!points.has(s.key)) points.set(s.key, []);
        points.get(s.key).push(Object.assign({ ts: m.ts }, s));
      }
    }
    for (const [key, ps] of points) charts.get(key)?.add(ps);
    renderList();
    scheduleDraw();
  });
}

// Draws the visible charts with new points, a few per frame within the budget.
function scheduleDraw() {
  if (drawing) return;
  drawing = requestAnimationFrame(() => {
    drawing = null;
    const start = performance.now();
    for (const c of charts.values()) {
      if (c.visible && c.dirty) {
        c.draw();
        if (performance.now() - start > FRAME_BUDGET_MS) {
          scheduleDraw(); // the rest next frame
          return;
        }
      }
    }
  });
}

// The charts shown: the pinned series, else the first ones of the subscription.
function syncCharts() {
  const wanted = pinned.size
    ? latest.filter(s => pinned.has(s.key))
    : latest.slice(0, DEFAULT_CHARTS);
  const keys = new Set(wanted.slice(0, MAX_CHARTS).map(s => s.key));
  for (const [key, c] of charts) {
    if (!keys.has(key)) { onScreen.unobserve(c.el); c.remove(); charts.delete(key); }
  }
  const parent = $('charts');
  for (const s of wanted.slice(0, MAX_CHARTS)) {
    if (!charts.has(s.key)) {
      const c = new Chart(s, parent);
      charts.set(s.key, c);
      onScreen.observe(c.el);
    }
  }
  const empty = parent.querySelector('.empty');
  if (!charts.size && !empty) {
    parent.insertAdjacentHTML('beforeend', '<p class="empty">No series match yet. Send some StatsD or OTLP data.</p>');
  } else if (charts.size && empty) {
    empty.remove();
  }
}

function renderList(force) {
  const keys = latest.map(s => s.key).join('\n');
  if (!force && keys === listKeys) return; // same series: nothing to redraw
  listKeys = keys;
  const list = $('series-list');
  const items = latest.map(s => {
    const li = document.createElement('li');
    li.textContent = s.key;
    li.title = s.kind + ' ' + s.key;
    li.dataset.key = s.key;
    if (pinned.has(s.key)) li.className = 'pinned';
    return li;
  });
  list.replaceChildren(...items);
  $('series-count').textContent = '(' + latest.length + ')';
}

$('series-list').addEventListener('click', e => {
  const key = e.target.dataset?.key;
  if (!key) return;
  pinned.has(key) ? pinned.delete(key) : pinned.add(key);
  e.target.classList.toggle('pinned', pinned.has(key));
  syncCharts();
  scheduleDraw();
});

$('search').addEventListener('change', e => feed.subscribe(e.target.value.trim() || '*'));
$('transport').addEventListener('change', e => {
  localStorage.setItem('tally.transport', e.target.value);
  feed.connect(e.target.value, $('search').value.trim() || '*');
});
$('theme').addEventListener('click', () => {
  const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
  document.documentElement.dataset.theme = next;
  localStorage.setItem('tally.theme', next);
});

// Overview tiles: rates from two polls of /api/overview.
let previous = null;
async function pollOverview() {
  try {
    const r = await fetch('/api/overview');
    const o = await r.json();
    if (previous) {
      const dt = (o.at - previous.at) / 1000 || 1;
      $('tile-ingest').textContent = fmt((o.ingested - previous.ingested) / dt);
      $('tile-drops').textContent = fmt((o.lost - previous.lost) / dt);
    }
    $('tile-series').textContent = fmt(o.series_active);
    $('tile-health').textContent = o.ready ? 'ready' : 'not ready';
    $('tile-clients').textContent = fmt(o.live_clients);
    previous = o;
  } catch (e) {
    $('tile-health').textContent = 'unreachable';
  }
}

document.documentElement.dataset.theme = localStorage.getItem('tally.theme') ||
  (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
$('transport').value = new URLSearchParams(location.search).get('transport') ||
  localStorage.getItem('tally.transport') || 'sse';
feed.connect($('transport').value, $('search').value.trim() || '*');
pollOverview();
setInterval(pollOverview, 2000);
