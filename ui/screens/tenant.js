// The Tenant screen: saved tenant profiles (an MSP admin keeps one per customer), the form for
// one, and signing in by the profile's mode: in the browser, with a device code typed on
// another device, through the Azure CLI, or as an app registration with a secret or a
// certificate. Nothing here ever holds a token; a client secret typed in is sent once and
// wiped from the page.

import * as ipc from "../ipc.js";
import { html, mount } from "../lib/html.js";
import { t, tn } from "../lib/i18n.js";
import {
  CLOUDS,
  MODES,
  emptyProfileForm,
  formChanged,
  minutesLeft,
  profileInput,
  profileToForm,
  signInWait,
} from "../lib/live.js";
import { askConfirm } from "./imports.js";
import { toast } from "./toast.js";

/**
 * @typedef {{status: import("../ipc.js").LiveStatus,
 *   onStatus: (status: import("../ipc.js").LiveStatus) => void,
 *   onBack: () => void, onSearch: () => void}} TenantContext
 * @typedef {{kind: "idle"} | {kind: "starting"} | {kind: "browser"} | {kind: "busy"}
 *   | {kind: "device-code", code: import("../ipc.js").DeviceCode}
 *   | {kind: "done", notices: string[]} | {kind: "failed", message: string} | {kind: "cancelled"}} Flow
 */

/**
 * What the screen shows, kept across renders so that leaving the screen during a sign-in and
 * coming back shows the same code, and the answer lands wherever the screen is drawn.
 */
const view = {
  /** @type {HTMLElement | null} */
  root: null,
  /** @type {TenantContext | null} */
  context: null,
  /** The profile on show: its ID, or "new". */
  selected: "",
  /** @type {Flow} */
  flow: { kind: "idle" },
  /** The profile the flow belongs to. */
  flowProfile: "",
};

/** Whether a sign-in is running (its Cancel is on screen). */
export function signingIn() {
  return ["starting", "browser", "busy", "device-code"].includes(view.flow.kind);
}

/**
 * @param {HTMLElement} root
 * @param {TenantContext} context
 */
export function renderTenant(root, context) {
  view.root = root;
  view.context = context;
  const ids = context.status.profiles.map((p) => p.id);
  if (!signingIn() && (!view.selected || (view.selected !== "new" && !ids.includes(view.selected)))) {
    view.selected = context.status.active ?? "new";
  }
  // What the last sign-in said belongs to that visit; a running one stays on screen.
  if (!signingIn()) view.flow = { kind: "idle" };
  draw();
  const first = /** @type {HTMLElement | null} */ (root.querySelector("[data-testid=tenant-switcher], #tenant-name"));
  first?.focus();
}

/** The profile on show, or null for a new one. */
function current() {
  const status = /** @type {TenantContext} */ (view.context).status;
  return status.profiles.find((p) => p.id === view.selected) ?? null;
}

function draw() {
  const root = /** @type {HTMLElement} */ (view.root);
  const { status } = /** @type {TenantContext} */ (view.context);
  const profile = current();
  const form = profile ? profileToForm(profile, status.defaultClientId) : emptyProfileForm();
  const busy = signingIn();
  mount(
    root,
    html`<div class="tenant">
      <header class="tenant-head">
        <button type="button" class="btn btn-ghost back" data-action="back"><span aria-hidden="true">←</span> ${t("tenant.back")}</button>
        <h1 id="tenant-title">${t("tenant.title")}</h1>
        <p class="hint">${t("tenant.lead")}</p>
        ${status.persistence === "session"
          ? html`<div class="notice-box notice-warning" data-testid="tenant-session-only">
              <strong>${t("tenant.sessionOnly")}</strong>
              ${status.persistenceNote ? html`<p class="notice-detail">${status.persistenceNote}</p>` : ""}
            </div>`
          : ""}
        ${status.profiles.length > 0
          ? html`<label class="field tenant-switch"><span>${t("tenant.switcher")}</span>
              <select id="tenant-switcher" data-testid="tenant-switcher" ${busy ? html`disabled` : ""}>
                ${status.profiles.map(
                  (p) => html`<option value="${p.id}" ${p.id === view.selected ? html`selected` : ""}>${p.name}${
                    p.signedIn ? ` · ${t("tenant.signedInShort")}` : ""
                  }</option>`,
                )}
                <option value="new" ${view.selected === "new" ? html`selected` : ""}>${t("tenant.newProfile")}</option>
              </select></label>`
          : ""}
      </header>
      <div class="tenant-layout">
        <form class="card tenant-form" data-testid="tenant-form" novalidate>
          <h2>${profile ? t("tenant.formTitle", { name: profile.name }) : t("tenant.formTitleNew")}</h2>
          <fieldset class="bare" data-role="editable" ${busy ? html`disabled` : ""}>
            ${textField("name", form.name, "tenant.name", t("tenant.namePlaceholder"))}
            ${textField("tenant", form.tenant, "tenant.tenant", t("tenant.tenantPlaceholder"), t("tenant.tenantHint"))}
            <label class="field"><span>${t("tenant.cloud")}</span>
              <select id="tenant-cloud" name="cloud" data-testid="tenant-cloud">
                ${CLOUDS.map((c) => html`<option value="${c}" ${c === form.cloud ? html`selected` : ""}>${t(`tenant.cloud.${c}`)}</option>`)}
              </select></label>
            <div class="custom-cloud" data-role="custom" ${form.cloud === "custom" ? "" : html`hidden`}>
              ${textField("authority", form.authority, "tenant.authority", "https://login.microsoftonline.com", "", "url")}
              ${textField("graph", form.graph, "tenant.graph", "https://graph.microsoft.com", t("tenant.customHint"), "url")}
            </div>
            ${textField("clientId", form.clientId, "tenant.clientId", status.defaultClientId, t("tenant.clientIdHint"))}
            <fieldset class="field">
              <legend>${t("tenant.mode")}</legend>
              <div class="choices">
                ${MODES.map(
                  (m) => html`<label class="choice" data-testid="mode-${m}">
                    <input type="radio" name="mode" value="${m}" ${m === form.mode ? html`checked` : ""}
                      aria-describedby="mode-hint-${m}" />
                    <span class="choice-text">
                      <span class="choice-title">${t(`tenant.mode.${m}`)}${m === "browser"
                        ? html` <span class="badge badge-success">${t("tenant.recommended")}</span>`
                        : ""}</span>
                      <span class="choice-hint" id="mode-hint-${m}">${t(`tenant.modeHint.${m}`)}</span>
                    </span>
                  </label>`,
                )}
              </div>
            </fieldset>
            <div data-role="mode-secret" ${form.mode === "client-secret" ? "" : html`hidden`}>
              <label class="field"><span>${t("tenant.secret")}</span>
                <input id="tenant-secret" type="password" autocomplete="off" spellcheck="false"
                  data-testid="tenant-secret" aria-describedby="tenant-secret-hint" /></label>
              <p class="hint" id="tenant-secret-hint">${t("tenant.secretHint")}</p>
            </div>
            <div data-role="mode-certificate" ${form.mode === "certificate" ? "" : html`hidden`}>
              <label class="field" for="tenant-certificatePath"><span>${t("tenant.certificate")}</span></label>
              <div class="input-row">
                <input id="tenant-certificatePath" name="certificatePath" type="text" spellcheck="false" value="${form.certificatePath}"
                  placeholder="${t("tenant.certificatePlaceholder")}" data-testid="tenant-certificatePath" aria-describedby="tenant-certificate-hint" />
                <button type="button" class="btn btn-secondary" data-action="choose-certificate">${t("tenant.chooseCertificate")}</button>
              </div>
              <p class="hint" id="tenant-certificate-hint">${t("tenant.certificateHint")}</p>
            </div>
          </fieldset>
          ${profile?.signedIn ? html`<p class="hint">${t("tenant.changeSignsOut")}</p>` : ""}
          <div class="form-actions">
            <button type="submit" class="btn btn-secondary" data-testid="tenant-save" ${busy ? html`disabled` : ""}>${t("tenant.save")}</button>
          </div>
          <p class="form-error" role="alert" data-testid="tenant-form-error" hidden></p>
        </form>
        <section class="card tenant-connection" aria-labelledby="connection-title" data-testid="tenant-connection">
          <h2 id="connection-title">${t("tenant.connection")}</h2>
          <div data-role="state" aria-live="polite">${stateBlock(profile)}</div>
          <div class="form-actions wrap">
            ${profile?.signedIn && !busy
              ? html`<button type="button" class="btn btn-primary" data-action="search-live" data-testid="tenant-search">${t("tenant.searchTenant")}</button>`
              : html`<button type="button" class="btn btn-primary" data-action="sign-in" data-testid="tenant-sign-in" ${busy ? html`disabled` : ""}>${t(profile?.signedIn ? "tenant.signInAgain" : "tenant.signIn")}</button>`}
            ${profile?.signedIn ? html`<button type="button" class="btn btn-secondary" data-action="sign-out" data-testid="tenant-sign-out" ${busy ? html`disabled` : ""}>${t("tenant.signOut")}</button>` : ""}
          </div>
          <div data-role="flow" data-testid="tenant-flow" aria-live="polite">${flowBlock(profile)}</div>
          ${profile
            ? html`<div class="connection-foot">
                <button type="button" class="link danger-text" data-action="remove" data-testid="tenant-remove" ${busy ? html`disabled` : ""}>${t("tenant.remove")}</button>
              </div>`
            : ""}
        </section>
      </div>
    </div>`,
  );
  wire(root);
}

/**
 * A labelled text box with `id="tenant-<name>"` and `data-testid="tenant-<name>"`.
 * @param {string} name
 * @param {string} value
 * @param {string} labelKey
 * @param {string} placeholder
 * @param {string} [hint]
 * @param {string} [type]
 */
function textField(name, value, labelKey, placeholder, hint = "", type = "text") {
  return html`<label class="field"><span>${t(labelKey)}</span>
      <input id="tenant-${name}" name="${name}" type="${type}" autocomplete="off" spellcheck="false" value="${value}"
        placeholder="${placeholder}" data-testid="tenant-${name}" ${hint ? html`aria-describedby="tenant-${name}-hint"` : ""} /></label>
    ${hint ? html`<p class="hint" id="tenant-${name}-hint">${hint}</p>` : ""}`;
}

/** @param {import("../ipc.js").Profile | null} profile */
function stateBlock(profile) {
  if (!profile) {
    return html`<p class="connection-state"><span class="badge">${t("tenant.state.new")}</span></p>
      <p class="hint">${t("tenant.state.newHint")}</p>`;
  }
  if (!profile.signedIn) {
    return html`<p class="connection-state" data-testid="tenant-state"><span class="badge">${t("tenant.state.signedOut")}</span>
      <span class="muted">${profile.tenant}</span></p>`;
  }
  return html`<p class="connection-state" data-testid="tenant-state"><span class="badge badge-success">${t("tenant.state.signedIn")}</span></p>
    ${profile.account ? html`<p class="connection-account">${t("tenant.as")} <strong data-testid="tenant-account">${profile.account}</strong></p>` : ""}
    ${profile.tenantId ? html`<p class="hint">${t("tenant.tenantId")} <span class="mono selectable">${profile.tenantId}</span></p>` : ""}`;
}

/** @param {import("../ipc.js").Profile | null} profile */
function flowBlock(profile) {
  const flow = view.flow;
  switch (flow.kind) {
    case "starting":
      return html`<p class="flow-line"><span class="spinner" aria-hidden="true"></span>${t("tenant.flow.starting")}</p>`;
    case "busy":
      return html`<p class="flow-line"><span class="spinner" aria-hidden="true"></span>${t("tenant.flow.busy")}</p>`;
    case "browser":
      return html`<div class="flow-box">
        <p class="flow-line"><span class="spinner" aria-hidden="true"></span><strong>${t("tenant.flow.browser")}</strong></p>
        <p class="hint">${t("tenant.flow.browserHint")}</p>
        <button type="button" class="btn btn-secondary" data-action="cancel-sign-in">${t("tenant.cancel")}</button>
      </div>`;
    case "device-code":
      return html`<div class="device-box" data-testid="device-code-box">
        <p>${t("tenant.device.open")}</p>
        <p class="device-url mono selectable" data-testid="device-url">${flow.code.verificationUri}</p>
        <p>${t("tenant.device.enter")}</p>
        <p class="device-code mono selectable" data-testid="device-code" aria-hidden="true">${flow.code.userCode}</p>
        <p class="sr-only">${t("tenant.device.codeLabel", { code: spell(flow.code.userCode) })}</p>
        <div class="form-actions">
          <button type="button" class="btn btn-primary" data-action="copy-code">${t("tenant.device.copy")}</button>
          <button type="button" class="btn btn-secondary" data-action="open-device-page">${t("tenant.device.openPage")}</button>
          <button type="button" class="btn btn-secondary" data-action="cancel-sign-in">${t("tenant.cancel")}</button>
        </div>
        <p class="flow-line hint"><span class="spinner" aria-hidden="true"></span>${tn("tenant.device.wait", minutesLeft(flow.code.expiresAt))}</p>
      </div>`;
    case "done":
      return html`<div class="notice-box notice-ok" data-testid="tenant-signed-in">
          ${t("tenant.flow.done", { name: profile?.name ?? "" })}
        </div>
        ${flow.notices.length > 0
          ? html`<div class="notice-box notice-warning" data-testid="tenant-notices">
              <strong>${t("tenant.flow.notices")}</strong>
              <ul>${flow.notices.map((n) => html`<li>${n}</li>`)}</ul>
            </div>`
          : ""}`;
    case "failed":
      return html`<div class="form-error" role="alert" data-testid="tenant-error">${flow.message}</div>`;
    case "cancelled":
      return html`<p class="notice-box" data-testid="tenant-cancelled">${t("tenant.flow.cancelled")}</p>`;
    default:
      return "";
  }
}

/** A code read out one character at a time ("A B C D - 1 2 3 4"), so screen readers spell it. */
function spell(/** @type {string} */ code) {
  return [...code].join(" ");
}

/** @param {HTMLElement} root */
function formValues(root) {
  const form = /** @type {HTMLFormElement} */ (root.querySelector("[data-testid=tenant-form]"));
  const data = new FormData(form);
  const get = (/** @type {string} */ k) => String(data.get(k) ?? "");
  return {
    name: get("name"),
    tenant: get("tenant"),
    cloud: get("cloud") || "global",
    authority: get("authority"),
    graph: get("graph"),
    clientId: get("clientId"),
    mode: get("mode") || "browser",
    certificatePath: get("certificatePath"),
  };
}

/** @param {HTMLElement} root */
function wire(root) {
  const context = /** @type {TenantContext} */ (view.context);
  const form = /** @type {HTMLFormElement} */ (root.querySelector("[data-testid=tenant-form]"));
  const formError = /** @type {HTMLElement} */ (root.querySelector("[data-testid=tenant-form-error]"));
  const showProblem = (/** @type {string} */ text) => {
    formError.textContent = text;
    formError.hidden = false;
  };

  root.querySelector("[data-action=back]")?.addEventListener("click", () => context.onBack());

  root.querySelector("[data-testid=tenant-switcher]")?.addEventListener("change", async (event) => {
    const value = /** @type {HTMLSelectElement} */ (event.target).value;
    view.flow = { kind: "idle" };
    if (value !== "new") {
      try {
        update(await ipc.liveUseProfile(value));
      } catch (error) {
        toast(/** @type {Error} */ (error).message, "error");
        return;
      }
    }
    view.selected = value;
    draw();
    /** @type {HTMLElement | null} */ (root.querySelector("[data-testid=tenant-switcher]"))?.focus();
  });

  form.addEventListener("change", (event) => {
    const target = /** @type {HTMLInputElement} */ (event.target);
    if (target.name === "cloud") {
      /** @type {HTMLElement} */ (root.querySelector("[data-role=custom]")).hidden = target.value !== "custom";
    }
    if (target.name === "mode") {
      /** @type {HTMLElement} */ (root.querySelector("[data-role=mode-secret]")).hidden = target.value !== "client-secret";
      /** @type {HTMLElement} */ (root.querySelector("[data-role=mode-certificate]")).hidden = target.value !== "certificate";
    }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    formError.hidden = true;
    if (await save(showProblem)) {
      toast(t("tenant.saved", { name: current()?.name ?? "" }));
      /** @type {HTMLElement | null} */ (root.querySelector("[data-action=sign-in], [data-action=search-live]"))?.focus();
    }
  });

  root.querySelector("[data-action=choose-certificate]")?.addEventListener("click", async () => {
    try {
      const [path] = await ipc.chooseCertificate();
      const input = /** @type {HTMLInputElement} */ (root.querySelector("#tenant-certificatePath"));
      if (path) input.value = path;
      input.focus();
    } catch (error) {
      toast(/** @type {Error} */ (error).message, "error");
    }
  });

  root.querySelector("[data-action=sign-in]")?.addEventListener("click", () => {
    formError.hidden = true;
    signIn(showProblem);
  });

  root.querySelector("[data-action=search-live]")?.addEventListener("click", () => context.onSearch());

  root.querySelector("[data-action=sign-out]")?.addEventListener("click", async () => {
    const profile = current();
    if (!profile) return;
    try {
      update(await ipc.liveSignOut(profile.id));
      view.flow = { kind: "idle" };
      toast(t("tenant.signedOut", { name: profile.name }));
      draw();
      /** @type {HTMLElement | null} */ (root.querySelector("[data-action=sign-in]"))?.focus();
    } catch (error) {
      toast(/** @type {Error} */ (error).message, "error");
    }
  });

  root.querySelector("[data-action=remove]")?.addEventListener("click", async () => {
    const profile = current();
    if (!profile) return;
    if (!(await askConfirm(t("tenant.confirmRemove", { name: profile.name }), t("tenant.remove")))) return;
    try {
      const status = await ipc.liveRemoveProfile(profile.id);
      update(status);
      view.selected = status.active ?? "new";
      view.flow = { kind: "idle" };
      toast(t("tenant.removed", { name: profile.name }));
      draw();
      /** @type {HTMLElement | null} */ (root.querySelector("[data-testid=tenant-switcher], #tenant-name"))?.focus();
    } catch (error) {
      toast(/** @type {Error} */ (error).message, "error");
    }
  });

  root.querySelector("[data-action=cancel-sign-in]")?.addEventListener("click", (event) => {
    const button = /** @type {HTMLButtonElement} */ (event.currentTarget);
    button.disabled = true;
    button.textContent = t("tenant.cancelling");
    ipc.liveCancel().catch(() => {});
  });

  root.querySelector("[data-action=open-device-page]")?.addEventListener("click", () => {
    ipc.liveOpenDevicePage().catch((/** @type {Error} */ e) => toast(e.message, "error"));
  });

  root.querySelector("[data-action=copy-code]")?.addEventListener("click", async () => {
    if (view.flow.kind !== "device-code") return;
    const code = view.flow.code.userCode;
    try {
      await navigator.clipboard.writeText(code);
      toast(t("tenant.device.copied"));
    } catch {
      // Without clipboard access, select the code so Ctrl+C copies it.
      const box = root.querySelector("[data-testid=device-code]");
      if (box) window.getSelection()?.selectAllChildren(box);
      toast(t("tenant.device.copyByHand"), "warning");
    }
  });
}

/** @param {import("../ipc.js").LiveStatus} status */
function update(status) {
  const context = /** @type {TenantContext} */ (view.context);
  context.status = status;
  context.onStatus(status);
}

/**
 * Saves the form as a new profile or over the one on show; it becomes the active one.
 * @param {(text: string) => void} showProblem
 * @returns {Promise<boolean>} whether it was saved
 */
async function save(showProblem) {
  const { input, problem } = profileInput(formValues(/** @type {HTMLElement} */ (view.root)), current()?.id ?? null);
  if (!input) {
    showProblem(problem);
    return false;
  }
  try {
    const status = await ipc.liveSaveProfile(input);
    update(status);
    view.selected = status.active ?? "new";
    view.flow = { kind: "idle" };
    draw();
    return true;
  } catch (error) {
    showProblem(/** @type {Error} */ (error).message);
    return false;
  }
}

/**
 * Saves the form when it says something new, then signs in by the profile's mode.
 * @param {(text: string) => void} showProblem
 */
async function signIn(showProblem) {
  const root = /** @type {HTMLElement} */ (view.root);
  const { status } = /** @type {TenantContext} */ (view.context);
  const secretBox = /** @type {HTMLInputElement | null} */ (root.querySelector("#tenant-secret"));
  let secret = secretBox?.value ?? "";
  // A profile that cannot be saved says why next to the field and next to Sign in, without
  // redrawing the form the admin is filling in.
  const problem = (/** @type {string} */ text) => {
    showProblem(text);
    view.flow = { kind: "failed", message: text };
    const area = root.querySelector("[data-role=flow]");
    if (area) mount(area, flowBlock(current()));
  };
  if (!current() || formChanged(formValues(root), current(), status.defaultClientId)) {
    if (!(await save(problem))) return;
  }
  const profile = current();
  if (!profile) return;
  view.flowProfile = profile.id;
  const wait = signInWait(profile.mode);
  const show = (/** @type {Flow} */ flow) => {
    view.flow = flow;
    draw();
    /** @type {HTMLElement | null} */ (view.root?.querySelector("[data-action=copy-code], [data-action=cancel-sign-in]"))?.focus();
  };
  try {
    /** @type {import("../ipc.js").SignInReport} */
    let report;
    if (wait === "device-code") {
      show({ kind: "starting" });
      const code = await ipc.liveDeviceCode(profile.id);
      show({ kind: "device-code", code });
      report = await ipc.liveDeviceCodeWait();
    } else {
      show({ kind: wait });
      const sending = profile.mode === "client-secret" && secret ? secret : undefined;
      // The secret leaves the page with this call and is not kept here.
      if (secretBox) secretBox.value = "";
      secret = "";
      report = await ipc.liveSignIn(profile.id, sending);
    }
    update(report.status);
    view.flow = { kind: "done", notices: report.notices };
    const account = report.status.profiles.find((p) => p.id === profile.id)?.account;
    toast(account ? t("tenant.signedInAs", { name: profile.name, account }) : t("tenant.signedInTo", { name: profile.name }));
  } catch (error) {
    const e = /** @type {import("../ipc.js").IpcError} */ (error);
    view.flow = e.code === "cancelled" ? { kind: "cancelled" } : { kind: "failed", message: e.message };
    try {
      update(await ipc.liveStatus());
    } catch {
      // The status shown stays as it was.
    }
  } finally {
    secret = "";
  }
  draw();
  /** @type {HTMLElement | null} */ (view.root?.querySelector("[data-action=search-live], [data-action=sign-in]"))?.focus();
}
