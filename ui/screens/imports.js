// Importing, as people see it: a progress panel with Cancel while files are read, and a
// summary of what each file gave (format, sign-ins, repeats, warnings to expand).

import { html, mount } from "../lib/html.js";
import { language, t, tn } from "../lib/i18n.js";
import { progressPercent } from "../lib/format.js";
import { blockPage } from "./dialog.js";
import { announce } from "./toast.js";

/**
 * Shows the progress panel; returns functions to update and close it.
 * @param {() => void} onCancel
 */
export function showProgress(onCancel) {
  const panel = /** @type {HTMLElement} */ (document.querySelector("[data-testid=import-progress]"));
  mount(
    panel,
    html`<div class="progress-card card" role="dialog" aria-modal="true" aria-labelledby="progress-title">
      <h2 id="progress-title">${t("import.title")}</h2>
      <p class="progress-file" data-role="file">${t("import.starting")}</p>
      <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="0" aria-labelledby="progress-title">
        <div class="bar-fill" data-role="fill"></div>
      </div>
      <p class="hint" data-role="figures">&nbsp;</p>
      <button type="button" class="btn btn-secondary" data-action="cancel-import">${t("import.cancel")}</button>
    </div>`,
  );
  panel.hidden = false;
  const cancel = /** @type {HTMLButtonElement} */ (panel.querySelector("[data-action=cancel-import]"));
  cancel.addEventListener("click", () => {
    cancel.disabled = true;
    cancel.textContent = t("import.cancelling");
    onCancel();
  });
  const release = blockPage(cancel);
  cancel.focus();
  const bar = /** @type {HTMLElement} */ (panel.querySelector("[role=progressbar]"));
  const fill = /** @type {HTMLElement} */ (panel.querySelector("[data-role=fill]"));
  // Screen readers hear how far it is at each quarter, not at every update.
  let quarter = 0;
  let indexing = false;
  return {
    /** @param {import("../ipc.js").ImportProgress} p */
    update(p) {
      const percent = progressPercent(p.bytesRead, p.bytesTotal);
      /** @type {HTMLElement} */ (panel.querySelector("[data-role=file]")).textContent = p.file;
      bar.setAttribute("aria-valuenow", String(percent));
      fill.style.width = `${percent}%`;
      const records = p.records.toLocaleString(language());
      /** @type {HTMLElement} */ (panel.querySelector("[data-role=figures]")).textContent = p.indexing
        ? t("import.indexing", { records })
        : t("import.figures", { percent, records, rate: p.recordsPerSecond.toLocaleString(language()) });
      if (p.indexing && !indexing) {
        indexing = true;
        announce(t("import.indexing", { records }));
      }
      if (Math.floor(percent / 25) > quarter) {
        quarter = Math.floor(percent / 25);
        announce(t("import.percent", { percent }));
      }
    },
    close() {
      panel.hidden = true;
      panel.replaceChildren();
      release();
    },
  };
}

/**
 * Opens the summary dialog for the given files.
 * @param {string} title
 * @param {import("../ipc.js").FileReport[]} files
 * @param {string} [footnote]
 */
export function showSummary(title, files, footnote = "") {
  const dialog = /** @type {HTMLDialogElement} */ (document.querySelector("[data-testid=summary-dialog]"));
  mount(
    dialog,
    html`<form method="dialog" class="summary">
      <h2 id="summary-title">${title}</h2>
      ${files.length === 0 ? html`<p class="muted">${t("summary.none")}</p>` : ""}
      <ul class="file-list" data-testid="summary-files">
        ${files.map((f) => fileItem(f))}
      </ul>
      ${footnote ? html`<p class="hint selectable">${footnote}</p>` : ""}
      <div class="form-actions"><button class="btn btn-primary" value="close" autofocus>${t("summary.close")}</button></div>
    </form>`,
  );
  dialog.setAttribute("aria-labelledby", "summary-title");
  dialog.showModal();
}

/** @param {import("../ipc.js").FileReport} f */
function fileItem(f) {
  if (f.error) {
    return html`<li class="file file-error">
      <div class="file-name">${f.name}</div>
      <div class="file-outcome"><span class="badge badge-failure">${t(`summary.error.${f.error.code === "cancelled" ? "cancelled" : "failed"}`)}</span> ${f.error.message}</div>
    </li>`;
  }
  const facts = [tn("summary.added", f.added)];
  if (f.duplicates > 0) facts.push(tn("summary.duplicates", f.duplicates));
  if (f.authSteps > 0) facts.push(tn("summary.authSteps", f.authSteps));
  return html`<li class="file">
    <div class="file-name">${f.name}</div>
    <div class="file-outcome"><span class="muted">${f.formatName ?? ""}</span> · ${facts.join(" · ")}</div>
    ${f.warningCount > 0
      ? html`<details class="warnings">
          <summary>${tn("summary.warnings", f.warningCount)}</summary>
          <ul>${f.warnings.map((w) => html`<li class="mono">${w}</li>`)}</ul>
          ${f.warningCount > f.warnings.length ? html`<p class="hint">${t("summary.moreWarnings", { shown: f.warnings.length, total: f.warningCount })}</p>` : ""}
        </details>`
      : ""}
  </li>`;
}

/**
 * Asks a yes/no question in the app's own dialog (the webview's `confirm()` is not reliable
 * across platforms).
 * @param {string} question
 * @param {string} yes label of the button that goes ahead
 * @returns {Promise<boolean>}
 */
export function askConfirm(question, yes) {
  const dialog = /** @type {HTMLDialogElement} */ (document.querySelector("[data-testid=summary-dialog]"));
  mount(
    dialog,
    html`<form method="dialog" class="summary">
      <p id="confirm-question" class="confirm-question">${question}</p>
      <div class="form-actions">
        <button class="btn btn-primary btn-danger" value="yes" data-action="confirm">${yes}</button>
        <button class="btn btn-ghost" value="no" autofocus>${t("summary.cancel")}</button>
      </div>
    </form>`,
  );
  dialog.setAttribute("aria-labelledby", "confirm-question");
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "yes"), { once: true });
  });
}
