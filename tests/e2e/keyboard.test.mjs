// End-to-end, keyboard only: an admin who does not use a mouse opens the demo, fills in the
// search wizard, opens a failed sign-in and reads its diagnosis, with nothing but key presses
// (WebDriver actions) in the built app's real window. Also: Tab goes round a screen and comes
// back (no trap), the results are one Tab stop, and dialogs close with Escape and give the focus
// back.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { startDriver, Session, KEYS } from "./webdriver.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const app = process.env.SIGNIN_DOCTOR_APP ?? join(root, "target/debug/signin-doctor-app");
const shots = join(root, "target/e2e-screenshots");

/** @type {{url: string, stop: () => void}} */
let driver;

before(async () => {
  assert.ok(process.env.DISPLAY, "the end-to-end tests need a display; run them through scripts/test.sh");
  mkdirSync(shots, { recursive: true });
  driver = await startDriver({ SIGNIN_DOCTOR_DATA_DIR: mkdtempSync(join(tmpdir(), "signin-doctor-e2e-keyboard-")) });
});

after(() => driver?.stop());

/**
 * Presses Tab until the focus is on what `wanted` accepts; fails, listing the stops passed,
 * when it is not reached within `most` presses.
 * @param {Session} session
 * @param {(focused: any) => boolean} wanted
 * @param {string} what
 */
async function tabTo(session, wanted, what, most = 40) {
  const passed = [];
  for (let i = 0; i < most; i++) {
    await session.press(KEYS.Tab);
    const focused = await session.focused();
    if (wanted(focused)) return focused;
    passed.push(focused.testid || focused.id || focused.action || focused.label || focused.text || focused.tag);
  }
  assert.fail(`Tab did not reach ${what} in ${most} presses; it passed: ${passed.join(" → ")}`);
}

/**
 * Waits until the focus is on what `wanted` accepts.
 * @param {Session} session
 * @param {(focused: any) => boolean} wanted
 * @param {string} what
 */
async function focusOn(session, wanted, what) {
  let focused;
  for (let i = 0; i < 50; i++) {
    focused = await session.focused();
    if (wanted(focused)) return focused;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`the focus should be on ${what}, it is on ${JSON.stringify(focused)}`);
}

test("with the keyboard alone, an admin opens the demo, searches a user's failed sign-ins and reads the diagnosis", async () => {
  const session = await Session.start(driver.url, app);
  try {
    await session.waitFor("[data-testid=open-demo]");
    await focusOn(session, (f) => f.testid === "open-files", "Open files, the start screen's first action");
    await session.press(KEYS.Tab);
    await focusOn(session, (f) => f.testid === "open-demo", "Try with sample data, next in line");
    await session.press(KEYS.Enter);
    const all = await (await session.waitFor("[data-testid=results-count]", (t) => t.endsWith("found"))).text();

    // Step 1: the search wizard, field by field.
    await tabTo(session, (f) => f.id === "search-user", "the User field");
    await session.press(..."hugo");
    await session.press(KEYS.Enter);
    const hugo = await (await session.waitFor("[data-testid=results-count]", (t) => t !== all && t.endsWith("found"))).text();
    // The status choice is one stop; the arrow keys change it, and the results follow.
    const status = await tabTo(session, (f) => f.name === "status", "the Status choice");
    assert.equal(status.value, "any");
    await session.press(KEYS.ArrowRight);
    await focusOn(session, (f) => f.name === "status" && f.value === "failure", "the Failure choice");
    await session.waitFor("[data-testid=results-count]", (t) => t !== hugo && t.endsWith("found"));
    const statuses = await session.execute(
      "return [...document.querySelectorAll('[data-testid=results-table] tbody tr')].map((r) => r.dataset.status)",
    );
    assert.ok(statuses.length > 0 && statuses.every((s) => s === "failure"), `only failures are listed: ${statuses}`);
    // Screen readers hear the count the screen shows.
    assert.equal((await session.execute("return document.querySelector('[data-testid=announcer]').textContent")).trim(), await (await session.find("[data-testid=results-count]")).text());

    // Step 2: past Search and Clear, the results are one stop; the arrows move along them.
    const first = await tabTo(session, (f) => f.tag === "tr", "the first result");
    assert.match(first.label, /^Failure: sign-in by hugo/i, "a row says what it is");
    await session.press(KEYS.ArrowDown);
    const second = await focusOn(session, (f) => f.tag === "tr" && f.dataId !== first.dataId, "the second result");
    await session.press(KEYS.ArrowUp);
    await focusOn(session, (f) => f.dataId === first.dataId, "the first result again");
    assert.notEqual(second.dataId, first.dataId);
    writeFileSync(join(shots, "keyboard-01-results.png"), await session.screenshot());

    // Step 3: Enter opens it; the diagnosis is there, and its sections are tabs.
    await session.press(KEYS.Enter);
    await session.waitFor("[data-testid=detail-request-id]", (t) => t === first.dataId);
    await session.waitFor("[data-testid=diagnosis-headline]", (t) => t.length > 10);
    await focusOn(session, (f) => f.action === "back", "Back to the results");
    const tab = await tabTo(session, (f) => f.role === "tab", "the first section tab");
    assert.equal(tab.tab, "basic");
    await session.press(KEYS.ArrowRight);
    await focusOn(session, (f) => f.tab === "location", "the Location tab");
    await session.waitFor("[data-testid=panel-location]");
    writeFileSync(join(shots, "keyboard-02-detail.png"), await session.screenshot());

    // Escape goes back to the results, to the row that was opened.
    await session.press(KEYS.Escape);
    await session.waitFor("[data-testid=results-table]");
    await focusOn(session, (f) => f.tag === "tr" && f.dataId === first.dataId, "the row that was opened");
  } finally {
    await session.quit();
  }
});

test("Tab goes round a screen and back without a trap, and dialogs close with Escape and give the focus back", async () => {
  const session = await Session.start(driver.url, app, ["--demo"]);
  try {
    await session.waitFor("[data-testid=results-table]");
    // Round the results screen: from the skip link, every stop once (the table is one), and back.
    const skip = await tabTo(session, (f) => f.tag === "a" && f.testid === "", "the skip link");
    const stops = [];
    for (let i = 0; i < 60; i++) {
      await session.press(KEYS.Tab);
      const f = await session.focused();
      if (f.tag === "a" && f.text === skip.text) break;
      stops.push(f);
    }
    assert.ok(stops.length < 60, "Tab comes back round to the skip link");
    assert.equal(stops.filter((f) => f.tag === "tr").length, 1, "the results table is one Tab stop");
    assert.ok(stops.some((f) => f.testid === "search-submit") && stops.some((f) => f.testid === "open-about"), "search and top bar are reachable");

    // The skip link leads past the top bar into the screen.
    await session.press(KEYS.Enter);
    await session.press(KEYS.Tab);
    const inside = await session.focused();
    assert.ok(await session.execute("return document.querySelector('main').contains(document.activeElement)"), `after the skip link, Tab is in the screen: ${JSON.stringify(inside)}`);

    // About opens with Enter, closes with Escape, and the focus is back on its button.
    await tabTo(session, (f) => f.testid === "open-about", "the About button");
    await session.press(KEYS.Enter);
    await session.waitFor("[data-testid=about-version]");
    assert.ok(await session.execute("return document.querySelector('[data-testid=about-dialog]').contains(document.activeElement)"), "the focus moved into the dialog");
    await session.press(KEYS.Escape);
    await focusOn(session, (f) => f.testid === "open-about", "the About button again");
    assert.equal(await session.execute("return document.querySelector('[data-testid=about-dialog]').open"), false);

    // The workspace summary, the same.
    await tabTo(session, (f) => f.testid === "dataset-chip", "the workspace button");
    await session.press(KEYS.Enter);
    await session.waitFor("[data-testid=summary-files]");
    await session.press(KEYS.Escape);
    await focusOn(session, (f) => f.testid === "dataset-chip", "the workspace button again");

    // The error lookup: Escape leaves it for the screen it came from.
    await tabTo(session, (f) => f.testid === "open-explain", "Explain an error");
    await session.press(KEYS.Enter);
    await focusOn(session, (f) => f.testid === "explain-text", "the lookup's text box");
    await session.press(..."AADSTS50126");
    await session.press(KEYS.Tab);
    await focusOn(session, (f) => f.testid === "explain-submit", "Explain");
    await session.press(KEYS.Enter);
    await session.waitFor("[data-testid=explain-entry]", (t) => t.includes("AADSTS50126"));
    await session.press(KEYS.Escape);
    await session.waitFor("[data-testid=results-table]");

    // A progress panel (the app's own, as an import shows it) holds the keyboard: Tab never
    // reaches the page behind it, and Escape presses its Cancel.
    const opened = await session.executeAsync(
      `const done = arguments[arguments.length - 1];
       import("./screens/imports.js").then((m) => { window.__panel = m.showProgress(() => { window.__cancelled = true; }); done(null); }, (e) => done(String(e)));`,
    );
    assert.equal(opened, null, opened);
    await focusOn(session, (f) => f.action === "cancel-import", "the panel's Cancel");
    for (let i = 0; i < 3; i++) {
      await session.press(KEYS.Tab);
      assert.equal(await session.execute("return document.querySelector('body > header').contains(document.activeElement) || document.querySelector('main').contains(document.activeElement)"), false, "Tab stays off the page behind the panel");
    }
    await session.press(KEYS.Escape);
    assert.equal(await session.execute("return window.__cancelled === true"), true, "Escape cancels the import");
    await session.execute("window.__panel.close()");
    assert.equal(await session.execute("return document.querySelector('main').inert"), false, "the page is usable again");
  } finally {
    await session.quit();
  }
});
