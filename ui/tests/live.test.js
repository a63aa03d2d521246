import { test } from "node:test";
import assert from "node:assert/strict";
import {
  emptyProfileForm,
  fetchProgressText,
  storedPagesDue,
  fetchedCriteria,
  fetchReportMessage,
  formChanged,
  liveSource,
  minutesLeft,
  profileInput,
  profileToForm,
  signInWait,
  tenantChip,
} from "../lib/live.js";

const DEFAULT_CLIENT = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

const profile = (over = {}) => ({
  id: "p-1",
  name: "Contoso",
  tenant: "contoso.onmicrosoft.com",
  tenantId: null,
  clientId: DEFAULT_CLIENT,
  cloud: "global",
  authority: null,
  graph: null,
  mode: "browser",
  certificatePath: null,
  account: null,
  signedIn: false,
  ...over,
});

const status = (profiles, active = profiles[0]?.id ?? null) => ({
  profiles,
  active,
  persistence: "keyring",
  persistenceNote: null,
  defaultClientId: DEFAULT_CLIENT,
});

test("the top-bar button names the active tenant and whether it is signed in", () => {
  assert.deepEqual(tenantChip(null), { text: "Sign in to a tenant", state: "none", title: "Tenant profiles and sign-in" });
  assert.equal(tenantChip(status([])).text, "Sign in to a tenant");
  assert.deepEqual(tenantChip(status([profile()])), {
    text: "Contoso · not signed in",
    state: "signed-out",
    title: "Tenant profiles and sign-in",
  });
  const signedIn = tenantChip(status([profile({ signedIn: true, account: "admin@contoso.com" })]));
  assert.deepEqual(signedIn, { text: "Contoso · signed in", state: "signed-in", title: "Signed in as admin@contoso.com" });
  // Another tenant is active: that one is named, not the first.
  const two = status([profile({ signedIn: true }), profile({ id: "p-2", name: "Fabrikam" })], "p-2");
  assert.equal(tenantChip(two).text, "Fabrikam · not signed in");
});

test("the search fetches live only from an active profile that is signed in", () => {
  assert.equal(liveSource(null), null);
  assert.equal(liveSource(status([profile()])), null);
  assert.deepEqual(liveSource(status([profile({ signedIn: true })])), { id: "p-1", name: "Contoso" });
  assert.equal(liveSource(status([profile({ signedIn: true })], null)), null);
});

test("a saved profile fills the form, with the default app shown as an empty client ID", () => {
  const form = profileToForm(profile(), DEFAULT_CLIENT);
  assert.equal(form.clientId, "");
  assert.equal(form.authority, "");
  const own = profileToForm(profile({ clientId: "11111111-2222-3333-4444-555555555555" }), DEFAULT_CLIENT);
  assert.equal(own.clientId, "11111111-2222-3333-4444-555555555555");
});

test("the form is sent trimmed, with addresses and the certificate only where they count", () => {
  const form = { ...emptyProfileForm(), name: " Contoso ", tenant: " contoso.com ", authority: "https://x", graph: "https://y", certificatePath: "/c.pem" };
  assert.deepEqual(profileInput(form, null), {
    input: { name: "Contoso", tenant: "contoso.com", clientId: "", cloud: "global", authority: null, graph: null, mode: "browser", certificatePath: null },
    problem: null,
  });
  const custom = profileInput({ ...form, cloud: "custom", mode: "certificate" }, "p-1").input;
  assert.equal(custom?.id, "p-1", "changing a profile sends its ID");
  assert.deepEqual([custom?.authority, custom?.graph, custom?.certificatePath], ["https://x", "https://y", "/c.pem"]);
  assert.deepEqual(profileInput({ ...form, cloud: "custom", graph: " " }, null), {
    input: null,
    problem: "Enter both the sign-in address and the Microsoft Graph address.",
  });
  assert.equal(profileInput({ ...form, mode: "certificate", certificatePath: "" }, null).problem, "Choose the certificate file (PEM with its private key).");
});

test("Sign in saves first only when the form says something new", () => {
  const saved = profile({ name: "contoso.onmicrosoft.com" });
  const form = profileToForm(saved, DEFAULT_CLIENT);
  assert.equal(formChanged(form, saved, DEFAULT_CLIENT), false);
  assert.equal(formChanged({ ...form, name: "" }, saved, DEFAULT_CLIENT), false, "an empty name means the tenant's");
  assert.equal(formChanged({ ...form, clientId: DEFAULT_CLIENT }, saved, DEFAULT_CLIENT), false);
  assert.equal(formChanged({ ...form, mode: "device-code" }, saved, DEFAULT_CLIENT), true);
  assert.equal(formChanged(form, null, DEFAULT_CLIENT), true, "a new profile is always saved");
});

test("each mode waits in its own way", () => {
  assert.equal(signInWait("device-code"), "device-code");
  assert.equal(signInWait("browser"), "browser");
  for (const mode of ["az-cli", "client-secret", "certificate"]) assert.equal(signInWait(mode), "busy");
});

test("a fetch's progress says how far it is and why it waits", () => {
  const p = { pages: 0, events: 0, waitingSeconds: null, reason: null, notice: null };
  assert.deepEqual(fetchProgressText(p), { figures: "Asking Microsoft Graph…", waiting: "" });
  assert.deepEqual(fetchProgressText({ ...p, pages: 1, events: 1 }), { figures: "1 page · 1 sign-in so far", waiting: "" });
  const paced = fetchProgressText({ ...p, pages: 5, events: 4321, waitingSeconds: 8, reason: "pacing" });
  assert.deepEqual(paced, { figures: "5 pages · 4,321 sign-ins so far", waiting: "Waiting 8 s — keeping under Graph's limit" });
  assert.equal(fetchProgressText({ ...p, waitingSeconds: 30, reason: "throttled" }).waiting, "Waiting 30 s — Graph asks to slow down");
  assert.equal(fetchProgressText({ ...p, waitingSeconds: 4, reason: "retrying" }).waiting, "Waiting 4 s — Graph did not answer, retrying");
});

test("a running fetch shows its first page at once, then what follows every few seconds", () => {
  const p = { pages: 1, events: 1000, from: "2026-11-26T10:00:00Z", to: "2026-11-27T10:00:00Z", waitingSeconds: null, reason: null, notice: null };
  const start = { pages: 0, at: 0 };
  assert.equal(storedPagesDue(start, { ...p, pages: 0, events: 0 }, 100), false, "nothing stored yet");
  assert.equal(storedPagesDue(start, p, 100), true, "the first page at once");
  const after = { pages: 1, at: 100 };
  assert.equal(storedPagesDue(after, { ...p, pages: 2 }, 1100), false, "not again within five seconds");
  assert.equal(storedPagesDue(after, { ...p, pages: 2 }, 5100), true);
  assert.equal(storedPagesDue(after, { ...p, waitingSeconds: 9, reason: "pacing" }, 9000), false, "no new page, no new look");
  assert.equal(storedPagesDue(start, { ...p, notice: "Graph keeps 30 days." }, 100), false);
});

test("the sign-ins fetched so far are looked up in the fetch's window when no time was given", () => {
  const window = { from: "2026-11-26T10:00:00Z", to: "2026-11-27T10:00:00Z" };
  assert.deepEqual(fetchedCriteria({ user: "hugo" }, window), { user: "hugo", ...window });
  const timed = { user: "hugo", from: "2026-11-01T00:00:00Z" };
  assert.equal(fetchedCriteria(timed, window), timed);
  const around = { around: "2026-11-20T10:00:00Z" };
  assert.equal(fetchedCriteria(around, window), around);
});

test("a finished fetch is summed up in one sentence, a stopped one says what was kept", () => {
  const report = { events: 1234, duplicates: 0, requests: 3, throttled: 0, notices: [], cancelled: false };
  assert.deepEqual(fetchReportMessage(report, "Contoso"), { text: "Fetched 1,234 sign-ins from Contoso.", kind: "info" });
  assert.deepEqual(fetchReportMessage({ ...report, events: 1 }, "Contoso"), { text: "Fetched 1 sign-in from Contoso.", kind: "info" });
  assert.deepEqual(fetchReportMessage({ ...report, events: 40, cancelled: true }, "Contoso"), {
    text: "Stopped; 40 sign-ins fetched so far were kept.",
    kind: "warning",
  });
});

test("a device code's time left is in whole minutes, never zero", () => {
  const now = Date.parse("2026-11-20T08:00:00Z");
  assert.equal(minutesLeft("2026-11-20T08:15:00Z", now), 15);
  assert.equal(minutesLeft("2026-11-20T08:00:10Z", now), 1);
  assert.equal(minutesLeft("not a time", now), 15);
});
