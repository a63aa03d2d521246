import { test } from "node:test";
import assert from "node:assert/strict";
import {
  MAX_HEIGHT,
  OVERSCAN,
  PageCache,
  SMALL,
  geometry,
  keyTarget,
  positionToShow,
  toRows,
  toScroll,
  visibleRows,
} from "../lib/virtual-table.js";

const MILLION = 1_000_000;

test("a short list is as tall as its rows and scrolls pixel for pixel", () => {
  const g = geometry(1000, 28, 560);
  assert.equal(g.height, 28_000);
  assert.equal(g.ratio, 1);
  assert.equal(toRows(g, 280), 280);
  assert.equal(toScroll(g, 280), 280);
  // Scrolling cannot go past the last row.
  assert.equal(toRows(g, 1e9), 28_000 - 560);
});

test("a million rows fit the browser's tallest element: the scrollbar is scaled, the ends still meet", () => {
  const g = geometry(MILLION, 28, 560);
  assert.equal(g.content, 28_000_000);
  assert.equal(g.height, MAX_HEIGHT);
  assert.ok(g.height < 16_000_000, "below every browser's limit");
  assert.ok(g.ratio > 3);
  const bottom = g.height - g.viewport;
  // The top shows the first row, the bottom the last one, whole.
  assert.deepEqual(
    [visibleRows(g, 0).firstVisible, visibleRows(g, bottom).lastVisible],
    [0, MILLION - 1],
  );
  const end = visibleRows(g, bottom);
  assert.equal(end.last, MILLION - 1);
  // Row `first` is drawn where the view's top shows it: the last row ends at the view's bottom.
  const lastTop = end.top + (MILLION - 1 - end.first) * 28;
  assert.equal(lastTop + 28, bottom + g.viewport);
  // Half way down the scrollbar is half way down the rows.
  const middle = visibleRows(g, bottom / 2);
  assert.ok(Math.abs(middle.firstVisible - (MILLION - 20) / 2) <= 1, `${middle.firstVisible}`);
  // Going there and back gives the same place.
  assert.equal(Math.round(toRows(g, toScroll(g, 14_000_000))), 14_000_000);
});

test("only the rows in sight and a few either side are drawn, however many there are", () => {
  for (const total of [SMALL + 1, 5000, MILLION]) {
    const g = geometry(total, 28, 560);
    for (const scrollTop of [0, 1234.5, (g.height - g.viewport) / 2, g.height - g.viewport]) {
      const r = visibleRows(g, scrollTop);
      const drawn = r.last - r.first + 1;
      assert.ok(drawn <= 560 / 28 + 1 + 2 * OVERSCAN, `${total} rows at ${scrollTop}: ${drawn} drawn`);
      assert.ok(r.first <= r.firstVisible && r.lastVisible <= r.last);
      // The first drawn row starts at or above the view's top, so nothing is missing on screen.
      assert.ok(r.top + (r.firstVisible - r.first) * 28 <= scrollTop + 1e-6);
    }
  }
  // A list of one page is drawn whole; an empty one draws nothing.
  const small = visibleRows(geometry(SMALL, 28, 280), 0);
  assert.deepEqual([small.first, small.last], [0, SMALL - 1]);
  const none = visibleRows(geometry(0, 28, 280), 0);
  assert.equal(none.last - none.first + 1, 0);
});

test("moving to a row scrolls as little as needed to show it whole", () => {
  const g = geometry(MILLION, 28, 560);
  // Already in sight: no move.
  assert.equal(positionToShow(g, 2800, 105), 2800);
  // Below: it becomes the last row in sight; above: the first.
  assert.equal(positionToShow(g, 2800, 130), 131 * 28 - 560);
  assert.equal(positionToShow(g, 2800, 50), 50 * 28);
  // The last row of a million, through the scaled scrollbar.
  const position = positionToShow(g, 0, MILLION - 1);
  const r = visibleRows(g, toScroll(g, position), position);
  assert.equal(r.lastVisible, MILLION - 1);
});

test("keys move the active row within the list", () => {
  assert.equal(keyTarget("ArrowDown", 0, 10, 5), 1);
  assert.equal(keyTarget("ArrowUp", 0, 10, 5), 0);
  assert.equal(keyTarget("ArrowDown", 9, 10, 5), 9);
  assert.equal(keyTarget("PageDown", 3, 10, 5), 8);
  assert.equal(keyTarget("PageDown", 8, 10, 5), 9);
  assert.equal(keyTarget("PageUp", 3, 10, 5), 0);
  assert.equal(keyTarget("Home", 7, MILLION, 19), 0);
  assert.equal(keyTarget("End", 7, MILLION, 19), MILLION - 1);
  assert.equal(keyTarget("a", 7, 10, 5), null);
  assert.equal(keyTarget("End", 0, 0, 5), null);
});

test("pages are asked for once, kept while used, and the least recently used go first", () => {
  /** @type {PageCache<string>} */
  const cache = new PageCache(100, 3);
  assert.deepEqual(cache.missing(150, 320), [1, 2, 3]);
  cache.start(1);
  cache.start(2);
  // On their way: not asked for again.
  assert.deepEqual(cache.missing(150, 320), [3]);
  cache.set(1, Array.from({ length: 100 }, (_, i) => `row ${100 + i}`));
  assert.equal(cache.get(150), "row 150");
  assert.equal(cache.get(250), undefined);
  // A page that failed is asked for again.
  cache.fail(2);
  assert.deepEqual(cache.missing(250, 250), [2]);
  cache.set(2, ["row 200"]);
  cache.set(3, ["row 300"]);
  cache.missing(100, 100); // page 1 used again
  cache.set(4, ["row 400"]);
  // Page 2 was the least recently used of the three kept.
  assert.equal(cache.get(200), undefined);
  assert.equal(cache.get(100), "row 100");
  assert.equal(cache.get(400), "row 400");
});
