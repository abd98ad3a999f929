// Units read off a metric's name, as Prometheus names carry them (`_seconds`, `_bytes`, `_ratio`),
// and the numbers and times drawn with them: 0.25 seconds is "250 ms", 3 145 728 bytes "3 MiB".

/** The unit of a family: 'seconds', 'bytes', 'ratio' or '' (a plain number). Timers are seconds. */
export function unitOf(family, kind) {
  if (kind === 'timer' || /_seconds(_total)?$/.test(family)) return 'seconds';
  if (/_bytes(_total)?$/.test(family)) return 'bytes';
  if (/_ratio$/.test(family)) return 'ratio';
  return '';
}

const TIME = [[86400, 'd'], [3600, 'h'], [60, 'min'], [1, 's'], [1e-3, 'ms'], [1e-6, 'µs'], [1e-9, 'ns']];
const BYTES = [[2 ** 40, 'TiB'], [2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB'], [1, 'B']];
const PLAIN = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k'], [1, '']];

/** {@code v} in the largest of {@code steps} ([size, name], largest first) it reaches; 0 in {@code base}. */
function scaled(v, steps, base, suffix) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  const a = Math.abs(v);
  if (a === 0) return '0' + (base ? ' ' + base : '') + suffix;
  const [size, name] = steps.find(([s]) => a >= s) || steps[steps.length - 1];
  const x = v / size;
  const ax = Math.abs(x);
  const text = ax >= 100 ? x.toFixed(0) : ax >= 10 ? String(+x.toFixed(1)) : ax >= 0.01 ? String(+x.toFixed(2)) : x.toExponential(1);
  return text + (steps === PLAIN ? name : ' ' + name) + suffix;
}

/**
 * {@code v} written in {@code unit}, with `/s` after it when {@code perSecond} (a counter's rate):
 * seconds as ns … d, bytes in IEC units, ratios as percent, plain numbers with k, M, G.
 */
export function format(v, unit, perSecond = false) {
  const rate = perSecond ? '/s' : '';
  switch (unit) {
    case 'seconds': return scaled(v, TIME, 's', rate);
    case 'bytes': return scaled(v, BYTES, 'B', rate);
    case 'ratio': return v === null || v === undefined || Number.isNaN(v) ? '–' : +(v * 100).toFixed(2) + ' %' + rate;
    default: return scaled(v, PLAIN, '', rate);
  }
}

// made once: a toLocaleTimeString call makes a formatter each time, a cost at every axis tick
const HMS = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const HM = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', hour12: false });
const DAY_HM = new Intl.DateTimeFormat([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

/** The label of a time axis tick at {@code t} (seconds), as precise as the axis' span needs. */
export function formatTime(t, spanSeconds) {
  const f = spanSeconds <= 900 ? HMS : spanSeconds <= 2 * 86400 ? HM : DAY_HM;
  return f.format(t * 1000);
}

/** Steps of a time axis, in seconds: whole seconds at least, so that no two ticks read the same. */
export const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
  43200, 86400, 172800, 604800];
