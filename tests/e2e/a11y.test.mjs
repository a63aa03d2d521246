// End-to-end accessibility audit: axe-core checks every screen of the built app, in the real
// WebKit webview, in the light and the dark theme, and the test fails on any serious or critical
// violation, listing each readably. A second test doubles the text size (the root font size, as
// a person's larger default text does) and checks that no screen then runs out of the window.
//
// The screens of a live tenant (device code, signed in, live search) are audited in
// live.test.mjs, which has the fake tenant. Screenshots of the doubled text go to target/e2e-screenshots/a11y-*.png.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { startDriver, Session } from "./webdriver.mjs";
import { audit } from "./axe.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const app = process.env.SIGNIN_DOCTOR_APP ?? join(root, "target/debug/signin-doctor-app");
const shots = join(root, "target/e2e-screenshots");

/** @type {{url: string, stop: () => void}} */
let driver;

before(async () => {
  assert.ok(process.env.DISPLAY, "the end-to-end tests need a display; run them through scripts/test.sh");
  mkdirSync(shots, { recursive: true });
  driver = await startDriver({ SIGNIN_DOCTOR_DATA_DIR: mkdtempSync(join(tmpdir(), "signin-doctor-e2e-a11y-")) });
});

after(() => driver?.stop());

/**
 * Calls a function exported by one of the app's own modules (the same instance the app uses).
 * @param {Session} session
 * @param {string} module path under ui/
 * @param {string} body code run with the module as `m`
 */
async function withModule(session, module, body) {
  const result = await session.executeAsync(
    `const done = arguments[arguments.length - 1];
     import(arguments[0]).then((m) => { ${body}; done(null); }, (e) => done(String(e)));`,
    [module],
  );
  assert.equal(result, null, result);
}

/** @param {Session} session @param {string} css */
async function click(session, css) {
  await (await session.waitFor(css)).click();
}

/**
 * Opens a screen or dialog with a click on `open`, waits for `ready`, runs `look`, and leaves
 * with a click on `close`.
 * @param {Session} session
 * @param {{open: string, ready: string, close: string}} where
 * @param {() => Promise<void>} look
 */
async function visit(session, where, look) {
  await click(session, where.open);
  await session.waitFor(where.ready);
  await look();
  await click(session, where.close);
}

const ABOUT = { open: "[data-testid=open-about]", ready: "[data-testid=about-version]", close: "[data-action=close-about]" };
const SETTINGS = {
  open: "[data-testid=open-settings]",
  ready: "[data-testid=settings-dialog] input[name=language]",
  close: "[data-action=close-settings]",
};
const SUMMARY = {
  open: "[data-testid=dataset-chip]",
  ready: "[data-testid=summary-files]",
  close: "[data-testid=summary-dialog] button[value=close]",
};

test("every screen passes axe-core with no serious or critical violation, in the light and the dark theme", async () => {
  /** @type {string[]} */
  const problems = [];
  const session = await Session.start(driver.url, app);
  try {
    await session.waitFor("[data-testid=open-demo]");
    await audit(session, "start", problems);

    await visit(session, ABOUT, () => audit(session, "about", problems));
    await visit(session, SETTINGS, () => audit(session, "settings", problems));

    await click(session, "[data-testid=start-tenant]");
    await session.waitFor("#tenant-name");
    await audit(session, "tenant, new profile", problems);
    await (await session.find("#tenant-name")).type("Contoso");
    await (await session.find("#tenant-tenant")).type("contoso.onmicrosoft.com");
    await click(session, "[data-testid=tenant-save]");
    await session.waitFor("[data-testid=tenant-switcher]");
    await audit(session, "tenant, saved profile", problems);
    // A sign-in that fails (no Azure CLI here, or one not signed in) shows its error.
    await click(session, "[data-testid=mode-az-cli]");
    await click(session, "[data-testid=tenant-sign-in]");
    await session.waitFor("[data-testid=tenant-error]", () => true, 30000);
    await audit(session, "tenant, sign-in failed", problems);
    await click(session, "#screen-tenant [data-action=back]");

    await click(session, "[data-testid=open-explain]");
    await (await session.waitFor("[data-testid=explain-text]")).type("AADSTS50126\nRequest Id: 0c1a9f53-7d1e-4f0a-9c3e-4b6d2e8f1a22");
    await click(session, "[data-testid=explain-submit]");
    await session.waitFor("[data-testid=explain-entry]");
    await audit(session, "error lookup", problems);
    await click(session, "#screen-explain [data-action=back]");

    await click(session, "[data-testid=open-demo]");
    const all = await (await session.waitFor("[data-testid=results-count]", (t) => t.endsWith("sign-ins found"))).text();
    await session.waitFor("[data-testid=toasts] .toast");
    await audit(session, "results, with the opening message", problems);

    await (await session.find("[data-testid=search-user]")).type("hugo");
    await click(session, "[data-testid=status-failure]");
    await session.waitFor("[data-testid=results-count]", (t) => t !== all && t.endsWith("found"));
    await audit(session, "search results", problems);

    await click(session, "[data-testid=results-table] tbody tr td");
    await session.waitFor("[data-testid=diagnosis-headline]");
    await audit(session, "detail and diagnosis", problems);
    for (const tab of ["location", "device", "authentication", "conditionalAccess", "additional", "raw"]) {
      await click(session, `[data-tab=${tab}]`);
      await session.waitFor(`[data-testid=panel-${tab}]`);
      await audit(session, `detail, ${tab} tab`, problems);
    }
    await click(session, "#screen-detail [data-action=back]");

    await (await session.waitFor("[data-testid=search-user]")).clear();
    await (await session.find("[data-testid=search-user]")).type("nobody-at-all");
    await click(session, "[data-testid=search-submit]");
    await session.waitFor("[data-testid=results] .empty");
    await audit(session, "no results", problems);

    await visit(session, SUMMARY, () => audit(session, "workspace summary", problems));

    await withModule(
      session,
      "./screens/imports.js",
      "window.__panel = m.showProgress(() => {}); window.__panel.update({ file: 'export.json', bytesRead: 42, bytesTotal: 100, records: 1234, recordsPerSecond: 5678 })",
    );
    await session.waitFor("[data-testid=import-progress]", (t) => t.includes("42%"));
    await audit(session, "import progress", problems);
    await session.execute("window.__panel.close()");

    await withModule(
      session,
      "./screens/fetch.js",
      "window.__panel = m.showFetchProgress('Contoso', () => {}); window.__panel.update({ pages: 3, events: 2400, waitingSeconds: 4, reason: 'throttled', notice: null }); window.__panel.update({ notice: 'Graph keeps sign-ins for 30 days.' })",
    );
    await session.waitFor("[data-testid=fetch-progress]");
    await audit(session, "fetch progress", problems);
    await session.execute("window.__panel.close()");

    await withModule(session, "./screens/toast.js", "m.toast('The file could not be read.', 'error'); m.toast('Two records were skipped.', 'warning')");
    await session.waitFor("[data-testid=toasts] .toast-error");
    await audit(session, "error and warning messages", problems);

    await click(session, "[data-action=clear-workspace]");
    await session.waitFor("[data-action=confirm]");
    await audit(session, "confirm clearing the workspace", problems);
    await click(session, "[data-testid=summary-dialog] button[value=no]");
  } finally {
    await session.quit();
  }
  assert.ok(problems.length === 0, `accessibility problems:\n\n${problems.join("\n\n")}`);
});

/**
 * What sticks out of the window sideways at the current text size: the page itself, or any
 * control, heading or paragraph (tables and the raw record scroll on their own, by design).
 * @param {Session} session
 * @returns {Promise<string[]>}
 */
async function overflow(session) {
  return session.execute(`
    const width = document.documentElement.clientWidth;
    const found = [];
    if (document.documentElement.scrollWidth > width + 1) {
      found.push("the page is " + document.documentElement.scrollWidth + " px wide in a " + width + " px window");
    }
    for (const el of document.querySelectorAll("button, input, select, textarea, a[href], h1, h2, h3, label, p, dd, li")) {
      if (el.getClientRects().length === 0 || el.closest(".table-wrap, .raw, .sr-only, .skip-link")) continue;
      const r = el.getBoundingClientRect();
      if (r.left < -1 || r.right > width + 1) {
        const name = el.tagName.toLowerCase() + (el.dataset.testid ? "[data-testid=" + el.dataset.testid + "]" : el.className ? "." + String(el.className).split(" ")[0] : "");
        found.push(name + " spans " + Math.round(r.left) + " to " + Math.round(r.right) + " px of " + width + ": " + JSON.stringify((el.textContent || "").trim().slice(0, 60)));
      }
    }
    return found;`);
}

// Dutch words are longer; both languages must fit.
for (const lang of ["en", "nl"]) test(`with the text twice as large, every screen still fits the window (${lang})`, async () => {
  /** @type {string[]} */
  const problems = [];
  const session = await Session.start(driver.url, app, ["--demo"]);
  /** @param {string} name */
  const check = async (name) => {
    for (const p of await overflow(session)) problems.push(`[${name}] ${p}`);
    writeFileSync(join(shots, `a11y-text-200-${lang}-${name.replaceAll(" ", "-")}.png`), await session.screenshot());
  };
  try {
    await session.waitFor("[data-testid=results-table]");
    if (lang !== "en") {
      await visit(session, SETTINGS, () => click(session, `[data-testid=language-${lang}]`));
      assert.equal(await session.execute("return document.documentElement.lang"), lang);
    }
    // A person's larger default text size: the root font size, which every size in the
    // stylesheet is relative to.
    const normal = await session.execute("return getComputedStyle(document.body).fontSize");
    await session.execute("document.documentElement.style.fontSize = '200%'");
    const large = await session.execute("return getComputedStyle(document.body).fontSize");
    assert.equal(parseFloat(large), 2 * parseFloat(normal), `the text doubles (${normal} → ${large})`);

    await check("results");
    await (await session.find("[data-testid=search-user]")).type("hugo");
    await click(session, "[data-testid=status-failure]");
    // Typing searches as well: open a row of the table of Hugo's failures, not one drawn before.
    await session.executeAsync(`const done = arguments[arguments.length - 1];
      const ready = () => { const rows = [...document.querySelectorAll('[data-testid=results-table] tbody tr')];
        return rows.length > 0 && rows.every((r) => r.dataset.status === 'failure' && /hugo/i.test(r.getAttribute('aria-label') ?? '')); };
      const poll = () => (ready() ? done(true) : setTimeout(poll, 100));
      poll();`);
    await click(session, "[data-testid=results-table] tbody tr td");
    await session.waitFor("[data-testid=diagnosis-headline]");
    await check("detail");
    await click(session, "[data-tab=conditionalAccess]");
    await check("detail conditional access");
    await click(session, "#screen-detail [data-action=back]");

    await click(session, "[data-testid=open-explain]");
    await (await session.waitFor("[data-testid=explain-text]")).type("AADSTS50053");
    await click(session, "[data-testid=explain-submit]");
    await session.waitFor("[data-testid=explain-entry]");
    await check("error lookup");
    await click(session, "#screen-explain [data-action=back]");

    await visit(session, { open: "[data-testid=tenant-chip]", ready: "#tenant-name", close: "#screen-tenant [data-action=back]" }, () =>
      check("tenant"),
    );
    await visit(session, ABOUT, () => check("about"));
    await visit(session, SETTINGS, () => check("settings"));
    await visit(session, SUMMARY, () => check("workspace summary"));

    await click(session, "[data-action=clear-workspace]");
    await click(session, "[data-action=confirm]");
    await session.waitFor("[data-testid=open-demo]");
    await check("start");
  } finally {
    await session.execute("localStorage.removeItem('language')").catch(() => {});
    await session.quit();
  }
  assert.ok(problems.length === 0, `content runs out of the window at 200% text:\n${problems.join("\n")}`);
});
