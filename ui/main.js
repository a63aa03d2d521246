// Starts the UI: picks the language, translates the static text, restores the theme, wires the
// top bar and file drops, and switches between the screens (start, search with results,
// detail, the error lookup, and the Tenant screen for signing in to a live tenant). Switching
// the language in Settings draws the screen on show again, keeping what was typed.

import * as ipc from "./ipc.js";
import { language, pickLanguage, setLanguage, t, tn } from "./lib/i18n.js";
import { renderStart } from "./screens/start.js";
import { renderSearch } from "./screens/search.js";
import { renderDetail } from "./screens/detail.js";
import { toast, openReportMessage } from "./screens/toast.js";
import { askConfirm, showProgress, showSummary } from "./screens/imports.js";
import { renderExplain } from "./screens/explain.js";
import { renderTenant, signingIn } from "./screens/tenant.js";
import { liveSource, tenantChip } from "./lib/live.js";
import { showAbout, checkAtStart, refreshUpdateChip } from "./screens/about.js";
import { savedLanguage, showSettings } from "./screens/settings.js";

/** @typedef {"start" | "search" | "detail" | "explain" | "tenant"} Screen */

const app = {
  /** @type {import("./ipc.js").DatasetInfo | null} */
  info: null,
  /** @type {Screen} */
  screen: "start",
  /** Search form values, kept while moving between screens. */
  form: { source: "offline", user: "", app: "", id: "", status: "any", timeMode: "any", from: "", to: "", around: "" },
  /** @type {import("./ipc.js").SearchPage | null} */
  results: null,
  /** Request ID of the row to focus when coming back from the detail view. */
  lastOpened: "",
  /** What was pasted into the error lookup. */
  explainText: "",
  /** The screen to go back to from the error lookup. */
  beforeExplain: /** @type {Screen} */ ("start"),
  /** @type {import("./ipc.js").LiveStatus | null} Tenant profiles and sign-in state. */
  live: null,
  /** The screen to go back to from the Tenant screen. */
  beforeTenant: /** @type {Screen} */ ("start"),
};

/** @param {Screen} screen */
function show(screen) {
  app.screen = screen;
  for (const section of document.querySelectorAll("[data-screen]")) {
    /** @type {HTMLElement} */ (section).hidden = section.getAttribute("data-screen") !== screen;
  }
  const steps = /** @type {HTMLElement} */ (document.querySelector("[data-testid=steps]"));
  steps.hidden = screen === "start" || screen === "explain" || screen === "tenant";
  const current = screen === "detail" ? "detail" : app.results ? "results" : "search";
  for (const li of steps.querySelectorAll("li")) {
    const step = li.getAttribute("data-step");
    li.classList.toggle("current", step === current);
    if (step === current) li.setAttribute("aria-current", "step");
    else li.removeAttribute("aria-current");
  }
}

async function refreshInfo() {
  app.info = await ipc.datasetInfo();
  const chip = /** @type {HTMLElement} */ (document.querySelector("[data-testid=dataset-chip]"));
  const open = app.info.total > 0 || app.info.files.length > 0;
  chip.hidden = !open;
  chip.textContent = open
    ? `${tn("dataset.signIns", app.info.total)} · ${tn("dataset.files", app.info.files.length)}`
    : "";
  chip.title = t("workspace.open");
  for (const action of ["add-files", "add-folder", "clear-workspace"]) {
    /** @type {HTMLElement} */ (document.querySelector(`[data-action=${action}]`)).hidden = !open;
  }
}

/** Shows the active tenant profile, and whether it is signed in, on the top-bar button. */
function showTenantChip() {
  const button = /** @type {HTMLElement} */ (document.querySelector("[data-testid=tenant-chip]"));
  const chip = tenantChip(app.live);
  /** @type {HTMLElement} */ (button.querySelector("[data-role=text]")).textContent = chip.text;
  button.dataset.state = chip.state;
  button.title = chip.title;
}

async function refreshLive() {
  try {
    app.live = await ipc.liveStatus();
  } catch {
    // Without the tenant side the button stays; pressing it says the feature is not available.
  }
  showTenantChip();
}

/** Opens the search screen and runs the current form. */
async function goSearch() {
  await refreshInfo();
  renderSearch(/** @type {HTMLElement} */ (document.getElementById("screen-search")), {
    form: app.form,
    results: app.results,
    info: app.info,
    focusId: app.lastOpened,
    live: liveSource(app.live),
    onResults: (results) => {
      app.results = results;
      show("search");
    },
    onOpen: (id) => goDetail(id),
    onTenant: () => goTenant(),
    onFetched: async () => {
      await refreshInfo();
      await refreshLive();
    },
  });
  show("search");
}

async function goTenant() {
  if (app.screen !== "tenant" && !(app.screen === "explain" && app.beforeExplain === "tenant")) app.beforeTenant = app.screen;
  if (!app.live) await refreshLive();
  if (!app.live) {
    toast(t("tenant.unavailable"), "error");
    return;
  }
  // Shown before drawing, so that the screen's first field can take the focus.
  show("tenant");
  renderTenant(/** @type {HTMLElement} */ (document.getElementById("screen-tenant")), {
    status: app.live,
    onStatus: (status) => {
      app.live = status;
      showTenantChip();
    },
    onBack: () => leaveTenant(),
    onSearch: () => {
      if (liveSource(app.live)) app.form.source = "live";
      goSearch().then(() => focusUser());
    },
  });
}

function leaveTenant() {
  const back = app.beforeTenant;
  if (back === "search" || back === "detail") return goSearch();
  if (back === "explain") return goExplain();
  return goStart();
}

/** @param {string} requestId */
async function goDetail(requestId) {
  try {
    const detail = await ipc.getSignIn(requestId);
    app.lastOpened = requestId;
    renderDetail(/** @type {HTMLElement} */ (document.getElementById("screen-detail")), detail, {
      onBack: () => goSearch(),
      onOpen: (id) => goDetail(id),
    });
    show("detail");
  } catch (error) {
    toast(/** @type {Error} */ (error).message, "error");
  }
}

function goExplain() {
  // Going back and forth between the lookup and the Tenant screen keeps where each came from.
  if (app.screen !== "explain" && !(app.screen === "tenant" && app.beforeTenant === "explain")) app.beforeExplain = app.screen;
  renderExplain(/** @type {HTMLElement} */ (document.getElementById("screen-explain")), {
    text: app.explainText,
    canSearch: (app.info?.total ?? 0) > 0,
    onFind: async (id) => {
      app.form = { ...app.form, user: "", app: "", id, status: "any", timeMode: "any" };
      app.results = null;
      await goSearch();
    },
    onBack: () =>
      app.beforeExplain === "search" || app.beforeExplain === "detail"
        ? goSearch()
        : app.beforeExplain === "tenant"
          ? goTenant()
          : goStart(),
  });
  const root = /** @type {HTMLElement} */ (document.getElementById("screen-explain"));
  root.querySelector("textarea")?.addEventListener("input", (e) => {
    app.explainText = /** @type {HTMLTextAreaElement} */ (e.target).value;
  });
  show("explain");
}

async function goStart() {
  await refreshInfo();
  renderStart(/** @type {HTMLElement} */ (document.getElementById("screen-start")), {
    onOpenFiles: () => chooseAndOpen(ipc.chooseFiles),
    onOpenFolder: () => chooseAndOpen(ipc.chooseFolder),
    onDemo: () => openWith(() => ipc.openDemo()),
    onTenant: () => goTenant(),
  });
  show("start");
}

/**
 * Runs an import and tells what it did: a short message when all went well, the summary of
 * each file when something needs a look (warnings, a file that could not be read, several
 * files).
 * @param {() => Promise<import("./ipc.js").OpenReport>} opener
 */
async function openWith(opener) {
  document.body.classList.add("busy");
  try {
    const report = await opener();
    const { text, kind } = openReportMessage(report);
    const needsLook = report.files.length > 1 || report.files.some((f) => f.error || f.warningCount > 0);
    if (needsLook) showSummary(t("summary.title"), report.files);
    else toast(text, kind);
    app.results = null;
    await refreshInfo();
    if (report.total > 0) await goSearch();
  } catch (error) {
    toast(/** @type {Error} */ (error).message, "error");
  } finally {
    document.body.classList.remove("busy");
  }
}

/** Imports paths with the progress panel up and Cancel available. @param {string[]} paths */
function importPaths(paths) {
  return openWith(async () => {
    const progress = showProgress(() => ipc.cancelImport());
    try {
      return await ipc.openFiles(paths, (p) => progress.update(p));
    } finally {
      progress.close();
    }
  });
}

/** @param {() => Promise<string[]>} chooser */
async function chooseAndOpen(chooser) {
  const paths = await chooser();
  if (paths.length > 0) await importPaths(paths);
}

const systemDark = matchMedia("(prefers-color-scheme: dark)");

/** The person's choice wins; without one, the system setting, followed as it changes. */
function applyTheme() {
  const chosen = localStorage.getItem("theme");
  const theme = chosen === "light" || chosen === "dark" ? chosen : systemDark.matches ? "dark" : "light";
  document.documentElement.dataset.theme = theme;
  // A toggle button: its name says "dark theme", pressed says whether it is on.
  document.querySelector("[data-action=toggle-theme]")?.setAttribute("aria-pressed", String(theme === "dark"));
}

function toggleTheme() {
  localStorage.setItem("theme", document.documentElement.dataset.theme === "dark" ? "light" : "dark");
  applyTheme();
}

/** The system's languages, most preferred first. */
function systemLanguages() {
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

/**
 * Speaks the language chosen in Settings, or the system's: in the catalogue, in `<html lang>`,
 * and on the Rust side, whose diagnoses and error explanations come in that language.
 */
async function applyLanguage() {
  const preferred = systemLanguages();
  setLanguage(pickLanguage(savedLanguage(), preferred), preferred);
  document.documentElement.lang = language();
  try {
    if (typeof ipc.setLanguage === "function") await ipc.setLanguage(language());
  } catch {
    // Without the bridge there is no diagnosis to translate; the window still switches.
  }
}

/** The values of a screen's inputs, by name or ID, to put back after it is drawn again. */
function readInputs(/** @type {Element} */ root) {
  /** @type {Map<string, string | boolean>} */
  const values = new Map();
  for (const el of root.querySelectorAll("input, select, textarea")) {
    const input = /** @type {HTMLInputElement} */ (el);
    const name = input.name || input.id;
    if (!name || input.type === "file") continue;
    if (input.type === "radio" || input.type === "checkbox") values.set(`${name}=${input.value}`, input.checked);
    else values.set(name, input.value);
  }
  return values;
}

/** Puts back what `readInputs` read, telling the screen about each value that changed. */
function restoreInputs(/** @type {Element} */ root, /** @type {Map<string, string | boolean>} */ values) {
  for (const el of root.querySelectorAll("input, select, textarea")) {
    const input = /** @type {HTMLInputElement} */ (el);
    const name = input.name || input.id;
    const toggle = input.type === "radio" || input.type === "checkbox";
    const saved = values.get(toggle ? `${name}=${input.value}` : name);
    if (saved === undefined) continue;
    if (toggle ? input.checked === saved : input.value === saved) continue;
    if (toggle) input.checked = /** @type {boolean} */ (saved);
    else input.value = /** @type {string} */ (saved);
    if (!toggle || saved) input.dispatchEvent(new Event("change", { bubbles: true }));
  }
}

/**
 * Switches the window to the language now chosen and draws what is on show again in it: the
 * same screen, the same sign-in and tab, the same form values; texts from the Rust side
 * (diagnosis, error explanations) are asked for again so they come in the new language.
 */
async function switchLanguage() {
  await applyLanguage();
  translateStatic();
  showTenantChip();
  refreshUpdateChip();
  switch (app.screen) {
    case "search": {
      const form = document.querySelector("[data-testid=search-form]");
      if (form) {
        const data = new FormData(/** @type {HTMLFormElement} */ (form));
        for (const key of /** @type {(keyof typeof app.form)[]} */ (Object.keys(app.form))) {
          if (data.has(key)) app.form[key] = String(data.get(key));
        }
      }
      await goSearch();
      break;
    }
    case "detail": {
      const tab = document.querySelector("#screen-detail [role=tab][aria-selected=true]")?.getAttribute("data-tab");
      const scrolled = window.scrollY;
      await goDetail(app.lastOpened);
      if (tab) /** @type {HTMLElement | null} */ (document.querySelector(`#screen-detail [data-tab="${tab}"]`))?.click();
      window.scrollTo(0, scrolled);
      await refreshInfo();
      break;
    }
    case "explain":
      goExplain();
      await refreshInfo();
      break;
    case "tenant": {
      const root = /** @type {HTMLElement} */ (document.getElementById("screen-tenant"));
      const typed = readInputs(root);
      await goTenant();
      restoreInputs(root, typed);
      await refreshInfo();
      break;
    }
    default:
      await goStart();
  }
}

function translateStatic() {
  for (const el of document.querySelectorAll("[data-i18n]")) {
    el.textContent = t(/** @type {string} */ (el.getAttribute("data-i18n")));
  }
  for (const el of document.querySelectorAll("[data-i18n-label]")) {
    const label = t(/** @type {string} */ (el.getAttribute("data-i18n-label")));
    el.setAttribute("aria-label", label);
    el.setAttribute("title", label);
  }
  document.title = t("app.name");
}

function wireTopbar() {
  document.querySelector("[data-action=toggle-theme]")?.addEventListener("click", toggleTheme);
  document.querySelector("[data-action=explain]")?.addEventListener("click", () => goExplain());
  for (const button of document.querySelectorAll("[data-action=about]")) {
    button.addEventListener("click", () => showAbout());
  }
  document.querySelector("[data-action=settings]")?.addEventListener("click", () => showSettings({ onLanguage: switchLanguage }));
  document.querySelector("[data-action=open-tenant]")?.addEventListener("click", () => goTenant());
  document.querySelector("[data-action=add-files]")?.addEventListener("click", () => chooseAndOpen(ipc.chooseFiles));
  document.querySelector("[data-action=add-folder]")?.addEventListener("click", () => chooseAndOpen(ipc.chooseFolder));
  document.querySelector("[data-action=show-workspace]")?.addEventListener("click", async () => {
    await refreshInfo();
    if (app.info) showSummary(t("workspace.title"), app.info.files, t("workspace.location", { path: app.info.workspace }));
  });
  document.querySelector("[data-action=clear-workspace]")?.addEventListener("click", async () => {
    if (!(await askConfirm(t("workspace.confirmClear"), t("action.clearWorkspace")))) return;
    try {
      await ipc.clearWorkspace();
    } catch (error) {
      toast(/** @type {Error} */ (error).message, "error");
    }
    app.results = null;
    app.lastOpened = "";
    await goStart();
  });
  document.addEventListener("keydown", (event) => {
    // While files are being read only the progress panel's Cancel button is active.
    if (!(/** @type {HTMLElement} */ (document.querySelector("[data-testid=import-progress]")).hidden)) return;
    if (event.key === "Escape" && app.screen === "explain" && !document.querySelector("dialog[open]")) {
      event.preventDefault();
      /** @type {HTMLElement | null} */ (document.querySelector("[data-action=back]"))?.click();
    }
    if (event.key === "Escape" && app.screen === "detail" && !document.querySelector("dialog[open]")) {
      event.preventDefault();
      goSearch();
    }
    // Escape leaves the Tenant screen; while a sign-in runs, it cancels the sign-in instead.
    if (event.key === "Escape" && app.screen === "tenant" && !document.querySelector("dialog[open]")) {
      event.preventDefault();
      if (signingIn()) /** @type {HTMLElement | null} */ (document.querySelector("[data-action=cancel-sign-in]"))?.click();
      else leaveTenant();
    }
    const typing =
      event.target instanceof HTMLInputElement ||
      event.target instanceof HTMLSelectElement ||
      event.target instanceof HTMLTextAreaElement;
    if (event.key === "/" && !typing && (app.screen === "search" || app.screen === "detail")) {
      event.preventDefault();
      if (app.screen === "detail") goSearch().then(() => focusUser());
      else focusUser();
    }
  });
}

function focusUser() {
  /** @type {HTMLInputElement | null} */ (document.querySelector("#search-user"))?.focus();
}

/** Files handed over by another launch of the app (an export opened from the file manager). */
async function wireHandOver() {
  try {
    await ipc.onOpenFiles((paths) => {
      if (paths.length > 0) importPaths(paths);
    });
  } catch {
    // Without the bridge there is no other launch to hear from.
  }
}

async function wireDrops() {
  const overlay = /** @type {HTMLElement} */ (document.querySelector("[data-testid=drop-overlay]"));
  try {
    await ipc.onFileDrop({
      enter: () => (overlay.hidden = false),
      leave: () => (overlay.hidden = true),
      drop: (paths) => {
        overlay.hidden = true;
        if (paths.length > 0) importPaths(paths);
      },
    });
  } catch {
    // Without the bridge there is nothing to drop onto; the buttons still explain themselves.
  }
}

async function start() {
  await applyLanguage();
  applyTheme();
  systemDark.addEventListener("change", applyTheme);
  translateStatic();
  wireTopbar();
  await wireDrops();
  await wireHandOver();
  await refreshLive();
  try {
    await refreshInfo();
    if (app.info?.workspaceProblem) toast(t("workspace.problem", { reason: app.info.workspaceProblem }), "warning");
  } catch (error) {
    toast(/** @type {Error} */ (error).message, "error");
  }
  if (app.info && app.info.total > 0) await goSearch();
  else await goStart();
  // Only when the admin turned it on in About.
  checkAtStart();
}

start();
