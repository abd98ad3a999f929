// The traces panel (error traces, slowest traces, a span waterfall) and the logs panel (live tail
// from the feed's "logs" messages, search, errors by exception type). Lists refresh every 5 s.
import { $, getJson } from './api.js';
const MAX_ROWS = 200;
const SEVERITY = { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 };
let timer = null;
let selected = null;
let tailRegex = null; // the form's /regex/ for the live tail (the server filters the rest)
let onTail = () => {};

/**
 * Starts the panels; {@code tail(filter)} is told the live tail's filter whenever the form or the
 * live switch changes (false for none), so that the server sends only the records shown.
 */
export function startTelemetry(tail) {
  onTail = tail;
  refresh();
  $('log-search').addEventListener('submit', e => {
    e.preventDefault();
    search();
  });
  $('log-live').addEventListener('change', retail);
  $('log-table').addEventListener('click', e => {
    const trace = e.target.closest('tr')?.dataset.trace;
    if (trace) showTrace(trace).catch(() => {});
  });
  for (const id of ['error-traces', 'slow-traces']) {
    $(id).addEventListener('click', e => {
      const id = e.target.closest('li')?.dataset.trace;
      if (id) showTrace(id).catch(() => {}); // evicted since it was listed: nothing to draw
    });
  }
  search();
}

async function refresh() {
  clearTimeout(timer);
  timer = setTimeout(refresh, 5000);
  try {
    const [errors, recent, summary] = await Promise.all([
      getJson('/api/traces?status=error&limit=10'),
      getJson('/api/traces?limit=200'),
      getJson('/api/logs/errors'),
    ]);
    renderTraces($('error-traces'), errors.traces);
    const slow = recent.traces.slice().sort((a, b) => b.duration_ms - a.duration_ms).slice(0, 10);
    renderTraces($('slow-traces'), slow);
    $('trace-count').textContent = '(' + recent.traces.length + (recent.traces.length === 200 ? '+' : '') + ')';
    $('log-errors').textContent = summary.errors.length
      ? 'errors: ' + summary.errors.slice(0, 5).map(g => (g.type || 'no type') + ' ×' + g.count).join(', ')
      : '';
  } catch (e) {
    // the tiles show the connection's state; the panels keep what they had
  }
}

function renderTraces(list, traces) {
  list.replaceChildren(...traces.map(t => {
    const li = document.createElement('li');
    li.dataset.trace = t.trace_id;
    li.className = (t.error ? 'error' : '') + (t.trace_id === selected ? ' selected' : '');
    li.textContent = t.duration_ms.toFixed(1) + ' ms  ' + t.service + '  ' + t.name + '  (' + t.span_count + ')';
    li.title = t.trace_id + ' at ' + new Date(t.start).toISOString();
    return li;
  }));
}

/** Draws a trace's spans as a waterfall: one row per span, indented under its parent. */
export async function showTrace(id) {
  selected = id;
  const t = await getJson('/api/traces/' + id);
  const byId = new Map(t.spans.map(s => [s.span_id, s]));
  const depth = s => {
    let d = 0;
    for (let p = byId.get(s.parent_span_id); p && d < 32; p = byId.get(p.parent_span_id)) d++;
    return d;
  };
  const total = t.duration_ms || 1;
  const rows = t.spans.map(s => {
    const row = document.createElement('div');
    row.className = 'row span';
    const name = document.createElement('span');
    name.className = 'name';
    name.style.paddingLeft = depth(s) * 0.8 + 'rem';
    name.textContent = s.service + ' ' + s.name;
    const lane = document.createElement('span');
    lane.className = 'lane';
    const bar = document.createElement('span');
    bar.className = 'bar' + (s.status === 'error' ? ' error' : '');
    bar.style.left = ((s.start - t.start) / total) * 100 + '%';
    bar.style.width = (s.duration_ms / total) * 100 + '%';
    const attrs = Object.entries(s.attributes).map(([k, v]) => k + '=' + v).join('\n');
    const events = s.events.map(e => 'event ' + e.name + ' ' + JSON.stringify(e.attributes)).join('\n');
    bar.title = s.kind + ' ' + s.duration_ms.toFixed(3) + ' ms ' + s.status +
      (s.status_message ? ': ' + s.status_message : '') + '\n' + attrs + (events ? '\n' + events : '');
    lane.append(bar);
    row.append(name, lane);
    return row;
  });
  const head = document.createElement('div');
  head.className = 'row head';
  head.textContent = t.trace_id + ' · ' + t.duration_ms.toFixed(1) + ' ms · ' + t.spans.length + ' spans';
  $('waterfall').replaceChildren(head, ...rows);
  $('waterfall').hidden = false;
  for (const li of document.querySelectorAll('ul.traces li')) {
    li.classList.toggle('selected', li.dataset.trace === id);
  }
}

/** The filters of the form, as query parameters of /api/logs. */
function filters() {
  const p = new URLSearchParams();
  if ($('log-severity').value) p.set('severity', $('log-severity').value);
  if ($('log-service').value.trim()) p.set('service', $('log-service').value.trim());
  const q = $('log-q').value.trim();
  const regex = q.length > 2 && q.startsWith('/') && q.endsWith('/');
  if (q) p.set(regex ? 'regex' : 'q', regex ? q.slice(1, -1) : q);
  return p;
}

/** Tells the feed the live tail's filter: the form's, the regex kept here (Java's, not sent). */
function retail() {
  if (!$('log-live').checked) {
    onTail(false);
    return;
  }
  const p = filters();
  tailRegex = null;
  try {
    tailRegex = p.get('regex') ? new RegExp(p.get('regex')) : null;
  } catch (e) {
    $('log-search-error').textContent = 'the live tail cannot use this pattern: ' + e.message;
  }
  const f = { service: p.get('service') || '', severity: p.get('severity') || '', q: p.get('q') || '' };
  onTail(f.service || f.severity || f.q ? f : true);
}

async function search() {
  $('log-search-error').textContent = '';
  retail();
  const p = filters();
  p.set('limit', MAX_ROWS);
  try {
    const r = await getJson('/api/logs?' + p);
    $('log-table').tBodies[0].replaceChildren(...r.logs.map(row));
  } catch (e) {
    $('log-search-error').textContent = 'search failed: ' + e.message;
  }
}

/**
 * Log records from the live tail, already filtered by the server but for a /regex/: they go on
 * top, the newest MAX_ROWS of them at most.
 */
export function onLogs(logs) {
  if (!$('log-live').checked) return;
  const shown = tailRegex ? logs.filter(l => tailRegex.test(l.body)) : logs;
  const body = $('log-table').tBodies[0];
  for (const l of shown.slice(-MAX_ROWS)) body.prepend(row(l));
  while (body.rows.length > MAX_ROWS) body.lastElementChild.remove();
}

function row(l) {
  const tr = document.createElement('tr');
  const range = Object.entries(SEVERITY).filter(([, n]) => l.severity_number >= n).pop();
  tr.className = 'log sev-' + (range ? range[0] : 'none');
  const cells = [new Date(l.ts).toISOString().slice(11, 23), l.severity, l.service, l.body];
  tr.append(...cells.map((text, i) => {
    const td = document.createElement('td');
    td.textContent = text;
    td.className = ['ts', 'sev', 'service', 'body'][i];
    return td;
  }));
  if (l.trace_id) {
    tr.title = 'trace ' + l.trace_id;
    tr.dataset.trace = l.trace_id; // a click shows the trace (one listener on the table)
  }
  return tr;
}
