// Short messages in the corner: what opening files did, and errors. Announced to screen readers:
// news politely, errors at once. `announce` tells a screen reader what the screen shows otherwise.

import { html, mount } from "../lib/html.js";
import { t, tn } from "../lib/i18n.js";

/**
 * @param {string} text
 * @param {"info" | "warning" | "error"} [kind]
 */
export function toast(text, kind = "info") {
  const area = document.querySelector(`[data-testid=toasts] [data-role=${kind === "error" ? "assertive" : "polite"}]`);
  if (!area) return;
  const item = document.createElement("div");
  item.className = `toast toast-${kind}`;
  mount(item, html`<span>${text}</span><button type="button" class="toast-close" aria-label="${t("action.dismiss")}">×</button>`);
  item.querySelector("button")?.addEventListener("click", () => item.remove());
  area.append(item);
  if (kind === "info") setTimeout(() => item.remove(), 6000);
}

/**
 * Has a screen reader say `text` when it next pauses, without showing it (the screen shows the
 * same news its own way, like the count above the results).
 * @param {string} text
 */
export function announce(text) {
  const region = document.querySelector("[data-testid=announcer]");
  if (!region) return;
  // The same words twice in a row are still news (the same count after a new search).
  region.textContent = region.textContent === text ? `${text}\u00a0` : text;
}

/**
 * One sentence about an open: how many sign-ins, and whether anything went wrong.
 * @param {import("../ipc.js").OpenReport} report
 * @returns {{text: string, kind: "info" | "warning" | "error"}}
 */
export function openReportMessage(report) {
  const added = report.files.reduce((n, f) => n + f.added, 0);
  const failed = report.files.filter((f) => f.error);
  const warnings = report.files.reduce((n, f) => n + f.warningCount, 0);
  const parts = [tn("open.added", added)];
  if (warnings > 0) parts.push(tn("open.warnings", warnings));
  for (const f of failed) parts.push(t("open.failed", { name: f.name, reason: f.error?.message ?? "" }));
  const kind = failed.length > 0 ? (added > 0 ? "warning" : "error") : warnings > 0 ? "warning" : "info";
  return { text: parts.join(" "), kind };
}
