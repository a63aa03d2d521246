// Step 3: everything about one sign-in, in the portal's sections, plus the raw record.

import { html, mount } from "../lib/html.js";
import { t } from "../lib/i18n.js";
import { authenticationSteps, detailSections, formatTime, policies, policyResultLabel, prettyJson } from "../lib/format.js";
import { diagnosisCard, wireDiagnosis } from "./diagnosis.js";
import { reportButtons, wireReportButtons } from "./report.js";
import { toast } from "./toast.js";

const TABS = ["basic", "location", "device", "authentication", "conditionalAccess", "additional", "raw"];

/**
 * @param {HTMLElement} root
 * @param {import("../ipc.js").SignInDetail} detail
 * @param {{onBack: () => void, onOpen: (id: string) => void}} actions
 */
export function renderDetail(root, detail, actions) {
  const s = detail.summary;
  const sections = Object.fromEntries(detailSections(detail).map((section) => [section.id, section.rows]));
  const code = s.errorCode === 0 ? "" : `AADSTS${s.errorCode}`;
  const reason = s.status === "success" ? t("detail.succeeded") : (detail.event.status?.failureReason ?? t(`status.${s.status}`));
  mount(
    root,
    html`<div class="detail">
      <div class="detail-head card">
        <button type="button" class="btn btn-ghost back" data-action="back"><span aria-hidden="true">←</span> ${t("detail.back")}</button>
        <div class="detail-title">
          <span class="badge badge-${s.status} badge-large" data-testid="detail-status">${t(`status.${s.status}`)}</span>
          ${code ? html`<span class="error-code mono" data-testid="detail-error-code">${code}</span>` : ""}
        </div>
        <h1 id="detail-title" class="detail-reason">${reason}</h1>
        <dl class="facts">
          <div><dt>${t("field.user")}</dt><dd>${s.userDisplayName ?? ""} <span class="muted">${s.userPrincipalName ?? ""}</span></dd></div>
          <div><dt>${t("field.application")}</dt><dd>${s.appDisplayName ?? s.appId ?? ""}</dd></div>
          <div><dt>${t("field.date")}</dt><dd>${formatTime(s.createdDateTime)}</dd></div>
          <div><dt>${t("field.requestId")}</dt><dd class="mono selectable" data-testid="detail-request-id">${s.id}</dd></div>
          <div><dt>${t("field.correlationId")}</dt><dd class="mono selectable" data-testid="detail-correlation-id">${s.correlationId ?? ""}</dd></div>
        </dl>
      </div>
      ${diagnosisCard(detail.diagnosis, s.id)}
      <div class="card card-actions" data-testid="detail-report">${reportButtons({ ticket: true })}</div>
      <div class="card tabs-card">
        <div class="tabs" role="tablist" aria-label="${t("detail.sections")}">
          ${TABS.map(
            (tab, i) => html`<button type="button" role="tab" id="tab-${tab}" aria-controls="panel-${tab}"
              aria-selected="${i === 0 ? "true" : "false"}" tabindex="${i === 0 ? "0" : "-1"}" data-tab="${tab}">${t(`tab.${tab}`)}</button>`,
          )}
        </div>
        ${TABS.map(
          (tab, i) => html`<div role="tabpanel" id="panel-${tab}" aria-labelledby="tab-${tab}" tabindex="0"
            class="panel" data-testid="panel-${tab}" ${i === 0 ? "" : html`hidden`}>${panel(tab, detail, sections)}</div>`,
        )}
      </div>
    </div>`,
  );

  root.querySelector("[data-action=back]")?.addEventListener("click", actions.onBack);
  wireDiagnosis(root, actions.onOpen, toast);
  wireReportButtons(root, () => ({ requestId: s.id }));
  const tabs = /** @type {HTMLElement[]} */ ([...root.querySelectorAll("[role=tab]")]);
  const select = (/** @type {HTMLElement} */ tab) => {
    for (const other of tabs) {
      const on = other === tab;
      other.setAttribute("aria-selected", String(on));
      other.tabIndex = on ? 0 : -1;
      /** @type {HTMLElement} */ (root.querySelector(`#panel-${other.dataset.tab}`)).hidden = !on;
    }
    tab.focus();
  };
  for (const tab of tabs) {
    tab.addEventListener("click", () => select(tab));
    tab.addEventListener("keydown", (event) => {
      const i = tabs.indexOf(tab);
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      select(tabs[(next + tabs.length) % tabs.length]);
    });
  }
  // The screen is shown right after it is drawn; the focus can go there once it is.
  queueMicrotask(() => /** @type {HTMLElement | null} */ (root.querySelector("[data-action=back]"))?.focus());
  window.scrollTo(0, 0);
}

/**
 * @param {string} tab
 * @param {import("../ipc.js").SignInDetail} detail
 * @param {Record<string, {label: string, value: string, mono?: boolean}[]>} sections
 */
function panel(tab, detail, sections) {
  switch (tab) {
    case "authentication":
      return authenticationPanel(detail.event);
    case "conditionalAccess":
      return policyPanel(detail.event);
    case "raw":
      return html`<p class="hint">${t("detail.rawHint", { file: detail.source.file, line: detail.source.line })}</p>
        <pre class="raw" data-testid="raw-json" tabindex="0" role="region" aria-label="${t("tab.raw")}">${prettyJson(detail.raw)}</pre>`;
    default:
      return fieldList(sections[tab] ?? []);
  }
}

/** @param {{label: string, value: string, mono?: boolean}[]} rows */
function fieldList(rows) {
  if (rows.length === 0) return html`<p class="muted">${t("detail.nothing")}</p>`;
  return html`<dl class="fields">
    ${rows.map((r) => html`<div><dt>${r.label}</dt><dd class="${r.mono ? "mono selectable" : "selectable"}">${r.value}</dd></div>`)}
  </dl>`;
}

/** @param {Record<string, any>} event */
function authenticationPanel(event) {
  const steps = authenticationSteps(event);
  const requirement = event.authenticationRequirement ? t(`requirement.${event.authenticationRequirement}`) : "";
  const providers = (event.authenticationRequirementPolicies ?? []).map(
    (/** @type {any} */ p) => html`<li>${p.detail ?? ""} <span class="muted mono">${p.requirementProvider ?? ""}</span></li>`,
  );
  return html`${requirement ? html`<p><strong>${t("detail.requirement")}</strong> ${requirement}</p>` : ""}
    ${providers.length ? html`<p><strong>${t("detail.requiredBy")}</strong></p><ul class="plain">${providers}</ul>` : ""}
    ${steps.length === 0
      ? html`<p class="muted">${t("detail.noSteps")}</p>`
      : html`<div class="table-wrap"><table class="data-table">
          <thead><tr><th>${t("column.time")}</th><th>${t("column.method")}</th><th>${t("column.methodDetail")}</th>
            <th>${t("column.succeeded")}</th><th>${t("column.result")}</th><th>${t("column.requirement")}</th></tr></thead>
          <tbody>${steps.map(
            (/** @type {any} */ step) => html`<tr>
              <td class="nowrap">${step.time}</td><td>${step.method}</td><td>${step.detail}</td>
              <td>${step.succeeded === true ? html`<span class="badge badge-success">${t("value.yes")}</span>` : step.succeeded === false ? html`<span class="badge badge-failure">${t("value.no")}</span>` : ""}</td>
              <td>${step.result}</td><td>${step.requirement}</td></tr>`,
          )}</tbody></table></div>`}`;
}

/** @param {Record<string, any>} event */
function policyPanel(event) {
  const list = policies(event);
  const overall = event.conditionalAccessStatus ? t(`caStatus.${event.conditionalAccessStatus}`) : t("caStatus.unknown");
  if (list.length === 0) {
    return html`<p><strong>${t("detail.caOverall")}</strong> ${overall}</p><p class="muted">${t("detail.noPolicies")}</p>`;
  }
  return html`<p><strong>${t("detail.caOverall")}</strong> ${overall}</p>
    <div class="table-wrap"><table class="data-table" data-testid="policy-table">
      <thead><tr><th>${t("column.policy")}</th><th>${t("column.result")}</th><th>${t("column.grants")}</th><th>${t("column.sessions")}</th></tr></thead>
      <tbody>${list.map(
        (/** @type {any} */ p) => html`<tr data-result="${p.result}">
          <td>${p.name}<div class="cell-sub mono">${p.id}</div></td>
          <td><span class="badge badge-policy-${p.result}">${policyResultLabel(p.result)}</span></td>
          <td>${p.grants}</td><td>${p.sessions}</td></tr>`,
      )}</tbody></table></div>`;
}
