import { test } from "node:test";
import assert from "node:assert/strict";
import {
  criteriaFromForm,
  detailSections,
  formatNumber,
  formatTime,
  policies,
  policyResultLabel,
  prettyJson,
  timeLines,
} from "../lib/format.js";
import { setLanguage, tn } from "../lib/i18n.js";
import { openReportMessage } from "../screens/toast.js";

test("times show in the computer's time zone, with UTC beside them to compare with Microsoft's logs", () => {
  const amsterdam = { timeZone: "Europe/Amsterdam" };
  setLanguage("nl");
  try {
    assert.equal(formatTime("2026-11-27T16:05:09Z", amsterdam), "27-11-2026 17:05:09 (16:05:09 UTC)");
    // Summer time moves the local clock, not the UTC one.
    assert.equal(formatTime("2026-07-01T10:00:00Z", amsterdam), "01-07-2026 12:00:00 (10:00:00 UTC)");
    // Past midnight here is still the day before in UTC: then the UTC side names its date.
    assert.equal(formatTime("2026-11-27T23:30:00Z", amsterdam), "28-11-2026 00:30:00 (27-11-2026 23:30:00 UTC)");
    // A time written with an offset is the same moment.
    assert.equal(formatTime("2026-11-27T14:05:09-02:00", amsterdam), "27-11-2026 17:05:09 (16:05:09 UTC)");
    // On a computer whose clock is UTC there is one time to show.
    assert.equal(formatTime("2026-11-27T16:05:09Z", { timeZone: "UTC" }), "27-11-2026 16:05:09 UTC");
    // The results table puts UTC on a line of its own.
    assert.deepEqual(timeLines("2026-11-27T16:05:09Z", amsterdam), { main: "27-11-2026 17:05:09", sub: "16:05:09 UTC" });
    assert.deepEqual(timeLines("2026-11-27T16:05:09Z", { timeZone: "UTC" }), { main: "27-11-2026 16:05:09 UTC", sub: "" });
  } finally {
    setLanguage("en");
  }
  assert.equal(formatTime("2026-11-27T16:05:09Z", amsterdam), "27/11/2026 17:05:09 (16:05:09 UTC)");
  assert.equal(formatTime("2026-11-20T23:30:00-02:00", { timeZone: "UTC" }), "21/11/2026 01:30:00 UTC");
  assert.equal(formatTime(null), "");
  assert.equal(formatTime("garbage"), "garbage");
  assert.deepEqual(timeLines("garbage"), { main: "garbage", sub: "" });
});

test("dates and numbers follow the system's region when it has one for the language", () => {
  setLanguage("en", ["en-US", "nl-NL"]);
  try {
    assert.equal(formatTime("2026-11-27T16:05:09Z", { timeZone: "Europe/Amsterdam" }), "11/27/2026 05:05:09 PM (04:05:09 PM UTC)");
    assert.equal(formatNumber(1234567.5), "1,234,567.5");
    setLanguage("nl", ["nl-BE"]);
    assert.equal(formatTime("2026-11-27T16:05:09Z", { timeZone: "Europe/Brussels" }), "27/11/2026 17:05:09 (16:05:09 UTC)");
    setLanguage("nl", ["en-US"]);
    assert.equal(formatNumber(1234567.5), "1.234.567,5");
    assert.equal(tn("results.count", 12345), "12.345 aanmeldingen gevonden");
  } finally {
    setLanguage("en");
  }
  assert.equal(formatNumber(1234567.5), "1,234,567.5");
});

test("the form sends only what was filled in, and only the chosen time mode", () => {
  const form = { user: " megan ", app: "", id: "", status: "any", timeMode: "around", from: "2026-11-01T00:00", to: "", around: "2026-11-20T08:00" };
  assert.deepEqual(criteriaFromForm(form), { user: "megan", around: "2026-11-20T08:00" });
  assert.deepEqual(criteriaFromForm({ ...form, timeMode: "range", status: "failure", id: "abc" }), {
    user: "megan",
    anyId: "abc",
    status: "failure",
    from: "2026-11-01T00:00",
  });
  assert.deepEqual(criteriaFromForm({ ...form, timeMode: "any" }), { user: "megan" });
});

const detail = {
  summary: { id: "req-1", createdDateTime: "2026-11-20T08:05:09Z", status: "failure", errorCode: 53003, correlationId: "corr-1", location: "Singapore, SG", eventType: "interactiveUser" },
  event: {
    userDisplayName: "Priya Raman",
    userPrincipalName: "priya@x.example",
    appDisplayName: "Microsoft Teams",
    appId: "1fec",
    status: { errorCode: 53003, failureReason: "Blocked" },
    deviceDetail: { operatingSystem: "Ios", isCompliant: false },
    appliedConditionalAccessPolicies: [
      { id: "p1", displayName: "Require MFA", result: "notApplied", enforcedGrantControls: [] },
      { id: "p2", displayName: "Block outside Europe", result: "failure", enforcedGrantControls: ["Block"] },
      { id: "p3", displayName: "Report only", result: "reportOnlyFailure", enforcedGrantControls: ["Mfa"] },
    ],
  },
  raw: '{"id":"req-1"}',
  source: { file: "demo.json", record: 4, line: 5 },
};

test("the detail sections carry the portal's fields and leave out empty ones", () => {
  const sections = Object.fromEntries(detailSections(detail).map((s) => [s.id, s.rows]));
  const basic = Object.fromEntries(sections.basic.map((r) => [r.label, r.value]));
  assert.equal(basic["Request ID"], "req-1");
  assert.equal(basic["Correlation ID"], "corr-1");
  assert.equal(basic["User"], "Priya Raman (priya@x.example)");
  assert.equal(basic["Sign-in error code"], "53003");
  assert.equal(basic["Status"], "Failure");
  assert.equal(basic["Sign-in type"], "Interactive user sign-in");
  assert.ok(!("User ID" in basic), "empty fields are left out");
  const device = Object.fromEntries(sections.device.map((r) => [r.label, r.value]));
  assert.deepEqual(device, { "Operating system": "Ios", Compliant: "No" });
  const additional = Object.fromEntries(sections.additional.map((r) => [r.label, r.value]));
  assert.equal(additional["Read from"], "demo.json, record 4, line 5");
});

test("in Dutch the detail sections use the Dutch admin center's words", () => {
  setLanguage("nl");
  try {
    const sections = Object.fromEntries(detailSections({ ...detail, event: { ...detail.event, processingTimeInMilliseconds: 1250 } }).map((s) => [s.id, s.rows]));
    const basic = Object.fromEntries(sections.basic.map((r) => [r.label, r.value]));
    assert.equal(basic["Aanvraag-id"], "req-1");
    assert.equal(basic["Correlatie-id"], "corr-1");
    assert.equal(basic["Gebruiker"], "Priya Raman (priya@x.example)");
    assert.equal(basic["Foutcode van aanmelding"], "53003");
    assert.equal(basic["Status"], "Mislukt");
    assert.equal(basic["Type aanmelding"], "Interactieve gebruikersaanmelding");
    assert.match(basic["Datum"], /^20-11-2026 \d\d:05:09( \(08:05:09 UTC\)| UTC)$/);
    const device = Object.fromEntries(sections.device.map((r) => [r.label, r.value]));
    assert.deepEqual(device, { Besturingssysteem: "Ios", Compatibel: "Nee" });
    const additional = Object.fromEntries(sections.additional.map((r) => [r.label, r.value]));
    assert.equal(additional["Gelezen uit"], "demo.json, record 4, regel 5");
    assert.equal(additional["Latentie"], "1.250 ms");
    assert.equal(policyResultLabel("reportOnlyFailure"), "Alleen rapporteren: mislukt");
  } finally {
    setLanguage("en");
  }
});

test("policies that decided the sign-in come first", () => {
  assert.deepEqual(policies(detail.event).map((p) => p.name), ["Block outside Europe", "Report only", "Require MFA"]);
  assert.equal(policyResultLabel("reportOnlyFailure"), "Report-only: failure");
  assert.equal(policyResultLabel("somethingNew"), "somethingNew");
});

test("the raw record is pretty-printed without changing it", () => {
  assert.equal(prettyJson('{"a":1}'), '{\n  "a": 1\n}');
  assert.equal(prettyJson("not json"), "not json");
});

test("opening files is summed up in one honest sentence", () => {
  const file = (over) => ({ name: "a.json", format: "ndjson", formatName: "NDJSON", added: 0, duplicates: 0, warningCount: 0, warnings: [], error: null, ...over });
  assert.deepEqual(openReportMessage({ total: 305, files: [file({ added: 305 })] }), { text: "Opened 305 sign-ins.", kind: "info" });
  assert.deepEqual(openReportMessage({ total: 4, files: [file({ added: 4, warningCount: 1 })] }), {
    text: "Opened 4 sign-ins. 1 record could not be read and was skipped.",
    kind: "warning",
  });
  assert.deepEqual(
    openReportMessage({ total: 0, files: [file({ name: "x.csv", error: { code: "unsupported_format", message: "unrecognised format" } })] }),
    { text: "Opened 0 sign-ins. x.csv could not be opened: unrecognised format", kind: "error" },
  );
});
