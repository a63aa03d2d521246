// End-to-end, live: an admin signs in to a tenant with a device code and fetches a user's
// sign-ins from Microsoft Graph, in the built app's real WebKit window. The tenant is the local
// fake (crates/fake-entra), started here on loopback and serving the command line's demo data,
// so the results can be checked against what the command line finds in the same file.
// Screenshots go to target/e2e-screenshots/live-*.png.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { tmpdir } from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { startDriver, Session } from "./webdriver.mjs";
import { audit } from "./axe.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const app = process.env.SIGNIN_DOCTOR_APP ?? join(root, "target/debug/signin-doctor-app");
const cli = process.env.SIGNIN_DOCTOR_CLI ?? join(root, "target/debug/signin-doctor");
const fakeEntra = process.env.FAKE_ENTRA ?? join(root, "target/debug/fake-entra");
const shots = join(root, "target/e2e-screenshots");

// The command line's demo is the seven days up to the end of Friday 20 November 2026 (UTC);
// this window holds all of it.
const FROM = "2026-11-14T00:00";
const TO = "2026-11-21T00:00";
const PROFILE = "Harbor & Pine";

/** @type {{url: string, stop: () => void}} */
let driver;
/** @type {import("node:child_process").ChildProcess | undefined} */
let fake;
/** The fake's base URL: both the sign-in authority and Graph. */
let fakeUrl = "";
/** The demo data the fake serves, as the command line writes it. */
let demo = "";
/** The app's data folder (workspace, profiles, vault) and the file its output goes to. */
let dataDir = "";
let appLog = "";
/** What the fake logs about each request (`--log-requests`): times, path, status, sign-ins. */
const fakeLog = /** @type {string[]} */ ([]);

/**
 * Starts the fake tenant and resolves with its base URL, the first line it prints.
 * @param {string[]} args
 */
async function startFake(args) {
  const child = spawn(fakeEntra, args, { stdio: ["ignore", "pipe", "pipe"] });
  fake = child;
  createInterface({ input: /** @type {import("node:stream").Readable} */ (child.stderr) }).on("line", (line) => {
    if (line.startsWith("fake-entra: 1")) fakeLog.push(line);
    else process.stderr.write(`${line}\n`);
  });
  const lines = createInterface({ input: /** @type {import("node:stream").Readable} */ (child.stdout) });
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error("fake-entra printed no address within 15 s")), 15000);
    lines.once("line", (line) => {
      clearTimeout(timer);
      resolveUrl(line.trim());
    });
    child.once("exit", (code) => reject(new Error(`fake-entra exited early (${code})`)));
  });
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  return url;
}

before(async () => {
  assert.ok(process.env.DISPLAY, "the end-to-end tests need a display; run them through scripts/test.sh");
  mkdirSync(shots, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), "signin-doctor-e2e-live-"));
  demo = join(scratch, "demo.json");
  execFileSync(cli, ["demo", "--out", demo]);
  fakeUrl = await startFake(["--port", "0", "--device-code-polls", "1", "--device-code-interval", "1", "--log-requests", "--data", demo]);
  // A workspace, profiles and vault of this test's own; what the app prints goes to a file.
  dataDir = join(scratch, "data");
  appLog = join(scratch, "app.log");
  driver = await startDriver({ SIGNIN_DOCTOR_DATA_DIR: dataDir }, appLog);
});

after(() => {
  driver?.stop();
  fake?.kill();
});

/** @param {Session} session @param {string} name */
async function shoot(session, name) {
  writeFileSync(join(shots, `${name}.png`), await session.screenshot());
}

/**
 * Types into a field after emptying it.
 * @param {Session} session
 * @param {string} css
 * @param {string} text
 */
async function fill(session, css, text) {
  const field = await session.find(css);
  await field.clear();
  await field.type(text);
}

/**
 * Sets a date-and-time field. WebKitGTK's datetime-local box does not take typed text the same
 * way everywhere, so the value is set as the page would, with the events a person's input fires.
 * @param {Session} session
 * @param {string} name
 * @param {string} value
 */
async function setTime(session, name, value) {
  const set = await session.execute(
    "const box = document.querySelector(`input[name=${arguments[0]}]`); box.value = arguments[1];" +
      "box.dispatchEvent(new Event('input', { bubbles: true })); box.dispatchEvent(new Event('change', { bubbles: true })); return box.value;",
    [name, value],
  );
  assert.equal(set, value, `the ${name} field took ${value}`);
}

test("an admin signs in with a device code and fetches a user's sign-ins live from the tenant", async (t) => {
  const criteria = ["--user", "hugo", "--from", `${FROM}:00Z`, "--to", `${TO}:00Z`];
  const expected = JSON.parse(execFileSync(cli, ["search", demo, "--json", "--limit", "0", ...criteria], { encoding: "utf8" }));
  assert.ok(expected.count > 5, `the demo has sign-ins by hugo: ${expected.count}`);

  // What axe-core finds on the live screens (the other screens are audited in a11y.test.mjs).
  /** @type {string[]} */
  const a11y = [];
  const session = await Session.start(driver.url, app);
  try {
    const chip = await session.waitFor("[data-testid=tenant-chip]", (text) => text === "Sign in to a tenant");
    await chip.click();
    await session.waitFor("#tenant-title", (text) => text === "Sign in to a tenant");
    await shoot(session, "live-01-tenant-empty");

    // A profile for the fake tenant: custom addresses, any work account, device code.
    await fill(session, "[data-testid=tenant-name]", PROFILE);
    await fill(session, "[data-testid=tenant-tenant]", "organizations");
    await (await session.find("[data-testid=tenant-cloud] option[value=custom]")).click();
    await session.waitFor("[data-testid=tenant-authority]");
    await fill(session, "[data-testid=tenant-authority]", fakeUrl);
    await fill(session, "[data-testid=tenant-graph]", fakeUrl);
    await (await session.find("[data-testid=mode-device-code]")).click();
    assert.equal(await session.execute("return document.querySelector('input[name=mode]:checked').value"), "device-code");

    await (await session.find("[data-testid=tenant-sign-in]")).click();
    const code = await session.waitFor("[data-testid=device-code]", (text) => /^[A-Z0-9-]{6,}$/.test(text.trim()));
    await session.execute("window.scrollTo(0, 0)");
    await shoot(session, "live-02-device-code");
    assert.ok((await code.text()).trim().length >= 6);
    assert.equal(await (await session.find("[data-testid=device-url]")).text(), `${fakeUrl}/devicelogin`);
    // The code approves itself soon, so this may see the screen just after it.
    await audit(session, "device code", a11y);

    // The fake approves the code after one poll; the page continues by itself.
    await session.waitFor("[data-testid=tenant-signed-in]", (text) => text.includes(PROFILE), 30000);
    await session.waitFor("[data-testid=tenant-chip]", (text) => text === `${PROFILE} · signed in`);
    const account = await (await session.find("[data-testid=tenant-account]")).text();
    assert.match(account, /@/);
    await session.waitFor("[data-testid=tenant-switcher]");
    // Without an OS keyring (as on most test machines) the screen says sign-ins last this session only.
    if ((await session.findAll("[data-testid=tenant-session-only]")).length > 0) {
      const warning = await (await session.find("[data-testid=tenant-session-only]")).text();
      assert.match(warning, /sign in again each time the app starts/);
    }
    await session.execute("window.scrollTo(0, 0)");
    await shoot(session, "live-03-signed-in");
    await audit(session, "signed in", a11y);

    // Search live: the form starts on the signed-in tenant.
    await (await session.find("[data-testid=tenant-search]")).click();
    await session.waitFor("[data-testid=search-form]");
    assert.equal(await session.execute("return document.querySelector('input[name=source]:checked').value"), "live");
    await session.waitFor("[data-testid=source-live]", (text) => text === `Live from ${PROFILE}`);
    await session.waitFor("[data-testid=search-submit]", (text) => text === "Fetch and search");
    await audit(session, "live search", a11y);
    await fill(session, "[data-testid=search-user]", "hugo");
    await (await session.find("[data-testid=timeMode-range]")).click();
    await setTime(session, "from", FROM);
    await setTime(session, "to", TO);
    // When the first fetched row is drawn, to set beside when the fake sent the page (reported,
    // not asserted: how quick is a benchmark's business, bench/live.sh's for the command line).
    await session.execute(
      "window.__firstRowAt = 0; const seen = new MutationObserver(() => {" +
        " if (document.querySelector('[data-testid=results-table] tbody tr[data-id]')) { window.__firstRowAt = Date.now(); seen.disconnect(); } });" +
        "seen.observe(document.body, { childList: true, subtree: true });",
    );
    // What a screen reader is told while the fetch runs: the results refreshed behind the panel
    // are quiet, only the end's count is said.
    await session.execute(
      "window.__said = []; const region = document.querySelector('[data-testid=announcer]');" +
        "new MutationObserver(() => window.__said.push(region.textContent.trim())).observe(region, { childList: true, characterData: true, subtree: true });",
    );
    await (await session.find("[data-testid=search-submit]")).click();

    const noun = expected.count === 1 ? "sign-in" : "sign-ins";
    await session.waitFor("[data-testid=results-count]", (text) => text === `${expected.count} ${noun} found`, 60000);
    await session.waitFor("[data-testid=toasts]", (text) => text.includes(`from ${PROFILE}.`));
    for (let tries = 0; tries < 100 && (await session.execute("return window.__said.length")) === 0; tries++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(await session.execute("return window.__said"), [`${expected.count} ${noun} found`], "the count is said once, when the fetch ends");
    const firstRowAt = Number(await session.execute("return window.__firstRowAt"));
    // fake-entra: ARRIVED ANSWERED METHOD PATH STATUS [SIGN-INS], times in Unix seconds.
    const page = fakeLog.map((l) => l.split(" ")).filter((f) => f[4]?.endsWith("/auditLogs/signIns") && f[5] === "200").at(-1);
    assert.ok(page && firstRowAt > 0, "the fetched page and its first row on screen were both seen");
    t.diagnostic(`first page on screen ${Math.round(firstRowAt - Number(page[2]) * 1000)} ms after fake-entra sent it (${page[6]} sign-ins)`);
    const rows = await session.findAll("[data-testid=results-table] tbody tr");
    assert.equal(rows.length, expected.count);
    const shown = await session.execute(
      "return [...document.querySelectorAll('[data-testid=results-table] tbody tr')].map((r) => r.getAttribute('data-id'))",
    );
    assert.deepEqual(shown, expected.events.map((/** @type {{id: string}} */ e) => e.id), "the same sign-ins, newest first, as the CLI finds");
    const table = await (await session.find("[data-testid=results-table]")).text();
    assert.ok(table.includes("hugo.visser@harborpine.example"), "the rows are hugo's");
    await session.waitFor("[data-testid=dataset-chip]", (text) => text.startsWith(`${expected.count} ${noun}`));
    await session.execute("window.scrollTo(0, 0)");
    await shoot(session, "live-04-search-results");
    await audit(session, "live results", a11y);

    // The fetch panel while Graph is being asked gently, drawn by the app's own module (the
    // real fetch above is one quick page).
    await session.execute(
      "import('./screens/fetch.js').then((m) => { window.__fetchPanel = m.showFetchProgress(arguments[0], () => { window.__fetchCancelled = true; });" +
        "window.__fetchPanel.update({ pages: 3, events: 2400, waitingSeconds: 8, reason: 'pacing', notice: null });" +
        "window.__fetchPanel.update({ pages: 3, events: 2400, waitingSeconds: null, reason: null, notice: 'Conditional Access details are left out: Policy.Read.All was not granted.' }); })",
      [PROFILE],
    );
    const panel = await session.waitFor("[data-testid=fetch-progress]", (text) => text.includes("2,400 sign-ins so far"));
    assert.match(await panel.text(), /Waiting \d s — keeping under Graph's limit/);
    await shoot(session, "live-05-fetch-progress");
    await (await session.find("[data-action=cancel-fetch]")).click();
    assert.equal(await session.execute("return window.__fetchCancelled === true"), true, "Cancel reaches the fetch");
    await session.execute("window.__fetchPanel.close()");

    // The Tenant screen in the dark theme, signed in.
    await (await session.find("[data-action=toggle-theme]")).click();
    if ((await session.execute("return document.documentElement.dataset.theme")) !== "dark") {
      await (await session.find("[data-action=toggle-theme]")).click();
    }
    await (await session.find("[data-testid=tenant-chip]")).click();
    await session.waitFor("[data-testid=tenant-search]");
    await session.execute("window.scrollTo(0, 0)");
    await shoot(session, "live-06-tenant-dark");
    assert.ok(a11y.length === 0, `accessibility problems:\n\n${a11y.join("\n\n")}`);
  } finally {
    await session.execute("localStorage.removeItem('theme')").catch(() => {});
    await session.quit();
  }
});

/** Every file below `dir`, with its text. @param {string} dir @returns {[string, string][]} */
function filesBelow(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [[path, readFileSync(path, "latin1")]];
  });
}

test("after the session, no token is in the app's data folder or its output", () => {
  // The fake's tokens are recognisable: unsigned JWTs start with this header, and its refresh
  // tokens, codes and device codes carry these markers.
  const markers = [
    Buffer.from('{"typ":"JWT","alg":"none"}').toString("base64url"),
    "-fake-refresh.",
    "-fake-code.",
    "-fake-device.",
  ];
  const files = [...filesBelow(dataDir), [appLog, readFileSync(appLog, "latin1")]];
  assert.ok(files.some(([path]) => path.endsWith("profiles.json")), "the session left its profile");
  for (const [path, text] of files) {
    for (const marker of markers) assert.ok(!text.includes(marker), `${path} holds a token (${marker})`);
  }
});
