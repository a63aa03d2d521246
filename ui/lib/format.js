// Pure helpers that turn data into what screens show. No DOM here, so `node --test` covers them.

import { locale, t } from "./i18n.js";

/** Intl formatters by locale, time zone and part, made once each. */
const formatters = new Map();

/**
 * @param {"date" | "time"} part
 * @param {string | undefined} timeZone undefined for the computer's own
 */
function formatter(part, timeZone) {
  const key = `${locale()}|${timeZone ?? ""}|${part}`;
  let f = formatters.get(key);
  if (!f) {
    const fields = part === "date"
      ? { year: "numeric", month: "2-digit", day: "2-digit" }
      : { hour: "2-digit", minute: "2-digit", second: "2-digit" };
    f = new Intl.DateTimeFormat(locale(), { ...fields, timeZone });
    formatters.set(key, f);
  }
  return f;
}

/**
 * A moment's date and clock time in the chosen locale, as the computer's clock shows it and in
 * UTC, the time zone of Microsoft's logs and exports. Null when `iso` is not a time.
 * @param {string | null | undefined} iso
 * @param {{timeZone?: string}} [options] the zone to show instead of the computer's (for tests)
 * @returns {{local: string, utc: string, utcFull: string, sameZone: boolean} | null}
 *   `utc` leaves out the date when it is the local one; `sameZone` when both read the same
 */
export function timeParts(iso, options = {}) {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  const localDate = formatter("date", options.timeZone).format(date);
  const localTime = formatter("time", options.timeZone).format(date);
  const utcDate = formatter("date", "UTC").format(date);
  const utcTime = formatter("time", "UTC").format(date);
  return {
    local: `${localDate} ${localTime}`,
    utc: utcDate === localDate ? utcTime : `${utcDate} ${utcTime}`,
    utcFull: `${utcDate} ${utcTime}`,
    sameZone: utcDate === localDate && utcTime === localTime,
  };
}

/**
 * A sign-in time in the chosen locale, local time first and UTC beside it so it can be compared
 * with Microsoft's logs: `27-11-2026 17:05:09 (16:05:09 UTC)`, or `27-11-2026 16:05:09 UTC` on a
 * computer whose clock is UTC. Text that is not a time is shown as it is.
 * @param {string | null | undefined} iso
 * @param {{timeZone?: string}} [options]
 */
export function formatTime(iso, options = {}) {
  const p = timeParts(iso, options);
  if (!p) return iso ?? "";
  return p.sameZone ? t("time.utcOnly", { utc: p.utcFull }) : t("time.both", { local: p.local, utc: p.utc });
}

/**
 * The same time on two lines, for a table cell: local time, and UTC beneath it.
 * @param {string | null | undefined} iso
 * @param {{timeZone?: string}} [options]
 * @returns {{main: string, sub: string}}
 */
export function timeLines(iso, options = {}) {
  const p = timeParts(iso, options);
  if (!p) return { main: iso ?? "", sub: "" };
  if (p.sameZone) return { main: t("time.utcOnly", { utc: p.utcFull }), sub: "" };
  return { main: p.local, sub: t("time.utcOnly", { utc: p.utc }) };
}

/**
 * A number in the chosen locale: `1.234` in Dutch, `1,234` in English.
 * @param {number} n
 */
export function formatNumber(n) {
  return n.toLocaleString(locale());
}

/**
 * The search form's values as the `search_sign_ins` criteria. The time mode decides which time
 * fields count: `any` sends none, `range` sends from/to, `around` sends one time.
 * @param {{user?: string, app?: string, id?: string, status?: string,
 *   timeMode?: string, from?: string, to?: string, around?: string}} form
 * @returns {import("../ipc.js").Criteria}
 */
export function criteriaFromForm(form) {
  /** @type {import("../ipc.js").Criteria} */
  const criteria = {};
  const set = (/** @type {keyof import("../ipc.js").Criteria} */ key, /** @type {string|undefined} */ value) => {
    const v = (value ?? "").trim();
    if (v) criteria[key] = v;
  };
  set("user", form.user);
  set("app", form.app);
  set("anyId", form.id);
  if (form.status && form.status !== "any") set("status", form.status);
  if (form.timeMode === "range") {
    set("from", form.from);
    set("to", form.to);
  } else if (form.timeMode === "around") {
    set("around", form.around);
  }
  return criteria;
}

/**
 * "Yes" / "No" / "" for a boolean that may be missing.
 * @param {boolean | null | undefined} value
 */
export function yesNo(value) {
  if (value === true) return t("value.yes");
  if (value === false) return t("value.no");
  return "";
}

/**
 * "Name (id)" or whichever of the two is known.
 * @param {string | null | undefined} name
 * @param {string | null | undefined} id
 */
export function nameAndId(name, id) {
  if (name && id && name !== id) return `${name} (${id})`;
  return name || id || "";
}

/**
 * The detail view's labelled fields, grouped like the portal's Activity Details tabs. Rows
 * with no value are left out. Authentication steps and Conditional Access policies are lists
 * and are returned separately by `authenticationSteps` and `policies`.
 * @param {import("../ipc.js").SignInDetail} detail
 * @returns {{id: string, rows: {label: string, value: string, mono?: boolean}[]}[]}
 */
export function detailSections(detail) {
  const e = detail.event;
  const s = detail.summary;
  const status = e.status ?? {};
  const device = e.deviceDetail ?? {};
  const networks = (e.networkLocationDetails ?? []).flatMap((/** @type {any} */ n) => n.networkNames ?? []);
  const processing = (e.authenticationProcessingDetails ?? [])
    .map((/** @type {any} */ kv) => `${kv.key}: ${kv.value}`)
    .join("; ");
  const sections = [
    {
      id: "basic",
      rows: [
        { label: t("field.date"), value: formatTime(s.createdDateTime) },
        { label: t("field.requestId"), value: s.id, mono: true },
        { label: t("field.correlationId"), value: s.correlationId ?? "", mono: true },
        { label: t("field.user"), value: nameAndId(e.userDisplayName, e.userPrincipalName) },
        { label: t("field.userId"), value: e.userId ?? "", mono: true },
        { label: t("field.userType"), value: e.userType ?? "" },
        { label: t("field.application"), value: nameAndId(e.appDisplayName, e.appId) },
        { label: t("field.resource"), value: nameAndId(e.resourceDisplayName, e.resourceId) },
        { label: t("field.servicePrincipal"), value: nameAndId(e.servicePrincipalName, e.servicePrincipalId) },
        { label: t("field.clientApp"), value: e.clientAppUsed ?? "" },
        { label: t("field.eventType"), value: s.eventType ? t(`eventType.${s.eventType}`) : "" },
        { label: t("field.status"), value: t(`status.${s.status}`) },
        { label: t("field.errorCode"), value: String(s.errorCode) },
        { label: t("field.failureReason"), value: status.failureReason ?? "" },
        { label: t("field.additionalDetails"), value: status.additionalDetails ?? "" },
      ],
    },
    {
      id: "location",
      rows: [
        { label: t("field.ipAddress"), value: e.ipAddress ?? "", mono: true },
        { label: t("field.location"), value: s.location ?? "" },
        { label: t("field.asn"), value: e.autonomousSystemNumber == null ? "" : String(e.autonomousSystemNumber) },
        { label: t("field.network"), value: networks.join(", ") },
        { label: t("field.ipFromResource"), value: e.ipAddressFromResourceProvider ?? "", mono: true },
      ],
    },
    {
      id: "device",
      rows: [
        { label: t("field.deviceId"), value: device.deviceId ?? "", mono: true },
        { label: t("field.deviceName"), value: device.displayName ?? "" },
        { label: t("field.os"), value: device.operatingSystem ?? "" },
        { label: t("field.browser"), value: device.browser ?? "" },
        { label: t("field.compliant"), value: yesNo(device.isCompliant) },
        { label: t("field.managed"), value: yesNo(device.isManaged) },
        { label: t("field.joinType"), value: device.trustType ?? "" },
      ],
    },
    {
      id: "additional",
      rows: [
        { label: t("field.userAgent"), value: e.userAgent ?? "" },
        { label: t("field.protocol"), value: e.authenticationProtocol ?? "" },
        { label: t("field.tokenIssuerType"), value: e.tokenIssuerType ?? "" },
        { label: t("field.tokenIssuerName"), value: e.tokenIssuerName ?? "" },
        { label: t("field.incomingTokenType"), value: e.incomingTokenType ?? "" },
        { label: t("field.uniqueTokenIdentifier"), value: e.uniqueTokenIdentifier ?? "", mono: true },
        { label: t("field.sessionId"), value: e.sessionId ?? "", mono: true },
        { label: t("field.originalRequestId"), value: e.originalRequestId ?? "", mono: true },
        { label: t("field.crossTenant"), value: e.crossTenantAccessType ?? "" },
        { label: t("field.homeTenant"), value: nameAndId(e.homeTenantName, e.homeTenantId) },
        { label: t("field.riskDuring"), value: e.riskLevelDuringSignIn ?? "" },
        { label: t("field.riskAggregated"), value: e.riskLevelAggregated ?? "" },
        { label: t("field.riskState"), value: e.riskState ?? "" },
        { label: t("field.riskEvents"), value: (e.riskEventTypes_v2 ?? []).join(", ") },
        { label: t("field.flagged"), value: yesNo(e.flaggedForReview) },
        { label: t("field.latency"), value: e.processingTimeInMilliseconds == null ? "" : t("value.ms", { ms: formatNumber(e.processingTimeInMilliseconds) }) },
        { label: t("field.processing"), value: processing },
        { label: t("field.source"), value: t("value.source", detail.source) },
      ],
    },
  ];
  return sections.map((section) => ({ ...section, rows: section.rows.filter((r) => r.value !== "") }));
}

/**
 * The authentication steps, in order.
 * @param {Record<string, any>} event
 */
export function authenticationSteps(event) {
  return (event.authenticationDetails ?? []).map((/** @type {any} */ step) => ({
    time: formatTime(step.authenticationStepDateTime),
    method: step.authenticationMethod ?? "",
    detail: step.authenticationMethodDetail ?? "",
    succeeded: step.succeeded,
    result: step.authenticationStepResultDetail ?? "",
    requirement: step.authenticationStepRequirement ?? "",
  }));
}

/** Policy results that decided the sign-in come first; not-applied ones last. */
const RESULT_ORDER = ["failure", "success", "reportOnlyFailure", "reportOnlyInterrupted", "reportOnlySuccess"];

/**
 * Conditional Access policies, the ones that acted first.
 * @param {Record<string, any>} event
 */
export function policies(event) {
  const rank = (/** @type {string} */ r) => {
    const i = RESULT_ORDER.indexOf(r);
    return i === -1 ? RESULT_ORDER.length : i;
  };
  return (event.appliedConditionalAccessPolicies ?? [])
    .map((/** @type {any} */ p) => ({
      id: p.id ?? "",
      name: p.displayName ?? p.id ?? "",
      result: p.result ?? "unknown",
      grants: (p.enforcedGrantControls ?? []).join(", "),
      sessions: (p.enforcedSessionControls ?? []).join(", "),
    }))
    .sort((/** @type {any} */ a, /** @type {any} */ b) => rank(a.result) - rank(b.result));
}

/**
 * The label of a policy result ("Failure", "Report-only: failure"); unknown ones as given.
 * @param {string} result
 */
export function policyResultLabel(result) {
  const key = `policyResult.${result}`;
  const label = t(key);
  return label === key ? result : label;
}

/**
 * Pretty-prints the raw record; if it is not valid JSON (it always is), shows it unchanged.
 * @param {string} raw
 */
export function prettyJson(raw) {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
}

/**
 * How far an import is, 0–100, from bytes read of the total (0 when the size is unknown).
 * @param {number} read
 * @param {number} total
 */
export function progressPercent(read, total) {
  if (!total || total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.floor((read * 100) / total)));
}
