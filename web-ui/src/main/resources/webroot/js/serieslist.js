// The series list: every series the search matches, not only those the live feed carries, read a
// page at a time from GET /api/series and drawn as a virtual list (only the rows in view exist), with
// "showing N of M". A click (or Enter) on a row pins its metric's panel.
import { $, getJson } from './api.js';

const ROW = 22; // px, as in the CSS
const PAGE = 200;

export class SeriesList {
  /** @param onPick called with a series {key, name, kind, tags} the user chose */
  constructor(onPick) {
    this.onPick = onPick;
    this.items = []; // index -> series, filled page by page
    this.total = 0;
    this.match = '*';
    this.loading = new Set(); // pages asked for, of this generation
    this.generation = 0;
    this.failed = false;
    this.pinned = new Set(); // families
    this.box = $('series-scroll');
    this.inner = $('series-list');
    this.box.addEventListener('scroll', () => this.render());
    this.inner.addEventListener('click', e => this.pick(e.target.closest('button')));
    setInterval(() => this.reload(), 10000);
  }

  /** Lists the series of {@code match} (the feed's comma-separated items) from the start. */
  setMatch(match) {
    this.match = match;
    this.box.scrollTop = 0;
    this.reload();
  }

  /** Reads the pages in view again (series come and go). */
  async reload() {
    const first = Math.floor(this.box.scrollTop / ROW / PAGE);
    this.generation++; // answers to earlier requests are dropped
    this.items = [];
    this.loading.clear();
    this.failed = false;
    await this.load(first);
  }

  async load(page) {
    if (this.loading.has(page) || this.failed) return;
    this.loading.add(page);
    const generation = this.generation;
    try {
      const r = await getJson('/api/series?limit=' + PAGE + '&offset=' + page * PAGE + '&match=' + encodeURIComponent(this.match));
      if (generation !== this.generation) return;
      this.total = r.total;
      r.series.forEach((s, i) => { this.items[page * PAGE + i] = s; });
    } catch (e) {
      if (generation === this.generation) this.failed = true; // tried again at the next reload, not at once
      return;
    } finally {
      if (generation === this.generation) this.loading.delete(page);
    }
    this.render();
  }

  setPinned(families) {
    this.pinned = new Set(families);
    this.render();
  }

  /**
   * Draws the rows in view (and a few around them); asks for pages not read yet. The focused row
   * keeps the focus (a new button for it takes it), so that the keyboard can walk the list.
   */
  render() {
    const focused = this.inner.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    this.inner.style.height = this.total * ROW + 'px';
    const from = Math.max(0, Math.floor(this.box.scrollTop / ROW) - 10);
    const to = Math.min(this.total, from + Math.ceil((this.box.clientHeight || 600) / ROW) + 20);
    const rows = [];
    for (let i = from; i < to; i++) {
      const s = this.items[i];
      if (!s) {
        this.load(Math.floor(i / PAGE));
        continue;
      }
      const li = document.createElement('li');
      li.style.top = i * ROW + 'px';
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = s.key;
      b.title = s.kind + ' ' + s.key + ' (pin its panel)';
      b.dataset.key = s.key;
      b.dataset.family = s.name;
      if (this.pinned.has(s.name)) b.className = 'pinned';
      b.setAttribute('aria-pressed', String(this.pinned.has(s.name)));
      li.append(b);
      rows.push(li);
    }
    const keys = rows.map(li => li.firstChild.dataset.key + (li.firstChild.className ? '*' : '')).join('\n');
    if (keys !== this.shownKeys) { // the same rows: nothing to redraw
      this.shownKeys = keys;
      this.inner.replaceChildren(...rows);
      if (focused) this.inner.querySelector(`button[data-key="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
    }
    const last = Math.min(this.total, Math.floor((this.box.scrollTop + (this.box.clientHeight || 600)) / ROW));
    const first = this.total ? Math.floor(this.box.scrollTop / ROW) + 1 : 0;
    $('series-count').textContent = this.total > last - first + 1
      ? `${first}–${last} of ${this.total}` : `(${this.total})`;
    $('series-count').dataset.total = String(this.total);
  }

  pick(b) {
    if (!b?.dataset.key) return;
    const s = this.items.find(x => x && x.key === b.dataset.key);
    if (s) this.onPick(s);
  }
}
