// The dashboard: connection state, overview tiles, alerts, traces and logs, the series list, and
// one panel per metric family fed by the live feed, paged, with pinned panels first. The view
// (search, range, pins, per-panel choices, page) lives in the URL.
import { $, getJson, setText } from './api.js';
import { Feed } from './feed.js';
import { Panel } from './panels.js';
import { format } from './units.js';
import { refresh as refreshAlerts, startAlerts } from './alerts.js';
import { startTelemetry, onLogs, showTrace } from './telemetry.js';
import { isLive, rangeSeconds, runQuery } from './history.js';
import { SeriesList } from './serieslist.js';
import { readState, writeState } from './state.js';

const FRAME_BUDGET_MS = 8; // drawing per animation frame, so that 200 panels never stall the page

const state = readState();
const panels = new Map(); // family -> Panel, for every family the feed carries (and pinned ones)
let shown = []; // the panels attached, in order
let received = 0; // series in the latest snapshot
let matching = 0; // series that match the subscription (the feed may carry fewer)
let fresh = true; // the next backfill starts the panels again (a new subscription)
let drawing = null;

// Only panels on screen are drawn; one that scrolls into view is drawn then.
const onScreen = new IntersectionObserver(entries => {
  for (const e of entries) {
    const p = panels.get(e.target.dataset.family);
    if (p) p.visible = e.isIntersecting;
  }
  scheduleDraw();
});

const feed = new Feed(onMessage, onState);
const list = new SeriesList(s => togglePin(s.name, true));

function onState(s) {
  const el = $('state');
  el.textContent = s;
  el.className = 'state ' + s;
  el.dataset.state = s;
}

/** The search's items: name globs and label=glob matchers, split at spaces and commas. */
function searchItems() {
  return state.q.split(/[\s,]+/).filter(Boolean);
}

/** What the feed is asked for: the search, and the pinned metrics whatever the search. */
function subscription() {
  const items = searchItems();
  const names = items.filter(i => !i.includes('='));
  const labels = items.filter(i => i.includes('='));
  // label items first: the server takes 32 items, and a dropped pin shows less, a dropped label more
  return labels.concat([...new Set([...(names.length ? names : ['*']), ...state.pins])]).slice(0, 32);
}

function resubscribe() {
  fresh = true;
  feed.subscribe(subscription());
  list.setMatch(searchItems().join(',') || '*');
}

function panelOf(s) {
  let p = panels.get(s.name);
  if (!p) {
    p = new Panel(s.name, s.kind, {
      groupBy: state.group[s.name] || '',
      scale: state.scale[s.name] || '',
      pinned: state.pins.includes(s.name),
    }, onPanelChange);
    panels.set(s.name, p);
  }
  return p;
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
        for (const p of panels.values()) {
          if (p.el) onScreen.unobserve(p.el);
          p.detach();
        }
        panels.clear();
        shown = [];
      }
      for (const s of msg.series) {
        const p = panelOf(s);
        for (const point of s.points) p.put(point.ts, s, point);
      }
      layout();
      break;
    case 'snapshot': {
      // points go into the panels at once (cheap, and bounded to 300 per line even in a hidden
      // tab, where animation frames stop); drawing waits for an animation frame
      const keys = new Set();
      for (const s of msg.series) {
        panelOf(s).put(msg.ts, s, s);
        keys.add(s.key);
      }
      for (const [family, p] of panels) {
        p.keep(keys);
        if (!p.members.size && !p.view.pinned && !p.history) {
          if (p.el) onScreen.unobserve(p.el);
          p.detach();
          panels.delete(family);
        }
      }
      received = msg.series.length;
      matching = msg.total ?? msg.series.length;
      layout();
      break;
    }
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

/** Attaches the pinned panels and the current page of the others, in order; detaches the rest. */
function layout() {
  const pinned = state.pins.map(f => panels.get(f)).filter(Boolean);
  const others = [...panels.values()].filter(p => !p.view.pinned).sort((a, b) => (a.family < b.family ? -1 : 1));
  const pages = Math.max(1, Math.ceil(others.length / state.per));
  if (state.page >= pages) state.page = pages - 1;
  const wanted = pinned.concat(others.slice(state.page * state.per, (state.page + 1) * state.per));
  const keep = new Set(wanted);
  for (const p of shown) {
    if (!keep.has(p)) {
      if (p.el) onScreen.unobserve(p.el);
      p.detach();
    }
  }
  const parent = $('charts');
  for (const p of wanted) {
    if (p.el) continue;
    p.attach(parent);
    onScreen.observe(p.el);
    if (!isLive()) p.showHistory(rangeSeconds()).then(scheduleDraw);
  }
  const order = [...parent.querySelectorAll(':scope > .panel-chart')];
  if (order.length !== wanted.length || order.some((el, i) => el !== wanted[i].el)) {
    for (const p of wanted) parent.appendChild(p.el); // moves only: the charts stay
  }
  shown = wanted;
  const empty = parent.querySelector('.empty');
  if (!wanted.length && !empty) {
    parent.insertAdjacentHTML('beforeend', '<p class="empty">No series match yet. Send some StatsD or OTLP data, or change the search.</p>');
  } else if (wanted.length && empty) {
    empty.remove();
  }
  // at every tick: written only when changed (a write of the same text still costs a layout)
  const total = panels.size;
  setText($('panel-count'), total > wanted.length ? `showing ${wanted.length} of ${total} metrics` : `(${total})`);
  $('panel-count').dataset.shown = String(wanted.length);
  setText($('page-of'), `page ${state.page + 1} of ${pages}`);
  $('page-prev').disabled = state.page === 0;
  $('page-next').disabled = state.page >= pages - 1;
  setText($('feed-note'), matching > received
    ? `The live feed carries ${received.toLocaleString('en')} of ${matching.toLocaleString('en')} matching series (--live-max-series): narrow the search.` : '');
  scheduleDraw();
}

function onPanelChange(p) {
  state.group[p.family] = p.view.groupBy;
  state.scale[p.family] = p.view.scale;
  if (p.view.pinned !== state.pins.includes(p.family)) {
    togglePin(p.family, false);
  } else {
    writeState(state);
    scheduleDraw();
  }
}

/** Pins or unpins a metric's panel; a metric the feed does not carry yet is asked for. */
function togglePin(family, scroll) {
  const on = !state.pins.includes(family);
  state.pins = on ? state.pins.concat(family) : state.pins.filter(f => f !== family);
  const p = panels.get(family);
  if (p) {
    p.view.pinned = on;
    p.renderTools();
  }
  writeState(state);
  list.setPinned(state.pins);
  if (on && !(p && p.members.size)) {
    resubscribe(); // not in the feed: the subscription now names it
    return;
  }
  layout();
  if (on && scroll && p?.el) p.el.scrollIntoView({ block: 'nearest' });
}

// Draws the visible panels with new points, a few per frame within the budget. uPlot draws in a
// microtask after setData: awaiting one after each panel lets its drawing count against the budget.
function scheduleDraw() {
  if (drawing) return;
  drawing = requestAnimationFrame(async () => {
    const start = performance.now();
    for (const p of shown) {
      if (p.visible && p.dirty) {
        p.draw();
        await null; // uPlot's commit, queued by setData, runs first
        if (performance.now() - start > FRAME_BUDGET_MS) {
          drawing = null;
          scheduleDraw(); // the rest next frame
          return;
        }
      }
    }
    drawing = null;
  });
}

// The exemplars of the visible latency panels, every 5 s (GET /api/series/{key}); a click on one
// opens its trace's waterfall.
async function pollExemplars() {
  setTimeout(pollExemplars, 5000);
  for (const p of shown) {
    if (!p.visible) continue;
    for (const key of p.exemplarKeys()) {
      try {
        const h = await getJson('/api/series/' + encodeURIComponent(key) + '?window=5m');
        p.setExemplars(h.exemplars);
      } catch (e) {
        // the series left since: its line goes with the next snapshot
      }
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

$('search').addEventListener('change', e => {
  state.q = e.target.value.trim() || '*';
  state.page = 0;
  writeState(state);
  resubscribe();
});
$('transport').addEventListener('change', e => {
  localStorage.setItem('tally.transport', e.target.value);
  state.transport = e.target.value;
  writeState(state);
  fresh = true;
  feed.connect(e.target.value, subscription());
});
// The range: live follows the feed (a new subscription brings the backfill); another range has
// every shown panel, and the query box, read the history.
$('range').addEventListener('change', () => {
  state.range = $('range').value;
  writeState(state);
  if (isLive()) {
    for (const p of panels.values()) p.showLive();
    resubscribe();
  } else {
    for (const p of shown) p.showHistory(rangeSeconds()).then(scheduleDraw);
  }
  runQuery();
});
$('page-prev').addEventListener('click', () => { state.page--; writeState(state); layout(); });
$('page-next').addEventListener('click', () => { state.page++; writeState(state); layout(); });
$('per-page').addEventListener('change', e => {
  state.per = +e.target.value;
  state.page = 0;
  writeState(state);
  layout();
});
let resizing = null;
addEventListener('resize', () => { // the panels' widths follow the window's, once it settles
  clearTimeout(resizing);
  resizing = setTimeout(() => {
    for (const p of shown) p.resized();
    scheduleDraw();
  }, 200);
});
$('query-form').addEventListener('submit', e => {
  e.preventDefault();
  state.query = $('query').value.trim();
  writeState(state);
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
      $('tile-ingest').textContent = format((o.ingested - previous.ingested) / dt);
      $('tile-drops').textContent = format((o.lost - previous.lost) / dt);
    }
    $('tile-series').textContent = format(o.series_active);
    $('tile-health').textContent = o.ready ? 'ready' : 'not ready';
    $('tile-clients').textContent = format(o.live_clients);
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
    line.title = `${format(t.queue_bytes)} B queued, oldest unsent ${Math.round(t.oldest_unsent_seconds)} s`;
    return line;
  }));
}

document.documentElement.dataset.theme = localStorage.getItem('tally.theme') ||
  (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
$('transport').value = state.transport || localStorage.getItem('tally.transport') || 'sse';
$('search').value = state.q;
$('range').value = state.range;
$('per-page').value = String(state.per);
$('query').value = state.query;
if (![...$('per-page').options].some(o => o.value === String(state.per))) {
  $('per-page').append(new Option(String(state.per), String(state.per), true, true));
}
list.setPinned(state.pins);
list.setMatch(searchItems().join(',') || '*');
feed.connect($('transport').value, subscription());
pollOverview();
pollExemplars();
$('charts').addEventListener('click', onExemplarClick);
startAlerts(state, () => writeState(state));
startTelemetry(filter => feed.tail(filter));
if (state.query) runQuery();
setInterval(pollOverview, 2000);
