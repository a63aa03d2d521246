// Steps 1 and 2: the search form (the Sign-in Diagnostic's criteria) and the results table.
// The form looks in the workspace, or first fetches what it describes live from the signed-in
// tenant into the workspace and then looks there.

import * as ipc from "../ipc.js";
import { html, mount } from "../lib/html.js";
import { t, tn } from "../lib/i18n.js";
import { criteriaFromForm, formatNumber, formatTime, timeLines } from "../lib/format.js";
import { fetchReportMessage } from "../lib/live.js";
import { showFetchProgress } from "./fetch.js";
import { announce, toast } from "./toast.js";
import { reportButtons, wireReportButtons } from "./report.js";

/** The criteria of the last search, for exporting its results. */
let lastCriteria = /** @type {import("../ipc.js").Criteria | null} */ (null);

/**
 * @typedef {{source: string, user: string, app: string, id: string, status: string, timeMode: string,
 *   from: string, to: string, around: string}} FormValues
 * @typedef {{form: FormValues, results: import("../ipc.js").SearchResults | null,
 *   info: import("../ipc.js").DatasetInfo | null, focusId: string,
 *   live: {id: string, name: string} | null,
 *   onResults: (r: import("../ipc.js").SearchResults) => void, onOpen: (id: string) => void,
 *   onTenant: () => void, onFetched: () => Promise<void>}} SearchContext
 * `onFetched` refreshes what the top bar says about the workspace and the tenant.
 */

/**
 * @param {HTMLElement} root
 * @param {SearchContext} context
 */
export function renderSearch(root, context) {
  const f = context.form;
  // Live needs a signed-in tenant; without one the search looks in the workspace.
  if (!context.live || f.source !== "live") f.source = "offline";
  const statuses = ["any", "failure", "interrupted", "success"];
  const modes = ["any", "around", "range"];
  mount(
    root,
    html`<div class="search-layout">
      <form class="search-form card" data-testid="search-form" aria-labelledby="search-title" novalidate>
        <h1 id="search-title">${t("search.title")}</h1>
        <p class="hint">${t("search.hint")}</p>
        ${sourceField(f.source, context.live)}
        ${textField("user", f.user, "search.user", "search.userPlaceholder")}
        ${textField("app", f.app, "search.app", "search.appPlaceholder")}
        <fieldset class="field">
          <legend id="legend-timeMode">${t("search.when")}</legend>
          ${segmented("timeMode", modes, f.timeMode, "search.time")}
          <div class="time-inputs" data-mode="around" ${f.timeMode === "around" ? "" : html`hidden`}>
            <label class="field"><span>${t("search.aroundLabel")}</span>
              <input name="around" type="datetime-local" step="1" placeholder="2026-11-20 08:30" value="${f.around}" /></label>
            <p class="hint">${t("search.aroundHint")}</p>
          </div>
          <div class="time-inputs two" data-mode="range" ${f.timeMode === "range" ? "" : html`hidden`}>
            <label class="field"><span>${t("search.from")}</span>
              <input name="from" type="datetime-local" step="1" placeholder="2026-11-20 08:00" value="${f.from}" /></label>
            <label class="field"><span>${t("search.to")}</span>
              <input name="to" type="datetime-local" step="1" placeholder="2026-11-20 18:00" value="${f.to}" /></label>
          </div>
        </fieldset>
        ${textField("id", f.id, "search.id", "search.idPlaceholder")}
        <fieldset class="field">
          <legend id="legend-status">${t("search.status")}</legend>
          ${segmented("status", statuses, f.status, "search.status")}
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" data-testid="search-submit">${t(f.source === "live" ? "search.submitLive" : "search.submit")}</button>
          <button type="button" class="btn btn-ghost" data-action="clear">${t("search.clear")}</button>
        </div>
        <p class="form-error" role="alert" data-testid="search-error" hidden></p>
      </form>
      <div class="results card" data-testid="results"></div>
    </div>`,
  );

  const form = /** @type {HTMLFormElement} */ (root.querySelector("form"));
  const results = /** @type {HTMLElement} */ (root.querySelector("[data-testid=results]"));
  const error = /** @type {HTMLElement} */ (root.querySelector("[data-testid=search-error]"));

  const read = () => {
    const data = new FormData(form);
    for (const key of /** @type {(keyof FormValues)[]} */ (Object.keys(f))) {
      f[key] = String(data.get(key) ?? "");
    }
    if (f.source !== "live") f.source = "offline";
  };
  const submit = /** @type {HTMLButtonElement} */ (root.querySelector("[data-testid=search-submit]"));
  const syncSource = () => {
    const live = new FormData(form).get("source") === "live";
    submit.textContent = t(live ? "search.submitLive" : "search.submit");
    for (const hint of root.querySelectorAll("[data-source-hint]")) {
      /** @type {HTMLElement} */ (hint).hidden = hint.getAttribute("data-source-hint") !== (live ? "live" : "offline");
    }
  };
  const syncTimeInputs = () => {
    const mode = String(new FormData(form).get("timeMode"));
    for (const box of root.querySelectorAll(".time-inputs")) {
      /** @type {HTMLElement} */ (box).hidden = box.getAttribute("data-mode") !== mode;
    }
  };
  /** Searches the workspace for the form, or for `criteria` when given. */
  const run = async (/** @type {import("../ipc.js").Criteria | null} */ criteria = null) => {
    read();
    error.hidden = true;
    try {
      lastCriteria = criteria ?? criteriaFromForm(f);
      const found = await ipc.searchSignIns(lastCriteria);
      context.onResults(found);
      announce(renderResults(results, found, context));
    } catch (e) {
      showError(/** @type {import("../ipc.js").IpcError} */ (e));
    }
  };
  /** @param {import("../ipc.js").IpcError} e */
  const showError = (e) => {
    const needsSignIn = e.code === "sign_in";
    // Shown before it is filled, so that screen readers hear the alert.
    error.hidden = false;
    mount(
      error,
      html`${e.message}${needsSignIn
        ? html` <button type="button" class="link" data-action="to-tenant">${t("search.toTenant")}</button>`
        : ""}`,
    );
    error.querySelector("[data-action=to-tenant]")?.addEventListener("click", () => context.onTenant());
  };
  /** Fetches what the form describes from the tenant, then searches the workspace for it. */
  const fetchLive = async () => {
    read();
    error.hidden = true;
    const live = context.live;
    if (!live) return run();
    const criteria = criteriaFromForm(f);
    const progress = showFetchProgress(live.name, () => ipc.liveCancel().catch(() => {}));
    document.body.classList.add("busy");
    /** @type {import("../ipc.js").FetchReport} */
    let report;
    try {
      report = await ipc.liveFetch(criteria, (p) => progress.update(p));
    } catch (e) {
      progress.close();
      document.body.classList.remove("busy");
      showError(/** @type {import("../ipc.js").IpcError} */ (e));
      // Pages that arrived before the failure are in the workspace; the sign-in may have ended.
      await context.onFetched();
      return;
    }
    progress.close();
    document.body.classList.remove("busy");
    const { text, kind } = fetchReportMessage(report, live.name);
    toast(text, kind);
    for (const notice of report.notices) toast(notice, "warning");
    await context.onFetched();
    // Show what was fetched: with no time in the form, the window the fetch used (the last
    // 24 hours), not everything the workspace holds.
    const timed = Boolean(criteria.from || criteria.to || criteria.around);
    await run(timed ? null : { ...criteria, from: report.from, to: report.to });
    // Back to the top of the results, with the keyboard where it was.
    window.scrollTo(0, 0);
    submit.focus({ preventScroll: true });
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (new FormData(form).get("source") === "live") fetchLive();
    else run();
  });
  form.addEventListener("change", (event) => {
    const target = /** @type {HTMLInputElement} */ (event.target);
    if (target.name === "source") syncSource();
    if (target.name === "timeMode") syncTimeInputs();
    // The workspace answers at once; a live fetch waits for the Search button.
    const live = new FormData(form).get("source") === "live";
    if (!live && (target.name === "status" || target.name === "timeMode")) run(null);
  });
  root.querySelector("[data-action=tenant]")?.addEventListener("click", () => context.onTenant());
  root.querySelector("[data-action=clear]")?.addEventListener("click", () => {
    Object.assign(f, { user: "", app: "", id: "", status: "any", timeMode: "any", from: "", to: "", around: "" });
    renderSearch(root, { ...context, results: null, focusId: "" });
    /** @type {HTMLElement | null} */ (root.querySelector("#search-user"))?.focus();
  });

  if (context.results) {
    renderResults(results, context.results, context);
  } else {
    run();
  }
}

/**
 * A labelled text box of the form, with `id="search-<name>"` and `data-testid="search-<name>"`.
 * @param {string} name
 * @param {string} value
 * @param {string} labelKey
 * @param {string} placeholderKey
 */
function textField(name, value, labelKey, placeholderKey) {
  return html`<label class="field">
    <span>${t(labelKey)}</span>
    <input id="search-${name}" name="${name}" type="search" autocomplete="off" spellcheck="false"
      placeholder="${t(placeholderKey)}" value="${value}" data-testid="search-${name}" />
  </label>`;
}

/**
 * Where to look: the workspace, or live from the signed-in tenant (offered but disabled, with
 * the way to sign in, when no tenant is signed in).
 * @param {string} source
 * @param {{name: string} | null} live
 */
function sourceField(source, live) {
  return html`<fieldset class="field">
    <legend id="legend-source">${t("search.source")}</legend>
    <div class="segmented segmented-wrap" role="radiogroup" aria-labelledby="legend-source">
      <label class="segment" data-testid="source-offline"><input type="radio" name="source" value="offline"
        ${source === "offline" ? html`checked` : ""} /><span>${t("search.source.offline")}</span></label>
      <label class="segment ${live ? "" : "segment-disabled"}" data-testid="source-live"><input type="radio" name="source" value="live"
        ${source === "live" ? html`checked` : ""} ${live ? "" : html`disabled aria-describedby="source-hint-none"`} /><span>${live
          ? t("search.source.live", { name: live.name })
          : t("search.source.liveNone")}</span></label>
    </div>
    ${live
      ? html`<p class="hint" data-source-hint="offline" ${source === "offline" ? "" : html`hidden`}>${t("search.source.offlineHint")}</p>
          <p class="hint" data-source-hint="live" data-testid="source-live-hint" ${source === "live" ? "" : html`hidden`}>${t("search.source.liveHint")}</p>`
      : html`<p class="hint" id="source-hint-none">${t("search.source.noneHint")}
          <button type="button" class="link" data-action="tenant" data-testid="source-sign-in">${t("search.source.signIn")}</button></p>`}
  </fieldset>`;
}

/**
 * A row of radio buttons that looks like a segmented control. Each option's label carries
 * `data-testid="<name>-<value>"`.
 * @param {string} name
 * @param {string[]} values
 * @param {string} current
 * @param {string} labelPrefix message key prefix; the label of `v` is `<prefix>.<v>`
 */
function segmented(name, values, current, labelPrefix) {
  return html`<div class="segmented" role="radiogroup" aria-labelledby="legend-${name}">
    ${values.map(
      (v) => html`<label class="segment" data-testid="${name}-${v}"><input type="radio" name="${name}" value="${v}"
        ${v === current ? html`checked` : ""} /><span>${t(`${labelPrefix}.${v}`)}</span></label>`,
    )}
  </div>`;
}

/**
 * @param {HTMLElement} root
 * @param {import("../ipc.js").SearchResults} found
 * @param {SearchContext} context
 * @returns {string} what the results say in one line, for screen readers
 */
function renderResults(root, found, context) {
  if (found.total === 0) {
    mount(
      root,
      html`<div class="empty">
        <h2>${t("results.noneTitle")}</h2>
        <p>${t("results.noneHint")}</p>
      </div>`,
    );
    return t("results.noneTitle");
  }
  const shown = found.rows.length;
  const heading = shown < found.total
    ? t("results.someOf", { shown: formatNumber(shown), total: formatNumber(found.total) })
    : tn("results.count", found.total);
  mount(
    root,
    html`<div class="results-head">
        <h2 id="results-heading" data-testid="results-count">${heading}</h2>
        <p class="hint">${t("results.hint")}</p>
        ${reportButtons({ ticket: false })}
      </div>
      <div class="table-wrap">
        <table class="results-table" data-testid="results-table" aria-labelledby="results-heading">
          <thead>
            <tr>
              <th scope="col">${t("column.time")}</th>
              <th scope="col">${t("column.user")}</th>
              <th scope="col">${t("column.app")}</th>
              <th scope="col">${t("column.status")}</th>
              <th scope="col">${t("column.code")}</th>
              <th scope="col">${t("column.location")}</th>
              <th scope="col">${t("column.ip")}</th>
            </tr>
          </thead>
          <tbody>
            ${found.rows.map(
              (row, i) => html`<tr tabindex="${i === 0 ? "0" : "-1"}" data-id="${row.id}" data-status="${row.status}"
                  aria-label="${t("results.rowLabel", {
                    status: t(`status.${row.status}`),
                    user: row.userPrincipalName ?? row.userDisplayName ?? "",
                    app: row.appDisplayName ?? row.appId ?? "",
                    time: formatTime(row.createdDateTime),
                  })}">
                <td class="nowrap" title="${formatTime(row.createdDateTime)}">${timeCell(row.createdDateTime)}</td>
                <td><div class="cell-main">${row.userDisplayName ?? ""}</div><div class="cell-sub">${row.userPrincipalName ?? ""}</div></td>
                <td>${row.appDisplayName ?? row.appId ?? ""}${row.eventType && row.eventType !== "interactiveUser"
                  ? html`<div class="cell-sub">${t(`eventTypeShort.${row.eventType}`)}</div>`
                  : ""}</td>
                <td><span class="badge badge-${row.status}">${t(`status.${row.status}`)}</span></td>
                <td class="mono">${row.errorCode === 0 ? "" : row.errorCode}</td>
                <td>${row.location ?? ""}</td>
                <td class="mono nowrap">${row.ipAddress ?? ""}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>`,
  );
  wireReportButtons(root, () => ({ criteria: lastCriteria ?? criteriaFromForm(context.form) }));
  const body = /** @type {HTMLElement} */ (root.querySelector("tbody"));
  const open = (/** @type {Element | null} */ row) => {
    const id = row?.getAttribute("data-id");
    if (id) context.onOpen(id);
  };
  body.addEventListener("click", (event) => open(/** @type {Element} */ (event.target).closest("tr")));
  // One stop for the keyboard: Tab reaches the row last used, arrows move between rows.
  body.addEventListener("focusin", (event) => {
    const row = /** @type {Element} */ (event.target).closest("tr");
    if (!row) return;
    for (const other of body.querySelectorAll("tr[tabindex='0']")) if (other !== row) other.setAttribute("tabindex", "-1");
    row.setAttribute("tabindex", "0");
  });
  body.addEventListener("keydown", (event) => {
    const row = /** @type {HTMLElement} */ (event.target).closest("tr");
    if (!row) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      open(row);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const next = event.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling;
      /** @type {HTMLElement | null} */ (next)?.focus();
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      /** @type {HTMLElement | null} */ (event.key === "Home" ? body.firstElementChild : body.lastElementChild)?.focus();
    }
  });
  if (context.focusId) {
    const row = /** @type {HTMLElement | null} */ (body.querySelector(`tr[data-id="${CSS.escape(context.focusId)}"]`));
    // The screen is shown right after it is drawn; the focus can go there once it is.
    queueMicrotask(() => {
      row?.focus();
      row?.scrollIntoView({ block: "center" });
    });
  }
  return heading;
}

/**
 * A sign-in's time in the results: local time, with UTC beneath it to compare with Microsoft's logs.
 * @param {string} iso
 */
function timeCell(iso) {
  const { main, sub } = timeLines(iso);
  return html`${main}${sub ? html`<div class="cell-sub">${sub}</div>` : ""}`;
}
