// Fetching from a live tenant, as people see it: the same panel as an import, with the pages
// and sign-ins so far, why it is waiting when Graph has to be asked gently, anything the admin
// should know, and Cancel (what arrived before is kept). Each page is in the workspace when its
// progress arrives, so `onStored` can show the sign-ins so far while the rest is fetched.

import { html, mount } from "../lib/html.js";
import { t } from "../lib/i18n.js";
import { fetchProgressText, storedPagesDue } from "../lib/live.js";
import { blockPage } from "./dialog.js";

/**
 * Shows the fetch panel; returns functions to update and close it.
 * @param {string} tenant the profile's name
 * @param {() => void} onCancel
 * @param {(p: import("../ipc.js").FetchProgress) => void} [onStored] called when the first page
 *   is stored, then at most every few seconds while more arrive (see `storedPagesDue`)
 */
export function showFetchProgress(tenant, onCancel, onStored) {
  const panel = /** @type {HTMLElement} */ (document.querySelector("[data-testid=import-progress]"));
  mount(
    panel,
    html`<div class="progress-card card" role="dialog" aria-modal="true" aria-labelledby="fetch-title" data-testid="fetch-progress">
      <h2 id="fetch-title">${t("fetch.title", { tenant })}</h2>
      <p class="progress-file" data-role="figures" aria-live="polite">${t("fetch.starting")}</p>
      <div class="bar bar-busy" role="progressbar" aria-labelledby="fetch-title"><div class="bar-fill"></div></div>
      <p class="hint" data-role="waiting">&nbsp;</p>
      <ul class="notices" data-role="notices" hidden></ul>
      <button type="button" class="btn btn-secondary" data-action="cancel-fetch">${t("fetch.cancel")}</button>
    </div>`,
  );
  panel.hidden = false;
  const cancel = /** @type {HTMLButtonElement} */ (panel.querySelector("[data-action=cancel-fetch]"));
  cancel.addEventListener("click", () => {
    cancel.disabled = true;
    cancel.textContent = t("fetch.cancelling");
    onCancel();
  });
  const release = blockPage(cancel);
  cancel.focus();
  const figures = /** @type {HTMLElement} */ (panel.querySelector("[data-role=figures]"));
  const waiting = /** @type {HTMLElement} */ (panel.querySelector("[data-role=waiting]"));
  const notices = /** @type {HTMLElement} */ (panel.querySelector("[data-role=notices]"));
  /** @type {string[]} */
  const seen = [];
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let countdown;
  /** The pages stored when `onStored` was last called, and when. */
  let shown = { pages: 0, at: 0 };

  const stopCountdown = () => {
    if (countdown !== undefined) clearInterval(countdown);
    countdown = undefined;
  };

  return {
    /** @param {import("../ipc.js").FetchProgress} p */
    update(p) {
      if (onStored && storedPagesDue(shown, p, Date.now())) {
        shown = { pages: p.pages, at: Date.now() };
        onStored(p);
      }
      if (p.notice) {
        if (!seen.includes(p.notice)) {
          seen.push(p.notice);
          mount(notices, html`${seen.map((n) => html`<li>${n}</li>`)}`);
          notices.hidden = false;
        }
        return;
      }
      const text = fetchProgressText(p);
      figures.textContent = text.figures;
      stopCountdown();
      if (p.waitingSeconds && p.waitingSeconds > 0) {
        // Count the pause down, so a wait of several seconds does not look like a hang.
        let left = p.waitingSeconds;
        waiting.textContent = text.waiting;
        countdown = setInterval(() => {
          left -= 1;
          if (left <= 0) {
            stopCountdown();
            waiting.textContent = t("fetch.asking");
            return;
          }
          waiting.textContent = fetchProgressText({ ...p, waitingSeconds: left }).waiting;
        }, 1000);
      } else {
        waiting.textContent = "\u00a0";
      }
    },
    close() {
      stopCountdown();
      panel.hidden = true;
      panel.replaceChildren();
      release();
    },
  };
}
