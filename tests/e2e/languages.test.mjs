// End-to-end: the window in English and Dutch. A Dutch-speaking admin switches the language in
// Settings and finds a failed sign-in in the demo data with the keyboard alone; the choice
// survives a restart; switching back keeps the screen (the same sign-in, the same tab) and asks
// the Rust side for its texts again. Times show the computer's local time (the app runs with
// TZ=Europe/Amsterdam here) with UTC beside it. Screenshots of each screen in both languages go
// to target/e2e-screenshots/lang-<en|nl>-*.png. Run through scripts/test.sh.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { startDriver, Session, KEYS } from "./webdriver.mjs";
import { pickLanguage, setLanguage } from "../../ui/lib/i18n.js";
import { formatTime } from "../../ui/lib/format.js";
import nl from "../../ui/i18n/nl.js";
import en from "../../ui/i18n/en.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const app = process.env.SIGNIN_DOCTOR_APP ?? join(root, "target/debug/signin-doctor-app");
const cli = process.env.SIGNIN_DOCTOR_CLI ?? join(root, "target/debug/signin-doctor");
const shots = join(root, "target/e2e-screenshots");
const zone = "Europe/Amsterdam";

/** @type {{url: string, stop: () => void}} */
let driver;

before(async () => {
  assert.ok(process.env.DISPLAY, "the end-to-end tests need a display; run them through scripts/test.sh");
  mkdirSync(shots, { recursive: true });
  driver = await startDriver({ SIGNIN_DOCTOR_DATA_DIR: mkdtempSync(join(tmpdir(), "signin-doctor-e2e-lang-")), TZ: zone });
});

after(() => driver?.stop());

/** @param {Session} session @param {string} name */
async function shoot(session, name) {
  // Two frames drawn first, so a dialog just closed is no longer shaded in the picture.
  await session.executeAsync("const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()))");
  writeFileSync(join(shots, `lang-${name}.png`), await session.screenshot());
}

/**
 * What the command line says about the demo data: the counts, Hugo's newest failed sign-in and
 * its diagnosis in each language, and AADSTS50126 explained in each language.
 */
function expectedFromCli() {
  const dir = mkdtempSync(join(tmpdir(), "signin-doctor-e2e-lang-"));
  const demo = join(dir, "demo.json");
  execFileSync(cli, ["demo", "--out", demo]);
  const search = (args) => JSON.parse(execFileSync(cli, ["search", demo, "--json", ...args], { encoding: "utf8" }));
  const all = search([]);
  const hugo = search(["--user", "hugo", "--status", "failure"]);
  const diagnose = (/** @type {string[]} */ extra) =>
    JSON.parse(execFileSync(cli, ["diagnose", demo, "--request-id", hugo.events[0].id, "--json", ...extra], { encoding: "utf8" }))[0];
  const explain = (/** @type {string} */ lang) =>
    JSON.parse(execFileSync(cli, ["explain", "AADSTS50126", "--json", "--lang", lang], { encoding: "utf8" })).entry;
  return {
    all,
    hugo,
    english: diagnose(["--lang", "en"]),
    dutch: diagnose(["--lang", "nl"]),
    explained: { en: explain("en"), nl: explain("nl") },
  };
}

/**
 * What has the focus, with what a radio button or a table row says about itself.
 * @param {Session} session
 * @returns {Promise<{tag: string, id: string, testid: string, name: string, value: string, rowId: string}>}
 */
async function active(session) {
  return session.execute(
    "const e = document.activeElement; return { tag: e.tagName.toLowerCase(), id: e.id, testid: e.getAttribute('data-testid') ?? '', name: e.getAttribute('name') ?? '', value: e.value ?? '', rowId: e.getAttribute('data-id') ?? '' };",
  );
}

/**
 * Presses Tab (Shift+Tab with `backwards`) until `wanted` has the focus, as someone at the
 * keyboard would.
 * @param {Session} session
 * @param {(f: Awaited<ReturnType<typeof active>>) => boolean} wanted
 * @param {string} what for the failure message
 */
async function tabTo(session, wanted, what, backwards = false) {
  for (let i = 0; i < 60; i++) {
    const f = await active(session);
    if (wanted(f)) return f;
    await session.press(backwards ? [KEYS.Shift, KEYS.Tab] : KEYS.Tab);
  }
  throw new Error(`Tab never reached ${what}`);
}

/** Resolves once `check` holds in the page. @param {Session} session @param {string} script */
async function until(session, script, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await session.execute(`return Boolean(${script})`)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The language the window shows, from `<html lang>`. @param {Session} session */
const htmlLang = (session) => session.execute("return document.documentElement.lang");

/**
 * Picks a language in Settings by pointer, and closes the dialog.
 * @param {Session} session
 * @param {"en" | "nl" | "system"} choice
 * @param {string} expectLang the language the window should then show
 */
async function chooseLanguage(session, choice, expectLang) {
  await (await session.find("[data-testid=open-settings]")).click();
  await (await session.waitFor(`[data-testid=language-${choice}]`)).click();
  await until(session, `document.documentElement.lang === ${JSON.stringify(expectLang)}`, `the window in ${expectLang}`);
  // The dialog draws itself again last, once the screen behind it has been.
  await session.waitFor("#settings-title", (text) => text === (expectLang === "nl" ? nl : en)["settings.title"]);
  await (await session.find("[data-action=close-settings]")).click();
}

/** `n` as Dutch writes it. @param {number} n */
const nlNumber = (n) => n.toLocaleString("nl-NL");

/**
 * The same moment as the window shows it in `lang` (local time here, UTC beside it).
 * @param {string} iso
 * @param {"en" | "nl"} lang
 * @param {string[]} system the webview's languages
 */
function shownTime(iso, lang, system) {
  setLanguage(lang, system);
  try {
    return formatTime(iso, { timeZone: zone });
  } finally {
    setLanguage("en");
  }
}

test("a Dutch-speaking admin switches to Dutch in Settings and finds a failed sign-in with the keyboard alone", async () => {
  const expected = expectedFromCli();
  const first = expected.hugo.events[0];
  const session = await Session.start(driver.url, app);
  try {
    await session.waitFor("[data-testid=open-demo]");
    await session.execute("localStorage.removeItem('language')");
    await session.execute("location.reload()");
    await session.waitFor("[data-testid=open-demo]");
    // With no choice made, the window speaks the system's language.
    const system = await session.execute("return navigator.languages");
    const startLang = pickLanguage(null, system);
    assert.equal(await htmlLang(session), startLang);
    await session.waitFor("[data-testid=open-demo]", (text) => text === (startLang === "nl" ? nl : en)["start.tryDemo"]);
    await shoot(session, `${startLang}-01-start`);

    // Settings, from the keyboard: Tab to the button, Enter, arrow keys through the languages.
    await tabTo(session, (f) => f.testid === "open-settings", "the Settings button", true);
    await session.press(KEYS.Enter);
    await session.waitFor("[data-testid=settings-dialog]", (text) => text.includes("Nederlands") && text.includes("English"));
    await shoot(session, `${startLang}-08-settings`);
    for (let i = 0; i < 4 && (await htmlLang(session)) !== "nl"; i++) {
      await session.press(KEYS.ArrowDown);
      await new Promise((r) => setTimeout(r, 300));
    }
    await until(session, "document.documentElement.lang === 'nl'", "the window in Dutch");
    await session.waitFor("#settings-title", (text) => text === "Instellingen");
    assert.equal(await session.execute("return localStorage.getItem('language')"), "nl", "the choice is kept");
    await shoot(session, "nl-08-settings");
    await session.press(KEYS.Escape);
    assert.equal((await active(session)).testid, "open-settings", "closing Settings gives the focus back to its button");

    // The start screen, in Dutch; Tab to the demo and open it.
    await session.waitFor("#start-title", (text) => text === "Waarom lukt het aanmelden niet?");
    assert.equal(await (await session.find("[data-testid=open-settings]")).attribute("aria-label"), "Instellingen");
    await shoot(session, "nl-01-start");
    await tabTo(session, (f) => f.testid === "open-demo", "the demo button");
    await session.press(KEYS.Enter);
    await session.waitFor("[data-testid=results-count]", (text) => text === `${nlNumber(expected.all.count)} aanmeldingen gevonden`, 20000);
    await session.waitFor("[data-testid=dataset-chip]", (text) => text === `${nlNumber(expected.all.count)} aanmeldingen · 1 bestand`);
    await session.waitFor("#search-title", (text) => text === "Aanmelding zoeken");
    await shoot(session, "nl-02-results");

    // "/" jumps to the user; type the name, Tab to the status and pick "Mislukt" with an arrow.
    await session.press("/");
    assert.equal((await active(session)).id, "search-user");
    await session.press(..."hugo");
    await tabTo(session, (f) => f.name === "status", "the status choice");
    await session.press(KEYS.ArrowRight);
    assert.equal(await session.execute("return document.querySelector('input[name=status]:checked').value"), "failure");
    const found = expected.hugo.count === 1 ? "1 aanmelding gevonden" : `${nlNumber(expected.hugo.count)} aanmeldingen gevonden`;
    await session.waitFor("[data-testid=results-count]", (text) => text === found);
    const firstCell = await session.find("[data-testid=results-table] tbody tr td");
    assert.equal(await firstCell.attribute("title"), shownTime(first.createdDateTime, "nl", system), "local time with UTC beside it");
    assert.match(await firstCell.text(), /^\d\d-\d\d-\d{4} \d\d:\d\d:\d\d\n?\s*\d\d:\d\d:\d\d UTC$/);
    await shoot(session, "nl-03-search-failed");

    // Tab to the newest row and open it with Enter.
    const row = await tabTo(session, (f) => f.tag === "tr", "the results");
    assert.equal(row.rowId, first.id, "newest first, as the command line says");
    await session.press(KEYS.Enter);
    await session.waitFor("[data-testid=detail-status]", (text) => text === "Mislukt");
    await session.waitFor("[data-testid=detail-error-code]", (text) => text === `AADSTS${first.errorCode}`);
    assert.equal(await (await session.find("[data-testid=detail-request-id]")).text(), first.id);
    const facts = await session.execute("return document.querySelector('.detail-head .facts').textContent");
    assert.ok(facts.includes("Aanvraag-id") && facts.includes("Correlatie-id") && facts.includes("Gebruiker"), facts);
    assert.ok(facts.includes(shownTime(first.createdDateTime, "nl", system)), facts);
    assert.equal(await (await session.find("[data-tab=conditionalAccess]")).text(), "Voorwaardelijke toegang");
    assert.equal(await (await session.find("[data-tab=basic]")).text(), "Basisinformatie");
    assert.equal(await (await session.find("[data-action=copy-ticket-text]")).text(), "Kopiëren voor ticket (tekst)");
    assert.equal(await (await session.find("[data-action=copy-ticket-markdown]")).text(), "Kopiëren voor ticket (Markdown)");
    // The diagnosis comes from the Rust side in the window's language, as the command line gives it.
    assert.notEqual(expected.dutch.headline, expected.english.headline);
    await session.waitFor("[data-testid=diagnosis-headline]", (text) => text === expected.dutch.headline);
    const adminSteps = await (await session.find("[data-testid=actions-admin]")).text();
    assert.ok(adminSteps.includes(expected.dutch.actions.find((a) => a.audience === "admin").text), adminSteps);
    await shoot(session, "nl-04-detail");
  } finally {
    await session.quit();
  }
});

test("the language is remembered after a restart, and switching keeps the sign-in, the tab and the typed text", async () => {
  const expected = expectedFromCli();
  const first = expected.hugo.events[0];
  const session = await Session.start(driver.url, app);
  try {
    // The workspace from the first test opens on the results, still in Dutch.
    await session.waitFor("[data-testid=results-count]", (text) => text === `${nlNumber(expected.all.count)} aanmeldingen gevonden`, 20000);
    assert.equal(await htmlLang(session), "nl");
    const system = await session.execute("return navigator.languages");

    // Typed but not yet searched for: the text stays when the language changes.
    const user = await session.find("[data-testid=search-user]");
    await user.clear();
    await user.type("hugo");
    await chooseLanguage(session, "en", "en");
    await session.waitFor("#search-title", (text) => text === "Find the sign-in");
    assert.equal(await session.execute("return document.querySelector('[data-testid=search-user]').value"), "hugo");
    await shoot(session, "en-02-results");
    await chooseLanguage(session, "nl", "nl");
    await session.waitFor("#search-title", (text) => text === "Aanmelding zoeken");
    assert.equal(await session.execute("return document.querySelector('[data-testid=search-user]').value"), "hugo");

    // Hugo's failed sign-in, on the Conditional Access tab; switching keeps both.
    await (await session.find("[data-testid=status-failure]")).click();
    await session.waitFor("[data-testid=results-table] tbody tr");
    await (await session.find(`[data-testid=results-table] tbody tr[data-id="${first.id}"] td`)).click();
    await session.waitFor("[data-testid=detail-status]", (text) => text === "Mislukt");
    await (await session.find("[data-tab=conditionalAccess]")).click();
    await session.waitFor("[data-testid=panel-conditionalAccess]", (text) => text.includes("Voorwaardelijke toegang:"));
    await shoot(session, "nl-05-detail-conditional-access");

    await chooseLanguage(session, "en", "en");
    await session.waitFor("[data-testid=detail-status]", (text) => text === "Failure");
    assert.equal(await (await session.find("[data-testid=detail-request-id]")).text(), first.id, "the same sign-in");
    assert.equal(await (await session.find("[data-tab=conditionalAccess]")).attribute("aria-selected"), "true", "the same tab");
    await session.waitFor("[data-testid=panel-conditionalAccess]", (text) => text.includes("Conditional Access:"));
    await session.waitFor("[data-testid=diagnosis-headline]", (text) => text === expected.english.headline);
    const facts = await session.execute("return document.querySelector('.detail-head .facts').textContent");
    assert.ok(facts.includes(shownTime(first.createdDateTime, "en", system)), facts);
    await shoot(session, "en-05-detail-conditional-access");
    // Escape closes Settings and nothing else: the sign-in stays on screen.
    await (await session.find("[data-testid=open-settings]")).click();
    await session.waitFor("#settings-title");
    await session.press(KEYS.Escape);
    await until(session, "!document.querySelector('[data-testid=settings-dialog]').open", "Settings to close");
    assert.equal((await active(session)).testid, "open-settings");
    assert.equal(await (await session.find("[data-testid=detail-request-id]")).displayed(), true, "still on the sign-in");
    await (await session.find("[data-tab=basic]")).click();
    await session.execute("window.scrollTo(0, 0)");
    await shoot(session, "en-04-detail");

    // The other screens, in each language.
    for (const lang of /** @type {const} */ (["en", "nl"])) {
      if ((await htmlLang(session)) !== lang) await chooseLanguage(session, lang, lang);
      const m = lang === "nl" ? nl : en;
      await (await session.find("[data-testid=open-explain]")).click();
      await session.waitFor("#explain-title", (text) => text === m["explain.title"]);
      const box = await session.find("[data-testid=explain-text]");
      await box.clear();
      await box.type("AADSTS50126");
      await (await session.find("[data-testid=explain-submit]")).click();
      // The explanation comes from the Rust side in the window's language.
      await session.waitFor("[data-testid=explain-entry]", (text) => text.includes("AADSTS50126") && text.includes(expected.explained[lang].meaning));
      await shoot(session, `${lang}-06-explain`);
      await (await session.find("[data-testid=tenant-chip]")).click();
      await session.waitFor("#tenant-title", (text) => text === m["tenant.title"]);
      await shoot(session, `${lang}-07-tenant`);
      await (await session.find("[data-testid=open-about]")).click();
      await session.waitFor("[data-testid=about-dialog]", (text) => text.includes(m["about.updates"]));
      await shoot(session, `${lang}-09-about`);
      await (await session.find("[data-action=close-about]")).click();
      await (await session.find("#screen-tenant [data-action=back]")).click();
    }

    // A half-filled tenant profile survives the switch too; following the system again forgets
    // the choice.
    await (await session.find("[data-testid=tenant-chip]")).click();
    await session.waitFor("#tenant-title", (text) => text === nl["tenant.title"]);
    await (await session.find("[data-testid=tenant-name]")).type("Contoso");
    await (await session.find("[data-testid=mode-device-code]")).click();
    const systemLang = pickLanguage(null, system);
    await chooseLanguage(session, "system", systemLang);
    assert.equal(await session.execute("return localStorage.getItem('language')"), null);
    await session.waitFor("#tenant-title", (text) => text === (systemLang === "nl" ? nl : en)["tenant.title"]);
    assert.equal(await session.execute("return document.querySelector('[data-testid=tenant-name]').value"), "Contoso");
    assert.equal(await session.execute("return document.querySelector('input[name=mode]:checked').value"), "device-code");
  } finally {
    // Other test files expect the system's language.
    await session.execute("localStorage.removeItem('language')").catch(() => {});
    await session.quit();
  }
});

test("a Dutch admin reads an export's warnings, and why a file could not be opened, in Dutch", async () => {
  const fixture = (/** @type {string} */ path) => join(root, "tests/fixtures", path);
  const setup = await Session.start(driver.url, app);
  try {
    await setup.waitFor("[data-testid=results-count], [data-testid=open-demo]");
    await setup.execute("localStorage.setItem('language', 'nl')");
  } finally {
    await setup.quit();
  }
  // Two files handed to the app as a file manager would: one with a damaged line, one gone.
  const missing = join(mkdtempSync(join(tmpdir(), "signin-doctor-e2e-gone-")), "weg.json");
  const session = await Session.start(driver.url, app, [fixture("json/ndjson-damaged.ndjson"), missing]);
  try {
    await until(session, "document.documentElement.lang === 'nl'", "the window in Dutch");
    await (await session.waitFor("[data-testid=dataset-chip]", (text) => text.includes("bestand"))).click();
    const files = await session.waitFor("[data-testid=summary-files]", (text) => text.includes("ndjson-damaged.ndjson") && text.includes("weg.json"));
    // The warnings are kept by the workspace in no language and said in the one shown now.
    await (await session.find("[data-testid=summary-files] details.warnings summary")).click();
    const warning = await session.waitFor("[data-testid=summary-files] details.warnings li");
    assert.equal(
      await warning.text(),
      "record 3 (regel 3): een tekstwaarde wordt op regel 3 niet gesloten; verder gelezen bij het volgende record",
    );
    const failed = await session.find("[data-testid=summary-files] li.file-error");
    const why = await failed.text();
    assert.ok(why.includes("weg.json") && why.includes("kan niet worden geopend"), why);
    assert.ok(!(await files.text()).includes("Cannot open"), "no English left in the summary");
    await shoot(session, "nl-10-summary-warnings");
  } finally {
    await session.execute("localStorage.removeItem('language')").catch(() => {});
    await session.quit();
  }
});
