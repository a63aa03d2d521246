// About Sign-in Doctor: the version (one for the app, the command line and the installers),
// where its data lives, and updates. Updates are looked for only when the admin asks, or has
// turned on the check at start: Sign-in Doctor otherwise talks to nobody but Microsoft.

import * as ipc from "../ipc.js";
import { html, mount } from "../lib/html.js";
import { t } from "../lib/i18n.js";

const AUTO_KEY = "updates.checkAtStart";

/** Whether the admin asked to look for updates at start. */
export function checksAtStart() {
  return localStorage.getItem(AUTO_KEY) === "yes";
}

/** The update found by the last check, shared by the top bar and the dialog. */
let found = /** @type {import("../ipc.js").UpdateInfo | null} */ (null);

/**
 * Looks for an update and, when there is one, shows the top bar's "Update available" button.
 * Problems (offline, a proxy) stay quiet at start; the dialog's button reports them.
 */
export async function checkAtStart() {
  if (!checksAtStart()) return;
  try {
    found = await ipc.checkUpdate();
  } catch {
    return;
  }
  showChip();
}

/** Says the top bar's "Update to …" again, in the language now shown. */
export function refreshUpdateChip() {
  showChip();
}

function showChip() {
  const chip = /** @type {HTMLElement | null} */ (document.querySelector("[data-testid=update-chip]"));
  if (!chip) return;
  chip.hidden = !found;
  chip.textContent = found ? t("about.updateChip", { version: found.version }) : "";
}

/** Opens the About dialog. */
export async function showAbout() {
  const dialog = /** @type {HTMLDialogElement} */ (document.querySelector("[data-testid=about-dialog]"));
  let info = /** @type {import("../ipc.js").AppInfo | null} */ (null);
  try {
    info = await ipc.appInfo();
  } catch {
    // Without the bridge the dialog still says what it can.
  }
  mount(
    dialog,
    html`<div class="about">
      <div class="about-head">
        <img src="assets/logo.svg" alt="" width="48" height="48" />
        <div>
          <h2 id="about-title">${t("app.name")}</h2>
          <p class="hint" data-testid="about-version">${t("about.version", { version: info?.version ?? "?" })}</p>
        </div>
      </div>
      <p>${t("about.what")}</p>
      <dl class="about-facts">
        <dt>${t("about.dataDir")}</dt><dd class="mono selectable">${info?.dataDir ?? ""}</dd>
        <dt>${t("about.system")}</dt><dd>${info ? `${info.os} (${info.arch})` : ""}</dd>
      </dl>
      <h3>${t("about.updates")}</h3>
      <label class="check"><input type="checkbox" data-testid="about-auto" ${checksAtStart() ? html`checked` : ""} />
        <span>${t("about.checkAtStart")}</span></label>
      <p class="hint">${t("about.privacy")}</p>
      <div class="about-update" data-testid="about-update" aria-live="polite"></div>
      <div class="form-actions">
        <button type="button" class="btn btn-secondary" data-action="check-update">${t("about.check")}</button>
        <button type="button" class="btn btn-primary" data-action="close-about">${t("about.close")}</button>
      </div>
    </div>`,
  );
  dialog.setAttribute("aria-labelledby", "about-title");
  const status = /** @type {HTMLElement} */ (dialog.querySelector("[data-testid=about-update]"));
  const render = () => renderUpdate(status, found);
  render();
  dialog.querySelector("[data-testid=about-auto]")?.addEventListener("change", (event) => {
    localStorage.setItem(AUTO_KEY, /** @type {HTMLInputElement} */ (event.target).checked ? "yes" : "no");
  });
  const check = /** @type {HTMLButtonElement} */ (dialog.querySelector("[data-action=check-update]"));
  check.addEventListener("click", async () => {
    check.disabled = true;
    mount(status, html`<p class="hint">${t("about.checking")}</p>`);
    try {
      found = await ipc.checkUpdate();
      render();
      if (!found) mount(status, html`<p>${t("about.upToDate")}</p>`);
    } catch (error) {
      mount(status, html`<p class="form-error" role="alert">${/** @type {Error} */ (error).message}</p>`);
    } finally {
      check.disabled = false;
      showChip();
    }
  });
  dialog.querySelector("[data-action=close-about]")?.addEventListener("click", () => dialog.close());
  dialog.showModal();
}

/**
 * @param {HTMLElement} root
 * @param {import("../ipc.js").UpdateInfo | null} update
 */
function renderUpdate(root, update) {
  if (!update) {
    mount(root, html``);
    return;
  }
  mount(
    root,
    html`<div class="notice-box" data-testid="update-available">
      <p><strong>${t("about.available", { version: update.version })}</strong></p>
      ${update.notes ? html`<p class="hint">${update.notes}</p>` : ""}
      <button type="button" class="btn btn-primary" data-action="install-update">${t("about.install")}</button>
      <p class="hint" data-role="install-progress" aria-live="polite"></p>
    </div>`,
  );
  const install = /** @type {HTMLButtonElement} */ (root.querySelector("[data-action=install-update]"));
  const progress = /** @type {HTMLElement} */ (root.querySelector("[data-role=install-progress]"));
  install.addEventListener("click", async () => {
    install.disabled = true;
    progress.textContent = t("about.downloading");
    try {
      await ipc.installUpdate((p) => {
        progress.textContent = p.total
          ? t("about.downloadedOf", { percent: Math.floor((p.downloaded * 100) / p.total) })
          : t("about.downloading");
      });
    } catch (error) {
      install.disabled = false;
      progress.textContent = /** @type {Error} */ (error).message;
    }
  });
}
