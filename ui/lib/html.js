// Escaping HTML templates. Every value interpolated into `html` is entity-encoded unless it is
// itself the result of `html` (or an array of them). Sign-in logs hold text an attacker can
// choose (user agents, app names, failure reasons), so no screen builds markup any other way.
//
//   html`<td>${event.userAgent}</td>`          -> escaped
//   html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>` -> nested, not double-escaped

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

/** Markup that is already safe. Only `html` creates it. */
export class SafeHtml {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
  }
  toString() {
    return this.text;
  }
}

/**
 * Encodes text for use in element content and quoted attribute values.
 * @param {unknown} value
 * @returns {string}
 */
export function escapeHtml(value) {
  return String(value).replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

/**
 * @param {unknown} value
 * @returns {string}
 */
function render(value) {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(value);
}

/**
 * Tagged template that escapes every interpolated value.
 * @param {TemplateStringsArray} strings
 * @param {...unknown} values
 * @returns {SafeHtml}
 */
export function html(strings, ...values) {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) {
    out += render(values[i]) + strings[i + 1];
  }
  return new SafeHtml(out);
}

/**
 * Replaces an element's content with safe markup.
 * @param {Element} element
 * @param {SafeHtml} markup
 */
export function mount(element, markup) {
  if (!(markup instanceof SafeHtml)) throw new TypeError("mount() takes markup made by html``");
  element.innerHTML = markup.text;
}
