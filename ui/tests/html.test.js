import { test } from "node:test";
import assert from "node:assert/strict";
import { html, escapeHtml, SafeHtml } from "../lib/html.js";

test("values from a log are escaped wherever they land", () => {
  const userAgent = `<img src=x onerror="alert('x')">`;
  const out = html`<td title="${userAgent}">${userAgent}</td>`.text;
  assert.equal(
    out,
    `<td title="&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;">&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;</td>`,
  );
  assert.ok(!out.includes("<img"));
});

test("nested templates and lists are not escaped twice", () => {
  const items = ["a&b", "<c>"];
  const out = html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`;
  assert.ok(out instanceof SafeHtml);
  assert.equal(out.text, "<ul><li>a&amp;b</li><li>&lt;c&gt;</li></ul>");
});

test("missing values render as nothing, numbers and zero as text", () => {
  assert.equal(html`${null}|${undefined}|${false}|${0}|${50126}`.text, "|||0|50126");
  assert.equal(escapeHtml("`&'"), "&#96;&amp;&#39;");
});
