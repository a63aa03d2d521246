// End-to-end: an admin opens the demo data, finds Hugo's failed sign-in, and saves a redacted
// HTML report of its diagnosis to hand to a vendor; then exports the results list as CSV. The
// native save dialog cannot be clicked by WebDriver, so this debug build takes the path from
// SIGNIN_DOCTOR_REPORT_PATH (release builds always ask). The saved file is read back: the
// diagnosis is there, Hugo's name, username and address are not. Screenshots go to
// target/e2e-screenshots/report-*.png. Run through scripts/test.sh.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { startDriver, Session, KEYS } from "./webdriver.mjs";
import { audit } from "./axe.mjs";
import en from "../../ui/i18n/en.js";
import nl from "../../ui/i18n/nl.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const app = process.env.SIGNIN_DOCTOR_APP ?? join(root, "target/debug/signin-doctor-app");
const cli = process.env.SIGNIN_DOCTOR_CLI ?? join(root, "target/debug/signin-doctor");
const shots = join(root, "target/e2e-screenshots");
const out = mkdtempSync(join(tmpdir(), "signin-doctor-e2e-report-"));
const saved = join(out, "report.out");

/** @type {{url: string, stop: () => void}} */
let driver;

before(async () => {
  assert.ok(process.env.DISPLAY, "the end-to-end tests need a display; run them through scripts/test.sh");
  mkdirSync(shots, { recursive: true });
  driver = await startDriver({
    SIGNIN_DOCTOR_DATA_DIR: mkdtempSync(join(tmpdir(), "signin-doctor-e2e-report-data-")),
    SIGNIN_DOCTOR_REPORT_PATH: saved,
  });
});

after(() => {
  driver?.stop();
  rmSync(out, { recursive: true, force: true });
});

/** @param {Session} session @param {string} name */
async function shoot(session, name) {
  writeFileSync(join(shots, `report-${name}.png`), await session.screenshot());
}

/** Hugo's failed sign-ins and the diagnosis of the newest, as the command line gives them. */
function expectedFromCli() {
  const demo = join(out, "demo.json");
  execFileSync(cli, ["demo", "--out", demo]);
  const hugo = JSON.parse(
    execFileSync(cli, ["search", demo, "--user", "hugo", "--status", "failure", "--json"], { encoding: "utf8" }),
  );
  const diagnosis = JSON.parse(
    execFileSync(cli, ["diagnose", demo, "--request-id", hugo.events[0].id, "--json", "--lang", "en"], {
      encoding: "utf8",
    }),
  )[0];
  return { hugo, diagnosis };
}

/**
 * Opens the export dialog, picks a format and redaction, and saves.
 * @param {Session} session
 * @param {string} where the screen's part that holds the button
 * @param {"html" | "pdf" | "csv" | "json"} format
 * @param {boolean} redact
 * @param {Record<string, string>} [texts] the window's message catalogue
 */
async function exportAs(session, where, format, redact, texts = en) {
  await (await session.waitFor(`${where} [data-action=export-report]`)).click();
  await session.waitFor("[data-testid=report-dialog]", (text) => text.includes(texts["report.redact"]));
  await (await session.find(`[data-testid=report-format-${format}]`)).click();
  await session.waitFor("[data-testid=report-format-hint]", (text) => text === texts[`report.formatHint.${format}`]);
  const box = await session.find("[data-testid=report-redact]");
  if ((await session.execute("return document.querySelector('[data-testid=report-redact]').checked")) !== redact) {
    await box.click();
  }
  await shoot(session, `${format}-dialog`);
  await (await session.find("[data-testid=report-save]")).click();
}

/**
 * Searches Hugo's failed sign-ins and opens the newest, as the keyboard does (the row, Enter).
 * @param {Session} session
 * @param {string} id its request ID
 */
async function openNewest(session, id) {
  const user = await session.waitFor("#search-user");
  await user.clear();
  await user.type("hugo");
  await (await session.find("[data-testid=status-failure]")).click();
  await (await session.find("[data-testid=search-submit]")).click();
  const row = `[data-testid=results-table] tbody tr[data-id="${id}"]`;
  await session.waitFor(row);
  await session.execute(`document.querySelector('${row}').focus()`);
  await session.press(KEYS.Enter);
}

test("a redacted HTML report of a diagnosis is saved and names nobody; the results export as CSV", async () => {
  const { hugo, diagnosis } = expectedFromCli();
  const first = hugo.events[0];
  const session = await Session.start(driver.url, app);
  try {
    await session.waitFor("[data-testid=open-demo]");
    await session.execute("localStorage.setItem('language', 'en')");
    await session.execute("location.reload()");
    await (await session.waitFor("[data-testid=open-demo]")).click();
    await session.waitFor("[data-testid=results-count]", () => true, 20000);

    await openNewest(session, first.id);
    await session.waitFor("[data-testid=diagnosis-headline]", (text) => text === diagnosis.headline);

    // The dialog passes the accessibility audit, and Escape gives the focus back to its button.
    await (await session.waitFor("[data-testid=detail-report] [data-action=export-report]")).click();
    await session.waitFor("[data-testid=report-dialog]", (text) => text.includes(en["report.redact"]));
    /** @type {string[]} */
    const problems = [];
    await audit(session, "export dialog", problems);
    assert.deepEqual(problems, [], problems.join("\n"));
    await session.press(KEYS.Escape);
    assert.equal((await session.focused()).action, "export-report");

    // The diagnosis, redacted, as one HTML page.
    await exportAs(session, "[data-testid=detail-report]", "html", true);
    await session.waitFor("[data-testid=toasts]", (text) => text.includes(`Redacted report saved: ${saved}`), 20000);
    const html = readFileSync(saved, "utf8");
    await shoot(session, "html-saved");
    assert.ok(html.startsWith("<!DOCTYPE html>"));
    assert.ok(html.includes("Redacted for sharing"), "the report says it is redacted");
    assert.ok(html.includes(diagnosis.requestId), "the request ID stays for support");
    assert.ok(html.includes("User 1"));
    for (const heading of ["Evidence", "Timeline", "What to do", "What happened"]) {
      assert.ok(html.includes(heading), heading);
    }
    for (const original of [first.userDisplayName, first.userPrincipalName, first.ipAddress]) {
      assert.ok(!html.includes(original), `${original} is in the redacted report`);
    }
    assert.ok(!/<script|<img|<link|src=/i.test(html), "nothing runs or loads");
    rmSync(saved);

    // Back to the results: all of Hugo's failures as CSV, not redacted.
    await (await session.find("[data-action=back]")).click();
    await session.waitFor("[data-testid=results-table]");
    await exportAs(session, "[data-testid=results]", "csv", false);
    await session.waitFor("[data-testid=toasts]", (text) => text.includes(`Report saved: ${saved}`), 20000);
    const csv = readFileSync(saved, "utf8");
    const lines = csv.trimEnd().split("\r\n");
    assert.equal(lines[0].split(",")[0], "Date (UTC)");
    assert.equal(lines.length, hugo.count + 1, "one row per sign-in found");
    assert.ok(csv.includes(first.id) && csv.includes(first.userPrincipalName));
    await shoot(session, "csv-saved");
    rmSync(saved);
  } finally {
    // The next tests start from the system's language.
    await session.execute("localStorage.removeItem('language')").catch(() => {});
    await session.quit();
  }
});

test("a Dutch-speaking admin sends a vendor a redacted PDF in Dutch", async () => {
  const { hugo } = expectedFromCli();
  const first = hugo.events[0];
  const session = await Session.start(driver.url, app);
  try {
    // The demo data is still in the workspace from the test before.
    await session.waitFor("#search-user");
    await session.execute("localStorage.setItem('language', 'nl')");
    await session.execute("location.reload()");
    await session.waitFor("#search-title", (text) => text === nl["search.title"]);
    await openNewest(session, first.id);
    await session.waitFor("[data-testid=diagnosis-headline]");
    await session.waitFor("[data-testid=detail-report]", (text) => text.includes(nl["report.export"]));

    await exportAs(session, "[data-testid=detail-report]", "pdf", true, nl);
    await session.waitFor("[data-testid=toasts]", (text) => text.includes(`Geanonimiseerd rapport opgeslagen: ${saved}`), 30000);
    const pdf = readFileSync(saved);
    await shoot(session, "nl-pdf-saved");
    assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
    // What the vendor reads in it (poppler's pdftotext, installed by scripts/setup.sh).
    const text = execFileSync("pdftotext", ["-raw", "-enc", "UTF-8", saved, "-"], { encoding: "utf8" });
    for (const words of ["Geanonimiseerd om te delen", "Bewijs", "Wat te doen", "Tijdlijn", "Gebruiker 1", first.id]) {
      assert.ok(text.includes(words), `${words} in the PDF`);
    }
    const squeezed = text.replace(/\s+/g, "");
    for (const original of [first.userDisplayName, first.userPrincipalName, first.ipAddress]) {
      assert.ok(!squeezed.includes(original.replace(/\s+/g, "")), `${original} is in the redacted PDF`);
    }
    rmSync(saved);
  } finally {
    // The next tests start from the system's language.
    await session.execute("localStorage.removeItem('language')").catch(() => {});
    await session.quit();
  }
});
