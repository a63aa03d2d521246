// End-to-end: the built app in the real WebKit webview, driven through tauri-driver and
// WebKitWebDriver. Needs a display (the test script starts Xvfb) and `tauri-driver` on PATH.
// Screenshots of every screen go to target/e2e-screenshots/.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { startDriver, Session } from "./webdriver.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const app = process.env.SIGNIN_DOCTOR_APP ?? join(root, "target/debug/signin-doctor-app");
const cli = process.env.SIGNIN_DOCTOR_CLI ?? join(root, "target/debug/signin-doctor");
const shots = join(root, "target/e2e-screenshots");
const fixture = (path) => join(root, "tests/fixtures", path);

/** @type {{url: string, stop: () => void}} */
let driver;

before(async () => {
  assert.ok(process.env.DISPLAY, "the end-to-end tests need a display; run them through scripts/test.sh");
  mkdirSync(shots, { recursive: true });
  // Each run starts with an empty workspace of its own.
  const data = mkdtempSync(join(tmpdir(), "signin-doctor-e2e-data-"));
  driver = await startDriver({ SIGNIN_DOCTOR_DATA_DIR: data });
});

/**
 * Runs an async script in the page and returns what it resolves to.
 * @param {Session} session
 * @param {string} body code that evaluates to a promise; `arguments[0]` is `arg`
 * @param {unknown} [arg]
 */
async function evaluate(session, body, arg) {
  await session.execute(
    `window.__done = undefined; Promise.resolve((function () { return ${body}; }).apply(null, arguments)).then((v) => { window.__done = { ok: v }; }, (e) => { window.__done = { error: String(e) }; });`,
    [arg],
  );
  for (let i = 0; i < 100; i++) {
    const done = await session.execute("return window.__done ?? null");
    if (done) return done;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the page did not answer");
}

after(() => driver?.stop());

/** @param {Session} session @param {string} name */
async function shoot(session, name) {
  writeFileSync(join(shots, `${name}.png`), await session.screenshot());
}

/** What the command line says about the demo data, to check the window against. */
function expectedFromCli() {
  const dir = mkdtempSync(join(tmpdir(), "signin-doctor-e2e-"));
  const demo = join(dir, "demo.json");
  execFileSync(cli, ["demo", "--out", demo]);
  const search = (args) => JSON.parse(execFileSync(cli, ["search", demo, "--json", ...args], { encoding: "utf8" }));
  const hugo = search(["--user", "hugo", "--status", "failure"]);
  const diagnosis = JSON.parse(
    execFileSync(cli, ["diagnose", demo, "--request-id", hugo.events[0].id, "--json"], { encoding: "utf8" }),
  )[0];
  return { all: search([]), hugo, diagnosis };
}

test("a newcomer opens the demo, finds a user's failed sign-in and reads its code and correlation ID", async () => {
  const expected = expectedFromCli();
  const first = expected.hugo.events[0];
  const session = await Session.start(driver.url, app);
  try {
    await session.waitFor("[data-testid=open-demo]", (text) => text === "Try with sample data");
    await shoot(session, "01-start");

    await (await session.find("[data-testid=open-demo]")).click();
    await session.waitFor("[data-testid=results-count]", (text) => text === `${expected.all.count} sign-ins found`);
    await session.waitFor("[data-testid=dataset-chip]", (text) => text.startsWith(`${expected.all.count} sign-ins`));
    await shoot(session, "02-results");

    await (await session.find("[data-testid=search-user]")).type("hugo");
    await (await session.find("[data-testid=status-failure]")).click();
    await session.waitFor("[data-testid=results-count]", (text) => text === `${expected.hugo.count} sign-ins found`);
    const rows = await session.findAll("[data-testid=results-table] tbody tr");
    assert.equal(rows.length, expected.hugo.count);
    assert.equal(await rows[0].attribute("data-id"), first.id, "newest first, as the CLI says");
    await shoot(session, "03-search-by-user");

    await (await session.find("[data-testid=results-table] tbody tr td")).click();
    await session.waitFor("[data-testid=detail-error-code]", (text) => text === `AADSTS${first.errorCode}`);
    const correlation = await session.waitFor("[data-testid=detail-correlation-id]");
    assert.equal(await correlation.text(), first.correlationId);
    assert.equal(await (await session.find("[data-testid=detail-request-id]")).text(), first.id);
    assert.equal(await (await session.find("[data-testid=detail-status]")).text(), "Failure");
    // The diagnosis is the one the command line gives.
    assert.equal(await (await session.find("[data-testid=diagnosis-scenario]")).text(), expected.diagnosis.scenario);
    assert.equal(await (await session.find("[data-testid=diagnosis-headline]")).text(), expected.diagnosis.headline);
    const adminSteps = await (await session.find("[data-testid=actions-admin]")).text();
    assert.ok(adminSteps.length > 20, adminSteps);
    const patterns = await (await session.find("[data-testid=patterns]")).text();
    assert.ok(patterns.includes("old saved password"), patterns);
    await shoot(session, "04-detail-diagnosis");
    await session.execute("document.querySelector('[data-testid=diagnosis]').scrollIntoView(false); window.scrollBy(0, 400)");
    await shoot(session, "04-detail-basic");
    await session.execute("window.scrollTo(0, 0)");

    for (const [tab, name] of [["authentication", "05-detail-authentication"], ["conditionalAccess", "06-detail-conditional-access"], ["raw", "07-detail-raw"]]) {
      await (await session.find(`[data-tab=${tab}]`)).click();
      await session.waitFor(`[data-testid=panel-${tab}]`);
      await shoot(session, name);
    }
    const raw = await (await session.find("[data-testid=raw-json]")).text();
    assert.ok(raw.includes(`"correlationId": "${first.correlationId}"`), "the raw record is the file's own text");

    await (await session.find("[data-action=back]")).click();
    await session.waitFor("[data-testid=results-count]", (text) => text === `${expected.hugo.count} sign-ins found`);

    // The error lookup: paste an error page's text, read the code, find the sign-in.
    await (await session.find("[data-testid=open-explain]")).click();
    const box = await session.waitFor("[data-testid=explain-text]");
    await box.type(`AADSTS50053: Your account is locked.\nRequest Id: ${first.id}\nCorrelation Id: ${first.correlationId}\nTimestamp: ${first.createdDateTime}`);
    await (await session.find("[data-testid=explain-submit]")).click();
    const entry = await session.waitFor("[data-testid=explain-entry]", (t) => t.includes("AADSTS50053"));
    assert.match(await entry.text(), /IdsLocked/);
    await shoot(session, "12-explain");
    await (await session.find("[data-testid=explain-find]")).click();
    await session.waitFor("[data-testid=results-count]", (text) => text === "1 sign-in found");

    await (await session.find("[data-action=clear-workspace]")).click();
    await shoot(session, "08-confirm-clear");
    await (await session.waitFor("[data-action=confirm]")).click();
    await session.waitFor("[data-testid=open-demo]");
  } finally {
    await session.quit();
  }
});

test("values from a log are shown as text, never run, and only granted commands can be called", async () => {
  const session = await Session.start(driver.url, app, [fixture("json/hostile-values.json")]);
  try {
    const row = await session.waitFor("[data-testid=results-table] tbody tr");
    const text = await row.text();
    assert.ok(text.includes('<img src=x onerror="window.__pwned=1">'), text);
    assert.ok(text.includes("<script>window.__pwned=2</script>Payroll"), text);
    assert.equal((await session.findAll("[data-testid=results-table] img, [data-testid=results-table] script")).length, 0);
    await (await session.find("[data-testid=results-table] tbody tr td")).click();
    await session.waitFor("[data-testid=detail-error-code]", (t) => t === "AADSTS50126");
    assert.equal(await session.execute("return window.__pwned === undefined"), true, "no injected script ran");
    await shoot(session, "08-hostile-values");

    // open_files is granted, reports progress on its channel, and reports a file it cannot
    // read with a code the UI can branch on.
    const opened = await evaluate(
      session,
      "(() => { const channel = new window.__TAURI__.core.Channel(); window.__progress = []; channel.onmessage = (m) => window.__progress.push(m); return window.__TAURI__.core.invoke('open_files', { paths: arguments[0], onProgress: channel }); })()",
      [fixture("samples/SOURCES.md"), fixture("samples/log-analytics/sign-in_adelete.csv")],
    );
    assert.equal(opened.ok?.files?.[0]?.error?.code, "unsupported_format", JSON.stringify(opened));
    assert.equal(opened.ok.files[1].added, 56);
    const progress = await session.execute("return window.__progress");
    assert.ok(progress.some((p) => p.file === "sign-in_adelete.csv" && p.bytesTotal > 0), JSON.stringify(progress));

    // The workspace summary lists what was opened and what was not.
    await (await session.find("[data-testid=dataset-chip]")).click();
    const files = await session.waitFor("[data-testid=summary-files]", (t) => t.includes("SOURCES.md"));
    const listed = await files.text();
    assert.ok(listed.includes("hostile-values.json") && listed.includes("Not opened"), listed);
    await shoot(session, "10-workspace-summary");

    // The import progress panel, rendered by the app's own module in the real webview.
    await (await session.find("[data-testid=summary-dialog] button[value=close]")).click();
    await evaluate(
      session,
      "import('./screens/imports.js').then((m) => { window.__progressPanel = m.showProgress(() => { window.__cancelled = true; }); window.__progressPanel.update({ file: 'InteractiveSignIns_2026-11-19_2026-11-20.csv', bytesRead: 42, bytesTotal: 100, records: 12345, recordsPerSecond: 67890 }); })",
    );
    const panel = await session.waitFor("[data-testid=import-progress]", (t) => t.includes("42%"));
    assert.match(await panel.text(), /42% · 12,345 sign-ins · 67,890 per second/);
    await shoot(session, "11-import-progress");
    await (await session.find("[data-action=cancel-import]")).click();
    assert.equal(await session.execute("return window.__cancelled === true"), true, "Cancel reaches the import");
    await session.execute("window.__progressPanel.close()");

    // A plugin command the capability does not grant is refused by the app.
    const denied = await evaluate(session, "window.__TAURI__.core.invoke('plugin:dialog|open', {options: {}})");
    assert.ok(denied.error, "the call must fail");
    assert.match(denied.error, /not allowed/i);
  } finally {
    await session.quit();
  }
});

test("started with --demo, the app opens on the results, and they are still there next time", async () => {
  const session = await Session.start(driver.url, app, ["--demo"]);
  let count = "";
  try {
    count = await (await session.waitFor("[data-testid=results-count]", (text) => text.endsWith("sign-ins found"))).text();
    const before = await session.execute("return document.documentElement.dataset.theme");
    assert.ok(before === "dark" || before === "light", `theme follows the system: ${before}`);
    const toggle = await session.find("[data-action=toggle-theme]");
    const pressed = () => session.execute("return document.querySelector('[data-action=toggle-theme]').getAttribute('aria-pressed')");
    assert.equal(await pressed(), String(before === "dark"), "the toggle says whether the dark theme is on");
    await toggle.click();
    const after = await session.execute("return document.documentElement.dataset.theme");
    assert.equal(after, before === "dark" ? "light" : "dark");
    assert.equal(await pressed(), String(after === "dark"));
    if (after !== "dark") await toggle.click();
    assert.equal(await pressed(), "true");
    assert.equal(await session.execute("return localStorage.getItem('theme')"), "dark", "the choice is remembered");
    await shoot(session, "09-results-dark");
  } finally {
    await session.execute("localStorage.removeItem('theme')").catch(() => {});
    await session.quit();
  }
  const again = await Session.start(driver.url, app);
  try {
    await again.waitFor("[data-testid=results-count]", (text) => text === count);
  } finally {
    await again.quit();
  }
});
