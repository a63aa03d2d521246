// A table that scrolls through any number of rows (a million) while only the rows in sight,
// and a few either side, are in the page. Rows have one fixed height; a spacer gives the
// scrollbar the height of them all, and rows are read a page at a time as they come into
// sight (recently read pages are kept). A row whose page is still on its way shows a
// placeholder.
//
// Browsers cap an element's height (WebKit and Chromium near 33 million pixels, Firefox near
// 17 million), so beyond `MAX_HEIGHT` the scrollbar is scaled: a pixel of scrollbar is more
// than a pixel of rows, and the rows themselves are drawn where that scaled position says.
//
// The pure maths (geometry, which rows are in sight, where to scroll to show one, where a key
// moves to, the page cache) is exported for `node --test`; `VirtualTable` puts it in a page.

import { mount } from "./html.js";

/** The tallest spacer, in pixels; taller content is scaled into it. */
export const MAX_HEIGHT = 8_000_000;
/** Rows drawn beyond each edge of the view, so that scrolling a little shows no gap. */
export const OVERSCAN = 10;
/** Lists of at most this many rows are drawn whole. */
export const SMALL = 100;

/**
 * @typedef {{total: number, rowHeight: number, viewport: number, content: number,
 *   height: number, ratio: number}} Geometry
 * `viewport` is the height the rows are seen through; `content` the height of every row;
 * `height` the spacer's; `ratio` how many pixels of rows one pixel of scrolling moves.
 */

/**
 * @param {number} total rows
 * @param {number} rowHeight pixels
 * @param {number} viewport pixels of rows in sight
 * @param {number} [max] the tallest spacer
 * @returns {Geometry}
 */
export function geometry(total, rowHeight, viewport, max = MAX_HEIGHT) {
  const content = total * rowHeight;
  const height = Math.min(content, max);
  const scrollable = Math.max(0, height - viewport);
  const travel = Math.max(0, content - viewport);
  return { total, rowHeight, viewport, content, height, ratio: scrollable > 0 ? travel / scrollable : 1 };
}

/**
 * The position in the rows (pixels from the first row's top) that a scroll position shows.
 * @param {Geometry} g
 * @param {number} scrollTop
 */
export function toRows(g, scrollTop) {
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, g.height - g.viewport));
  return Math.min(top * g.ratio, Math.max(0, g.content - g.viewport));
}

/**
 * The scroll position that shows the rows from `position` on.
 * @param {Geometry} g
 * @param {number} position
 */
export function toScroll(g, position) {
  const clamped = Math.min(Math.max(0, position), Math.max(0, g.content - g.viewport));
  return clamped / g.ratio;
}

/**
 * The rows to draw at `scrollTop`: `first..last` (with overscan; every row of a small list),
 * the rows wholly or partly in sight, and `top`, where row `first` goes (in the spacer's
 * pixels, from its top).
 * @param {Geometry} g
 * @param {number} scrollTop
 * @param {number} [position] the position in the rows, when known more exactly than
 *   `scrollTop` can say (browsers round it)
 */
export function visibleRows(g, scrollTop, position = toRows(g, scrollTop)) {
  if (g.total === 0) return { first: 0, last: -1, firstVisible: 0, lastVisible: -1, top: 0 };
  const rh = g.rowHeight;
  const firstVisible = Math.min(g.total - 1, Math.floor(position / rh));
  const lastVisible = Math.min(g.total - 1, Math.max(firstVisible, Math.ceil((position + g.viewport) / rh) - 1));
  const small = g.total <= SMALL;
  const first = small ? 0 : Math.max(0, firstVisible - OVERSCAN);
  const last = small ? g.total - 1 : Math.min(g.total - 1, lastVisible + OVERSCAN);
  return { first, last, firstVisible, lastVisible, top: scrollTop + first * rh - position };
}

/**
 * The position in the rows that shows row `index` wholly, moving as little as possible from
 * `position`.
 * @param {Geometry} g
 * @param {number} position
 * @param {number} index
 */
export function positionToShow(g, position, index) {
  const top = index * g.rowHeight;
  if (top < position) return top;
  if (top + g.rowHeight > position + g.viewport) return Math.max(0, top + g.rowHeight - g.viewport);
  return position;
}

/**
 * The row a key moves the active row to, or null for keys the table does not take.
 * @param {string} key
 * @param {number} active
 * @param {number} total
 * @param {number} pageRows rows a PageUp/PageDown moves
 */
export function keyTarget(key, active, total, pageRows) {
  if (total === 0) return null;
  const step = Math.max(1, pageRows);
  /** @type {Record<string, number>} */
  const moves = {
    ArrowDown: active + 1,
    ArrowUp: active - 1,
    PageDown: active + step,
    PageUp: active - step,
    Home: 0,
    End: total - 1,
  };
  if (!(key in moves)) return null;
  return Math.min(total - 1, Math.max(0, moves[key]));
}

/**
 * Rows by page, the most recently used kept. A page is loaded, on its way, or absent.
 * @template T
 */
export class PageCache {
  /**
   * @param {number} pageSize
   * @param {number} capacity pages kept
   */
  constructor(pageSize, capacity = 40) {
    this.pageSize = pageSize;
    this.capacity = capacity;
    /** @type {Map<number, T[]>} */
    this.pages = new Map();
    /** @type {Set<number>} */
    this.loading = new Set();
  }

  /** @param {number} index */
  pageOf(index) {
    return Math.floor(index / this.pageSize);
  }

  /** @param {number} index @returns {T | undefined} */
  get(index) {
    const page = this.pages.get(this.pageOf(index));
    return page?.[index % this.pageSize];
  }

  /**
   * The pages holding rows `first..last` that are neither loaded nor on their way.
   * @param {number} first
   * @param {number} last
   */
  missing(first, last) {
    const out = [];
    if (last < first) return out;
    for (let p = this.pageOf(first); p <= this.pageOf(last); p++) {
      if (this.pages.has(p)) {
        // Used again: it moves to the back of the queue to evict.
        const rows = /** @type {T[]} */ (this.pages.get(p));
        this.pages.delete(p);
        this.pages.set(p, rows);
      } else if (!this.loading.has(p)) {
        out.push(p);
      }
    }
    return out;
  }

  /** @param {number} page */
  start(page) {
    this.loading.add(page);
  }

  /** A page that did not arrive; it is asked for again next time. @param {number} page */
  fail(page) {
    this.loading.delete(page);
  }

  /**
   * @param {number} page
   * @param {T[]} rows
   */
  set(page, rows) {
    this.loading.delete(page);
    this.pages.delete(page);
    this.pages.set(page, rows);
    while (this.pages.size > this.capacity) {
      const oldest = /** @type {number} */ (this.pages.keys().next().value);
      this.pages.delete(oldest);
    }
  }
}

/**
 * @template T
 * @typedef {{
 *   viewport: HTMLElement, spacer: HTMLElement, table: HTMLTableElement, body: HTMLElement,
 *   total: number, pageSize: number, first: T[],
 *   fetch: (offset: number, limit: number) => Promise<T[] | null>,
 *   row: (row: T, index: number) => import("./html.js").SafeHtml,
 *   placeholder: (index: number) => import("./html.js").SafeHtml,
 *   onOpen: (row: T, index: number) => void,
 *   onStale: () => void,
 * }} VirtualTableOptions
 * `fetch` gives a page's rows, or null when the search is no longer current (`onStale` is
 * called then). `row` and `placeholder` give one `<tr>` each.
 */

/**
 * A `<table>` inside a scrolling `viewport`: `spacer` (position: relative) holds the table
 * (position: absolute) and is as tall as every row. The table is one Tab stop; the arrows,
 * PageUp/PageDown and Home/End move the active row (reading its page when needed), Enter
 * opens it. `aria-rowcount` and `aria-rowindex` give screen readers the true size and place.
 * @template T
 */
export class VirtualTable {
  /** @param {VirtualTableOptions<T>} options */
  constructor(options) {
    this.o = options;
    this.total = options.total;
    /** @type {PageCache<T>} */
    this.cache = new PageCache(options.pageSize);
    if (options.first.length > 0) this.cache.set(0, options.first);
    this.rowHeight = 0;
    this.headerHeight = 0;
    this.active = 0;
    /** The position in the rows last scrolled to, with the scrollTop it was set as. */
    this.pinned = { scrollTop: -1, position: 0 };
    /** @type {Map<number, {tr: HTMLElement, loaded: boolean}>} */
    this.drawn = new Map();
    this.destroyed = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    this.frame = 0;
    this.o.table.setAttribute("aria-rowcount", String(this.total + 1));

    this.o.viewport.addEventListener("scroll", () => this.schedule());
    this.o.viewport.addEventListener("keydown", (e) => this.key(e));
    this.o.body.addEventListener("click", (e) => {
      const index = this.indexOf(/** @type {Element} */ (e.target));
      if (index !== null) this.open(index);
    });
    this.o.body.addEventListener("focusin", (e) => {
      const index = this.indexOf(/** @type {Element} */ (e.target));
      if (index !== null && index !== this.active) {
        this.active = index;
        this.syncTabStop();
      }
    });
    this.resize = new ResizeObserver(() => this.schedule());
    this.resize.observe(this.o.viewport);
    this.render();
  }

  /** Stops drawing and reading: a newer search replaced this table. */
  destroy() {
    this.destroyed = true;
    this.resize.disconnect();
    clearTimeout(this.timer);
    cancelAnimationFrame(this.frame);
  }

  /** @param {Element} target */
  indexOf(target) {
    const tr = target.closest("tr[data-index]");
    return tr ? Number(tr.getAttribute("data-index")) : null;
  }

  geometry() {
    const rowHeight = this.rowHeight || 48;
    const viewport = Math.max(rowHeight, this.o.viewport.clientHeight - this.headerHeight);
    return geometry(this.total, rowHeight, viewport);
  }

  /** The position in the rows now shown. */
  position() {
    const g = this.geometry();
    const top = this.o.viewport.scrollTop;
    // Browsers round scrollTop; the position set last is more exact while it still holds.
    return Math.abs(top - this.pinned.scrollTop) < 1 ? this.pinned.position : toRows(g, top);
  }

  schedule() {
    if (this.destroyed || this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  render() {
    if (this.destroyed) return;
    const g = this.geometry();
    this.o.spacer.style.height = `${g.height + this.headerHeight}px`;
    const scrollTop = this.o.viewport.scrollTop;
    const range = visibleRows(g, scrollTop, this.position());
    this.o.table.style.top = `${Math.max(0, range.top)}px`;
    this.draw(range.first, range.last);
    this.request(range.first, range.last);
    this.measure();
  }

  /**
   * Puts rows `first..last` in the table, keeping rows already there (and the focus on one).
   * @param {number} first
   * @param {number} last
   */
  draw(first, last) {
    const body = this.o.body;
    const focused = document.activeElement;
    for (const [index, { tr }] of this.drawn) {
      if (index < first || index > last) {
        if (tr === focused) this.o.viewport.focus({ preventScroll: true });
        tr.remove();
        this.drawn.delete(index);
      }
    }
    /** @type {HTMLElement | null} */
    let next = null;
    for (let index = last; index >= first; index--) {
      const row = this.cache.get(index);
      const have = this.drawn.get(index);
      let tr = have?.tr;
      if (!have || have.loaded !== (row !== undefined)) {
        tr = this.make(row === undefined ? this.o.placeholder(index) : this.o.row(row, index));
        tr.setAttribute("data-index", String(index));
        tr.setAttribute("aria-rowindex", String(index + 2));
        tr.setAttribute("tabindex", "-1");
        if (have) {
          have.tr.replaceWith(tr);
          if (have.tr === focused) tr.focus({ preventScroll: true });
        } else {
          body.insertBefore(tr, next);
        }
        this.drawn.set(index, { tr, loaded: row !== undefined });
      }
      next = /** @type {HTMLElement} */ (tr);
    }
    this.syncTabStop();
  }

  /** @param {import("./html.js").SafeHtml} markup */
  make(markup) {
    const holder = document.createElement("tbody");
    mount(holder, markup);
    return /** @type {HTMLElement} */ (holder.firstElementChild);
  }

  /** One Tab stop: the active row when drawn, else the scrolling box. */
  syncTabStop() {
    const active = this.drawn.get(this.active);
    for (const [index, { tr }] of this.drawn) tr.setAttribute("tabindex", index === this.active ? "0" : "-1");
    this.o.viewport.setAttribute("tabindex", active ? "-1" : "0");
  }

  /** The row height and header height as drawn (text size can change them). */
  measure() {
    const sample = this.o.body.firstElementChild;
    const head = this.o.table.tHead;
    const rowHeight = sample ? sample.getBoundingClientRect().height : 0;
    const headerHeight = head ? head.getBoundingClientRect().height : 0;
    if ((rowHeight > 0 && Math.abs(rowHeight - this.rowHeight) > 0.5) || Math.abs(headerHeight - this.headerHeight) > 0.5) {
      if (rowHeight > 0) this.rowHeight = rowHeight;
      this.headerHeight = headerHeight;
      this.render();
    }
  }

  /**
   * Reads the pages of rows `first..last` not read yet, a moment after scrolling stops.
   * @param {number} first
   * @param {number} last
   */
  request(first, last) {
    clearTimeout(this.timer);
    if (this.cache.missing(first, last).length === 0) return;
    this.timer = setTimeout(() => {
      if (this.destroyed) return;
      const g = this.geometry();
      const range = visibleRows(g, this.o.viewport.scrollTop, this.position());
      for (const page of this.cache.missing(range.first, range.last)) {
        this.cache.start(page);
        const size = this.o.pageSize;
        this.o
          .fetch(page * size, size)
          .then((rows) => {
            if (this.destroyed) return;
            if (rows === null) {
              this.destroy();
              this.o.onStale();
              return;
            }
            this.cache.set(page, rows);
            this.schedule();
          })
          .catch(() => {
            // Asked for again a moment later, while it is still in sight.
            this.cache.fail(page);
            setTimeout(() => this.schedule(), 1000);
          });
      }
    }, 60);
  }

  /** @param {number} index */
  open(index) {
    const row = this.cache.get(index);
    if (row !== undefined) this.o.onOpen(row, index);
  }

  /**
   * Makes row `index` the active one, scrolled into sight, and focuses it.
   * @param {number} index
   * @param {ScrollLogicalPosition} [block] "center" to put it mid-view
   */
  activate(index, block = "nearest") {
    if (this.total === 0) return;
    this.active = Math.min(this.total - 1, Math.max(0, index));
    // Measured first: the table may have been drawn while its screen was hidden.
    this.render();
    const g = this.geometry();
    const now = this.position();
    const position = block === "center"
      ? Math.max(0, this.active * g.rowHeight - (g.viewport - g.rowHeight) / 2)
      : positionToShow(g, now, this.active);
    if (position !== now) {
      const top = toScroll(g, position);
      this.o.viewport.scrollTop = top;
      this.pinned = { scrollTop: this.o.viewport.scrollTop, position: Math.min(position, Math.max(0, g.content - g.viewport)) };
    }
    this.render();
    this.drawn.get(this.active)?.tr.focus({ preventScroll: true });
  }

  /** @param {KeyboardEvent} event */
  key(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      this.open(this.active);
      return;
    }
    const g = this.geometry();
    const target = keyTarget(event.key, this.active, this.total, Math.floor(g.viewport / g.rowHeight) - 1);
    if (target === null) return;
    event.preventDefault();
    this.activate(target);
  }
}
