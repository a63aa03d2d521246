// End-to-end: a workspace of 200,000 sign-ins. The results table says how many there are and
// scrolls through all of them, yet the page holds only the rows in sight (and a few more); the
// last row, the oldest sign-in, is reached by scrolling and by End, and Home goes back to the
// newest. Run through scripts/test.sh (it provides the display and the D-Bus session).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync, writeSync, openSync, closeSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { startDriver, Session, KEYS } from "./webdriver.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const app = process.env.SIGNIN_DOCTOR_APP ?? join(root, "target/debug/signin-doctor-app");
const cli = process.env.SIGNIN_DOCTOR_CLI ?? join(root, "target/debug/signin-doctor");
const shots = join(root, "target/e2e-screenshots");
/** WebDriver's codes for the keys `KEYS` does not name. */
const HOME = "\uE011";
const END = "\uE010";
const PAGE_DOWN = "\uE00F";

const COUNT = 200_000;
/** DOM rows the table may hold at most, whatever the number of results. */
const BOUND = 200;

/**
 * Sign-in `i` of the generated workspace: two to a second, newest first, with request IDs in no
 * particular order; user `user<i % 50>`.
 * @param {number} i
 */
function signIn(i) {
  const at = new Date(Date.parse("2026-11-20T12:00:00Z") - Math.floor(i / 2) * 1000).toISOString().replace(".000Z", "Z");
  const id = `${((i * 2654435761) % 4294967296).toString(16).padStart(8, "0")}-0000-4000-8000-${String(i).padStart(12, "0")}`;
  return { id, at, user: `user${i % 50}@contoso.example` };
}

/** The request IDs in the order the app lists them: newest first, then by request ID. */
function expectedOrder() {
  const rows = Array.from({ length: COUNT }, (_, i) => signIn(i));
  rows.sort((a, b) => (a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at < b.at ? 1 : -1));
  return rows.map((r) => r.id);
}

/** @type {{url: string, stop: () => void}} */
let driver;
/** @type {string[]} */
let order = [];

before(async () => {
  assert.ok(process.env.DISPLAY, "the end-to-end tests need a display; run them through scripts/test.sh");
  mkdirSync(shots, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), "signin-doctor-e2e-results-"));
  const file = join(dataDir, "many.ndjson");
  const out = openSync(file, "w");
  for (let i = 0; i < COUNT; i += 10_000) {
    let chunk = "";
    for (let j = i; j < Math.min(COUNT, i + 10_000); j++) {
      const { id, at, user } = signIn(j);
      chunk += `{"id":"${id}","createdDateTime":"${at}","userPrincipalName":"${user}","appDisplayName":"App ${j % 7}","status":{"errorCode":${j % 5 === 0 ? 50126 : 0}}}\n`;
    }
    writeSync(out, chunk);
  }
  closeSync(out);
  // The command line fills the app's workspace before the app opens it.
  const imported = spawnSync(cli, ["import", "--workspace", join(dataDir, "workspace.sqlite"), file, "--json"], { encoding: "utf8" });
  assert.equal(imported.status, 0, imported.stderr);
  order = expectedOrder();
  driver = await startDriver({ SIGNIN_DOCTOR_DATA_DIR: dataDir });
});

after(() => driver?.stop());

/** How many rows the table holds now, and the range of their positions (aria-rowindex). */
async function drawn(session) {
  return session.execute(`const rows = [...document.querySelectorAll('[data-testid=results-table] tbody tr')];
    const idx = rows.map((r) => Number(r.getAttribute('aria-rowindex')));
    return { count: rows.length, first: Math.min(...idx), last: Math.max(...idx) };`);
}

test("200,000 results scroll in a table that holds only the rows in sight, to the oldest and back by keyboard", async () => {
  const session = await Session.start(driver.url, app);
  try {
    await session.waitFor("[data-testid=results-count]", (t) => t === "200,000 sign-ins found", 60000);
    const table = await session.find("[data-testid=results-table]");
    assert.equal(await table.attribute("aria-rowcount"), String(COUNT + 1), "screen readers hear the true size");
    const first = await session.waitFor("[data-testid=results-table] tbody tr[aria-rowindex='2']");
    assert.equal(await first.attribute("data-id"), order[0], "the newest first");
    let rows = await drawn(session);
    assert.ok(rows.count > 5 && rows.count < BOUND, `${rows.count} rows in the page`);

    // The scrollbar stands for every row: the box scrolls through far more than the rows drawn.
    const box = await session.execute(`const v = document.querySelector('[data-testid=results-viewport]');
      return { scroll: v.scrollHeight, view: v.clientHeight };`);
    assert.ok(box.scroll > box.view * 1000, `the scrolling height ${box.scroll} stands for ${COUNT} rows`);
    writeFileSync(join(shots, "results-01-top.png"), await session.screenshot());

    // Scrolled to the bottom: the oldest sign-in is the last row, at its true position.
    await session.execute("const v = document.querySelector('[data-testid=results-viewport]'); v.scrollTop = v.scrollHeight;");
    const last = await session.waitFor(`[data-testid=results-table] tbody tr[aria-rowindex='${COUNT + 1}'][data-id]`, () => true, 20000);
    assert.equal(await last.attribute("data-id"), order[COUNT - 1], "the oldest last");
    rows = await drawn(session);
    assert.ok(rows.count < BOUND && rows.last === COUNT + 1, `${rows.count} rows, up to ${rows.last}`);
    writeFileSync(join(shots, "results-02-bottom.png"), await session.screenshot());

    // Half way: the rows there are the ones at those positions.
    await session.execute("const v = document.querySelector('[data-testid=results-viewport]'); v.scrollTop = (v.scrollHeight - v.clientHeight) / 2;");
    await session.waitFor("[data-testid=results-table] tbody tr[aria-rowindex='100001'][data-id]", () => true, 20000);
    const middle = await session.execute(
      "return [...document.querySelectorAll('[data-testid=results-table] tbody tr[data-id]')].map((r) => [Number(r.getAttribute('aria-rowindex')), r.getAttribute('data-id')]);",
    );
    for (const [index, id] of middle) assert.equal(id, order[index - 2], `row ${index}`);

    // The keyboard: the table is one stop; Home, End and the arrows move along all of it.
    await session.execute(
      "document.querySelector('[data-testid=results-table] tbody tr[tabindex=\"0\"], [data-testid=results-viewport][tabindex=\"0\"]').focus();",
    );
    await session.press(HOME);
    await waitForFocus(session, (f) => f.dataId === order[0], "the newest row after Home");
    await session.press(KEYS.ArrowDown);
    await waitForFocus(session, (f) => f.dataId === order[1], "the second row");
    await session.press(END);
    const end = await waitForFocus(session, (f) => f.dataId === order[COUNT - 1], "the oldest row after End");
    assert.match(end.label, /^Failure|^Success/, "the row says what it is");
    await session.press(KEYS.ArrowUp);
    await waitForFocus(session, (f) => f.dataId === order[COUNT - 2], "the row above the last");
    await session.press(HOME, PAGE_DOWN);
    await waitForFocus(session, (f) => f.tag === "tr" && f.dataId !== order[0] && f.dataId !== "", "a page further down");
    rows = await drawn(session);
    assert.ok(rows.count < BOUND, `${rows.count} rows in the page`);

    // Enter opens the row; back from the detail, the focus is on it again.
    await session.press(END);
    await waitForFocus(session, (f) => f.dataId === order[COUNT - 1], "the oldest row again");
    await session.press(KEYS.Enter);
    await session.waitFor("[data-testid=detail-request-id]", (t) => t === order[COUNT - 1], 20000);
    await session.press(KEYS.Escape);
    await waitForFocus(session, (f) => f.tag === "tr" && f.dataId === order[COUNT - 1], "the row that was opened", 20000);

    // Typing a user narrows the list as the typing pauses; only the newest search is shown.
    const user = await session.find("[data-testid=search-user]");
    await user.type("user7@");
    await session.waitFor("[data-testid=results-count]", (t) => t === "4,000 sign-ins found", 20000);
    const firstOfUser = order.find((id) => Number(id.slice(-12)) % 50 === 7);
    await session.waitFor(`[data-testid=results-table] tbody tr[aria-rowindex='2'][data-id='${firstOfUser}']`);
    assert.equal(await (await session.find("[data-testid=results-table]")).attribute("aria-rowcount"), "4001");
    assert.equal(
      (await session.execute("return document.querySelector('[data-testid=announcer]').textContent")).trim(),
      "4,000 sign-ins found",
      "screen readers hear the new count",
    );
    // and its last row is the user's oldest sign-in.
    await session.execute("const v = document.querySelector('[data-testid=results-viewport]'); v.scrollTop = v.scrollHeight;");
    const lastOfUser = order.findLast((id) => Number(id.slice(-12)) % 50 === 7);
    await session.waitFor(`[data-testid=results-table] tbody tr[aria-rowindex='4001'][data-id='${lastOfUser}']`, () => true, 20000);
  } finally {
    await session.quit();
  }
});

/**
 * Waits until the focused element meets `check` (rows arrive a moment after a key press).
 * @param {Session} session
 * @param {(f: any) => boolean} check
 * @param {string} what
 */
async function waitForFocus(session, check, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await session.focused();
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the focus never reached ${what}; it is on ${JSON.stringify(last)}`);
}
