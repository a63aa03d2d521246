// The diagnosis at the top of a sign-in: what happened, what to do (by who), the patterns
// around it, the whole attempt, the evidence and links. The "Copy for ticket" buttons sit
// under the card (report.js).

import * as ipc from "../ipc.js";
import { html } from "../lib/html.js";
import { t } from "../lib/i18n.js";
import { formatTime } from "../lib/format.js";

const AUDIENCES = /** @type {const} */ (["user", "admin", "developer"]);

/**
 * @param {import("../ipc.js").Diagnosis} d
 * @param {string} currentId request ID of the sign-in shown
 */
export function diagnosisCard(d, currentId) {
  return html`<section class="card diagnosis verdict-${d.verdict}" aria-labelledby="diagnosis-title" data-testid="diagnosis">
    <div class="diagnosis-head">
      <span class="badge badge-verdict-${d.verdict}" data-testid="diagnosis-verdict">${t(`verdict.${d.verdict}`)}</span>
      <span class="scenario mono" data-testid="diagnosis-scenario">${d.scenario}</span>
    </div>
    <h2 id="diagnosis-title" class="diagnosis-headline" data-testid="diagnosis-headline">${d.headline}</h2>
    <p class="what-happened">${d.whatHappened}</p>
    <div class="actions-grid">
      ${AUDIENCES.map((audience) => {
        const steps = d.actions.filter((a) => a.audience === audience);
        return steps.length === 0
          ? ""
          : html`<div class="actions" data-testid="actions-${audience}">
              <h3>${t(`audience.${audience}`)}</h3>
              <ol>${steps.map((s) => html`<li>${s.text}</li>`)}</ol>
            </div>`;
      })}
    </div>
    ${d.patterns.length === 0
      ? ""
      : html`<div class="patterns" data-testid="patterns">
          <h3>${t("diagnosis.patterns")}</h3>
          <ul>${d.patterns.map((p) => html`<li data-pattern="${p.id}">${p.text}</li>`)}</ul>
        </div>`}
    ${d.chain.length === 0
      ? ""
      : html`<div class="chain" data-testid="chain">
          <h3>${t("diagnosis.chain")}</h3>
          <ol class="timeline">
            ${d.chain.map(
              (step) => html`<li class="${step.requestId === currentId ? "current" : ""}" ${step.requestId === currentId ? html`aria-current="true"` : ""}>
                <button type="button" class="link" data-open="${step.requestId}">${formatTime(step.createdDateTime)}</button>
                <span class="badge badge-${step.status}">${t(`status.${step.status}`)}</span>
                <span class="mono">${step.errorCode === 0 ? "" : step.errorCode}</span>
              </li>`,
            )}
          </ol>
        </div>`}
    <details class="evidence">
      <summary>${t("diagnosis.evidence")}</summary>
      <dl class="fields">${d.evidence.map((e) => html`<div><dt class="mono">${e.field}</dt><dd class="selectable">${e.value}</dd></div>`)}</dl>
    </details>
    ${d.links.length === 0
      ? ""
      : html`<div class="diagnosis-foot">
          ${d.links.map((l) => html`<button type="button" class="btn btn-ghost" data-link="${l.url}">${l.label} <span aria-hidden="true">↗</span><span class="sr-only">${t("link.external")}</span></button>`)}
        </div>`}
  </section>`;
}

/**
 * Wires the card's buttons.
 * @param {HTMLElement} root
 * @param {(id: string) => void} onOpen
 * @param {(message: string, kind?: "info" | "warning" | "error") => void} notify
 */
export function wireDiagnosis(root, onOpen, notify) {
  for (const button of root.querySelectorAll("[data-open]")) {
    button.addEventListener("click", () => onOpen(/** @type {string} */ (button.getAttribute("data-open"))));
  }
  for (const button of root.querySelectorAll("[data-link]")) {
    button.addEventListener("click", () =>
      ipc.openLink(/** @type {string} */ (button.getAttribute("data-link"))).catch((e) => notify(e.message, "error")),
    );
  }
}
