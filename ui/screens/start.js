// The first screen: open an export, try the demo data, or sign in to fetch from a tenant.

import { html, mount } from "../lib/html.js";
import { t } from "../lib/i18n.js";

/**
 * @param {HTMLElement} root
 * @param {{onOpenFiles: () => void, onOpenFolder: () => void, onDemo: () => void, onTenant: () => void}} actions
 */
export function renderStart(root, actions) {
  const formats = [
    "start.format.portal",
    "start.format.graph",
    "start.format.logAnalytics",
    "start.format.azureMonitor",
    "start.format.archives",
  ];
  mount(
    root,
    html`<div class="start">
      <div class="start-card">
        <img class="start-logo" src="assets/logo.svg" alt="" width="72" height="72" />
        <h1 id="start-title">${t("start.title")}</h1>
        <p class="lead">${t("start.lead")}</p>
        <div class="start-actions">
          <button type="button" class="btn btn-primary btn-large" data-testid="open-files">${t("start.openFiles")}</button>
          <button type="button" class="btn btn-secondary btn-large" data-testid="open-demo">${t("start.tryDemo")}</button>
        </div>
        <p class="drop-hint">
          <button type="button" class="link" data-testid="open-folder">${t("start.openFolder")}</button>
          · ${t("start.dropHint")}
        </p>
        <p class="drop-hint">
          ${t("start.liveLead")}
          <button type="button" class="link" data-testid="start-tenant">${t("start.live")}</button>
        </p>
        <div class="start-details">
          <div>
            <h2>${t("start.formatsTitle")}</h2>
            <ul>${formats.map((key) => html`<li>${t(key)}</li>`)}</ul>
          </div>
          <div>
            <h2>${t("start.privacyTitle")}</h2>
            <p>${t("start.privacy")}</p>
          </div>
        </div>
      </div>
    </div>`,
  );
  root.querySelector("[data-testid=open-files]")?.addEventListener("click", actions.onOpenFiles);
  root.querySelector("[data-testid=open-demo]")?.addEventListener("click", actions.onDemo);
  root.querySelector("[data-testid=open-folder]")?.addEventListener("click", actions.onOpenFolder);
  root.querySelector("[data-testid=start-tenant]")?.addEventListener("click", actions.onTenant);
  // The screen is shown right after it is drawn; the focus can go there once it is.
  queueMicrotask(() => /** @type {HTMLElement | null} */ (root.querySelector("[data-testid=open-files]"))?.focus());
}
