// Pure helpers for live tenants: what the top bar says about the tenant, how a profile maps to
// the form and back, and what a running fetch is doing, in words. No DOM, so `node --test`
// covers them.

import { t, tn, language } from "./i18n.js";

/** The sign-in modes, in the order the form offers them (the recommended one first). */
export const MODES = /** @type {const} */ (["browser", "device-code", "az-cli", "client-secret", "certificate"]);

/** The Microsoft clouds the form offers. */
export const CLOUDS = /** @type {const} */ (["global", "usgov", "usgov-dod", "china", "custom"]);

/**
 * The profile in use, if any.
 * @param {import("../ipc.js").LiveStatus | null | undefined} status
 * @returns {import("../ipc.js").Profile | null}
 */
export function activeProfile(status) {
  if (!status?.active) return null;
  return status.profiles.find((p) => p.id === status.active) ?? null;
}

/**
 * What the top-bar button says: "Contoso · signed in", "Contoso · not signed in", or an
 * invitation when there is no profile yet.
 * @param {import("../ipc.js").LiveStatus | null | undefined} status
 * @returns {{text: string, state: "none" | "signed-in" | "signed-out", title: string}}
 */
export function tenantChip(status) {
  const profile = activeProfile(status);
  if (!profile) return { text: t("tenant.chip.none"), state: "none", title: t("tenant.chip.title") };
  const signedIn = profile.signedIn;
  return {
    text: t(signedIn ? "tenant.chip.signedIn" : "tenant.chip.signedOut", { name: profile.name }),
    state: signedIn ? "signed-in" : "signed-out",
    title: signedIn && profile.account
      ? t("tenant.chip.titleAccount", { account: profile.account })
      : t("tenant.chip.title"),
  };
}

/**
 * The tenant the search can fetch from live: the active profile when it is signed in.
 * @param {import("../ipc.js").LiveStatus | null | undefined} status
 * @returns {{id: string, name: string} | null}
 */
export function liveSource(status) {
  const profile = activeProfile(status);
  return profile?.signedIn ? { id: profile.id, name: profile.name } : null;
}

/**
 * @typedef {{name: string, tenant: string, cloud: string, authority: string, graph: string,
 *   clientId: string, mode: string, certificatePath: string}} ProfileForm
 */

/** The form for a new profile: any work account, the worldwide cloud, browser sign-in. */
export function emptyProfileForm() {
  return /** @type {ProfileForm} */ ({
    name: "",
    tenant: "",
    cloud: "global",
    authority: "",
    graph: "",
    clientId: "",
    mode: "browser",
    certificatePath: "",
  });
}

/**
 * A saved profile as form values. The default app registration shows as an empty client ID,
 * so the field's hint about the default stays true.
 * @param {import("../ipc.js").Profile} profile
 * @param {string} defaultClientId
 * @returns {ProfileForm}
 */
export function profileToForm(profile, defaultClientId) {
  return {
    name: profile.name,
    tenant: profile.tenant,
    cloud: profile.cloud,
    authority: profile.authority ?? "",
    graph: profile.graph ?? "",
    clientId: profile.clientId === defaultClientId ? "" : profile.clientId,
    mode: profile.mode,
    certificatePath: profile.certificatePath ?? "",
  };
}

/**
 * Form values as what `liveSaveProfile` takes, or the problem to show instead. Addresses and
 * the certificate travel only for the cloud and mode that use them.
 * @param {ProfileForm} form
 * @param {string | null} id the profile being changed; null for a new one
 * @returns {{input: import("../ipc.js").ProfileInput, problem: null} | {input: null, problem: string}}
 */
export function profileInput(form, id) {
  const trim = (/** @type {string | undefined} */ v) => (v ?? "").trim();
  const custom = form.cloud === "custom";
  if (custom && (!trim(form.authority) || !trim(form.graph))) {
    return { input: null, problem: t("tenant.problem.customUrls") };
  }
  if (form.mode === "certificate" && !trim(form.certificatePath)) {
    return { input: null, problem: t("tenant.problem.certificate") };
  }
  /** @type {import("../ipc.js").ProfileInput} */
  const input = {
    name: trim(form.name),
    tenant: trim(form.tenant),
    clientId: trim(form.clientId),
    cloud: form.cloud,
    authority: custom ? trim(form.authority) : null,
    graph: custom ? trim(form.graph) : null,
    mode: /** @type {import("../ipc.js").SignInMode} */ (form.mode),
    certificatePath: form.mode === "certificate" ? trim(form.certificatePath) : null,
  };
  if (id) input.id = id;
  return { input, problem: null };
}

/**
 * Whether the form says something other than the saved profile (then Sign in saves first).
 * @param {ProfileForm} form
 * @param {import("../ipc.js").Profile | null} profile
 * @param {string} defaultClientId
 */
export function formChanged(form, profile, defaultClientId) {
  if (!profile) return true;
  const saved = profileInput(profileToForm(profile, defaultClientId), profile.id).input;
  const now = profileInput(form, profile.id).input;
  if (!saved || !now) return true;
  const key = (/** @type {import("../ipc.js").ProfileInput} */ p) =>
    JSON.stringify([p.name || p.tenant || "organizations", p.tenant || "organizations", p.clientId || defaultClientId, p.cloud, p.authority, p.graph, p.mode, p.certificatePath]);
  return key(saved) !== key(now);
}

/**
 * What the admin sees while a sign-in runs: the device code, a note to finish in the browser,
 * or a plain busy state for the modes that need no one.
 * @param {string} mode
 * @returns {"device-code" | "browser" | "busy"}
 */
export function signInWait(mode) {
  if (mode === "device-code") return "device-code";
  if (mode === "browser") return "browser";
  return "busy";
}

/**
 * A fetch's progress in words: how far it is, and why it is waiting when it is.
 * @param {import("../ipc.js").FetchProgress} p
 * @returns {{figures: string, waiting: string}}
 */
export function fetchProgressText(p) {
  const figures = p.pages === 0
    ? t("fetch.starting")
    : `${tn("fetch.pages", p.pages)} · ${tn("fetch.events", p.events)}`;
  const waiting = p.waitingSeconds && p.waitingSeconds > 0
    ? t("fetch.waiting", { seconds: p.waitingSeconds.toLocaleString(language()), reason: t(`fetch.reason.${p.reason ?? "pacing"}`) })
    : "";
  return { figures, waiting };
}

/**
 * Whether a running fetch's progress should bring the sign-ins stored so far on screen: at once
 * for the first page, then at most every `every` milliseconds (each look searches a growing
 * workspace), and only when a page was stored since the last look.
 * @param {{pages: number, at: number}} last the pages stored at the last look, and when it was
 * @param {import("../ipc.js").FetchProgress} p
 * @param {number} now milliseconds
 * @param {number} [every]
 */
export function storedPagesDue(last, p, now, every = 5000) {
  if (p.notice || p.pages <= last.pages) return false;
  return last.pages === 0 || now - last.at >= every;
}

/**
 * What finds the sign-ins a fetch stored so far: the criteria asked for, in the fetch's window
 * (the last 24 hours) when they give no time.
 * @param {import("../ipc.js").Criteria} criteria
 * @param {{from: string, to: string}} window the progress report's (or the final report's)
 * @returns {import("../ipc.js").Criteria}
 */
export function fetchedCriteria(criteria, window) {
  const timed = Boolean(criteria.from || criteria.to || criteria.around);
  return timed ? criteria : { ...criteria, from: window.from, to: window.to };
}

/**
 * One sentence about a finished fetch.
 * @param {import("../ipc.js").FetchReport} report
 * @param {string} tenant the profile's name
 * @returns {{text: string, kind: "info" | "warning"}}
 */
export function fetchReportMessage(report, tenant) {
  if (report.cancelled) return { text: tn("fetch.stopped", report.events), kind: "warning" };
  return { text: tn("fetch.done", report.events, { tenant }), kind: "info" };
}

/**
 * Minutes until a device code expires, at least 1.
 * @param {string} expiresAt RFC 3339
 * @param {number} [now] milliseconds since the epoch
 */
export function minutesLeft(expiresAt, now = Date.now()) {
  const end = new Date(expiresAt).getTime();
  if (Number.isNaN(end)) return 15;
  return Math.max(1, Math.round((end - now) / 60000));
}
