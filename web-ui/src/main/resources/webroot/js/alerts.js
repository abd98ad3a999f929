// The alerts panel: pending, firing and recently resolved alerts with acknowledge and silence,
// and the rule list. Refreshed every 2 s and whenever the live feed says an alert changed.
import { $, getJson } from './api.js';
const SILENCE_MILLIS = 3600 * 1000;
let timer = null;

/** Fetches alerts and rules now (and again in 2 s). */
export async function refresh() {
  clearTimeout(timer);
  timer = setTimeout(refresh, 2000);
  try {
    const [alerts, rules] = await Promise.all([getJson('/api/alerts'), getJson('/api/rules')]);
    renderAlerts(alerts.alerts);
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

function renderAlerts(alerts) {
  const order = { firing: 0, pending: 1, resolved: 2 };
  alerts.sort((a, b) => order[a.state] - order[b.state] || b.since - a.since);
  $('alert-count').textContent = '(' + alerts.filter(a => a.state !== 'resolved').length + ')';
  const body = $('alert-table').tBodies[0];
  body.replaceChildren(...alerts.map(row));
}

function row(a) {
  const tr = document.createElement('tr');
  tr.dataset.rule = a.rule;
  tr.dataset.state = a.state;
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
    actions.append(button('ack', 'Ack', () =>
      post('/api/alerts/' + encodeURIComponent(a.id) + '/ack', { by: by(), comment: '' })));
  }
  if (a.state !== 'resolved' && !a.silenced) {
    actions.append(button('silence', 'Silence 1 h', () =>
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

function button(cls, text, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = cls;
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

function by() {
  return $('alert-by').value.trim() || 'dashboard';
}

function renderRules(rules) {
  $('rule-count').textContent = '(' + rules.length + ')';
  $('rule-list').replaceChildren(...rules.map(r => {
    const li = document.createElement('li');
    li.dataset.rule = r.name;
    if (r.expr) { // a rule file's PromQL rule
      li.textContent = r.name + ': ' + r.expr + ' for ' + r.for + ' (' + r.severity + ')';
      return li;
    }
    const tags = Object.entries(r.tags).map(([k, v]) => k + '=' + v).join(',');
    li.textContent = r.name + ': ' + r.value + ' of ' + r.match + (tags ? '{' + tags + '}' : '') +
      ' ' + r.op + ' ' + r.threshold + ' for ' + r.for + ' (' + r.severity + ')';
    return li;
  }));
}
