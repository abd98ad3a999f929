// What the dashboard's modules share: the element lookup, JSON GETs of the API, text writes.
export const $ = id => document.getElementById(id);

/** GETs {@code path} as JSON; throws on an answer other than 2xx. */
export async function getJson(path) {
  const r = await fetch(path);
  if (!r.ok) throw new Error(path + ': ' + r.status);
  return r.json();
}

/** Sets an element's text only if it changed: a write of the same text still costs a layout. */
export function setText(el, value) {
  if (el.textContent !== value) el.textContent = value;
}
