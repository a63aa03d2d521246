import { test } from "node:test";
import assert from "node:assert/strict";
import { criteriaFromForm, detailSections, formatTime, policies, policyResultLabel, prettyJson } from "../lib/format.js";
import { openReportMessage } from "../screens/toast.js";

test("times show in UTC like the portal's Date (UTC)", () => {
  assert.equal(formatTime("2026-11-20T08:05:09Z"), "20 Nov 2026, 08:05:09");
  assert.equal(formatTime("2026-11-20T23:30:00-02:00"), "21 Nov 2026, 01:30:00");
  assert.equal(formatTime(null), "");
  assert.equal(formatTime("garbage"), "garbage");
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
