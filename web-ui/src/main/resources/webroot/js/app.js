// The dashboard: connection state, overview tiles, alerts, traces and logs, series list with
// search, live charts.
import { $ } from './api.js';
import { Feed } from './feed.js';
import { Chart, fmt } from './charts.js';
import { refresh as refreshAlerts } from './alerts.js';
import { startTelemetry, onLogs, showTrace } from './telemetry.js';
import { getJson } from './api.js';
import { isLive, rangeSeconds, runQuery } from './history.js';

const MAX_CHARTS = 200;
const DEFAULT_CHARTS = 12;
const FRAME_BUDGET_MS = 8; // drawing per animation frame, so that 200 charts never stall the page

const charts = new Map();   // key -> Chart
const pinned = new Set();   // keys the user chose
let latest = [];            // series of the last snapshot
let listKeys = '';          // the keys the series list shows
let fresh = true;           // the next backfill starts the charts again (a new subscription)

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
      feed.connected();
      break;
    case 'backfill':
      if (fresh) {
        // a new subscription: start again; a resumed one (SSE Last-Event-ID) only fills the gap
        fresh = false;
        for (const c of charts.values()) { onScreen.unobserve(c.el); c.remove(); }
        charts.clear();
        listKeys = '';
      }
      if (msg.series.length) {
        latest = msg.series.map(s => Object.assign({}, s, s.points[s.points.length - 1] || {}));
      }
      syncCharts();
      for (const s of msg.series) charts.get(s.key)?.add(s.points);
      renderList();
      scheduleDraw();
      break;
    case 'snapshot':
      // points go into the charts at once (cheap, and bounded to 300 per chart even in a hidden
      // tab, where animation frames stop); drawing waits for an animation frame
      latest = msg.series;
      syncCharts();
      for (const s of msg.series) charts.get(s.key)?.add([Object.assign({ ts: msg.ts }, s)]);
      renderList();
      scheduleDraw();
      break;
    case 'alert':
      refreshAlerts(); // an alert began firing or resolved: show it now
      break;
    case 'logs':
      onLogs(msg.logs);
      break;
    case 'close':
      onState('reconnecting');
      break;
  }
}

// The exemplars of the visible latency charts, every 5 s (GET /api/series/{key}); a click on one
// opens its trace's waterfall.
async function pollExemplars() {
  setTimeout(pollExemplars, 5000);
  for (const c of charts.values()) {
    if (!c.visible || !c.wantsExemplars()) continue;
    try {
      const h = await getJson('/api/series/' + encodeURIComponent(c.key) + '?window=5m');
      c.setExemplars(h.exemplars);
    } catch (e) {
      // the series left since: the chart goes with the next snapshot
    }
  }
}

function onExemplarClick(e) {
  const b = e.target.closest('button.exemplar');
  if (!b) return;
  showTrace(b.dataset.trace)
    .then(() => $('waterfall').scrollIntoView({ block: 'nearest' }))
    .catch(() => {}); // evicted since: nothing to draw
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
      if (!isLive()) c.showHistory(rangeSeconds());
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

$('search').addEventListener('change', e => {
  fresh = true;
  feed.subscribe(e.target.value.trim() || '*');
});
$('transport').addEventListener('change', e => {
  localStorage.setItem('tally.transport', e.target.value);
  fresh = true;
  feed.connect(e.target.value, $('search').value.trim() || '*');
});
// The range: live follows the feed (a new subscription brings the backfill); another range has
// every chart, and the query box, read the history.
$('range').addEventListener('change', () => {
  if (isLive()) {
    for (const c of charts.values()) c.showLive();
    fresh = true;
    feed.subscribe($('search').value.trim() || '*');
  } else {
    for (const c of charts.values()) c.showHistory(rangeSeconds());
  }
  runQuery();
});
$('query-form').addEventListener('submit', e => {
  e.preventDefault();
  runQuery();
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
    if (r.status === 401) {
      location.href = '/login.html'; // the token was revoked by a reload
      return;
    }
    const o = await r.json();
    if (previous) {
      const dt = (o.at - previous.at) / 1000 || 1;
      $('tile-ingest').textContent = fmt((o.ingested - previous.ingested) / dt);
      $('tile-drops').textContent = fmt((o.lost - previous.lost) / dt);
    }
    $('tile-series').textContent = fmt(o.series_active);
    $('tile-health').textContent = o.ready ? 'ready' : 'not ready';
    $('tile-clients').textContent = fmt(o.live_clients);
    showExports(o.exports || []);
    previous = o;
  } catch (e) {
    $('tile-health').textContent = 'unreachable';
  }
}

// One tile for the export targets: a line per target with its state (ok, failing, degraded),
// coloured by it; the tile takes the worst state, and each line's title its queue and lag.
function showExports(targets) {
  $('tile-exports-box').hidden = targets.length === 0;
  if (targets.length === 0) return;
  const rank = { ok: 0, failing: 1, degraded: 2 };
  const worst = targets.reduce((a, b) => (rank[b.state] > rank[a.state] ? b : a));
  const tile = $('tile-exports');
  tile.dataset.state = worst.state;
  tile.replaceChildren(...targets.map(t => {
    const line = document.createElement('span');
    line.className = 'target';
    line.dataset.state = t.state;
    line.textContent = `${t.state}: ${t.name}`;
    line.title = `${fmt(t.queue_bytes)} B queued, oldest unsent ${Math.round(t.oldest_unsent_seconds)} s`;
    return line;
  }));
}

document.documentElement.dataset.theme = localStorage.getItem('tally.theme') ||
  (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
$('transport').value = new URLSearchParams(location.search).get('transport') ||
  localStorage.getItem('tally.transport') || 'sse';
feed.connect($('transport').value, $('search').value.trim() || '*');
pollOverview();
pollExemplars();
$('charts').addEventListener('click', onExemplarClick);
refreshAlerts();
startTelemetry(filter => feed.tail(filter));
setInterval(pollOverview, 2000);
