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
    this.loading = new Set();
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
    this.items = [];
    await this.load(first);
  }

  async load(page) {
    if (this.loading.has(page)) return;
    this.loading.add(page);
    const match = this.match;
    try {
      const r = await getJson('/api/series?limit=' + PAGE + '&offset=' + page * PAGE + '&match=' + encodeURIComponent(match));
      if (match !== this.match) return;
      this.total = r.total;
      r.series.forEach((s, i) => { this.items[page * PAGE + i] = s; });
    } catch (e) {
      // the tiles show the connection's state; the list keeps what it had
    } finally {
      this.loading.delete(page);
    }
    this.render();
  }

  setPinned(families) {
    this.pinned = new Set(families);
    this.render(true);
  }

  /** Draws the rows in view (and a few around them); asks for pages not read yet. */
  render() {
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
    this.inner.replaceChildren(...rows);
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
