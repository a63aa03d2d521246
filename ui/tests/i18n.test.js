import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { t, tn, addCatalogue, setLanguage, languages, pickLanguage, localeFor, language, locale } from "../lib/i18n.js";
import { CLOUDS, MODES } from "../lib/live.js";

const ui = join(dirname(fileURLToPath(import.meta.url)), "..");

// The languages the UI registers, before any test adds one of its own.
const registered = languages();

/** Every catalogue file in ui/i18n/, by language. */
const catalogues = Object.fromEntries(
  await Promise.all(
    readdirSync(join(ui, "i18n"))
      .filter((name) => name.endsWith(".js"))
      .map(async (name) => [name.replace(/\.js$/, ""), (await import(`../i18n/${name}`)).default]),
  ),
);
const en = catalogues.en;

/** The `{name}` placeholders of a message, sorted. @param {string} text */
function placeholders(text) {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

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

test("every message the UI asks for exists in every catalogue", () => {
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
  // Each catalogue names itself for the language switch.
  used.add("language.name");
  used.add("language.locale");
  for (const [lang, messages] of Object.entries(catalogues)) {
    const missing = [...used].filter((key) => !(key in messages));
    assert.deepEqual(missing, [], `used in ui/ but missing from ui/i18n/${lang}.js`);
  }
  assert.ok(used.size > 100, `found ${used.size} keys in use`);
});

test("every language has every message, and no other", () => {
  assert.ok(Object.keys(catalogues).length >= 2, "English and Dutch at least");
  for (const [lang, messages] of Object.entries(catalogues)) {
    if (lang === "en") continue;
    const missing = Object.keys(en).filter((key) => !(key in messages));
    const extra = Object.keys(messages).filter((key) => !(key in en));
    assert.deepEqual(missing, [], `keys in en.js that ui/i18n/${lang}.js lacks`);
    assert.deepEqual(extra, [], `keys in ui/i18n/${lang}.js that en.js lacks`);
  }
});

test("a message has the same placeholders in every language", () => {
  for (const [lang, messages] of Object.entries(catalogues)) {
    for (const [key, text] of Object.entries(messages)) {
      assert.equal(typeof text, "string", `${lang}: ${key}`);
      assert.ok(text.trim().length > 0, `${lang}: ${key} is empty`);
      if (key in en) assert.deepEqual(placeholders(text), placeholders(en[key]), `${lang}: ${key}`);
    }
  }
});

test("every catalogue file is registered, names its language and a locale Intl knows", () => {
  assert.deepEqual([...registered].sort(), Object.keys(catalogues).sort());
  for (const [lang, messages] of Object.entries(catalogues)) {
    assert.ok(messages["language.name"], lang);
    const tag = messages["language.locale"];
    assert.equal(Intl.getCanonicalLocales(tag)[0], tag, `${lang}: language.locale`);
    assert.equal(tag.split("-")[0], lang, `${lang}: the locale is of the same language`);
  }
  assert.equal(catalogues.nl["language.name"], "Nederlands");
});

test("the language is the one chosen in Settings, else the system's first that the UI speaks", () => {
  assert.equal(pickLanguage(null, ["nl-BE", "en-US"]), "nl");
  assert.equal(pickLanguage(null, ["de-DE", "nl"]), "nl", "a language the UI does not speak is passed over");
  assert.equal(pickLanguage(null, ["fr-FR", "de"]), "en", "English when the system speaks none of them");
  assert.equal(pickLanguage(null, []), "en");
  assert.equal(pickLanguage("en", ["nl-NL"]), "en", "the admin's choice wins over the system");
  assert.equal(pickLanguage("nl", ["en-US"]), "nl");
  assert.equal(pickLanguage("xx-unknown", ["nl_NL.UTF-8"]), "nl", "a stale choice falls back to the system");
  assert.equal(localeFor("nl", ["nl-BE"]), "nl-BE");
  assert.equal(localeFor("nl", ["en-US"]), "nl-NL");
  assert.equal(localeFor("en", ["nl-NL", "en-US"]), "en-US");
  assert.equal(localeFor("en", ["en"]), "en-GB");
  assert.equal(localeFor("en", ["nl"]), "en-GB");
  setLanguage("nl", ["nl-BE"]);
  try {
    assert.equal(language(), "nl");
    assert.equal(locale(), "nl-BE");
    assert.equal(t("search.submit"), "Zoeken");
    assert.equal(tn("results.count", 1), "1 aanmelding gevonden");
    assert.equal(tn("results.count", 2500), "2.500 aanmeldingen gevonden");
    assert.equal(t("open.failed", { name: "a.json", reason: "leeg" }), "a.json kon niet worden geopend: leeg");
  } finally {
    setLanguage("en");
  }
  assert.equal(locale(), "en-GB");
});
