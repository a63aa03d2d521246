// Steps 1 and 2: the search form (the Sign-in Diagnostic's criteria) and the results table.
// The form looks in the workspace, or first fetches what it describes live from the signed-in
// tenant into the workspace and then looks there.

import * as ipc from "../ipc.js";
import { html, mount } from "../lib/html.js";
import { t, tn } from "../lib/i18n.js";
import { criteriaFromForm, formatNumber, formatTime, timeLines } from "../lib/format.js";
import { fetchReportMessage, fetchedCriteria } from "../lib/live.js";
import { showFetchProgress } from "./fetch.js";
import { announce, toast } from "./toast.js";
import { reportButtons, wireReportButtons } from "./report.js";
import { VirtualTable } from "../lib/virtual-table.js";

/** The criteria of the last search, for exporting its results. */
let lastCriteria = /** @type {import("../ipc.js").Criteria | null} */ (null);
/** Rows read at a time as the results table scrolls. */
const PAGE_SIZE = 100;
/** Each search gets the next number; an answer to any but the newest is dropped. */
let searchNumber = 0;
/** The results table on screen; replaced (and stopped) by the next search. */
let table = /** @type {VirtualTable<import("../ipc.js").EventSummary> | null} */ (null);
/** The row opened last and its place, to come back to it from the detail screen. */
let lastOpened = { id: "", index: 0 };

/**
 * @typedef {{source: string, user: string, app: string, id: string, status: string, timeMode: string,
 *   from: string, to: string, around: string}} FormValues
 * @typedef {{form: FormValues, results: import("../ipc.js").SearchPage | null,
 *   info: import("../ipc.js").DatasetInfo | null, focusId: string,
 *   live: {id: string, name: string} | null,
 *   onResults: (r: import("../ipc.js").SearchPage) => void, onOpen: (id: string) => void,
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
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let typing;
  /**
   * Searches the workspace for the form, or for `criteria` when given. The count and rows are
   * worked out on the Rust side off the window's thread; a search started while this one runs
   * replaces it, and this one's answer is dropped. `quiet` shows the results without telling a
   * screen reader their count (the refreshes during a live fetch; its end is announced).
   */
  const run = async (/** @type {import("../ipc.js").Criteria | null} */ criteria = null, quiet = false) => {
    clearTimeout(typing);
    read();
    const number = ++searchNumber;
    try {
      const wanted = criteria ?? criteriaFromForm(f);
      const found = await ipc.searchBegin(wanted, PAGE_SIZE);
      if (number !== searchNumber || found.stale) return;
      error.hidden = true;
      lastCriteria = wanted;
      context.onResults(found);
      // Searched again only when no newer search has started since.
      const said = renderResults(results, found, context, () => {
        if (number === searchNumber) run(wanted);
      });
      if (!quiet) announce(said);
    } catch (e) {
      if (number === searchNumber) showError(/** @type {import("../ipc.js").IpcError} */ (e));
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
    // Each page is in the workspace when its progress arrives: the results show the sign-ins
    // fetched so far behind the panel, the first page at once. These refreshes are quiet, so
    // a screen reader does not hear the count every few seconds; the fetch's end is announced.
    const progress = showFetchProgress(live.name, () => ipc.liveCancel().catch(() => {}), (p) =>
      run(fetchedCriteria(criteria, p), true));
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
    await run(fetchedCriteria(criteria, report));
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
  // Typing in a text box searches the workspace a moment after the typing pauses.
  form.addEventListener("input", (event) => {
    const target = /** @type {HTMLInputElement} */ (event.target);
    if (target.type !== "search" || new FormData(form).get("source") === "live") return;
    clearTimeout(typing);
    typing = setTimeout(() => run(null), 250);
  });
  root.querySelector("[data-action=tenant]")?.addEventListener("click", () => context.onTenant());
  root.querySelector("[data-action=clear]")?.addEventListener("click", () => {
    Object.assign(f, { user: "", app: "", id: "", status: "any", timeMode: "any", from: "", to: "", around: "" });
    renderSearch(root, { ...context, results: null, focusId: "" });
    /** @type {HTMLElement | null} */ (root.querySelector("#search-user"))?.focus();
  });

  if (context.results) {
    const number = searchNumber;
    renderResults(results, context.results, context, () => {
      if (number === searchNumber) run(lastCriteria);
    }, context.focusId);
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
 * The results: the count, and a table that scrolls through every match, reading rows a page at
 * a time as they come into sight (`ui/lib/virtual-table.js`).
 * @param {HTMLElement} root
 * @param {import("../ipc.js").SearchPage} found the search's total and first rows
 * @param {SearchContext} context
 * @param {() => void} again searches again when the workspace changed under the search
 * @param {string} [focusId] the row to put the focus on: the one opened, on the way back to it
 * @returns {string} what the results say in one line, for screen readers
 */
function renderResults(root, found, context, again, focusId = "") {
  // A row that has the focus keeps it when a newer search lists it too.
  const focused = root.contains(document.activeElement)
    ? document.activeElement?.closest("tr[data-id]")?.getAttribute("data-id") ?? ""
    : "";
  table?.destroy();
  table = null;
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
  const heading = tn("results.count", found.total);
  mount(
    root,
    html`<div class="results-head">
        <h2 id="results-heading" data-testid="results-count">${heading}</h2>
        <p class="hint">${t("results.hint")}</p>
        ${reportButtons({ ticket: false })}
      </div>
      <div class="table-wrap vt-viewport" data-testid="results-viewport" tabindex="-1" role="group"
        aria-labelledby="results-heading">
        <div class="vt-spacer" data-testid="results-spacer">
          <table class="results-table vt-table" data-testid="results-table" aria-labelledby="results-heading">
            <colgroup>
              <col class="col-time" /><col class="col-user" /><col class="col-app" /><col class="col-status" />
              <col class="col-code" /><col class="col-location" /><col class="col-ip" />
            </colgroup>
            <thead>
              <tr aria-rowindex="1">
                <th scope="col">${t("column.time")}</th>
                <th scope="col">${t("column.user")}</th>
                <th scope="col">${t("column.app")}</th>
                <th scope="col">${t("column.status")}</th>
                <th scope="col">${t("column.code")}</th>
                <th scope="col">${t("column.location")}</th>
                <th scope="col">${t("column.ip")}</th>
              </tr>
            </thead>
            <tbody></tbody>
          </table>
        </div>
      </div>`,
  );
  wireReportButtons(root, () => ({ criteria: lastCriteria ?? criteriaFromForm(context.form) }));
  const search = found.search;
  /** @type {VirtualTable<import("../ipc.js").EventSummary>} */
  const mine = new VirtualTable({
    viewport: /** @type {HTMLElement} */ (root.querySelector(".vt-viewport")),
    spacer: /** @type {HTMLElement} */ (root.querySelector(".vt-spacer")),
    table: /** @type {HTMLTableElement} */ (root.querySelector("table")),
    body: /** @type {HTMLElement} */ (root.querySelector("tbody")),
    total: found.total,
    pageSize: PAGE_SIZE,
    first: found.rows,
    fetch: async (offset, limit) => {
      const page = await ipc.searchPage(search, offset, limit);
      return page.stale ? null : page.rows;
    },
    row: resultRow,
    placeholder: (index) =>
      html`<tr class="row-loading" aria-label="${t("results.loadingRow", { n: formatNumber(index + 1) })}">
        <td colspan="7"><span class="cell-sub">${t("results.loading")}</span></td>
      </tr>`,
    onOpen: (row, index) => {
      lastOpened = { id: row.id, index };
      context.onOpen(row.id);
    },
    // A newer search replaced this one behind the table's back (a fetch searched again): the
    // table on screen, if still this one, searches again rather than show another's rows.
    onStale: () => {
      if (table === mine) again();
    },
  });
  table = mine;
  const kept = focused ? found.rows.findIndex((row) => row.id === focused) : -1;
  if (kept >= 0) {
    mine.activate(kept);
  } else if (focusId && focusId === lastOpened.id) {
    const index = lastOpened.index;
    // The screen is shown right after it is drawn; the focus can go there once it is.
    queueMicrotask(() => mine.activate(index, "center"));
  }
  return heading;
}

/**
 * One row of the results.
 * @param {import("../ipc.js").EventSummary} row
 */
function resultRow(row) {
  return html`<tr data-id="${row.id}" data-status="${row.status}"
      aria-label="${t("results.rowLabel", {
        status: t(`status.${row.status}`),
        user: row.userPrincipalName ?? row.userDisplayName ?? "",
        app: row.appDisplayName ?? row.appId ?? "",
        time: formatTime(row.createdDateTime),
      })}">
    <td class="nowrap" title="${formatTime(row.createdDateTime)}">${timeCell(row.createdDateTime)}</td>
    <td><div class="cell-main">${row.userDisplayName ?? ""}</div><div class="cell-sub">${row.userPrincipalName ?? ""}</div></td>
    <td><div>${row.appDisplayName ?? row.appId ?? ""}</div>${row.eventType && row.eventType !== "interactiveUser"
      ? html`<div class="cell-sub">${t(`eventTypeShort.${row.eventType}`)}</div>`
      : ""}</td>
    <td><div><span class="badge badge-${row.status}">${t(`status.${row.status}`)}</span></div></td>
    <td class="mono"><div>${row.errorCode === 0 ? "" : row.errorCode}</div></td>
    <td><div>${row.location ?? ""}</div></td>
    <td class="mono nowrap"><div>${row.ipAddress ?? ""}</div></td>
  </tr>`;
}

/**
 * A sign-in's time in the results: local time, with UTC beneath it to compare with Microsoft's logs.
 * @param {string} iso
 */
function timeCell(iso) {
  const { main, sub } = timeLines(iso);
  return html`<div>${main}</div>${sub ? html`<div class="cell-sub">${sub}</div>` : ""}`;
}
