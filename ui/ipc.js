// The only module that talks to the Rust side. Every command has one function here; screens
// import these and never touch `window.__TAURI__`. Errors arrive as `{code, message}` and are
// rethrown as `IpcError`, whose `code` is one of: invalid_input, unreadable_file,
// unsupported_format, not_found, cancelled, storage, sign_in, permission, network (see
// src-tauri/src/error.rs), or `ipc` when the bridge fails. No command ever returns a token.

/** An error from a command. */
export class IpcError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

function bridge() {
  const tauri = /** @type {any} */ (window).__TAURI__;
  if (!tauri) throw new IpcError("ipc", "Sign-in Doctor's window is not connected to the app.");
  return tauri;
}

/**
 * @param {string} command
 * @param {Record<string, unknown>} [args]
 */
async function call(command, args) {
  try {
    return await bridge().core.invoke(command, args);
  } catch (error) {
    if (error instanceof IpcError) throw error;
    if (error && typeof error === "object" && "code" in error && "message" in error) {
      throw new IpcError(String(error.code), String(error.message));
    }
    throw new IpcError("ipc", String(error));
  }
}

/** @returns {Promise<DatasetInfo>} */
export const datasetInfo = () => call("dataset_info");
/** Shows the system file dialog. @returns {Promise<string[]>} chosen paths, empty if cancelled */
export const chooseFiles = () => call("choose_files");
/** Shows the system folder dialog. @returns {Promise<string[]>} the folder, empty if cancelled */
export const chooseFolder = () => call("choose_folder");
/**
 * Imports files and folders into the workspace.
 * @param {string[]} paths
 * @param {(progress: ImportProgress) => void} onProgress called while it runs
 * @returns {Promise<OpenReport>}
 */
export function openFiles(paths, onProgress) {
  const channel = new (bridge().core.Channel)();
  channel.onmessage = onProgress;
  return call("open_files", { paths, onProgress: channel });
}
/** Stops the running import; the file being read is not kept. @returns {Promise<void>} */
export const cancelImport = () => call("cancel_import");
/** @returns {Promise<OpenReport>} */
export const openDemo = () => call("open_demo");
/** @returns {Promise<void>} */
export const clearWorkspace = () => call("clear_workspace");
/** @param {Criteria} criteria @returns {Promise<SearchResults>} */
export const searchSignIns = (criteria) => call("search_sign_ins", { criteria });
/**
 * Starts a search for the results table: its total and first `limit` rows, worked out off the
 * window's thread. Every older search becomes stale (its pages come back with `stale`).
 * @param {Criteria} criteria
 * @param {number} limit
 * @returns {Promise<SearchPage>}
 */
export const searchBegin = (criteria, limit) => call("search_begin", { criteria, limit });
/**
 * Rows `offset..offset + limit` of the search numbered `search`.
 * @param {number} search
 * @param {number} offset
 * @param {number} limit
 * @returns {Promise<SearchPage>}
 */
export const searchPage = (search, offset, limit) => call("search_page", { search, offset, limit });
/** @param {string} requestId @returns {Promise<SignInDetail>} */
export const getSignIn = (requestId) => call("get_sign_in", { requestId });
/** Explains an AADSTS code or pasted error text. @param {string} text @returns {Promise<Explanation>} */
export const explainError = (text) => call("explain_error", { text });
/** Opens a Microsoft link in the system browser. @param {string} url @returns {Promise<void>} */
export const openLink = (url) => call("open_link", { url });
/**
 * Tells the app the window's language: diagnoses and error explanations come in it from now on.
 * @param {"en"|"nl"} lang
 * @returns {Promise<void>}
 */
export const setLanguage = (lang) => call("set_language", { lang });

/** Shows the file dialog for a certificate (PEM). @returns {Promise<string[]>} the file, empty if cancelled */
export const chooseCertificate = () => call("choose_certificate");
/** Tenant profiles and sign-in state. @returns {Promise<LiveStatus>} */
export const liveStatus = () => call("live_status");
/** Creates (no id) or changes a profile; it becomes the active one. @param {ProfileInput} profile @returns {Promise<LiveStatus>} */
export const liveSaveProfile = (profile) => call("live_save_profile", { profile });
/** @param {string} id @returns {Promise<LiveStatus>} */
export const liveUseProfile = (id) => call("live_use_profile", { id });
/** Signs out of a profile and forgets it. @param {string} id @returns {Promise<LiveStatus>} */
export const liveRemoveProfile = (id) => call("live_remove_profile", { id });
/**
 * Signs in by the profile's mode (browser, Azure CLI, client secret, certificate). Browser
 * sign-in opens the system browser and resolves when the admin has finished there.
 * @param {string} id
 * @param {string} [clientSecret] for client-secret profiles; sent once, kept only in the vault
 * @returns {Promise<SignInReport>}
 */
export const liveSignIn = (id, clientSecret) => call("live_sign_in", { id, clientSecret: clientSecret ?? null });
/** Starts a device-code sign-in. @param {string} id @returns {Promise<DeviceCode>} */
export const liveDeviceCode = (id) => call("live_device_code", { id });
/** Resolves when the device code shown has been entered. @returns {Promise<SignInReport>} */
export const liveDeviceCodeWait = () => call("live_device_code_wait");
/** Opens the page where the device code is entered, in the system browser. @returns {Promise<void>} */
export const liveOpenDevicePage = () => call("live_open_device_page");
/** @param {string} id @returns {Promise<LiveStatus>} */
export const liveSignOut = (id) => call("live_sign_out", { id });
/** Stops the running sign-in or fetch. @returns {Promise<void>} */
export const liveCancel = () => call("live_cancel");
/**
 * Fetches the sign-ins the criteria describe from the active tenant into the workspace (the
 * last 24 hours when no time is given). Search the workspace afterwards to show them.
 * @param {Criteria} criteria
 * @param {(progress: FetchProgress) => void} onProgress
 * @returns {Promise<FetchReport>}
 */
export function liveFetch(criteria, onProgress) {
  const channel = new (bridge().core.Channel)();
  channel.onmessage = onProgress;
  return call("live_fetch", { criteria, onProgress: channel });
}

/** The app's name, version and data folder. @returns {Promise<AppInfo>} */
export const appInfo = () => call("app_info");
/** Asks the release server for a newer version. @returns {Promise<UpdateInfo|null>} */
export const checkUpdate = () => call("check_update");
/**
 * Downloads, verifies and installs the update found by `checkUpdate`, then restarts the app.
 * @param {(progress: {downloaded: number, total: number|null}) => void} onProgress
 * @returns {Promise<void>}
 */
export function installUpdate(onProgress) {
  const channel = new (bridge().core.Channel)();
  channel.onmessage = onProgress;
  return call("install_update", { onProgress: channel });
}

/**
 * Saves a report (`html`, `pdf`, `csv` or `json`) where the person picks in the save dialog.
 * @param {string} format
 * @param {ReportRequest} request
 * @returns {Promise<string|null>} the path written, null if cancelled
 */
export const exportReport = (format, request) => call("export_report", { format, request });
/**
 * A sign-in's diagnosis for a support ticket.
 * @param {ReportRequest} request with the sign-in's `requestId`
 * @param {boolean} markdown Markdown instead of plain text
 * @returns {Promise<string>}
 */
export const ticketText = (request, markdown) => call("ticket_text", { request, markdown });

/**
 * Calls back when another launch of the app (an export double-clicked in the file manager)
 * hands its files to this window.
 * @param {(paths: string[]) => void} handler
 */
export async function onOpenFiles(handler) {
  await bridge().event.listen("app://open-files", (/** @type {{payload: string[]}} */ e) => handler(e.payload ?? []));
}

/**
 * Calls back while files are dragged over the window and when they are dropped.
 * @param {{enter: () => void, leave: () => void, drop: (paths: string[]) => void}} handlers
 */
export async function onFileDrop(handlers) {
  const events = bridge().event;
  await events.listen("tauri://drag-enter", () => handlers.enter());
  await events.listen("tauri://drag-leave", () => handlers.leave());
  await events.listen("tauri://drag-drop", (/** @type {{payload: {paths: string[]}}} */ e) =>
    handlers.drop(e.payload.paths ?? []),
  );
}

/**
 * @typedef {{user?: string, app?: string, from?: string, to?: string, around?: string,
 *   anyId?: string, requestId?: string, correlationId?: string, status?: string}} Criteria
 * @typedef {{name: string, format: string|null, formatName: string|null, added: number,
 *   duplicates: number, authSteps: number, warningCount: number, warnings: string[],
 *   error: {code: string, message: string}|null}} FileReport
 * @typedef {{files: FileReport[], total: number}} OpenReport
 * @typedef {{total: number, files: FileReport[], newest: string|null, oldest: string|null,
 *   workspace: string, workspaceProblem: string|null}} DatasetInfo
 * @typedef {{file: string, bytesRead: number, bytesTotal: number, records: number,
 *   recordsPerSecond: number, indexing: boolean}} ImportProgress
 * @typedef {{id: string, createdDateTime: string, userDisplayName: string|null,
 *   userPrincipalName: string|null, appDisplayName: string|null, appId: string|null,
 *   status: "success"|"interrupted"|"failure", errorCode: number, failureReason: string|null,
 *   ipAddress: string|null, location: string|null, correlationId: string|null,
 *   clientAppUsed: string|null, eventType: string|null}} EventSummary
 * @typedef {{total: number, rows: EventSummary[]}} SearchResults
 * @typedef {{search: number, total: number, offset: number, rows: EventSummary[], stale: boolean}} SearchPage
 * @typedef {{audience: "user"|"admin"|"developer", text: string}} Action
 * @typedef {{requestId: string, correlationId: string|null, verdict: "success"|"interrupted"|"failure"|"suspicious",
 *   scenario: string, headline: string, whatHappened: string, evidence: {field: string, value: string}[],
 *   actions: Action[], links: {label: string, url: string}[], patterns: {id: string, text: string}[],
 *   chain: {requestId: string, createdDateTime: string, errorCode: number, status: string}[], ticket: string}} Diagnosis
 * @typedef {{summary: EventSummary, event: Record<string, any>, raw: string,
 *   source: {file: string, record: number, line: number}, diagnosis: Diagnosis}} SignInDetail
 * @typedef {{code: number, name: string, category: string, interrupt: boolean, meaning: string,
 *   causes: string[], user: string[], admin: string[], developer: string[]}} CodeEntry
 * @typedef {{code: number|null, requestId: string|null, correlationId: string|null, timestamp: string|null,
 *   link: string|null, entry: CodeEntry|null, matches: CodeEntry[]}} Explanation
 * @typedef {{name: string, version: string, identifier: string, dataDir: string, os: string, arch: string}} AppInfo
 * @typedef {{version: string, currentVersion: string, notes: string|null, date: string|null}} UpdateInfo
 * @typedef {"browser"|"device-code"|"az-cli"|"client-secret"|"certificate"} SignInMode
 * @typedef {{id: string, name: string, tenant: string, tenantId: string|null, clientId: string,
 *   cloud: "global"|"usgov"|"usgov-dod"|"china"|"custom", authority: string|null, graph: string|null,
 *   mode: SignInMode, certificatePath: string|null, account: string|null, signedIn: boolean}} Profile
 * @typedef {{profiles: Profile[], active: string|null, persistence: "keyring"|"session",
 *   persistenceNote: string|null, defaultClientId: string}} LiveStatus
 * @typedef {{id?: string|null, name: string, tenant: string, clientId: string, cloud: string,
 *   authority?: string|null, graph?: string|null, mode: SignInMode, certificatePath?: string|null}} ProfileInput
 * @typedef {{status: LiveStatus, notices: string[]}} SignInReport
 * @typedef {{userCode: string, verificationUri: string, message: string, expiresAt: string}} DeviceCode
 * @typedef {{pages: number, events: number, from: string, to: string, waitingSeconds: number|null,
 *   reason: "pacing"|"throttled"|"retrying"|null, notice: string|null}} FetchProgress
 * @typedef {{events: number, duplicates: number, requests: number, throttled: number,
 *   notices: string[], cancelled: boolean, from: string, to: string}} FetchReport
 * @typedef {{requestId?: string, criteria?: Criteria, redact?: boolean}} ReportRequest
 */
