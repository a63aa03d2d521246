import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { t, tn, addCatalogue, setLanguage } from "../lib/i18n.js";
import en from "../i18n/en.js";
import { CLOUDS, MODES } from "../lib/live.js";

const ui = join(dirname(fileURLToPath(import.meta.url)), "..");

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "tests" ? [] : sources(path);
    return /\.(js|html)$/.test(name) ? [path] : [];
  });
}

test("placeholders are filled and plurals chosen by count", () => {
  assert.equal(t("open.failed", { name: "a.json", reason: "empty" }), "a.json could not be opened: empty");
  assert.equal(tn("results.count", 1), "1 sign-in found");
  assert.equal(tn("results.count", 1234), "1,234 sign-ins found");
});

test("an unknown key shows itself, and another language falls back to English per message", () => {
  assert.equal(t("no.such.key"), "no.such.key");
  addCatalogue("xx", { "search.submit": "Zoek" });
  setLanguage("xx");
  try {
    assert.equal(t("search.submit"), "Zoek");
    assert.equal(t("search.clear"), "Clear");
  } finally {
    setLanguage("en");
  }
});

test("every message the UI asks for exists in the English catalogue", () => {
  const used = new Set();
  for (const file of sources(ui)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/\bt\("([\w.]+)"/g)) used.add(m[1]);
    for (const m of text.matchAll(/\btn\("([\w.]+)"/g)) {
      used.add(`${m[1]}.one`);
      used.add(`${m[1]}.other`);
    }
    for (const m of text.matchAll(/data-i18n(?:-label)?="([\w.]+)"/g)) used.add(m[1]);
  }
  // Keys built at run time from a value, with every value they can take.
  const families = {
    status: ["success", "interrupted", "failure"],
    "search.status": ["any", "failure", "interrupted", "success"],
    "search.time": ["any", "around", "range"],
    tab: ["basic", "location", "device", "authentication", "conditionalAccess", "additional", "raw"],
    eventType: ["interactiveUser", "nonInteractiveUser", "servicePrincipal", "managedIdentity"],
    eventTypeShort: ["interactiveUser", "nonInteractiveUser", "servicePrincipal", "managedIdentity"],
    "summary.error": ["failed", "cancelled"],
    search: ["user", "userPlaceholder", "app", "appPlaceholder", "id", "idPlaceholder"],
    verdict: ["success", "interrupted", "failure", "suspicious"],
    audience: ["user", "admin", "developer"],
    explain: ["causes", "interrupt", "failure"],
    caStatus: ["success", "failure", "notApplied", "unknown"],
    requirement: ["singleFactorAuthentication", "multiFactorAuthentication"],
    "tenant.mode": [...MODES],
    "tenant.modeHint": [...MODES],
    "tenant.cloud": [...CLOUDS],
    "fetch.reason": ["pacing", "throttled", "retrying"],
  };
  for (const [prefix, values] of Object.entries(families)) for (const v of values) used.add(`${prefix}.${v}`);
  const missing = [...used].filter((key) => !(key in en));
  assert.deepEqual(missing, []);
  assert.ok(used.size > 100, `found ${used.size} keys in use`);
});
