// Reports to hand on: "Export report…" opens a dialog to pick the format (HTML, PDF, CSV, JSON)
// and whether to redact people, addresses, devices and tenants; the app then asks where to
// save it. "Copy for ticket" puts the diagnosis on the clipboard as plain text or Markdown.

import * as ipc from "../ipc.js";
import { html, mount } from "../lib/html.js";
import { t } from "../lib/i18n.js";
import { toast } from "./toast.js";

const FORMATS = /** @type {const} */ (["html", "pdf", "csv", "json"]);

/**
 * The report buttons: export always, the ticket buttons when there is a diagnosis.
 * @param {{ticket: boolean}} options
 */
export function reportButtons({ ticket }) {
  return html`<div class="form-actions report-actions" data-testid="report-actions">
    <button type="button" class="btn btn-secondary" data-action="export-report" aria-haspopup="dialog">${t("report.export")}</button>
    ${ticket
      ? html`<button type="button" class="btn btn-ghost" data-action="copy-ticket-text">${t("report.copyText")}</button>
          <button type="button" class="btn btn-ghost" data-action="copy-ticket-markdown">${t("report.copyMarkdown")}</button>`
      : ""}
  </div>`;
}

/**
 * Wires the buttons `reportButtons` drew inside `root`.
 * @param {HTMLElement} root
 * @param {() => import("../ipc.js").ReportRequest} request what to report on (redaction is asked in the dialog)
 */
export function wireReportButtons(root, request) {
  root.querySelector("[data-action=export-report]")?.addEventListener("click", () => showExport(request()));
  for (const markdown of [false, true]) {
    root
      .querySelector(`[data-action=copy-ticket-${markdown ? "markdown" : "text"}]`)
      ?.addEventListener("click", () => copyTicket(request(), markdown));
  }
}

/** The report dialog, made once and kept in the page. */
function dialogElement() {
  let dialog = /** @type {HTMLDialogElement | null} */ (document.querySelector("[data-testid=report-dialog]"));
  if (!dialog) {
    dialog = document.createElement("dialog");
    dialog.className = "about-dialog card";
    dialog.dataset.testid = "report-dialog";
    dialog.setAttribute("aria-labelledby", "report-title");
    document.body.append(dialog);
  }
  return dialog;
}

/**
 * Asks for the format and redaction, then saves the report where the person picks.
 * @param {import("../ipc.js").ReportRequest} request
 */
export function showExport(request) {
  const dialog = dialogElement();
  mount(
    dialog,
    html`<form class="report-form" method="dialog" data-testid="report-form">
      <h2 id="report-title">${t(request.requestId ? "report.titleDiagnosis" : "report.titleResults")}</h2>
      <fieldset class="field">
        <legend id="legend-reportFormat">${t("report.format")}</legend>
        <div class="segmented" role="radiogroup" aria-labelledby="legend-reportFormat">
          ${FORMATS.map(
            (f, i) => html`<label class="segment" data-testid="report-format-${f}"><input type="radio" name="format" value="${f}"
              ${i === 0 ? html`checked` : ""} /><span>${t(`report.format.${f}`)}</span></label>`,
          )}
        </div>
        <p class="hint" data-testid="report-format-hint">${t("report.formatHint.html")}</p>
      </fieldset>
      <label class="check"><input type="checkbox" name="redact" data-testid="report-redact" />
        <span>${t("report.redact")}</span></label>
      <p class="hint">${t("report.redactHint")}</p>
      <p class="form-error" role="alert" data-testid="report-error" hidden></p>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" value="save" data-testid="report-save">${t("report.save")}</button>
        <button type="button" class="btn btn-ghost" data-action="close-report">${t("report.cancel")}</button>
      </div>
    </form>`,
  );
  const form = /** @type {HTMLFormElement} */ (dialog.querySelector("form"));
  const hint = /** @type {HTMLElement} */ (dialog.querySelector("[data-testid=report-format-hint]"));
  const error = /** @type {HTMLElement} */ (dialog.querySelector("[data-testid=report-error]"));
  const save = /** @type {HTMLButtonElement} */ (dialog.querySelector("[data-testid=report-save]"));
  form.addEventListener("change", () => {
    hint.textContent = t(`report.formatHint.${new FormData(form).get("format")}`);
  });
  dialog.querySelector("[data-action=close-report]")?.addEventListener("click", () => dialog.close());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const format = String(data.get("format"));
    const redact = data.get("redact") === "on";
    save.disabled = true;
    error.hidden = true;
    try {
      const path = await ipc.exportReport(format, { ...request, redact });
      dialog.close();
      if (path) toast(t(redact ? "report.savedRedacted" : "report.saved", { path }));
    } catch (e) {
      error.textContent = /** @type {Error} */ (e).message;
      error.hidden = false;
    } finally {
      save.disabled = false;
    }
  });
  dialog.showModal();
}

/**
 * Puts the diagnosis on the clipboard for a ticket.
 * @param {import("../ipc.js").ReportRequest} request
 * @param {boolean} markdown
 */
async function copyTicket(request, markdown) {
  let text = "";
  try {
    text = await ipc.ticketText(request, markdown);
  } catch (e) {
    toast(/** @type {Error} */ (e).message, "error");
    return;
  }
  try {
    await navigator.clipboard.writeText(text);
    toast(t(markdown ? "report.copiedMarkdown" : "report.copiedText"));
  } catch {
    showText(text);
  }
}

/**
 * Without the clipboard: the text, selected, to copy by hand.
 * @param {string} text
 */
function showText(text) {
  const dialog = dialogElement();
  mount(
    dialog,
    html`<div class="report-form">
      <h2 id="report-title">${t("report.ticketTitle")}</h2>
      <p class="hint">${t("report.copyFailed")}</p>
      <textarea class="ticket mono" readonly rows="14" data-testid="report-ticket" aria-labelledby="report-title">${text}</textarea>
      <div class="form-actions">
        <button type="button" class="btn btn-primary" data-action="close-report">${t("report.close")}</button>
      </div>
    </div>`,
  );
  dialog.querySelector("[data-action=close-report]")?.addEventListener("click", () => dialog.close());
  dialog.showModal();
  /** @type {HTMLTextAreaElement} */ (dialog.querySelector("textarea")).select();
}
