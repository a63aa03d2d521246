// The message catalogue. All text the UI shows goes through `t`, so a language is one file in
// `ui/i18n/`, registered in `catalogues` below. Every catalogue has every key (a test holds
// them to it); should one ever miss a message, English stands in for it.
//
// Each catalogue also names itself (`language.name`, in its own language, for the switch in
// Settings) and the locale its dates and numbers follow when the system gives no region for
// that language (`language.locale`).

import en from "../i18n/en.js";
import nl from "../i18n/nl.js";

/** @type {Record<string, Record<string, string>>} */
const catalogues = { en, nl };
let current = "en";
let currentLocale = "en-GB";

/**
 * Adds a language's messages.
 * @param {string} lang
 * @param {Record<string, string>} messages
 */
export function addCatalogue(lang, messages) {
  catalogues[lang] = messages;
}

/** The languages the UI speaks, English first. */
export function languages() {
  return Object.keys(catalogues);
}

/**
 * A language's own name ("Nederlands"), for the language switch.
 * @param {string} lang
 */
export function languageName(lang) {
  return catalogues[lang]?.["language.name"] ?? lang;
}

/**
 * The language of a BCP 47 tag or a POSIX locale ("nl-BE", "nl_NL.UTF-8" → "nl"), lower case.
 * @param {string} tag
 */
function baseOf(tag) {
  return tag.toLowerCase().split(/[-_.@]/)[0];
}

/**
 * The first of the system's languages the UI speaks, or English.
 * @param {readonly string[]} preferred `navigator.languages`, most preferred first
 */
export function systemLanguage(preferred) {
  for (const tag of preferred) {
    const base = baseOf(tag);
    if (base in catalogues) return base;
  }
  return "en";
}

/**
 * The language to show: the one the admin chose in Settings, otherwise the system's.
 * @param {string | null} chosen what Settings saved ("en", "nl"), or null to follow the system
 * @param {readonly string[]} preferred the system's languages
 */
export function pickLanguage(chosen, preferred) {
  return chosen && chosen in catalogues ? chosen : systemLanguage(preferred);
}

/**
 * The locale that dates and numbers follow in `lang`: the system's own region for that language
 * when it has one ("nl-BE", "en-US"), otherwise the catalogue's (`nl-NL`, `en-GB`).
 * @param {string} lang
 * @param {readonly string[]} preferred the system's languages
 */
export function localeFor(lang, preferred) {
  for (const tag of preferred) {
    if (baseOf(tag) !== lang || !/^[a-z]{2,3}-[a-z]{2}$/i.test(tag)) continue;
    try {
      return Intl.getCanonicalLocales(tag)[0];
    } catch {
      // Not a tag Intl knows; try the next.
    }
  }
  return catalogues[lang]?.["language.locale"] ?? "en-GB";
}

/**
 * Switches the language (an unknown one becomes English) and the locale for dates and numbers.
 * @param {string} lang
 * @param {readonly string[]} [preferred] the system's languages, for its region
 */
export function setLanguage(lang, preferred = []) {
  current = catalogues[lang] ? lang : "en";
  currentLocale = localeFor(current, preferred);
}

/** The language shown ("en", "nl"). */
export function language() {
  return current;
}

/** The locale that dates and numbers follow ("nl-NL", "en-GB", or the system's region). */
export function locale() {
  return currentLocale;
}

/**
 * The message `key` with `{name}` placeholders filled from `params`. An unknown key returns
 * the key itself, so a gap is visible rather than blank.
 * @param {string} key
 * @param {Record<string, string | number>} [params]
 * @returns {string}
 */
export function t(key, params = {}) {
  const text = catalogues[current]?.[key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/**
 * Chooses the singular or plural message by count: keys `key.one` and `key.other`.
 * @param {string} key
 * @param {number} count
 * @param {Record<string, string | number>} [params]
 */
export function tn(key, count, params = {}) {
  const form = count === 1 ? "one" : "other";
  return t(`${key}.${form}`, { count: count.toLocaleString(currentLocale), ...params });
}
