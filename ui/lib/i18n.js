// The message catalogue. All text the UI shows goes through `t`, so a language is one file in
// `ui/i18n/`. English is complete; other languages fall back to English per message.

import en from "../i18n/en.js";

/** @type {Record<string, Record<string, string>>} */
const catalogues = { en };
let current = "en";

/**
 * Adds a language's messages.
 * @param {string} lang
 * @param {Record<string, string>} messages
 */
export function addCatalogue(lang, messages) {
  catalogues[lang] = messages;
}

/** @param {string} lang */
export function setLanguage(lang) {
  current = catalogues[lang] ? lang : "en";
}

export function language() {
  return current;
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
  return t(`${key}.${form}`, { count: count.toLocaleString(current), ...params });
}
