// What the dashboard's modules share: the element lookup and JSON GETs of the API.
export const $ = id => document.getElementById(id);

/** GETs {@code path} as JSON; throws on an answer other than 2xx. */
export async function getJson(path) {
  const r = await fetch(path);
  if (!r.ok) throw new Error(path + ': ' + r.status);
  return r.json();
}
