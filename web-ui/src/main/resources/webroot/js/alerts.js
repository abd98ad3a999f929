// The alerts panel: pending, firing and recently resolved alerts, filtered by state and severity,
// with acknowledge and silence; the rule list, and a form that creates, edits, previews (what the
// rule takes of the latest tick, POST /api/rules/preview) and deletes rules made through the API.
// Refreshed every 2 s and whenever the live feed says an alert changed.
import { $, getJson } from './api.js';
import { format } from './units.js';
const SILENCE_MILLIS = 3600 * 1000;
let timer = null;
let view = { alertState: '', alertSeverity: '' };
let saveView = () => {};
let lastAlerts = [];
let editing = null; // the name of the rule the form edits; null for a new one

/** Starts the panel with the view's filters; {@code onViewChange} is called when they change. */
export function startAlerts(state, onViewChange) {
  view = state;
  saveView = onViewChange;
  $('alert-state').value = view.alertState;
  $('alert-severity').value = view.alertSeverity;
  for (const [id, field] of [['alert-state', 'alertState'], ['alert-severity', 'alertSeverity']]) {
    $(id).addEventListener('change', e => {
      view[field] = e.target.value;
      saveView();
      renderAlerts(lastAlerts);
    });
  }
  $('rule-new').addEventListener('click', () => openForm(null));
  $('rule-cancel').addEventListener('click', closeForm);
  $('rule-preview-button').addEventListener('click', preview);
  $('rule-form').addEventListener('submit', e => {
    e.preventDefault();
    saveRule();
  });
  $('rule-list').addEventListener('click', onRuleAction);
  refresh();
}

/** Fetches alerts and rules now (and again in 2 s). */
export async function refresh() {
  clearTimeout(timer);
  timer = setTimeout(refresh, 2000);
  try {
    const [alerts, rules] = await Promise.all([getJson('/api/alerts'), getJson('/api/rules')]);
    lastAlerts = alerts.alerts;
    renderAlerts(lastAlerts);
    renderRules(rules.rules);
  } catch (e) {
    // the tiles show the connection's state; the panel keeps what it had
  }
}

async function post(path, body) {
  await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  refresh();
}

let alertsShown = ''; // what the table shows: it is not rebuilt (nor its focus lost) for the same

function renderAlerts(all) {
  const order = { firing: 0, pending: 1, resolved: 2 };
  const alerts = all
    .filter(a => !view.alertState || a.state === view.alertState)
    .filter(a => !view.alertSeverity || a.severity === view.alertSeverity)
    .sort((a, b) => order[a.state] - order[b.state] || b.since - a.since);
  const open = all.filter(a => a.state !== 'resolved').length;
  $('alert-count').textContent = alerts.length === all.length
    ? '(' + open + ')' : `(${open}; showing ${alerts.length} of ${all.length})`;
  const shown = JSON.stringify(alerts);
  if (shown === alertsShown) return;
  alertsShown = shown;
  const body = $('alert-table').tBodies[0];
  body.replaceChildren(...alerts.map(row));
}

function row(a) {
  const tr = document.createElement('tr');
  tr.dataset.rule = a.rule;
  tr.dataset.state = a.state;
  tr.dataset.severity = a.severity;
  tr.className = 'alert ' + a.state + (a.silenced ? ' silenced' : '');
  const cells = [
    a.state + (a.silenced ? ' (silenced)' : ''),
    a.severity,
    a.rule,
    a.series,
    a.value === null ? '–' : Number(a.value.toPrecision(4)).toString(),
    new Date(a.since).toLocaleTimeString(),
  ];
  for (const text of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  const actions = document.createElement('td');
  if (a.ack) {
    const span = document.createElement('span');
    span.className = 'acked';
    span.textContent = 'acked by ' + a.ack.by;
    actions.append(span);
  } else if (a.state !== 'resolved') {
    actions.append(button('ack', 'Ack', 'acknowledge ' + a.rule, () =>
      post('/api/alerts/' + encodeURIComponent(a.id) + '/ack', { by: by(), comment: '' })));
  }
  if (a.state !== 'resolved' && !a.silenced) {
    actions.append(button('silence', 'Silence 1 h', 'silence ' + a.rule + ' for an hour', () =>
      post('/api/silences', {
        matchers: { alertname: a.labels?.alertname ?? a.rule },
        until: Date.now() + SILENCE_MILLIS,
        by: by(),
        comment: 'from the dashboard',
      })));
  }
  tr.append(actions);
  return tr;
}

function button(cls, text, label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = cls;
  b.textContent = text;
  b.setAttribute('aria-label', label);
  if (onClick) b.addEventListener('click', onClick);
  return b;
}

function by() {
  return $('alert-by').value.trim() || 'dashboard';
}

let rulesByName = new Map();
let rulesShown = '';

function renderRules(rules) {
  const shown = JSON.stringify(rules);
  if (shown === rulesShown) return; // the same rules: the buttons (and the focus) stay
  rulesShown = shown;
  rulesByName = new Map(rules.map(r => [r.name, r]));
  $('rule-count').textContent = '(' + rules.length + ')';
  $('rule-list').replaceChildren(...rules.map(r => {
    const li = document.createElement('li');
    li.dataset.rule = r.name;
    li.dataset.source = r.source;
    li.dataset.repeat = r.repeat;
    const text = document.createElement('span');
    if (r.expr) { // a rule file's PromQL rule
      text.textContent = r.name + ': ' + r.expr + ' for ' + r.for + ' (' + r.severity + ')';
    } else {
      const tags = Object.entries(r.tags).map(([k, v]) => k + '=' + v).join(',');
      text.textContent = r.name + ': ' + r.value + ' of ' + r.match + (tags ? '{' + tags + '}' : '') +
        ' ' + r.op + ' ' + r.threshold + ' for ' + r.for + ' (' + r.severity + ')';
    }
    li.append(text);
    if (r.source === 'api') {
      const edit = button('edit', 'Edit', 'edit rule ' + r.name, null);
      edit.dataset.action = 'edit';
      const del = button('delete', 'Delete', 'delete rule ' + r.name, null);
      del.dataset.action = 'delete';
      li.append(' ', edit, ' ', del);
    } else {
      const note = document.createElement('span');
      note.className = 'source';
      note.textContent = ' (from a file)';
      li.append(note);
    }
    return li;
  }));
}

async function onRuleAction(e) {
  const b = e.target.closest('button[data-action]');
  if (!b) return;
  const name = b.closest('li').dataset.rule;
  if (b.dataset.action === 'edit') {
    openForm(rulesByName.get(name));
  } else if (confirm('Delete the rule ' + name + '?')) {
    await fetch('/api/rules/' + encodeURIComponent(name), { method: 'DELETE' });
    if (editing === name) closeForm();
    refresh();
  }
}

function openForm(rule) {
  const f = $('rule-form');
  editing = rule ? rule.name : null;
  $('rules').open = true;
  f.hidden = false;
  f.reset();
  $('rule-form-title').textContent = rule ? 'Edit rule ' + rule.name : 'New rule';
  f.elements.name.readOnly = !!rule;
  if (rule) {
    f.elements.name.value = rule.name;
    f.elements.match.value = rule.match;
    f.elements.tags.value = Object.entries(rule.tags).map(([k, v]) => k + '=' + v).join(', ');
    f.elements.value.value = rule.value;
    f.elements.op.value = rule.op;
    f.elements.threshold.value = rule.threshold;
    f.elements.for.value = rule.for;
    f.elements.severity.value = rule.severity;
    f.elements.summary.value = rule.annotations?.summary ?? '';
  }
  $('rule-errors').replaceChildren();
  $('rule-preview').replaceChildren();
  f.elements.name.focus();
}

function closeForm() {
  $('rule-form').hidden = true;
  editing = null;
  $('rule-new').focus();
}

/**
 * The form as the rules API reads it; an edited rule keeps what the form does not show (repeat,
 * labels, a ratio's denominator, other annotations).
 */
function ruleBody() {
  const f = $('rule-form').elements;
  const tags = {};
  for (const pair of f.tags.value.split(',').map(p => p.trim()).filter(Boolean)) {
    const i = pair.indexOf('=');
    if (i < 0) tags[pair] = ''; // the API names the problem
    else tags[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  const kept = editing && rulesByName.has(editing) ? Object.assign({}, rulesByName.get(editing)) : {};
  delete kept.source;
  const body = {
    ...kept,
    name: f.name.value.trim(),
    match: f.match.value.trim(),
    tags,
    value: f.value.value,
    op: f.op.value,
    threshold: f.threshold.value === '' ? null : Number(f.threshold.value),
    for: f.for.value.trim() || '0s',
    severity: f.severity.value,
  };
  body.annotations = Object.assign({}, kept.annotations);
  if (f.summary.value.trim()) body.annotations.summary = f.summary.value.trim();
  else delete body.annotations.summary;
  return body;
}

/** Shows a 400's problems ({errors: [{field, message}]}) under the form. */
function showErrors(errors) {
  $('rule-errors').replaceChildren(...errors.map(e => {
    const li = document.createElement('li');
    li.textContent = (e.field ? e.field + ': ' : '') + e.message;
    return li;
  }));
}

async function preview() {
  showErrors([]);
  const box = $('rule-preview');
  let r;
  let j = {};
  try {
    r = await fetch('/api/rules/preview', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ruleBody()),
    });
    j = await r.json();
  } catch (e) {
    box.replaceChildren();
    showErrors([{ field: '', message: r ? 'HTTP ' + r.status : 'the gateway did not answer' }]);
    return;
  }
  if (!r.ok) {
    box.replaceChildren();
    showErrors(j.errors || [{ field: '', message: 'HTTP ' + r.status }]);
    return;
  }
  const breached = j.series.filter(s => s.breached).length;
  const head = document.createElement('p');
  head.className = 'preview-head';
  head.dataset.total = String(j.total);
  head.dataset.breached = String(breached);
  head.textContent = j.total === 0
    ? 'No series matches this rule now.'
    : `${j.total} series now; ${breached} of the ${j.series.length} shown breach the rule.`;
  const ul = document.createElement('ul');
  ul.replaceChildren(...j.series.map(s => {
    const li = document.createElement('li');
    li.dataset.series = s.series;
    li.dataset.value = s.value === null ? '' : String(s.value);
    li.dataset.breached = String(s.breached);
    li.textContent = s.series + ' = ' + format(s.value) + (s.breached ? ' (breaches)' : '');
    return li;
  }));
  box.replaceChildren(head, ul);
}

async function saveRule() {
  showErrors([]);
  const body = ruleBody();
  const r = await fetch(editing ? '/api/rules/' + encodeURIComponent(editing) : '/api/rules', {
    method: editing ? 'PUT' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (r.ok) {
    closeForm();
    refresh();
    return;
  }
  let j = {};
  try {
    j = await r.json();
  } catch (e) {
    // not JSON: the status says it
  }
  showErrors(j.errors || [{ field: '', message: 'HTTP ' + r.status }]);
}
