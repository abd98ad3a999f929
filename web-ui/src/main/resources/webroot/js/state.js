// The view as URL parameters, so that a reload or a shared link shows the same dashboard:
// q (the search), range, transport, page and per (panels per page), pin (pinned metrics, in
// order), group (metric:label, ...), scale (metric:log or metric:linear, ...), expr (the query
// box's PromQL), astate and aseverity (the alert list's filters). Written with history.replaceState, without reloading.

/** The view in the page's URL. */
export function readState() {
  const p = new URLSearchParams(location.search);
  const pairs = name => Object.fromEntries((p.get(name) || '').split(',').filter(Boolean).map(x => {
    const i = x.lastIndexOf(':');
    return [x.slice(0, i), x.slice(i + 1)];
  }));
  return {
    q: p.get('q') ?? '*',
    range: p.get('range') || 'live',
    transport: p.get('transport') || '',
    page: Math.max(0, parseInt(p.get('page') || '0', 10) || 0),
    per: Math.max(1, parseInt(p.get('per') || '24', 10) || 24),
    pins: (p.get('pin') || '').split(',').filter(Boolean),
    group: pairs('group'),
    scale: pairs('scale'),
    query: p.get('expr') || '',
    alertState: p.get('astate') || '',
    alertSeverity: p.get('aseverity') || '',
  };
}

/** Puts {@code s} in the URL; defaults are left out. */
export function writeState(s) {
  const p = new URLSearchParams();
  const pairs = o => Object.entries(o).filter(([, v]) => v).map(([k, v]) => k + ':' + v).join(',');
  if (s.q && s.q !== '*') p.set('q', s.q);
  if (s.range && s.range !== 'live') p.set('range', s.range);
  if (s.transport) p.set('transport', s.transport);
  if (s.page) p.set('page', String(s.page));
  if (s.per !== 24) p.set('per', String(s.per));
  if (s.pins.length) p.set('pin', s.pins.join(','));
  if (pairs(s.group)) p.set('group', pairs(s.group));
  if (pairs(s.scale)) p.set('scale', pairs(s.scale));
  if (s.query) p.set('expr', s.query);
  if (s.alertState) p.set('astate', s.alertState);
  if (s.alertSeverity) p.set('aseverity', s.alertSeverity);
  const query = p.toString();
  history.replaceState(null, '', location.pathname + (query ? '?' + query : ''));
}
