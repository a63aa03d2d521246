// The AADSTS lookup: paste a code, an error page's text or an app's JSON error; read what it
// means and what to do; find the sign-in it came from.

import * as ipc from "../ipc.js";
import { html, mount } from "../lib/html.js";
import { t } from "../lib/i18n.js";
import { formatTime } from "../lib/format.js";

/**
 * @param {HTMLElement} root
 * @param {{text: string, canSearch: boolean, onFind: (id: string) => void, onBack: () => void}} context
 */
export function renderExplain(root, context) {
  mount(
    root,
    html`<div class="explain">
      <form class="card explain-form" data-testid="explain-form" aria-labelledby="explain-title">
        <button type="button" class="btn btn-ghost back" data-action="back"><span aria-hidden="true">←</span> ${t("explain.back")}</button>
        <h1 id="explain-title">${t("explain.title")}</h1>
        <p class="hint">${t("explain.hint")}</p>
        <label class="field">
          <span>${t("explain.label")}</span>
          <textarea name="text" rows="6" class="mono" spellcheck="false" data-testid="explain-text"
            placeholder="${t("explain.placeholder")}">${context.text}</textarea>
        </label>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" data-testid="explain-submit">${t("explain.submit")}</button>
        </div>
      </form>
      <div class="explain-result" data-testid="explain-result" aria-live="polite"></div>
    </div>`,
  );
  const form = /** @type {HTMLFormElement} */ (root.querySelector("form"));
  const result = /** @type {HTMLElement} */ (root.querySelector("[data-testid=explain-result]"));
  const area = /** @type {HTMLTextAreaElement} */ (root.querySelector("textarea"));
  const run = async (/** @type {string} */ text) => {
    if (!text.trim()) return;
    const found = await ipc.explainError(text);
    renderResult(result, found, context, (code) => {
      area.value = String(code);
      run(String(code));
    });
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    context.text = area.value;
    run(area.value);
  });
  root.querySelector("[data-action=back]")?.addEventListener("click", context.onBack);
  // The screen is shown right after it is drawn; the focus can go there once it is.
  queueMicrotask(() => area.focus());
  if (context.text) run(context.text);
}

/**
 * @param {HTMLElement} root
 * @param {import("../ipc.js").Explanation} found
 * @param {{canSearch: boolean, onFind: (id: string) => void}} context
 * @param {(code: number) => void} onPick
 */
function renderResult(root, found, context, onPick) {
  const ids = found.requestId || found.correlationId;
  mount(
    root,
    html`${found.entry
      ? entryCard(found.entry, found.link)
      : found.code !== null
        ? html`<div class="card explain-card"><h2>AADSTS${found.code}</h2><p>${t("explain.unknown")}</p>
            ${found.link ? html`<button type="button" class="btn btn-ghost" data-link="${found.link}">${t("explain.microsoftPage")} <span aria-hidden="true">↗</span><span class="sr-only">${t("link.external")}</span></button>` : ""}</div>`
        : found.matches.length > 0
          ? html`<div class="card explain-card"><h2>${t("explain.matches")}</h2>
              <ul class="matches">${found.matches.map(
                (m) => html`<li><button type="button" class="link" data-code="${m.code}">AADSTS${m.code}</button> ${m.meaning}</li>`,
              )}</ul></div>`
          : html`<div class="card explain-card"><p>${t("explain.nothing")}</p></div>`}
    ${ids
      ? html`<div class="card explain-card" data-testid="explain-ids">
          <h2>${t("explain.found")}</h2>
          <dl class="fields">
            ${found.requestId ? html`<div><dt>${t("field.requestId")}</dt><dd class="mono selectable">${found.requestId}</dd></div>` : ""}
            ${found.correlationId ? html`<div><dt>${t("field.correlationId")}</dt><dd class="mono selectable">${found.correlationId}</dd></div>` : ""}
            ${found.timestamp ? html`<div><dt>${t("field.date")}</dt><dd>${formatTime(found.timestamp)}</dd></div>` : ""}
          </dl>
          ${context.canSearch
            ? html`<button type="button" class="btn btn-primary" data-testid="explain-find" data-find="${ids}">${t("explain.find")}</button>`
            : html`<p class="hint">${t("explain.openFirst")}</p>`}
        </div>`
      : ""}`,
  );
  for (const b of root.querySelectorAll("[data-code]")) {
    b.addEventListener("click", () => onPick(Number(b.getAttribute("data-code"))));
  }
  for (const b of root.querySelectorAll("[data-link]")) {
    b.addEventListener("click", () => ipc.openLink(/** @type {string} */ (b.getAttribute("data-link"))));
  }
  root.querySelector("[data-find]")?.addEventListener("click", () => context.onFind(/** @type {string} */ (ids)));
}

/**
 * @param {import("../ipc.js").CodeEntry} c
 * @param {string | null} link
 */
function entryCard(c, link) {
  const list = (/** @type {string} */ key, /** @type {string[]} */ items) =>
    items.length === 0 ? "" : html`<h3>${t(key)}</h3><ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`;
  return html`<article class="card explain-card" data-testid="explain-entry">
    <div class="diagnosis-head">
      <span class="badge ${c.interrupt ? "badge-interrupted" : "badge-failure"}">${t(c.interrupt ? "explain.interrupt" : "explain.failure")}</span>
      <span class="scenario mono">${c.category}</span>
    </div>
    <h2>AADSTS${c.code}${c.name ? html` <span class="muted">${c.name}</span>` : ""}</h2>
    <p class="what-happened">${c.meaning}</p>
    ${list("explain.causes", c.causes)}
    ${list("audience.user", c.user)}
    ${list("audience.admin", c.admin)}
    ${list("audience.developer", c.developer)}
    ${link ? html`<button type="button" class="btn btn-ghost" data-link="${link}">${t("explain.microsoftPage")} <span aria-hidden="true">↗</span><span class="sr-only">${t("link.external")}</span></button>` : ""}
  </article>`;
}
